#!/bin/sh
# Folded stacks (src/folded.c; inputs and expected graphs in tests/folded):
# a graph worked out by hand; perf, py-spy, async-profiler and pprofutils
# shaped samples; the two-column difffolded form as a base and a
# profile; merging; refusing to merge with other sample types; every
# malformed case ("pprof2graph: FILE:LINE: what is wrong", exit 2,
# nothing on stdout); Go's text profiles not taken for folded stacks;
# rendering with dot.
#
# The expected graphs are canonical rows (dotcanon -t) of the untrimmed
# graph.  hand.expected was written by hand; the others are checked by
# hand once and regenerated with make check GOLDEN_UPDATE=1.

. "${top_srcdir:-.}/tests/lib.sh"

DIR=$top_srcdir/tests/folded
ALL="-n 0 --node-fraction=0 --edge-fraction=0 --no-legend"
MEMCAP_KB=1048576

# rows KEYS ARGS...: pprof2graph ARGS as dotcanon rows with attributes KEYS.
rows() {
	_k=$1
	shift
	pprof2graph "$@" >"$TMP/g.dot" 2>"$TMP/err" &&
		dotcanon -t -k "$_k" "$TMP/g.dot"
}

# golden DESC NAME KEYS ARGS...: rows equal tests/folded/NAME.expected.
golden() {
	_d=$1 _n=$2 _k=$3
	shift 3
	if rows "$_k" "$@" >"$TMP/$_n.rows"; then
		if [ -n "${GOLDEN_UPDATE:-}" ]; then
			cp "$TMP/$_n.rows" "$DIR/$_n.expected"
		fi
		same_file "$_d" "$TMP/$_n.rows" "$DIR/$_n.expected"
	else
		not_ok "$_d"
		sed 's/^/# /' "$TMP/err"
	fi
}

# attr ROWSFILE KIND NAME ATTR: the value of ATTR on node (N) NAME or the
# root graph (G, NAME ignored) in dotcanon rows.
attr() {
	awk -F '\t' -v kind="$2" -v name="$3" -v a="$4=" '
		$1 == kind && (kind == "G" || $2 == name) {
			for (i = 2; i <= NF; i++)
				if (index($i, a) == 1)
					print substr($i, length(a) + 1)
		}' "$1"
}

# refuse FILE PATTERN [ARGS...]: pprof2graph ARGS FILE fails as it must:
# exit 2, nothing on stdout, one line on stderr matching
# "pprof2graph: FILE...: PATTERN" (extended regular expressions).
refuse() {
	_f=$1 _pat=$2
	shift 2
	(
		[ -n "${GMV_SANITIZE:-}" ] || ulimit -v "$MEMCAP_KB"
		exec timeout 60 pprof2graph "$@" "$_f"
	) >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	if [ "$_rc" -eq 2 ] && [ ! -s "$TMP/out" ] &&
		[ "$(wc -l <"$TMP/err")" -eq 1 ] &&
		grep -Eq "^pprof2graph: $(printf '%s' "$_f" | sed 's/[.[\*^$]/\\&/g')$_pat" "$TMP/err"; then
		ok "$(basename "$_f"): $(cut -c 1-150 "$TMP/err")"
	else
		not_ok "$(basename "$_f"): exit $_rc, $(wc -c <"$TMP/out") bytes out"
		sed 's/^/# stderr: /' "$TMP/err" | head -5
	fi
}

# ---------------------------------------------------------------------
# A graph worked out by hand (see the comment in hand.folded): flat,
# cum, edges, recursion counted once, no self edges.

if rows flat,cum,inline,residual $ALL "$DIR/hand.folded" >"$TMP/hand.rows"; then
	same_file "hand-made stacks give the graph worked out by hand" \
		"$TMP/hand.rows" "$DIR/hand.expected"
else
	not_ok "hand-made stacks"
	sed 's/^/# /' "$TMP/err"
fi
rows total,sample_type,unit $ALL "$DIR/hand.folded" >"$TMP/h.rows"
is "total is the sum of the counts" "$(attr "$TMP/h.rows" G "" total)" 212
is "sample type samples/count" \
	"$(attr "$TMP/h.rows" G "" sample_type)/$(attr "$TMP/h.rows" G "" unit)" \
	samples/count
if awk -F '\t' '$1 == "E" && $2 == $3 { bad = 1 } END { exit bad }' "$TMP/hand.rows"; then
	ok "no self edges (handle;handle, a;b;a;b)"
