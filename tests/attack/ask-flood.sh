#!/bin/bash
# SECURITY.md D.35 and the bounds of asking: a prompter that never
# answers, and connections nobody's rule decides.  400 new flows from
# one program to one destination join one ask, at most MAX_ASK_CONNS of
# them; the rest get the default action (deny) at once.  Nothing passes
# while the ask is open; the answer (allow, once) releases those held,
# and only those.  100 flows to 100 destinations open at most MAX_ASKS
# asks; the rest are denied at once, and none passes.  5120 flows to 64
# destinations fill the kernel's queue and packetd's table together: the
# kernel drops the rest, and none passes.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
. "${top_srcdir:-.}/tests/attack/lib.sh"
# The bounds, as ruled has them.
bound() { awk -v n="$1" '$1 == "#define" && $2 == n { print $3 }' \
    "$top_srcdir/ruled/ruled.h"; }
MAX_ASKS=$(bound MAX_ASKS)
MAX_ASK_CONNS=$(bound MAX_ASK_CONNS)
prompt_setup '{"DefaultAction":"deny","InterceptUnknown":true,
    "PromptTimeout":60}'
trap prompt_cleanup EXIT INT TERM
prompt_start || { fail "start"; done_test; }
ui_prompter A || fail "subscribe"

# count_bg PORT SECONDS FILE: datagrams to PORT..PORT+999 that pass,
# counted from when count_bg returns (the counter says it is ready);
# count_wait FILE: until that count is in FILE.
# (Background children must not hold the clients' FIFOs open: a client
# hangs up when the last writer closes its FIFO.)
count_bg() {
	rm -f "$3.ready"
	# exec: $! is timeout's pid, which passes a kill on to probe.py.
	(close_ui_fds; exec timeout 120 ip netns exec "$NS" python3 "$PROBE" \
	    count-lo "$1" "$2" "$3.ready") >"$3" &
	BG_PIDS="$BG_PIDS $!"
	eval "COUNTPID_${3##*/}=$!"
	wait_file "$3.ready" 30000 || say "the counter for $3 did not start"
}
count_wait() {
	local pid
	eval "pid=\${COUNTPID_${1##*/}}"
	wait "$pid"
}

(close_ui_fds; exec ip netns exec "$NS" python3 "$PROBE" udp-ports \
    127.0.0.1 7000 400) >"$T_TMP/sender" &
BG_PIDS="$BG_PIDS $!"
check "one ask for 400 flows to one destination" ui_expect A ask 5000
id=$(jget "$LINE" id)
ask=$LINE
# Until ruled has decided about all 400 (attribution takes its time).
for _ in $(seq 300); do
	st=$("$TATTLE" stats --socket "$UISOCK" --json 2>/dev/null)
	[ "$(jget "$st" connections)" -ge 400 ] 2>/dev/null && break
	sleep 0.1
done
joined=$(jget "$st" prompt_joined)
over=$(jget "$st" prompt_overflow)
say "ruled: $(jget "$st" connections) connections, $joined joined the ask," \
    "$over denied at once"
count_bg 7000 2 "$T_TMP/held"
check "and no second ask" ui_none A ask 1000
check_eq "MAX_ASK_CONNS held, the rest denied at once" \
    "$((joined + 1)) $over" "$MAX_ASK_CONNS $((400 - MAX_ASK_CONNS))"
count_wait "$T_TMP/held"
check_eq "nothing passed while the ask was open" "$(cat "$T_TMP/held")" \
    "seen 0"
count_bg 7000 4 "$T_TMP/released"
answer A "$id" allow once "$(match_program "$ask")"
count_wait "$T_TMP/released"
check_eq "the answer released those held and only those" \
    "$(cat "$T_TMP/released")" "seen $MAX_ASK_CONNS"

count_bg 7100 8 "$T_TMP/many"
ip netns exec "$NS" python3 "$PROBE" flood-udp 127.0.0.1 7100 100 5 \
    >/dev/null
asks=0
while ui_expect A ask 2000; do
	asks=$((asks + 1))
done
check "100 destinations: at most MAX_ASKS asks ($asks)" \
    test "$asks" -ge 1 -a "$asks" -le "$MAX_ASKS"
count_wait "$T_TMP/many"
check_eq "none of them passed" "$(cat "$T_TMP/many")" "seen 0"

# 64 destinations, 80 flows each, 5120 packets to hold: more than the
# kernel's queue takes (QUEUE_MAXLEN_DEFAULT), which counts the packets
# packetd holds too, so that its own table (MAX_PENDING, equal) never
# overflows: the kernel drops the rest (fail closed).  The prompter
# leaves: everything held gets the default action at once.  Nothing
# passes.
hbound() { awk -v n="$2" '$1 == "#define" && $2 == n { print $3 }' \
    "$top_srcdir/packetd/$1"; }
QMAX=$(hbound queue.h QUEUE_MAXLEN_DEFAULT)
PMAX=$(hbound pending.h MAX_PENDING)
# stats_held: packets packetd holds now.
stats_held() {
	jget "$("$TATTLE" stats --socket "$UISOCK" --json 2>/dev/null)" held
}
# wait_unheld TRIES: until packetd holds nothing, 200 ms a try.
wait_unheld() {
	local i
	for i in $(seq "$1"); do
		[ "$(stats_held)" = 0 ] && return 0
		sleep 0.2
	done
	return 1
}
ui_close A
wait_unheld 50
check_eq "the last prompter gone: the asks it held are decided" \
    "$(stats_held)" 0
ui_prompter B || fail "subscribe B"
count_bg 7200 30 "$T_TMP/spread"
probe udp-spread 127.0.0.1 7200 "$MAX_ASKS" 80 >/dev/null
for _ in $(seq 100); do
	st=$("$TATTLE" stats --socket "$UISOCK" --json 2>/dev/null)
	[ "$(jget "$st" held)" -ge "$QMAX" ] 2>/dev/null && break
	sleep 0.1
done
say "held $(jget "$st" held), kernel queue $(jget "$st" queue_waiting)," \
    "kernel drops $(jget "$st" queue_overflows)," \
    "pending overflows $(jget "$st" pending_overflows)"
check_eq "packetd holds what the kernel queue holds, $QMAX" \
    "$(jget "$st" held) $(jget "$st" queue_waiting)" "$QMAX $QMAX"
check "the kernel dropped the rest" test "$(jget "$st" queue_overflows)" -gt 0
check_eq "so packetd's table (MAX_PENDING $PMAX) never overflowed" \
    "$(jget "$st" pending_overflows)" 0
ui_close B
T0=$(now_ms)
wait_unheld 300
check_eq "the prompter gone: nothing held any more ($(($(now_ms) - T0)) ms)" \
    "$(stats_held)" 0
count_wait "$T_TMP/spread"
check_eq "nothing of the 5120 passed" "$(cat "$T_TMP/spread")" "seen 0"
check "every process survived" alive
done_test
