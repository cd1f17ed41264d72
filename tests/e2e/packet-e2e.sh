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
before=$(mktemp)
after=$(mktemp)
trap 'ip netns del "$ns" 2>/dev/null; rm -f "$before" "$after"' EXIT

nft list ruleset >"$before" || exit 1
ip netns add "$ns" || exit 1
ip -n "$ns" link set lo up || exit 1

rc=0
timeout 120 ip netns exec "$ns" "$prog" || rc=1

# A clean stop leaves no table behind in the namespace.
left=$(ip netns exec "$ns" nft list tables)
if [ -n "$left" ]; then
	echo "FAIL: tables left in $ns: $left"
	rc=1
fi
ip netns del "$ns" || rc=1

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
