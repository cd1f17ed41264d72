#!/bin/bash
# The bridge with OpenSnitch 1.5.8: Debian's own ui_pb2/ui_pb2_grpc.
GEN=1.5
. "${top_srcdir:-.}/tests/osui/flow.sh"
