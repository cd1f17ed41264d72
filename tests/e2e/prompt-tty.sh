#!/bin/bash
# `tattle prompt` at a real terminal (a tmux pane): it shows the ask,
# ignores keys pressed in the first second, takes one-key answers
# (allow, forever, the suggested match), and Enter at every step gives
# the suggestion, which is deny once.  The answers decide the held
# connections and the rule file appears.  When tattled restarts, the
# prompt waits for it and asks again.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
command -v tmux >/dev/null || { say "FAIL: tmux is not installed"; exit 1; }
prompt_setup '{"DefaultAction":"reject"}'
prompt_start || { fail "start"; done_test; }

TM="tmux -L tattle-test-$$"
tty_cleanup() {
	$TM kill-server 2>/dev/null
	prompt_cleanup
}
trap tty_cleanup EXIT INT TERM
pane() { $TM capture-pane -p -t t; }
# wait_pane_n REGEX N MS: until the pane has N lines matching REGEX.
wait_pane_n() {
	local i=0
	while [ "$i" -lt "$3" ]; do
		[ "$(pane | grep -c -- "$1")" -ge "$2" ] && return 0
		sleep 0.05
		i=$((i + 50))
	done
	return 1
}
# wait_pane REGEX MS
wait_pane() { wait_pane_n "$1" 1 "$2"; }

$TM new-session -d -s t -x 200 -y 50 \
    "$TATTLE prompt --socket $UISOCK; echo tattle-prompt-exited-\$?; sleep 60"
check "tattle prompt connects and waits" wait_pane \
    "waiting for connections to ask about" 10000

conn_bg c1 127.0.0.1 1 15000
check "the ask is shown" wait_pane "is waiting for you" 10000
T0=$(now_ms)
$TM send-keys -t t a
# The order, not the time: the key went in while the ask was shown and
# its question was not yet (were the harness slower than the 1 s guard,
# this fails and says so rather than checking nothing).
check "a key pressed before the question shows (within the guard)" sh -c \
    "! $TM capture-pane -p -t t | grep -q 'action?'"
check "it says where to" wait_pane "to       127.0.0.1 port 8080/tcp" 10000
check "it says which program" wait_pane "program  $PUI" 10000
check "the question comes after the guard" wait_pane "action?" 10000
say "(the question came $(($(now_ms) - T0)) ms after the key)"
sleep 0.3
check "the key pressed during the guard was ignored" sh -c \
    "! $TM capture-pane -p -t t | grep -q 'allow for?'"
$TM send-keys -t t a
check "a: allow, then the duration" wait_pane "allow for?" 10000
$TM send-keys -t t f
check "f: forever, then the match" wait_pane "match?" 10000
$TM send-keys -t t Enter
check "Enter takes the suggested match" wait_pane "done: rule " 10000
conn_wait c1
check_eq "the held connection is allowed" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
rule=$(pane | sed -n 's/.*done: rule \([^ ]*\).*/\1/p' | tail -1)
check "the rule file $rule.json is written" wait_file \
    "$T_TMP/rules/$rule.json" 10000
check_eq "... allow always" "$(jget "$(cat "$T_TMP/rules/$rule.json" \
    2>/dev/null)" action duration | tr '\n' ' ')" "allow always "
conn_now 127.0.0.1 1 10000
check_eq "the next connection passes" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"

# Enter, Enter: the suggestion, deny once, never allow.
conn_bg c2 10.99.0.2 1 15000
check "a second ask" wait_pane "to       10.99.0.2 port 8080/tcp" 10000
check "its question" wait_pane "action? (Enter: deny)" 10000
sleep 0.3
$TM send-keys -t t Enter
check "Enter: deny" wait_pane "deny for?" 10000
$TM send-keys -t t Enter
check "Enter: once, sent at once" wait_pane "-> deny once: done" 10000
conn_wait c2
check "deny once: the connection does not complete" \
    [ "${CONN#ok 0 }" != "$CONN" ]

# tattled restarts: the prompt says so, waits, and asks again.
stop_tattled
check "tattled gone: the prompt says it waits" wait_pane \
    "waiting for tattled to come back" 10000
check "... and has not quit" sh -c \
    "! $TM capture-pane -p -t t | grep -q tattle-prompt-exited"
start_tattled || fail "restart tattled"
check "tattled back: the prompt connects again" wait_pane_n \
    "tattle prompt: connected to" 2 10000
conn_now 127.0.0.1 1 10000
check_eq "the rule answered before the restart still allows, unasked" \
    "$CONN" "ok 1 refused 0 timeout 0 other 0"
conn_bg c3 10.99.0.2 1 15000
check "... and asks about the next connection (a third ask)" wait_pane_n \
    "is waiting for you" 3 10000
check "... to where it goes" wait_pane_n \
    "to       10.99.0.2 port 8080/tcp" 2 10000
sleep 1.2
$TM send-keys -t t d
$TM send-keys -t t o
check "d, o: deny once, answered through the new connection" wait_pane_n \
    "-> deny once: done" 2 10000
conn_wait c3
check "deny once after the restart: the connection does not complete" \
    [ "${CONN#ok 0 }" != "$CONN" ]

$TM send-keys -t t C-c
check "Ctrl-C quits with 0" wait_pane "tattle-prompt-exited-0" 10000
prompt_done
