#!/bin/bash
# No answer in PromptTimeout: the default action for that connection
# alone, every prompter told, no rule written.  The last prompter
# leaving decides what it held at once; with nobody to ask, the default
# action comes without delay.  DefaultAction reject makes "at once"
# visible: the program is refused, not left waiting.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"reject",
    "PromptTimeout":3}'
prompt_start || { fail "start"; done_test; }
rules_before=$(ls "$T_TMP/rules")
ui_prompter A || fail "subscribe"

T0=$(now_ms)
conn_bg c1 127.0.0.1 1 10000
check "ask" ui_expect A ask 3000
id=$(jget "$LINE" id)
check_eq "ask: timeout_ms" "$(jget "$LINE" timeout_ms)" 3000
check "no answer: ask.gone" ui_expect A ask.gone 5000
check_eq "ask.gone: id and reason" "$(jget "$LINE" id reason |
    tr '\n' ' ')" "$id timeout "
conn_wait c1
el=$(($(now_ms) - T0))
check_eq "timeout: the default action (reject)" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
check "... after the timeout, not before ($el ms)" [ "$el" -ge 2900 ]
check_eq "timeout: no rule written" "$(ls "$T_TMP/rules")" "$rules_before"
check "timeout: an event says so" ui_seen A \
    '"type":"event",.*"verdict":"reject","rule":null,"reason":"timeout"'
answer A "$id" allow always '["ip"]'
check_eq "a late answer is told the ask is gone" "$(jget "$LINE" type \
    code | tr '\n' ' ')" "error gone "

# The last prompter leaves while an ask is open.
conn_bg c2 127.0.0.1 1 10000
check "ask 2" ui_expect A ask 3000
T0=$(now_ms)
ui_close A
conn_wait c2
el=$(($(now_ms) - T0))
check_eq "prompter gone: the default action" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
# Not a speed check: the ask ends with its prompter, not at its timeout.
check "... before the ask's 3 s timeout ($el ms)" [ "$el" -lt 2900 ]

# Nobody connected.
T0=$(now_ms)
conn_now 127.0.0.1 1 5000
el=$(($(now_ms) - T0))
check_eq "no client: the default action" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
# Not a speed check: nobody to ask means no wait for the timeout.
check "... without waiting for the 3 s timeout ($el ms)" [ "$el" -lt 2900 ]
check_eq "no rule written" "$(ls "$T_TMP/rules")" "$rules_before"
prompt_done
