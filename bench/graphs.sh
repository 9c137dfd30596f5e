#!/bin/sh
# bench/graphs.sh -- time the filters that read and write DOT on a large
# graph, against Graphviz's nop (which reads and writes DOT and does
# nothing else: the floor for a filter built on cgraph).
#
# The graph comes from bench/dotgen.sh (about 100 000 nodes and 310 000
# edges in pprof2graph's format, cached in bench/out/).  In one run, on
# one machine, each command below reads it and writes to /dev/null, RUNS
# times under GNU time; the table gives the median wall time and peak
# RSS, and each command's ratio to nop's (lower is better).  Run it from
# the build directory:
#
#	make bench/synth pprof2graph graphfocus graphdiff && sh bench/graphs.sh
#
# Commands (a filter that is not built yet gets a row saying so):
#   nop                     nop GRAPH
#   graphfocus              graphfocus PATTERN GRAPH (default trimming)
#   graphfocus untrimmed    graphfocus -n 0 --node-fraction=0
#                             --edge-fraction=0 PATTERN GRAPH
#   graphfocus everything   the same with the empty pattern: the whole
#                             graph read, restyled and written, as nop
#   nop both                nop GRAPH LATER (the floor for graphdiff)
#   graphdiff               graphdiff GRAPH LATER (LATER: the same
#                             program with 10 % more samples)
#   graphdiff untrimmed     the same with -n 0 --node-fraction=0
#                             --edge-fraction=0: the whole union out
#   graphstyle              graphstyle GRAPH (pprof's look again)
#   graphstyle retention    graphstyle -s retention GRAPH (classes,
#                             marks, retention colours)
#
# POSIX sh; needs GNU time (Debian: apt-get install time) and Graphviz.

set -u

usage() {
	cat <<'EOF'
usage: sh bench/graphs.sh [options]
  -n RUNS      measurements per command, median reported (default 3)
  -P PATTERN   graphfocus pattern (default 'svc07/pkg03\.': 37 functions
               of one package, their callers and callees)
  -f FUNCS     graph functions (default 100000), passed to dotgen.sh
  -s SAMPLES   profile samples (default 300000), passed to dotgen.sh
  -S SEED      generator seed (default 1), passed to dotgen.sh
  -i TYPE      sample type (default alloc_space), passed to dotgen.sh
  -e LABEL=CMD also time `CMD GRAPH > /dev/null` (repeatable)
  -q           quick: only nop and graphfocus PATTERN
  -h           this help
Environment: GRAPHFOCUS (default ./graphfocus), GRAPHDIFF (default
./graphdiff), GRAPHSTYLE (default ./graphstyle), NOP (default nop),
GNU_TIME (default /usr/bin/time), BENCH_RUNS.
EOF
}

die() {
	echo "graphs.sh: $*" >&2
	exit 2
}

RUNS=${BENCH_RUNS:-3}
PATTERN='svc07/pkg03\.'
FUNCS=100000
SAMPLES=300000
SEED=1
TYPE=alloc_space
EXTRA=
QUICK=
GF=${GRAPHFOCUS:-./graphfocus}
GD=${GRAPHDIFF:-./graphdiff}
GS=${GRAPHSTYLE:-./graphstyle}
NOP=${NOP:-nop}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
OUT=bench/out
nl='
'
while [ $# -gt 0 ]; do
	case $1 in
	-n) [ $# -ge 2 ] || die "-n needs a number"; RUNS=$2; shift ;;
	-P) [ $# -ge 2 ] || die "-P needs a pattern"; PATTERN=$2; shift ;;
	-f) [ $# -ge 2 ] || die "-f needs a number"; FUNCS=$2; shift ;;
	-s) [ $# -ge 2 ] || die "-s needs a number"; SAMPLES=$2; shift ;;
	-S) [ $# -ge 2 ] || die "-S needs a number"; SEED=$2; shift ;;
	-i) [ $# -ge 2 ] || die "-i needs a sample type"; TYPE=$2; shift ;;
	-e) [ $# -ge 2 ] || die "-e needs LABEL=CMD"
	    case $2 in *=?*) ;; *) die "-e wants LABEL=CMD, not '$2'" ;; esac
	    EXTRA=${EXTRA:+$EXTRA$nl}$2; shift ;;
	-q) QUICK=1 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
case $RUNS in ''|*[!0-9]*) die "not a number: '$RUNS'" ;; esac
[ "$RUNS" -ge 1 ] || die "-n: at least 1"
for v in "$FUNCS" "$SAMPLES" "$SEED"; do
	case $v in ''|*[!0-9]*) die "not a number: '$v'" ;; esac
done

"$GNU_TIME" -f '%e %M' -o /dev/null true 2>/dev/null ||
	die "GNU time not found at $GNU_TIME (Debian: apt-get install time)"
command -v "$NOP" >/dev/null 2>&1 ||
	die "Graphviz's nop not found (Debian: apt-get install graphviz)"
here=$(dirname "$0")
GRAPH=$(sh "$here/dotgen.sh" -f "$FUNCS" -s "$SAMPLES" -S "$SEED" -i "$TYPE") ||
	die "no graph"
