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
. "$top_srcdir/tests/lib-pprof.sh"

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
