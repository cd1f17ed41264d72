# tests/e2e/prompt-lib.sh: what the prompt tests share, on top of lib.sh:
# a TCP server and a DNS server inside the test's namespace, clients on
# the UI socket driven line by line, connections made from inside.
#
# A client NAME is a prompt-ui pipe whose input is a FIFO the test
# writes (ui_send) and whose output is a file the test reads through
# one descriptor held open (ui_expect, ui_none): lines already read are
# never seen twice, and reading a line forks nothing (the shell's read
# and EPOCHREALTIME; waits are timed reads of an idle FIFO), so a slow
# machine spends its time on the daemon, not on the harness.

. "${top_srcdir:-.}/tests/e2e/lib.sh"

PUI=$top_builddir/tests/e2e/prompt-ui
TATTLE=$top_builddir/tattle
PORT=8080			# the test server's port
HOSTIP=10.99.0.1		# what the test DNS server answers
# Addresses of the namespace's own, outside 127/8: tattle keeps no
# names for loopback addresses, whatever a DNS answer says.
NETIPS="10.99.0.1 10.99.0.2 10.99.0.3"
BG_PIDS=
UI_NAMES=

prompt_cleanup() {
	local n
	close_ui_fds
	for n in $BG_PIDS; do
		kill "$n" 2>/dev/null
	done
	cleanup
}

# prompt_setup CONFIG: the namespace, the config, the servers, tattled.
# Rules in $T_TMP/rules before this call are loaded at start.
prompt_setup() {
	setup
	trap prompt_cleanup EXIT INT TERM
	# A client that was disconnected must fail a check, not kill the
	# script: writing to its FIFO then fails instead of raising SIGPIPE.
	trap '' PIPE
	printf '%s\n' "$1" > "$T_TMP/config.json"
	# DNS must pass without a question, as a default install's rules do.
	cat > "$T_TMP/rules/000-allow-dns.json" <<-'EOF'
	{"name": "000-allow-dns", "enabled": true, "action": "allow",
	 "duration": "always", "operator": {"type": "simple",
	 "operand": "dest.port", "data": "53"}}
	EOF
	chown _tattle:_tattle "$T_TMP/rules/000-allow-dns.json"
}

prompt_start() {
	local a
	for a in $NETIPS; do
		ip -n "$NS" addr add "$a/32" dev lo || return 1
	done
	ip netns exec "$NS" "$PUI" serve 0.0.0.0 "$PORT" > "$T_TMP/serve.out" &
	BG_PIDS="$BG_PIDS $!"
	ip netns exec "$NS" "$PUI" dns 127.0.0.53 "$HOSTIP" > "$T_TMP/dns.out" &
	BG_PIDS="$BG_PIDS $!"
	start_tattled "$@" || return 1
	wait_file_line "$T_TMP/serve.out" listening 10000 &&
	    wait_file_line "$T_TMP/dns.out" listening 10000
}

# wait_file_line FILE REGEX MS
wait_file_line() {
	local i=0
	while [ "$i" -lt "$3" ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		nap 0.01
		i=$((i + 10))
	done
	return 1
}

# In a background child: the clients' FIFOs are not its to hold open
# (a client hangs up when its FIFO's last writer closes it).
close_ui_fds() {
	local n fd
	for n in $UI_NAMES; do
		eval "fd=\${UIFD_$n:-}"
		[ -n "$fd" ] && eval "exec $fd>&-"
		eval "fd=\${UIRFD_$n:-}"
		[ -n "$fd" ] && eval "exec $fd<&-"
	done
	return 0
}

# ui_open NAME [prompt-ui pipe options]: a client.
ui_open() {
	local name=$1 fd
	shift
	rm -f "$T_TMP/$name.in" "$T_TMP/$name.out"
	mkfifo "$T_TMP/$name.in"
	: > "$T_TMP/$name.out"
	(close_ui_fds; exec "$PUI" pipe "$@" "$UISOCK") \
	    < "$T_TMP/$name.in" >> "$T_TMP/$name.out" &
	BG_PIDS="$BG_PIDS $!"
	exec {fd}>"$T_TMP/$name.in"
	eval "UIFD_$name=$fd"
	exec {fd}<"$T_TMP/$name.out"
	eval "UIRFD_$name=$fd; UIPART_$name="
	UI_NAMES="$UI_NAMES $name"
}

ui_send() {
	local fd
	eval "fd=\$UIFD_$1"
	printf '%s\n' "$2" >&"$fd"
}

# ui_seen NAME REGEX: a line the client received so far matches.
ui_seen() {
	grep -q -- "$2" "$T_TMP/$1.out"
}

# ui_close NAME: the client hangs up.
ui_close() {
	local fd
	eval "fd=\${UIFD_$1:-}"
	[ -n "$fd" ] && eval "exec $fd>&-"
	eval "UIFD_$1="
}

# ui_next NAME MS: the next unread line into LINE (1 if none in time).
ui_next() {
	set_now
	ui_line "$1" $((NOW + $2))
}

# ui_line NAME END: the next unread line into LINE, waiting until END
# (ms, as set_now).  At the end of the file read gives back what there
# is of a line not yet finished: it is kept (UIPART_NAME) and completed
# by the next read.
ui_line() {
	local part pv=UIPART_$1 fv=UIRFD_$1
	part=${!pv}
	while :; do
		if IFS= read -r -u "${!fv}" LINE; then
			LINE=$part$LINE
			printf -v "$pv" '%s' ""
			return 0
		fi
		part=$part$LINE
		printf -v "$pv" '%s' "$part"
		set_now
		[ "$NOW" -le "$2" ] || return 1
		nap 0.01
	done
}

# is_type TYPE: LINE is a message of that type.  promptd (and prompt-ui)
# write "type" first, so no JSON parser is needed to tell.
is_type() {
	case "$LINE" in
	"{\"type\":\"$1\""*) return 0 ;;
	esac
	return 1
}

