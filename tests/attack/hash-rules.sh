#!/bin/bash
# Issue 15 item 7: deny rules on a hash must deny.  process.hash.sha1 is
# an operand OpenSnitch accepts: a deny rule on it must be computed and
# compared, not skipped.  And a process whose hash cannot be computed
# (here: one that sends a datagram and exits before attributord could
# read its executable) has an unknown hash, which meets the same rule as
# a cut command line: it matches every deny rule on the hash, never an
# allow rule.  The default allows, so only a rule can stop a packet.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup '{"DefaultAction":"allow","InterceptUnknown":true}'
CLIENT=$top_builddir/tests/e2e/attrd-client
SERVER=$top_builddir/tests/e2e/attrd-server
BIN=$T_TMP/bin
SLOG=$T_TMP/server.log
PORT=8081
mkdir -p "$BIN"
chmod 755 "$BIN"
# copy NAME: a copy of the client with bytes of its own (its own hashes).
copy() {
	local p=$BIN/tattle-hash-$$-$1
	cp "$CLIENT" "$p" && printf 'hash test %s %s\n' "$$" "$1" >>"$p" &&
	    chmod 755 "$p" && printf '%s\n' "$p"
}
P_OK=$(copy ok)
P_SHA=$(copy sha1)
P_GONE=$(copy gone)
SHA1=$(sha1sum <"$P_SHA" | cut -d' ' -f1)
MD5=$(md5sum <"$P_GONE" | cut -d' ' -f1)
attack_rule deny-sha1 deny "$(op_json simple process.hash.sha1 "$SHA1")"
attack_rule deny-md5 deny "$(op_json simple process.hash.md5 "$MD5")"
start_tattled || exit 1
: >"$SLOG"
# Not in_ns: a function run with & is a subshell, $! would be its pid
# and killing it would leave the server behind.  ip netns exec execs.
ip netns exec "$NS" "$SERVER" "$PORT" "$SLOG" 120 &
PROBE_PIDS="$PROBE_PIDS $!"
for _ in $(seq 1 300); do grep -q ready "$SLOG" && break; sleep 0.01; done
check "the server started" grep -q ready "$SLOG"

# run CMD...: in the namespace (in the host's mount namespace, as a
# service would be); its exit status: 0 through, 2 no answer (dropped).
run() { nsenter --net="/run/netns/$NS" "$@"; }

run "$P_OK" tcp 127.0.0.1 $PORT 700
check_eq "a program no rule names: allowed (control)" "$?" 0
run "$P_SHA" tcp 127.0.0.1 $PORT 700
check_eq "the program a deny rule on process.hash.sha1 names: denied" "$?" 2
check "... and its sha1 was computed" \
    grep -q "rules need: md5 yes, sha1 yes" "$LOG"
run "$P_GONE" tcp 127.0.0.1 $PORT 700
check_eq "the program a deny rule on process.hash.md5 names: denied \
(control)" "$?" 2
# sent P MODE: P's datagram (MODE udp-exit: it exits at once; udp: it
# waits for the echo) in the namespace; did the server get it?
sent() {
	local p
	# nsenter execs the client: $! is the client's pid.
	nsenter --net="/run/netns/$NS" "$1" "$2" 127.0.0.1 $PORT 700 &
	p=$!
	wait "$p"
	for _ in $(seq 1 30); do
		grep -q "udp attrd $p\$" "$SLOG" && return 0
		sleep 0.01
	done
	return 1
}
# (Not a sender that exits at once: once a rule asks for a hash, such a
# sender's hash is unknown too, and every deny rule on it matches.)
check "a program no rule names, sending a datagram: passes (control)" \
    sent "$P_OK" udp
# Gone before its executable could be read: its md5 is unknown.
passed=0
for i in 1 2 3 4 5 6 7 8; do
	sent "$P_GONE" udp-exit && passed=$((passed + 1))
done
check_eq "the same program sending and exiting at once (md5 unknown when \
it was gone), 8 times: none passed" "$passed" 0
check "every process survived" alive
done_test
