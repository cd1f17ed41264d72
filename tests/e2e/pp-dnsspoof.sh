#!/bin/bash
# dest.host comes only from a DNS reply that answers a query seen
# leaving NS: a reply with no query, a wrong transaction id, a wrong
# port, a wrong server, a wrong question, or a second reply to a query
# already answered names nothing.  The spoofer is a process in the peer
# namespace sending crafted DNS payloads from port 53 of the address the
# query went to (10.55.0.3 / fd55::3, where no server listens), as an
# off-path attacker would.  The same crafted reply with everything right
# does name the address, and so do genuine lookups through dnsmasq, over
# UDP and over TCP (resolv.conf's use-vc).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
pp_setup
peer_setup 10.55.0.3/32 10.55.0.4/32 10.55.0.30/32 10.55.0.32/32 \
    fd55::3/128 fd55::4/128 fd55::30/128 fd55::32/128 \
    10.55.0.41/32 10.55.0.42/32 10.55.0.43/32 10.55.0.44/32 \
    10.55.0.45/32 10.55.0.46/32 10.55.0.47/32 \
    fd55::41/128 fd55::42/128 fd55::43/128 fd55::44/128 \
    fd55::45/128 fd55::46/128 fd55::47/128
serve_in "$NS_PEER" 7000
dns_start good.tattle.test,10.55.0.30,fd55::30 \
    vc.tattle.test,10.55.0.32,fd55::32
ns_resolv "nameserver 10.55.0.2" "options timeout:1 attempts:1"

pp_config '"DefaultAction": "reject"'
rule 000-dns.json 000-dns allow "$(op dest.port 53)" always true
rule good.json good allow "$(op dest.host good.tattle.test)"
rule evil.json evil allow "$(op dest.host evil.tattle.test)"
rule vc.json vc allow "$(op dest.host vc.tattle.test)"
start_tattled || { fail "start"; done_test; }

# spoof FAMILY: the cases for one family (4: A over IPv4, 6: AAAA over
# IPv6); the client's queries leave from ports 4x002.
spoof() {
	local f=$1 p net client res other type port
	if [ "$f" = 4 ]; then
		net=10.55.0. client=10.55.0.1 res=10.55.0.3 other=10.55.0.4
		type=A port=40000
	else
		net=fd55:: client=fd55::1 res=fd55::3 other=fd55::4
		type=AAAA port=41000
	fi
	probe tcp,${net}41,7000 tcp,${net}44,7000
	expect "IPv$f: before any reply" tcp,${net}41,7000 reject
	expect "IPv$f: before any reply" tcp,${net}44,7000 reject

	in_peer "$PPNET" dnsr -b $res -x 4369 -T $type -a ${net}41 \
	    $client $((port + 1)) good.tattle.test >/dev/null
	probe tcp,${net}41,7000
	expect "IPv$f: a reply to no query names nothing" \
	    tcp,${net}41,7000 reject

	in_ns "$PPNET" dnsq -s $((port + 2)) -x 8738 -T $type $res \
	    good.tattle.test >/dev/null
	in_peer "$PPNET" dnsr -b $res -x 8739 -T $type -a ${net}42 \
	    $client $((port + 2)) good.tattle.test >/dev/null
	in_peer "$PPNET" dnsr -b $res -x 8738 -T $type -a ${net}43 \
	    $client $((port + 3)) good.tattle.test >/dev/null
	in_peer "$PPNET" dnsr -b $other -x 8738 -T $type -a ${net}46 \
	    $client $((port + 2)) good.tattle.test >/dev/null
	in_peer "$PPNET" dnsr -b $res -x 8738 -T $type -a ${net}47 \
	    $client $((port + 2)) evil.tattle.test >/dev/null
	probe tcp,${net}42,7000 tcp,${net}43,7000 tcp,${net}46,7000 \
	    tcp,${net}47,7000
	expect "IPv$f: wrong transaction id" tcp,${net}42,7000 reject
	expect "IPv$f: wrong port" tcp,${net}43,7000 reject
	expect "IPv$f: wrong server" tcp,${net}46,7000 reject
	expect "IPv$f: wrong question" tcp,${net}47,7000 reject

	in_peer "$PPNET" dnsr -b $res -x 8738 -T $type -a ${net}44 \
	    $client $((port + 2)) good.tattle.test >/dev/null
	in_peer "$PPNET" dnsr -b $res -x 8738 -T $type -a ${net}45 \
	    $client $((port + 2)) good.tattle.test >/dev/null
	probe tcp,${net}44,7000 tcp,${net}45,7000 tcp,${net}42,7000 \
	    tcp,${net}43,7000 tcp,${net}46,7000 tcp,${net}47,7000
	expect "IPv$f: the right reply names it" tcp,${net}44,7000 allow
	expect "IPv$f: a second reply to an answered query" \
	    tcp,${net}45,7000 reject
	for p in 42 43 46 47; do
		expect "IPv$f: still nothing from spoof .$p" \
		    tcp,${net}$p,7000 reject
	done
}

spoof 4
spoof 6

# Genuine lookups through dnsmasq, by the C library: over UDP, then
# over TCP (one query per connection: ahostsv4 asks for A only; two
# queries in one segment are pp-dns-pipelined.sh's case).  Names are per
# uid: root's lookup names nothing for nobody.
probe tcp,10.55.0.30,7000 tcp,fd55::30,7000 tcp,10.55.0.32,7000
for t in tcp,10.55.0.30,7000 tcp,fd55::30,7000 tcp,10.55.0.32,7000; do
	expect "before the genuine lookup" $t reject
done
check_eq "good.tattle.test resolved over UDP" \
    "$(resolve good.tattle.test)" "10.55.0.30 fd55::30"
ns_resolv "nameserver 10.55.0.2" "options use-vc timeout:1 attempts:1"
check_eq "vc.tattle.test resolved over TCP (A only)" \
    "$(in_ns_dns getent ahostsv4 vc.tattle.test | awk '{ print $1 }' |
    sort -u)" "10.55.0.32"
check "dnsmasq saw the TCP lookup" grep -q "query\[A\] vc.tattle.test" \
    "$T_TMP/dnsmasq.log"
probe tcp,10.55.0.30,7000 tcp,fd55::30,7000 udp,10.55.0.30,7000 \
    udp,fd55::30,7000 tcp,10.55.0.32,7000
expect "genuine reply over UDP names it" tcp,10.55.0.30,7000 allow
expect "genuine reply over UDP names it" tcp,fd55::30,7000 allow
expect "genuine reply over UDP names it" udp,10.55.0.30,7000 allow
expect "genuine reply over UDP names it" udp,fd55::30,7000 allow
expect "genuine reply over TCP names it" tcp,10.55.0.32,7000 allow
probe -u 65534 tcp,10.55.0.30,7000 tcp,fd55::30,7000
expect "root's lookup names nothing for nobody" tcp,10.55.0.30,7000 reject
expect "root's lookup names nothing for nobody" tcp,fd55::30,7000 reject

stop_tattled
host_ruleset_check
done_test
