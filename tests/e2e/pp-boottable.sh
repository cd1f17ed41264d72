#!/bin/bash
# The boot table (tattled --boot-table, tattle-early.service): loaded
# before tattled runs, it drops every new connection but loopback's;
# tattled takes it over and decides from then on; a configuration that
# cannot be read still gets it, and a tattled that cannot start leaves
# it in place; FailMode "open" loads none; a clean stop removes it.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
pp_setup
peer_setup
serve_in "$NS_PEER" 7000
serve_in "$NS" 7001
BLOG=$T_TMP/boot.log

boot_table() {
	in_ns "$TATTLED" --boot-table -c "$T_TMP/config.json" >"$BLOG" 2>&1
}

# 1. Before tattled: out is closed, loopback open.
boot_table
check_eq "boot table: exit status" "$?" 0
check "boot table: in place" fw_table_present
check "boot table: says so" grep -q "boot table inet tattle loaded" "$BLOG"
probe tcp,10.55.0.2,7000 udp,10.55.0.2,7000 tcp,fd55::2,7000 \
    tcp,127.0.0.1,7001 udp,127.0.0.1,7001 tcp,::1,7001
expect "boot table, no tattled" tcp,10.55.0.2,7000 deny
expect "boot table, no tattled" udp,10.55.0.2,7000 deny
expect "boot table, no tattled" tcp,fd55::2,7000 deny
expect "boot table, loopback" tcp,127.0.0.1,7001 allow
expect "boot table, loopback" udp,127.0.0.1,7001 allow
expect "boot table, loopback" tcp,::1,7001 allow

# 2. tattled takes the table over and decides: port 7000 allowed by a
# rule, everything else denied (its own table has no loopback rule: the
# shipped rules decide loopback, here none, so it is denied too).
# It says READY=1 to the service manager (Type=notify) once deciding.
rule allow-7000.json allow-7000 allow "$(op dest.port 7000)"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(60)
open(sys.argv[2], "wb").write(s.recv(4096))
' "$T_TMP/notify.sock" "$T_TMP/notify.out" &
bg_track $!
i=0
while [ ! -S "$T_TMP/notify.sock" ] && [ $i -lt 500 ]; do nap 0.01; i=$((i + 1)); done
NOTIFY_SOCKET=$T_TMP/notify.sock start_tattled || { done_test; }
i=0
while [ ! -s "$T_TMP/notify.out" ] && [ $i -lt 1000 ]; do nap 0.01; i=$((i + 1)); done
check "tattled: READY=1 to NOTIFY_SOCKET" grep -q "^READY=1" "$T_TMP/notify.out"
check "tattled: took the table over" grep -q "replaced .*table inet tattle" "$LOG"
check "tattled: table in place" fw_table_present
check "tattled: no loopback rule of the boot table" \
    sh -c '! ip netns exec "$1" nft list table inet tattle 2>/dev/null | grep -q loopback' \
    sh "$NS"
# The early unit started again while tattled runs leaves its table.
boot_table
check_eq "boot table over tattled's: exit status" "$?" 0
check "boot table over tattled's: left alone" grep -q "already there: left as it is" "$BLOG"
probe tcp,10.55.0.2,7000 tcp,10.55.0.2,7002 tcp,127.0.0.1,7001
expect "tattled deciding" tcp,10.55.0.2,7000 allow
expect "tattled deciding" tcp,10.55.0.2,7002 deny
expect "tattled deciding, loopback without a rule" tcp,127.0.0.1,7001 deny

# 3. A clean stop (systemctl stop) removes the table.
stop_tattled
check "clean stop: no table" sh -c '! ip netns exec "$1" nft list table inet tattle >/dev/null 2>&1' sh "$NS"

# 4. A broken configuration: the boot table with the defaults, and a
# tattled that refuses to start leaves it.
printf '{"DefaultAction": "deny", "FailMode": ' > "$T_TMP/config.json"
boot_table
check_eq "broken config: boot table exit status" "$?" 0
check "broken config: table in place" fw_table_present
check "broken config: says it took the defaults" \
    grep -q "fail-closed table with the defaults (queue 0)" "$BLOG"
check "broken config: names the file" grep -q "$T_TMP/config.json" "$BLOG"
: > "$LOG"
in_ns "$TATTLED" -f -c "$T_TMP/config.json" -r "$T_TMP/rules" \
    -s "$UISOCK" >>"$LOG" 2>&1
check "broken config: tattled refuses to start" test "$?" -ne 0
check "broken config: the table stays" fw_table_present
probe tcp,10.55.0.2,7000 tcp,127.0.0.1,7001
expect "broken config, boot table" tcp,10.55.0.2,7000 deny
expect "broken config, boot table, loopback" tcp,127.0.0.1,7001 allow
in_ns nft delete table inet tattle

# 5. FailMode open: no table at boot.
pp_config '"DefaultAction": "deny", "FailMode": "open"'
boot_table
check_eq "FailMode open: exit status" "$?" 0
check "FailMode open: no table" sh -c '! ip netns exec "$1" nft list table inet tattle >/dev/null 2>&1' sh "$NS"
check "FailMode open: says why" grep -q "FailMode is open: no table at boot" "$BLOG"
probe tcp,10.55.0.2,7000
expect "FailMode open, no tattled" tcp,10.55.0.2,7000 allow

host_ruleset_check
done_test
