#!/bin/sh
# graphdiff on real graphs: property checks where golden cases
# (tests/graphdiff/) would be too many to write by hand.
#
# The inputs are the heap fixtures (heap1, heap2, heap3: snapshots of a
# Go program whose map cache grows) through pprof2graph, untrimmed
# (-n 0 --node-fraction=0 --edge-fraction=0), one graph per sample type.
# The answers come from elsewhere: pprof2graph --base (the difference
# computed from the samples), the snapshots' own graphs (series, slopes
# and trends recomputed in awk), the arithmetic of the attributes
# themselves (delta = new - base, the class agrees with the sign and
# with presence in the inputs), and graphdiff's pairwise diffs (what
# --stream writes).  Also: default trimming, the legend, rendering with
# dot and sfdp, --fail-if statuses, -o, and a graph against itself.

. "${top_srcdir:-.}/tests/lib.sh"

if [ ! -x "$top_builddir/graphdiff" ]; then
	echo "Bail out! graphdiff is not built ($top_builddir/graphdiff)"
	exit 1
fi

NOTRIM='-n 0 --node-fraction=0 --edge-fraction=0'
TYPES='alloc_objects alloc_space inuse_objects inuse_space'
RENDER=yes
command -v dot >/dev/null 2>&1 && command -v sfdp >/dev/null 2>&1 || RENDER=

# ---- helpers ---------------------------------------------------------

# fail PROPERTY MESSAGE: remember a failure of PROPERTY for the summary.
fail() {
	printf '%s\n' "$2" >>"$TMP/fail.$1"
}

# report PROPERTY DESC: ok when PROPERTY never failed since the last
# report of it, else not ok with the first failures.
report() {
	if [ -s "$TMP/fail.$1" ]; then
		not_ok "$2"
		head -n 8 "$TMP/fail.$1" | cut -c 1-400 | sed 's/^/# /'
		n=$(wc -l <"$TMP/fail.$1" | tr -d ' ')
		[ "$n" -le 8 ] || diag "... $n failures in all"
	else
		ok "$2"
	fi
	rm -f "$TMP/fail.$1"
}

# values TSV TYPE: "N<TAB>name<TAB>attr=value..." and
# "E<TAB>tail<TAB>head<TAB>attr=value..." with the values of sample type
# TYPE only (flat, cum, base_*, delta_*, and their _TYPE forms), and a
# "G" line with the totals; the legend and tag boxes left out.
values() {
	awk -F '\t' -v t="$2" '
	function keep(a) {
		return a ~ "^(base_|delta_)?(cum|flat|total)(_" t ")?="
	}
	$1 == "G" {
		s = "G"
		for (i = 5; i <= NF; i++) if (keep($i)) s = s "\t" $i
		print s
	}
	$1 == "N" {
		s = ""
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^tag_of=/) next
			if (keep($i)) s = s "\t" $i
		}
		if (s != "") print "N\t" $2 s
	}
	$1 == "E" {
		s = ""
		for (i = 5; i <= NF; i++) {
			if ($i == "tag=true") next
			if (keep($i)) s = s "\t" $i
		}
		if (s != "") print "E\t" $2 "\t" $3 s
	}' "$1" | sort
}

# compare_base WANT GOT: WANT (pprof2graph --base, through values) and
# GOT (graphdiff untrimmed, through values): every item of WANT is in GOT
# with the same values; every item of GOT that WANT lacks cancelled out
# (delta_cum 0, and delta_flat 0 on a node); the base total is the same.
# Prints what is wrong.
compare_base() {
	awk -F '\t' '
	function key() { return $1 == "E" ? $1 "\t" $2 "\t" $3 : ($1 == "G" ? "G" : $1 "\t" $2) }
	function first() { return $1 == "E" ? 4 : ($1 == "G" ? 2 : 3) }
	FILENAME == ARGV[1] {
		k = key(); have[k] = 1
		for (i = first(); i <= NF; i++) {
			split($i, kv, "=")
			want[k, kv[1]] = kv[2]
		}
		next
	}
	{
		k = key(); seen[k] = 1
		for (i = first(); i <= NF; i++) {
			split($i, kv, "=")
			got[k, kv[1]] = kv[2]
		}
		if ($1 == "G") next
		if (!(k in have) && (got[k, "delta_cum"] != 0 || ($1 == "N" && got[k, "delta_flat"] != 0)))
			printf "%s: not in --base output but delta_cum=%s delta_flat=%s; ", k, got[k, "delta_cum"], got[k, "delta_flat"]
	}
	END {
		for (p in want) {
			split(p, q, SUBSEP)
			if (q[1] == "G") {
				if (q[2] ~ /^base_total/ && want[p] != got[p])
					printf "%s: %s, --base says %s; ", q[2], got[p], want[p]
				continue
			}
			if (!(q[1] in seen)) { if (!(q[1] in missing)) printf "%s: missing; ", q[1]; missing[q[1]] = 1; continue }
			if (!(p in got)) printf "%s: no %s; ", q[1], q[2]
			else if (got[p] != want[p]) printf "%s: %s=%s, --base says %s; ", q[1], q[2], got[p], want[p]
		}
	}' "$1" "$2" | tr '\t' ' ' | head -c 600
}

