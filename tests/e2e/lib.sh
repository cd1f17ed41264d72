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
	seccomp_check
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
	for k in ${T_BG:-}; do
		kill -KILL "$k" 2>/dev/null
	done
	# tattled cannot remove its ftrace instance once unprivileged.
	"$TATTLED" --cleanup >/dev/null 2>&1
	[ -n "${NS:-}" ] && ip netns del "$NS" 2>/dev/null
	[ -n "${NS_PEER:-}" ] && ip netns del "$NS_PEER" 2>/dev/null
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
	mkfifo "$T_TMP/nap.fifo"
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
# background of this shell, and wait until it says it started or ends.
# The ceiling, START_CEILING_MS, is generous: a loaded machine starts
# tattled slowly, and how fast it starts is bench/'s business.
START_CEILING_MS=30000
start_tattled() {
	local i=0 why=
	seccomp_check
	: > "$LOG"
	"$TATTLED" -d -c "$T_TMP/config.json" -r "$T_TMP/rules" \
	    -s "$UISOCK" --netns "$NS" "$@" >>"$LOG" 2>&1 &
	TPID=$!
	while ! grep -q -- "tattle .* started" "$LOG" 2>/dev/null; do
		if tattled_ended; then
			why="it ended"
		elif [ "$i" -ge "$START_CEILING_MS" ]; then
			why="not within the $START_CEILING_MS ms ceiling"
		fi
		if [ -n "$why" ]; then
			say "tattled did not start ($why); its log:"
			sed 's/^/    /' "$LOG"
			return 1
		fi
		nap 0.01
		i=$((i + 10))
	done
}

# wait_log REGEX MS: until the log has a line matching REGEX.
wait_log() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		grep -q -- "$1" "$LOG" 2>/dev/null && return 0
		nap 0.01
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

# set_now: NOW, milliseconds, from the shell's own clock; unlike
# $(now_ms), no fork (the harness's polling loops use it).
set_now() {
	local t=${EPOCHREALTIME/[.,]/}
	NOW=$((t / 1000))
}

# nap SECONDS: sleep without a fork, a timed read of a FIFO nobody
# writes (opened read-write, so the open does not wait for a writer).
nap() {
	if [ -n "${T_TMP:-}" ] && [ -p "$T_TMP/nap.fifo" ]; then
		read -r -t "$1" _ <>"$T_TMP/nap.fifo"
		return 0
	fi
	sleep "$1"
}

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

# ---------------------------------------------------------------------
# The packet path (pp-*.sh): servers, clients, rules and verdicts.  A
# second namespace (NS_PEER, "the network") is joined to NS by a veth
# pair: NS has 10.55.0.1 and fd55::1, NS_PEER 10.55.0.2, fd55::2 and
# whatever addresses the test gives it; NS routes everything there.

PPNET=$top_builddir/tests/e2e/pp-net
T_BG=
NS_PEER=
PROBE_OUT=

in_ns() { ip netns exec "$NS" "$@"; }
in_peer() { ip netns exec "$NS_PEER" "$@"; }

# bg_track PID: killed at exit (servers, dnsmasq).
bg_track() { T_BG="$T_BG $1"; disown "$1" 2>/dev/null; }

# The machine's own ruleset now, and a check that it is still the same:
# nothing a test does may reach the host namespace's firewall.
host_ruleset_save() {
	nft list ruleset > "$T_TMP/host-ruleset.before" 2>&1
}

host_ruleset_check() {
	nft list ruleset > "$T_TMP/host-ruleset.after" 2>&1
	check "host namespace's ruleset unchanged ($(wc -l \
	    < "$T_TMP/host-ruleset.before") lines)" cmp -s \
	    "$T_TMP/host-ruleset.before" "$T_TMP/host-ruleset.after"
}

# pp_setup: setup, the host ruleset saved, a config tattled accepts.
pp_setup() {
	setup
	host_ruleset_save
	pp_config '"DefaultAction": "deny"'
}

# pp_config 'JSON members': the config.  InterceptUnknown stays at its
# default (false): the test clients are ordinary processes that
# attribution finds, so the rules on the tuple, uid and host decide.
pp_config() {
	printf '{%s}\n' "$1" > "$T_TMP/config.json"
}

