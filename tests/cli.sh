#!/bin/sh
# pprof2graph's command line: options, inputs, outputs, exit statuses,
# and the promise that nothing is written unless the graph is complete.

. "${top_srcdir:-.}/tests/lib.sh"

H3=$FIXTURES/heap3.pb.gz

# status DESC WANT CMD...: CMD exits with status WANT.
status() {
	_d=$1 _w=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	_s=$?
	if [ "$_s" -eq "$_w" ]; then ok "$_d"; else not_ok "$_d (exit $_s, want $_w)"; sed 's/^/# /' "$TMP/err" | head -3; fi
}

# attr FILE NAME: a root graph attribute of a DOT file.
attr() {
	dotcanon -k "$2" "$1" | sed -n "s/^  graph\\.$2=\"\\(.*\\)\"\$/\\1/p" | head -1
}

status "--help exits 0" 0 pprof2graph --help
check "--help prints the usage on stdout" grep -q '^usage: pprof2graph' "$TMP/out"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$TMP/out" | sed 's/^--//' | sort -u); do
	if grep -q -- "--$opt" "$TMP/out" &&
		grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$top_srcdir/doc/pprof2graph.1"; then
		ok "--$opt is in the usage and in the man page"
	else
		not_ok "--$opt is in the usage and in the man page"
	fi
done
# README's synopsis is the usage's, word for word.
pprof2graph --help | sed -n '1,/^$/p' | sed 's/^usage: //' | tr -s ' \n' '  ' >"$TMP/syn.help"
sed -n '/^## pprof2graph$/,/^## /p' "$top_srcdir/README.md" |
	awk '/^```/ { if (in_block) exit; in_block = 1; next } in_block' |
	tr -s ' \n' '  ' >"$TMP/syn.readme"
if [ -s "$TMP/syn.help" ] && cmp -s "$TMP/syn.help" "$TMP/syn.readme"; then
	ok "README's synopsis is --help's"
else
	not_ok "README's synopsis is --help's"
	diag "help:   $(cat "$TMP/syn.help")" "readme: $(cat "$TMP/syn.readme")"
fi
status "--version exits 0" 0 pprof2graph --version
check "--version names the version" grep -q '^pprof2graph [0-9]' "$TMP/out"
status "an unknown option exits 2" 2 pprof2graph --frobnicate "$H3"
check "... with the usage on stderr" grep -q '^usage:' "$TMP/err"
status "-n must be a number" 2 pprof2graph -n lots "$H3"
status "-n must not be negative" 2 pprof2graph -n -3 "$H3"
status "--node-fraction must be within 0..1" 2 pprof2graph --node-fraction 1.5 "$H3"
status "--edge-fraction must be a number" 2 pprof2graph --edge-fraction x "$H3"
status "-g must be a known granularity" 2 pprof2graph -g modules "$H3"
status "--max-input-size must be a size" 2 pprof2graph --max-input-size 12Q "$H3"
status "an unknown sample type is an error" 2 pprof2graph -i bogus "$H3"
check "... naming the types there are" grep -q 'no sample type bogus (the profile has alloc_objects, alloc_space, inuse_objects, inuse_space)' "$TMP/err"
status "a sample index out of range is an error" 2 pprof2graph -i 9 "$H3"
[ ! -s "$TMP/out" ] && ok "... and writes nothing" || not_ok "... and writes nothing"

# Sample type selection.
pprof2graph "$H3" >"$TMP/a.dot"
is "heap: the default type is the last, inuse_space" "$(attr "$TMP/a.dot" sample_type)" inuse_space
pprof2graph "$FIXTURES/allocs.pb.gz" >"$TMP/a.dot"
is "allocs: the default type is the profile's default_sample_type" "$(attr "$TMP/a.dot" sample_type)" alloc_space
pprof2graph -i 0 "$H3" >"$TMP/a.dot"
is "-i 0 selects the first type" "$(attr "$TMP/a.dot" sample_type)" alloc_objects
pprof2graph -i alloc_space "$H3" >"$TMP/a.dot"
is "-i by name" "$(attr "$TMP/a.dot" sample_type)" alloc_space
is "... and total is that type's total" "$(attr "$TMP/a.dot" total)" "$(attr "$TMP/a.dot" total_alloc_space)"
cat >"$TMP/legacy.spec" <<'SPEC'
types objects/count space/bytes
function 1 main.f
location 1 lines=1:1
sample 1 values=2,64
SPEC
mkprof -o "$TMP/legacy.pb" "$TMP/legacy.spec"
pprof2graph -i inuse_space "$TMP/legacy.pb" >"$TMP/a.dot"
is "-i inuse_space selects a type named space, as in pprof" "$(attr "$TMP/a.dot" sample_type)" space

