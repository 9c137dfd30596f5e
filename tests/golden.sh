#!/bin/sh
# Golden cases: tests/<tool>/<case>.args holds the arguments (paths
# relative to the source tree), optional .in the standard input, .exit
# the expected status (default 0), .err the expected standard error, and
# .out.dot the expected graph after canonicalising with dotcanon (sorted
# nodes, edges and attributes; the tool's version left out).  Run
# "make check GOLDEN_UPDATE=1" to rewrite the expectations, then read
# the diff before committing it.

. "${top_srcdir:-.}/tests/lib.sh"

for args in "$top_srcdir"/tests/*/*.args; do
	[ -e "$args" ] || continue
	dir=$(dirname "$args")
	tool=$(basename "$dir")
	case=$(basename "$args" .args)
	stem=$dir/$case
	want_exit=0
	[ -f "$stem.exit" ] && want_exit=$(cat "$stem.exit")
	in=/dev/null
	[ -f "$stem.in" ] && in=$stem.in
	# shellcheck disable=SC2046
	(cd "$top_srcdir" && eval "set -- $(cat "$args")" &&
		exec "$top_builddir/$tool" "$@") <"$in" >"$TMP/out.dot" 2>"$TMP/err"
	got_exit=$?
	if [ -s "$TMP/out.dot" ]; then
		dotcanon -x tool "$TMP/out.dot" >"$TMP/out.txt" 2>>"$TMP/err"
	else
		: >"$TMP/out.txt"
	fi
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		cp "$TMP/out.txt" "$stem.out.dot"
		if [ "$got_exit" -ne 0 ]; then echo "$got_exit" >"$stem.exit"; else rm -f "$stem.exit"; fi
		if [ -s "$TMP/err" ]; then cp "$TMP/err" "$stem.err"; else rm -f "$stem.err"; fi
	fi
	is "$tool/$case: exit status" "$got_exit" "$want_exit"
	same_file "$tool/$case: graph" "$TMP/out.txt" "$stem.out.dot"
	if [ -f "$stem.err" ]; then
		same_file "$tool/$case: messages" "$TMP/err" "$stem.err"
	else
		same_file "$tool/$case: no messages" "$TMP/err" /dev/null
	fi
done

done_testing
