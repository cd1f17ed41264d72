#!/bin/bash
# Before it says anything to a unix-socket UI, tattle-osui asks the kernel
# who listens there (SO_PEERCRED): a UI of another user is refused, with
# a line saying why, and hears nothing; the user's own UI is accepted,
# and the protocol generation is found by probing (PostAlert exists
# only from OpenSnitch 1.6 on).  Needs no daemon: the bridge talks to
# the UI whether or not tattle is up.
. "${top_srcdir:-.}/tests/osui/lib.sh"
require_root
osui_tmp
stubs16 || { fail "grpcio-tools could not generate the 1.6 stubs"; done_test; }
chmod 755 "$T_TMP/stubs"
mkdir -m 0777 "$T_TMP/nobody"

# Another user's UI: refused.
start_uiserver 1.5 "$T_TMP/nobody/osui.sock" "$T_TMP/nobody/ui.log" nobody ||
    fail "stub UI as nobody"
start_bridge "$T_TMP/bridge1.log" --socket "$T_TMP/none.sock" \
    --ui "unix://$T_TMP/nobody/osui.sock"
check "a UI run by nobody is refused, saying why" wait_grep \
    "$T_TMP/bridge1.log" "refusing the UI at $T_TMP/nobody/osui.sock: it runs as uid $(id -u nobody) (nobody), not as uid 0" 5000
sleep 1
check_eq "the refused UI heard no call" \
    "$(grep -vc '"Listening"' "$T_TMP/nobody/ui.log")" 0
check "the bridge keeps running, retrying" kill -0 "$BPID"
kill "$BPID" "$SPID"; wait "$BPID" "$SPID" 2>/dev/null; BPID= SPID=

# The user's own 1.6 UI: accepted, generation probed.
start_uiserver 1.6 "$T_TMP/own16.sock" "$T_TMP/ui16.log" "" ||
    fail "stub UI 1.6"
start_bridge "$T_TMP/bridge2.log" --socket "$T_TMP/none.sock" \
    --ui "unix:$T_TMP/own16.sock"
check "own 1.6 UI: found to speak 1.6" wait_grep "$T_TMP/bridge2.log" \
    "the UI speaks OpenSnitch 1.6's protocol" 5000
check "own 1.6 UI: the probe arrived as a PostAlert" wait_grep \
    "$T_TMP/ui16.log" '"PostAlert".*tattle-osui connected' 2000
check_eq "no Subscribe before tattle is there" \
    "$(rpc_count "$T_TMP/ui16.log" Subscribe)" 0
kill "$BPID" "$SPID"; wait "$BPID" "$SPID" 2>/dev/null; BPID= SPID=

# The user's own 1.5.8 UI (Debian's stubs): UNIMPLEMENTED PostAlert.
start_uiserver 1.5 "$T_TMP/own15.sock" "$T_TMP/ui15.log" "" ||
    fail "stub UI 1.5"
start_bridge "$T_TMP/bridge3.log" --socket "$T_TMP/none.sock" \
    --ui "unix://$T_TMP/own15.sock"
check "own 1.5.8 UI: found to speak 1.5" wait_grep "$T_TMP/bridge3.log" \
    "the UI speaks OpenSnitch 1.5's protocol" 5000
kill -TERM "$BPID"
wait "$BPID"
check_eq "SIGTERM: tattle-osui exits 0" "$?" 0
BPID=
out=$("$OSUI" --ui 'unix:' 2>&1); rc=$?
check_eq "--ui unix: exits 1" "$rc" 1
check "--ui unix: names the problem" grep -q "socket path is empty" <<<"$out"
out=$("$OSUI" --proto 2.0 2>&1); rc=$?
check_eq "--proto 2.0 exits 1" "$rc" 1
done_test
