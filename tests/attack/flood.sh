#!/bin/bash
# SECURITY.md B.22, D.33: 100000 new connections as fast as one process
# can send them (TCP SYNs from distinct ports, then UDP datagrams to
# distinct ports), none allowed by a rule; then 20000 while packetd is
# stopped, so that the kernel's queue overflows (QUEUE_MAXLEN_DEFAULT)
# for certain.  Every process stays under its memory bound (resident
# size sampled all along), tattled keeps answering (a port a rule allows
# opens during and after the flood), and not one packet of the flood
# gets through.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_rule_port allow-8080 allow 8080
FLOOD_N=${FLOOD_N:-100000}
# Bounds on resident memory, KiB (docs/limits.md, "Memory").
declare -A RSS_MAX=([packetd]=65536 [attributord]=65536 [ruled]=65536
    [promptd]=16384)

start_tattled || exit 1
probe_bg listen 127.0.0.1 8080 || fail "the test listener"
for r in packetd attributord ruled promptd; do
	say "resident before: $r $(rss_kb "$r") KiB"
done

# sample SECONDS: "role KiB" lines, every 100 ms, into $T_TMP/rss.
sample() {
	local end=$(($(now_ms) + $1 * 1000)) r
	while [ "$(now_ms)" -lt "$end" ]; do
		for r in packetd attributord ruled promptd; do
			echo "$r $(rss_kb "$r")"
		done
		sleep 0.1
	done >>"$T_TMP/rss"
}

peak() { awk -v r="$1" '$1 == r && $2 > m { m = $2 } END { print m + 0 }' \
    "$T_TMP/rss"; }

# answering SECONDS: connects to the allowed port, one a second.
answering() {
	local i ok=0 n=0
	for i in $(seq "$1"); do
		n=$((n + 1))
		[ "$(probe connect 127.0.0.1 8080 1 | tail -1)" = ok ] &&
		    ok=$((ok + 1))
		sleep 0.5
	done
	echo "$ok/$n"
}

for kind in syn udp; do
	port=$([ $kind = syn ] && echo 9000 || echo 20000)
	probe count-lo "$port" 25 >"$T_TMP/count-$kind" &
	counter=$!
	answering 8 >"$T_TMP/answering-$kind" &
	answerer=$!
	sample 12 &
	sampler=$!
	T0=$(now_ms)
	sent=$(probe flood-$kind 127.0.0.1 "$port" "$FLOOD_N" 20 | tail -1)
	took=$(($(now_ms) - T0))
	say "$kind flood: $FLOOD_N attempts, $sent accepted by the kernel, in $took ms"
	# Fields: queue portid waiting copy_mode copy_range dropped ...
	say "$kind flood: kernel queue dropped (full): $(in_ns awk \
	    '$1 == 0 { print $6 }' /proc/net/netfilter/nfnetlink_queue)"
	wait "$answerer" "$sampler"
	got=$(cat "$T_TMP/answering-$kind")
	check "$kind flood: the allowed port opened during the flood ($got)" \
	    [ "${got%/*}" -ge 1 ]
	check_probe "$kind flood: the allowed port opens after it" ok \
	    connect 127.0.0.1 8080 2
	wait "$counter"
	check_eq "$kind flood: packets of the flood that got through" \
	    "$(cat "$T_TMP/count-$kind")" "seen 0"
	check "$kind flood: every process survived" alive
done
# The kernel's queue driven past QUEUE_MAXLEN_DEFAULT for certain:
# packetd stopped, 20000 datagrams, then packetd let go.  What did not
# fit is dropped (fail closed); what waited is decided (denied).
probe count-lo 30000 15 >"$T_TMP/count-stopped" &
counter=$!
sleep 0.5
d0=$(in_ns awk '$1 == 0 { print $6 }' /proc/net/netfilter/nfnetlink_queue)
kill -STOP "$TPID"
probe flood-udp 127.0.0.1 30000 20000 10 >/dev/null
q=$(in_ns awk '$1 == 0 { print $3, $6 }' /proc/net/netfilter/nfnetlink_queue)
kill -CONT "$TPID"
check_eq "packetd stopped: the kernel queue holds QUEUE_MAXLEN_DEFAULT" \
    "${q% *}" 4096
check "packetd stopped: the rest was dropped ($((${q#* } - d0)))" \
    test $((${q#* } - d0)) -ge 15904
sample 3
check_probe "packetd let go: the allowed port opens" ok \
    connect 127.0.0.1 8080 2
wait "$counter"
check_eq "packetd let go: packets of the flood that got through" \
    "$(cat "$T_TMP/count-stopped")" "seen 0"
check "packetd let go: every process survived" alive

for r in packetd attributord ruled promptd; do
	p=$(peak "$r")
	check "$r: peak resident $p KiB <= ${RSS_MAX[$r]} KiB" \
	    test "$p" -gt 0 -a "$p" -le "${RSS_MAX[$r]}"
done
grep -E "pending table full|backlog full|no verdict in time" "$LOG" |
    sed 's/^/    /'
done_test
