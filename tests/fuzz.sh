#!/bin/sh
# The fuzz corpora and findings replayed through the harnesses
# (tests/fuzz/README.md) by this build: under the sanitizer build this
# is CI's replay under AddressSanitizer and UndefinedBehaviorSanitizer.
# A crash or a report fails the replay; every corpus must also take
# some inputs all the way to a written graph.

. "${top_srcdir:-.}/tests/lib.sh"

F=$top_srcdir/tests/fuzz
plan 18

# Under the sanitizers: Graphviz's own leaks are suppressed
# (tests/fuzz/lsan.supp), told from ours by whole allocation stacks.
if [ -n "$GMV_SANITIZE" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
	LSAN_OPTIONS=suppressions=$F/lsan.supp
	export ASAN_OPTIONS LSAN_OPTIONS
fi

for name in pprof legacy folded focus diff style; do
	n=$(ls "$F/corpus/$name" 2>/dev/null | wc -l)
	if [ "$n" -gt 0 ]; then
		ok "$name: corpus of $n inputs"
	else
		not_ok "$name: corpus of $n inputs"
	fi
	dirs=$F/corpus/$name
	[ -d "$F/findings/$name" ] && dirs="$dirs $F/findings/$name"
	# shellcheck disable=SC2086
	if "$top_builddir/tests/fuzz/replay-$name" $dirs > "$TMP/out" 2> "$TMP/err"; then
		ok "$name: replay of the corpus and findings ($(cat "$TMP/out"))"
	else
		not_ok "$name: replay of the corpus and findings"
		tail -n 30 "$TMP/err" | sed 's/^/# /'
	fi
	got=$(sed -n 's/^\([0-9]*\) inputs replayed, \([0-9]*\) graphs written$/\2/p' "$TMP/out")
	if [ "${got:-0}" -gt 0 ]; then
		ok "$name: $got inputs reached a written graph"
	else
		not_ok "$name: some inputs reach a written graph"
	fi
done
