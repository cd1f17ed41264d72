#!/bin/bash
# Each child asked (through a test hook) to make a system call its
# allow-list does not have dies by SIGSYS, and packetd then stops with a
# non-zero status naming it.  A --enable-seccomp-debug build reports the
# call instead and the child exits with 128 + SIGSYS.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
setup
T_SECCOMP_EXPECTED=1

for spec in ruled:openat ruled:socket ruled:execve promptd:openat \
    promptd:socket attributord:socket attributord:ptrace \
    attributord:execve; do
	role=${spec%%:*}
	export TATTLE_TEST_HOOK=$spec
	start_tattled || { fail "$spec: start"; continue; }
	kill -USR2 "$TPID"
	T0=$(now_ms)
	wait_exit 3000
	check_eq "$spec: tattled exit status" "$EXIT_STATUS" 1
	if seccomp_debug_build; then
		check "$spec: $role reports the call" grep -q \
		    "$role: seccomp: unexpected system call [0-9]" "$LOG"
		check "$spec: log names $role exiting with 159" grep -q \
		    "lost child: $role (pid [0-9]*) exited with status 159" "$LOG"
	else
		check "$spec: log names $role killed by SIGSYS" grep -q \
		    "lost child: $role (pid [0-9]*) killed by signal 31" "$LOG"
	fi
done
unset TATTLE_TEST_HOOK
done_test