# arith TSV: what is wrong with the arithmetic of a diff (dotcanon -t):
# on every node and edge, for the selected type and every _T,
# delta_X = X - base_X; the class agrees with the signs (added: nothing
# in the base; removed: nothing now; grown/shrunk by delta_cum, else by
# delta_flat; same: no change); the root's delta_total = total -
# base_total.
arith() {
	awk -F '\t' '
	function check(what, first,    i, kv, v, a, t, c, df, dc) {
		delete v
		for (i = first; i <= NF; i++) {
			if (split($i, kv, "=") < 2) continue
			v[kv[1]] = kv[2]
		}
		for (a in v) {
			if (a !~ /^delta_/) continue
			t = substr(a, 7)
			if (!(t in v) || !(("base_" t) in v)) { printf "%s: %s without %s or base_%s; ", what, a, t, t; continue }
			if (v[a] != v[t] - v["base_" t])
				printf "%s: %s=%s but %s - base_%s = %s; ", what, a, v[a], t, t, v[t] - v["base_" t]
		}
		if (!("diff" in v)) return
		c = v["diff"]; dc = v["delta_cum"]; df = ("delta_flat" in v) ? v["delta_flat"] : 0
		if (c == "added" && (v["base_cum"] != 0 || v["base_flat"] + 0 != 0))
			printf "%s: added but base_cum=%s; ", what, v["base_cum"]
		else if (c == "removed" && (v["cum"] != 0 || v["flat"] + 0 != 0))
			printf "%s: removed but cum=%s; ", what, v["cum"]
		else if (c == "grown" && !(dc > 0 || (dc == 0 && df > 0)))
			printf "%s: grown but delta_cum=%s delta_flat=%s; ", what, dc, df
		else if (c == "shrunk" && !(dc < 0 || (dc == 0 && df < 0)))
			printf "%s: shrunk but delta_cum=%s delta_flat=%s; ", what, dc, df
		else if (c == "same" && (dc != 0 || df != 0))
			printf "%s: same but delta_cum=%s delta_flat=%s; ", what, dc, df
		else if (c !~ /^(added|removed|grown|shrunk|same)$/)
			printf "%s: diff=%s; ", what, c
		if (c != "added" && c != "removed" && ((dc > 0 && c != "grown") || (dc < 0 && c != "shrunk")))
			printf "%s: delta_cum=%s but diff=%s; ", what, dc, c
	}
	$1 == "G" {
		delete g
		for (i = 5; i <= NF; i++) { split($i, kv, "="); g[kv[1]] = kv[2] }
		for (a in g) {
			if (a !~ /^delta_total/) continue
			t = substr(a, 7)
			if (g[a] != g[t] - g["base_" t])
				printf "root: %s=%s but %s - base_%s = %s; ", a, g[a], t, t, g[t] - g["base_" t]
		}
	}
	$1 == "N" { check("node " $2, 3) }
	$1 == "E" { check("edge " $2 " -> " $3, 5) }
	' "$1" | head -c 600
}

# presence DIFF.TSV BASE.TSV NEW.TSV: the class of every node of an
# untrimmed diff agrees with the inputs: added exactly when only NEW has
# the node, removed exactly when only BASE has it, else grown, shrunk
# or same; and the union is exactly the inputs' data nodes.
presence() {
	awk -F '\t' '
	function data(   i) { for (i = 3; i <= NF; i++) if ($i ~ /^cum=/) return 1; return 0 }
	FILENAME == ARGV[1] { if ($1 == "N" && data()) inb[$2] = 1; next }
	FILENAME == ARGV[2] { if ($1 == "N" && data()) inn[$2] = 1; next }
	$1 == "N" && data() {
		out[$2] = 1; c = ""
		for (i = 3; i <= NF; i++) if ($i ~ /^diff=/) c = substr($i, 6)
		want = ($2 in inb) ? (($2 in inn) ? "grown|shrunk|same" : "removed") : (($2 in inn) ? "added" : "nowhere")
		if (c !~ "^(" want ")$") printf "%s: diff=%s, want %s; ", $2, c, want
	}
	END {
		for (n in inb) if (!(n in out)) printf "%s (base) missing; ", n
		for (n in inn) if (!(n in out)) printf "%s (new) missing; ", n
	}' "$2" "$3" "$1" | head -c 600
}

