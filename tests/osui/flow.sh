# tests/osui/flow.sh: the whole bridge against the real tattled (in a
# network namespace) and a stub UI on real generated stubs; sourced by
# stubs15.sh and stubs16.sh with GEN set.  Subscribe carries tattle's
# rules; an unmatched connection is asked with AskRule and the UI's
# "allow always, this executable" becomes a rule file and lets the held
# connection through; Ping statistics grow with connections; a rule the
# UI deletes leaves the rules directory; a configuration change is
# refused with the reason.
. "${top_srcdir:-.}/tests/osui/lib.sh"
osui_setup
[ "$GEN" = 1.6 ] && { stubs16 || fail "grpcio-tools stubs"; }
chown _tattle:_tattle "$T_TMP/rules"
cat > "$T_TMP/rules/osui-existing.json" <<'RULE'
{"created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z",
 "name":"osui-existing","enabled":true,"precedence":false,"nolog":false,
 "action":"deny","duration":"always",
 "operator":{"type":"simple","operand":"dest.host","data":"example.invalid",
  "sensitive":false}}
RULE
chown _tattle:_tattle "$T_TMP/rules/osui-existing.json"
start_tattled || { fail "tattled did not start"; done_test; }
mkfifo "$T_TMP/ctl"
UILOG=$T_TMP/ui.log
start_uiserver "$GEN" "$T_TMP/osui.sock" "$UILOG" "" --control "$T_TMP/ctl" ||
    fail "stub UI"
exec 9<>"$T_TMP/ctl"		# keeps the FIFO open for the stub
start_bridge "$T_TMP/bridge.log" --socket "$UISOCK" \
    --ui "unix://$T_TMP/osui.sock" --proto auto
BLOG=$T_TMP/bridge.log

wait_grep "$UILOG" '"Subscribe"' 10000
st=$?
check_eq "the UI got Subscribe within 10 s" "$st" 0
if [ "$st" -ne 0 ]; then
	say "(until promptd speaks docs/ui-protocol.md this is expected)"
	sed 's/^/    /' "$BLOG" | tail -20
	done_test
fi
check "Subscribe carries tattle's rules" grep -q \
    '"Subscribe".*"name": "osui-existing"' "$UILOG"
check "the generation was probed as $GEN" grep -q \
    "the UI speaks OpenSnitch $GEN's protocol" "$BLOG"

# A web server in the namespace and curl asking for it.
ip netns exec "$NS" $PY -m http.server --bind 127.0.0.1 8080 \
    >/dev/null 2>&1 &
WPID=$!
trap 'kill $WPID 2>/dev/null; osui_cleanup' EXIT INT TERM
web_wait "$NS" 8080 20000 || say "the web server did not start"
CURL=$(readlink -f "$(command -v curl)")
ip netns exec "$NS" curl -s -o /dev/null -m 20 http://127.0.0.1:8080/
check_eq "the held connection went through after the UI's answer" "$?" 0
check "AskRule named curl" grep -q "\"AskRule\".*\"process_path\": \"$CURL\"" \
    "$UILOG"
# packetd writes the rule file while the connection already passes.
rulefile=
for _ in $(seq 100); do
	rulefile=$(grep -l "\"$CURL\"" "$T_TMP"/rules/*.json 2>/dev/null |
	    head -1)
	[ -n "$rulefile" ] && break
	sleep 0.1
done
check "the answer became a rule file in the rules dir" [ -n "$rulefile" ]
check "the rule allows curl always" grep -q '"action": *"allow"' \
    "${rulefile:-/dev/null}"

# Ping statistics grow.
pings() {
	$PY - "$UILOG" <<'PYEOF'
import json, sys
conns, ev = 0, 0
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m["rpc"] != "Ping":
        continue
    st = m["msg"].get("stats", {})
    conns = max(conns, int(st.get("connections", 0)))
    ev += sum(1 for e in st.get("events", [])
              if e.get("connection", {}).get("process_path", "").endswith("curl"))
print(conns, ev)
PYEOF
}
sleep 2
read -r c0 e0 <<<"$(pings)"
for i in 1 2 3; do
	ip netns exec "$NS" curl -s -o /dev/null -m 10 http://127.0.0.1:8080/
done
sleep 3
read -r c1 e1 <<<"$(pings)"
check "Ping's connection count grew by 3 or more ($c0 -> $c1)" \
    [ "$c1" -ge $((c0 + 3)) ]
check "Ping's events show curl's connections ($e0 -> $e1)" \
    [ "$e1" -ge $((e0 + 3)) ]

# The UI deletes the rule; the UI's config change is refused.
name=$(basename "${rulefile:-none.json}" .json)
printf '{"id":500,"type":"DELETE_RULE","rules":["%s"]}\n' "$name" >&9
printf '{"id":501,"type":"CHANGE_CONFIG","data":"{}"}\n' >&9
check "DELETE_RULE answered" wait_grep "$UILOG" \
    '"NotificationReply".*"id": "500"' 5000
check "DELETE_RULE answered OK" not grep -q \
    '"NotificationReply".*"id": "500".*ERROR' "$UILOG"
check "the deleted rule left the rules dir" [ ! -e "${rulefile:-/x}" ]
check "CHANGE_CONFIG refused, saying why" wait_grep "$UILOG" \
    '"id": "501", "code": "ERROR", "data": "tattle does not take its configuration' 5000
done_test
