#!/bin/bash
# Issue 15 item 3 (SECURITY.md C.23): a DNS query that a rule drops never
# left, so no reply to it may name an address.  The query to 10.53.1.3
# (no rule allows it: the default, deny) is dropped; a reply forged to
# its port and id from 10.53.1.3 then claims good.test for 10.77.1.2,
# and a connection there must be denied although a rule allows
# dest.host good.test (on port 80).  The control: a query that its rule
# lets leave, answered the same way, does name its address.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_peer
attack_rule allow-dns allow "$(op_json simple dest.ip 10.53.1.1)"
# good.test on port 80 only: a query for good.test is not allowed by it.
attack_rule allow-good allow "$(op_list "$(op_json simple dest.host \
    good.test)" "$(op_json simple dest.port 80)")"
start_tattled || exit 1
probe_peer_bg listen 0.0.0.0 80
sleep 0.3

# query_reply N SERVER: a query for good.test from port 42000+N to
# SERVER, then (once its verdict was given) SERVER's reply naming
# 10.77.1.N for it, with the query's id.
query_reply() {
	local port=$((42000 + $1))
	probe dns-query "$port" 10.53.1.2 "$2" good.test >/dev/null
	sleep 0.5
	probe_peer dns-reply "$port" 10.53.1.2 good.test "10.77.1.$1" good \
	    "$2" >/dev/null
	sleep 0.1
}

query_reply 1 10.53.1.1
check_probe "control: the reply to an allowed query names its address" ok \
    connect 10.77.1.1 80 1
query_reply 2 10.53.1.3
ev=$("$top_builddir/tattle" events --socket "$UISOCK" --json 2>&1)
check "the query to 10.53.1.3 was denied (tattle events)" grep -q \
    '"verdict":"deny".*"dst_ip":"10.53.1.3","dst_port":53' <<<"$ev"
grep -q '"dst_ip":"10.53.1.3"' <<<"$ev" || say "events: $ev"
check_probe "a forged reply to the dropped query names nothing" timeout \
    connect 10.77.1.2 80 1
check "every process survived" alive
done_test
