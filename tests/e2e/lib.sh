# tests/e2e/lib.sh: what every end-to-end test shares.  Each test runs the
# real tattled from the build tree inside a network namespace it creates
# and removes; nothing touches the machine's own namespace.
#
# Sourced by the tests; needs top_builddir and top_srcdir (make check sets
# them; run by hand: top_builddir=_build top_srcdir=. sh tests/e2e/x.sh).

set -u

: "${top_builddir:?}" "${top_srcdir:?}"
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
TATTLED=$top_builddir/tattled
T_NAME=$(basename "$0" .sh)
T_FAILS=0
T_CHECKS=0
TPID=

say() { printf '%s: %s\n' "$T_NAME" "$*"; }

fail() {
	say "FAIL: $*"
	T_FAILS=$((T_FAILS + 1))
	if [ -n "${LOG:-}" ] && [ -s "$LOG" ]; then
		say "tattled's log so far:"
		tail -n 30 "$LOG" | sed 's/^/    /'
	fi
}

check() {
	# check "what" command...: a check that must succeed
	local what=$1; shift
	T_CHECKS=$((T_CHECKS + 1))
	if "$@"; then
		say "ok: $what"
	else
		fail "$what"
	fi
}

check_eq() {
	# check_eq "what" got want
	T_CHECKS=$((T_CHECKS + 1))
	if [ "$2" = "$3" ]; then
		say "ok: $1"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

done_test() {
	say "$T_CHECKS checks, $T_FAILS failed"
	[ "$T_FAILS" -eq 0 ] || exit 1
	[ "$T_CHECKS" -gt 0 ] || { say "FAIL: no checks ran"; exit 1; }
	exit 0
}

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		say "SKIP: needs root (network namespaces, nftables, users)"
		exit 77
	fi
}

# The role users and the UI group, as make install creates them.
ensure_users() {
	getent passwd _tattle_prompt >/dev/null && getent group tattle \
	    >/dev/null && return 0
	systemd-sysusers "$top_srcdir/dist/tattle-sysusers.conf" >/dev/null 2>&1 ||
	    { say "cannot create the tattle users"; exit 1; }
}

cleanup() {
	if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
		kill -TERM "$TPID" 2>/dev/null
		sleep 0.3
		kill -KILL "$TPID" 2>/dev/null
	fi
	# tattled cannot remove its ftrace instance once unprivileged.
	"$TATTLED" --cleanup >/dev/null 2>&1
	[ -n "${NS:-}" ] && ip netns del "$NS" 2>/dev/null
	[ -n "${T_TMP:-}" ] && rm -rf "$T_TMP"
	return 0
}

# A namespace, a chroot, a rules dir, a config, a UI socket directory.
setup() {
	require_root
	ensure_users
	T_TMP=$(mktemp -d /tmp/tattle-e2e.XXXXXX)
	chmod 755 "$T_TMP"
	NS=tattle-$$-$T_NAME
	NS=$(printf '%s' "$NS" | cut -c1-30)
	trap cleanup EXIT INT TERM
	ip netns add "$NS" || { say "cannot create netns $NS"; exit 1; }
	ip -n "$NS" link set lo up
	mkdir -p "$T_TMP/empty" "$T_TMP/rules" "$T_TMP/run"
	chmod 755 "$T_TMP/empty" "$T_TMP/run"
	chown _tattle:_tattle "$T_TMP/rules"
	printf '{"DefaultAction":"deny"}\n' > "$T_TMP/config.json"
	UISOCK=$T_TMP/run/ui.sock
	LOG=$T_TMP/tattled.log
	export TATTLE_TEST_LIBEXECDIR=$top_builddir
	# LeakSanitizer's exit-time tracer (clone + ptrace) cannot run in
	# a seccomp sandbox; the unit tests keep leak checking.
	export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
	export TATTLE_TEST_EMPTYDIR=$T_TMP/empty
}

# start_tattled [args...]: run tattled in the foreground, in the
# background of this shell, and wait until it says it started.
start_tattled() {
	: > "$LOG"
	"$TATTLED" -d -c "$T_TMP/config.json" -r "$T_TMP/rules" \
	    -s "$UISOCK" --netns "$NS" "$@" >>"$LOG" 2>&1 &
	TPID=$!
	wait_log "tattle .* started" 5000 || {
		say "tattled did not start; its log:"
		sed 's/^/    /' "$LOG"
		return 1
	}
}

# wait_log REGEX MS: until the log has a line matching REGEX.
wait_log() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		grep -q -- "$1" "$LOG" 2>/dev/null && return 0
		sleep 0.01
		i=$((i + 10))
	done
	return 1
}

# The pid of the child running tattle-ROLE.
child_pid() {
	local k
	for k in $(pgrep -P "$TPID"); do
		case "$(readlink "/proc/$k/exe")" in
		*/tattle-"$1") echo "$k"; return ;;
		esac
	done
}

status_field() {
	# status_field PID Field: the first value of that /proc status line
	awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Has tattled ended (gone, or a zombie waiting for this shell)?
tattled_ended() {
	local st
	st=$(awk '{ print $3 }' "/proc/$TPID/stat" 2>/dev/null) || return 0
	[ -z "$st" ] || [ "$st" = Z ]
}

# wait_exit MS: wait up to MS for tattled to end; sets EXIT_STATUS
# ("running" if it did not) and EXIT_MS, the time since T0 (now_ms).
wait_exit() {
	local i=0
	while [ "$i" -lt "$1" ] && ! tattled_ended; do
		sleep 0.002
		i=$((i + 2))
	done
	EXIT_MS=$(($(now_ms) - T0))
	if ! tattled_ended; then
		EXIT_STATUS=running
		return 1
	fi
	wait "$TPID"
	EXIT_STATUS=$?
	TPID=
}
