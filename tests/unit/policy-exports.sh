#!/bin/sh
# policy-exports.sh: every symbol policy/libpolicy.a and policy/libre2tre.a
# define for other objects starts with policy_ (the API of policy.h and
# re2.h, called by ruled, tattle, tattled -n, bench) or pol_ (what only
# policy/'s own files and its white-box unit tests share: policy_int.h,
# re2_int.h, ufold.h).  The libraries are linked into four programs, so a
# name such as json_parse or ip_parse could clash with theirs; whatever one
# file alone uses is static.  Names the compiler reserves (leading "__",
# e.g. sanitizer instrumentation) are not ours and are left out.
set -u

: "${top_builddir:=.}"
NM=${NM:-nm}
pass=0
fail=0

check_lib()
{
	lib=$1
	want=$2
	if ! [ -f "$top_builddir/$lib" ]; then
		echo "FAIL: $lib: not built in $top_builddir"
		fail=$((fail + 1))
		return
	fi
	if ! syms=$("$NM" -g --defined-only "$top_builddir/$lib"); then
		echo "FAIL: $lib: $NM failed"
		fail=$((fail + 1))
		return
	fi
	names=$(printf '%s\n' "$syms" | awk 'NF == 3 { print $3 }' |
	    grep -v '^__' | sort -u)
	bad=$(printf '%s\n' "$names" | grep -v -e '^policy_' -e '^pol_')
	for s in $bad; do
		echo "FAIL: $lib exports $s: neither policy_ nor pol_" \
		    "(rename it, or make it static if one file uses it)"
	done
	# An empty or unreadable listing must not pass: the library's
	# entry point is there.
	if ! printf '%s\n' "$names" | grep -qx "$want"; then
		echo "FAIL: $lib: $want not among its exports"
		bad=1
	fi
	if [ -n "$bad" ]; then
		fail=$((fail + 1))
		return
	fi
	echo "ok: $lib: $(printf '%s\n' "$names" | wc -l) exports, all" \
	    "policy_ or pol_"
	pass=$((pass + 1))
}

check_lib policy/libpolicy.a policy_new
check_lib policy/libre2tre.a policy_re2_compile
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
