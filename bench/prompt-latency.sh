#!/bin/bash
# bench/prompt-latency.sh [N]: N times, a program in the namespace calls
# connect() and a prompter on the UI socket times the `ask` that comes
# for it (then answers allow once).  Prints percentiles in microseconds.
# The interval holds the SYN reaching the queue, packetd, attributord
# (which looks for the process), ruled, promptd and the client's read.
. "${top_srcdir:?}/tests/e2e/prompt-lib.sh"
n=${1:-200}
prompt_setup '{"DefaultAction":"reject","InterceptUnknown":true}'
prompt_start || { say "tattled did not start"; exit 1; }
ip netns exec "$NS" "$PUI" latency "$UISOCK" 127.0.0.1 "$PORT" "$n" \
    > "$T_TMP/lat" || { say "latency run failed"; exit 1; }
sort -n "$T_TMP/lat" > "$T_TMP/lat.sorted"
pct() { sed -n "$(( ($(wc -l < "$T_TMP/lat.sorted") * $1 + 99) / 100 ))p" \
    "$T_TMP/lat.sorted"; }
echo "prompt latency over $(wc -l < "$T_TMP/lat") asks (us): min $(pct 1)" \
    "p50 $(pct 50) p90 $(pct 90) p99 $(pct 99) max $(tail -1 \
    "$T_TMP/lat.sorted")"