# peer_setup [ADDR/PREFIX...]: NS_PEER and the veth pair; extra
# addresses on the peer's side.
peer_setup() {
	local a
	NS_PEER=$(printf '%s' "tattle-$$-peer-$T_NAME" | cut -c1-30)
	ip netns add "$NS_PEER" ||
	    { say "cannot create netns $NS_PEER"; exit 1; }
	ip -n "$NS_PEER" link set lo up
	ip -n "$NS" link add c0 type veth peer name s0 netns "$NS_PEER" ||
	    { say "cannot create the veth pair"; exit 1; }
	ip -n "$NS" addr add 10.55.0.1/24 dev c0
	ip -n "$NS" addr add fd55::1/64 dev c0 nodad
	ip -n "$NS_PEER" addr add 10.55.0.2/24 dev s0
	ip -n "$NS_PEER" addr add fd55::2/64 dev s0 nodad
	for a in "$@"; do
		case $a in
		*:*)	ip -n "$NS_PEER" addr add "$a" dev s0 nodad ;;
		*)	ip -n "$NS_PEER" addr add "$a" dev s0 ;;
		esac || { say "cannot add $a"; exit 1; }
	done
	ip -n "$NS" link set c0 up
	ip -n "$NS_PEER" link set s0 up
	ip -n "$NS" route add default via 10.55.0.2
	ip -n "$NS" -6 route add default via fd55::2
	peer_wait_up
}

# Until a datagram makes the round trip in both families (the peer's
# port unreachable comes back).  The first IPv6 contact over a new veth
# pair takes about a second (neighbour discovery's first solicitation
# goes unanswered); the tests must not mistake that for a verdict.
peer_wait_up() {
	local i=0
	while [ $i -lt 5 ]; do
		[ "$(in_ns "$PPNET" probe -t 2000 udp,10.55.0.2,9 \
		    udp,fd55::2,9 | awk '$2 == "refused"' | wc -l)" = 2 ] &&
		    return 0
		i=$((i + 1))
	done
	say "no round trip over the veth pair"
	exit 1
}

# serve_in NETNS PORT...: TCP and UDP echo servers on every address of
# NETNS, IPv4 and IPv6, until the test ends.
serve_in() {
	local ns=$1 out i=0
	shift
	out=$T_TMP/serve.$ns.$1
	ip netns exec "$ns" "$PPNET" serve -l 600 "$@" > "$out" 2>&1 &
	bg_track $!
	while [ $i -lt 500 ]; do
		grep -q '^ready$' "$out" 2>/dev/null && return 0
		nap 0.01
		i=$((i + 1))
	done
	say "echo servers in $ns did not start:"
	sed 's/^/    /' "$out"
	exit 1
}

# dns_start RECORD...: dnsmasq in NS_PEER on 10.55.0.2 and fd55::2 (UDP
# and TCP 53), answering RECORD (NAME,ADDR[,ADDR...]) and nothing else
# (NS's programs reach it through ns_resolv and in_ns_dns).
dns_start() {
	local r args="" i=0
	for r in "$@"; do
		args="$args --host-record=$r"
	done
	# Not in_peer: a function run with & is a subshell, and $! would be
	# that shell, not dnsmasq (killing it left dnsmasq running, and its
	# deleted namespace alive).  ip netns exec execs dnsmasq.
	# shellcheck disable=SC2086
	ip netns exec "$NS_PEER" dnsmasq -k -C /dev/null --no-resolv --no-hosts --no-poll \
	    --bind-interfaces --listen-address=10.55.0.2 \
	    --listen-address=fd55::2 --local-ttl=300 --user=root \
	    --pid-file= --log-queries --log-facility="$T_TMP/dnsmasq.log" \
	    $args > "$T_TMP/dnsmasq.out" 2>&1 &
	bg_track $!
	while [ $i -lt 500 ]; do
		grep -q 'started' "$T_TMP/dnsmasq.log" 2>/dev/null &&
		    in_peer ss -Hlun 'sport = 53' | grep -q . && return 0
		nap 0.01
		i=$((i + 1))
	done
	say "dnsmasq did not start:"
	cat "$T_TMP/dnsmasq.out" "$T_TMP/dnsmasq.log" 2>/dev/null |
	    sed 's/^/    /'
	exit 1
}

# ns_resolv LINE...: the resolv.conf that in_ns_dns shows NS's programs.
ns_resolv() {
	printf '%s\n' "$@" > "$T_TMP/resolv.conf"
}

# in_ns_dns CMD...: CMD in NS with $T_TMP/resolv.conf as /etc/resolv.conf,
# bound in a mount namespace of its own (the host's /etc is untouched).
in_ns_dns() {
	unshare -m --propagation private sh -c 'mount --bind "$1" \
	    /etc/resolv.conf && shift && exec ip netns exec "$@"' sh \
	    "$T_TMP/resolv.conf" "$NS" "$@"
}

# resolve NAME: the addresses getent finds for NAME from inside NS (the
# C library's own resolver, through dnsmasq), sorted, space separated.
resolve() {
	in_ns_dns getent ahosts "$1" | awk '{ print $1 }' | sort -u |
	    tr '\n' ' ' | sed 's/ $//'
}