# Inputs.
pprof2graph <"$H3" >"$TMP/stdin.dot"
pprof2graph - <"$H3" >"$TMP/dash.dot"
pprof2graph "$H3" >"$TMP/file.dot"
for f in stdin dash file; do
	dotcanon -x source "$TMP/$f.dot" >"$TMP/$f.txt"
done
check "no file argument reads standard input" cmp -s "$TMP/stdin.txt" "$TMP/file.txt"
check "- reads standard input" cmp -s "$TMP/dash.txt" "$TMP/file.txt"
is "source names standard input" "$(attr "$TMP/dash.dot" source)" "<stdin>"
gzip -dc "$H3" >"$TMP/heap3.raw"
pprof2graph "$TMP/heap3.raw" | dotcanon -x source >"$TMP/raw.txt"
check "an uncompressed profile gives the same graph (gzip is sniffed, not named)" cmp -s "$TMP/raw.txt" "$TMP/file.txt"
cp "$H3" "$TMP/heap3.txt"
pprof2graph "$TMP/heap3.txt" | dotcanon -x source >"$TMP/named.txt"
check "a gzipped profile named .txt is still read as gzip" cmp -s "$TMP/named.txt" "$TMP/file.txt"

# Ids are the profile's own: sparse, huge or out of order, they mean the
# same graph as 1, 2, 3.
cat >"$TMP/dense.spec" <<'SPEC'
types alloc_space/bytes
mapping 1 /bin/app 0x1000 0x9000
function 1 main.main
function 2 main.a
function 3 main.b
location 1 mapping=1 addr=0x1100 lines=1:10
location 2 mapping=1 addr=0x1200 lines=2:20
location 3 mapping=1 addr=0x1300 lines=3:30,2:21
sample 2,1 values=100
sample 3,1 values=250
sample 3,2,1 values=7
SPEC
sed 's/^function 1 /function 9000000000000000000 /; s/^function 2 /function 5 /;
	s/^location 1 /location 18446744073709551615 /; s/^location 2 /location 4096 /;
	s/^location 3 /location 1 /; s/lines=1:10/lines=9000000000000000000:10/;
	s/lines=2:20/lines=5:20/; s/,2:21/,5:21/;
	s/^sample 2,1 /sample 4096,18446744073709551615 /;
	s/^sample 3,1 /sample 1,18446744073709551615 /;
	s/^sample 3,2,1 /sample 1,4096,18446744073709551615 /;
	s/^mapping 1 /mapping 77 /; s/mapping=1/mapping=77/g' "$TMP/dense.spec" >"$TMP/sparse.spec"
mkprof -o "$TMP/dense.pb" "$TMP/dense.spec" && mkprof -o "$TMP/sparse.pb" "$TMP/sparse.spec"
pprof2graph -n 0 "$TMP/dense.pb" | dotcanon -x source >"$TMP/dense.txt"
pprof2graph -n 0 "$TMP/sparse.pb" | dotcanon -x source >"$TMP/sparse.txt"
if grep -q 'node "main.b"' "$TMP/dense.txt" && cmp -s "$TMP/dense.txt" "$TMP/sparse.txt"; then
	ok "sparse, huge and unordered ids give the same graph as dense ones"
else
	not_ok "sparse, huge and unordered ids give the same graph as dense ones"
	diff "$TMP/dense.txt" "$TMP/sparse.txt" | head -10 | sed 's/^/# /'
fi
# Numbered as Go numbers them (each new id the next, in the order samples
# name them, leaf first), which the reader takes without a table; and in
# that order at first, then not (location 7 where 3 would come).
remap_locs() {
	awk -v m="$1" 'BEGIN { n = split(m, a, " "); for (i = 1; i < n; i += 2) to[a[i]] = a[i + 1] }
		/^location / { $2 = to[$2] }
		/^sample / { k = split($2, id, ","); s = ""
			for (i = 1; i <= k; i++) s = s (i > 1 ? "," : "") to[id[i]]
			$2 = s }
		{ print }' "$TMP/dense.spec"
}
for order in "go-ordered:1 2 2 1 3 3" "ordered-then-not:1 2 2 1 3 7"; do
	name=${order%%:*}
	remap_locs "${order#*:}" >"$TMP/$name.spec"
	mkprof -o "$TMP/$name.pb" "$TMP/$name.spec"
	pprof2graph -n 0 "$TMP/$name.pb" | dotcanon -x source >"$TMP/$name.txt"
	check "ids $name ($(grep '^sample' "$TMP/$name.spec" | cut -d' ' -f2 | tr '\n' ' ')) give the same graph" \
		cmp -s "$TMP/dense.txt" "$TMP/$name.txt"
done

