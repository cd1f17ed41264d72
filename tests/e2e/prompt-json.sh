#!/bin/bash
# Names that are not UTF-8 in what tattle writes as JSON: a program
# whose path has the byte 0xff (its events), a rule file whose name has
# it (`tattle eval`'s load_errors) and a rule name given with it
# (`tattle rules delete`'s request).  Every line printed must be valid
# JSON, strict UTF-8, with the bad byte written as \ufffd
# (common/jsonw.h); a name sent to the daemon must reach it as a JSON
# string it can parse.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"reject"}'
prompt_start || { fail "start"; done_test; }
T() { "$TATTLE" "$1" --socket "$UISOCK" "${@:2}"; }
BAD=$'\xff'

# json_lines: stdin is one or more lines, each a JSON value, all of it
# UTF-8 (python's decoder is strict; jq would mend bad bytes silently).
json_lines() {
	python3 -c '
import json, sys
text = sys.stdin.buffer.read().decode("utf-8")
lines = [l for l in text.split("\n") if l != ""]
for l in lines:
    json.loads(l)
sys.exit(0 if lines else 1)'
}

# event_path IP: the process path of the last event to IP, from
# `tattle events --json` on stdin.
event_path() {
	python3 -c '
import json, sys
path = None
for l in sys.stdin.buffer.read().decode("utf-8").split("\n"):
    if l == "":
        continue
    e = json.loads(l)
    c = e.get("conn", {})
    if c.get("dst_ip") == sys.argv[1] and c.get("process"):
        path = c["process"].get("path")
print(path if path is not None else "(none)")' "$1"
}

# A copy of the test client under a name with 0xff, connecting from
# inside the namespace: its event carries that path.
mkdir "$T_TMP/bin"
chmod 755 "$T_TMP/bin"
cp "$PUI" "$T_TMP/bin/pui-$BAD"
CONN=$(ip netns exec "$NS" "$T_TMP/bin/pui-$BAD" conn 10.99.0.2 "$PORT" 1 \
    3000 2>&1)
check_eq "the program named with 0xff connects, refused by default" \
    "$CONN" "ok 0 refused 1 timeout 0 other 0"
# ruled sends the verdict first, the event after: it may lag a little.
for i in $(seq 1 50); do
	out=$(T events --json)
	grep -q '"dst_ip":"10.99.0.2"' <<<"$out" && break
	nap 0.1
done
check "events --json: the event is there" grep -q '"dst_ip":"10.99.0.2"' \
    <<<"$out"
check "events --json: every line is valid JSON" json_lines <<<"$out"
json_lines <<<"$out" 2>/dev/null || printf '%s\n' "$out" | cat -v |
    sed 's/^/    /'
check_eq "events --json: the path, 0xff as U+FFFD" \
    "$(event_path 10.99.0.2 <<<"$out" 2>&1)" "$T_TMP/bin/pui-"$'\uFFFD'

# tattle eval: a rule file named with 0xff that does not load.
mkdir "$T_TMP/eval"
printf '{"name": "a", "enabled": true, "action": "allow", "duration": '\
'"always", "operator": {"type": "simple", "operand": "dest.port", '\
'"data": "22"}}' > "$T_TMP/eval/a.json"
printf '{"name": "b"' > "$T_TMP/eval/b-$BAD.json"
printf '{"dest.port":22,"dest.ip":"10.0.0.1"}' > "$T_TMP/c.json"
out=$("$TATTLE" eval --rules-dir "$T_TMP/eval" "$T_TMP/c.json" 2>/dev/null)
check_eq "eval: exit 0" "$?" 0
check "eval: its output is valid JSON" json_lines <<<"$out"
json_lines <<<"$out" 2>/dev/null || printf '%s\n' "$out" | cat -v |
    sed 's/^/    /'
check_eq "eval: the file that did not load, 0xff as U+FFFD" "$out" \
    '{"action":"allow","rule":"a","load_errors":["b-\ufffd.json"]}'

# tattle rules delete: the name goes to promptd as JSON it can parse;
# no rule has that name.
out=$(T rules delete "x$BAD" 2>&1)
check_eq "rules delete of a name with 0xff: exit 4 (no such rule)" "$?" 4
check "... saying so" grep -q "no such rule (not-found)" <<<"$out"
grep -q "no such rule (not-found)" <<<"$out" ||
    printf '%s\n' "$out" | cat -v | sed 's/^/    /'
prompt_done
