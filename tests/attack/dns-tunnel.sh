#!/bin/bash
# Issue 15 item 5: the shipped rules must not open a tunnel.  With
# tattle's own rules (policy/default/rules) and nothing else, a program
# may send DNS only to the resolvers resolv.conf names (and the local
# stub), DHCP only from its client port to a server on the local link:
# port 53 or 67 to any other address gets no answer.  resolv.conf is
# followed while tattled runs (the file is a symlink whose target is
# replaced by rename, as resolvconf and systemd-resolved do).
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_peer
# An address outside every LAN range, as a DHCP server elsewhere would be.
# The edges of 172.16/12, the private range the DHCP rule spells out.
for a in 198.51.100.1 172.31.0.1 172.32.0.1; do
	ip -n "$PEER" addr add "$a/32" dev att1
	ip -n "$NS" route add "$a/32" via 10.53.1.1
done
cp "$top_srcdir"/policy/default/rules/*.json "$T_TMP/rules/"
chown _tattle:_tattle "$T_TMP/rules"/*.json
mkdir -p "$T_TMP/etc" "$T_TMP/resolve"
printf '# written by the test\nnameserver 10.53.1.1\noptions edns0\n' \
    >"$T_TMP/resolve/stub.conf"
ln -s ../resolve/stub.conf "$T_TMP/etc/resolv.conf"
printf '{"DefaultAction":"deny","InterceptUnknown":true,%s}\n' \
    "\"ResolvConf\":[\"$T_TMP/etc/resolv.conf\"]" >"$T_TMP/config.json"

servers() {
	probe_peer_bg udp-echo 10.53.1.1 53 67 &&
	    probe_peer_bg udp-echo 10.53.1.3 53 67 &&
	    probe_peer_bg udp-echo 198.51.100.1 67 &&
	    probe_peer_bg udp-echo 172.31.0.1 67 &&
	    probe_peer_bg udp-echo 172.32.0.1 67 &&
	    probe_peer_bg listen 10.53.1.3 53
}
check "the servers in the peer serve" servers
check "tattled starts with the shipped rules" start_tattled
check "the resolver resolv.conf names is read" \
    grep -q "resolvers (TATTLE_RESOLVERS): 10.53.1.1$" "$LOG"

check_probe "DNS to the resolver resolv.conf names: answered" answered \
    udp-ask 40000 10.53.1.2 10.53.1.1 53
check_probe "UDP port 53 to another address: no answer (no tunnel)" \
    timeout udp-ask 40001 10.53.1.2 10.53.1.3 53
check_probe "TCP port 53 to another address: not connected" timeout \
    connect 10.53.1.3 53 2

# resolv.conf changes (its symlink's target is replaced): followed.
printf 'nameserver 10.53.1.3\n' >"$T_TMP/resolve/stub.conf.new"
mv "$T_TMP/resolve/stub.conf.new" "$T_TMP/resolve/stub.conf"
followed() {
	local i
	for i in $(seq 1 10); do
		[ "$(probe udp-ask $((40010 + i)) 10.53.1.2 10.53.1.3 53 |
		    tail -1)" = answered ] && return 0
	done
	return 1
}
check "the new resolver: answered once resolv.conf named it" followed
check "... and the log says so" \
    grep -q "resolvers (TATTLE_RESOLVERS): 10.53.1.3$" "$LOG"
check_probe "the old resolver, no longer named: no answer" timeout \
    udp-ask 40002 10.53.1.2 10.53.1.1 53

# The symlink itself replaced (to another file): followed too.
printf 'nameserver 10.53.1.1\nnameserver fe80::1%%att0\n' \
    >"$T_TMP/resolve/other.conf"
ln -s ../resolve/other.conf "$T_TMP/etc/resolv.conf.new"
mv -T "$T_TMP/etc/resolv.conf.new" "$T_TMP/etc/resolv.conf"
check "the re-pointed symlink: read" wait_log \
    "resolvers (TATTLE_RESOLVERS): 10.53.1.1 fe80::1$" 5000
check_probe "... its resolver: answered" answered \
    udp-ask 40004 10.53.1.2 10.53.1.1 53
check_probe "... the one before: no answer" timeout \
    udp-ask 40005 10.53.1.2 10.53.1.3 53

# DHCP: from port 68 to a server on the local link only.
check_probe "DHCP from port 68 to a LAN server: answered" answered \
    udp-ask 68 10.53.1.2 10.53.1.1 67
check_probe "port 67 from another port: no answer (no tunnel)" timeout \
    udp-ask 40003 10.53.1.2 10.53.1.3 67
check_probe "port 67 from 68 to an address off the LAN: no answer" \
    timeout udp-ask 68 10.53.1.2 198.51.100.1 67
check_probe "DHCP from port 68 to 172.31.0.1 (private): answered" answered \
    udp-ask 68 10.53.1.2 172.31.0.1 67
check_probe "port 67 from 68 to 172.32.0.1 (not private): no answer" \
    timeout udp-ask 68 10.53.1.2 172.32.0.1 67
check "every process survived" alive
done_test
