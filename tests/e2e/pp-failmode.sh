#!/bin/bash
# What happens to the namespace when tattled is gone.  kill -9 with the
# default fail mode (closed): the table stays, new connections get
# nothing, established ones carry on.  kill -9 with "FailMode": "open":
# new connections pass.  SIGTERM: the table is removed and everything
# passes.  A restart after a crash replaces the stale table.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
pp_setup
serve_in "$NS" 7300 7301
NEW="tcp,127.0.0.1,7300 udp,127.0.0.1,7300 tcp,::1,7300 udp,::1,7300"

# An established connection, held by pp-net hold as a coprocess.
hold_open() {
	local line=""
	coproc HOLD { in_ns "$PPNET" hold "$1"; }
	read -t 3 -r line <&"${HOLD[0]}"
	check_eq "$2: an established connection to $1" "$line" connected
}

hold_echo() {
	local line=""
	echo ping >&"${HOLD[1]}"
	read -t 3 -r line <&"${HOLD[0]}"
	check_eq "$1: the established connection still carries data" \
	    "$line" "echo ok"
}

hold_close() {
	local pid=$HOLD_PID
	eval "exec ${HOLD[1]}>&-"
	wait "$pid" 2>/dev/null
}

# kill9 WHAT: kill -9 of tattled; its children follow it.
kill9() {
	local kids k i=0 left=1
	kids="$(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
	kill -KILL "$TPID"
	T0=$(now_ms)
	wait_exit 2000 2>/dev/null
	check_eq "$1: tattled killed" "$EXIT_STATUS" 137
	while [ $i -lt 200 ] && [ $left -gt 0 ]; do
		left=0
		for k in $kids; do
			kill -0 "$k" 2>/dev/null && left=$((left + 1))
		done
		[ $left -gt 0 ] && sleep 0.01
		i=$((i + 1))
	done
	check_eq "$1: its children are gone too" "$left" 0
}

expect_all() {
	local t
	for t in $NEW; do
		expect "$1" "$t" "$2"
	done
}

# Fail closed (the default).
pp_config '"DefaultAction": "allow"'
start_tattled || { fail "closed: start"; done_test; }
check "closed: the log names the fail mode" grep -q \
    "started: fail mode closed" "$LOG"
hold_open tcp,127.0.0.1,7301 closed
# shellcheck disable=SC2086
probe $NEW
expect_all "closed, tattled running: new connections" allow
kill9 closed
check "closed, after kill -9: the table stays" fw_table_present
# shellcheck disable=SC2086
probe $NEW
expect_all "closed, after kill -9: new connections get nothing" deny
hold_echo "closed, after kill -9"
hold_close

# A restart replaces the table the crash left.
start_tattled || { fail "restart: start"; done_test; }
check "restart: the stale table is replaced" grep -q \
    "replaced the table inet tattle already there" "$LOG"
# shellcheck disable=SC2086
probe $NEW
expect_all "restart: new connections" allow
stop_tattled

# Fail open: tattled guards (default deny, only the held port allowed);
# once it is killed, new connections pass.
pp_config '"DefaultAction": "deny", "FailMode": "open"'
rule hold.json hold allow "$(op dest.port 7301)"
start_tattled || { fail "open: start"; done_test; }
check "open: the log names the fail mode" grep -q \
    "started: fail mode open" "$LOG"
hold_open tcp,::1,7301 open
# shellcheck disable=SC2086
probe $NEW
expect_all "open, tattled running: new connections" deny
kill9 open
check "open, after kill -9: the table stays (with bypass)" \
    fw_table_present
# shellcheck disable=SC2086
probe $NEW
expect_all "open, after kill -9: new connections" allow
hold_echo "open, after kill -9"
hold_close

# SIGTERM: the table goes, everything passes.
pp_config '"DefaultAction": "deny"'
start_tattled || { fail "SIGTERM: start"; done_test; }
hold_open tcp,127.0.0.1,7301 SIGTERM
# shellcheck disable=SC2086
probe $NEW
expect_all "SIGTERM, tattled running: new connections" deny
stop_tattled
check_eq "SIGTERM: no table left in the namespace" \
    "$(in_ns nft list tables 2>&1)" ""
# shellcheck disable=SC2086
probe $NEW
expect_all "SIGTERM, after: new connections" allow
hold_echo "SIGTERM, after"
hold_close

host_ruleset_check
done_test
