#!/bin/bash
# Issue 15 item 8: descriptors inherited from whoever started tattled (a
# shell's redirections, a service manager's) are not tattled's: packetd
# closes everything above 2 at once, so none stays open in it, outlives
# its privileges or reaches a child.  Started here with fds 7 and 251
# open on files of the test's own.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
: >"$T_TMP/inherited-7"
: >"$T_TMP/inherited-251"
exec 7<"$T_TMP/inherited-7" 251<"$T_TMP/inherited-251"
start_tattled
started=$?
exec 7<&- 251<&-
[ "$started" -eq 0 ] || exit 1

# holds PID: the inherited files PID has open, one a line.
holds() {
	local f
	for f in /proc/"$1"/fd/*; do
		readlink "$f"
	done 2>/dev/null | grep -F "$T_TMP/inherited-"
}
for role in packetd attributord ruled promptd; do
	pid=$(pid_of "$role")
	check "$role runs ($pid)" test -n "$pid"
	check_eq "$role holds no inherited descriptor" "$(holds "$pid")" ""
done
check "every process survived" alive
done_test
