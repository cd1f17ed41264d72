#!/bin/bash
# Rule files change while tattled runs: a file added, replaced by a
# rename over it (an editor's save), edited in place (truncated, then
# written), broken (invalid JSON), deleted, moved in and moved out.
# Each change decides the very next connection; a file that no longer
# parses keeps its old rule, and the log names the file and the reason.
# The verdict changes at every step (the default action is deny), so a
# change that was not seen cannot pass for one that was.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
pp_setup
serve_in "$NS" 7100
pp_config '"DefaultAction": "deny"'
start_tattled || { fail "start"; done_test; }
R=$T_TMP/rules

# next WHAT VERDICT: the next connection, TCP and UDP, IPv4 and IPv6.
next() {
	local t
	probe tcp,127.0.0.1,7100 udp,127.0.0.1,7100 tcp,::1,7100 udp,::1,7100
	for t in tcp,127.0.0.1,7100 udp,127.0.0.1,7100 tcp,::1,7100 \
	    udp,::1,7100; do
		expect "$1" $t "$2"
	done
}

next "no rule file" deny

rule r.json r allow "$(op dest.port 7100)"
next "file added" allow

rule "$R/.r.json.tmp" r reject "$(op dest.port 7100)"
mv "$R/.r.json.tmp" "$R/r.json"
next "replaced by rename-over" reject

: > "$R/r.json"
next "truncated (empty, refused): the old rule stays" reject
rule "$T_TMP/new.json" r allow "$(op dest.port 7100)"
cat "$T_TMP/new.json" >> "$R/r.json"
next "then written in place" allow

printf '{"name": "r", "action": "reject", "operator": {\n' > "$R/r.json"
next "broken edit: the old rule stays" allow
check "the log names the broken file and why" grep -q \
    "rule file r.json: .*JSON\|rule file r.json: .*json" "$LOG"
grep "rule file r.json" "$LOG" | sed 's/^/    /'

rm "$R/r.json"
next "deleted" deny

rule "$T_TMP/r2.json" r2 reject "$(op dest.port 7100)"
mv "$T_TMP/r2.json" "$R/r2.json"
next "moved in" reject
mv "$R/r2.json" "$T_TMP/r2.json"
next "moved out" deny

check "tattled still runs" kill -0 "$TPID"
stop_tattled
host_ruleset_check
done_test
