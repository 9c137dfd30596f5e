#!/bin/sh
# graphstyle on real graphs: the retention look of the fixture heap
# snapshots (a map cache that is never evicted, request buffers that
# churn), values checked against the input with awk over dotcanon -t;
# classes, suspicious nodes, clusters, streams, the fallback for graphs
# without heap values, rendering with dot and sfdp, and errors.

. "${top_srcdir:-.}/tests/lib.sh"

if [ ! -x "$top_builddir/graphstyle" ]; then
	echo "Bail out! graphstyle is not built ($top_builddir/graphstyle)"
	exit 1
fi

RENDER=yes
command -v dot >/dev/null 2>&1 && command -v sfdp >/dev/null 2>&1 || RENDER=

# attr FILE NODE NAME: a node's attribute from a dotcanon -t dump.
attr() {
	awk -F '\t' -v n="$2" -v a="$3=" '
	$1 == "N" && $2 == n {
		for (i = 3; i <= NF; i++)
			if (index($i, a) == 1) print substr($i, length(a) + 1)
	}' "$1"
}

# in_range LO X HI: LO <= X <= HI as numbers.
in_range() {
	awk -v lo="$1" -v x="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }'
}

for snap in heap1 heap2 heap3; do
	pprof2graph "$FIXTURES/$snap.pb.gz" >"$TMP/$snap.dot" || exit 99
	graphstyle --scheme retention "$TMP/$snap.dot" >"$TMP/$snap.r.dot" 2>"$TMP/err"
	is "$snap: exit status" "$?" 0
	same_file "$snap: no messages" "$TMP/err" /dev/null
	dotcanon -t "$TMP/$snap.r.dot" >"$TMP/$snap.r.txt"

	r=$(attr "$TMP/$snap.r.txt" 'main.(*Cache).fill' retention)
	check "$snap: the cache fill is retained (R $r)" in_range 0.9 "$r" 1
	c=$(attr "$TMP/$snap.r.txt" 'main.(*Cache).fill' color)
	check "$snap: and drawn red ($c)" \
		awk -v c="$c" 'BEGIN { r = substr(c, 2, 2); g = substr(c, 4, 2); exit !(c ~ /^#[0-9a-f]+$/ && r >= "c0" && g < "40") }'
	r=$(attr "$TMP/$snap.r.txt" main.newBuf retention)
	check "$snap: the request buffers are transient (R $r)" in_range 0 "$r" 0.1
	c=$(attr "$TMP/$snap.r.txt" main.newBuf color)
	check "$snap: and drawn blue ($c)" \
		awk -v c="$c" 'BEGIN { r = substr(c, 2, 2); b = substr(c, 6, 2); exit !(c ~ /^#[0-9a-f]+$/ && r < "50" && b >= "a0") }'

	# Every data node: retention = cum_inuse_space/cum_alloc_space to
	# three decimals, retention_flat the same of flat when it differs.
	bad=$(awk -F '\t' '
	$1 == "N" {
		delete v
		for (i = 3; i <= NF; i++) {
			k = substr($i, 1, index($i, "=") - 1)
			v[k] = substr($i, index($i, "=") + 1)
		}
		if (!("cum" in v)) next
		n++
		want = v["cum_alloc_space"] + 0 ? sprintf("%.3f", v["cum_inuse_space"] / v["cum_alloc_space"]) : ""
		if (v["retention"] != want) { print $2 ": " v["retention"] " != " want; next }
		wf = v["flat_alloc_space"] + 0 ? sprintf("%.3f", v["flat_inuse_space"] / v["flat_alloc_space"]) : ""
		if (wf == want) wf = ""
		if (v["retention_flat"] != wf) print $2 ": flat " v["retention_flat"] " != " wf
	}
	END { if (n == 0) print "no data nodes" }' "$TMP/$snap.r.txt")
	is "$snap: retention = cum_inuse_space/cum_alloc_space on every node" "$bad" ""

	# Magnitude is in-use bytes: the biggest font on the largest flat
	# in use, pen widths on edges from in-use flow.
	big=$(awk -F '\t' '$1 == "N" { f = ""; s = ""
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^flat_inuse_space=/) f = substr($i, 18) + 0
			if ($i ~ /^fontsize=/) s = substr($i, 10) + 0
		}
		if (f != "" && f > max) { max = f; fs = s } }
		END { print fs }' "$TMP/$snap.r.txt")
	is "$snap: the largest in-use flat has font size 24" "$big" 24
	grep -q 'Size: bytes in use; colour: retention' "$TMP/$snap.r.txt"
	check "$snap: the legend explains the scale" test $? -eq 0
done

