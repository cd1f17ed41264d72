#!/bin/bash
# The running daemon's sandboxes as the kernel reports them: for each of
# the four processes, its uid, capabilities, bounding set, no_new_privs,
# seccomp mode and root directory.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
setup
start_tattled || exit 1

uid_of() { id -u "$1"; }

expect_proc() {
	# expect_proc ROLE PID USER CAPEFF ROOT
	local role=$1 pid=$2 user=$3 capeff=$4 root=$5 u
	[ -n "$pid" ] || { fail "$role: no process"; return; }
	u=$(uid_of "$user")
	check_eq "$role runs as $user" \
	    "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' /proc/$pid/status)" \
	    "$u $u $u $u"
	check_eq "$role CapEff" "$(status_field "$pid" CapEff)" "$capeff"
	check_eq "$role CapPrm" "$(status_field "$pid" CapPrm)" "$capeff"
	check_eq "$role CapBnd cleared" "$(status_field "$pid" CapBnd)" \
	    0000000000000000
	check_eq "$role CapAmb" "$(status_field "$pid" CapAmb)" \
	    0000000000000000
	check_eq "$role NoNewPrivs" "$(status_field "$pid" NoNewPrivs)" 1
	check_eq "$role Seccomp filter" "$(status_field "$pid" Seccomp)" 2
	check_eq "$role root directory" "$(readlink /proc/$pid/root)" "$root"
}

expect_proc packetd "$TPID" _tattle 0000000000001000 /
expect_proc attributord "$(child_pid attributord)" _tattle_attr \
    0000000000080004 "$T_TMP/empty"
expect_proc ruled "$(child_pid ruled)" _tattle_rule 0000000000000000 \
    "$T_TMP/empty"
expect_proc promptd "$(child_pid promptd)" _tattle_prompt \
    0000000000000000 "$T_TMP/empty"

# The children's descriptors: exactly 0-2 and their channels; then
# attributord's host root (6), sock_diag socket and one ftrace raw pipe
# per CPU.
ncpu=$(ls -d /sys/kernel/tracing/per_cpu/cpu[0-9]* | wc -l)
for role in attributord ruled promptd; do
	pid=$(child_pid $role)
	want="0 1 2 3 4 5 "
	[ $role = attributord ] && want="$want$(seq -s ' ' 6 $((7 + ncpu))) "
	check_eq "$role descriptors" \
	    "$(ls /proc/$pid/fd | sort -n | tr '\n' ' ')" "$want"
done

# The UI socket: mode 0660, root and the UI group.
check_eq "UI socket owner and mode" "$(stat -c '%U:%G %a' "$UISOCK")" \
    "root:tattle 660"

# The channel works both ways: every child answers a ping.
kill -USR1 "$TPID"
for role in attributord ruled promptd; do
	check "$role answers a ping" wait_log "ping: $role answered" 2000
done
done_test