else
	not_ok "a self edge"
fi

# The same bytes from standard input, gzipped, with CRLF line ends and
# a byte order mark give the same graph.
rows flat,cum,inline,residual $ALL - <"$DIR/hand.folded" >"$TMP/stdin.rows"
same_file "read from standard input" "$TMP/stdin.rows" "$DIR/hand.expected"
gzip -c "$DIR/hand.folded" >"$TMP/hand.gz"
rows flat,cum,inline,residual $ALL "$TMP/hand.gz" >"$TMP/gz.rows"
same_file "gzipped" "$TMP/gz.rows" "$DIR/hand.expected"
{ printf '\357\273\277'; sed 's/$/\r/' "$DIR/hand.folded"; } >"$TMP/crlf.folded"
rows flat,cum,inline,residual $ALL "$TMP/crlf.folded" >"$TMP/crlf.rows"
same_file "CRLF line ends and a byte order mark" "$TMP/crlf.rows" "$DIR/hand.expected"

# ---------------------------------------------------------------------
# Real-world shapes.

# perf script | stackcollapse-perf.pl --all: process name roots,
# [unknown] and [lib] frames, _[k] kernel and _[i] inline marks.
golden "perf (stackcollapse-perf.pl --all)" perf flat,cum,inline,residual $ALL "$DIR/perf.folded"
is "perf: parse_headers and parse_headers_[i] are one node" \
	"$(attr "$TMP/perf.rows" N parse_headers cum)" 17
is "perf: a kernel function in two stacks is one node" \
	"$(attr "$TMP/perf.rows" N do_syscall_64 cum)" 29
is "perf: no annotation suffix is left" \
	"$(grep -c '_\[[kjiw01]\]' "$TMP/perf.rows")" 0

# py-spy record -f raw: "name (file:line)" frames, thread roots.
golden "py-spy (record -f raw)" pyspy flat,cum,inline,residual $ALL "$DIR/pyspy.folded"
is "py-spy: a function called from two of its lines is one node" \
	"$(attr "$TMP/pyspy.rows" N handle cum)" 94
rows cum,file $ALL -g filefunctions "$DIR/pyspy.folded" >"$TMP/ff.rows"
is "py-spy -g filefunctions: the file is kept" \
	"$(attr "$TMP/ff.rows" N 'handle server.py' file)" server.py
is "py-spy: thread frames are kept whole" \
	"$(attr "$TMP/pyspy.rows" N 'thread (0x7F3A17FFF640)' cum)" 94
golden "py-spy at line granularity" pyspy-lines flat,cum,file,line $ALL -g lines "$DIR/pyspy.folded"
is "py-spy -g lines: one node per line" \
	"$(attr "$TMP/pyspy-lines.rows" N 'handle server.py:22' cum),$(attr "$TMP/pyspy-lines.rows" N 'handle server.py:25' cum)" 85,9

# async-profiler -o collapsed: thread frames with blanks, _[j] _[i] _[k]
# _[0] _[1] frame types.
golden "async-profiler (-o collapsed)" async flat,cum,inline,residual $ALL "$DIR/async.folded"
is "async-profiler: JIT, interpreted and inlined frames of a method are one node" \
	"$(attr "$TMP/async.rows" N com/example/Handler.handle cum)" 84
is "async-profiler: frames with blanks" \
	"$(attr "$TMP/async.rows" N '[GC Thread#0 tid=4330]' cum)" 33

# pprofutils folded -headers: the sample types survive.
golden "header form (pprofutils folded -headers)" header flat,cum,sample_types,total $ALL "$DIR/header.folded"
rows total,sample_type $ALL -i alloc_space "$DIR/header.folded" >"$TMP/alloc.rows"
is "header form: -i alloc_space" "$(attr "$TMP/alloc.rows" G "" total)" 68173824
rows total,unit $ALL "$DIR/header-negative.folded" >"$TMP/neg.rows"
is "header form: negative values (a converted diff) are taken" \
	"$(attr "$TMP/neg.rows" G "" total)/$(attr "$TMP/neg.rows" G "" unit)" 5/bytes
# Same sample types as a Go heap profile: they merge.
rows total_inuse_space "$FIXTURES/heap1.pb.gz" >"$TMP/heap1.rows"
rows total_inuse_space "$DIR/header.folded" "$FIXTURES/heap1.pb.gz" >"$TMP/merged.rows"
is "header form merges with a Go heap profile" \
	"$(attr "$TMP/merged.rows" G "" total_inuse_space)" \
	$(($(attr "$TMP/heap1.rows" G "" total_inuse_space) + 33570816))

