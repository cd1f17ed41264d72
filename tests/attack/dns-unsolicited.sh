#!/bin/bash
# Issue 15 item 3: DNS replies nobody asked for are never held.  While
# PEER's attacker address floods the namespace with datagrams from port
# 53 (three senders, each bounded: 2000000 datagrams or 8 s; udpflood.c,
# as Python cannot send fast enough), 20 real lookups to PEER's server
# are made: all 20 must be answered (packetd copies only the replies of
# flows it accepted, and copying holds nothing), and the flood must be
# counted in `tattle stats` (dns_unsolicited).
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_peer
attack_rule_port allow-dns allow 53
start_tattled || exit 1
probe_peer_bg dns-server 10.53.1.1
sleep 0.3

# Three flooders (with two, on a machine of two cores, the old copy
# queue still kept up), 20 lookups spread over the flood, one at a
# time, each waiting 2 s at most for its answer.
flood() {
	timeout 60 ip netns exec "$PEER" "$top_builddir/tests/attack/udpflood" \
	    10.53.1.3 53 10.53.1.2 2000000 8
}
flood >"$T_TMP/flood1" &
f1=$!
flood >"$T_TMP/flood2" &
f2=$!
flood >"$T_TMP/flood3" &
f3=$!
sleep 1
answered=0
for i in $(seq 1 20); do
	got=$(probe dns-flood $((46000 + i)) 10.53.1.2 10.53.1.1 real 1 |
	    tail -1)
	[ "$got" = "answered 1" ] && answered=$((answered + 1))
	sleep 0.1
done
wait "$f1" "$f2" "$f3"
say "flood: $(cat "$T_TMP/flood1"), $(cat "$T_TMP/flood2")," \
    "$(cat "$T_TMP/flood3")"
check_eq "20 real lookups answered during the flood" "$answered" 20
st=$("$top_builddir/tattle" stats --socket "$UISOCK" --json 2>&1)
n=$(printf '%s' "$st" | grep -o '"dns_unsolicited":[0-9]*' | cut -d: -f2)
say "dns_unsolicited: ${n:-none}"
check "the flood is counted in tattle stats (${n:-none})" \
    test "${n:-0}" -ge 1000
check "every process survived" alive
done_test
