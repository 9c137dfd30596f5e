#!/bin/sh
# Sample-level filters and diffs against go tool pprof: every case of
# tests/expected/cases.txt (pprof's flags and ours), untrimmed (every
# node's flat and cum, every edge, to the unit; in a diff the deltas),
# with default trimming (the nodes and edges pprof keeps), and the
# total that percentages are of.

. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lib-pprof.sh"

# pprof's total: the Z of "Showing nodes accounting for X, Y% of Z total".
top_total() {
	sed -n 's/^Showing nodes accounting for .* of \(-*[0-9]*\)[A-Za-z]* total$/\1/p' "$1"
}

grep -v '^#' "$EXP/cases.txt" | while IFS='|' read -r name type _ flags files; do
	[ -n "$name" ] || continue
	flags=$(printf '%s' "$flags" | sed "s|@/|$FIXTURES/|g")
	set --
	for f in $files; do
		set -- "$@" "$FIXTURES/$f"
	done
	# shellcheck disable=SC2086
	untrimmed "$name: untrimmed, as go tool pprof" "$EXP/cases/$name.top" \
		"$EXP/cases/$name.dot" -i "$type" $flags "$@"
	want=$(top_total "$EXP/cases/$name.top")
	got=$(dotcanon -k total "$TMP/ours.dot" | sed -n 's/^  graph.total="\(.*\)"$/\1/p')
	is "$name: total (the base of percentages)" "$got" "$want"
	{ pprof_nodes "$EXP/cases/$name.default.dot"; RAW=0 pprof_edges "$EXP/cases/$name.default.dot"; } >"$TMP/want"
	# shellcheck disable=SC2086
	if RAW=0 ours -i "$type" $flags "$@" >"$TMP/got"; then
		compare "$name: default trimming keeps pprof's nodes and edges" \
			"$TMP/got" "$TMP/want"
	else
		not_ok "$name: default trimming (pprof2graph failed)"
	fi
done >"$TMP/tap"
cat "$TMP/tap"
_tap_n=$(grep -c '^\(not \)*ok ' "$TMP/tap")

# Label and legend: a filtered graph says so.
pprof2graph --focus=fill --hide=runtime "$FIXTURES/heap3.pb.gz" >"$TMP/f.dot"
filters=$(dotcanon -k filters "$TMP/f.dot" | sed -n 's/^  graph.filters="\(.*\)"$/\1/p')
is "the filters attribute records what was applied" "$filters" 'focus=fill\\x0ahide=runtime'
if grep -q 'Active filters:' "$TMP/f.dot" && grep -q 'focus=fill' "$TMP/f.dot"; then
	ok "the legend lists the active filters"
else
	not_ok "the legend lists the active filters"
fi
pprof2graph --focus=nosuchfunction "$FIXTURES/heap3.pb.gz" >"$TMP/f.dot" 2>"$TMP/err"
is "a filter that matches nothing is a warning, not an error" "$(cat "$TMP/err")" \
	"pprof2graph: warning: --focus nosuchfunction matched nothing"
pprof2graph --focus='(' "$FIXTURES/heap3.pb.gz" >"$TMP/f.dot" 2>"$TMP/err"
s=$?
if [ $s -eq 2 ] && [ ! -s "$TMP/f.dot" ] && grep -q '^pprof2graph: --focus: bad pattern' "$TMP/err"; then
	ok "a bad pattern is an error with PCRE2's message"
else
	not_ok "a bad pattern is an error with PCRE2's message (exit $s)"
	sed 's/^/# /' "$TMP/err"
fi
pprof2graph --base "$FIXTURES/heap1.pb.gz" --diff-base "$FIXTURES/heap2.pb.gz" "$FIXTURES/heap3.pb.gz" >/dev/null 2>"$TMP/err"
is "--base and --diff-base do not combine" "$?" 2
pprof2graph --normalize "$FIXTURES/heap3.pb.gz" >/dev/null 2>"$TMP/err"
is "--normalize needs a base" "$?" 2
pprof2graph --base "$FIXTURES/cpu.pb.gz" "$FIXTURES/heap3.pb.gz" >/dev/null 2>"$TMP/err"
if grep -q 'cpu.pb.gz: .*can be merged' "$TMP/err"; then
	ok "a base of another kind is refused"
else
	not_ok "a base of another kind is refused"
	sed 's/^/# /' "$TMP/err"
fi

# A diff carries both sides and the delta, and the delta is new - base.
pprof2graph -n 0 --node-fraction=0 --edge-fraction=0 --base "$FIXTURES/heap1.pb.gz" \
	"$FIXTURES/heap3.pb.gz" | dotcanon -t -k cum,base_cum,delta_cum >"$TMP/d.tsv"
bad=$(awk -F '\t' '($1 == "N" || $1 == "E") {
		c = ""; b = ""; dd = ""
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^cum=/) c = substr($i, 5)
			if ($i ~ /^base_cum=/) b = substr($i, 10)
			if ($i ~ /^delta_cum=/) dd = substr($i, 11)
		}
		if (c != "" && c - b != dd) n++
	} END { print n + 0 }' "$TMP/d.tsv")
is "every node and edge of a diff has delta_cum = cum - base_cum" "$bad" 0

done_testing
