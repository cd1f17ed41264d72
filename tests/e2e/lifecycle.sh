#!/bin/bash
# kill -9 of any child stops tattled with a non-zero status and a line
# naming the child (waited for with a generous ceiling: how fast is
# bench/'s business, not a test's); SIGTERM and SIGINT stop it with
# status 0 and leave no tattle process behind; a child that breaks the
# protocol (a malformed message, a second HELLO) or gets a second
# MSG_CONFIG stops it too.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
setup

# alive_count PID...: how many of them still run.
alive_count() {
	local k n=0
	for k in "$@"; do
		kill -0 "$k" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}

for role in attributord ruled promptd; do
	start_tattled || { fail "$role: start"; continue; }
	pid=$(child_pid $role)
	all="$TPID $(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
	T0=$(now_ms)
	kill -KILL "$pid"
	wait_exit 10000
	check_eq "kill -9 $role: exit status (after $EXIT_MS ms)" \
	    "$EXIT_STATUS" 1
	check "kill -9 $role: log names it" grep -q \
	    "lost child: $role (pid $pid) killed by signal 9" "$LOG"
	sleep 0.2
	check_eq "kill -9 $role: tattle processes left" "$(alive_count $all)" 0
done

# SIGTERM and SIGINT to tattled, then SIGINT to its whole process group,
# as Ctrl-C in its terminal sends it: each a clean stop, no child "lost"
# to the signal.  (set -m: tattled leads a process group of its own, as a
# shell's foreground job does.)
for how in TERM INT group; do
	case $how in
	group) what="SIGINT to the process group"; set -m ;;
	*) what="SIG$how" ;;
	esac
	start_tattled || { fail "$what: start"; set +m; continue; }
	set +m
	kids="$(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
	T0=$(now_ms)
	case $how in
	group) kill -INT -- "-$TPID" ;;
	*) kill -$how "$TPID" ;;
	esac
	wait_exit 3000
	check_eq "$what: exit status" "$EXIT_STATUS" 0
	check "$what: clean stop logged" grep -q "tattle stopped$" "$LOG"
	check "$what: no child lost" \
	    sh -c '! grep -q "lost child" "$1"' sh "$LOG"
	check_eq "$what: children left" "$(alive_count $kids)" 0
done

# A child stopped and continued (SIGSTOP, SIGCONT: a debugger, a job
# control slip) has not ended: tattled and every child go on, and answer.
start_tattled || fail "stop/continue: start"
for role in attributord ruled promptd; do
	pid=$(child_pid $role)
	kill -STOP "$pid"
	nap 0.3
	kill -CONT "$pid"
	nap 0.3
	check "SIGSTOP, SIGCONT to $role: it still runs" kill -0 "$pid"
	check "SIGSTOP, SIGCONT to $role: tattled still runs" kill -0 "$TPID"
done
kill -USR1 "$TPID"
for role in attributord ruled promptd; do
	check "after stop/continue: $role answers a ping" wait_log \
	    "ping: $role answered" 10000
done
check "after stop/continue: no child lost" \
    sh -c '! grep -q "lost child\|stopped after an error" "$1"' sh "$LOG"
kill -TERM "$TPID"
wait_exit 3000
check_eq "after stop/continue: a clean stop" "$EXIT_STATUS" 0

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

# A message that comes once per channel (the catalogue's RX_ONCE), sent
# again: packetd stops when a child sends a second HELLO; a child ends
# when packetd sends it a second MSG_CONFIG, and tattled with it.
for role in attributord ruled promptd; do
	export TATTLE_TEST_HOOK=$role:hello2
	start_tattled || { fail "$role hello2: start"; continue; }
	kill -USR2 "$TPID"
	T0=$(now_ms)
	wait_exit 10000
	check_eq "$role sends a second HELLO: exit status" "$EXIT_STATUS" 1
	check "$role sends a second HELLO: log names it" grep -q \
	    "protocol violation from $role (pid [0-9]*): second MSG_HELLO" \
	    "$LOG"
	export TATTLE_TEST_HOOK=$role:config2
	start_tattled || { fail "$role config2: start"; continue; }
	pid=$(child_pid $role)
	kill -USR2 "$TPID"
	T0=$(now_ms)
	wait_exit 10000
	check_eq "$role gets a second MSG_CONFIG: exit status" \
	    "$EXIT_STATUS" 1
	check "$role gets a second MSG_CONFIG: its log line says why" \
	    grep -q "$role: protocol violation from packetd: MSG_CONFIG: \
second MSG_CONFIG (it comes once)" "$LOG"
	check "$role gets a second MSG_CONFIG: tattled names it" grep -q \
	    "lost child: $role (pid $pid) exited with status 1" "$LOG"
done
unset TATTLE_TEST_HOOK
done_test