# ---------------------------------------------------------------------
# The two-column form: difffolded.pl before.folded after.folded.

refuse "$DIR/diff.folded" ":1: two counts per stack: a base and a new profile in one file.*--diff-base"
golden "two-column file as base and profile" diff flat,cum,base_flat,base_cum $ALL \
	--diff-base "$DIR/diff.folded" "$DIR/diff.folded"
rows flat,cum,base_flat,base_cum $ALL --diff-base "$DIR/before.folded" "$DIR/after.folded" >"$TMP/ba.rows"
same_file "--diff-base F F of difffolded.pl's output = --diff-base of its two inputs" \
	"$TMP/diff.rows" "$TMP/ba.rows"
rows flat,cum,base_flat,base_cum,total $ALL --base "$DIR/diff.folded" "$DIR/diff.folded" >"$TMP/b1.rows"
rows flat,cum,base_flat,base_cum,total $ALL --base "$DIR/before.folded" "$DIR/after.folded" >"$TMP/b2.rows"
same_file "--base F F likewise" "$TMP/b1.rows" "$TMP/b2.rows"
is "the base counts go to the base, the new ones to the profile" \
	"$(attr "$TMP/diff.rows" N alloc base_cum)/$(attr "$TMP/diff.rows" N alloc cum),$(attr "$TMP/diff.rows" N gc base_cum)/$(attr "$TMP/diff.rows" N gc cum),$(attr "$TMP/diff.rows" N parse base_cum)/$(attr "$TMP/diff.rows" N parse cum)" \
	120/180,7/0,0/44

# ---------------------------------------------------------------------
# Merging.

head -n 8 "$DIR/hand.folded" >"$TMP/part1.folded"
tail -n +9 "$DIR/hand.folded" >"$TMP/part2.folded"
rows flat,cum,inline,residual $ALL "$TMP/part1.folded" "$TMP/part2.folded" >"$TMP/parts.rows"
same_file "two folded files merge into the sum of their stacks" "$TMP/parts.rows" "$DIR/hand.expected"
rows total $ALL "$DIR/hand.folded" "$DIR/hand.folded" >"$TMP/twice.rows"
is "a file merged with itself counts twice" "$(attr "$TMP/twice.rows" G "" total)" 424
refuse "$FIXTURES/heap1.pb.gz" ": .*only profiles (with the same sample types|of one kind) can be merged" "$DIR/hand.folded"
refuse "$DIR/hand.folded" ": its sample types \(samples/count\) differ from those of .*heap1.pb.gz" "$FIXTURES/heap1.pb.gz"
refuse "$DIR/hand.folded" ": its sample types \(samples/count\) differ from those of .*cpu.pb.gz \(samples/count cpu/nanoseconds\)" "$FIXTURES/cpu.pb.gz"

# ---------------------------------------------------------------------
# Malformed input.

