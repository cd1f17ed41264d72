#!/bin/bash
# SECURITY.md E.42 through the daemon: a block list of a million
# addresses (13 MiB) and one of a million domains in hosts format, with
# CRLF, BOM, comment and 10 KB lines.  tattled starts within its ready
# bound, ruled's memory stays within about 2.5 times the lists' bytes,
# the listed address is blocked and the unlisted one not, and an odd
# line costs nothing but itself.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
L=$T_TMP/lists
printf '{"DefaultAction":"deny","InterceptUnknown":true,%s}\n' \
    "\"ListsRoots\":[\"$L\"]" >"$T_TMP/config.json"
mkdir -p "$L/ips" "$L/domains"
python3 - "$L" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/ips/block.txt", "w") as f:
    for i in range(1000000):
        f.write("10.%d.%d.%d\n" % (i >> 16 & 255, i >> 8 & 255, i & 255))
    f.write("127.0.0.5\n")
with open(d + "/domains/hosts.txt", "w", newline="") as f:
    f.write("\ufeff0.0.0.0 bom.test\n# a comment\n")
    for i in range(1000000):
        f.write("0.0.0.0 h%d.block.test%s" % (i, "\r\n" if i % 2 else "\n"))
    f.write("0.0.0.0 " + "x" * 10240 + ".test\n")
PY
attack_rule block deny "$(op_json lists lists.ips "$L/ips")"
attack_rule domains deny "$(op_json lists lists.domains "$L/domains")"
attack_rule zz-allow-rest allow "$(op_json simple true "")"
bytes=$(du -cb "$L"/*/* | tail -1 | cut -f1)
T0=$(now_ms)
check "tattled starts with 2 million list lines" start_tattled
took=$(($(now_ms) - T0))
say "started in $took ms with $((bytes >> 20)) MiB of lists"
check "the address list is in" \
    grep -q "lists directory $L/ips: 1 files" "$LOG"
check "the domain list is in" \
    grep -q "lists directory $L/domains: 1 files" "$LOG"
probe_bg listen 0.0.0.0 8080 || fail "the test listener"
check_probe "an address on the list: blocked" timeout \
    connect 127.0.0.5 8080 1
check_probe "an address not on it: allowed (the rule after)" ok \
    connect 127.0.0.6 8080 1
rss=$(rss_kb ruled)
say "ruled resident: $((rss >> 10)) MiB for $((bytes >> 20)) MiB of lists"
check "ruled within 2.5 times the lists' bytes" \
    test "$rss" -lt $((bytes * 5 / 2 / 1024 + 65536))
check "every process survived" alive
done_test
