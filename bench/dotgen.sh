#!/bin/sh
# bench/dotgen.sh -- a large DOT graph in pprof2graph's format, for
# timing the filters that read DOT (graphfocus, graphdiff, graphstyle).
#
# It is the untrimmed call graph of a synthetic Go-like heap profile:
#
#	bench/synth -s SAMPLES -f FUNCS -S SEED |
#	    pprof2graph -i TYPE -n 0 --node-fraction=0 --edge-fraction=0
#
# With the defaults (100 000 functions, 300 000 samples, seed 1,
# alloc_space) that is about 100 000 nodes and 310 000 edges, 200 MB of
# DOT: every node and edge with its data attributes for the four sample
# types and pprof2graph's look.  alloc_space is chosen because every
# sample allocated something, so every function is a node (in
# inuse_space, the default view, the functions whose samples were all
# freed have no value and drop out: 85 000 nodes, 194 000 edges).
#
# The graph is cached in bench/out/ under a name made of its parameters,
# with its sizes beside it (.stats), and made again when bench/synth or
# pprof2graph is newer.  The path is printed on standard output.  Run it
# from the build directory:
#
#	make bench/synth pprof2graph && sh bench/dotgen.sh
#
# POSIX sh.  Two graphs of one program at two moments (for graphdiff):
# the same -f and -S, more samples for the later one (-s).

set -u

usage() {
	cat <<'EOF'
usage: sh bench/dotgen.sh [options]
  -f FUNCS     functions in the synthetic program (default 100000)
  -s SAMPLES   samples in the profile (default 300000)
  -S SEED      generator seed (default 1)
  -i TYPE      sample type to graph (default alloc_space)
  -h           this help
Prints the path of the graph (bench/out/graph-...dot), generating it
first if it is missing or older than bench/synth or pprof2graph.
Environment: SYNTH (default bench/synth), PPROF2GRAPH (default
./pprof2graph).
EOF
}

die() {
	echo "dotgen.sh: $*" >&2
	exit 2
}

FUNCS=100000
SAMPLES=300000
SEED=1
TYPE=alloc_space
SYNTH=${SYNTH:-bench/synth}
P2G=${PPROF2GRAPH:-./pprof2graph}
OUT=bench/out

while [ $# -gt 0 ]; do
	case $1 in
	-f) [ $# -ge 2 ] || die "-f needs a number"; FUNCS=$2; shift ;;
	-s) [ $# -ge 2 ] || die "-s needs a number"; SAMPLES=$2; shift ;;
	-S) [ $# -ge 2 ] || die "-S needs a number"; SEED=$2; shift ;;
	-i) [ $# -ge 2 ] || die "-i needs a sample type"; TYPE=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
for v in "$FUNCS" "$SAMPLES" "$SEED"; do
	case $v in ''|*[!0-9]*) die "not a number: '$v'" ;; esac
done
case $TYPE in ''|*[!A-Za-z0-9_]*) die "not a sample type: '$TYPE'" ;; esac

if [ ! -x "$SYNTH" ]; then
	make bench/synth >&2 || die "make bench/synth failed"
fi
[ -x "$P2G" ] || die "pprof2graph not found at $P2G (make pprof2graph, or set PPROF2GRAPH)"
mkdir -p "$OUT" || die "cannot create $OUT"

GRAPH=$OUT/graph-f$FUNCS-s$SAMPLES-S$SEED-$TYPE.dot
STATS=$OUT/graph-f$FUNCS-s$SAMPLES-S$SEED-$TYPE.stats
if [ -s "$GRAPH" ] && [ -s "$STATS" ] &&
    [ -z "$(find "$SYNTH" "$P2G" -newer "$GRAPH")" ]; then
	echo "$GRAPH"
	exit 0
fi

echo "generating $GRAPH ..." >&2
trap 'rm -f "$GRAPH.tmp" "$STATS.tmp" "$OUT/synth.err.$$" "$OUT/p2g.err.$$"' EXIT
trap 'exit 130' INT TERM
# The status of the pipeline's first command is lost in POSIX sh: check
# synth's messages and pprof2graph's status instead (pprof2graph fails
# on a truncated profile).
"$SYNTH" -v -s "$SAMPLES" -f "$FUNCS" -S "$SEED" 2>"$OUT/synth.err.$$" |
    "$P2G" -i "$TYPE" -n 0 --node-fraction=0 --edge-fraction=0 - \
    >"$GRAPH.tmp" 2>"$OUT/p2g.err.$$" || {
	cat "$OUT/synth.err.$$" "$OUT/p2g.err.$$" >&2
	die "generating the graph failed"
}
grep -q '^synth: ' "$OUT/synth.err.$$" || {
	cat "$OUT/synth.err.$$" >&2
	die "$SYNTH failed"
}

# Sizes: nodes (the legend is one of them), edges, bytes, as Graphviz's
# gc(1) counts them.
gc -n -e "$GRAPH.tmp" 2>/dev/null |
    awk 'NR == 1 { printf "nodes %d\nedges %d\n", $1, $2 }' >"$STATS.tmp" &&
    [ -s "$STATS.tmp" ] || die "gc(1) cannot count the graph (Graphviz installed?)"
echo "bytes $(wc -c <"$GRAPH.tmp" | tr -d ' ')" >>"$STATS.tmp"
sed 's/^synth: /synth /' "$OUT/synth.err.$$" >>"$STATS.tmp"
mv "$GRAPH.tmp" "$GRAPH" && mv "$STATS.tmp" "$STATS" ||
    die "cannot write $GRAPH"
echo "$GRAPH"