# Merging: totals add up.
pprof2graph "$FIXTURES/heap1.pb.gz" >"$TMP/1.dot"
pprof2graph "$FIXTURES/heap2.pb.gz" >"$TMP/2.dot"
pprof2graph "$FIXTURES/heap1.pb.gz" "$FIXTURES/heap2.pb.gz" >"$TMP/12.dot"
is "merging heap1 and heap2 adds their totals" "$(attr "$TMP/12.dot" total)" \
	"$(($(attr "$TMP/1.dot" total) + $(attr "$TMP/2.dot" total)))"
is "... and records both sources" "$(attr "$TMP/12.dot" source)" "$FIXTURES/heap1.pb.gz,$FIXTURES/heap2.pb.gz"

# Output.
status "-o writes the graph to a file" 0 pprof2graph -o "$TMP/o.dot" "$H3"
[ ! -s "$TMP/out" ] && cmp -s "$TMP/o.dot" "$TMP/file.dot" && ok "... and nothing to stdout" || not_ok "... and nothing to stdout"
rm -f "$TMP/o2.dot"
status "-o with a bad input fails" 2 pprof2graph -o "$TMP/o2.dot" "$top_srcdir/tests/bad/truncated.pb.gz"
[ ! -e "$TMP/o2.dot" ] && ok "... and creates no file" || not_ok "... and creates no file"
status "an unwritable output is an error" 2 pprof2graph -o "$TMP/no/such/dir/x.dot" "$H3"
if [ -w /dev/full ]; then
	status "a full disk is an error, not a silent truncation" 2 sh -c 'pprof2graph "$1" >/dev/full' sh "$H3"
fi

# Legend and trimming.
pprof2graph --no-legend "$H3" | dotcanon >"$TMP/nl.txt"
if grep -q cluster_legend "$TMP/nl.txt"; then not_ok "--no-legend leaves the legend out"; else ok "--no-legend leaves the legend out"; fi
grep -q 'subgraph "cluster_legend"' "$TMP/file.txt" && ok "the legend is there by default" || not_ok "the legend is there by default"
n=$(pprof2graph -n 3 "$FIXTURES/cpu.pb.gz" | dotcanon -t -k cum | awk -F '\t' '$1 == "N" && $3 ~ /^cum=/' | wc -l)
is "-n 3 keeps at most 3 nodes" "$n" 3
n=$(pprof2graph -n 0 --node-fraction 0 --edge-fraction 0 "$FIXTURES/cpu.pb.gz" | dotcanon -t -k cum | awk -F '\t' '$1 == "N" && $3 ~ /^cum=/' | wc -l)
m=$(awk '$1 == "flat" && $2 == "flat%" { go = 1; next } go' "$top_srcdir/tests/expected/cpu/cpu.top" | wc -l)
is "-n 0 with zero fractions keeps every node pprof lists" "$n" "$m"
pprof2graph -n 5 "$FIXTURES/cpu.pb.gz" >"$TMP/n5.dot"
is "the graph records what trimming dropped" "$(attr "$TMP/n5.dot" nodecount),$(attr "$TMP/n5.dot" candidate_nodes)" \
	"5,$(pprof2graph "$FIXTURES/cpu.pb.gz" | dotcanon -k candidate_nodes | sed -n 's/^  graph.candidate_nodes="\(.*\)"$/\1/p')"
grep -q 'Showing top' "$TMP/n5.dot" && ok "the legend says only the top nodes are shown" || not_ok "the legend says only the top nodes are shown"

# The PCRE2 limits: an option each, in every tool that matches the
# user's patterns, and a message that names it.
CAT='(\w+)*\d'
status "pprof2graph: a pattern past --regex-match-limit is an error" 2 \
	pprof2graph --regex-match-limit 5 --focus "$CAT" "$H3"
grep -qF "pattern '$CAT': match limit exceeded (the limit is set with --regex-match-limit)" "$TMP/err" &&
	ok "... saying which pattern and which option" || not_ok "... saying which pattern and which option"
status "pprof2graph: the same pattern within the default limits" 0 pprof2graph --focus "$CAT" "$H3"
pprof2graph "$H3" >"$TMP/h3.dot"
status "graphfocus: a pattern past --regex-depth-limit is an error" 2 \
	graphfocus --regex-depth-limit 2 "$CAT" "$TMP/h3.dot"
grep -q "matching depth limit exceeded (the limit is set with --regex-depth-limit)" "$TMP/err" &&
	ok "... saying which option" || not_ok "... saying which option"
status "graphfocus: the same pattern within the default limits" 0 graphfocus "main" "$TMP/h3.dot"
status "graphstyle: a class rule past --regex-depth-limit is an error" 2 \
	graphstyle --regex-depth-limit 1 -s retention "$TMP/h3.dot"
for t in pprof2graph graphfocus graphstyle; do
	status "$t: --regex-match-limit 0 is refused" 2 $t --regex-match-limit 0 "$TMP/h3.dot"
	status "$t: --regex-depth-limit x is refused" 2 $t --regex-depth-limit x "$TMP/h3.dot"
done

done_testing
