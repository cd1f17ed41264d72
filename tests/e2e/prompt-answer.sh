#!/bin/bash
# An unmatched connection is held and asked about; the answer decides
# it and makes the rule: allow always (a rule file in OpenSnitch's
# format; the next connection passes unasked), deny once, reject for
# 30 s (on a clock 10 times faster), allow by host, allow by port.
# While attribution does not know processes yet, "this program" is
# matched by IP and port (see match_program).  The rules directory is
# laid out as make install lays it out (_tattle's, setgid to the UI
# group, 2750): the saved rule is 0640 in that group, so that a member
# of the group can `tattle check` it and anyone else is told why not.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
export TATTLE_TEST_TIME_SCALE=10
prompt_setup '{"DefaultAction":"deny"}'
chown _tattle:tattle "$T_TMP/rules" "$T_TMP/rules/000-allow-dns.json"
chmod 2750 "$T_TMP/rules"
chmod 0640 "$T_TMP/rules/000-allow-dns.json"
prompt_start || { fail "start"; done_test; }
ui_prompter A || fail "subscribe"

# Allow always.
conn_bg c1 127.0.0.1 1 10000
check "ask for a held connection" ui_expect A ask 10000
ask=$LINE
id=$(jget "$ask" id)
check_eq "ask: destination and time" "$(jget "$ask" conn.dst_ip \
    conn.dst_port conn.protocol timeout_ms | tr '\n' ' ')" \
    "127.0.0.1 8080 tcp 30000 "
check_eq "ask: suggestion" "$(jget "$ask" suggested.action \
    suggested.duration | tr '\n' ' ')" "deny once "
match=$(match_program "$ask")
say "this program is matched by $match"
check "answer allow always" answer A "$id" allow always "$match" allow-test
check_eq "result names the rule" "$(jget "$LINE" type ok rule |
    tr '\n' ' ')" "result true allow-test "
conn_wait c1
check_eq "the held connection then succeeds" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
f=$T_TMP/rules/allow-test.json
check "the rule file is written" wait_file "$f" 10000
rule=$(cat "$f" 2>/dev/null)
check_eq "rule file: owner, group, mode" "$(stat -c '%U %G %a' "$f")" \
    "_tattle tattle 640"
# check_as GROUPS: tattle check on the rules directory as nobody, with
# those supplementary groups; its output in CHK, its status in RC.
check_as() {
	CHK=$(setpriv --reuid=nobody --regid=nogroup "$@" \
	    "$TATTLE" check --rules-dir "$T_TMP/rules" 2>&1)
	RC=$?
}
check_as --groups="$(getent group tattle | cut -d: -f3)"
check_eq "tattle check by a member of group tattle reads every rule" \
    "$RC $(printf '%s\n' "$CHK" | tail -n 1)" \
    "0 $T_TMP/rules: 2 rules loaded, 0 errors, 0 warnings"
check_as --clear-groups
check_eq "tattle check by anyone else: refused (status)" "$RC" 2
check "... and told why and how to run it" sh -c 'printf "%s\n" "$1" |
    grep -q "cannot read the directory (permission denied)" &&
    printf "%s\n" "$1" | grep -q "run it as a member of tattle"' sh "$CHK"
check_eq "rule file: name action duration enabled" "$(jget "$rule" name \
    action duration enabled | tr '\n' ' ')" "allow-test allow always true "
if [ "$match" = '["ip","port"]' ]; then
	check_eq "rule file: operator" "$(jget "$rule" operator.type \
	    operator.list.0.operand operator.list.0.data \
	    operator.list.1.operand operator.list.1.data | tr '\n' ' ')" \
	    "list dest.ip 127.0.0.1 dest.port 8080 "
else
	check_eq "rule file: operator" "$(jget "$rule" operator.operand)" \
	    process.path
fi
check "rule file: created is RFC 3339" grep -Eq \
    '"created": "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' "$f"
conn_now 127.0.0.1 1 10000
check_eq "the next connection passes" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
check "... without an ask" ui_none A ask 300

# The program's rule would decide everything below: it goes.
ui_send A '{"type":"rules.delete","req":"d1","name":"allow-test"}'
check "rules.delete" ui_reply A '"d1"' 10000
check_eq "rules.delete: result" "$(jget "$LINE" type rule |
    tr '\n' ' ')" "result allow-test "
