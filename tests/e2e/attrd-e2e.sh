#!/bin/bash
# attrd-e2e.sh: issue 6 against the real daemon.  Rules on process
# attributes decide real connections that real processes make inside the
# namespace tattled guards: process.path (TCP and UDP, IPv4 and IPv6),
# process.command, process.parent.path, process.env.X, user.name and
# process.hash.md5; a UDP sender that exits at once; a binary renamed
# after it started; one deleted while running; argv[0] spoofing; a
# process in another pid namespace; a raw-socket sender that exits at
# once (unknown) with InterceptUnknown off, then on.  attributord's -v
# line for each connection tells how it was attributed.
#
# The default action is reject, so a connection no rule allowed is
# refused at once (client status 1); the deny rules drop, so what they
# match times out (status 2).  Only that tells "a rule denied it" from
# "nothing allowed it".
. "${top_srcdir:-.}/tests/e2e/lib.sh"
setup

PORT=18181
CLIENT=$top_builddir/tests/e2e/attrd-client
SERVER=$top_builddir/tests/e2e/attrd-server
BIN=$T_TMP/bin
SLOG=$T_TMP/server.log
WAIT=700			# ms a client waits for an answer
LOGS=
mkdir -p "$BIN"
chmod 755 "$BIN"
command -v nsenter >/dev/null && command -v setpriv >/dev/null &&
    command -v unshare >/dev/null || { say "SKIP: util-linux tools"; exit 77; }

nsrun() { nsenter --net="/run/netns/$NS" "$@"; }

# copy NAME [FROM]: a uniquely named copy of the client; its path.
copy() {
	local p=$BIN/tattle-test-client-$$-$1
	cp "${2:-$CLIENT}" "$p" && chmod 755 "$p" && printf '%s\n' "$p"
}

# rulef NAME ACTION OPERATOR: the rule file NAME.json (lib.sh's rule).
rulef() { rule "$1.json" "$@"; }

# launch CMD...: run CMD in the namespace; LPID its pid, LST its status.
# (nsenter execs CMD: its pid is CMD's.)
launch() {
	nsenter --net="/run/netns/$NS" "$@" &
	LPID=$!
	wait "$LPID"
	LST=$?
}

# launch_wait OUT CMD...: start a client that waits for SIGUSR1 (-w);
# LPID its pid once it said "ready".
launch_wait() {
	local out=$1 i=0
	shift
	: > "$out"
	nsenter --net="/run/netns/$NS" "$@" > "$out" &
	LPID=$!
	while [ "$i" -lt 300 ] && ! grep -q ready "$out"; do
		sleep 0.01
		i=$((i + 1))
	done
	grep -q ready "$out"
}

# attributed WHAT PID PATH [WORD]: attributord's line for that process.
attributed() {
	local line
	line=$(grep -F ", pid $2, path $3," "$LOG" | tail -n 1)
	T_CHECKS=$((T_CHECKS + 1))
	if [ -z "$line" ]; then
		fail "$1: no attribution of pid $2 to $3"
	elif [ -n "${4:-}" ] && ! printf '%s' "$line" | grep -q -- "$4"; then
		fail "$1: '$4' not in: $line"
	else
		say "ok: $1 (${line#*attributord: })"
	fi
}

# server_saw PATTERN MS: the server logged PATTERN within MS.
server_saw() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		grep -q -- "$1" "$SLOG" && return 0
		sleep 0.01
		i=$((i + 10))
	done
	return 1
}
server_missed() { ! server_saw "$1" "$2"; }

start_server() {
	: > "$SLOG"
	# nsenter execs the server: $! is its pid (nsrun & would be a
	# subshell's, and killing that would leave the server running).
	nsenter --net="/run/netns/$NS" "$SERVER" "$PORT" "$SLOG" 120 &
	SPID=$!
	T_BG="${T_BG:-} $SPID"
	server_saw ready 3000 || { say "attrd-server did not start"; exit 1; }
}

