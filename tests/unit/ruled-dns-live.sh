#!/bin/sh
# ruled-dns-live.sh: capture fresh exchanges with dnsmasq in network namespaces
# of its own (tests/unit/data/dns/capture.sh) and run ruled-dns-data on
# them, so the parser is tried on what today's dnsmasq sends, not only on
# the committed bytes.  Needs root, ip(8), ss(8) and dnsmasq: 77 without.
set -eu

: "${srcdir:=$(dirname "$0")/../..}"
if [ "$(id -u)" != 0 ]; then
	echo "ruled-dns-live.sh: skip: needs root for network namespaces"
	exit 77
fi
for tool in ip ss dnsmasq; do
	if ! command -v "$tool" >/dev/null 2>&1 &&
	    ! [ -x "/usr/sbin/$tool" ]; then
		echo "ruled-dns-live.sh: skip: $tool not installed"
		exit 77
	fi
done
PATH=$PATH:/usr/sbin:/sbin

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$srcdir/tests/unit/data/dns/capture.sh" ./tests/unit/ruled-dns-capture "$tmp"
./tests/unit/ruled-dns-data "$tmp"
# Informational: the committed data came from the same configuration.
if cmp -s "$tmp/cname-chain.reply" \
    "$srcdir/tests/unit/data/dns/cname-chain.reply"; then
	echo "ruled-dns-live.sh: fresh replies equal the committed ones"
else
	echo "ruled-dns-live.sh: fresh replies differ from the committed ones" \
	    "(another dnsmasq version?)"
fi
