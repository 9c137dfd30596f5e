#!/bin/sh
# seed.sh: start (or top up) the fuzz corpora from the test data.
#
#	sh tests/fuzz/seed.sh [SRCDIR] [PPROF2GRAPH]
#
# Every seed is named after its content (sha1), so running it again
# adds nothing twice.  Protobuf profiles go in both gzipped and plain
# (the fuzzer mutates the plain bytes far better); DOT seeds are
# pprof2graph's graphs of the fixtures (small ones: -n 12) and the
# hand-made graphs of the graphfocus, graphdiff, dotimport and graphstyle
# tests.  Run by hand once; the corpora are committed.
set -eu
src=${1:-.}
p2g=${2:-./pprof2graph}
c=$src/tests/fuzz/corpus

add() {	# add NAME FILE
	mkdir -p "$c/$1"
	h=$(sha1sum < "$2" | cut -c1-40)
	cp "$2" "$c/$1/$h"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$src"/tests/fixtures/*.pb.gz "$src"/tests/bad/*.pb.gz \
    "$src"/tests/bad/*.pb; do
	add pprof "$f"
	if gzip -t "$f" 2>/dev/null; then
		gzip -dc "$f" > "$tmp/plain"
		add pprof "$tmp/plain"
	fi
done
for f in "$src"/tests/fixtures/*.txt "$src"/tests/legacy/*.txt; do
	# The big heap dumps: their first 8 KB (whole records) suffice.
	head -c 8192 "$f" > "$tmp/t"
	add legacy "$tmp/t"
done
for f in "$src"/tests/folded/*.folded; do
	add folded "$f"
done
for f in "$src"/tests/fixtures/*.pb.gz; do
	for g in functions lines; do
		"$p2g" -n 12 -g "$g" "$f" > "$tmp/g.dot" 2>/dev/null || continue
		for k in focus diff style; do
			add "$k" "$tmp/g.dot"
		done
	done
done
"$p2g" -n 12 --diff-base "$src/tests/fixtures/heap1.pb.gz" \
    "$src/tests/fixtures/heap3.pb.gz" > "$tmp/g.dot"
add diff "$tmp/g.dot"
add style "$tmp/g.dot"
for i in 1 2 3; do
	"$p2g" -n 12 "$src/tests/fixtures/heap$i.pb.gz"
done > "$tmp/stream.dot"
add diff "$tmp/stream.dot"
for f in "$src"/tests/graphfocus/*.gv "$src"/tests/graphfocus/*.in; do
	add focus "$f"
done
for f in "$src"/tests/graphdiff/*.gv "$src"/tests/graphdiff/*.in \
    "$src"/tests/dotimport/*.dot; do
	add diff "$f"
done
# graphdiff's pairs as one stream of two graphs (the harness diffs the
# graphs of one input).
for old in "$src"/tests/graphdiff/*-old.gv; do
	cat "$old" "${old%-old.gv}-new.gv" > "$tmp/pair.dot"
	add diff "$tmp/pair.dot"
done
cat "$src"/tests/graphdiff/t[1-4].gv > "$tmp/trend.dot"
add diff "$tmp/trend.dot"
for f in "$src"/tests/graphstyle/*.dot "$src"/tests/graphstyle/*.in; do
	add style "$f"
done
for k in pprof legacy folded focus diff style; do
	printf '%s: %s seeds\n' "$k" "$(ls "$c/$k" | wc -l)"
done
