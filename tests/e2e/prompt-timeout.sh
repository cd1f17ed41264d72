#!/bin/bash
# No answer in PromptTimeout: the default action for that connection
# alone, every prompter told, no rule written.  The last prompter
# leaving decides what it held at once; with nobody to ask, the default
# action comes without delay.  DefaultAction reject makes "at once"
# visible: the program is refused, not left waiting.  Which of these
# ended each ask is read from the events (reason timeout or default) an
# observer that is not a prompter receives, not from how long it took:
# under load a default can come late, but it never says timeout.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"reject",
    "PromptTimeout":3}'
prompt_start || { fail "start"; done_test; }
rules_before=$(ls "$T_TMP/rules")
# E: events only (no asks), so that it is no prompter.
ui_open E
ui_send E '{"type":"hello","version":1,"client":"events"}'
ui_send E '{"type":"subscribe","req":"sub","asks":false,"events":true}'
check "an observer of events" ui_reply E '"sub"' 10000
ui_prompter A || fail "subscribe"

# event_reason WHAT: the next event E receives, as "verdict reason".
event_reason() {
	ui_expect E event 10000 || { echo "no event in 10 s"; return; }
	jget "$LINE" verdict reason | tr '\n' ' ' | sed 's/ $//'
}

T0=$(now_ms)
conn_bg c1 127.0.0.1 1 10000
check "ask" ui_expect A ask 10000
id=$(jget "$LINE" id)
check_eq "ask: timeout_ms" "$(jget "$LINE" timeout_ms)" 3000
check "no answer: ask.gone" ui_expect A ask.gone 10000
check_eq "ask.gone: id and reason" "$(jget "$LINE" id reason |
    tr '\n' ' ')" "$id timeout "
conn_wait c1
el=$(($(now_ms) - T0))
check_eq "timeout: the default action (reject)" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
# A lower bound: load can only make it later.
check "... after the timeout, not before ($el ms)" [ "$el" -ge 2900 ]
check_eq "timeout: the observer's event" "$(event_reason)" "reject timeout"
check_eq "timeout: no rule written" "$(ls "$T_TMP/rules")" "$rules_before"
check "timeout: an event says so" ui_seen A \
    '"type":"event",.*"verdict":"reject","rule":null,"reason":"timeout"'
answer A "$id" allow always '["ip"]'
check_eq "a late answer is told the ask is gone" "$(jget "$LINE" type \
    code | tr '\n' ' ')" "error gone "

# The last prompter leaves while an ask is open.
conn_bg c2 127.0.0.1 1 10000
check "ask 2" ui_expect A ask 10000
T0=$(now_ms)
ui_close A
conn_wait c2
el=$(($(now_ms) - T0))
check_eq "prompter gone: the default action" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
# The ask ends with its prompter, not at its timeout ($el ms is for the
# record): the event says default, not timeout.
check_eq "prompter gone: decided as nobody to ask ($el ms)" \
    "$(event_reason)" "reject default"

# Nobody connected.
T0=$(now_ms)
conn_now 127.0.0.1 1 10000
el=$(($(now_ms) - T0))
check_eq "no client: the default action" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
# Nobody to ask: no ask, so no timeout to wait for; the event says so.
check_eq "no client: decided as nobody to ask ($el ms)" "$(event_reason)" \
    "reject default"
check_eq "no rule written" "$(ls "$T_TMP/rules")" "$rules_before"
prompt_done
