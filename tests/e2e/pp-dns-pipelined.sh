#!/bin/bash
# DNS over TCP with two queries in one segment: with "options use-vc"
# the C library writes its A and AAAA queries for a name in one writev,
# so one TCP segment carries two length-prefixed messages, and dnsmasq
# answers each.  Both answers must name their address.
#
# Expected to fail (XFAIL_TESTS in packet.am) until ruled reads every
# message of a TCP payload: names_dns() (ruled/names.c) parses only the
# first, so the AAAA query is never recorded and its answer is refused
# ("DNS reply for vc.tattle.test not trusted: no query pending from that
# client port").  dns_parse() already leaves the next message at
# buf + wire_len for its caller.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
pp_setup
peer_setup 10.55.0.32/32 fd55::32/128
serve_in "$NS_PEER" 7000
dns_start vc.tattle.test,10.55.0.32,fd55::32
ns_resolv "nameserver 10.55.0.2" "options use-vc timeout:1 attempts:1"
pp_config '"DefaultAction": "reject"'
rule 000-dns.json 000-dns allow "$(op dest.port 53)" always true
rule vc.json vc allow "$(op dest.host vc.tattle.test)"
start_tattled || { fail "start"; done_test; }

probe tcp,10.55.0.32,7000 tcp,fd55::32,7000
expect "before the lookup" tcp,10.55.0.32,7000 reject
expect "before the lookup" tcp,fd55::32,7000 reject
check_eq "vc.tattle.test resolved over TCP (A and AAAA)" \
    "$(resolve vc.tattle.test)" "10.55.0.32 fd55::32"
check "dnsmasq answered both over TCP" grep -q \
    "query\[AAAA\] vc.tattle.test" "$T_TMP/dnsmasq.log"
probe tcp,10.55.0.32,7000 tcp,fd55::32,7000
expect "the A answer names it" tcp,10.55.0.32,7000 allow
expect "the AAAA answer names it" tcp,fd55::32,7000 allow
if grep -q "not trusted" "$LOG"; then
	say "ruled refused a reply:"
	grep "not trusted" "$LOG" | sed 's/^/    /'
fi
stop_tattled
host_ruleset_check
done_test