# Classes on the fixtures.
t=$TMP/heap3.r.txt
is "reflect functions are class reflect" \
	"$(attr "$t" reflect.unsafe_NewArray class)" reflect
pprof2graph -n 0 --node-fraction 0 --edge-fraction 0 "$FIXTURES/heap3.pb.gz" |
	graphstyle -s retention | dotcanon -t >"$TMP/all.txt"
is "sync.Pool methods are class pool" "$(attr "$TMP/all.txt" 'sync.(*Pool).Get' class)" pool
is "runtime.malg is class stack" "$(attr "$TMP/all.txt" runtime.malg class)" stack
is "fmt.Sprintf is class string" "$(attr "$TMP/all.txt" fmt.Sprintf class)" string
is "main.newBuf has no class" "$(attr "$TMP/all.txt" main.newBuf class)" ""
n=$(awk -F '\t' '$1 == "N" && /\tclass=map/' "$TMP/all.txt" | grep -vc '	func=runtime\.\(mapassign\|hashGrow\|makeBucketArray\|makemap\)\|internal/runtime/maps')
is "class map only on map functions" "$n" 0
is "a class has its badge shape" "$(attr "$TMP/all.txt" 'sync.(*Pool).Get' shape)" cylinder
case $(attr "$TMP/all.txt" 'sync.(*Pool).Get' label) in
'[pool]\\n'*) ok "a class has its first label line" ;;
*) not_ok "a class has its first label line" ;;
esac
printf 'mine\t^main\\.newBuf$\n' >"$TMP/mine.rules"
graphstyle -s retention --rules "$TMP/mine.rules" "$TMP/heap3.dot" | dotcanon -t >"$TMP/mine.txt"
is "--rules: own classes" "$(attr "$TMP/mine.txt" main.newBuf class)" mine
is "--rules: replace the defaults" "$(attr "$TMP/mine.txt" reflect.unsafe_NewArray class)" ""
graphstyle -s retention --rules "$top_srcdir/data/classes.rules" "$TMP/heap3.dot" >"$TMP/file.dot"
graphstyle -s retention "$TMP/heap3.dot" >"$TMP/builtin.dot"
same_file "the built-in rules are data/classes.rules" "$TMP/builtin.dot" "$TMP/file.dot"

