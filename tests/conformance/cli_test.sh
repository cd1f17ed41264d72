#!/bin/sh
# cli_test.sh: tattle check on a directory holding every kind of broken
# rule (one precise line per problem, exit 2), a warnings-only and a clean
# directory (exit 1, 0), and tattle eval's input errors and exit codes.
# Run from the build directory (make check does); TATTLE overrides ./tattle.

TATTLE=${TATTLE:-./tattle}
case $TATTLE in /*) ;; *) TATTLE=$(pwd)/$TATTLE ;; esac
T=$(mktemp -d /tmp/tattle-cli-XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
fails=0
passes=0

ok() {
	passes=$((passes + 1))
}

bad() {
	fails=$((fails + 1))
	echo "FAIL: $*" >&2
}

# has FILE LINE: the output holds this exact line.
has() {
	if grep -qxF -- "$2" "$1"; then ok; else bad "missing line: $2"; fi
}

# hasp FILE TEXT: some line starts with TEXT.
hasp() {
	if grep -qF -- "$2" "$1"; then ok; else bad "missing text: $2"; fi
}

status() {
	if [ "$1" -eq "$2" ]; then ok; else bad "$3: exit $1, want $2"; fi
}

rule() {	# rule FILE NAME ACTION OPERATOR-JSON [EXTRA]
	printf '{"name":"%s","action":"%s","duration":"always","enabled":true,"operator":%s%s}\n' \
	    "$2" "$3" "$4" "${5:+,$5}" > "$T/r/$1"
}

mkdir -p "$T/r" "$T/lists/dom" "$T/lists/re"
printf '{"name": "bad", "action": "deny", ' > "$T/r/0000.json"
printf '\357\273\277{"name":"bom"}' > "$T/r/0001.json"
rule 0002.json lan allow '{"type":"network","operand":"dest.network","data":"10.0.0/8"}'
rule 0003.json re deny '{"type":"regexp","operand":"process.path","data":"/opt/((.*)google"}'
rule 0004.json glob deny '{"type":"glob","operand":"dest.host","data":"*.x"}'
printf '{"name":"str","enabled":"true"}' > "$T/r/0005.json"
rule 0006.json empty allow '{"type":"list","operand":"list","list":[]}'
rule 0007.json rng allow '{"type":"range","operand":"dest.host","data":"0-10"}'
rule 0008.json user allow '{"type":"simple","operand":"user.name","data":"no-such-user-osn-test"}'
rule 0009.json caps Allow '{"type":"simple","operand":"true"}'
rule 0010.json lanv6 allow '{"type":"network","operand":"dest.network","data":"LAN"}'
rule 0011.json md5 allow '{"type":"simple","operand":"process.hash.md5","data":"d41d8cd98f00b204e9800998ecf8427e"}'
rule 0012.json dup allow '{"type":"simple","operand":"dest.port","data":"22"}'
rule 0013.json dup deny '{"type":"simple","operand":"dest.port","data":"23"}'
rule 0014.json 050-deny-curl deny '{"type":"simple","operand":"process.path","data":"/usr/bin/curl"}'
rule 0015.json 060-allow-curl allow '{"type":"list","operand":"list","list":[{"type":"simple","operand":"dest.port","data":"443"},{"type":"simple","operand":"process.path","data":"/usr/bin/curl"}]}'
printf '{"Name":"keys","enabled":true,"operator":{"type":"simple","operand":"dest.port","data":"0443"}}' > "$T/r/0016.json"
rule 0017.json blocklist deny '{"type":"lists","operand":"lists.domains","data":"'"$T"'/lists/dom/"}'
rule 0018.json relist deny '{"type":"lists","operand":"lists.domains_regexp","data":"'"$T"'/lists/re"}'
printf '{"name":"off","enabled":false,"operator":{"type":"network","operand":"dest.network","data":"nope"}}' > "$T/r/0019.json"
head -c 1048577 /dev/zero | tr '\0' ' ' > "$T/r/0020.json"
mkdir "$T/r/0021.json"
printf 'not a rule: not *.json' > "$T/r/README"
printf '0.0.0.0 ads.example.com # tracker\r\n0.0.0.0 UPPER.example.com\nads.example.net\n' > "$T/lists/dom/hosts.txt"
printf '0.0.0.0 hidden.example.com\n' > "$T/lists/dom/hosts"
printf '^ads\\.example\\.com$\r\n' > "$T/lists/re/re.txt"

cd "$T" || exit 1
"$TATTLE" check --rules-dir "$T/r" --lists-root "$T/lists" > "$T/out" 2> "$T/err" </dev/null
st=$?
cd "$OLDPWD" || exit 1
status $st 2 "check broken"
O="$T/out"
hasp "$O" 'error: 0000.json: invalid JSON at byte 34: '
has "$O" "error: 0001.json: invalid JSON: starts with a UTF-8 byte order mark (Go's decoder refuses it)"
has "$O" 'error: 0002.json (rule "lan"): operator.data: invalid CIDR "10.0.0/8" (and not an alias such as LAN or MULTICAST; aliases are case-sensitive)'
has "$O" 'error: 0003.json (rule "re"): operator.data: invalid regexp: error parsing regexp: missing closing ): `/opt/((.*)google`'
has "$O" 'error: 0004.json (rule "glob"): operator.type: unknown operator type "glob" (simple, regexp, network, range, list, lists; case-sensitive)'
has "$O" "error: 0005.json (rule \"str\"): enabled: expected true or false, got string (Go's decoder refuses the whole file)"
has "$O" 'error: 0006.json (rule "empty"): operator.list: an empty or null list is refused (D2; OpenSnitch matches every connection with it)'
has "$O" 'error: 0007.json (rule "rng"): operator.operand: range on dest.host is refused: it is not a number, and OpenSnitch reads it as 0, which "0-10" holds (D4)'
has "$O" 'error: 0008.json (rule "user"): operator.data: unknown user "no-such-user-osn-test"'
has "$O" 'error: 0020.json: File too large (MAX_RULE_FILE_SIZE)'
has "$O" 'error: 0021.json: Is a directory'
hasp "$O" 'warning: 0009.json (rule "caps"): action: action "Allow" is read as allow; OpenSnitch compares actions byte-exactly'
hasp "$O" 'warning: 0010.json (rule "lanv6"): operator.data: alias LAN includes ::1/128 in tattle'
hasp "$O" 'warning: 0011.json (rule "md5"): operator.operand: process.hash.md5 is always compared, and an unknown hash is unknown: it matches in deny and reject rules, never in allow rules; OpenSnitch matches any process when Rules.EnableChecksums is false (it is false here)'
has "$O" 'warning: 0013.json (rule "dup"): name: 0012.json also names this rule; the file loaded last (this one) replaced it [duplicate]'
has "$O" 'warning: 0015.json (rule "060-allow-curl"): never decides: rule "050-deny-curl" (deny) comes first by name and matches every connection this one matches [shadowed]'
has "$O" 'warning: 0016.json (rule "keys"): name: key "Name" is read as "name" (Go matches keys case-insensitively) [surprising]'
hasp "$O" 'warning: 0016.json (rule "keys"): operator.data: "0443" is compared as text with the decimal number ("443"): it never matches [surprising]'
hasp "$O" 'warning: 0019.json (rule "off"): operator.data: this disabled rule would be refused once enabled: invalid CIDR "nope"'
hasp "$O" 'warning: '"$T"'/lists/dom/hosts.txt: line 1: entry "ads.example.com # tracker" is one host name with blanks in it'
hasp "$O" 'warning: '"$T"'/lists/dom/hosts.txt: 1 line(s) neither "0.0.0.0 host" nor "127.0.0.1 host" are ignored'
hasp "$O" 'warning: '"$T"'/lists/dom/hosts.txt: 1 entry with upper-case letters: tattle lowercases them for this case-insensitive rule; OpenSnitch never matches them [D8]'
hasp "$O" 'warning: '"$T"'/lists/dom/hosts: file not read: only names with a dot, not starting with one, are'
hasp "$O" 'warning: '"$T"'/lists/re/re.txt: 1 line(s) end in CR or blanks: tattle trims them; OpenSnitch keeps them in the regexp (so "$" never matches) [D7]'
has "$O" "$T/r: 10 rules loaded, 11 errors, 16 warnings"
# One line per problem: nothing but error, warning and the summary.
if grep -v -e '^error: ' -e '^warning: ' -e "^$T/r: " "$O" | grep -q .; then
	bad "stray output lines"
else
	ok
fi
if [ -s "$T/err" ]; then bad "stderr: $(cat "$T/err")"; else ok; fi

# Warnings only: exit 1.  Clean: exit 0.
rm -rf "$T/r" && mkdir "$T/r"
rule a.json a Deny '{"type":"simple","operand":"dest.port","data":"22"}'
rule b.json ../up deny '{"type":"simple","operand":"dest.port","data":"23"}'
"$TATTLE" check --rules-dir "$T/r" > "$O" 2>&1
status $? 1 "check warnings"
hasp "$O" 'warning: b.json (rule "../up"): name: not a name the daemon writes files under'
rm "$T/r/b.json"
rule a.json a deny '{"type":"simple","operand":"dest.port","data":"22"}'
"$TATTLE" check --rules-dir "$T/r" > "$O" 2>&1
status $? 0 "check clean"
has "$O" "$T/r: 1 rule loaded, 0 errors, 0 warnings"
"$TATTLE" check --rules-dir "$T/nope" > "$O" 2>&1
status $? 2 "check missing dir"
has "$O" "tattle check: $T/nope: No such file or directory"
"$TATTLE" check --bogus > "$O" 2>&1
status $? 2 "check bad option"

# eval.
printf '{"process.path":"/usr/bin/curl","dest.port":22,"dest.ip":"::ffff:10.0.0.1"}' > "$T/c.json"
"$TATTLE" eval --rules-dir "$T/r" "$T/c.json" > "$O" 2>&1
status $? 0 "eval"
has "$O" '{"action":"deny","rule":"a","load_errors":[]}'
"$TATTLE" eval --rules-dir "$T/r" --default-action reject --checksums - < "$T/c.json" > "$O" 2>&1
status $? 0 "eval stdin"
has "$O" '{"action":"deny","rule":"a","load_errors":[]}'
printf '{"dest.port":"22"}' > "$T/bad.json"
"$TATTLE" eval --rules-dir "$T/r" "$T/bad.json" > "$O" 2>&1
status $? 1 "eval bad conn"
has "$O" "tattle eval: $T/bad.json: malformed connection: \"dest.port\": expected an integer from 0 to 65535"
printf '{"dest.ip":"10.0.0/8"}' > "$T/bad.json"
"$TATTLE" eval --rules-dir "$T/r" "$T/bad.json" > "$O" 2>&1
status $? 1 "eval bad ip"
printf '[' > "$T/bad.json"
"$TATTLE" eval --rules-dir "$T/r" "$T/bad.json" > "$O" 2>&1
status $? 1 "eval bad json"
"$TATTLE" eval --rules-dir "$T/nope" "$T/c.json" > "$O" 2>&1
status $? 1 "eval missing dir"
has "$O" "tattle eval: $T/nope: No such file or directory"
"$TATTLE" eval --rules-dir "$T/r" > "$O" 2>&1
status $? 1 "eval no conn"
"$TATTLE" eval --default-action drop --rules-dir "$T/r" "$T/c.json" > "$O" 2>&1
status $? 1 "eval bad action"
"$TATTLE" eval --help > "$O" 2>&1
status $? 0 "eval --help"
hasp "$O" 'usage: tattle eval --rules-dir DIR'
"$TATTLE" --help > "$O" 2>&1
status $? 0 "--help"
hasp "$O" '  eval     evaluate one connection against a rules directory'
"$TATTLE" frobnicate > "$O" 2>&1
status $? 2 "unknown command"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
