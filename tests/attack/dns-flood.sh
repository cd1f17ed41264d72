#!/bin/bash
# SECURITY.md C.29 and the DNS tables' bounds: queries nobody answers
# fill the tracker past MAX_DNSTRACK_PER_CLIENT (one client port) and
# MAX_DNSTRACK_QUERIES (all): the oldest give way, so their late replies
# name nothing while the newest still do.  20000 answered names flood
# the cache past MAX_DNSCACHE_ENTRIES: the least recently used names go
# (their addresses are no longer named), the newest stay, and ruled's
# memory stays bounded.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_peer
attack_rule_port allow-dns allow 53
attack_rule allow-names allow \
    "$(op_json regexp dest.host '^(t|g|flood)-[0-9-]+\\.test$')"
start_tattled || exit 1
probe_peer_bg listen 0.0.0.0 80 || fail "the test listener"
rss0=$(rss_kb ruled)

# ruled_stat NAME: one of ruled's counters, from tattle stats.
ruled_stat() {
	"$top_builddir/tattle" stats --socket "$UISOCK" --json 2>/dev/null |
	    grep -o "\"$1\":[0-9]*" | cut -d: -f2
}

# wait_stat NAME N: until ruled's counter NAME reaches N (10 s at most).
wait_stat() {
	local i n
	for i in $(seq 100); do
		n=$(ruled_stat "$1")
		[ "${n:-0}" -ge "$2" ] && return 0
		sleep 0.1
	done
	say "$1: only ${n:-0} of $2 in 10 s"
	return 1
}

# reply PORT NAME ADDR QID: the server's answer to a query of the burst,
# and until ruled has read it: the reply crosses the veth on its own
# time, and a connection made before it arrived would find no name,
# whatever tattle does.
reply() {
	local n0
	n0=$(ruled_stat dns_replies)
	probe_peer dns-reply "$1" 10.53.1.2 "$2" "$3" good 10.53.1.1 "$4" \
	    >/dev/null
	wait_stat dns_replies $((${n0:-0} + 1))
}

# left N: until ruled has seen N queries leave.  A reply before its
# query left would be a forgery: not copied.
left() { wait_stat dns_queries "$1"; }

# One client port, 65 queries: the first gave way to the 65th.
# The client keeps its socket open while its queries leave, as a
# resolver waiting for answers does: their copies then name its owner.
probe_bg dns-burst 43000 1 10.53.1.2 10.53.1.1 t 65 20
left 65
reply 43000 t-43000-1.test 10.77.2.1 1
reply 43000 t-43000-65.test 10.77.2.65 65
check_probe "one port's 65th query: its answer names" ok \
    connect 10.77.2.65 80 1
check_probe "one port's 1st query (MAX_DNSTRACK_PER_CLIENT): names nothing" \
    timeout connect 10.77.2.1 80 1
check "its answer was refused as unknown" grep -q \
    "DNS reply for t-43000-1.test not trusted: no query pending with that id" \
    "$LOG"

# 65 ports of 64 queries (4160): the oldest gave way to the newest.
probe_bg dns-burst 44000 65 10.53.1.2 10.53.1.1 g 64 20
left $((65 + 4160))
reply 44064 g-44064-64.test 10.77.3.2 64
reply 44000 g-44000-1.test 10.77.3.1 1
check_probe "the newest of 4160 queries: its answer names" ok \
    connect 10.77.3.2 80 1
check_probe "the oldest, past MAX_DNSTRACK_QUERIES: names nothing" \
    timeout connect 10.77.3.1 80 1

# 20000 names answered: more than the cache holds.
probe_peer_bg dns-server 10.53.1.1
sleep 0.3
T0=$(now_ms)
got=$(probe dns-flood 45000 10.53.1.2 10.53.1.1 flood 20000 | tail -1)
check_eq "20000 queries answered through tattled" "$got" "answered 20000"
say "20000 lookups in $(($(now_ms) - T0)) ms"
check_probe "the newest name still names its address" ok \
    connect 10.90.79.250 80 1
check_probe "the oldest, evicted (MAX_DNSCACHE_ENTRIES): names nothing" \
    timeout connect 10.90.0.1 80 1
rss1=$(rss_kb ruled)
say "ruled resident: $rss0 KiB before, $rss1 KiB after"
check "ruled grew by less than 16 MiB ($((rss1 - rss0)) KiB)" \
    test $((rss1 - rss0)) -lt 16384
check "every process survived" alive
done_test