# nattr TSV NAME KEY: attribute KEY of node NAME.
nattr() {
	awk -F '\t' -v n="$2" -v k="$3=" '
	$1 == "N" && $2 == n {
		for (i = 3; i <= NF; i++)
			if (index($i, k) == 1) print substr($i, length(k) + 1)
	}' "$1"
}

# datacount TSV: the number of data nodes (with cum), tag boxes aside.
datacount() {
	awk -F '\t' '$1 == "N" && $0 ~ /\tcum=/ && $0 !~ /\ttag_of=/ { n++ } END { print n + 0 }' "$1"
}

# ---- inputs ----------------------------------------------------------

for i in 1 2 3; do
	for t in $TYPES; do
		# shellcheck disable=SC2086 # $NOTRIM is a list of options
		pprof2graph $NOTRIM -i $t "$FIXTURES/heap$i.pb.gz" >"$TMP/h$i.$t.dot" ||
			{ echo "Bail out! pprof2graph failed on heap$i ($t)"; exit 1; }
		dotcanon -t "$TMP/h$i.$t.dot" >"$TMP/h$i.$t.tsv"
	done
done

# ---- (a) against pprof2graph --base -------------------------------------

for t in $TYPES; do
	# shellcheck disable=SC2086
	graphdiff $NOTRIM "$TMP/h1.$t.dot" "$TMP/h3.$t.dot" >"$TMP/d13.$t.dot" 2>"$TMP/err"
	s=$?
	if [ $s -ne 0 ] || [ -s "$TMP/err" ]; then
		fail exit "heap1 -> heap3 ($t): exit $s: $(head -c 200 "$TMP/err")"
	fi
	dotcanon -t "$TMP/d13.$t.dot" >"$TMP/d13.$t.tsv"
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM -i $t --base "$FIXTURES/heap1.pb.gz" "$FIXTURES/heap3.pb.gz" >"$TMP/base.dot"
	dotcanon -t "$TMP/base.dot" | values /dev/stdin "$t" >"$TMP/want.vals"
	values "$TMP/d13.$t.tsv" "$t" >"$TMP/got.vals"
	bad=$(compare_base "$TMP/want.vals" "$TMP/got.vals")
	[ -z "$bad" ] || fail base "$t: $bad"
	# The totals are the graphs' own.
	bt=$(awk -F '\t' '$1 == "G" { for (i = 5; i <= NF; i++) if ($i ~ /^total=/) print substr($i, 7) }' "$TMP/h1.$t.tsv")
	nt=$(awk -F '\t' '$1 == "G" { for (i = 5; i <= NF; i++) if ($i ~ /^total=/) print substr($i, 7) }' "$TMP/h3.$t.tsv")
	got=$(awk -F '\t' '$1 == "G" {
		for (i = 5; i <= NF; i++) if ($i ~ /^(base_total|total|delta_total)=/) printf "%s ", $i
	}' "$TMP/d13.$t.tsv")
	[ "$got" = "base_total=$bt delta_total=$((nt - bt)) total=$nt " ] ||
		fail totals "$t: $got; want base_total=$bt (heap1's total), total=$nt (heap3's), delta_total=$((nt - bt))"
done
report exit "graphdiff heap1 heap3, untrimmed, for every sample type: exit 0, no message"
report base "untrimmed, every node and edge of pprof2graph --base is in the diff with the same flat, cum, base_*, delta_*; the rest cancelled out (delta 0)"
report totals "the root's total and base_total are the two graphs' totals, delta_total their difference"

# ---- (b) arithmetic and classes on every diff ------------------------------

