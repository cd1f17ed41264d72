#!/bin/bash
# SECURITY.md B.17, B.22, 1.4: a connection whose process cannot be
# found is never allowed because it is unknown.  Raw TCP SYNs (no socket
# for sock_diag or /proc to find, the sender gone at once) to a port an
# allow rule names: with "InterceptUnknown": true the rules decide them
# (the control: the rule does match), with false they get the default
# action (deny) and none passes.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_rule_port allow-9100 allow 9100

# syns_through: SYNs to 9100 that left lo, of 200 sent.
syns_through() {
	probe count-lo 9100 4 >"$T_TMP/count" &
	local counter=$!
	sleep 0.5
	probe flood-syn 127.0.0.1 9100 200 2 >/dev/null
	wait "$counter"
	sed 's/^seen //' "$T_TMP/count"
}

printf '{"DefaultAction":"deny","InterceptUnknown":true}\n' \
    >"$T_TMP/config.json"
start_tattled || exit 1
n=$(syns_through)
check "InterceptUnknown true: the rule decides unknown senders ($n passed)" \
    test "$n" -gt 0
kill -TERM "$TPID"
T0=$(now_ms)
wait_exit 3000

printf '{"DefaultAction":"deny","InterceptUnknown":false}\n' \
    >"$T_TMP/config.json"
start_tattled || exit 1
check_eq "InterceptUnknown false: unknown senders get the default (deny)" \
    "$(syns_through)" 0
done_test
