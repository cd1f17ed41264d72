#!/bin/bash
# Issue 15 item 1 (SECURITY.md B.13): an unprivileged user borrows an
# allowed program's path.  In a user and mount namespace of its own
# (unshare -Urm, no privilege needed) it bind-mounts another program
# over the allowed one's path and runs it by that name: inside its
# namespace both the exec-time path and /proc/PID/exe say the allowed
# name.  The path a rule compares must be the host's truth: a path that
# names another file on the host, or none, is unsure, matches no allow
# rule on the path and every deny rule on it.  Being in another mount
# namespace is not by itself unsure: ip netns exec, a read-only remount
# (systemd's ProtectSystem=) and a chroot that bind-mounts the host's
# files keep matching their rules.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup '{"DefaultAction":"reject","InterceptUnknown":true}'
BIN=$T_TMP/bin
CTR=$T_TMP/ctr
mkdir -p "$BIN"
chmod 755 "$BIN"
GOOD=$BIN/tattle-good-$$
EVIL=$BIN/tattle-evil-$$
OPT=/opt/tattle-good-$$		# a name inside the chroot only
cp "$(readlink -f /usr/bin/python3)" "$GOOD"
cp "$(readlink -f /usr/bin/python3)" "$EVIL"
chmod 755 "$GOOD" "$EVIL"
# A container's root: the host's /usr and the test's bin, bound in.
mkdir -p "$CTR/usr" "$CTR$BIN" "$CTR/opt" "$CTR/old" "$CTR/proc"
for l in lib lib64 bin sbin; do
	[ -L "/$l" ] && ln -s "$(readlink "/$l")" "$CTR/$l"
done
: >"$CTR$OPT"
attack_rule allow-good allow "$(op_json simple process.path "$GOOD")"
attack_rule allow-opt allow "$(op_json simple process.path "$OPT")"
# A deny rule on another path: an unsure path matches it (fail closed).
attack_rule deny-other deny \
    "$(op_json simple process.path "$BIN/tattle-never-$$")"
start_tattled || exit 1
probe_bg listen 127.0.0.1 8080
for _ in $(seq 1 50); do
	in_ns ss -Hltn 'sport = :8080' | grep -q . && break
	sleep 0.1
done

# Connect to 8080 and say how it went: ok, refused (the default,
# reject) or timeout (a deny rule dropped the SYN).
CONNECT='
import socket
s = socket.socket()
s.settimeout(1)
try:
    s.connect(("127.0.0.1", 8080)); print("ok")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
'
py() { in_ns env PYTHONHOME=/usr "$@"; }

check_eq "the allowed program (ip netns exec: another mount ns): allowed" \
    "$(py "$GOOD" -c "$CONNECT")" ok
check_eq "another program: rejected (control)" \
    "$(py "$EVIL" -c "$CONNECT")" refused
check "the unprivileged user can make a user namespace here" \
    in_ns setpriv --reuid=65534 --regid=65534 --clear-groups \
    unshare -Urm true
got=$(py setpriv --reuid=65534 --regid=65534 --clear-groups \
    unshare -Urm sh -c "mount --bind '$EVIL' '$GOOD' &&
    exec '$GOOD' -c '$CONNECT'")
check_eq "another program bind-mounted over the allowed path by an \
unprivileged user: not allowed, denied by the deny rule on the path" \
    "$got" timeout
check "... and attributord said the path is unsure" \
    grep -q "path $GOOD, .*path-unsure" "$LOG"
# The event says why (ruled sends the verdict first, the event after).
for _ in $(seq 1 30); do
	ev=$("$top_builddir/tattle" events --json --socket "$UISOCK" |
	    grep -F "\"path\":\"$GOOD\"" | grep -F '"verdict":"deny"')
	[ -n "$ev" ] && break
	sleep 0.1
done
check "... and so does its event (path_unsure, host path unknown)" \
    grep -qF '"path_unsure":true,"host_path":null' <<<"$ev"
check "... and the terminal's view" sh -c "'$top_builddir/tattle' events \
    --socket '$UISOCK' | grep -F '$GOOD' | grep -q unsure"
check_eq "a read-only remount of its directory (ProtectSystem=): allowed" \
    "$(py unshare -m sh -c "mount --bind '$BIN' '$BIN' &&
    mount -o remount,bind,ro '$BIN' && exec '$GOOD' -c '$CONNECT'")" ok
check_eq "a chroot binding the host's files at their paths: allowed" \
    "$(py unshare -m sh -c "mount --bind /usr '$CTR/usr' &&
    mount --bind '$BIN' '$CTR$BIN' &&
    exec chroot '$CTR' '$GOOD' -c '$CONNECT'")" ok
# A container's own root (pivot_root, as rootless containers and Flatpak
# make it): the allowed program under a name only the container has.
check_eq "the same program under a name the host does not have: not \
allowed by that name" \
    "$(py unshare -m sh -c "mount --bind /usr '$CTR/usr' &&
    mount --bind '$GOOD' '$CTR$OPT' && mount --rbind '$CTR' '$CTR' &&
    cd '$CTR' && pivot_root . old &&
    exec '$OPT' -c '$CONNECT'")" timeout
check "... attributed as $OPT, unsure" \
    grep -q "path $OPT, .*path-unsure" "$LOG"
check "every process survived" alive
check "no mount left behind" sh -c "! grep -q '$T_TMP' /proc/self/mountinfo"
done_test
