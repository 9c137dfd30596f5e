#!/bin/sh
# End to end: every fixture, in every sample type, through pprof2graph
# and the real Graphviz (dot, and sfdp for one), must render without a
# warning; the odd-names profile too, and its names must survive the
# trip through DOT byte for byte (in the documented escaped form).

. "${top_srcdir:-.}/tests/lib.sh"

if ! command -v dot >/dev/null 2>&1; then
	echo "1..0 # SKIP Graphviz's dot is not installed"
	exit 0
fi

# render DESC FILE LAYOUT ARGS...: pprof2graph ARGS FILE | LAYOUT -Tsvg.
render() {
	_d=$1 _f=$2 _l=$3
	shift 3
	if pprof2graph "$@" "$_f" >"$TMP/g.dot" 2>"$TMP/err" &&
		"$_l" -Tsvg "$TMP/g.dot" >"$TMP/g.svg" 2>>"$TMP/err" &&
		[ ! -s "$TMP/err" ] && grep -q '</svg>' "$TMP/g.svg"; then
		ok "$_d"
	else
		not_ok "$_d"
		head -5 "$TMP/err" | sed 's/^/# /'
	fi
}

for f in "$FIXTURES"/*.pb.gz; do
	name=$(basename "$f" .pb.gz)
	types=$(pprof2graph -n 1 "$f" | dotcanon -k sample_types | sed -n 's/^  graph.sample_types="\(.*\)"$/\1/p' | tr ',' ' ')
	[ -n "$types" ] || not_ok "$name: no sample types found"
	for t in $types; do
		render "$name $t renders with dot" "$f" dot -i "$t"
	done
done
render "heap3 renders with sfdp" "$FIXTURES/heap3.pb.gz" sfdp
render "cpu at line granularity renders with dot" "$FIXTURES/cpu.pb.gz" dot -g lines
render "heap3 untrimmed renders with dot" "$FIXTURES/heap3.pb.gz" dot -n 0 --node-fraction=0 --edge-fraction=0
render "odd names (quotes, backslashes, newlines, HTML, 70 kB, invalid UTF-8) render with dot" \
	"$top_srcdir/tests/bad/names.pb.gz" dot -n 0

# Every ID and func attribute of the odd-names graph, read back by
# cgraph, equals the stored expectation (a canonical dump).
if pprof2graph -n 0 "$top_srcdir/tests/bad/names.pb.gz" >"$TMP/names.dot" &&
	dotcanon -t -k func,flat,cum "$TMP/names.dot" >"$TMP/names.tsv"; then
	same_file "odd names come back from DOT exactly as written" \
		"$TMP/names.tsv" "$top_srcdir/tests/bad/names.expected"
	long=$(awk -F '\t' '$1 == "N" && length($2) > 60000 { print length($2) }' "$TMP/names.tsv")
	is "the 70 000-byte name is one node with its whole name" "$long" 70000
else
	not_ok "odd names graph"
fi
if [ -n "${GOLDEN_UPDATE:-}" ] && [ -s "$TMP/names.tsv" ]; then
	cp "$TMP/names.tsv" "$top_srcdir/tests/bad/names.expected"
fi

# SVG output must be well-formed XML whatever the names (if a checker is
# at hand).
if command -v xmllint >/dev/null 2>&1; then
	dot -Tsvg "$TMP/names.dot" >"$TMP/names.svg"
	check "the odd-names SVG is well-formed XML" xmllint --noout "$TMP/names.svg"
fi

done_testing
