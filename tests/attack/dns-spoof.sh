#!/bin/bash
# SECURITY.md C.23-26: DNS replies that must not name an address.  A
# rule allows dest.host good.test.  Each reply below, from the world
# outside the namespace, claims good.test for an address of its own;
# a connection to that address must then be denied, because ruled
# trusts only a reply that answers a query it saw leave (same id,
# client address and port, server, question) and that parses whole.  A
# real answer names its address before and after the attacks (the
# control): the denials are the trust at work, and ruled survived them.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_peer
attack_rule_port allow-dns allow 53
attack_rule allow-good allow "$(op_json simple dest.host good.test)"
start_tattled || exit 1
probe_peer_bg listen 0.0.0.0 80
sleep 0.3

# dns_case N MODE [SENDER] [NOQUERY]: a reply for good.test naming
# 10.77.1.N, after a query from port 41000+N (unless NOQUERY).
dns_case() {
	local port=$((41000 + $1))
	[ -n "${4:-}" ] ||
	    probe dns-query "$port" 10.53.1.2 10.53.1.1 good.test >/dev/null
	probe_peer dns-reply "$port" 10.53.1.2 good.test "10.77.1.$1" "$2" \
	    "${3:-10.53.1.1}" >/dev/null
	sleep 0.05
}

# denied N WHAT: a connection to 10.77.1.N must not get through.
denied() { check_probe "$2: denied" timeout connect "10.77.1.$1" 80 1; }

dns_case 1 good
check_probe "control: a real answer names its address" ok \
    connect 10.77.1.1 80 1

dns_case 2 good 10.53.1.1 noquery
denied 2 "unsolicited reply (no query from that port)"
dns_case 3 good 10.53.1.3
denied 3 "reply from another server than the query's"
dns_case 4 badid
denied 4 "reply with another transaction id"
dns_case 5 badname
denied 5 "reply to another question"
dns_case 6 loop
denied 6 "compression pointer loop"
dns_case 7 forward
denied 7 "compression pointer past the end"
dns_case 8 truncated
denied 8 "truncated answer"
dns_case 9 many:1000
denied 9 "1000 answers (over the 12 KiB packetd copies)"
dns_case 10 longchain
denied 10 "CNAME chain longer than MAX_DNS_CHAIN"
# A reply that answers the query is trusted once: a copy is not.
dns_case 11 good
check_probe "control: the real answer again" ok connect 10.77.1.11 80 1
probe_peer dns-reply 41011 10.53.1.2 good.test 10.77.1.12 good \
    10.53.1.1 >/dev/null
sleep 0.05
denied 12 "a second reply to an answered query"
# 700 answers fit in what is copied: trusted, the first 32 are read.
dns_case 13 many:700
check_probe "700 answers in one reply: parsed, the first names" ok \
    connect 10.77.1.13 80 1

check "ruled and its siblings survived every reply" alive
refusals=$(grep -c 'ruled: DNS reply.*\(not trusted\|pointer\|runs past\)' \
    "$LOG")
check "each refusal logged with its reason ($refusals)" test "$refusals" -ge 6
dns_case 14 good
check_probe "control after the attacks: a real answer still names" ok \
    connect 10.77.1.14 80 1
done_test