# The seccomp-debug build reports what the allow-list missed.
no_sigsys() {
	check "no unexpected system call" sh -c \
	    "! grep -q 'unexpected system call' '$LOG'"
}

# attrd_stop N: attributord's counters, a clean stop, the log kept.
attrd_stop() {
	kill -USR1 "$TPID"
	wait_log "attributord: attribution paths" 2000
	grep "attributord: attribution" "$LOG" | sed 's/^/    /'
	stop_tattled
	cp "$LOG" "$LOG.$1"
	LOGS="$LOGS $LOG.$1"
}

# ---- the programs and their rules ----
P_ALLOW=$(copy allow)
P_DENY=$(copy deny)
rulef 10-path-allow allow "$(op process.path "$P_ALLOW")"
rulef 10-path-deny deny "$(op process.path "$P_DENY")"

P_LITE=$(copy lite)
rulef 15-lite allow "$(op process.path "$P_LITE")"

P_CMD=$(copy cmd)
rulef 20-command allow "$(op process.command \
    "$P_CMD tcp 127.0.0.1 $PORT $WAIT")"

P_PARENT=$BIN/tattle-test-parent-$$
cp /bin/bash "$P_PARENT"
P_CHILD=$(copy child)
rulef 30-parent allow "$(op process.parent.path "$P_PARENT")"

P_ENV=$(copy env)
TOKEN=tok-$$-$RANDOM
rulef 40-env allow "$(op process.env.TATTLE_E2E_TOKEN "$TOKEN")"

P_USER=$(copy user)
rulef 50-user allow "$(op_list "$(op process.path "$P_USER")" \
    "$(op user.name nobody)")"

# Copies are alike: these two get bytes of their own, and so md5s.
P_MD5=$(copy md5)
printf 'md5 test %s\n' "$$" >> "$P_MD5"
P_MD5B=$(copy md5b)
printf 'another binary %s\n' "$$" >> "$P_MD5B"
MD5=$(md5sum < "$P_MD5" | cut -d' ' -f1)
rulef 60-md5 allow "$(op process.hash.md5 "$MD5")"

P_UEXIT=$(copy uexit)
P_UEXIT_D=$(copy uexit-deny)
rulef 70-uexit allow "$(op process.path "$P_UEXIT")"
rulef 70-uexit-deny deny "$(op process.path "$P_UEXIT_D")"

P_REN=$(copy ren)
P_REN_NEW=$BIN/renamed-$$
rulef 80-ren allow "$(op process.path "$P_REN")"
rulef 80-ren-new deny "$(op process.path "$P_REN_NEW")"

P_DEL=$(copy del)
DEL_MD5=$(md5sum < "$P_DEL" | cut -d' ' -f1)
rulef 81-del allow "$(op_list "$(op process.path "$P_DEL")" \
    "$(op process.hash.md5 "$DEL_MD5")")"

P_FF=$(copy argv0)
rulef 82-argv0 allow "$(op process.path "$P_FF")"
rulef 82-firefox deny "$(op process.path /usr/bin/firefox)"

P_PIDNS=$(copy pidns)
rulef 83-pidns allow "$(op process.path "$P_PIDNS")"

P_INTERP=$BIN/tattle-test-interp-$$
cp /bin/bash "$P_INTERP"
SCRIPT=$BIN/tattle-test-script-$$
printf '#!%s\nexec 3<>/dev/tcp/127.0.0.1/%s\n' "$P_INTERP" "$PORT" > "$SCRIPT"
chmod 755 "$SCRIPT"
rulef 84-interp allow "$(op process.path "$P_INTERP")"

P_LINKED=$(copy linked)
LINK=$BIN/tattle-test-link-$$
ln -s "$P_LINKED" "$LINK"
rulef 85-linked allow "$(op process.path "$P_LINKED")"

P_RAW=$(copy raw)
rulef 90-icmp allow "$(op protocol icmp)"

printf '{"DefaultAction":"reject","InterceptUnknown":false}\n' \
    > "$T_TMP/config.json"
