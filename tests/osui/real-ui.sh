#!/bin/bash
# The real opensnitch-ui 1.5.8 (Debian's python3-opensnitch-ui), headless
# (QT_QPA_PLATFORM=offscreen, its own HOME and settings, its database in
# a file), accepts tattle-osui as a node and records tattle's events in
# its own database; its pop-up, timing out after 1 s with its default
# (allow, until restart), answers a prompt that lets curl through; when
# the UI restarts, the bridge comes back to it.
. "${top_srcdir:-.}/tests/osui/lib.sh"
osui_setup
start_tattled || { fail "tattled did not start"; done_test; }
H=$T_TMP/home
mkdir -p "$H/.config/opensnitch" "$H/run"
chmod 700 "$H/run"
cat > "$H/.config/opensnitch/settings.conf" <<CONF
[database]
type=1
file=$H/ui.db

[global]
default_timeout=1
default_action=1
default_duration=6
CONF
start_ui() {
	(cd "$H" && HOME=$H XDG_CONFIG_HOME=$H/.config XDG_RUNTIME_DIR=$H/run \
	    QT_QPA_PLATFORM=offscreen exec opensnitch-ui \
	    --socket "unix://$T_TMP/osui.sock") >>"$T_TMP/ui.out" 2>&1 &
	SPID=$!
	local i=0
	while [ ! -S "$T_TMP/osui.sock" ] && [ "$i" -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$T_TMP/osui.sock" ]
}
# db SQL: one query on the UI's database.
db() {
	$PY -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=5)
for r in c.execute(sys.argv[2]): print("|".join(str(x) for x in r))' \
	    "$H/ui.db" "$1" 2>/dev/null
}
# wait_db SQL MS: until the query returns a row.
wait_db() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		[ -n "$(db "$1")" ] && return 0
		sleep 0.2
		i=$((i + 200))
	done
	return 1
}

check "opensnitch-ui started headless" start_ui
start_bridge "$T_TMP/bridge.log" --socket "$UISOCK" \
    --ui "unix://$T_TMP/osui.sock"
check "the bridge found a 1.5 UI" wait_grep "$T_TMP/bridge.log" \
    "the UI speaks OpenSnitch 1.5's protocol" 10000
wait_db "select version from nodes where version like 'tattle %'" 15000
st=$?
check_eq "the UI lists tattle as a node" "$st" 0
if [ "$st" -ne 0 ]; then
	say "(until promptd speaks docs/ui-protocol.md this is expected)"
	sed 's/^/    /' "$T_TMP/bridge.log" | tail -20
	done_test
fi

ip netns exec "$NS" $PY -m http.server --bind 127.0.0.1 8080 \
    >/dev/null 2>&1 &
WPID=$!
trap 'kill $WPID 2>/dev/null; osui_cleanup' EXIT INT TERM
web_wait "$NS" 8080 20000 || say "the web server did not start"
CURL=$(readlink -f "$(command -v curl)")
ip netns exec "$NS" curl -s -o /dev/null -m 20 http://127.0.0.1:8080/
check_eq "the UI's pop-up (timed out: allow) let curl through" "$?" 0
check "the UI recorded the rule its pop-up made" wait_db \
    "select name from rules where operator_data = '$CURL'" 5000
ip netns exec "$NS" curl -s -o /dev/null -m 10 http://127.0.0.1:8080/
check "the UI's database has curl's connections" wait_db \
    "select count(*) from connections where process = '$CURL' having count(*) >= 1" 10000
check "the UI's by-executable table has curl" wait_db \
    "select what from procs where what = '$CURL'" 5000

# The UI goes away and comes back; so does the bridge.
kill -TERM "$SPID"
wait "$SPID" 2>/dev/null
check "the bridge noticed the UI leave" wait_grep "$T_TMP/bridge.log" \
    "lost the UI" 10000
rm -f "$T_TMP/osui.sock"
check "opensnitch-ui restarted" start_ui
n=0
for i in $(seq 1 100); do
	n=$(grep -c "shows tattle as node" "$T_TMP/bridge.log")
	[ "$n" -ge 2 ] && break
	sleep 0.2
done
check "the bridge subscribed again to the restarted UI" [ "$n" -ge 2 ]
check "tattle-osui is still running" kill -0 "$BPID"
done_test
