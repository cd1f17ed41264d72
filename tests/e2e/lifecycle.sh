#!/bin/bash
# kill -9 of any child stops tattled within 200 ms with a non-zero status
# and a line naming the child; SIGTERM and SIGINT stop it with status 0
# and leave no tattle process behind.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
setup

for role in attributord ruled promptd; do
	start_tattled || { fail "$role: start"; continue; }
	pid=$(child_pid $role)
	all="$TPID $(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
	T0=$(now_ms)
	kill -KILL "$pid"
	wait_exit 2000
	check_eq "kill -9 $role: exit status" "$EXIT_STATUS" 1
	check "kill -9 $role: exited within 200 ms (took $EXIT_MS ms)" \
	    [ "$EXIT_MS" -le 200 ]
	check "kill -9 $role: log names it" grep -q \
	    "lost child: $role (pid $pid) killed by signal 9" "$LOG"
	sleep 0.2
	left=0
	for k in $all; do
		kill -0 "$k" 2>/dev/null && left=$((left + 1))
	done
	check_eq "kill -9 $role: tattle processes left" "$left" 0
done

for sig in TERM INT; do
	start_tattled || { fail "SIG$sig: start"; continue; }
	kids="$(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
	T0=$(now_ms)
	kill -$sig "$TPID"
	wait_exit 3000
	check_eq "SIG$sig: exit status" "$EXIT_STATUS" 0
	check "SIG$sig: clean stop logged" grep -q "tattle stopped$" "$LOG"
	left=0
	for k in $kids; do
		kill -0 "$k" 2>/dev/null && left=$((left + 1))
	done
	check_eq "SIG$sig: children left" "$left" 0
done

# Ctrl-C in tattled's terminal signals its whole process group: a clean
# stop too, not a child "lost" to SIGINT.  (set -m: tattled leads a
# process group of its own, as a shell's foreground job does.)
set -m
start_tattled && {
	kids="$(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
	set +m
	T0=$(now_ms)
	kill -INT -- "-$TPID"
	wait_exit 3000
	check_eq "SIGINT to the process group: exit status" "$EXIT_STATUS" 0
	check "SIGINT to the process group: clean stop logged" \
	    grep -q "tattle stopped$" "$LOG"
	check "SIGINT to the process group: no child lost" \
	    sh -c '! grep -q "lost child" "$1"' sh "$LOG"
	left=0
	for k in $kids; do
		kill -0 "$k" 2>/dev/null && left=$((left + 1))
	done
	check_eq "SIGINT to the process group: children left" "$left" 0
} || fail "SIGINT to the process group: start"
set +m

# A child that breaks the protocol is as fatal as one that dies.
for role in attributord ruled promptd; do
	export TATTLE_TEST_HOOK=$role:badmsg
	start_tattled || { fail "$role badmsg: start"; continue; }
	kill -USR2 "$TPID"
	T0=$(now_ms)
	wait_exit 2000
	check_eq "$role breaks the protocol: exit status" "$EXIT_STATUS" 1
	check "$role breaks the protocol: log names it" grep -q \
	    "protocol violation from $role (pid [0-9]*): length field" "$LOG"
done
unset TATTLE_TEST_HOOK
done_test
