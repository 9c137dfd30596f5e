#!/bin/sh
# Every example in the man pages' EXAMPLES sections (the "$ " lines of
# their literal displays) runs, on the fixtures, and succeeds: a man
# page never shows a command that does not work.

. "${top_srcdir:-.}/tests/lib.sh"

cd "$TMP" || exit 99
ln -s "$FIXTURES/heap3.pb.gz" heap.pb.gz
for f in heap1 heap2 heap3 cpu allocs goroutine mutex block; do
	ln -s "$FIXTURES/$f.pb.gz" "$f.pb.gz"
	[ -f "$FIXTURES/$f.txt" ] && ln -s "$FIXTURES/$f.txt" "$f.txt"
done
ln -s "$top_srcdir/tests/folded/pyspy.folded" stacks.folded
ln -s "$top_srcdir/tests/folded/diff.folded" diff.folded
ln -s "$top_srcdir/tests/expected/heap3/inuse_space.default.dot" pprof.dot
ln -s "$top_srcdir/tests/expected/heap1/inuse_space.default.dot" heap1.pprof.dot
ln -s "$top_srcdir/tests/expected/heap3/inuse_space.default.dot" heap3.pprof.dot

for page in "$top_srcdir"/doc/*.1; do
	name=$(basename "$page")
	# The "$ " lines between .Sh EXAMPLES and the next .Sh, with mdoc's
	# escaped hyphens undone.
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | sed -n 's/^\$ //p' |
		sed 's/\\-/-/g; s/\\e/\\/g' >"$TMP/examples"
	[ -s "$TMP/examples" ] || { not_ok "$name has examples"; continue; }
	while IFS= read -r cmd; do
		if sh -c "set -e; $cmd" >"$TMP/stdout" 2>"$TMP/stderr" &&
			[ ! -s "$TMP/stderr" ]; then
			# Whatever the example writes must not be empty.
			out=$(printf '%s\n' "$cmd" | sed -n 's/.*\(>\|-o\) *\([A-Za-z0-9._-]*\)$/\2/p')
			if [ -n "$out" ] && [ ! -s "$out" ]; then
				not_ok "$name: $cmd (empty $out)"
			elif [ -z "$out" ] && [ ! -s "$TMP/stdout" ]; then
				not_ok "$name: $cmd (no output)"
			else
				ok "$name: $cmd"
			fi
		else
			not_ok "$name: $cmd"
			head -3 "$TMP/stderr" | sed 's/^/# /'
		fi
	done <"$TMP/examples"
done

done_testing
