#!/bin/sh
# run.sh: run libFuzzer harnesses one after another (make fuzz).
#
#	FUZZ_BIN=DIR FUZZ_TIME=SECONDS sh tests/fuzz/run.sh NAME ...
#
# Each tests/fuzz/fuzz-NAME in FUZZ_BIN runs FUZZ_TIME seconds on a
# copy of tests/fuzz/corpus/NAME (with a 10 s timeout per input and
# libFuzzer's 2 GB memory limit), then the corpus is minimized
# (-merge=1) into the committed directory.  A crash, leak, sanitizer
# report, timeout or out-of-memory stops everything: the input is left
# as fuzz-out/NAME-crash-... (or -timeout-, -oom-, -leak-) to be turned
# into a test case (tests/fuzz/README.md).  The last lines of each
# run's log, with its execution count, are printed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BIN:?FUZZ_BIN: the directory of the fuzz-NAME programs}
time=${FUZZ_TIME:-600}
out=${FUZZ_OUT:-fuzz-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Graphviz's own leaks (lsan.supp) are told from ours by the whole
# allocation stack: the fast unwinder stops inside libcgraph.
ASAN_OPTIONS=fast_unwind_on_malloc=0
LSAN_OPTIONS=suppressions=$here/lsan.supp
UBSAN_OPTIONS=print_stacktrace=1
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

for name in "$@"; do
	corpus=$here/corpus/$name
	work=$out/$name.work
	rm -rf "$work" "$out/$name.merged"
	mkdir -p "$work" "$out/$name.merged"
	cp "$corpus"/* "$work"/
	echo "fuzz-$name: $time s, $(ls "$work" | wc -l) inputs to start"
	if ! "$bin/fuzz-$name" -max_total_time="$time" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/$name-" "$work" > "$out/$name.log" 2>&1
	then
		tail -n 40 "$out/$name.log"
		echo "fuzz-$name: FINDING: see $out/$name-* and $out/$name.log"
		exit 1
	fi
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' \
	    "$out/$name.log" || true
	"$bin/fuzz-$name" -merge=1 "$out/$name.merged" "$work" \
	    > "$out/$name.merge.log" 2>&1
	rm -rf "$corpus"
	mkdir -p "$corpus"
	cp "$out/$name.merged"/* "$corpus"/
	echo "fuzz-$name: corpus now $(ls "$corpus" | wc -l) inputs"
done
