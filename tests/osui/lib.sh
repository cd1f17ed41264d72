# tests/osui/lib.sh: what the tattle-osui tests share, on top of
# tests/e2e/lib.sh (checks, the namespace, the real tattled).  The UI
# side is always real: a gRPC server on OpenSnitch's own generated stubs
# (uiserver.py) or opensnitch-ui itself.

. "${top_srcdir:?}/tests/e2e/lib.sh"

OSUI=$top_builddir/tattle-osui
PY=/usr/bin/python3		# grpcio and the UI are Debian's, not a venv's
BPID=
SPID=

# osui_setup: tests/e2e/lib.sh's setup, and the bridge and the UI go too
# when the test ends.
osui_setup() {
	setup
	trap osui_cleanup EXIT INT TERM
}

# osui_tmp: a temp dir for the tests that need no daemon.
osui_tmp() {
	T_TMP=$(mktemp -d /tmp/tattle-osui.XXXXXX)
	chmod 755 "$T_TMP"
	trap osui_cleanup EXIT INT TERM
}

osui_cleanup() {
	local p
	for p in $BPID $SPID; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $BPID $SPID; do
		kill -KILL "$p" 2>/dev/null
	done
	cleanup
}

# wait_grep FILE REGEX MS: until FILE has a line matching REGEX.
wait_grep() {
	local i=0
	while [ "$i" -lt "$3" ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 50))
	done
	return 1
}

# web_wait NS PORT MS: until a TCP server listens on PORT in NS (a web
# server started in the background: Python takes its time to start on
# a slow machine).
web_wait() {
	local i=0
	while [ "$i" -lt "$3" ]; do
		ip netns exec "$1" ss -Hltn "sport = $2" 2>/dev/null |
		    grep -q . && return 0
		sleep 0.05
		i=$((i + 50))
	done
	return 1
}

# stubs16: generate the 1.6 stubs from our .proto with grpcio-tools.
stubs16() {
	mkdir -p "$T_TMP/stubs"
	$PY -m grpc_tools.protoc -I"$top_srcdir/osui" \
	    --python_out="$T_TMP/stubs" --grpc_python_out="$T_TMP/stubs" \
	    "$top_srcdir/osui/ui16.proto"
}

# start_uiserver GEN SOCKET LOG [RUNAS] [extra args]: the stub UI.
start_uiserver() {
	local gen=$1 sock=$2 log=$3 runas=${4:-} pre= srv
	shift 4 2>/dev/null || shift $#
	srv=$top_srcdir/tests/osui/uiserver.py
	if [ -n "$runas" ]; then
		pre="setpriv --reuid=$(id -u "$runas") --regid=$(id -g "$runas") --clear-groups"
		# The tree may be where RUNAS cannot read (a clone in root's
		# 0700 home, as on a fresh machine): a copy it can.
		cp "$srv" "$T_TMP/uiserver.py" && chmod 644 "$T_TMP/uiserver.py"
		srv=$T_TMP/uiserver.py
	fi
	: > "$log"
	chmod 666 "$log"
	$pre $PY "$srv" --gen "$gen" \
	    --stubs "$T_TMP/stubs" --listen "unix:$sock" --log "$log" "$@" \
	    >>"$log.err" 2>&1 &
	SPID=$!
	wait_grep "$log" '"Listening"' 10000 || {
		say "the stub UI did not start:"; cat "$log.err"; return 1; }
}

# start_bridge LOG [args...]: tattle-osui in the background.
start_bridge() {
	local log=$1
	shift
	: > "$log"
	"$OSUI" -d "$@" >>"$log" 2>&1 &
	BPID=$!
}

# rpc_count LOG RPC: how many calls of RPC the stub UI recorded.
rpc_count() {
	grep -c "\"rpc\": \"$2\"" "$1" 2>/dev/null || true
}

not() {
	! "$@"
}
