#!/bin/bash
# A rule file with "duration": "30s" is in force from the moment it is
# loaded until 30 s later, then gone (the file stays), while an "always"
# rule beside it stays.  ruled's clock runs SCALE times faster
# (TATTLE_TEST_TIME_SCALE, test builds), so 30 s pass in 30/SCALE s; the
# test never sleeps 30 s.  The edges are checked, not just "eventually":
# shortly before the deadline the rule still allows, and the first
# connection a little after it gets the default action.  The second edge
# is an order (ruled expires rules before it decides); the first needs
# the probe to reach ruled within the margin, a generous one, and a
# probe that ended past the deadline is said to have (the machine was
# slower than the margin, not the rule shorter).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
if ! grep -q 'define TATTLE_TEST_HOOKS 1' "$top_builddir/config.h"; then
	say "FAIL: needs a build configured with --enable-test-hooks"
	exit 1
fi
SCALE=10
LIFE_MS=$((30000 / SCALE))
MARGIN_MS=1000
pp_setup
serve_in "$NS" 7200 7201
pp_config '"DefaultAction": "reject"'
rule tmp.json tmp allow "$(op dest.port 7200)" 30s
rule keep.json keep allow "$(op dest.port 7201)" always
export TATTLE_TEST_TIME_SCALE=$SCALE

# sleep_until MS: until now_ms reaches MS (waiting for the clock to move
# is what this test is about: there is nothing to poll).
sleep_until() {
	local d=$(($1 - $(now_ms)))
	[ $d -gt 0 ] && sleep "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))"
	return 0
}

# The rule is loaded between these two instants.
t_before=$(now_ms)
start_tattled || { fail "start"; done_test; }
t_after=$(now_ms)
say "rule loaded within $((t_after - t_before)) ms; it lives $LIFE_MS ms"

probe tcp,127.0.0.1,7200 udp,::1,7200 tcp,127.0.0.1,7201
expect "30s rule in force at start" tcp,127.0.0.1,7200 allow
expect "30s rule in force at start" udp,::1,7200 allow
expect "always rule in force" tcp,127.0.0.1,7201 allow

sleep_until $((t_before + LIFE_MS - MARGIN_MS))
probe tcp,127.0.0.1,7200 udp,::1,7200
t_probed=$(now_ms)
expect "30s rule in force $MARGIN_MS ms before its end" \
    tcp,127.0.0.1,7200 allow
expect "30s rule in force $MARGIN_MS ms before its end" udp,::1,7200 allow
[ "$t_probed" -lt $((t_before + LIFE_MS)) ] ||
    say "(that probe ended $((t_probed - t_before - LIFE_MS)) ms past" \
    "the rule's earliest end: slower than the $MARGIN_MS ms margin)"

sleep_until $((t_after + LIFE_MS + MARGIN_MS))
probe tcp,127.0.0.1,7200 udp,::1,7200 tcp,::1,7201
expect "30s rule gone $MARGIN_MS ms after its end" tcp,127.0.0.1,7200 \
    reject
expect "30s rule gone $MARGIN_MS ms after its end" udp,::1,7200 reject
expect "always rule still in force" tcp,::1,7201 allow
check "the log says a temporary rule expired" grep -q \
    "ruled: 1 temporary rules expired" "$LOG"
check "the file stays (the rule is gone from memory only)" \
    test -f "$T_TMP/rules/tmp.json"

# How late, if it was: for the report, not a verdict.
if ! grep -q "temporary rules expired" "$LOG"; then
	i=0
	while [ $i -lt 300 ] && ! grep -q "temporary rules expired" "$LOG"; do
		sleep 0.01
		i=$((i + 1))
	done
	say "expiry logged $(($(now_ms) - t_after - LIFE_MS)) ms after" \
	    "the deadline"
fi
stop_tattled
host_ruleset_check
done_test