# ui_expect NAME TYPE MS: skip to the next line of that type (in LINE).
ui_expect() {
	local end
	set_now
	end=$((NOW + $3))
	while ui_line "$1" "$end"; do
		is_type "$2" && return 0
	done
	return 1
}

# ui_none NAME TYPE MS: no line of that type arrives in MS.
ui_none() {
	local end
	set_now
	end=$((NOW + $3))
	while ui_line "$1" "$end"; do
		is_type "$2" && return 1
	done
	return 0
}

# A client subscribed to asks and events, once its result is there.
# The cursor stays put: open asks come before the result.
ui_prompter() {
	ui_open "$@"
	ui_send "$1" '{"type":"hello","version":1,"client":"test"}'
	ui_send "$1" \
	    '{"type":"subscribe","req":"sub","asks":true,"events":true}'
	wait_file_line "$T_TMP/$1.out" '"type":"result","req":"sub"' 10000
}

# jget JSON PATH...: values from one line of JSON.
jget() {
	local j=$1
	shift
	printf '%s' "$j" | "$PUI" get "$@"
}

# conn_bg TAG DEST N MS: N connections from one process in the
# background (DEST: an address, or NAME@DNS), result in $T_TMP/TAG.conn.
conn_bg() {
	(close_ui_fds; exec ip netns exec "$NS" "$PUI" conn "$2" "$PORT" "$3" \
	    "$4") > "$T_TMP/$1.conn" 2>&1 &
	eval "CONNPID_$1=$!"
}

# conn_wait TAG: its result line, in CONN.
conn_wait() {
	local pid
	eval "pid=\$CONNPID_$1"
	wait "$pid"
	CONN=$(cat "$T_TMP/$1.conn")
}

# conn_now DEST N MS: the same in the foreground.
conn_now() {
	CONN=$(ip netns exec "$NS" "$PUI" conn "$1" "$PORT" "$2" "$3" 2>&1)
}

# The match for "this program": its executable when attribution found
# it, else the destination's IP and port.
match_program() {
	if [ "$(jget "$1" conn.process)" = null ]; then
		echo '["ip","port"]'
	else
		echo '["executable"]'
	fi
}

# wait_file FILE MS: until it exists.
wait_file() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		[ -e "$1" ] && return 0
		nap 0.01
		i=$((i + 10))
	done
	return 1
}

# gone_file FILE MS: until it does not exist.
gone_file() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		[ -e "$1" ] || return 0
		nap 0.01
		i=$((i + 10))
	done
	return 1
}

# answer NAME ID ACTION DURATION MATCH [RULENAME]: send, then the reply
# (result or error) in LINE.
answer() {
	local name=
	[ $# -ge 6 ] && name=",\"name\":\"$6\""
	ui_send "$1" "$(printf '{"type":"answer","req":"a%s","id":%s,%s%s}' \
	    "$2" "$2" "\"action\":\"$3\",\"duration\":\"$4\"," \
	    "\"match\":$5$name")"
	ui_reply "$1" "\"a$2\"" 10000
}

# ui_reply NAME REQ MS: the result or error whose req is REQ (as JSON).
ui_reply() {
	local end
	set_now
	end=$((NOW + $3))
	while ui_line "$1" "$end"; do
		is_type result || is_type error || continue
		case "$LINE" in
		*"\"req\":$2,"*|*"\"req\":$2}"*) return 0 ;;
		esac
	done
	return 1
}

# prompt_done: the last check of every prompt test, then the summary.
# A seccomp-debug build reports a system call an allow-list lacks
# instead of dying of it: there must be none.
prompt_done() {
	check "no unexpected system call" sh -c \
	    "! grep 'unexpected system call' '$LOG'"
	done_test
}