check "rules.delete removes the file" gone_file "$f" 10000

# Deny once: no rule stays; the program's SYN retries are the same
# connection and keep its verdict, without another question.
conn_bg c2 127.0.0.1 1 2500
check "deny once: ask" ui_expect A ask 10000
id=$(jget "$LINE" id)
check "answer deny once" answer A "$id" deny once '["ip"]'
check_eq "deny once: result without a rule" "$(jget "$LINE" type ok rule |
    tr '\n' ' ')" "result true null "
check "deny once: the retries are not asked about again" ui_none A ask 2500
conn_wait c2
check_eq "deny once: the connection never completes" "$CONN" \
    "ok 0 refused 0 timeout 1 other 0"

# Reject for 30 s (3 s on this clock): refused at once, no file.  The
# next connection must come within those 3 s (one that came later would
# be asked about): the time it took is in the check's name, to tell.
conn_bg c3 127.0.0.1 1 10000
check "reject 30s: ask" ui_expect A ask 10000
check "answer reject 30s" answer A "$(jget "$LINE" id)" reject 30s \
    "$match" reject-30s
check_eq "reject 30s: result" "$(jget "$LINE" ok rule | tr '\n' ' ')" \
    "true reject-30s "
T0=$(now_ms)
conn_wait c3
check_eq "reject 30s: the held connection is refused" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
conn_now 127.0.0.1 1 10000
what="the next is refused (by the rule, not held; $(($(now_ms) - T0)) ms"
check_eq "reject 30s: $what of the rule's 3 s gone)" \
    "$CONN" "ok 0 refused 1 timeout 0 other 0"
check "... without an ask" ui_none A ask 200
check "a 30s rule makes no file" [ ! -e "$T_TMP/rules/reject-30s.json" ]
sleep 3.2
conn_bg c4 127.0.0.1 1 10000
check "reject 30s: after 30 s (scaled) it is asked again" ui_expect A ask \
    10000
check "answer allow once" answer A "$(jget "$LINE" id)" allow once '["ip"]'
conn_wait c4
check_eq "allow once: it succeeds" "$CONN" "ok 1 refused 0 timeout 0 other 0"

# Allow by host: the name comes from a DNS answer tattle saw.
conn_bg c5 host.test@127.0.0.53 1 10000
check "by host: ask" ui_expect A ask 10000
check_eq "by host: the ask names the host" "$(jget "$LINE" conn.host \
    conn.dst_ip | tr '\n' ' ')" "host.test $HOSTIP "
check "answer allow always by host" answer A "$(jget "$LINE" id)" allow \
    always '["host"]' allow-host
conn_wait c5
check_eq "by host: it succeeds" "$CONN" "ok 1 refused 0 timeout 0 other 0"
check "by host: the rule file" wait_file "$T_TMP/rules/allow-host.json" 10000
check_eq "by host: operator" "$(jget "$(cat "$T_TMP/rules/allow-host.json")" \
    operator.operand operator.data | tr '\n' ' ')" "dest.host host.test "
conn_now host.test@127.0.0.53 1 10000
check_eq "by host: the next passes" "$CONN" "ok 1 refused 0 timeout 0 other 0"
check "... without an ask" ui_none A ask 300
conn_bg c6 10.99.0.2 1 10000
check "by host: another address is asked" ui_expect A ask 10000
check_eq "... and has no host" "$(jget "$LINE" conn.host)" ""
answer A "$(jget "$LINE" id)" reject once '["ip"]'
conn_wait c6

# Allow by port: any address on that port.
conn_bg c7 10.99.0.2 1 10000
check "by port: ask" ui_expect A ask 10000
check "answer allow always by port" answer A "$(jget "$LINE" id)" allow \
    always '["port"]' allow-port
conn_wait c7
check_eq "by port: it succeeds" "$CONN" "ok 1 refused 0 timeout 0 other 0"
conn_now 10.99.0.3 1 10000
check_eq "by port: another address on the port passes" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
check "... without an ask" ui_none A ask 300
check_eq "by port: rule file operator" "$(jget \
    "$(cat "$T_TMP/rules/allow-port.json")" operator.type \
    operator.list.0.operand operator.list.0.data operator.list.1.operand \
    | tr '\n' ' ')" "list dest.port 8080 protocol "
ui_close A
prompt_done
