#!/bin/bash
# 20 connections at once from one process to one destination: one ask,
# whose answer decides them all.  Two prompters: both asked, the first
# answer wins, the other is told the ask is gone and its late answer is
# refused.  A prompter that connects while an ask is open is shown it,
# with the time really left.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"deny"}'
prompt_start || { fail "start"; done_test; }
ui_prompter A || fail "subscribe A"

conn_bg c1 127.0.0.1 20 10000
check "20 connections: an ask" ui_expect A ask 10000
id=$(jget "$LINE" id)
check "... and only one" ui_none A ask 1500
check "answer allow once" answer A "$id" allow once '["ip"]'
conn_wait c1
check_eq "the answer decides all 20" "$CONN" \
    "ok 20 refused 0 timeout 0 other 0"

ui_prompter B || fail "subscribe B"
conn_bg c2 127.0.0.1 1 10000
check "two prompters: A is asked" ui_expect A ask 10000
ida=$(jget "$LINE" id)
check "two prompters: B is asked" ui_expect B ask 10000
check_eq "... the same ask" "$(jget "$LINE" id)" "$ida"
sleep 1
ui_prompter C || fail "subscribe C"
check "a prompter that comes later is shown the open ask" ui_expect C ask \
    10000
check_eq "... the same one" "$(jget "$LINE" id)" "$ida"
left=$(jget "$LINE" timeout_ms)
# The order, not a speed: C came at least the second slept after the
# ask was made, so less than the whole 30 s is left (load only makes it
# less), and the ask is still open, so some is.
check "... with the time left ($left ms)" sh -c \
    '[ "$1" -lt 29500 ] && [ "$1" -gt 0 ]' sh "$left"
check "B answers first" answer B "$ida" reject once '["ip"]'
check_eq "B: result" "$(jget "$LINE" type ok | tr '\n' ' ')" "result true "
check "A is told the ask is gone" ui_expect A ask.gone 10000
check_eq "A: answered" "$(jget "$LINE" id reason | tr '\n' ' ')" \
    "$ida answered "
check "C is told too" ui_expect C ask.gone 10000
check "B, the winner, is not" ui_none B ask.gone 300
answer A "$ida" allow always '["ip"]'
check_eq "A's late answer: error gone" "$(jget "$LINE" type code |
    tr '\n' ' ')" "error gone "
conn_wait c2
check_eq "B's answer decided" "$CONN" "ok 0 refused 1 timeout 0 other 0"
check_eq "and no rule file came from A" \
    "$(ls "$T_TMP/rules" | tr '\n' ' ')" "000-allow-dns.json "
prompt_done
