#!/bin/bash
# Issue 15 item 6: a UI client must not make root read a directory of
# its choice.  packetd reads the lists directories that `lists` rules
# name; only those under the configured lists roots (ListsRoots) may be
# named.  A rule naming another place is refused at rules.add and at
# load (the file named, the reason given, the other rules in force),
# `tattle check` says so, and packetd never opens it: not through a
# `..`, not through a symlink inside a root.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
TATTLE=$top_builddir/tattle
not_grep() { ! grep -q "$@"; }
# Root's own directory, nobody else may read: what an attacker would
# probe ("is 127.0.0.9 on root's list?").
mkdir -m 0700 "$T_TMP/secret"
echo 127.0.0.9 >"$T_TMP/secret/ips.txt"
mkdir -p "$T_TMP/lists/ok"
echo 127.0.0.2 >"$T_TMP/lists/ok/ips.txt"
ln -s ../secret "$T_TMP/lists/link"
printf '{"DefaultAction":"deny","InterceptUnknown":true,%s}\n' \
    "\"ListsRoots\":[\"$T_TMP/lists\"]" >"$T_TMP/config.json"
attack_rule list-ok deny "$(op_json lists lists.ips "$T_TMP/lists/ok")"
check "tattled starts" start_tattled

# 1. rules.add over the UI socket, naming the secret directory.
rule_json probe-secret deny "$(op_json lists lists.ips "$T_TMP/secret")" \
    >"$T_TMP/add.json"
out=$("$TATTLE" rules --socket "$UISOCK" add "$T_TMP/add.json" 2>&1)
st=$?
say "rules add: $out"
check_eq "rules.add naming a directory outside the roots: refused" "$st" 1
check "... saying why" grep -q "outside the lists roots" <<<"$out"
check "... and no rule file written" test ! -e "$T_TMP/rules/probe-secret.json"
rule_json probe-dots deny \
    "$(op_json lists lists.ips "$T_TMP/lists/../secret")" >"$T_TMP/add.json"
"$TATTLE" rules --socket "$UISOCK" add "$T_TMP/add.json" >/dev/null 2>&1
check_eq "rules.add through ..: refused" "$?" 1
stop_tattled

# 2. The same rules as files in the rules directory (as an older tattle
#    may have written them): skipped at load, named, the rest in force.
attack_rule probe-secret deny "$(op_json lists lists.ips "$T_TMP/secret")"
attack_rule probe-link deny "$(op_json lists lists.ips "$T_TMP/lists/link")"
check "tattled starts with them" start_tattled
check "the rule file naming the secret directory: skipped, named, why" \
    grep -q "probe-secret.json.*outside the lists roots" "$LOG"
check "packetd never read the secret directory" \
    not_grep "lists directory $T_TMP/secret: [0-9]* files" "$LOG"
check "the symlink out of the root: refused, named" \
    grep -q "lists directory $T_TMP/lists/link: .*outside" "$LOG"
check "... and not read" \
    not_grep "lists directory $T_TMP/lists/link: [0-9]* files" "$LOG"
check "the list under the root: read" \
    grep -q "lists directory $T_TMP/lists/ok: 1 files" "$LOG"
check "a listener" probe_bg listen 0.0.0.0 8085
check_probe "the list under the root decides" timeout connect 127.0.0.2 8085 1
check "every process survived" alive
stop_tattled

# 3. tattle check and tattled -n say the same.
out=$("$TATTLE" check --rules-dir "$T_TMP/rules" \
    --config "$T_TMP/config.json" 2>&1)
check "tattle check: the rule naming the secret directory is an error" \
    grep -q "^error: .*probe-secret.json.*outside the lists roots" <<<"$out"
"$TATTLED" -n -c "$T_TMP/config.json" -r "$T_TMP/rules" >"$T_TMP/n.out" 2>&1
check "tattled -n: the same refusal" \
    grep -q "probe-secret.json.*outside the lists roots" "$T_TMP/n.out"
done_test
