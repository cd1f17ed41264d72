#!/bin/sh
# capture.sh CAPTURE OUTDIR: capture real DNS exchanges with dnsmasq.
#
# Creates two network namespaces joined by a veth pair (client 10.53.0.2
# and fd53::2, server 10.53.0.1 and fd53::1), runs dnsmasq in the server
# one with the records below, sends each query with CAPTURE (the
# ruled-dns-capture program) from a fixed port and id, and leaves STEM.query,
# STEM.reply and STEM.tuple in OUTDIR.  Everything it creates is removed
# on exit.  Needs root, ip(8), dnsmasq and ss(8).
#
# To refresh the committed data (tests/unit/ruled-dns-data.c expects it):
#	sudo tests/unit/data/dns/capture.sh \
#	    _build/tests/unit/ruled-dns-capture tests/unit/data/dns
set -eu

capture=$1
out=$2
cns=tattle-dns-c-$$
sns=tattle-dns-s-$$
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$cns" 2>/dev/null || :
	ip netns del "$sns" 2>/dev/null || :
}
trap cleanup EXIT INT TERM

ip netns add "$cns"
ip netns add "$sns"
ip link add v0 netns "$cns" type veth peer name v1 netns "$sns"
ip -n "$cns" link set lo up
ip -n "$sns" link set lo up
ip -n "$cns" addr add 10.53.0.2/24 dev v0
ip -n "$cns" addr add fd53::2/64 dev v0 nodad
ip -n "$sns" addr add 10.53.0.1/24 dev v1
ip -n "$sns" addr add fd53::1/64 dev v1 nodad
ip -n "$cns" link set v0 up
ip -n "$sns" link set v1 up

# .test is reserved (RFC 2606); --local makes dnsmasq answer NXDOMAIN
# for the rest of it instead of looking for an upstream.
ip netns exec "$sns" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --no-hosts --no-resolv --bind-interfaces \
    --listen-address=10.53.0.1 --listen-address=fd53::1 \
    --user=root --group=root --pid-file= --log-facility=- --log-queries \
    --local=/test/ --local-ttl=300 \
    --host-record=host.test,10.53.1.2,fd53:1::2 \
    --host-record=short.test,10.53.1.5,5 \
    --cname=www.chain.test,mid.chain.test,120 \
    --cname=mid.chain.test,host.test \
    --address=/multi.test/10.53.2.1 --address=/multi.test/10.53.2.2 \
    --address=/loop.test/127.0.0.1 &
pid=$!

i=0
until ip netns exec "$sns" ss -Hltn 'sport = :53' | grep -q 10.53.0.1 &&
    ip netns exec "$sns" ss -Hlun 'sport = :53' | grep -q fd53::1; do
	i=$((i + 1))
	if [ $i -gt 50 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "capture.sh: dnsmasq did not start" >&2
		exit 1
	fi
	sleep 0.1
done

# stem, options, client address, client port, id, name, type
cap() {
	stem=$1 opts=$2 client=$3 port=$4 id=$5 name=$6 type=$7
	case $client in
	*:*)	server=fd53::1 ;;
	*)	server=10.53.0.1 ;;
	esac
	ip netns exec "$cns" timeout 10 "$capture" $opts -b "$client" \
	    -p "$port" -s "$server" -i "$id" -o "$out/$stem" "$name" "$type"
}

cap a-host		""	10.53.0.2 40001 0x1a01 host.test 1
cap aaaa-host		""	fd53::2   40002 0x1a02 host.test 28
cap cname-chain		""	10.53.0.2 40003 0x1a03 WwW.cHaIn.TeSt 1
cap multi		""	10.53.0.2 40004 0x1a04 multi.test 1
cap nxdomain		""	10.53.0.2 40005 0x1a05 nx.test 1
cap loopback		""	10.53.0.2 40006 0x1a06 loop.test 1
cap tcp-host		-t	10.53.0.2 40007 0x1a07 host.test 1
cap edns-chain-aaaa	-e	fd53::2   40008 0x1a08 www.chain.test 28
cap short-ttl		""	10.53.0.2 40009 0x1a09 short.test 1
cap tcp6-chain		-t	fd53::2   40010 0x1a0a www.chain.test 28
