#!/bin/sh
# pprof2graph's numbers against go tool pprof's, stored in tests/expected
# (tests/expected/regen.sh made them with a real go tool pprof from the
# profiles a real Go program wrote, tests/fixtures/gen).
#
# For every fixture and every sample type in it:
#   - untrimmed (-n 0 --node-fraction=0 --edge-fraction=0): every node's
#     flat and cum equal -top's, every edge's value and its inline and
#     residual flags equal -dot's, to the unit;
#   - default trimming: the same nodes and the same edges (with flags) as
#     go tool pprof -dot keeps.
# Also other granularities and a merge of three snapshots, untrimmed.

. "${top_srcdir:-.}/tests/lib.sh"

EXP=$top_srcdir/tests/expected

# top_rows FILE: "N<TAB>name<TAB>flat<TAB>cum" from a -top listing whose
# values are exact integers (with a unit suffix such as B or ns).
top_rows() {
	awk '
		go {
			flat = $1; cum = $4; sub(/[A-Za-z]+$/, "", flat)
			sub(/[A-Za-z]+$/, "", cum)
			name = $0
			sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+  /, "", name)
			sub(/ \((partial-)?inline\)$/, "", name)
			printf "N\t%s\t%s\t%s\n", name, flat, cum
		}
		$1 == "flat" && $2 == "flat%" { go = 1 }' "$1"
}

# pprof_edges FILE: "E<TAB>src<TAB>dst<TAB>value<TAB>inline<TAB>residual"
# from a go tool pprof -dot graph (node names from the tooltips, values
# from edge labels; pass RAW=0 for values that are not exact).
pprof_edges() {
	dotcanon -t -k tooltip,label,style "$1" | awk -F '\t' -v raw="${RAW:-1}" '
		$1 == "N" && $2 ~ /^N[0-9]+$/ {
			for (i = 3; i <= NF; i++)
				if ($i ~ /^tooltip=/) {
					t = substr($i, 9); sub(/ \([^()]*\)$/, "", t)
					name[$2] = t
				}
		}
		$1 == "E" && $2 ~ /^N[0-9]+$/ && $3 ~ /^N[0-9]+$/ {
			w = ""; inl = "false"; res = "false"
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^label=/) {
					w = substr($i, 8)
					if (w ~ /\(inline\)/) inl = "true"
					sub(/\\\\n.*/, "", w); sub(/[A-Za-z]+$/, "", w)
				}
				if ($i == "style=dotted") res = "true"
			}
			if (!raw) w = "-"
			e[++n] = $2 "\t" $3 "\t" w "\t" inl "\t" res
		}
		END {
			for (i = 1; i <= n; i++) {
				split(e[i], f, "\t")
				printf "E\t%s\t%s\t%s\t%s\t%s\n", name[f[1]], name[f[2]], f[3], f[4], f[5]
			}
		}'
}

# pprof_nodes FILE: "N<TAB>name" of the function nodes of a pprof graph.
pprof_nodes() {
	dotcanon -t -k tooltip "$1" | awk -F '\t' '
		$1 == "N" && $2 ~ /^N[0-9]+$/ {
			t = substr($3, 9); sub(/ \([^()]*\)$/, "", t)
			printf "N\t%s\n", t
		}'
}

# ours ARGS...: pprof2graph's graph as the same kinds of rows.
ours() {
	pprof2graph "$@" >"$TMP/ours.dot" || return 1
	dotcanon -t -k flat,cum,inline,residual "$TMP/ours.dot" | awk -F '\t' -v raw="${RAW:-1}" '
		$1 == "N" && $3 ~ /^cum=/ {
			cum = substr($3, 5); flat = substr($4, 6)
			if (raw) printf "N\t%s\t%s\t%s\n", $2, flat, cum
			else printf "N\t%s\n", $2
		}
		$1 == "E" {
			w = ""; inl = "false"; res = "false"
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^cum=/) w = substr($i, 5)
				if ($i == "inline=true") inl = "true"
				if ($i == "residual=true") res = "true"
			}
			if (!raw) w = "-"
			printf "E\t%s\t%s\t%s\t%s\t%s\n", $2, $3, w, inl, res
		}'
}

# compare DESC GOT WANT: sorted row sets must be equal.
compare() {
	sort "$2" >"$2.s"
	sort "$3" >"$3.s"
	if [ ! -s "$3.s" ]; then
		not_ok "$1 (no expected rows)"
	elif cmp -s "$2.s" "$3.s"; then
		ok "$1 ($(wc -l <"$3.s" | tr -d ' ') rows)"
	else
		not_ok "$1"
		diff "$3.s" "$2.s" | head -20 | sed 's/^/# /'
	fi
}

# untrimmed DESC TOP DOT ARGS...: the exact comparison.
untrimmed() {
	_d=$1 _top=$2 _dot=$3
	shift 3
	{ top_rows "$_top"; pprof_edges "$_dot"; } >"$TMP/want"
	if ours -n 0 --node-fraction=0 --edge-fraction=0 "$@" >"$TMP/got"; then
		compare "$_d" "$TMP/got" "$TMP/want"
	else
		not_ok "$_d (pprof2graph failed)"
	fi
}

for dir in "$EXP"/*/; do
	fx=$(basename "$dir")
	[ -f "$FIXTURES/$fx.pb.gz" ] || continue
	for top in "$dir"*.top; do
		type=$(basename "$top" .top)
		untrimmed "$fx $type untrimmed: flat, cum, edges as go tool pprof" \
			"$top" "$dir$type.dot" -i "$type" "$FIXTURES/$fx.pb.gz"
		{ pprof_nodes "$dir$type.default.dot"; RAW=0 pprof_edges "$dir$type.default.dot"; } >"$TMP/want"
		if RAW=0 ours -i "$type" "$FIXTURES/$fx.pb.gz" >"$TMP/got"; then
			compare "$fx $type default trimming: the nodes and edges go tool pprof keeps" \
				"$TMP/got" "$TMP/want"
		else
			not_ok "$fx $type default trimming (pprof2graph failed)"
		fi
	done
done

for top in "$EXP"/granularity/*.top; do
	b=$(basename "$top" .top)
	fx=${b%%.*}
	rest=${b#*.}
	gran=${rest%%.*}
	type=${rest#*.}
	untrimmed "$fx -g $gran $type untrimmed as go tool pprof -$gran" \
		"$top" "${top%.top}.dot" -g "$gran" -i "$type" "$FIXTURES/$fx.pb.gz"
done

for top in "$EXP"/merged/heap123.*.top; do
	type=$(basename "$top" .top)
	type=${type#heap123.}
	untrimmed "heap1+heap2+heap3 merged, $type, as go tool pprof merges them" \
		"$top" "${top%.top}.dot" -i "$type" \
		"$FIXTURES/heap1.pb.gz" "$FIXTURES/heap2.pb.gz" "$FIXTURES/heap3.pb.gz"
done

done_testing
