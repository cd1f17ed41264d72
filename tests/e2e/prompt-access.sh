#!/bin/bash
# Who may talk to promptd, and what it takes from them.  A uid outside
# the UI group is refused with one error line and logged, even when the
# socket's mode would let it in; the group as primary or supplementary
# group is enough.  Rule names that could leave the rules directory are
# refused and nothing is written.  Garbage, long lines, NUL bytes, deep
# nesting, floods: an error, a disconnect, and promptd goes on.  The
# 33rd client is told the server is busy.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"reject"}'
prompt_start || { fail "start"; done_test; }

# Let everyone reach the socket: promptd alone must say no.
chmod 0666 "$UISOCK"
ui_open N -u nobody
check "nobody: one error line" wait_file_line "$T_TMP/N.out" '"type":"error"' \
    3000
check "nobody: forbidden" ui_expect N error 10000
check_eq "nobody: code" "$(jget "$LINE" code)" forbidden
check "nobody: disconnected" ui_expect N closed 10000
check "nobody: refusal logged with the uid" wait_log \
    "UI client refused: uid 65534 " 2000
ui_open S -u nobody -g tattle
ui_send S '{"type":"hello","version":1}'
check "nobody with the UI group as a supplementary group: hello" \
    ui_expect S hello 10000
ui_send S '{"type":"stats","req":1}'
check "... and served" ui_expect S result 10000
ui_open P -u nobody -p tattle
check "nobody with the UI group as primary group: hello" \
    ui_expect P hello 10000
ui_close S
ui_close P

# Rule names that leave the rules directory, or hide in it.
ui_prompter A || fail "subscribe"
conn_bg c1 127.0.0.1 1 8000
check "ask" ui_expect A ask 10000
id=$(jget "$LINE" id)
for name in '../evil' '../../tmp/evil' 'a/b' '.hidden' '..' \
    'x\u0001y' "$(printf 'n%.0s' $(seq 1 129))"; do
	ui_send A "$(printf '{"type":"answer","req":"n","id":%s,%s,%s}' \
	    "$id" '"action":"allow","duration":"always","match":["ip"]' \
	    "\"name\":\"$name\"")"
	ui_reply A '"n"' 10000
	check_eq "answer named '${name:0:20}': bad-name" "$(jget "$LINE" type \
	    code | tr '\n' ' ')" "error bad-name "
	ui_send A "$(printf '{"type":"rules.add","req":"r","rule":{%s,%s%s}}' \
	    "\"name\":\"$name\"" '"enabled":true,"action":"allow",' \
	    '"operator":{"type":"simple","operand":"dest.port","data":"1"}')"
	ui_reply A '"r"' 10000
	check_eq "rules.add named '${name:0:20}': bad-name" "$(jget "$LINE" \
	    type code | tr '\n' ' ')" "error bad-name "
	ui_send A "{\"type\":\"rules.delete\",\"req\":\"d\",\"name\":\"$name\"}"
	ui_reply A '"d"' 10000
	check_eq "rules.delete '${name:0:20}': bad-name" "$(jget "$LINE" \
	    type code | tr '\n' ' ')" "error bad-name "
done
check "the ask is still open after all that" answer A "$id" allow once \
    '["ip"]'
conn_wait c1
check_eq "... and the answer decides" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
check "no file where those names lead" sh -c "! ls -d '$T_TMP'/evil* \
    '$T_TMP'/x* /tmp/evil /tmp/evil.json 2>/dev/null | grep -q ."
check "none anywhere in the test's tree" sh -c \
    "! find '$T_TMP' -name 'evil*' | grep -q ."
check_eq "the rules dir holds only its rule" "$(ls -A "$T_TMP/rules" |
    tr '\n' ' ')" "000-allow-dns.json "

# Bad input: an error naming what was wrong, then the door.
bad() {
	# bad TAG LINE CODE: LINE after hello; the error and the disconnect.
	ui_open "$1"
	ui_send "$1" '{"type":"hello","version":1}'
	ui_send "$1" "$2"
	ui_expect "$1" error 10000
	check_eq "$1: error code" "$(jget "$LINE" code)" "$3"
	check "$1: disconnected" ui_expect "$1" closed 10000
	ui_close "$1"
}
bad garbage 'hello there' bad-json
bad array '[{"type":"stats"}]' bad-json
bad trailing '{"type":"stats"} x' bad-json
bad comment '{"type":"stats"} /* x */' bad-json
bad utf8 "$(printf '{"type":"st\xffats"}')" bad-json
bad nested "$(printf '{"x":%s}' "$(printf '[%.0s' $(seq 1 40))")" bad-json
bad version '{"type":"hello","version":2}' bad-request
bad nul '!nul' bad-json
bad long '!raw 70000 x' too-long

ui_open R
ui_send R '{"type":"stats","req":1}'
check "a request before hello: bad-request" ui_expect R error 10000
check_eq "... naming type" "$(jget "$LINE" code message | tr '\n' ' ')" \
    "bad-request type: send a hello first "
ui_send R '{"type":"hello","version":1}'
ui_send R '{"type":"answer","req":2,"id":1}'
check "a request missing a key: bad-request" ui_expect R error 10000
check_eq "... naming it" "$(jget "$LINE" req code message |
    tr '\n' ' ')" "2 bad-request action: missing "
ui_send R '{"type":"subscribe","req":3,"asks":"yes"}'
check "a mistyped key: bad-request" ui_expect R error 10000
check_eq "... naming it" "$(jget "$LINE" req message | tr '\n' ' ')" \
    "3 asks: not true or false "
ui_send R '!flood 120'
check "a flood: the error after the 100th line is rate" \
    wait_file_line "$T_TMP/R.out" '"code":"rate"' 5000
check "... and a disconnect" ui_expect R closed 10000
ui_close R

# 32 clients are served; the 33rd is told why not.
ui_close A
sleep 0.3
exec {hold}> >(close_ui_fds; exec "$PUI" many "$UISOCK" 32 > "$T_TMP/many.out")
for i in $(seq 1 50); do
	[ "$(grep -c '"type":"hello"' "$T_TMP/many.out")" -ge 32 ] && break
	sleep 0.1
done
check_eq "32 clients: all greeted" "$(grep -c '"type":"hello"' \
    "$T_TMP/many.out")" 32
ui_open X
check "the 33rd: busy" ui_expect X error 10000
check_eq "... code" "$(jget "$LINE" code)" busy
exec {hold}>&-
# The 32 leave; promptd sees it in its own time.
for i in $(seq 1 50); do
	ui_open Y
	ui_expect Y hello 1000 && break
	ui_close Y
	sleep 0.1
done
check "with room again: hello" [ "$(jget "$LINE" type)" = hello ]

# promptd and the daemon went on through all of it.
ui_send Y '{"type":"hello","version":1}'
ui_send Y '{"type":"stats","req":"s"}'
check "stats after all that" ui_expect Y result 10000
check "stats count the refused and the bad" [ "$(jget "$LINE" \
    stats.ui.refused)" -ge 1 ] && [ "$(jget "$LINE" stats.ui.bad_input)" \
    -ge 10 ] && [ "$(jget "$LINE" stats.ui.busy)" -ge 1 ]
check "tattled still runs" kill -0 "$TPID"
prompt_done
