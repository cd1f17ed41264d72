#!/bin/bash
# Allow, deny and reject by every tuple operand (dest.port, dest.ip,
# dest.network, protocol, user.id) and by dest.host, over TCP and UDP,
# IPv4 and IPv6, through the real tattled guarding NS.  dest.host comes
# from real lookups: the C library's resolver asks a dnsmasq in the peer
# namespace, and only the snooped reply can name the address.
#
# One tattled run per action, with every operand's rule carrying that
# action and a default action that differs from it: a matching
# connection must get the rule's verdict, its control (same path, one
# thing different) the default.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
pp_setup
peer_setup 10.55.0.20/32 10.55.0.21/32 10.55.1.5/32 10.55.2.5/32 \
    10.55.0.30/32 10.55.0.31/32 fd55::20/128 fd55::21/128 \
    fd55:1::5/128 fd55:2::5/128 fd55::30/128 fd55::31/128
serve_in "$NS" 7001 7002 7010 7011 7020
serve_in "$NS_PEER" 7000
dns_start good.tattle.test,10.55.0.30,fd55::30 \
    other.tattle.test,10.55.0.31,fd55::31
ns_resolv "nameserver 10.55.0.2" "options timeout:1 attempts:1"

# The rules of one run, all with ACTION; DNS itself always passes (an
# allow with precedence, ahead of everything by name), since a host
# rule also matches the query for its name.
write_rules() {
	rm -f "$T_TMP"/rules/*.json
	rule 000-dns.json 000-dns allow "$(op dest.port 53)" always true
	rule port.json port "$1" "$(op dest.port 7001)"
	rule ip4.json ip4 "$1" "$(op dest.ip 10.55.0.20)"
	rule ip6.json ip6 "$1" "$(op dest.ip fd55::20)"
	rule net4.json net4 "$1" "$(op_net dest.network 10.55.1.0/24)"
	rule net6.json net6 "$1" "$(op_net dest.network fd55:1::/64)"
	rule proto-udp.json proto-udp "$1" \
	    "$(op_list "$(op dest.port 7010)" "$(op protocol udp)")"
	rule proto-udp6.json proto-udp6 "$1" \
	    "$(op_list "$(op dest.port 7010)" "$(op protocol udp6)")"
	rule proto-tcp.json proto-tcp "$1" \
	    "$(op_list "$(op dest.port 7011)" "$(op protocol tcp)")"
	rule proto-tcp6.json proto-tcp6 "$1" \
	    "$(op_list "$(op dest.port 7011)" "$(op protocol tcp6)")"
	rule uid.json uid "$1" "$(op user.id 65534)"
	rule host.json host "$1" "$(op dest.host good.tattle.test)"
}

# "operand target m|c": m matches the operand's rule, c is its control.
cases() {
	local p
	for p in tcp udp; do
		echo "dest.port $p,127.0.0.1,7001 m"
		echo "dest.port $p,::1,7001 m"
		echo "dest.port $p,127.0.0.1,7002 c"
		echo "dest.port $p,::1,7002 c"
		echo "dest.ip $p,10.55.0.20,7000 m"
		echo "dest.ip $p,fd55::20,7000 m"
		echo "dest.ip $p,10.55.0.21,7000 c"
		echo "dest.ip $p,fd55::21,7000 c"
		echo "dest.network $p,10.55.1.5,7000 m"
		echo "dest.network $p,fd55:1::5,7000 m"
		echo "dest.network $p,10.55.2.5,7000 c"
		echo "dest.network $p,fd55:2::5,7000 c"
		echo "dest.host $p,10.55.0.30,7000 m"
		echo "dest.host $p,fd55::30,7000 m"
		echo "dest.host $p,10.55.0.31,7000 c"
		echo "dest.host $p,fd55::31,7000 c"
		echo "user.id(root) $p,127.0.0.1,7020 c"
		echo "user.id(root) $p,::1,7020 c"
	done
	for a in 127.0.0.1 ::1; do
		echo "protocol udp,$a,7010 m"
		echo "protocol tcp,$a,7010 c"
		echo "protocol tcp,$a,7011 m"
		echo "protocol udp,$a,7011 c"
	done
}

run() {
	local action=$1 default=$2 operand target kind want targets=""
	write_rules "$action"
	pp_config "\"DefaultAction\": \"$default\""
	start_tattled || { fail "$action: start"; return; }
	check_eq "$action: good.tattle.test resolved through dnsmasq" \
	    "$(resolve good.tattle.test)" "10.55.0.30 fd55::30"
	check_eq "$action: other.tattle.test resolved through dnsmasq" \
	    "$(resolve other.tattle.test)" "10.55.0.31 fd55::31"
	while read -r operand target kind; do
		targets="$targets $target"
	done <<-EOF
	$(cases)
	EOF
	# shellcheck disable=SC2086
	probe $targets
	while read -r operand target kind; do
		[ "$kind" = m ] && want=$action || want=$default
		expect "$action by $operand ($([ "$kind" = m ] && echo match ||
		    echo control))" "$target" "$want"
	done <<-EOF
	$(cases)
	EOF
	probe -u 65534 tcp,127.0.0.1,7020 udp,127.0.0.1,7020 tcp,::1,7020 \
	    udp,::1,7020
	for target in tcp,127.0.0.1,7020 udp,127.0.0.1,7020 tcp,::1,7020 \
	    udp,::1,7020; do
		expect "$action by user.id (nobody: match)" "$target" "$action"
	done
	check "$action: the rules came from files, none refused" \
	    grep -q "ruled: 12 rules loaded" "$LOG"
	stop_tattled
}

run allow deny
run deny allow
run reject allow
check "dnsmasq answered the lookups" grep -q \
    "good.tattle.test is 10.55.0.30" "$T_TMP/dnsmasq.log"
host_ruleset_check
done_test
