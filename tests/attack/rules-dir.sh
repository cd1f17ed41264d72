#!/bin/bash
# SECURITY.md E.43 and the rules directory replaced while running: rules
# and block lists come only from directories and files that root or
# tattled's own user alone can change.  A world-writable rules directory
# is refused whole (tattled runs, every connection gets the default
# action), so is one of another owner; a rule file another user owns or
# can write is refused; a block-list directory anyone can write loads
# nothing and says so.  A rules directory made writable while running
# takes no new file and loses no rule; one replaced by a symlink while
# running changes nothing: tattled keeps the directory it opened.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
R=$T_TMP/rules
attack_rule_port good allow 8080

stop() {
	kill -TERM "$TPID" 2>/dev/null
	T0=$(now_ms)
	wait_exit 3000
}

# 1. The rules directory itself.
chmod 0777 "$R"
check "world-writable rules dir: tattled runs" start_tattled
check "world-writable rules dir: refused, named" \
    grep -q "rules directory $R is writable by everyone" "$LOG"
probe_bg listen 0.0.0.0 8080 8081 8082 8083 8084 8085 9001 || fail "the test listener"
check_probe "world-writable rules dir: its rules decide nothing" timeout \
    connect 127.0.0.1 8080 1
stop
chmod 0755 "$R"
chown nobody "$R"
check "rules dir of another owner: tattled runs" start_tattled
check "rules dir of another owner: refused" \
    grep -q "rules directory $R belongs to uid 65534" "$LOG"
check_probe "rules dir of another owner: its rules decide nothing" \
    timeout connect 127.0.0.1 8080 1
stop
chown _tattle "$R"

# 2. Rule files.
attack_rule_port others-file allow 8081
chown nobody "$R/others-file.json"
attack_rule_port mode-666 allow 8082
chmod 0666 "$R/mode-666.json"
attack_rule_port group-users allow 8083
chgrp users "$R/group-users.json"
chmod 0664 "$R/group-users.json"
attack_rule_port group-tattle allow 8084
chmod 0664 "$R/group-tattle.json"
check "tattled starts" start_tattled
check_probe "the good rule decides" ok connect 127.0.0.1 8080 1
check "a file of another owner: refused" \
    grep -q "others-file.json: belongs to uid 65534" "$LOG"
check_probe "a file of another owner decides nothing" timeout \
    connect 127.0.0.1 8081 1
check "a file anyone can write: refused" \
    grep -q "mode-666.json: is writable by everyone" "$LOG"
check_probe "a file anyone can write decides nothing" timeout \
    connect 127.0.0.1 8082 1
check "a file another group can write: refused" \
    grep -q "group-users.json: is writable by group" "$LOG"
check_probe "a file another group can write decides nothing" timeout \
    connect 127.0.0.1 8083 1
check_probe "group-writable by tattled's own group: loads" ok \
    connect 127.0.0.1 8084 1

# 3. Made world-writable while running: nothing comes or goes.
chmod 0777 "$R"
rule_json evil allow "$(op_json simple true "")" |
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
    sh -c "cat > $R/evil.json"
rm -f "$R/good.json"
check "a world-writable rules dir while running: refused" \
    wait_log "rules directory $R is writable by everyone" 3000
check_probe "a rule dropped in by another user decides nothing" timeout \
    connect 127.0.0.1 9001 1
check_probe "a rule removed meanwhile stays in force" ok \
    connect 127.0.0.1 8080 1
chmod 0755 "$R"
attack_rule_port good allow 8080

# 4. Replaced by a symlink to a directory full of rules while running.
EVIL=$T_TMP/evil
mkdir -p "$EVIL"
rule_json allow-9001 allow "$(op_json simple dest.port 9001)" \
    >"$EVIL/allow-9001.json"
chown -R _tattle:_tattle "$EVIL"
mv "$R" "$T_TMP/rules.old"
ln -s "$EVIL" "$R"
check "the move is seen and logged" \
    wait_log "rules directory $R was moved or removed" 3000
cp "$EVIL/allow-9001.json" "$EVIL/allow-9001-again.json"
sleep 0.3
check_probe "the symlinked directory's rules decide nothing" timeout \
    connect 127.0.0.1 9001 1
check_probe "the rules in force stay" ok connect 127.0.0.1 8080 1
check "every process survived" alive
stop
rm -f "$R"
mv "$T_TMP/rules.old" "$R"

# 5. Block lists: a directory anyone can write loads nothing.
mkdir -p "$T_TMP/lists-ok" "$T_TMP/lists-ww"
echo 127.0.0.2 >"$T_TMP/lists-ok/ips.txt"
echo 127.0.0.3 >"$T_TMP/lists-ww/ips.txt"
chmod 0777 "$T_TMP/lists-ww"
printf '{"DefaultAction":"deny","InterceptUnknown":true,%s}\n' \
    "\"ListsRoots\":[\"$T_TMP/lists-ok\",\"$T_TMP/lists-ww\"]" \
    >"$T_TMP/config.json"
for l in ok ww; do
	attack_rule "list-$l" allow \
	    "$(op_json lists lists.ips "$T_TMP/lists-$l")"
done
check "tattled starts with two lists" start_tattled
check_probe "a list in a safe directory decides" ok \
    connect 127.0.0.2 8085 1
check "a list directory anyone can write: refused, named" \
    grep -q "lists directory $T_TMP/lists-ww: is writable by everyone" "$LOG"
check_probe "a list directory anyone can write decides nothing" timeout \
    connect 127.0.0.3 8085 1
done_test
