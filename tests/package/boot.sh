#!/bin/bash
# tests/package/boot.sh: the Debian package booted for real.  Builds the
# .debs from this tree (dpkg-buildpackage, tests skipped: the suite runs
# them), debootstraps a Debian 12 root, installs them, enables tattled
# and boots the root with systemd-nspawn in a network namespace of its
# own, a veth to a peer namespace with a server.  Then:
#   lintian on the .debs: no error, no warning;
#   tattled active, its four processes under their four users, the table
#   there; a connection the shipped rules allow (DNS to the resolver in
#   /etc/resolv.conf) passes and one they do not is dropped; the unit's
#   exposure (systemd-analyze security) at most 4.0;
#   an upgrade keeps config and rules and restarts the set;
#   with a broken config.json, after a reboot: tattled failed, the boot
#   table there, the allowed connection no longer passes, the journal
#   says why; removal keeps the configuration, purge removes it (not
#   the users).
# Needs root, debootstrap, systemd-container, a Debian mirror.  Run from
# the source tree (a git checkout): tests/package/boot.sh.
#   TATTLE_DEBS=DIR          use the .debs in DIR instead of building
#   TATTLE_BOOT_MIRROR=URL   Debian mirror (default deb.debian.org)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
T_NAME=boot
T_CHECKS=0
T_FAILS=0
NS=tb-$$
NSP=tb-$$-peer
TMP=$(mktemp -d /tmp/tattle-boot.XXXXXX)
ROOT=$TMP/root
NSPAWN=
MIRROR=${TATTLE_BOOT_MIRROR:-http://deb.debian.org/debian}

say() { printf '%s: %s\n' "$T_NAME" "$*"; }
fail() { T_FAILS=$((T_FAILS + 1)); say "FAIL: $*"; }
check() {
	local what=$1
	shift
	T_CHECKS=$((T_CHECKS + 1))
	if "$@" >/dev/null 2>&1; then say "ok: $what"; else fail "$what"; fi
}
not() { ! "$@"; }
die() { say "FAIL: $*"; T_FAILS=$((T_FAILS + 1)); finish; }

cleanup() {
	container_stop
	for p in ${SERVERS:-}; do kill "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NSP" 2>/dev/null
	# The root's mounts are nspawn's, gone with it.
	rm -rf --one-file-system "$TMP"
}

finish() {
	say "$T_CHECKS checks, $T_FAILS failed"
	cleanup
	trap - EXIT
	[ "$T_FAILS" -eq 0 ] && [ "$T_CHECKS" -gt 0 ]
	exit $?
}

# wait_until SECONDS CMD...: until CMD succeeds, or the ceiling passes.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

[ "$(id -u)" = 0 ] || { say "needs root"; exit 1; }
for c in debootstrap systemd-nspawn dpkg-buildpackage nsenter python3; do
	command -v $c >/dev/null || { say "needs $c"; exit 1; }
done
trap finish EXIT INT TERM

# --- the packages -------------------------------------------------------
build_debs() {
	local b=$TMP/build
	mkdir -p "$b"
	git -C "$top" rev-parse --git-dir >/dev/null 2>&1 ||
	    die "$top is not a git checkout (set TATTLE_DEBS)"
	git clone -q "$top" "$b/tattle" || die "git clone"
	[ -d "$top/../shared" ] && ln -s "$(cd "$top/../shared" && pwd)" \
	    "$b/shared"
	say "building the packages (dpkg-buildpackage -b, nocheck)"
	(cd "$b/tattle" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage \
	    -us -uc -b) >"$TMP/build.log" 2>&1 ||
	    { tail -20 "$TMP/build.log"; die "dpkg-buildpackage failed"; }
	TATTLE_DEBS=$b
}
[ -n "${TATTLE_DEBS:-}" ] || build_debs
DEB=$(ls "$TATTLE_DEBS"/tattle_*.deb 2>/dev/null | head -1)
[ -f "$DEB" ] || die "no tattle_*.deb in $TATTLE_DEBS"
if command -v lintian >/dev/null; then
	lintian --fail-on error,warning "$TATTLE_DEBS"/tattle_*.deb \
	    "$TATTLE_DEBS"/tattle-osui_*.deb >"$TMP/lintian.txt" 2>&1
	check "lintian: no error, no warning" test $? = 0
	grep -v 'running with root' "$TMP/lintian.txt" | sed 's/^/    /'
fi

# --- the root -------------------------------------------------------------
say "debootstrap bookworm (minbase, systemd) from $MIRROR"
debootstrap --variant=minbase --include=systemd-sysv,dbus,iproute2,nftables,procps,\
libnetfilter-queue1,libnftnl11,libmnl0,libyajl2,libtre5,libseccomp2,libmd0,\
libcap-ng0 bookworm "$ROOT" "$MIRROR" >"$TMP/debootstrap.log" 2>&1 ||
    { tail -20 "$TMP/debootstrap.log"; die "debootstrap failed"; }
cp "$DEB" "$ROOT/root/"
# As on a running machine: the maintainer scripts' tmpfiles needs /proc.
mount -t proc proc "$ROOT/proc" || die "mount proc"
chroot "$ROOT" dpkg -i "/root/$(basename "$DEB")" >"$TMP/dpkg.log" 2>&1
rc=$?
umount "$ROOT/proc"
[ $rc = 0 ] || { cat "$TMP/dpkg.log"; die "dpkg -i failed"; }
check "installed: not enabled by the package" \
    not chroot "$ROOT" systemctl is-enabled tattled.service
check "installed: users from sysusers.d" chroot "$ROOT" getent passwd \
    _tattle _tattle_attr _tattle_rule _tattle_prompt
check "installed: /etc/tattle/rules is _tattle's, setgid" \
    test "$(chroot "$ROOT" stat -c %U:%G:%a /etc/tattle/rules)" = \
    _tattle:tattle:2750
chroot "$ROOT" systemctl enable tattled.service >/dev/null 2>&1
check "enabled: tattle-early too" chroot "$ROOT" systemctl is-enabled \
    tattle-early.service
echo "nameserver 10.66.0.2" > "$ROOT/etc/resolv.conf"
echo tattle-boot > "$ROOT/etc/hostname"

# --- the network: NS (the container's) -- veth -- NSP (a server) ----------
ip netns add "$NS" && ip netns add "$NSP" || die "ip netns add"
ip -n "$NSP" link set lo up
ip -n "$NS" link add host0 type veth peer name s0 netns "$NSP" ||
    die "veth"
ip -n "$NS" addr add 10.66.0.1/24 dev host0
ip -n "$NSP" addr add 10.66.0.2/24 dev s0
ip -n "$NS" link set host0 up
ip -n "$NSP" link set s0 up
ip -n "$NS" route add default via 10.66.0.2 2>/dev/null ||
    { ip -n "$NS" link set lo up; ip -n "$NS" route add default via 10.66.0.2; }
SERVERS=
for port in 53 7000; do
	ip netns exec "$NSP" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.66.0.2", int(sys.argv[1]))); s.listen(64)
while True:
    c, _ = s.accept(); c.sendall(b"hello\n"); c.close()
' $port &
	SERVERS="$SERVERS $!"
done

# --- the container ----------------------------------------------------------
CPID=
container_start() {
	# A real machine's root has CAP_NET_ADMIN, its own resolv.conf and
	# tracefs mounted: nspawn gives none of them unless asked.  (Without
	# tracefs here, tattled finds processes through sock_diag alone.)
	local trace=
	mountpoint -q /sys/kernel/tracing && trace=--bind=/sys/kernel/tracing
	systemd-nspawn -q -D "$ROOT" --register=no --keep-unit \
	    --capability=CAP_NET_ADMIN --resolv-conf=off $trace \
	    --network-namespace-path="/run/netns/$NS" -b \
	    >"$TMP/nspawn.$1.log" 2>&1 </dev/null &
	NSPAWN=$!
	CPID=
	wait_until 120 container_pid || die "the container did not start"
	wait_until 180 in_c systemctl is-system-running --wait
	say "booted ($1): $(in_c systemctl is-system-running 2>&1)"
}
container_pid() {
	local p
	for p in $(ip netns pids "$NS"); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = systemd ] &&
		    [ "$(awk '{print $4}' /proc/$p/stat)" = "$NSPAWN" ] &&
		    { CPID=$p; return 0; }
	done
	return 1
}
container_stop() {
	[ -n "$NSPAWN" ] || return 0
	[ -n "$CPID" ] && in_c systemctl poweroff >/dev/null 2>&1
	wait_until 60 sh -c "! kill -0 $NSPAWN" || kill -KILL "$NSPAWN"
	wait "$NSPAWN" 2>/dev/null
	NSPAWN=
}
in_c() { nsenter -t "$CPID" -a "$@"; }
# connect PORT: a TCP connection from inside the container to the peer.
connect() {
	in_c timeout 5 bash -c "exec 3<>/dev/tcp/10.66.0.2/$1 && head -1 <&3" |
	    grep -q hello
}

