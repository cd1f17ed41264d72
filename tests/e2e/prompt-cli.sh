#!/bin/bash
# `tattle rules`, `tattle events` and `tattle stats` against the running
# daemon: what they print (for people and with --json), the changes
# rules makes, and their exit codes (0 done, 1 refused, 2 usage, 3 no
# daemon, 4 no such rule).
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"reject"}'

# No daemon yet.
out=$("$TATTLE" stats --socket "$T_TMP/run/ui.sock" 2>&1)
check_eq "no daemon: exit 3" "$?" 3
check "... saying so" grep -q "tattled is not running" <<<"$out"
"$TATTLE" rules frobnicate >/dev/null 2>&1
check_eq "unknown rules command: exit 2" "$?" 2
"$TATTLE" events -n many >/dev/null 2>&1
check_eq "bad -n: exit 2" "$?" 2
"$TATTLE" stats --help | grep -q "^usage: tattle stats"
check_eq "--help: usage on stdout, exit 0" "${PIPESTATUS[0]}" 0

prompt_start || { fail "start"; done_test; }
T() { "$TATTLE" "$1" --socket "$UISOCK" "${@:2}"; }

# Events from the start are kept: decisions by rule and by default.
conn_now host.test@127.0.0.53 1 3000
check_eq "a connection refused by default" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
# ruled sends the verdict first, the event after: it may lag a little.
for i in $(seq 1 20); do
	out=$(T events --json)
	st=$?
	grep -q '"reason":"default"' <<<"$out" && break
	sleep 0.1
done
check_eq "events: exit 0" "$st" 0
check "events --json: the DNS query, allowed by its rule" grep -q \
    '"verdict":"allow","rule":"000-allow-dns","reason":"rule"' <<<"$out"
want='"verdict":"reject","rule":null,"reason":"default".*'\
'"dst_ip":"10.99.0.1","dst_port":8080,"host":"host.test"'
check "events --json: the connection, refused by default" grep -q "$want" \
    <<<"$out"
grep -q "$want" <<<"$out" || printf '%s\n' "$out" | sed 's/^/    /'

out=$(T events)
want='^20[0-9-]+ [0-9:]+ reject +default +[^ ]*/prompt-ui \(pid [0-9]+, '\
'user root\) -> host.test \(10.99.0.1\) port 8080/tcp$'
check "events: one line each, for people" grep -Eq "$want" <<<"$out"
grep -Eq "$want" <<<"$out" || printf '%s\n' "$out" | sed 's/^/    /'
check_eq "events -n 1: one line" "$(T events -n 1 | wc -l)" 1

# events -f follows.
(close_ui_fds; exec "$TATTLE" events -f --json --socket "$UISOCK") \
    > "$T_TMP/follow.out" 2>&1 &
fpid=$!
BG_PIDS="$BG_PIDS $fpid"
check "events -f: the last events first" wait_file_line \
    "$T_TMP/follow.out" '"type":"event"' 3000
conn_now 10.99.0.3 1 3000
check "events -f: a new decision appears" wait_file_line \
    "$T_TMP/follow.out" '"dst_ip":"10.99.0.3"' 3000
kill "$fpid"

# Rules: add, list, disable, enable, delete.
cat > "$T_TMP/r.json" <<'R'
{"name": "allow-10.99.0.3", "enabled": true, "action": "allow",
 "duration": "always", "description": "from tattle rules add",
 "operator": {"type": "simple", "operand": "dest.ip",
 "data": "10.99.0.3"}}
R
out=$(T rules add "$T_TMP/r.json")
check_eq "rules add: exit 0" "$?" 0
check_eq "rules add: says so" "$out" "added rule allow-10.99.0.3"
check "rules add: the file" wait_file "$T_TMP/rules/allow-10.99.0.3.json" 2000
conn_now 10.99.0.3 1 3000
check_eq "the added rule decides" "$CONN" "ok 1 refused 0 timeout 0 other 0"
out=$(T rules --json)
check_eq "rules --json: names" "$(jget "$out" 0.name 1.name | tr '\n' ' ')" \
    "000-allow-dns allow-10.99.0.3 "
check_eq "rules --json: file, temporary, operator" "$(jget "$out" 1.file \
    1.temporary 1.operator.data | tr '\n' ' ')" \
    "allow-10.99.0.3.json false 10.99.0.3 "
out=$(T rules list)
check "rules list: for people" grep -qx \
    '    dest.ip == 10.99.0.3' <<<"$out"
check "rules list: state, action, duration, file" grep -qx \
    '    enabled allow always, file allow-10.99.0.3.json' <<<"$out"
check_eq "rules disable" "$(T rules disable allow-10.99.0.3)" \
    "disabled rule allow-10.99.0.3"
for i in $(seq 1 100); do
	grep -q '"enabled": false' "$T_TMP/rules/allow-10.99.0.3.json" && break
	sleep 0.02
done
check "rules disable: written to the file" grep -q '"enabled": false' \
    "$T_TMP/rules/allow-10.99.0.3.json"
check "rules list: DISABLED" sh -c "'$TATTLE' rules --socket '$UISOCK' |
    grep -qx '    DISABLED allow always, file allow-10.99.0.3.json'"
conn_now 10.99.0.3 1 3000
check_eq "a disabled rule does not decide" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
check_eq "rules enable" "$(T rules enable allow-10.99.0.3)" \
    "enabled rule allow-10.99.0.3"
check_eq "rules delete" "$(T rules delete allow-10.99.0.3)" \
    "deleted rule allow-10.99.0.3"
check "rules delete: the file goes" gone_file \
    "$T_TMP/rules/allow-10.99.0.3.json" 2000
out=$(T rules delete allow-10.99.0.3 2>&1)
check_eq "rules delete of no rule: exit 4" "$?" 4
check "... saying so" grep -q "no such rule (not-found)" <<<"$out"
echo '{"name": "x", "enabled": true, "action": "allow", "operator":
    {"type": "regexp", "operand": "dest.host", "data": "(("}}' \
    > "$T_TMP/bad.json"
out=$(T rules add "$T_TMP/bad.json" 2>&1)
check_eq "rules add of a bad rule: exit 1" "$?" 1
check "... naming the field" grep -q "operator.data" <<<"$out"
out=$(T rules add - <<<'{"name":"../x","action":"allow"}' 2>&1)
check_eq "rules add from stdin, bad name: exit 1" "$?" 1
check "... bad-name" grep -q "(bad-name)" <<<"$out"

# Statistics.
out=$(T stats --json)
check_eq "stats: exit 0" "$?" 0
check_eq "stats --json: modes" "$(jget "$out" fail_mode default_action \
    intercept_unknown | tr '\n' ' ')" "closed reject false "
check "stats --json: connections counted" [ "$(jget "$out" connections)" \
    -ge 5 ]
check_eq "stats --json: the DNS rule's hits" "$(jget "$out" \
    by_rule.000-allow-dns)" 1
check "stats --json: refused by default" [ "$(jget "$out" \
    by_reason.default)" -ge 3 ]
out=$(T stats)
check "stats: for people" grep -Eq \
    '^connections +[0-9]+ \(allowed [0-9]+, denied 0, rejected [0-9]+\)$' \
    <<<"$out"
check "stats: by rule" grep -Eq '^ +1  000-allow-dns$' <<<"$out"
prompt_done
