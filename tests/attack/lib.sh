# tests/attack/lib.sh: what the attack tests share, on top of
# tests/e2e/lib.sh (a network namespace, the real tattled from the build
# tree, its log).  Sourced by the tests.

. "${top_srcdir:-.}/tests/e2e/lib.sh"

PROBE=$top_srcdir/tests/attack/probe.py
PROBE_PIDS=

# probe ARGS...: probe.py inside the namespace, bounded to 120 s.
probe() { timeout 120 ip netns exec "$NS" python3 "$PROBE" "$@"; }

# probe_start NETNS CMD ARGS...: probe.py in NETNS in the background; a
# server (listen, udp-echo, dns-server) is waited for until it serves (a
# connection made before would be refused by the kernel, whatever
# tattle decided).
probe_start() {
	local ns=$1 out=$T_TMP/probe-bg.$RANDOM i=0
	shift
	ip netns exec "$ns" python3 "$PROBE" "$@" >"$out" 2>&1 &
	PROBE_PIDS="$PROBE_PIDS $!"
	case $1 in
	listen|udp-echo|dns-server) ;;
	*) return 0 ;;
	esac
	while [ $i -lt 1000 ]; do
		grep -Eqs '^(listening|echoing|serving)' "$out" && return 0
		sleep 0.01
		i=$((i + 1))
	done
	say "probe $* in $ns did not start: $(cat "$out")"
	return 1
}

# probe_bg ARGS...: probe_start in the test's namespace.
probe_bg() { probe_start "$NS" "$@"; }

attack_cleanup() {
	local p
	for p in $PROBE_PIDS; do
		kill "$p" 2>/dev/null
	done
	PROBE_PIDS=
	[ -n "${PEER:-}" ] && ip netns del "$PEER" 2>/dev/null
	cleanup
}

# attack_peer: a second namespace, the outside world, joined to the
# test's by a veth: NS 10.53.1.2, PEER 10.53.1.1 (a server) and
# 10.53.1.3 (an attacker).  10.77.0.0/16 and 10.90.0.0/16 are PEER's
# own (local routes), reached from NS through it.
attack_peer() {
	PEER=$(printf 'tattle-%s-peer' "$$" | cut -c1-30)
	ip netns add "$PEER" || { say "cannot create netns $PEER"; exit 1; }
	ip -n "$PEER" link set lo up
	ip -n "$NS" link add att0 type veth peer name att1 netns "$PEER"
	ip -n "$NS" addr add 10.53.1.2/24 dev att0
	ip -n "$PEER" addr add 10.53.1.1/24 dev att1
	ip -n "$PEER" addr add 10.53.1.3/32 dev att1
	ip -n "$NS" link set att0 up
	ip -n "$PEER" link set att1 up
	ip -n "$NS" route add 10.77.0.0/16 via 10.53.1.1
	ip -n "$NS" route add 10.90.0.0/16 via 10.53.1.1
	ip -n "$PEER" route add local 10.77.0.0/16 dev lo
	ip -n "$PEER" route add local 10.90.0.0/16 dev lo
}

# probe_peer ARGS..., probe_peer_bg ARGS...: probe.py in PEER.
probe_peer() { timeout 120 ip netns exec "$PEER" python3 "$PROBE" "$@"; }
probe_peer_bg() { probe_start "$PEER" "$@"; }

# attack_setup [CONFIG-JSON]: setup() and a config (default: deny, and
# unknown processes decided by the rules).
ATTACK_CONFIG='{"DefaultAction":"deny","InterceptUnknown":true}'
attack_setup() {
	setup
	trap attack_cleanup EXIT INT TERM
	printf '%s\n' "${1:-$ATTACK_CONFIG}" >"$T_TMP/config.json"
}

# rule_json NAME ACTION OPERATOR-JSON: a rule, as one line of JSON.
rule_json() {
	local f='{"name":"%s","action":"%s","duration":"always",'
	f="$f"'"enabled":true,"operator":%s}\n'
	# shellcheck disable=SC2059
	printf "$f" "$1" "$2" "$3"
}

# op_json TYPE OPERAND DATA: an operator.
op_json() {
	printf '{"type":"%s","operand":"%s","data":"%s"}' "$1" "$2" "$3"
}

# attack_rule NAME ACTION OPERATOR-JSON: a rule file (packetd's user's).
attack_rule() {
	rule_json "$@" >"$T_TMP/rules/$1.json"
	chown _tattle:_tattle "$T_TMP/rules/$1.json"
}

# attack_rule_port NAME ACTION PORT
attack_rule_port() {
	attack_rule "$1" "$2" "$(op_json simple dest.port "$3")"
}

# pid_of ROLE: packetd's or a child's pid.
pid_of() {
	if [ "$1" = packetd ]; then echo "$TPID"; else child_pid "$1"; fi
}

# rss_kb ROLE: resident memory of that process, in KiB.
rss_kb() { status_field "$(pid_of "$1")" VmRSS; }

# running PID: the process exists and is not a zombie (a child whose
# parent died is reparented to init, which may reap it late).
running() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# alive: tattled and its three children still run.
alive() {
	[ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null &&
	    [ -n "$(child_pid attributord)" ] && [ -n "$(child_pid ruled)" ] &&
	    [ -n "$(child_pid promptd)" ]
}

# check_probe WHAT WANT ARGS...: a probe whose one-line answer must be WANT.
check_probe() {
	local what=$1 want=$2 got
	shift 2
	got=$(probe "$@" 2>&1 | tail -1)
	check_eq "$what" "$got" "$want"
}

# run_tattled_fg [ARGS...]: tattled in the foreground until it exits
# (20 s at most); its status in RC, its output in $LOG.
run_tattled_fg() {
	timeout 20 "$TATTLED" -f -c "$T_TMP/config.json" -r "$T_TMP/rules" \
	    -s "$UISOCK" --netns "$NS" "$@" >"$LOG" 2>&1
	RC=$?
}
