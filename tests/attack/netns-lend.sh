#!/bin/bash
# A program in another network namespace lends its identity.  tracefs
# sees every namespace's sockets, and the same 5-tuple can stand in
# another one: an unprivileged `unshare -rn` makes a namespace, any
# address and port are free there.  A program here that no rule allows
# connects from a port of its choice; once its own connect event has
# aged out of attributord's flow table (5 s), an allowed program in the
# other namespace connects with the same tuple, and the first program's
# next SYN retransmit (7 s) was attributed to it and allowed.  Only
# events of the guarded namespace's processes may name a connection;
# the others are no candidates (attributord reads /proc/PID/ns/net), and
# sock_diag finds the real owner.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup '{"DefaultAction":"deny"}'
attack_peer
OTHER=$(printf 'tattle-%s-other' "$$" | cut -c1-30)
OTHERP=$(printf 'tattle-%s-otherp' "$$" | cut -c1-30)
netns_lend_cleanup() {
	ip netns del "$OTHER" 2>/dev/null
	ip netns del "$OTHERP" 2>/dev/null
	attack_cleanup
}
trap netns_lend_cleanup EXIT INT TERM
# The other world: the same addresses as the guarded one's.
ip netns add "$OTHER" && ip netns add "$OTHERP" ||
    { say "cannot create the other namespaces"; exit 1; }
ip -n "$OTHER" link set lo up
ip -n "$OTHERP" link set lo up
ip -n "$OTHER" link add o0 type veth peer name o1 netns "$OTHERP"
ip -n "$OTHER" addr add 10.53.1.2/24 dev o0
ip -n "$OTHERP" addr add 10.53.1.1/24 dev o1
ip -n "$OTHER" link set o0 up
ip -n "$OTHERP" link set o1 up

BIN=$T_TMP/bin
mkdir -p "$BIN"
chmod 755 "$BIN"
GOOD=$BIN/tattle-good-$$
cp "$(readlink -f /usr/bin/python3)" "$GOOD"
chmod 755 "$GOOD"
attack_rule allow-good allow "$(op_json simple process.path "$GOOD")"
start_tattled || exit 1
probe_peer_bg listen 10.53.1.1 7000
probe_start "$OTHERP" listen 10.53.1.1 7000

# connect PORT SECONDS [HOLD]: from 10.53.1.2:PORT to 10.53.1.1:7000;
# "bound", then ok, timeout or refused; an ok connection is held HOLD
# seconds (default 6).
CONNECT='
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.53.1.2", int(sys.argv[1])))
s.settimeout(float(sys.argv[2]))
print("bound", flush=True)
try:
    s.connect(("10.53.1.1", 7000)); print("ok", flush=True)
    time.sleep(float(sys.argv[3]) if len(sys.argv) > 3 else 6)
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
'
PORT=40123
# The control: the allowed program, here, is allowed.
check_eq "the allowed program here: allowed (control)" \
    "$(in_ns env PYTHONHOME=/usr "$GOOD" -c "$CONNECT" 40124 5 | tail -1)" ok

# lend PORT HOLD: the program no rule allows, here, from PORT: its SYN
# and retransmits (1 s, 3 s, 7 s, 15 s) wait up to 12 s; between its
# 3 s and 7 s retransmits (its own event is older than 5 s at the 7 s
# one) the allowed program, in the other namespace, connects with the
# same tuple and holds it HOLD seconds.
lend() {
	local port=$1 hold=$2 what
	what="lender holding ${hold} s"
	in_ns python3 -c "$CONNECT" "$port" 12 >"$T_TMP/denied.$port" 2>&1 &
	bg_track $!
	for _ in $(seq 1 200); do
		grep -q bound "$T_TMP/denied.$port" && break
		nap 0.05
	done
	check "$what: the denied program started" grep -q bound \
	    "$T_TMP/denied.$port"
	nap 4.5
	ip netns exec "$OTHER" env PYTHONHOME=/usr "$GOOD" -c "$CONNECT" \
	    "$port" 5 "$hold" >"$T_TMP/lender.$port" 2>&1 &
	LPID=$!		# ip netns exec and env exec: python's own pid
	bg_track $LPID
	for _ in $(seq 1 400); do
		[ "$(tail -1 "$T_TMP/denied.$port")" != bound ] && break
		nap 0.05
	done
	check "$what: the lender connected in its own namespace" \
	    grep -q '^ok$' "$T_TMP/lender.$port"
	check_eq "$what: the denied program stays denied" \
	    "$(tail -1 "$T_TMP/denied.$port")" timeout
	check "$what: nothing here attributed to the lender (pid $LPID)" \
	    sh -c '! grep -q "conn [0-9]*: [a-z_]*, pid $1," "$2"' sh \
	    "$LPID" "$LOG"
}
# A lender alive when attributord looks (its namespace is read), and
# one gone at once (nobody read it: the socket's owner decides).
lend 40123 6
lend 40125 0
done_test
