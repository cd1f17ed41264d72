#!/bin/sh
# common-conf-man.sh: tattle.conf(5) names every key common/conf.c
# accepts, and only those.  The keys are read from conf.c's tables
# (top_keys, and the tables a key's handler walks with conf_walk(), as
# FwOptions.QueueNum); the page must name each as ".It Sy KEY" or
# ".Sy KEY" (the ignored ones are listed), and every ".It Sy KEY" of the
# page must be one of them.  Each bound the page names (".Dv NAME") must
# be a #define of common/.  So the page cannot drift from the parser.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
conf=$top/common/conf.c
page=$top/man/tattle.conf.5.in
fails=0
checks=0

say() { printf 'common-conf-man: %s\n' "$*"; }

# keys: every key as it is written in config.json, one a line.
keys() {
	awk '
	# A handler that walks a table: its name, then the table.
	/^key_[a-z_]*\(/ { fn = $0; sub(/\(.*/, "", fn) }
	/conf_walk\(c, key, v, [a-z_]*\)/ {
		t = $0; sub(/.*conf_walk\(c, key, v, /, "", t); sub(/\).*/, "", t)
		walks[fn] = t
	}
	/^static const struct conf_key [a-z_]*\[\]/ {
		tab = $5; sub(/\[\].*/, "", tab); next
	}
	tab != "" && /^\t\{ "/ {
		k = $0; sub(/^\t\{ "/, "", k); sub(/".*/, "", k)
		f = $0; sub(/.*",[ \t]*/, "", f); sub(/[ \t]*\}.*/, "", f)
		n[tab]++; key[tab, n[tab]] = k; fnof[tab, n[tab]] = f
	}
	/^};/ { tab = "" }
	END {
		for (i = 1; i <= n["top_keys"]; i++) {
			k = key["top_keys", i]; f = fnof["top_keys", i]
			if (f in walks) {
				t = walks[f]
				for (j = 1; j <= n[t]; j++)
					print k "." key[t, j]
			} else
				print k
		}
	}' "$conf"
}

check() {
	checks=$((checks + 1))
	if [ "$1" = ok ]; then
		return 0
	fi
	fails=$((fails + 1))
	say "FAIL: $2"
}

[ -r "$conf" ] && [ -r "$page" ] || { say "FAIL: $conf or $page missing"; exit 1; }
k=$(keys)
[ "$(printf '%s\n' "$k" | grep -c .)" -ge 20 ] ||
    { say "FAIL: only $(printf '%s\n' "$k" | grep -c .) keys read from $conf"; exit 1; }

for key in $k; do
	if grep -Eq "^\.(It )?Sy $(printf '%s' "$key" | sed 's/\./\\./g')( |$)" "$page"; then
		check ok
	else
		check no "conf.c accepts $key: tattle.conf(5) does not name it"
	fi
done

for key in $(sed -n 's/^\.It Sy \([A-Za-z.]*\).*/\1/p' "$page"); do
	if printf '%s\n' "$k" | grep -qx "$key"; then
		check ok
	else
		check no "tattle.conf(5) names $key: conf.c does not accept it"
	fi
done

for d in $(sed -n 's/.*Dv \(MAX_[A-Z_]*\).*/\1/p' "$page" | sort -u); do
	if grep -q "^#define[[:space:]]*$d[[:space:]]" "$top"/common/*.h; then
		check ok
	else
		check no "tattle.conf(5) names $d: no such #define in common/"
	fi
done

say "$(printf '%s\n' "$k" | wc -l) keys, $checks checks, $fails failed"
[ "$fails" -eq 0 ]
