#!/bin/bash
# A client that does not read what it asked for cannot stall promptd:
# its replies wait in promptd up to 8 MiB, then it is disconnected and
# logged, and the other clients are served all along.  The replies here
# are lists of 100 rules of about 10 KB each (temporary rules: nothing
# is written to the rules directory).
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
prompt_setup '{"DefaultAction":"reject"}'
prompt_start || { fail "start"; done_test; }

desc=$(printf 'x%.0s' $(seq 1 10000))
for i in $(seq 1 100); do
	printf '{"type":"rules.add","req":"r%d","rule":{"name":"big-%03d",%s' \
	    "$i" "$i" '"enabled":true,"action":"allow","duration":"until restart",'
	printf '"description":"%s","operator":{"type":"simple",' "$desc"
	printf '"operand":"dest.port","data":"%d"}}}\n' $((20000 + i))
done > "$T_TMP/adds"
ui_open W
ui_send W '{"type":"hello","version":1}'
# At most 16 requests wait for an answer, at most 100 lines a second
# (the hello counts too): a batch of 10 at most every 200 ms, however
# fast the answers come.
for b in 0 1 2 3 4 5 6 7 8 9; do
	B0=$(now_ms)
	ui_send W "$(sed -n "$((b * 10 + 1)),$((b * 10 + 10))p" "$T_TMP/adds")"
	for i in $(seq 1 50); do
		[ "$(grep -c '"req":"r' "$T_TMP/W.out")" -ge $((b * 10 + 10)) ] &&
		    break
		sleep 0.1
	done
	while [ $(($(now_ms) - B0)) -lt 200 ]; do
		sleep 0.02
	done
done
check_eq "100 large temporary rules added" \
    "$(grep -c '"type":"result","req":"r[0-9]*","ok":true' "$T_TMP/W.out")" 100
check_eq "... and none written to the rules directory" \
    "$(ls "$T_TMP/rules" | tr '\n' ' ')" "000-allow-dns.json "

ui_open S -n
ui_send S '{"type":"hello","version":1}'
for i in $(seq 1 10); do
	ui_send S "{\"type\":\"rules.list\",\"req\":$i}"
done
ui_open F
ui_send F '{"type":"hello","version":1}'
T0=$(now_ms)
ui_send F '{"type":"stats","req":"f"}'
check "another client is served meanwhile" ui_expect F result 3000
say "(stats answered in $(($(now_ms) - T0)) ms)"
check "the client that does not read is dropped" wait_log \
    "disconnected: it does not read what it is sent" 10000
ui_send F '{"type":"stats","req":"g"}'
check "stats after it" ui_expect F result 3000
check_eq "... count it" "$(jget "$LINE" stats.ui.too_slow)" 1
ui_send F '{"type":"rules.list","req":"l"}'
check "a client that reads gets the whole list" ui_expect F result 5000
check_eq "... of 101 rules" "$(jget "$LINE" rules)" 101
check "tattled still runs" kill -0 "$TPID"
ui_close S
prompt_done
