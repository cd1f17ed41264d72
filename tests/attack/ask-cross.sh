#!/bin/bash
# An answer decides only what its asker saw.  Two users run the same
# program to the same destination at once, through one prompter.  Each
# user's connection is its own question: an answer to root's ask
# (allow once, matching the executable and the user) releases root's
# connection only; the other user's stays held until its own ask is
# answered (reject once), and is refused.  Before the fix the second
# connection joined root's ask and passed with root's answer.
# Then one name for two addresses (a DNS server that answers round
# robin): the two connections share one ask, and an answer matching
# the IP shown releases that connection alone; the other is asked
# about again, with its own address.
. "${top_srcdir:-.}/tests/e2e/prompt-lib.sh"
. "${top_srcdir:-.}/tests/attack/lib.sh"
prompt_setup '{"DefaultAction":"deny", "PromptTimeout":60}'
trap prompt_cleanup EXIT INT TERM
prompt_start || { fail "start"; done_test; }
ui_prompter A || fail "subscribe"

# conn_as TAG UID: one connection to the test server from UID, waiting
# up to 20 s, in the background; its result in $T_TMP/TAG.conn.
conn_as() {
	(close_ui_fds; exec ip netns exec "$NS" setpriv --reuid="$2" \
	    --regid="$2" --clear-groups "$PUI" conn 127.0.0.1 "$PORT" 1 \
	    20000) > "$T_TMP/$1.conn" 2>&1 &
	eval "CONNPID_$1=$!"
}

conn_as root 0
check "root's connection: an ask" ui_expect A ask 5000
id0=$(jget "$LINE" id)
check_eq "... from uid 0" "$(jget "$LINE" conn.uid)" 0
conn_as nobody 65534
check "the other user's connection: an ask of its own" ui_expect A ask 5000
id1=$(jget "$LINE" id)
check_eq "... from uid 65534" "$(jget "$LINE" conn.uid)" 65534
check "... not root's" [ "$id1" != "$id0" ]

check "answer root's ask: allow once, executable and user" \
    answer A "$id0" allow once '["executable","user"]'
conn_wait root
check_eq "root's connection passes" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
check "the other user's connection is still held (no verdict yet)" \
    kill -0 "$CONNPID_nobody"
check "its ask is still open" ui_none A ask.gone 500
check "answer the other user's ask: reject once" \
    answer A "$id1" reject once '["executable","user"]'
conn_wait nobody
check_eq "the other user's connection was refused by its own answer" \
    "$CONN" "ok 0 refused 1 timeout 0 other 0"
check_eq "one event each, each with its own answer" \
    "$(grep '^{"type":"event"' "$T_TMP/A.out" | sed -n \
    's/.*"verdict":"\([a-z]*\)".*"reason":"\([a-z]*\)".*"uid":\([0-9]*\),.*/\1 \2 \3/p' |
    tr '\n' ' ')" "allow answer 0 reject answer 65534 "

ip netns exec "$NS" "$PUI" dns 127.0.0.54 10.99.0.2 10.99.0.3 \
    > "$T_TMP/dns2.out" &
BG_PIDS="$BG_PIDS $!"
wait_file_line "$T_TMP/dns2.out" listening 5000 || fail "second DNS server"
conn_name() {
	(close_ui_fds; exec ip netns exec "$NS" "$PUI" conn \
	    two.example@127.0.0.54 "$PORT" 1 20000) > "$T_TMP/$1.conn" 2>&1 &
	eval "CONNPID_$1=$!"
}
conn_name first
check "one name, first address: an ask" ui_expect A ask 5000
id2=$(jget "$LINE" id)
ip2=$(jget "$LINE" conn.dst_ip)
check_eq "... named" "$(jget "$LINE" conn.host)" two.example
conn_name second
check "the second address joins it" ui_none A ask 1000
check "answer: allow once, matching the IP shown ($ip2)" \
    answer A "$id2" allow once '["executable","ip"]'
conn_wait first
check_eq "the connection to $ip2 passes" "$CONN" \
    "ok 1 refused 0 timeout 0 other 0"
check "the other address is asked about again" ui_expect A ask 5000
id3=$(jget "$LINE" id)
check "... in a new ask" [ "$id3" != "$id2" ]
check "... showing its own address" [ "$(jget "$LINE" conn.dst_ip)" != \
    "$ip2" ]
check "answer it: reject once" answer A "$id3" reject once '["ip"]'
conn_wait second
check_eq "the other connection was refused by its own answer" "$CONN" \
    "ok 0 refused 1 timeout 0 other 0"
prompt_done
