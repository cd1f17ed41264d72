#!/bin/bash
# The connect latency tattle adds: N TCP connects to a loopback sink in
# NS, timed one by one by the client (pp-net bench), without tattled and
# then with tattled deciding every one of them (an allow rule on the
# port; every connect crosses NFQUEUE, attributord and ruled).  The
# figures are printed for the record, not asserted (timing belongs to
# no test verdict); the checks are that every connect succeeded both
# times and that tattled was guarding while it ran.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
N=${PP_LATENCY_N:-2000}
pp_setup
serve_in "$NS" 7400
pp_config '"DefaultAction": "deny"'
rule sink.json sink allow "$(op dest.port 7400)"

bench() {
	in_ns "$PPNET" bench -n "$N" tcp,127.0.0.1,7400
}

# bench_ok LINE: pp-net bench made all N connects.
bench_ok() {
	case $1 in
	"n $N p50 "*)	return 0 ;;
	esac
	say "pp-net bench: $1"
	return 1
}

without=$(bench)
check "without tattled: $N connects" bench_ok "$without"
start_tattled || { fail "start"; done_test; }
with=$(bench)
check "with tattled: $N connects" bench_ok "$with"
# Still guarding: the sink's port is allowed, the next one is not.
probe tcp,127.0.0.1,7401
expect "with tattled: another port" tcp,127.0.0.1,7401 deny
stop_tattled

say "connect latency without tattled: $without"
say "connect latency with tattled:    $with"
# "n N p50 X p90 X p99 X max X us": fields 4 and 8.
# shellcheck disable=SC2086
set -- $without
w50=$4 w99=$8
# shellcheck disable=SC2086
set -- $with
say "$(awk -v a="$w50" -v b="$4" -v c="$w99" -v d="$8" 'BEGIN {
    printf "tattle adds: p50 %.1f us, p99 %.1f us", b - a, d - c }')"
host_ruleset_check
done_test
