#!/bin/sh
# make check-attack runs attack-maxrules through this script: automake
# makes a test rule only for programs listed in TESTS, and this one is
# too slow for make check (see attack-maxrules.c).
exec "${top_builddir:-.}/tests/attack/attack-maxrules"