refuse "$DIR/bad-nocount.folded" ":2: no count at the end of the line"
refuse "$DIR/bad-word.folded" ":2: no count at the end of the line \(\"12abc\""
refuse "$DIR/bad-negative.folded" ":2: a negative count, -3"
refuse "$DIR/bad-fraction.folded" ":1: a fractional count, 2.5"
refuse "$DIR/bad-toobig.folded" ":2: the count 9223372036854775808 does not fit in a 64-bit integer"
refuse "$DIR/bad-overflow.folded" ":1: the count 9+ does not fit in a 64-bit integer"
refuse "$DIR/bad-sum.folded" ":3: the sum of sample values overflows a 64-bit integer"
refuse "$DIR/bad-noframes.folded" ":2: a stack without frames"
refuse "$DIR/bad-nostack.folded" ":2: a count but no stack"
refuse "$DIR/bad-diffmix.folded" ":2: 2 counts expected at the end of the line \(as on the first stack line\)" --diff-base "$DIR/bad-diffmix.folded"
refuse "$DIR/bad-header-count.folded" ":3: 2 counts expected at the end of the line \(one per sample type of the header line\)"
refuse "$DIR/bad-header-dup.folded" ":1: sample type samples appears twice"
refuse "$DIR/bad-header-only.folded" ": a header line but no stacks"
refuse "$DIR/bad-comments-only.folded" ": no stacks"
printf 'main;a 9223372036854775807\nmain;b 9223372036854775807\n' >"$TMP/graph-overflow.folded"
refuse "$TMP/graph-overflow.folded" ": .*overflow"
printf 'main;foo 5\nmain;b\000ar 3\n' >"$TMP/nul.folded"
refuse "$TMP/nul.folded" ":2: a NUL byte at column 7"
printf 'main;foo 5\nmain;\001bar 3\n' >"$TMP/control.folded"
refuse "$TMP/control.folded" ":2: a control byte \(0x01\) at column 6"
{ printf 'main;foo 5\n'; cat "$top_srcdir/tests/bad/random.bin"; } >"$TMP/binary.folded"
refuse "$TMP/binary.folded" ":2: a (NUL|control) byte"
{ printf 'main;'; head -c 17000000 /dev/zero | tr '\0' a; printf ' 1\n'; } >"$TMP/long.folded"
refuse "$TMP/long.folded" ":1: a line longer than 16777216 bytes"
{ printf 'main;'; head -c 17000000 /dev/zero | tr '\0' a; } >"$TMP/long-unended.folded"
refuse "$TMP/long-unended.folded" ":1: a line longer than 16777216 bytes"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "f%d;", i; print "leaf 1" }' >"$TMP/deep.folded"
refuse "$TMP/deep.folded" ":1: a stack of 20001 frames, more than the limit of 16384 \(--max-stack-depth\)"
if rows cum --max-stack-depth 20001 $ALL "$TMP/deep.folded" >"$TMP/deep.rows" &&
	[ "$(attr "$TMP/deep.rows" N leaf cum)" = 1 ]; then
	ok "20 001 frames with the limit raised"
else
	not_ok "20 001 frames with the limit raised"
fi
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "a;b;"; print "a 7" }' >"$TMP/deep-recursive.folded"
if rows cum,flat --max-stack-depth 200001 $ALL "$TMP/deep-recursive.folded" >"$TMP/deeprec.rows"; then
	is "200 001 recursive frames: a and b counted once" \
		"$(attr "$TMP/deeprec.rows" N a cum),$(attr "$TMP/deeprec.rows" N a flat),$(attr "$TMP/deeprec.rows" N b cum)" 7,7,7
	if awk -F '\t' '$1 == "E" && $2 == $3 { bad = 1 } END { exit bad }' "$TMP/deeprec.rows"; then
		ok "200 001 recursive frames: no self edges"
	else
		not_ok "200 001 recursive frames: a self edge"
	fi
else
	not_ok "200 001 recursive frames"
	sed 's/^/# /' "$TMP/err"
fi

# ---------------------------------------------------------------------
# Other formats are not taken for folded stacks: Go's text profiles are
# read as such (or refused in their own words), protobuf ones as before.

FOLDED_MESSAGES='no count at the end|is not a count|fractional count|negative count|counts expected|two counts per stack|stack without frames|count but no stack|no stacks|header line but|not a text file'

for f in "$FIXTURES"/*.txt; do
	if pprof2graph "$f" >"$TMP/t.dot" 2>"$TMP/err"; then
		t=$(dotcanon -t -k sample_types "$TMP/t.dot" | sed -n '1s/.*sample_types=//p')
		if [ "$t" != samples ]; then
			ok "$(basename "$f") is not taken for folded stacks ($t)"
		else
			not_ok "$(basename "$f") was read as folded stacks"
		fi
	elif grep -Eq "$FOLDED_MESSAGES" "$TMP/err"; then
		not_ok "$(basename "$f") was read as folded stacks: $(cat "$TMP/err")"
	else
		ok "$(basename "$f") is not taken for folded stacks ($(cut -c 1-80 "$TMP/err"))"
	fi
done
refuse "$top_srcdir/tests/bad/random.bin" ": not a pprof profile"

# ---------------------------------------------------------------------
# Graphviz renders them.

if command -v dot >/dev/null 2>&1; then
	for f in hand perf pyspy async header; do
		if pprof2graph "$DIR/$f.folded" >"$TMP/r.dot" 2>"$TMP/err" &&
			dot -Tsvg "$TMP/r.dot" >"$TMP/r.svg" 2>>"$TMP/err" &&
			[ ! -s "$TMP/err" ] && grep -q '</svg>' "$TMP/r.svg"; then
			ok "$f.folded renders with dot -Tsvg"
		else
			not_ok "$f.folded renders with dot -Tsvg"
			head -5 "$TMP/err" | sed 's/^/# /'
		fi
	done
else
	skip "Graphviz's dot is not installed"
fi

done_testing