container_start first
# Type=notify: active once the table is in and the children answer.
check "tattled active" in_c systemctl is-active tattled.service
check "tattled said it started" in_c sh -c \
    'journalctl -b -u tattled.service | grep -q "tattle .* started"'
check "tattle-early ran" in_c sh -c \
    'journalctl -b -u tattle-early.service | grep -q "boot table inet tattle loaded"'
check "tattled took the boot table over" in_c sh -c \
    'journalctl -b -u tattled.service | grep -q "replaced the table inet tattle already there"'
for u in _tattle:tattled _tattle_attr:tattle-attribut _tattle_rule:tattle-ruled \
    _tattle_prompt:tattle-promptd; do
	check "process ${u#*:} runs as ${u%%:*}" in_c sh -c \
	    "ps -eo user:20,comm | awk '\$1 == \"${u%%:*}\" && \$2 == \"${u#*:}\"' | grep -q ."
done
check "table inet tattle" in_c nft list table inet tattle
check "shipped rules: DNS to the resolver passes (tcp 10.66.0.2:53)" connect 53
check "shipped rules: anything else dropped (tcp 10.66.0.2:7000)" \
    not connect 7000
in_c systemd-analyze security tattled.service >"$TMP/security.txt" 2>&1
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' \
    "$TMP/security.txt")
