#!/bin/bash
# tattled refuses to start, with a message naming the problem and the
# fix, when a user is missing, the configuration is broken, the UI
# socket's directory is not root's alone, or a child never says HELLO.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
setup

run_tattled() {
	# run_tattled: in the foreground, status in RC, output in $LOG
	timeout 20 "$TATTLED" -f -c "$T_TMP/config.json" -r "$T_TMP/rules" \
	    -s "$UISOCK" --netns "$NS" "$@" >"$LOG" 2>&1
	RC=$?
}

# A missing user: named, with the fix.
TATTLE_TEST_USER_PREFIX=_tattle_no_such run_tattled
check_eq "missing user: exit status" "$RC" 1
check "missing user: named" grep -q "user _tattle_no_such_rule does not exist" "$LOG"
check "missing user: the fix" grep -q "systemd-sysusers" "$LOG"

# A broken configuration: file and key named; -n says the same.
printf '{"DefaultAction": "drop"}' > "$T_TMP/config.json"
run_tattled
check_eq "bad config: exit status" "$RC" 1
check "bad config: key and reason" grep -q \
    "config.json: DefaultAction: \"drop\" is not allow, deny or reject" "$LOG"
"$TATTLED" -n -c "$T_TMP/config.json" -r "$T_TMP/rules" >"$LOG" 2>&1
check_eq "bad config with -n: exit status" "$?" 1
printf '{"DefaultAction": "deny"}' > "$T_TMP/config.json"
"$TATTLED" -n -c "$T_TMP/config.json" -r "$T_TMP/rules" >"$LOG" 2>&1
check_eq "good config with -n: exit status" "$?" 0
# -n loads every rule as ruled would: a broken one is named, and fails.
printf '{"name":"lan","enabled":true,"action":"allow","operator":{"type":"network","operand":"dest.network","data":"10.0.0/8"}}' \
    > "$T_TMP/rules/0001.json"
printf '{"name":"web","enabled":true,"action":"allow","operator":{"type":"simple","operand":"dest.port","data":"80"}}' \
    > "$T_TMP/rules/0002.json"
"$TATTLED" -n -c "$T_TMP/config.json" -r "$T_TMP/rules" >"$LOG" 2>&1
check_eq "a broken rule with -n: exit status" "$?" 1
check "a broken rule with -n: file, field and reason" grep -q \
    '0001.json (rule "lan"): operator.data: invalid CIDR "10.0.0/8"' "$LOG"
check "a broken rule with -n: the other rule loads" grep -q \
    "1 rules loaded from $T_TMP/rules, 1 refused" "$LOG"
rm -f "$T_TMP/rules/0001.json" "$T_TMP/rules/0002.json"
"$TATTLED" -n -c "$T_TMP/nonexistent.json" >"$LOG" 2>&1
check_eq "missing config with -n: exit status" "$?" 1
check "missing config: named" grep -q "nonexistent.json" "$LOG"

# A missing rules directory.
run_tattled -r "$T_TMP/no-rules"
check_eq "missing rules dir: exit status" "$RC" 1
check "missing rules dir: named" grep -q "rules directory $T_TMP/no-rules" "$LOG"

# The UI socket's directory owned by someone else, or writable by all.
mkdir -p "$T_TMP/squat"
chown nobody "$T_TMP/squat"
UISOCK=$T_TMP/squat/ui.sock run_tattled
check_eq "squatted socket dir: exit status" "$RC" 1
check "squatted socket dir: refused" grep -q "refusing UI socket directory" "$LOG"
chown root "$T_TMP/squat"
chmod 1777 "$T_TMP/squat"
UISOCK=$T_TMP/squat/ui.sock run_tattled
check_eq "world-writable socket dir: exit status" "$RC" 1
check "world-writable socket dir: refused" grep -q "refusing UI socket directory" "$LOG"
# A symlink in place of the directory, and a file in place of the socket.
ln -s "$T_TMP/run" "$T_TMP/link"
UISOCK=$T_TMP/link/ui.sock run_tattled
check_eq "symlinked socket dir: exit status" "$RC" 1
touch "$T_TMP/run/ui.sock"
run_tattled
check_eq "a file at the socket path: exit status" "$RC" 1
check "a file at the socket path: refused" grep -q "is not a socket" "$LOG"
rm -f "$T_TMP/run/ui.sock"

# A child that never says HELLO: packetd gives up and says which.
mkdir -p "$T_TMP/libexec"
for r in attributord promptd; do
	ln -s "$top_builddir/tattle-$r" "$T_TMP/libexec/tattle-$r"
done
printf '#!/bin/sh\necho $$ > %s/silent.pid\nexec sleep 30\n' "$T_TMP" \
    > "$T_TMP/libexec/tattle-ruled"
chmod 755 "$T_TMP/libexec/tattle-ruled"
TATTLE_TEST_LIBEXECDIR=$T_TMP/libexec TATTLE_TEST_HELLO_TIMEOUT_MS=500 \
    run_tattled
check_eq "silent child: exit status" "$RC" 1
check "silent child: named" grep -q "ruled did not say HELLO within 500 ms" "$LOG"
sleep 0.2
check "silent child: it was started" test -s "$T_TMP/silent.pid"
check "silent child: nothing left running" \
    sh -c "! kill -0 $(cat "$T_TMP/silent.pid") 2>/dev/null"
done_test
