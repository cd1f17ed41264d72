#!/bin/bash
# limits.sh: docs/limits.md is the one table of every bound in the code:
# each #define that bounds a table, cache, queue, buffer, size, count or
# wait (by its name: MAX_, _MAX, TIMEOUT, BUCKETS, _BUF, ...), in every
# source directory, must be a row of it with the same value, and every
# row must still be in the code.  So the table cannot drift.
#
#	tests/attack/limits.sh		check (make check runs it)
#	tests/attack/limits.sh --list	the bounds found, as "NAME|FILE|VALUE"
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
doc=$top/docs/limits.md
dirs="common packetd attributord ruled promptd policy cli osui"
# Names that match the pattern but bound nothing: wire and file formats
# (header lengths, the kernel's ring-buffer encoding), a
# reason code, a key size, the last Unicode code point, a default.
skip='^(DNS_HDR_LEN|IPV4_HDR_MIN|IPV6_HDR_LEN|TCP_HDR_MIN|UDP_HDR_LEN'
skip="$skip"'|DCCP_HDR_MIN|SCTP_HDR_LEN|ICMP_HDR_LEN'
skip="$skip"'|GONE_TIMEOUT|UFOLD_MAX_RUNE|RB_MAX_SMALL|HASH_KEY_LEN'
skip="$skip"'|DEFAULT_PROMPT_TIMEOUT)$'
pattern='(^|_)(MAX|MIN)(_|$)|TIMEOUT|_KEEP_|BUDGET|BUCKETS|_TTL$'
pattern="$pattern"'|BUFSIZE|_BUF$|BACKLOG|_WAIT_MS$|_EVERY_MS$|COPY_RANGE'
pattern="$pattern"'|SLOT_SIZE|MAXLEN|RCVBUF|_BATCH$|CHUNK$|_SIZE$|_LEN$|_LIMIT'
pattern="$pattern"'|_BYTES$|_ERR$|_KB$'

# Every #define of the source files, continuation lines joined, as
# FILE:#define NAME VALUE.
defines() {
	local d f
	for d in $dirs; do
		[ -d "$top/$d" ] || continue
		find "$top/$d" -name '*.[ch]' ! -name '*_tables.h' \
		    ! -name 're2_uclass.h' | sort
	done | while read -r f; do
		awk -v f="$f" '
		cont { line = line " " $0; sub(/\\$/, "", line)
		       if ($0 !~ /\\$/) { print f ":" line; cont = 0 }; next }
		/^#define[ \t]+[A-Z0-9_]+[ \t]/ {
			line = $0
			if (line ~ /\\$/) { sub(/\\$/, "", line); cont = 1; next }
			print f ":" line
		}' "$f"
	done
}

list() {
	defines | grep -E ':#define[[:space:]]+[A-Z0-9_]+[[:space:]]+[^ ]' |
	    sed -E "s|^$top/||; s|/\*.*||; s|[[:space:]]+| |g; s| $||" |
	    awk -v pat="$pattern" -v skip="$skip" '
	{
		split($0, a, ":")
		file = a[1]
		line = substr($0, length(file) + 2)
		n = split(line, w, /[ \t]+/)
		name = w[2]
		value = w[3]
		for (i = 4; i <= n; i++)
			value = value " " w[i]
		if (name ~ pat && name !~ skip)
			print name "|" file "|" value
	}' | sort -u
}

# The rows of the table: | `NAME` | `FILE` | `VALUE` ... |
rows() {
	awk -F'|' '/^\| `[A-Z0-9_]+` \|/ {
		n = $2; f = $3; v = $4
		gsub(/[ `]/, "", n); gsub(/[ `]/, "", f)
		sub(/^[^`]*`/, "", v); sub(/`.*/, "", v)
		print n "|" f "|" v
	}' "$doc" | sort -u
}

if [ "${1:-}" = --list ]; then
	list
	exit 0
fi
[ -f "$doc" ] || { echo "limits: $doc missing"; exit 1; }
code=$(list)
table=$(rows)
missing=$(comm -23 <(echo "$code") <(echo "$table"))
stale=$(comm -13 <(echo "$code") <(echo "$table"))
rc=0
if [ -n "$missing" ]; then
	echo "limits: bounds in the code that docs/limits.md lacks or states"
	echo "with another value (NAME|FILE|VALUE):"
	echo "$missing" | sed 's/^/    /'
	rc=1
fi
if [ -n "$stale" ]; then
	echo "limits: rows of docs/limits.md the code no longer has:"
	echo "$stale" | sed 's/^/    /'
	rc=1
fi
echo "limits: $(echo "$code" | grep -c .) bounds in the code," \
    "$(echo "$table" | grep -c .) rows in docs/limits.md"
[ "$rc" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$rc"
