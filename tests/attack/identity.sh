#!/bin/bash
# SECURITY.md B.11, B.12, B.16: who a process is cannot be talked into.
# A rule allows one program (a copy of python3 under a unique path);
# the default rejects.  Another copy that takes the allowed one's name
# for argv[0], its comm (prctl PR_SET_NAME) and its whole command line
# is still itself: rejected.  And when the allowed program exits and a
# fork of the other one gets its pid (ns_last_pid), connecting at once,
# no cache remembers the pid as the allowed program: rejected.  A deny
# rule on the command line cannot be passed by pushing the words it looks
# for past what attributord reads (MAX_CMDLINE): a cut command line
# matches every deny rule on it.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup '{"DefaultAction":"reject","InterceptUnknown":true}'
BIN=$T_TMP/bin
mkdir -p "$BIN"
chmod 755 "$BIN"
GOOD=$BIN/tattle-good-$$
EVIL=$BIN/tattle-evil-$$
cp "$(readlink -f /usr/bin/python3)" "$GOOD"
cp "$(readlink -f /usr/bin/python3)" "$EVIL"
# The copies find the standard library where /usr/bin/python3 does.
py() { in_ns env PYTHONHOME=/usr "$@"; }
attack_rule allow-good allow "$(op_json simple process.path "$GOOD")"
attack_rule deny-marker deny \
    "$(op_json regexp process.command 'tattle-marker-[0-9]+')"
start_tattled || exit 1
probe_bg listen 127.0.0.1 8080 || fail "the test listener"

# Connect to 8080 and say how it went (and the pid, with SAYPID).  With
# PR_SET_NAME, take that comm first; with PIDREUSE=P, fork until a child
# gets pid P, and that child connects.
CONNECT='
import ctypes, os, socket, sys, time
name = os.environ.get("PR_SET_NAME")
if name:
    ctypes.CDLL(None).prctl(15, name.encode(), 0, 0, 0)
def connect():
    s = socket.socket()
    s.settimeout(1)
    try:
        s.connect(("127.0.0.1", 8080)); return "ok"
    except ConnectionRefusedError:
        return "refused"
    except socket.timeout:
        return "timeout"
want = int(os.environ.get("PIDREUSE", "0"))
if not want:
    print(connect(), os.getpid() if os.environ.get("SAYPID") else "")
    sys.exit(0)
for _ in range(50):
    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
        f.write(str(want - 1))
    pid = os.fork()
    if pid == 0:
        if os.getpid() == want:
            print("pid", os.getpid(), connect(), flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
    if pid == want:
        break
'

check_eq "the allowed program: allowed (control)" \
    "$(py "$GOOD" -c "$CONNECT")" "ok "
check_eq "another program: rejected (control)" \
    "$(py "$EVIL" -c "$CONNECT")" "refused "
check_eq "argv[0], comm and command line of the allowed one: rejected" \
    "$(PR_SET_NAME="${GOOD##*/}" py bash -c \
    "exec -a '$GOOD' '$EVIL' -c '$CONNECT'")" "refused "
check_eq "comm alone (PR_SET_NAME): rejected" \
    "$(PR_SET_NAME="${GOOD##*/}" py "$EVIL" -c "$CONNECT")" "refused "

# PID reuse: the allowed program connects and exits; its pid goes to a
# fork of the other program, which connects at once.
reused=
for try in 1 2 3 4 5; do
	p=$(SAYPID=1 py "$GOOD" -c "$CONNECT")
	p=${p#ok }
	r=$(PIDREUSE=$p py "$EVIL" -c "$CONNECT")
	case "$r" in
	"pid $p "*) reused=$r; break ;;
	esac
done
check "a fork of the other program got the allowed one's pid ($reused)" \
    test -n "$reused"
check_eq "... and is rejected" "${reused##* }" refused
# A dropped SYN: connect() times out (1 s) instead of being refused.
check_eq "the allowed program naming the marker: denied (control)" \
    "$(py "$GOOD" -c "$CONNECT" tattle-marker-1)" "timeout "
pad=$(printf 'x%.0s' $(seq 1 5000))
check_eq "the marker past 5000 bytes of arguments: still denied" \
    "$(py "$GOOD" -c "$CONNECT" "$pad" tattle-marker-2)" "timeout "
check_eq "... as is any command line cut there (fail closed)" \
    "$(py "$GOOD" -c "$CONNECT" "$pad")" "timeout "
check "... and the cut was seen" grep -q "cmdline-cut" "$LOG"
check "every process survived" alive
done_test
