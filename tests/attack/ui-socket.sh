#!/bin/bash
# SECURITY.md A.1 and A.3: the UI socket cannot be squatted.  Another
# user's live socket at the path, a symlink or a FIFO there, a socket
# directory or any directory above it that someone other than root
# could change: tattled refuses to start, names the path, and leaves
# what it found untouched (it never connects to nor removes another's
# socket).  Where the path is safe, the socket is root's, mode 0660,
# group UIGroup.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup

# A squatter (nobody) with a live socket in a directory of its own.
SQ=$T_TMP/squat
mkdir -p "$SQ"
chown nobody "$SQ"
probe_bg_squat() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1); print("bound", flush=True)
s.settimeout(30)
try:
    c, _ = s.accept(); print("CONNECTED", flush=True)
except OSError:
    pass
' "$1" >"$T_TMP/squatter.out" 2>&1 &
	PROBE_PIDS="$PROBE_PIDS $!"
	for _ in $(seq 50); do
		grep -q bound "$T_TMP/squatter.out" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
check "a squatter binds $SQ/ui.sock as nobody" probe_bg_squat "$SQ/ui.sock"

UISOCK=$SQ/ui.sock run_tattled_fg
check_eq "squatted path: exit status" "$RC" 1
check "squatted path: refused, named" \
    grep -q "refusing UI socket directory $SQ" "$LOG"
check "squatted path: the squatter's socket is still there" \
    test -S "$SQ/ui.sock"

# A root-owned directory, but a symlink at the path to the live socket.
ln -s "$SQ/ui.sock" "$T_TMP/run/ui.sock"
run_tattled_fg
check_eq "symlink at the socket path: exit status" "$RC" 1
check "symlink at the socket path: refused" grep -q \
    "refusing to replace $T_TMP/run/ui.sock: it exists and is not a socket" \
    "$LOG"
check "symlink at the socket path: left alone" test -L "$T_TMP/run/ui.sock"
rm -f "$T_TMP/run/ui.sock"

mkfifo "$T_TMP/run/ui.sock"
run_tattled_fg
check_eq "FIFO at the socket path: exit status" "$RC" 1
check "FIFO at the socket path: refused" grep -q "is not a socket" "$LOG"
rm -f "$T_TMP/run/ui.sock"

# A root-owned socket directory inside a directory nobody owns: nobody
# could rename it away and put its own in its place after the check.
mkdir -p "$T_TMP/anc/run"
chown nobody "$T_TMP/anc"
UISOCK=$T_TMP/anc/run/ui.sock run_tattled_fg
check_eq "socket dir under another user's dir: exit status" "$RC" 1
check "socket dir under another user's dir: refused, named" \
    grep -q "refusing UI socket directory $T_TMP/anc/run: $T_TMP/anc" "$LOG"
mkdir -p "$T_TMP/ww/run"
chmod 0777 "$T_TMP/ww"
UISOCK=$T_TMP/ww/run/ui.sock run_tattled_fg
check_eq "socket dir under a world-writable dir: exit status" "$RC" 1
check "socket dir under a world-writable dir: refused" \
    grep -q "refusing UI socket directory $T_TMP/ww/run: $T_TMP/ww" "$LOG"
# Sticky and world-writable (as /tmp) is safe: nobody can rename root's.
mkdir -p "$T_TMP/sticky/run"
chmod 1777 "$T_TMP/sticky"
check "socket dir under a sticky dir: accepted" start_tattled \
    -s "$T_TMP/sticky/run/ui.sock"
check_eq "the socket: root's, group tattle, mode 0660" \
    "$(stat -c '%U %G %a %F' "$T_TMP/sticky/run/ui.sock")" \
    "root tattle 660 socket"
kill -TERM "$TPID"
T0=$(now_ms)
wait_exit 3000
check_eq "clean stop" "$EXIT_STATUS" 0

# What an earlier run left (root's socket, nobody listening) is replaced.
python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T_TMP/run/ui.sock"
check "a stale socket of an earlier run is replaced" start_tattled
check "nothing ever connected to the squatter" \
    sh -c "! grep -q CONNECTED '$T_TMP/squatter.out'"
done_test