# probe [-u USER] TARGET...: every TARGET (tcp|udp,ADDR,PORT) tried at
# once from NS, as root or USER; the results in $PROBE_OUT.
probe() {
	local run=""
	if [ "$1" = -u ]; then
		run="setpriv --reuid=$2 --regid=$2 --clear-groups"
		shift 2
	fi
	PROBE_OUT=$T_TMP/probe.$(date +%s%N)
	# shellcheck disable=SC2086
	in_ns $run "$PPNET" probe -t 1000 "$@" > "$PROBE_OUT" 2>&1 ||
	    say "pp-net probe failed: $(cat "$PROBE_OUT")"
}

# expect WHAT TARGET VERDICT: TARGET in the last probe got VERDICT.
# allow: connected (TCP) or echoed (UDP); deny: nothing within 1 s;
# reject: ECONNREFUSED (the tests probe ports their servers listen on,
# so a reset or an ICMP unreachable is tattle's reject).  How soon it
# comes is bench/'s business: the client's time is printed, not checked.
expect() {
	local what=$1 target=$2 want=$3 line out ms ok=1
	line=$(awk -v t="$target" '$1 == t { print $2, $3 }' "$PROBE_OUT")
	out=${line% *}
	ms=${line#* }
	case $want in
	allow)	[ "$out" = ok ] || ok=0 ;;
	deny)	[ "$out" = timeout ] || ok=0 ;;
	reject)	[ "$out" = refused ] || ok=0 ;;
	*)	ok=0 ;;
	esac
	T_CHECKS=$((T_CHECKS + 1))
	if [ $ok = 1 ]; then
		say "ok: $what: $target $want ($out in $ms ms)"
	else
		fail "$what: $target: want $want, got '${line:-nothing}'"
	fi
}

# rule FILE NAME ACTION OPERATOR [DURATION [PRECEDENCE]]: an OpenSnitch
# rule file, written where tattled reads it (FILE relative to the rules
# directory, or an absolute path).
rule() {
	local f=$1
	case $f in /*) ;; *) f=$T_TMP/rules/$f ;; esac
	# One write: tattled, watching, must see the whole file at once.
	{
		printf '{"created": "2026-01-01T00:00:00Z", "name": "%s", ' "$2"
		printf '"enabled": true, "precedence": %s, "action": "%s", ' \
		    "${6:-false}" "$3"
		printf '"duration": "%s", "operator": %s}\n' "${5:-always}" "$4"
	} > "$f"
}

# op OPERAND DATA: a simple operator; op_list OP...: all of them.
op() {
	printf '{"type": "simple", "operand": "%s", "data": "%s", %s}' \
	    "$1" "$2" '"sensitive": false'
}

op_net() {
	printf '{"type": "network", "operand": "%s", "data": "%s", %s}' \
	    "$1" "$2" '"sensitive": false'
}

op_list() {
	local IFS=,
	printf '{"type": "list", "operand": "list", "list": [%s]}' "$*"
}

# stop_tattled: SIGTERM, and the exit status (0: a clean stop).
stop_tattled() {
	[ -n "$TPID" ] || return 0
	T0=$(now_ms)
	kill -TERM "$TPID"
	wait_exit 3000
	check_eq "SIGTERM: tattled stops cleanly" "$EXIT_STATUS" 0
}

# Does NS have tattle's table?
fw_table_present() { in_ns nft list table inet tattle >/dev/null 2>&1; }

# ---------------------------------------------------------------------
# seccomp_check: in a --enable-seccomp-debug build, a child that makes a
# system call its allow-list lacks logs "seccomp: unexpected system
# call N" and exits: the allow-list misses an entry, and that fails the
# test.  start_tattled (before it empties the log) and done_test call
# it.  A test that provokes such calls sets T_SECCOMP_EXPECTED.
T_SECCOMP_EXPECTED=
seccomp_check() {
	[ -z "$T_SECCOMP_EXPECTED" ] && [ -n "${LOG:-}" ] && [ -s "$LOG" ] ||
	    return 0
	grep -q "seccomp: unexpected system call" "$LOG" || return 0
	T_CHECKS=$((T_CHECKS + 1))
	T_FAILS=$((T_FAILS + 1))
	say "FAIL: a system call outside the allow-list:"
	grep "seccomp: unexpected system call" "$LOG" | sed 's/^/    /'
}

# seccomp_debug_build: tattled was configured --enable-seccomp-debug.
seccomp_debug_build() {
	grep -q '^#define TATTLE_SECCOMP_DEBUG 1' "$top_builddir/config.h"
}
