#!/bin/sh
# packet-e2e.sh: run packet-e2e inside a network namespace made here and
# removed on exit, and check that the machine's own ruleset is the same
# before and after.  Needs root (77: skipped, which the runner counts).
set -u

if [ "$(id -u)" != 0 ]; then
	echo "skip: packet-e2e needs root"
	exit 77
fi
for t in ip nft; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "skip: $t not installed"
		exit 77
	fi
done

prog=./tests/e2e/packet-e2e
ns="tattle-pkt-$$"
peer="tattle-peer-$$"
before=$(mktemp)
after=$(mktemp)
trap 'ip netns del "$ns" 2>/dev/null; ip netns del "$peer" 2>/dev/null;
    rm -f "$before" "$after"' EXIT

nft list ruleset >"$before" || exit 1
ip netns add "$ns" || exit 1
ip netns add "$peer" || exit 1
ip -n "$ns" link set lo up || exit 1

# A veth to a second namespace: only IPv6 link-local addresses, so that
# the firewall sees neighbour discovery (which it must not queue).
ip -n "$ns" link add tpa type veth peer name tpb netns "$peer" || exit 1
ip netns exec "$ns" sysctl -qw net.ipv6.conf.tpa.accept_dad=0 || exit 1
ip netns exec "$peer" sysctl -qw net.ipv6.conf.tpb.accept_dad=0 || exit 1
ip -n "$ns" link set tpa up || exit 1
ip -n "$peer" link set tpb up || exit 1
ll=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	ll=$(ip -n "$peer" -6 -o addr show dev tpb scope link |
	    sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)\/64.*/\1/p')
	[ -n "$ll" ] && break
	sleep 0.2
done
if [ -z "$ll" ]; then
	echo "FAIL: no link-local address on the peer's veth"
	exit 1
fi

rc=0
timeout 120 ip netns exec "$ns" "$prog" tpa "$ll" || rc=1

# The echo went out after neighbour discovery resolved the peer.
if ! ip -n "$ns" -6 neigh show dev tpa | grep -q "^$ll "; then
	echo "FAIL: no neighbour entry for $ll: discovery did not run"
	rc=1
fi

# A clean stop leaves no table behind in the namespace.
left=$(ip netns exec "$ns" nft list tables)
if [ -n "$left" ]; then
	echo "FAIL: tables left in $ns: $left"
	rc=1
fi
ip netns del "$ns" || rc=1
ip netns del "$peer" || rc=1

nft list ruleset >"$after" || rc=1
if ! cmp -s "$before" "$after"; then
	echo "FAIL: the host namespace's ruleset changed:"
	diff "$before" "$after"
	rc=1
else
	echo "host ruleset unchanged ($(wc -l <"$before") lines)"
fi
[ $rc = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $rc