start_server
start_tattled -v || exit 1

# ---- process.path: TCP, UDP, IPv4, IPv6 ----
for mode in tcp udp; do
	for addr in 127.0.0.1 ::1; do
		launch "$P_ALLOW" $mode $addr $PORT $WAIT
		check_eq "path rule allows $mode $addr" "$LST" 0
		attributed "$mode $addr allowed copy" "$LPID" "$P_ALLOW"
		launch "$P_DENY" $mode $addr $PORT $WAIT
		check_eq "path rule denies $mode $addr" "$LST" 2
		attributed "$mode $addr denied copy" "$LPID" "$P_DENY"
	done
done

# ---- sock_diag and the /proc scan: UDP-Lite, whose ports ftrace lacks ----
for addr in 127.0.0.1 ::1; do
	launch "$P_LITE" udplite $addr $PORT $WAIT
	check_eq "path rule allows udplite $addr" "$LST" 0
	attributed "udplite $addr allowed copy" "$LPID" "$P_LITE" sock_diag
	launch "$P_DENY" udplite $addr $PORT $WAIT
	check_eq "path rule denies udplite $addr" "$LST" 2
	attributed "udplite $addr denied copy" "$LPID" "$P_DENY" sock_diag
done

# ---- a process's next connection: its attributes from the cache ----
launch "$P_ALLOW" tcp2 127.0.0.1 $PORT $WAIT
check_eq "two connections from one process" "$LST" 0
attributed "the second from the cache" "$LPID" "$P_ALLOW" cached

# ---- process.command ----
launch "$P_CMD" tcp 127.0.0.1 $PORT $WAIT
check_eq "command rule allows its command line" "$LST" 0
launch "$P_CMD" tcp 127.0.0.1 $PORT $((WAIT + 1))
check_eq "command rule: another command line is not allowed" "$LST" 1

# ---- process.parent.path ----
launch "$P_PARENT" -c "'$P_CHILD' tcp 127.0.0.1 $PORT $WAIT; exit \$?"
check_eq "parent rule allows a child of its parent" "$LST" 0
launch "$P_CHILD" tcp 127.0.0.1 $PORT $WAIT
check_eq "parent rule: another parent is not allowed" "$LST" 1

# ---- process.env.X ----
launch env TATTLE_E2E_TOKEN="$TOKEN" "$P_ENV" udp 127.0.0.1 $PORT $WAIT
check_eq "env rule allows the process with the variable" "$LST" 0
launch env TATTLE_E2E_TOKEN="$TOKEN-x" "$P_ENV" udp 127.0.0.1 $PORT $WAIT
check_eq "env rule: another value is not allowed" "$LST" 1
launch "$P_ENV" udp 127.0.0.1 $PORT $WAIT
check_eq "env rule: no variable is not allowed" "$LST" 1

# ---- user.name ----
launch setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$P_USER" tcp ::1 $PORT $WAIT
check_eq "user rule allows nobody" "$LST" 0
attributed "nobody's process" "$LPID" "$P_USER"
launch "$P_USER" tcp ::1 $PORT $WAIT
check_eq "user rule: root is not allowed" "$LST" 1

# ---- process.hash.md5 ----
launch "$P_MD5" tcp 127.0.0.1 $PORT $WAIT
check_eq "md5 rule allows the binary with that md5" "$LST" 0
launch "$P_MD5B" tcp 127.0.0.1 $PORT $WAIT
check_eq "md5 rule: another binary is not allowed" "$LST" 1

# ---- a UDP sender that exits at once ----
for addr in 127.0.0.1 ::1; do
	launch "$P_UEXIT" udp-exit $addr $PORT
	check "exiting sender $addr allowed" server_saw "udp attrd $LPID\$" 2000
	attributed "exiting sender $addr" "$LPID" "$P_UEXIT" ftrace
	launch "$P_UEXIT_D" udp-exit $addr $PORT
	check "exiting sender $addr denied" server_missed \
	    "udp attrd $LPID\$" $WAIT
	attributed "exiting denied sender $addr" "$LPID" "$P_UEXIT_D" ftrace
