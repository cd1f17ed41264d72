#!/bin/bash
# One connection, one ask, one event.  DefaultAction deny drops the
# SYN of an unanswered ask after PromptTimeout; the kernel sends the SYN
# again (1, 3, 7 s after the first), and conntrack counts each as new.
# The retransmits that come after the verdict get the same verdict from
# ruled's table of recent verdicts: no second ask, no second event, the
# repeats counted.  A rule added afterwards decides the next retransmit
# (a change of the rules empties the table).
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"deny", "PromptTimeout":2}'
prompt_start || { fail "start"; done_test; }
ui_prompter A || fail "subscribe"

# asks_for PORT, events_for PORT: the asks and events A has seen for
# prompt-ui's connections to that port.  (ftrace's socket events carry
# no network namespace: while other tests run, a flow with the same
# tuple in another namespace can lend this one another process; such
# an ask is not this test's subject.)
asks_for() {
	grep "^{\"type\":\"ask\",.*\"dst_port\":$1," "$T_TMP/A.out" |
	    grep -c '"path":"[^"]*/prompt-ui"'
}
events_for() {
	grep "^{\"type\":\"event\",.*\"dst_port\":$1," "$T_TMP/A.out" |
	    grep -c '"path":"[^"]*/prompt-ui"'
}

# One connect() that waits 9 s: its SYN goes out at 0, 1, 3 and 7 s.
conn_bg c1 127.0.0.1 1 9000
check "ask" ui_expect A ask 5000
id=$(jget "$LINE" id)
check "no answer: ask.gone (timeout)" ui_expect A ask.gone 10000
check_eq "... for that ask" "$(jget "$LINE" id reason | tr '\n' ' ')" \
    "$id timeout "
conn_wait c1
check_eq "the connection was dropped (deny), never refused" "$CONN" \
    "ok 0 refused 0 timeout 1 other 0"
check_eq "one ask for the connection" "$(asks_for "$PORT")" 1
check_eq "one event for it" "$(events_for "$PORT")" 1
rep=$(jget "$("$TATTLE" stats --json --socket "$UISOCK")" repeats)
check "its retransmits were answered from the table (repeats $rep)" \
    [ "${rep:-0}" -ge 1 ]

# A rule made while the SYN is being retransmitted decides the next one.
conn_bg c2 127.0.0.1 1 12000
check "ask 2" ui_expect A ask 5000
check "no answer: ask.gone" ui_expect A ask.gone 10000
check "a rule from a client allows the port" "$TATTLE" rules --socket "$UISOCK" add - \
    <<-EOF
	{"name": "allow-port", "enabled": true, "action": "allow",
	 "duration": "always", "operator": {"type": "simple",
	 "operand": "dest.port", "data": "$PORT"}}
	EOF
conn_wait c2
check_eq "the next retransmit is decided by the new rule" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
prompt_done