mkdir -p "$OUT/logs" || die "cannot create $OUT/logs"
TMP=$OUT/logs/time.$$
trap 'rm -f "$TMP"' EXIT
trap 'exit 130' INT TERM

# ---- measuring (as bench/run.sh) ------------------------------------------

# shellcheck source=bench/measure.sh
. "$(dirname "$0")/measure.sh"

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) { print "-"; exit }
		printf "%.2f\n", a / b
	}'
}

N_WALL='' N_RSS='' F_WALL='' NB_WALL='' D_WALL='' S_WALL='' SR_WALL=''
notes=
runs=

# row LABEL CMD...: measure CMD and print its table row.
row() {
	label=$1
	shift
	log=$OUT/logs/graphs-$(printf '%s' "$label" | tr -c 'A-Za-z0-9_.-' '_').log
	measure "$log" "$@"
	if [ -z "$M_OK" ]; then
		echo "| $label | failed | - | - | - |"
		notes="$notes$nl$label failed: $M_ERR (stderr in $log)"
		return
	fi
	if [ "$label" = nop ]; then
		N_WALL=$M_WALL
		N_RSS=$M_RSS
	fi
	echo "| $label | $M_WALL | $M_RSS | $(ratio "$M_WALL" "$N_WALL") | $(ratio "$M_RSS" "$N_RSS") |"
	runs="$runs$nl  $label:$M_RUNS"
}

# missing LABEL: the row of a filter that is not built.
missing() {
	echo "| $1 | not built | - | - | - |"
}

# ---- the run ------------------------------------------------------------------

echo "graph: $GRAPH ($(sed -n 's/^nodes //p' "${GRAPH%.dot}.stats") nodes," \
    "$(sed -n 's/^edges //p' "${GRAPH%.dot}.stats") edges," \
    "$(awk '/^bytes / { printf "%.0f", $2 / 1048576 }' "${GRAPH%.dot}.stats") MB)"
cpu=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: $(uname -sm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs${cpu:+ ($cpu)}," \
    "$(date -u '+%Y-%m-%d'); median of $RUNS runs"
echo "pattern: $PATTERN"
echo
echo "| command | wall s | peak RSS MB | wall / nop | RSS / nop |"
echo "|---|---:|---:|---:|---:|"

row nop "$NOP" "$GRAPH"

if [ -x "$GF" ]; then
	row graphfocus "$GF" "$PATTERN" "$GRAPH"
	F_WALL=${M_OK:+$M_WALL}
	if [ -z "$QUICK" ]; then
		row "graphfocus untrimmed" "$GF" -n 0 --node-fraction=0 \
		    --edge-fraction=0 "$PATTERN" "$GRAPH"
		row "graphfocus everything" "$GF" -n 0 --node-fraction=0 \
		    --edge-fraction=0 '' "$GRAPH"
	fi
else
	missing graphfocus
fi

if [ -z "$QUICK" ]; then
	# graphdiff: the graph against a later snapshot of the same program
	# (same functions and seed, 10 % more samples).
	if [ -x "$GD" ]; then
		LATER=$(sh "$here/dotgen.sh" -f "$FUNCS" -s $((SAMPLES + SAMPLES / 10)) \
		    -S "$SEED" -i "$TYPE") || die "no second graph"
		# The floor for a filter reading two graphs: nop on both.
		row "nop both" "$NOP" "$GRAPH" "$LATER"
		NB_WALL=${M_OK:+$M_WALL}
		row graphdiff "$GD" "$GRAPH" "$LATER"
		D_WALL=${M_OK:+$M_WALL}
		row "graphdiff untrimmed" "$GD" -n 0 --node-fraction=0 \
		    --edge-fraction=0 "$GRAPH" "$LATER"
	else
		missing graphdiff
	fi
	# graphstyle: restyle the whole graph.
	if [ -x "$GS" ]; then
		row graphstyle "$GS" "$GRAPH"
		S_WALL=${M_OK:+$M_WALL}
		row "graphstyle retention" "$GS" -s retention "$GRAPH"
		SR_WALL=${M_OK:+$M_WALL}
	else
		missing graphstyle
	fi
fi

if [ -n "$EXTRA" ]; then
	while IFS= read -r e; do
		[ -n "$e" ] || continue
		row "${e%%=*}" sh -c "${e#*=} \"\$1\"" sh "$GRAPH"
	done <<EOF
$EXTRA
EOF
fi

[ -z "$notes" ] || printf '%s\n' "$notes"
echo
echo "every run (wall s/peak RSS MB):$runs"
if [ -n "$F_WALL" ] && [ -n "$N_WALL" ]; then
	echo
	echo "graphfocus/nop: $(ratio "$F_WALL" "$N_WALL") (target: at most 1.3)"
fi
if [ -n "$D_WALL" ] && [ -n "$NB_WALL" ]; then
	echo "graphdiff/nop both: $(ratio "$D_WALL" "$NB_WALL") (target: at most 2.5)"
fi
if [ -n "$S_WALL" ] && [ -n "$N_WALL" ]; then
	echo "graphstyle/nop: $(ratio "$S_WALL" "$N_WALL"), retention:" \
	    "$(ratio "$SR_WALL" "$N_WALL") (target: at most 1.3)"
fi