for t in $TYPES; do
	for pair in 1:2 2:3 1:3 3:1; do
		a=${pair%:*} b=${pair#*:}
		# shellcheck disable=SC2086
		graphdiff $NOTRIM "$TMP/h$a.$t.dot" "$TMP/h$b.$t.dot" >"$TMP/d.dot" 2>/dev/null ||
			{ fail arith "heap$a -> heap$b ($t): exit $?"; continue; }
		dotcanon -t "$TMP/d.dot" >"$TMP/d.tsv"
		bad=$(arith "$TMP/d.tsv")
		[ -z "$bad" ] || fail arith "heap$a -> heap$b ($t): $bad"
		bad=$(presence "$TMP/d.tsv" "$TMP/h$a.$t.tsv" "$TMP/h$b.$t.tsv")
		[ -z "$bad" ] || fail presence "heap$a -> heap$b ($t): $bad"
		# Trimmed (residual edges too) and normalized.
		for opts in '' '-n 8' '--normalize'; do
			# shellcheck disable=SC2086
			graphdiff $opts "$TMP/h$a.$t.dot" "$TMP/h$b.$t.dot" >"$TMP/d.dot" 2>/dev/null ||
				{ fail arith "heap$a -> heap$b ($t) $opts: exit $?"; continue; }
			dotcanon -t "$TMP/d.dot" >"$TMP/d.tsv"
			bad=$(arith "$TMP/d.tsv")
			[ -z "$bad" ] || fail arith "heap$a -> heap$b ($t) ${opts:-default}: $bad"
		done
	done
done
report arith "every diff (pairs both ways, untrimmed, trimmed, -n 8, --normalize): delta = value - base_value for every type, on nodes, edges and totals; diff agrees with the signs"
report presence "untrimmed: added exactly the nodes only the new graph has, removed those only the base has; every input node is in the union"

# ---- (c) trends over heap1, heap2, heap3 -------------------------------------

for t in inuse_space alloc_space; do
	# shellcheck disable=SC2086
	graphdiff --trend $NOTRIM "$TMP/h1.$t.dot" "$TMP/h2.$t.dot" "$TMP/h3.$t.dot" >"$TMP/tr.dot" 2>"$TMP/err"
	s=$?
	[ $s -eq 0 ] || fail trend "$t: exit $s: $(head -c 200 "$TMP/err")"
	dotcanon -t "$TMP/tr.dot" >"$TMP/tr.tsv"
	bad=$(arith "$TMP/tr.tsv")
	[ -z "$bad" ] || fail trend "$t: $bad"
	# series_cum and series_flat are the snapshots' own values, empty
	# where a snapshot lacks the node; grew, slope (least squares over
	# 0, 1, 2 with a missing value as 0, rounded) and trend follow.
	bad=$(awk -F '\t' '
		function vals(   i, kv) {
			delete v
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		}
		function rnd(x) { return x < 0 ? -int(-x + 0.5) : int(x + 0.5) }
		FNR == 1 { f++ }
		f <= 3 && $1 == "N" && $0 ~ /\tcum=/ { vals(); cum[f, $2] = v["cum"]; flat[f, $2] = v["flat"]; has[f, $2] = 1; next }
		f == 4 && $1 == "N" && $0 ~ /\tcum=/ {
			vals(); n = $2; out[n] = 1
			sc = ""; sf = ""
			for (k = 1; k <= 3; k++) {
				sc = sc (k > 1 ? "," : "") (has[k, n] ? cum[k, n] : "")
				sf = sf (k > 1 ? "," : "") (has[k, n] ? flat[k, n] : "")
				y[k] = has[k, n] ? cum[k, n] : 0
			}
			if (v["series_cum"] != sc) printf "%s: series_cum=%s, the graphs say %s; ", n, v["series_cum"], sc
			if (v["series_flat"] != sf) printf "%s: series_flat=%s, the graphs say %s; ", n, v["series_flat"], sf
			slope = rnd((y[3] - y[1]) / 2)
			if (v["slope"] != slope) printf "%s: slope=%s, least squares %s; ", n, v["slope"], slope
			up = (y[2] > y[1]) + (y[3] > y[2]); down = (y[2] < y[1]) + (y[3] < y[2])
			if (v["grew"] != up) printf "%s: grew=%s, want %s; ", n, v["grew"], up
			if (!has[3, n]) tr = "gone"
			else if (!has[1, n] && !has[2, n]) tr = "new"
			else if (up == 2) tr = "growing"
			else if (down == 2) tr = "shrinking"
			else if (up == 0 && down == 0) tr = "flat"
			else tr = "mixed"
			if (v["trend"] != tr) printf "%s: trend=%s, want %s (%s); ", n, v["trend"], tr, sc
		}
		END {
			for (p in has) { split(p, q, SUBSEP); if (!(q[2] in out)) printf "%s missing; ", q[2] }
		}' "$TMP/h1.$t.tsv" "$TMP/h2.$t.tsv" "$TMP/h3.$t.tsv" "$TMP/tr.tsv" | head -c 600)
	[ -z "$bad" ] || fail trend "$t: $bad"
	if [ $t = inuse_space ]; then
		is "--trend heap1 heap2 heap3: main.(*Cache).fill is growing" \
			"$(nattr "$TMP/tr.tsv" 'main.(*Cache).fill' trend)" growing
		tb=$(nattr "$TMP/tr.tsv" main.newBuf trend)
		if [ -n "$tb" ] && [ "$tb" != growing ]; then
			ok "--trend: main.newBuf (the request buffers, transient) is not growing ($tb)"
		else
			not_ok "--trend: main.newBuf (the request buffers, transient) is not growing (trend=$tb)"
		fi
		is "--trend: the root says diff_mode=trend and snapshots=3" \
			"$(awk -F '\t' '$1 == "G" { for (i = 5; i <= NF; i++) if ($i ~ /^(diff_mode|snapshots)=/) printf "%s ", $i }' "$TMP/tr.tsv")" \
			"diff_mode=trend snapshots=3 "
	fi
done
report trend "--trend heap1 heap2 heap3 (inuse_space, alloc_space): series_cum/series_flat are each graph's own values, slope is the least-squares slope, grew and trend follow from the series; deltas add up"

# ---- (d) --stream -------------------------------------------------------------

t=inuse_space
for pair in 1:2 2:3; do
	a=${pair%:*} b=${pair#*:}
	# shellcheck disable=SC2086
	graphdiff $NOTRIM "$TMP/h$a.$t.dot" "$TMP/h$b.$t.dot" >"$TMP/p$a$b.dot"
done
cat "$TMP/p12.dot" "$TMP/p23.dot" | dotcanon -x tool >"$TMP/want.txt"
# shellcheck disable=SC2086
cat "$TMP/h1.$t.dot" "$TMP/h2.$t.dot" "$TMP/h3.$t.dot" | graphdiff --stream $NOTRIM >"$TMP/stream.dot" 2>"$TMP/err"
s=$?
is "--stream over three graphs on standard input: exit 0" "$s" 0
is "--stream over three graphs: two graphs" "$(dotcanon -t "$TMP/stream.dot" | grep -c '^G')" 2
dotcanon -x tool "$TMP/stream.dot" >"$TMP/got.txt"
same_file "--stream: the graphs are the pairwise diffs heap1 -> heap2, heap2 -> heap3, in order" "$TMP/got.txt" "$TMP/want.txt"
# shellcheck disable=SC2086
graphdiff --stream $NOTRIM "$TMP/h1.$t.dot" - "$TMP/h3.$t.dot" <"$TMP/h2.$t.dot" | dotcanon -x tool >"$TMP/got.txt"
same_file "--stream over files and - (standard input), in order" "$TMP/got.txt" "$TMP/want.txt"

# ---- (e) default trimming, the legend, rendering ---------------------------------

for t in $TYPES; do
	for opts in '' '-n 10' '--highlight-depth 1' '--threshold 1%'; do
		# shellcheck disable=SC2086
		graphdiff $opts "$TMP/h1.$t.dot" "$TMP/h3.$t.dot" >"$TMP/d.dot" 2>"$TMP/err" ||
			{ fail trim "$t $opts: exit $?"; continue; }
		dotcanon -t "$TMP/d.dot" >"$TMP/d.tsv"
		max=80
		case $opts in -n*) max=${opts#-n } ;; esac
		k=$(datacount "$TMP/d.tsv")
		if [ "$k" -gt "$max" ] || [ "$k" -eq 0 ]; then
			fail trim "$t ${opts:-default}: $k nodes, want 1..$max"
		fi
		grep -q "^M$(printf '\t')cluster_legend$(printf '\t')legend" "$TMP/d.tsv" ||
			fail trim "$t ${opts:-default}: no legend"
		# A kept node keeps its untrimmed values.
		bad=$(awk -F '\t' '
			FILENAME == ARGV[1] { if ($1 == "N") { s = ""; for (i = 3; i <= NF; i++) if ($i ~ /^(base_|delta_)?(cum|flat)=/) s = s " " $i; u[$2] = s } next }
			$1 == "N" && $0 ~ /\tcum=/ { s = ""; for (i = 3; i <= NF; i++) if ($i ~ /^(base_|delta_)?(cum|flat)=/) s = s " " $i; if (s != u[$2]) printf "%s:%s, untrimmed%s; ", $2, s, u[$2] }
			' "$TMP/d13.$t.tsv" "$TMP/d.tsv" | head -c 300)
		[ -z "$bad" ] || fail trim "$t ${opts:-default}: $bad"
		# Residual edges are dotted.
		bad=$(awk -F '\t' '$1 == "E" && /\tresidual=true/ && !/\tstyle=[^\t]*dotted/ { printf "%s -> %s; ", $2, $3 }' "$TMP/d.tsv")
		[ -z "$bad" ] || fail trim "$t ${opts:-default}: residual edges not dotted: $bad"
		if [ -n "$RENDER" ] && [ "$opts" != '--threshold 1%' ]; then
			for layout in dot sfdp; do
				if ! $layout -Tsvg "$TMP/d.dot" >"$TMP/d.svg" 2>"$TMP/err" ||
					[ -s "$TMP/err" ] || ! grep -q '</svg>' "$TMP/d.svg"; then
					fail render "$t ${opts:-default} | $layout: $(head -c 200 "$TMP/err")"
				fi
			done
		fi
	done
done
report trim "default trimming, -n 10, --highlight-depth 1, --threshold 1%: at most nodecount data nodes, a legend, untrimmed values on the kept nodes, residual edges dotted"
if [ -n "$RENDER" ]; then
	report render "the diffs render with dot -Tsvg and sfdp -Tsvg without a warning"
else
	skip "rendering: Graphviz's dot or sfdp is not installed"
fi
graphdiff --no-legend "$TMP/h1.inuse_space.dot" "$TMP/h3.inuse_space.dot" | dotcanon -t >"$TMP/d.tsv"
if grep -q "legend" "$TMP/d.tsv"; then
	not_ok "--no-legend: no legend"
else
	ok "--no-legend: no legend"
fi
# -n trims by the size of the change: the biggest changes stay.
graphdiff -n 3 "$TMP/h1.inuse_space.dot" "$TMP/h3.inuse_space.dot" | dotcanon -t >"$TMP/d.tsv"
if [ "$(datacount "$TMP/d.tsv")" -le 3 ] && [ -n "$(nattr "$TMP/d.tsv" 'main.(*Cache).fill' cum)" ]; then
	ok "-n 3 keeps main.(*Cache).fill, the biggest growth"
else
	not_ok "-n 3 keeps main.(*Cache).fill, the biggest growth"
	grep '^N' "$TMP/d.tsv" | cut -f 2 | sed 's/^/# /'
fi
# --highlight-depth: a context node is unchanged and more than n calls
# from every change.
# shellcheck disable=SC2086
graphdiff --highlight-depth 0 $NOTRIM "$TMP/h2.inuse_space.dot" "$TMP/h2.inuse_space.dot" | dotcanon -t >"$TMP/d.tsv"
is "--highlight-depth 0 on a graph against itself: every data node is context" \
	"$(grep -c 'context=true' "$TMP/d.tsv")" "$(datacount "$TMP/d.tsv")"
# shellcheck disable=SC2086
graphdiff --highlight-depth 1 $NOTRIM "$TMP/h1.inuse_space.dot" "$TMP/h3.inuse_space.dot" | dotcanon -t >"$TMP/d.tsv"
bad=$(awk -F '\t' '
	$1 == "N" && /\tcum=/ { d = 0; c = 0
		for (i = 3; i <= NF; i++) { if ($i ~ /^diff=/ && $i != "diff=same") d = 1; if ($i == "context=true") c = 1 }
		changed[$2] = d; ctx[$2] = c }
	$1 == "E" { a[++ne] = $2; b[ne] = $3 }
	END {
		for (e = 1; e <= ne; e++) { if (changed[a[e]]) near[b[e]] = 1; if (changed[b[e]]) near[a[e]] = 1 }
		for (n in ctx) {
			want = !changed[n] && !near[n]
			if (ctx[n] != want) printf "%s: context=%d, want %d; ", n, ctx[n], want
		}
	}' "$TMP/d.tsv" | head -c 400)
is "--highlight-depth 1: context exactly on the unchanged nodes more than one call from a change" "$bad" ""

# ---- (f) --fail-if on real data --------------------------------------------------

# fail_if DESC STATUS STDERR-ERE EXPR...: graphdiff --fail-if EXPR...
# heap1 heap3 (inuse_space, default trimming) exits STATUS, says
# something matching STDERR-ERE (empty: nothing), writes the graph
# unless STATUS is 2.
fail_if() {
	_d=$1 _st=$2 _re=$3
	shift 3
	_args=
	for _e in "$@"; do
		_args="$_args --fail-if '$_e'"
	done
	eval "graphdiff $_args \"\$TMP/h1.inuse_space.dot\" \"\$TMP/h3.inuse_space.dot\"" >"$TMP/out" 2>"$TMP/err"
	_s=$?
	_okout=yes
	if [ "$_st" -eq 2 ]; then [ ! -s "$TMP/out" ] || _okout=; else [ -s "$TMP/out" ] || _okout=; fi
	if [ $_s -eq "$_st" ] && [ -n "$_okout" ] &&
		{ if [ -z "$_re" ]; then [ ! -s "$TMP/err" ]; else grep -Eq "$_re" "$TMP/err"; fi; }; then
		ok "$_d"
	else
		not_ok "$_d (exit $_s, $(wc -c <"$TMP/out" | tr -d ' ') bytes out)"
		head -n 3 "$TMP/err" | sed 's/^/# /'
	fi
}

fail_if "--fail-if 'delta_cum > 100MB': nothing grew that much, exit 0" 0 '' 'delta_cum > 100MB'
fail_if "--fail-if 'delta_cum > 10MB': exit 1, names main.(*Cache).fill" 1 \
	"^graphdiff: fail-if 'delta_cum > 10MB': .*main\\.\\(\\*Cache\\)\\.fill" 'delta_cum > 10MB'
fail_if "--fail-if 'delta_cum > 10000000' (no unit): the same" 1 'main\.\(\*Cache\)\.fill' 'delta_cum > 10000000'
fail_if "--fail-if 'delta_total > +100%': the total nearly tripled, exit 1" 1 \
	"^graphdiff: fail-if 'delta_total > \\+100%': the total" 'delta_total > +100%'
fail_if "--fail-if 'delta_total > +500%': exit 0" 0 '' 'delta_total > +500%'
fail_if "--fail-if 'delta_cum > 50%' (of the total): fill, exit 1" 1 'main\.\(\*Cache\)\.fill' 'delta_cum > 50%'
fail_if "--fail-if 'delta_cum > 90%' (of the total): exit 0" 0 '' 'delta_cum > 90%'
fail_if "--fail-if 'delta_cum_alloc_space > 1GB': exit 0" 0 '' 'delta_cum_alloc_space > 1GB'
fail_if "--fail-if 'delta_cum < -1GB' and 'total > 1GB': neither holds, exit 0" 0 '' 'delta_cum < -1GB' 'total > 1GB'
fail_if "--fail-if: one of two holds, exit 1" 1 'base_total' 'delta_cum < -1GB' 'base_total > 1MB'
fail_if "--fail-if with a time unit on bytes: exit 2, nothing written" 2 '^graphdiff: ' 'delta_cum > 5s'
fail_if "--fail-if without a number: exit 2, nothing written" 2 '^graphdiff: ' 'delta_cum >'
fail_if "--fail-if with an unknown type: exit 2, nothing written" 2 '^graphdiff: ' 'delta_cum_nosuch > 1'

# ---- (g) a graph against itself ------------------------------------------------------

for t in $TYPES; do
	# shellcheck disable=SC2086
	graphdiff $NOTRIM "$TMP/h3.$t.dot" "$TMP/h3.$t.dot" >"$TMP/d.dot" 2>/dev/null || { fail self "$t: exit $?"; continue; }
	dotcanon -t "$TMP/d.dot" >"$TMP/d.tsv"
	bad=$(awk -F '\t' '
		$1 == "N" && /\tcum=/ || $1 == "E" {
			for (i = 3; i <= NF; i++)
				if (($i ~ /^diff=/ && $i != "diff=same") || ($i ~ /^delta_[a-z_]*=/ && $i !~ /=0$/))
					printf "%s %s: %s; ", $1, $2, $i
		}
		$1 == "G" { for (i = 5; i <= NF; i++) if ($i ~ /^delta_total[a-z_]*=/ && $i !~ /=0$/) printf "root: %s; ", $i }
		' "$TMP/d.tsv" | head -c 300)
	[ -z "$bad" ] || fail self "$t: $bad"
	[ "$(datacount "$TMP/d.tsv")" -eq "$(datacount "$TMP/h3.$t.tsv")" ] ||
		fail self "$t: $(datacount "$TMP/d.tsv") nodes, the graph has $(datacount "$TMP/h3.$t.tsv")"
done
for g in "$top_srcdir"/tests/expected/heap*/inuse_space.default.dot; do
	graphdiff "$g" "$g" >"$TMP/d.dot" 2>"$TMP/err" || { fail self "$g: exit $?: $(head -c 200 "$TMP/err")"; continue; }
	dotcanon -t "$TMP/d.dot" >"$TMP/d.tsv"
	n=$(datacount "$TMP/d.tsv")
	if [ "$n" -eq 0 ] || grep -Eq 'diff=(added|removed|grown|shrunk)' "$TMP/d.tsv"; then
		fail self "$g (go tool pprof -dot): $n data nodes, not all same"
	fi
done
report self "a graph against itself (pprof2graph's for every type, go tool pprof's): every node and edge same, every delta 0"

# ---- -o and exit statuses --------------------------------------------------------------

graphdiff "$TMP/h1.inuse_space.dot" "$TMP/h3.inuse_space.dot" | dotcanon -x tool >"$TMP/want.txt"
graphdiff -o "$TMP/o.dot" "$TMP/h1.inuse_space.dot" "$TMP/h3.inuse_space.dot" >"$TMP/stdout" 2>"$TMP/err"
s=$?
dotcanon -x tool "$TMP/o.dot" >"$TMP/got.txt" 2>/dev/null
if [ $s -eq 0 ] && [ ! -s "$TMP/stdout" ] && cmp -s "$TMP/got.txt" "$TMP/want.txt"; then
	ok "-o FILE writes the diff to FILE, nothing to standard output"
else
	not_ok "-o FILE writes the diff to FILE, nothing to standard output (exit $s)"
fi
rm -f "$TMP/o.dot"
graphdiff -o "$TMP/o.dot" "$TMP/h1.inuse_space.dot" "$TMP/nonexistent.dot" 2>/dev/null
s=$?
if [ $s -eq 2 ] && [ ! -s "$TMP/o.dot" ]; then
	ok "-o FILE gets no graph when graphdiff fails"
else
	not_ok "-o FILE gets no graph when graphdiff fails (exit $s)"
fi

# expect_fail DESC STDERR-ERE ARGS...: exit 2, a message, nothing written.
expect_fail() {
	_d=$1 _re=$2
	shift 2
	graphdiff "$@" <"$TMP/h3.inuse_space.dot" >"$TMP/out" 2>"$TMP/err"
	_s=$?
	if [ $_s -eq 2 ] && grep -Eq "$_re" "$TMP/err" && [ ! -s "$TMP/out" ]; then
		ok "$_d"
	else
		not_ok "$_d (exit $_s, $(wc -c <"$TMP/out" | tr -d ' ') bytes out)"
		head -n 3 "$TMP/err" | sed 's/^/# /'
	fi
}

H1=$TMP/h1.inuse_space.dot H3=$TMP/h3.inuse_space.dot
expect_fail "different sample types without -i: exit 2" "^graphdiff: $H1: .*-i" "$H1" "$TMP/h3.alloc_space.dot"
# shellcheck disable=SC2086
graphdiff $NOTRIM -i alloc_space "$H1" "$TMP/h3.alloc_space.dot" >/dev/null 2>&1
is "different selected types, -i one they all have: exit 0" "$?" 0
expect_fail "one graph: exit 2" "^graphdiff: $H1: 1 graph" "$H1"
expect_fail "three graphs without --trend: exit 2" '^graphdiff: ' "$H1" - "$H3"
graphdiff "$H1" "$H3" >"$TMP/diff.dot"
expect_fail "a diff as input: exit 2" "^graphdiff: $TMP/diff.dot: .*already a diff" "$H1" "$TMP/diff.dot"
expect_fail "a missing file: exit 2, its name" "^graphdiff: $TMP/nonexistent.dot: " "$H1" "$TMP/nonexistent.dot"
expect_fail "a directory: exit 2, its name" "^graphdiff: $TMP: " "$H1" "$TMP"
printf 'digraph g {\n\ta -> b;\n\tb -> -> c;\n}\n' >"$TMP/bad.dot"
expect_fail "a DOT syntax error: exit 2, FILE:LINE" "^graphdiff: $TMP/bad.dot:3: syntax error" "$H1" "$TMP/bad.dot"
printf 'digraph g {\n\ta -> b;\n' >"$TMP/trunc.dot"
expect_fail "a truncated graph: exit 2, a syntax error" "^graphdiff: $TMP/trunc.dot:[0-9]+: syntax error" "$H1" "$TMP/trunc.dot"
expect_fail "--stream and --trend together: exit 2" '^graphdiff: ' --stream --trend "$H1" "$H3"
expect_fail "an unknown option: exit 2, usage" 'usage: graphdiff' --no-such-option "$H1" "$H3"
expect_fail "-m with an unknown key: exit 2" '^graphdiff: ' -m name "$H1" "$H3"
expect_fail "-i a type the graphs lack: exit 2" "^graphdiff: $H1: no sample type nosuch" -i nosuch "$H1" "$H3"
# Deltas that do not fit in 64 bits: an error, never a wrapped number.
for v in -9000000000000000000 9000000000000000000; do
	printf 'digraph g {\n\tgraph [sample_type=inuse_space unit=bytes];\n\t"main.a" [flat=0 cum=5];\n\t"main.b" [flat=5 cum=5];\n\t"main.a" -> "main.b" [cum=%s];\n}\n' "$v" >"$TMP/edge$v.dot"
	sed "s/flat=0 cum=5/flat=$v cum=$v/" "$TMP/edge$v.dot" >"$TMP/node$v.dot"
done
expect_fail "an edge's delta past 64 bits: exit 2, an overflow" '^graphdiff: the value of the edge main.a -> main.b overflows a 64-bit integer$' "$TMP/edge-9000000000000000000.dot" "$TMP/edge9000000000000000000.dot"
expect_fail "a node's delta past 64 bits: exit 2, an overflow" '^graphdiff: the value of node main.a overflows a 64-bit integer$' "$TMP/node-9000000000000000000.dot" "$TMP/node9000000000000000000.dot"
expect_fail "--threshold not a number: exit 2" '^graphdiff: ' --threshold x "$H1" "$H3"
expect_fail "--tolerance negative: exit 2" '^graphdiff: ' --tolerance -1 "$H1" "$H3"
expect_fail "--highlight-depth not a number: exit 2" '^graphdiff: ' --highlight-depth x "$H1" "$H3"
expect_fail "-n not a number: exit 2" '^graphdiff: ' -n many "$H1" "$H3"
expect_fail "--node-fraction above 1: exit 2" '^graphdiff: ' --node-fraction=2 "$H1" "$H3"
expect_fail "-o into a missing directory: exit 2" '^graphdiff: ' -o "$TMP/no/such/dir/out.dot" "$H1" "$H3"
write_error_and_help graphdiff "$H1" "$H3"

done_testing
