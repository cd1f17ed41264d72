#!/bin/bash
# run.sh: run the libFuzzer targets `make fuzz` built, each for a bounded
# time, a few at a time, and say what each did.
#
#	run.sh -b BUILD/tests/fuzz -s SRC/tests/fuzz [-t SECONDS] [-j JOBS]
#	    [-w WORKDIR] [-x LIBFUZZER-FLAGS] [TARGET...]
#
# TARGET is a name such as msg or list-domains (default: every fuzz-*
# binary in BUILD).  Each target reads its seeds (SRC/corpus/TARGET,
# read-only) and grows its own corpus in WORKDIR/TARGET/corpus (default
# WORKDIR: BUILD/work, kept between runs so that a later run starts
# where the last stopped).  A crash, leak, timeout (10 s on one input)
# or out-of-memory (2 GB) leaves its input in WORKDIR/TARGET/ and fails
# the run.  -x passes more flags to libFuzzer (e.g. "-max_len=256" keeps
# a target whose corpus grew big quick).  Every run appends "date target
# executions seconds" to WORKDIR/executions.log.  Ends with "fuzz: N
# targets, N failed, N executions".
set -u

bin= src= secs=30 jobs=2 work= extra=
while getopts b:s:t:j:w:x: o; do
	case $o in
	b) bin=$OPTARG ;;
	s) src=$OPTARG ;;
	t) secs=$OPTARG ;;
	j) jobs=$OPTARG ;;
	w) work=$OPTARG ;;
	x) extra=$OPTARG ;;
	*) echo "usage: $0 -b BIN -s SRC [-t S] [-j N] [-w DIR] [-x F] [T...]" \
	       >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$bin" ] || [ -z "$src" ]; then
	echo "$0: -b and -s are needed" >&2
	exit 2
fi
: "${work:=$bin/work}"
mkdir -p "$work" || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$bin"/fuzz-*; do
		[ -x "$f" ] && targets+=("${f##*/fuzz-}")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "$0: no fuzz targets in $bin (make fuzz)" >&2
	exit 1
fi

one() {
	local t=$1 w=$work/$1 dict=() rc
	mkdir -p "$w/corpus"
	rm -f "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-* \
	    "$w"/slow-unit-*
	[ -f "$src/dict/$t.dict" ] && dict=("-dict=$src/dict/$t.dict")
	timeout $((secs + 120)) "$bin/fuzz-$t" -max_total_time="$secs" \
	    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$w/" "${dict[@]}" $extra "$w/corpus" \
	    "$src/corpus/$t" >"$w/log" 2>&1
	rc=$?
	echo "$rc" >"$w/rc"
}

running=0
for t in "${targets[@]}"; do
	if [ ! -x "$bin/fuzz-$t" ]; then
		echo "$0: no $bin/fuzz-$t" >&2
		exit 1
	fi
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	one "$t" &
	running=$((running + 1))
done
wait

failed=0
total=0
printf '%-14s %12s %10s %8s  %s\n' target executions "exec/s" corpus result
for t in "${targets[@]}"; do
	w=$work/$t
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" | tail -1)
	r=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$w/log" | tail -1)
	c=$(find "$w/corpus" -type f | wc -l)
	art=$(ls "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-* \
	    2>/dev/null | head -1)
	result=ok
	if [ "$(cat "$w/rc")" != 0 ] || [ -n "$art" ] || [ -z "$n" ]; then
		result=FAILED
		failed=$((failed + 1))
	fi
	total=$((total + ${n:-0}))
	printf '%-14s %12s %10s %8s  %s\n' "$t" "${n:-?}" "${r:-?}" "$c" \
	    "$result"
	echo "$(date -u +%FT%TZ) $t ${n:-0} $secs" >>"$work/executions.log"
	if [ "$result" != ok ]; then
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*property broken|.*runtime error)' \
		    "$w/log" | head -5 | sed 's/^/    /'
		[ -n "$art" ] && echo "    input: $art" &&
		    echo "    reproduce: $bin/fuzz-$t $art"
		echo "    log: $w/log"
	fi
done
echo "fuzz: ${#targets[@]} targets, $failed failed, $total executions"
[ "$failed" -eq 0 ]