done

# ---- renamed after it started: the exec path ----
launch_wait "$T_TMP/ren.out" "$P_REN" -w tcp 127.0.0.1 $PORT $WAIT ||
    fail "renamed client did not start"
mv "$P_REN" "$P_REN_NEW"
kill -USR1 "$LPID"
wait "$LPID"
check_eq "renamed binary is allowed by its exec path" "$?" 0
attributed "renamed binary" "$LPID" "$P_REN" "path=moved"

# ---- deleted while running, another binary put at its path ----
launch_wait "$T_TMP/del.out" "$P_DEL" -w udp 127.0.0.1 $PORT $WAIT ||
    fail "deleted client did not start"
rm -f "$P_DEL"
cp "$P_MD5B" "$P_DEL"
kill -USR1 "$LPID"
wait "$LPID"
check_eq "deleted binary: its path and md5 still match" "$?" 0
attributed "deleted binary" "$LPID" "$P_DEL" deleted
launch "$P_DEL" udp 127.0.0.1 $PORT $WAIT
check_eq "the new binary at that path does not match the old rule" "$LST" 1
attributed "new binary at the old path" "$LPID" "$P_DEL"

# ---- argv[0] spoofing ----
launch bash -c "exec -a /usr/bin/firefox '$P_FF' tcp 127.0.0.1 $PORT $WAIT"
check_eq "exec -a /usr/bin/firefox keeps process.path" "$LST" 0
attributed "argv[0] spoofing" "$LPID" "$P_FF"

# ---- a script: its interpreter, as OpenSnitch names it ----
launch "$SCRIPT"
check_eq "a script's connection is its interpreter's" "$LST" 0
attributed "script" "$LPID" "$P_INTERP" "path=script"

# ---- a symbolic link: the file it leads to ----
launch "$LINK" tcp 127.0.0.1 $PORT $WAIT
check_eq "a program run through a link is the file linked to" "$LST" 0
attributed "link" "$LPID" "$P_LINKED" "path=alias"

# ---- another pid namespace: host pid and path ----
for mode in tcp udp; do
	launch_wait "$T_TMP/pidns.out" unshare -p -f "$P_PIDNS" -w $mode \
	    127.0.0.1 $PORT $WAIT || fail "pid namespace client did not start"
	inner=$(pgrep -P "$LPID" | head -n 1)
	check "pid namespace $mode: the client has a host pid" \
	    test -n "$inner"
	kill -USR1 "$inner"
	wait "$LPID"
	check_eq "pid namespace $mode: allowed by path" "$?" 0
	attributed "pid namespace $mode" "$inner" "$P_PIDNS"
done

# ---- a raw ICMP sender that exits at once: unknown ----
launch "$P_RAW" raw-exit 127.0.0.1 0
check "raw sender, InterceptUnknown off: the default action" \
    server_missed "icmp-echo $((LPID & 65535))\$" $WAIT
check "raw sender is unknown" grep -q "attributord: conn [0-9]*: unknown" \
    "$LOG"

no_sigsys
attrd_stop 1

printf '{"DefaultAction":"reject","InterceptUnknown":true}\n' \
    > "$T_TMP/config.json"
start_tattled -v || exit 1
launch "$P_RAW" raw-exit 127.0.0.1 0
check "raw sender, InterceptUnknown on: the icmp rule decides" \
    server_saw "icmp-echo $((LPID & 65535))\$" 2000
check "raw sender is still unknown" grep -q \
    "attributord: conn [0-9]*: unknown" "$LOG"
no_sigsys
attrd_stop 2
kill -TERM "$SPID" 2>/dev/null
wait "$SPID" 2>/dev/null

# The share of each source in this run.
say "attributed: $(cat $LOGS | grep -o 'attributord: conn [0-9]*: [a-z_]*' |
    awk '{ n[$4]++ } END { for (s in n) printf "%s %d; ", s, n[s] }')"
done_test
