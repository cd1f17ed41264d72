#!/bin/bash
# SECURITY.md A.6, D.38, E.43: rule files built to hurt or to sneak a
# rule in.  A symlink to a rule outside the directory, a FIFO, a file
# over 1 MiB, JSON nested 100000 deep, bytes that are not UTF-8 outside
# a string, a name with NUL, a name of 10 kB: each is refused with a
# message naming the file, at start and when it appears later, and
# nothing blocks.  The rules in force stay in force (a good rule keeps
# allowing its port, a rule updated into a broken file keeps its old
# version, a big but valid file of 600 KiB loads), and no refused rule
# decides anything (their ports stay denied).  Names with "../", "/" or
# a newline load as names (OpenSnitch does too) and no file appears
# outside the directory; a newline in a file name cannot forge a line in
# the log.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
R=$T_TMP/rules
OUT=$T_TMP/outside
mkdir -p "$OUT"

# allow_json NAME PORT: an allow rule for one port.
allow_json() { rule_json "$1" allow "$(op_json simple dest.port "$2")"; }

attack_rule_port good allow 8080
attack_rule_port updated allow 8081
# A rule outside the directory, reached through a symlink.
allow_json evil 9001 >"$OUT/evil.json"
ln -s "$OUT/evil.json" "$R/link.json"
mkfifo "$R/fifo.json"
python3 - "$R" <<'PY'
import json, sys
r = sys.argv[1]
def rule(name, port, **extra):
    d = {"name": name, "action": "allow", "duration": "always",
         "enabled": True, "operator": {"type": "simple",
         "operand": "dest.port", "data": str(port)}}
    d.update(extra)
    return json.dumps(d)
open(r + "/huge.json", "w").write(rule("huge", 9002,
    description="x" * (1024 * 1024)))
open(r + "/big.json", "w").write(rule("big", 8082,
    description="x" * (600 * 1024)))
open(r + "/deep.json", "w").write('{"name":"deep","operator":' +
    "[" * 100000 + "]" * 100000 + "}")
open(r + "/binary.json", "wb").write(b"\xff\xfe" +
    rule("binary", 9003).encode())
open(r + "/nul.json", "w").write(rule("a\u0000b", 9004))
open(r + "/long.json", "w").write(rule("n" * 10240, 9005))
open(r + "/trav.json", "w").write(rule("../../../etc/evil", 9006))
open(r + "/slash.json", "w").write(rule("/etc/passwd", 9007))
open(r + "/newline.json", "w").write(rule("a\nb", 9008))
open(r + "/forge\nlost child: ruled (pid 1) killed by signal 9.json",
     "w").write("{")
PY
chown -R _tattle:_tattle "$R"
ls -A "$R" | sort >"$T_TMP/files.before"

# start_tattled's ceiling (30 s) is what a FIFO or a huge file holding
# it up would meet; how fast it starts is bench/'s business.
check "tattled starts (no FIFO or huge file holds it up)" start_tattled
probe_bg listen 127.0.0.1 8080 8081 8082 9001 9002 9003 9004 9005 9006 9007 9008 || fail "the test listener"

refused() {
	# refused FILE PATTERN: the log names the file and why
	check "$1 refused: $2" grep -q "$1.*$2" "$LOG"
}
refused link.json "symbolic link: refused"
refused fifo.json "not a regular file: refused"
refused huge.json "too large: refused"
refused deep.json "nested too deeply"
refused binary.json "invalid JSON"
refused nul.json "NUL character"
refused long.json "longer than 4096 bytes"
check "a newline in a file name forges no log line" \
    sh -c "! grep -q '^lost child: ruled (pid 1)' '$LOG'"

check_probe "the good rule is in force" ok connect 127.0.0.1 8080 1
check_probe "a big (600 KiB) but valid rule file loads and decides" ok \
    connect 127.0.0.1 8082 1
for p in 9001 9002 9003 9004 9005; do
	check_probe "port $p of a refused rule: denied" timeout \
	    connect 127.0.0.1 "$p" 1
done
# Names are names: they load, and decide, but never become paths.
check_probe "a rule named ../../../etc/evil loads as a name" ok \
    connect 127.0.0.1 9006 1
check_probe "a rule named a<newline>b loads as a name" ok \
    connect 127.0.0.1 9008 1

# While running: an update into a broken file keeps the old version.
printf '{"name":"updated","action":' >"$R/.tmp"
chown _tattle "$R/.tmp"
mv "$R/.tmp" "$R/updated.json"
check "a broken update is refused, the old rule kept" \
    wait_log "updated.json.*stays in force\|updated.json.*invalid JSON" 3000
check_probe "the old version still allows" ok connect 127.0.0.1 8081 1
# A FIFO and a symlink renamed in while running: refused, no hang.
mkfifo "$T_TMP/fifo2"
mv "$T_TMP/fifo2" "$R/fifo2.json"
ln -s "$OUT/evil.json" "$T_TMP/link2"
mv "$T_TMP/link2" "$R/link2.json"
check "a FIFO renamed in: refused" \
    wait_log "fifo2.json: is not a regular file" 3000
check "a symlink renamed in: refused" \
    wait_log "link2.json: is a symbolic link" 3000
check_probe "the symlinked rule decides nothing" timeout \
    connect 127.0.0.1 9001 1
check_probe "tattled still decides (the good rule)" ok \
    connect 127.0.0.1 8080 1

check "every process survived" alive
# Where the names would lead if a name ever became a path.
for f in /etc/evil.json /etc/passwd.json "$T_TMP/etc/evil.json"; do
	check "no $f" test ! -e "$f"
done
# tattled wrote nothing there: only what this test put in.
printf 'fifo2.json\nlink2.json\n' | sort -m - "$T_TMP/files.before" \
    >"$T_TMP/files.want"
check "nothing but this test's files in the rules dir" \
    cmp -s "$T_TMP/files.want" <(ls -A "$R" | sort)
done_test
