#!/bin/bash
# The bridge with OpenSnitch 1.6 and later: stubs grpcio-tools makes
# from osui/ui16.proto.
GEN=1.6
. "${top_srcdir:-.}/tests/osui/flow.sh"