say "systemd-analyze security tattled.service: ${score:-none}"
grep '✗' "$TMP/security.txt" | sed 's/  */ /g; s/^/    /'
check "exposure at most 4.0 (${score:-none})" \
    awk -v s="${score:-99}" 'BEGIN { exit !(s + 0 <= 4.0) }'

# An upgrade (the same version again) keeps the configuration and the
# rules and restarts the set.
in_c sh -c 'printf "{\"created\": \"2026-01-01T00:00:00Z\", \"name\": \"mine\", \"enabled\": true, \"precedence\": false, \"action\": \"allow\", \"duration\": \"always\", \"operator\": {\"type\": \"simple\", \"operand\": \"dest.port\", \"data\": \"7000\", \"sensitive\": false}}\n" > /etc/tattle/rules/mine.json'
wait_until 30 connect 7000
check "a rule file of the user's allows 7000" connect 7000
old=$(in_c systemctl show -p MainPID --value tattled.service)
in_c sh -c 'sed -i "s/\"PromptTimeout\": 30/\"PromptTimeout\": 31/" /etc/tattle/config.json'
in_c dpkg -i "/root/$(basename "$DEB")" >"$TMP/upgrade.log" 2>&1
check "upgrade: dpkg -i again" test $? = 0
new=$(in_c systemctl show -p MainPID --value tattled.service)
check "upgrade: tattled restarted ($old -> $new)" test "$new" != "$old" -a "$new" != 0
check "upgrade: tattled active" in_c systemctl is-active tattled.service
check "upgrade: config.json kept" in_c grep -q '"PromptTimeout": 31' \
    /etc/tattle/config.json
check "upgrade: the user's rule kept" in_c test -f /etc/tattle/rules/mine.json
wait_until 30 connect 7000
check "upgrade: the user's rule still allows 7000" connect 7000

# A broken configuration, and a reboot.
in_c sh -c 'printf "{\"DefaultAction\": " > /etc/tattle/config.json'
container_stop
container_start broken
wait_until 60 in_c sh -c '! systemctl is-active tattled.service'
check "broken config: tattled not running" \
    not in_c systemctl is-active tattled.service
check "broken config: the journal says why" in_c sh -c \
    'journalctl -b -u tattled.service | grep -q "config.json"'
check "broken config: the boot table is there" in_c nft list table inet tattle
check "broken config: a connection the rules would allow does not pass" \
    not connect 53
in_c journalctl -b -u tattled.service --no-pager 2>/dev/null | tail -5 |
    sed 's/^/    /'

# Removal keeps the configuration; purge removes what the package and
# tattled made, not the users.
container_stop
mount -t proc proc "$ROOT/proc" || die "mount proc"
chroot "$ROOT" dpkg -r tattle >"$TMP/remove.log" 2>&1
check "remove: dpkg -r" test $? = 0
check "remove: config.json kept" test -f "$ROOT/etc/tattle/config.json"
chroot "$ROOT" dpkg -P tattle >"$TMP/purge.log" 2>&1
check "purge: dpkg -P" test $? = 0
check "purge: /etc/tattle gone" not test -e "$ROOT/etc/tattle"
check "purge: /var/lib/tattle gone" not test -e "$ROOT/var/lib/tattle"
check "purge: the users stay" chroot "$ROOT" getent passwd _tattle
umount "$ROOT/proc"
finish