# Suspicious nodes.
pprof2graph -n 0 --node-fraction 0 --edge-fraction 0 "$FIXTURES/heap3.pb.gz" >"$TMP/all.dot"
graphstyle -s retention --fan-out 1 --flat-share 0.05 "$TMP/all.dot" | dotcanon -t >"$TMP/sus.txt"
bad=$(awk -F '\t' '
$1 == "E" { out[$2]++; in_[$3]++ }
$1 == "N" { for (i = 3; i <= NF; i++) {
		if ($i ~ /^cum=/) data[$2] = 1
		if ($i ~ /^flat=/) flat[$2] = substr($i, 6) + 0
		if ($i ~ /^cum=/) cum[$2] = substr($i, 5) + 0
		if ($i ~ /^suspicious=/) sus[$2] = substr($i, 12)
	} }
END {
	for (n in data) {
		i = in_[n] + 0; o = out[n] + 0
		fo = o > 1 * (i > 0 ? i : 1)
		fh = o > 0 && flat[n] > 0.05 * cum[n]
		w = fo && fh ? "fan-out,flat-heavy" : fo ? "fan-out" : fh ? "flat-heavy" : ""
		if (sus[n] != w) print n ": " sus[n] " != " w
		if (w != "") marked++
	}
	if (!marked) print "nothing marked"
}' "$TMP/sus.txt")
is "suspicious: fan-out and flat-heavy as the thresholds say" "$bad" ""
n=$(awk -F '\t' '$1 == "N" && /\tsuspicious=/ && !/\tstyle=filled,dashed/' "$TMP/sus.txt" | wc -l)
is "suspicious nodes have a dashed border" "$n" 0

# Clusters per package.
graphstyle -s retention --cluster package "$TMP/all.dot" | dotcanon -t >"$TMP/cl.txt"
is "--cluster package: main.newBuf in main" \
	"$(awk -F '\t' '$1 == "M" && $3 == "main.newBuf" { print $2 }' "$TMP/cl.txt")" "cluster_pkg main"
is "--cluster package: hash/crc32.Update in hash/crc32" \
	"$(awk -F '\t' '$1 == "M" && $3 == "hash/crc32.Update" { print $2 }' "$TMP/cl.txt")" "cluster_pkg hash\\x2fcrc32"

# Streams: every graph is styled.
cat "$TMP/heap1.dot" "$TMP/heap2.dot" "$TMP/heap3.dot" | graphstyle -s retention >"$TMP/stream.dot"
is "a stream of three graphs stays three" "$(dotcanon -t "$TMP/stream.dot" | grep -c '^G')" 3
is "each is styled" "$(dotcanon -t "$TMP/stream.dot" | grep -c '	main.(\*Cache).fill	.*retention=0\.9')" 3

# Graphs without heap values: pprof's look and a message.
for p in cpu goroutine; do
	pprof2graph "$FIXTURES/$p.pb.gz" >"$TMP/$p.dot"
	# No classes and no marks: the rest is pprof's look.
	graphstyle -s retention --rules /dev/null --fan-out 1000000 \
		--flat-share 1 "$TMP/$p.dot" >"$TMP/$p.r.dot" 2>"$TMP/err"
	is "$p: exit status" "$?" 0
	is "$p: the message" "$(cat "$TMP/err")" \
		"graphstyle: $TMP/$p.dot: no alloc_space and inuse_space: drawn with the pprof scheme"
	graphstyle "$TMP/$p.dot" | dotcanon >"$TMP/pprof.txt"
	dotcanon "$TMP/$p.r.dot" >"$TMP/ret.txt"
	same_file "$p: drawn as pprof's" "$TMP/ret.txt" "$TMP/pprof.txt"
done

# --scheme none keeps the data.
graphstyle -s none "$TMP/heap3.r.dot" | dotcanon -t >"$TMP/none.txt"
n=$(grep -c '	label=\|	fontsize=\|	penwidth=\|cluster_legend' "$TMP/none.txt")
is "--scheme none: no labels, sizes, widths or legend" "$n" 0
is "--scheme none: the data stay" "$(attr "$TMP/none.txt" 'main.(*Cache).fill' retention)" \
	"$(attr "$TMP/heap3.r.txt" 'main.(*Cache).fill' retention)"

graphstyle -s retention "$TMP/heap3.r.dot" | dotcanon >"$TMP/again.txt"
graphstyle -s none "$TMP/heap3.r.dot" | graphstyle -s retention | dotcanon >"$TMP/back.txt"
dotcanon "$TMP/heap3.r.dot" >"$TMP/once.txt"
same_file "restyling a styled graph changes nothing" "$TMP/again.txt" "$TMP/once.txt"
same_file "none, then retention, gives the look back" "$TMP/back.txt" "$TMP/once.txt"

# Rendering, rankdir=LR too.
if [ -n "$RENDER" ]; then
	sed 's/^digraph \([^ ]*\) {/digraph \1 { rankdir=LR;/' "$TMP/heap3.dot" >"$TMP/lr.dot"
	for f in heap3.dot lr.dot all.dot; do
		for layout in dot sfdp; do
			graphstyle -s retention --cluster package "$TMP/$f" | "$layout" -Tsvg >"$TMP/out.svg" 2>"$TMP/err"
			check "$f renders with $layout" test -s "$TMP/out.svg"
			same_file "$f: $layout says nothing" "$TMP/err" /dev/null
		done
	done
	graphstyle -s retention "$TMP/lr.dot" | dot -Tcanon | grep -q 'rankdir=LR'
	check "rankdir=LR is kept" test $? -eq 0
else
	skip "dot and sfdp are not installed"
fi

# Errors.
printf '# mine\nmap\t^ok\nbroken\t(\n' >"$TMP/bad.rules"
graphstyle --rules "$TMP/bad.rules" "$TMP/heap3.dot" >"$TMP/out" 2>"$TMP/err"
is "bad rules: exit status" "$?" 2
case $(cat "$TMP/err") in
"graphstyle: $TMP/bad.rules:3: "*) ok "bad rules: FILE:LINE" ;;
*) not_ok "bad rules: FILE:LINE"; diag "$(cat "$TMP/err")" ;;
esac
same_file "bad rules: nothing written" "$TMP/out" /dev/null
graphstyle --rules "$TMP/nonexistent" "$TMP/heap3.dot" >/dev/null 2>&1
is "missing rules file: exit status" "$?" 2
graphstyle --scheme bogus "$TMP/heap3.dot" >/dev/null 2>&1
is "unknown scheme: exit status" "$?" 2
graphstyle --fan-out 0 "$TMP/heap3.dot" >/dev/null 2>&1
is "--fan-out 0: exit status" "$?" 2
graphstyle "$TMP/nonexistent.dot" >/dev/null 2>"$TMP/err"
is "missing input: exit status" "$?" 2
printf 'digraph { a -> }\n' | graphstyle >"$TMP/out" 2>/dev/null
is "syntax error: exit status" "$?" 2

done_testing
