#!/bin/bash
# Issue 15 item 4: IP protocols tattle has no name for are judged like
# the rest.  From the namespace, a raw socket sends datagrams of IP
# protocol 253 (experimentation), then ICMP messages of type 42 (an
# extended echo request, which conntrack calls invalid), to PEER.  With
# the default action deny and no rule, none may arrive, and each is an
# event naming its protocol; with a `protocol` rule that allows it, they
# arrive.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_peer
start_tattled || exit 1

# arrived PROTO [ICMPTYPE]: how many of 5 datagrams reached PEER.
arrived() {
	probe_peer raw-count "$1" 3 ${2:+"$2"} >"$T_TMP/count" &
	local counter=$!
	sleep 0.5
	probe raw-send 10.53.1.1 "$1" 5 ${2:+"$2"} >/dev/null
	wait "$counter"
	sed 's/^seen //' "$T_TMP/count"
}

events() { "$top_builddir/tattle" events --socket "$UISOCK" --json 2>&1; }

check_eq "protocol 253, no rule: denied" "$(arrived 253)" 0
check_eq "icmp type 42, no rule: denied" "$(arrived 1 42)" 0
ev=$(events)
# denied_event PROTOCOL: a deny event for PROTOCOL from the namespace
# to PEER.
denied_event() {
	local want='"verdict":"deny".*"conn":{"protocol":"'$1'",'
	want=$want'"src_ip":"10.53.1.2".*"dst_ip":"10.53.1.1"'
	grep -q "$want" <<<"$ev"
}
check "protocol 253 is an event, named by its number" denied_event 253
check "icmp type 42 is an event" denied_event icmp

attack_rule allow-253 allow "$(op_json simple protocol 253)"
attack_rule allow-icmp allow "$(op_json simple protocol icmp)"
wait_log "rule file allow-icmp.json loaded" 5000
sleep 0.3
check_eq "protocol 253, allowed by a protocol rule: arrives" \
    "$(arrived 253)" 5
check_eq "icmp type 42, allowed by a protocol rule: arrives" \
    "$(arrived 1 42)" 5
check "every process survived" alive
done_test
