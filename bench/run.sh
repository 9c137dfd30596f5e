#!/bin/sh
# bench/run.sh -- time pprof2graph against `go tool pprof -dot`.
#
# Generates a synthetic Go-like heap profile with bench/synth (cached in
# bench/out/, keyed by its parameters), then, in one run on one machine,
# times `pprof2graph PROFILE > /dev/null` and `go tool pprof -dot
# PROFILE > /dev/null`, each RUNS times, and prints the median wall time
# and peak RSS (GNU time's %e and %M) as a Markdown table, with
# speedup = pprof wall / tool wall and memory ratio = tool RSS / pprof
# RSS.  Run it from the build directory:
#
#	make bench/synth && sh bench/run.sh
#
# POSIX sh; needs GNU time (Debian: apt-get install time) and go.

set -u

usage() {
	cat <<'EOF'
usage: sh bench/run.sh [options]
  -p PATH      pprof2graph binary (default $PPROF2GRAPH or ./pprof2graph)
  -a ARGS      extra arguments for pprof2graph (default $PPROF2GRAPH_ARGS)
  -n RUNS      measurements per command, median reported (default 3)
  -s SAMPLES   profile samples (default 200000)
  -f FUNCS     profile functions (default 20000)
  -d DEPTH     maximum stack depth (default 45)
  -S SEED      generator seed (default 1)
  -x SCALE     synth -x: SCALE times the samples, sqrt(SCALE) the functions
  -r           pessimistic profile: uniformly random stacks (synth -r)
  -e LABEL=CMD also time `CMD PROFILE > /dev/null` (repeatable), e.g.
               -e 'gunzip=gzip -dc' (bench/floor, when built, is timed anyway)
  --sizes      scaling table at $BENCH_SIZES samples (default 50000
               200000 800000), one row per size
  --no-pprof   do not run go tool pprof (ratios are left out)
  -h           this help
Environment: PPROF2GRAPH, PPROF2GRAPH_ARGS, BENCH_RUNS, BENCH_SIZES,
BENCH_EXTRA (newline-separated LABEL=CMD), GNU_TIME (default /usr/bin/time),
SYNTH (default bench/synth), FLOOR (default bench/floor), GO (default go).
EOF
}

die() {
	echo "run.sh: $*" >&2
	exit 2
}

P2G=${PPROF2GRAPH:-./pprof2graph}
P2G_ARGS=${PPROF2GRAPH_ARGS:-}
RUNS=${BENCH_RUNS:-3}
SAMPLES=200000
FUNCS=20000
DEPTH=45
SEED=1
SCALE=1
RANDOM_STACKS=
SIZES_MODE=
SIZES=${BENCH_SIZES:-50000 200000 800000}
EXTRA=${BENCH_EXTRA:-}
NO_PPROF=
GNU_TIME=${GNU_TIME:-/usr/bin/time}
SYNTH=${SYNTH:-bench/synth}
FLOOR=${FLOOR:-bench/floor}
GO=${GO:-go}
OUT=bench/out

nl='
'
while [ $# -gt 0 ]; do
	case $1 in
	-p) [ $# -ge 2 ] || die "-p needs a path"; P2G=$2; shift ;;
	-a) [ $# -ge 2 ] || die "-a needs arguments"; P2G_ARGS=$2; shift ;;
	-n) [ $# -ge 2 ] || die "-n needs a number"; RUNS=$2; shift ;;
	-s) [ $# -ge 2 ] || die "-s needs a number"; SAMPLES=$2; shift ;;
	-f) [ $# -ge 2 ] || die "-f needs a number"; FUNCS=$2; shift ;;
	-d) [ $# -ge 2 ] || die "-d needs a number"; DEPTH=$2; shift ;;
	-S) [ $# -ge 2 ] || die "-S needs a number"; SEED=$2; shift ;;
	-x) [ $# -ge 2 ] || die "-x needs a number"; SCALE=$2; shift ;;
	-r) RANDOM_STACKS=1 ;;
	-e) [ $# -ge 2 ] || die "-e needs LABEL=CMD"
	    case $2 in *=?*) ;; *) die "-e wants LABEL=CMD, not '$2'" ;; esac
	    EXTRA=${EXTRA:+$EXTRA$nl}$2; shift ;;
	--sizes) SIZES_MODE=1 ;;
	--no-pprof) NO_PPROF=1 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

for v in "$RUNS" "$SAMPLES" "$FUNCS" "$DEPTH" "$SEED" "$SCALE"; do
	case $v in ''|*[!0-9]*) die "not a number: '$v'" ;; esac
done
[ "$RUNS" -ge 1 ] || die "-n: at least 1"

"$GNU_TIME" -f '%e %M' -o /dev/null true 2>/dev/null ||
	die "GNU time not found at $GNU_TIME (Debian: apt-get install time)"
if [ ! -x "$SYNTH" ]; then
	make bench/synth >&2 || die "make bench/synth failed"
fi
mkdir -p "$OUT/logs" || die "cannot create $OUT"
TMP=$OUT/logs/time.$$
trap 'rm -f "$TMP"' EXIT
trap 'exit 130' INT TERM

# ---- profiles ---------------------------------------------------------

# gen_profile SAMPLES: set PROFILE to the cached profile (generated if
# missing or older than the generator) and STATS to synth's statistics.
gen_profile() {
	name=synth-s$1-f$FUNCS-d$DEPTH-S$SEED-x$SCALE${RANDOM_STACKS:+-r}
	PROFILE=$OUT/$name.pb.gz
	STATS=$OUT/$name.stats
	if [ -s "$PROFILE" ] && [ -s "$STATS" ] &&
	    [ -z "$(find "$SYNTH" -newer "$PROFILE")" ]; then
		return 0
	fi
	echo "generating $PROFILE ..." >&2
	"$SYNTH" -v -s "$1" -f "$FUNCS" -d "$DEPTH" -S "$SEED" -x "$SCALE" \
	    ${RANDOM_STACKS:+-r} -o "$PROFILE.tmp" 2> "$STATS.tmp" || {
		cat "$STATS.tmp" >&2
		rm -f "$PROFILE.tmp" "$STATS.tmp"
		die "$SYNTH failed"
	}
	if ! mv "$PROFILE.tmp" "$PROFILE" || ! mv "$STATS.tmp" "$STATS"; then
		die "cannot write $PROFILE"
	fi
}

# ---- measuring ----------------------------------------------------------

# shellcheck source=bench/measure.sh
. "$(dirname "$0")/measure.sh"

# The tools, one per line: LABEL<TAB>KIND<TAB>CMD, KIND being pprof,
# p2g or extra.
tab=$(printf '\t')
TOOLS=
[ -n "$NO_PPROF" ] || TOOLS="go tool pprof -dot${tab}pprof${tab}"
TOOLS=${TOOLS:+$TOOLS$nl}"pprof2graph${tab}p2g${tab}"
# The floor (bench/floor.c: gunzip + one protobuf-c unpack of the whole
# message), when built: make bench builds it.
[ ! -x "$FLOOR" ] || TOOLS="$TOOLS${nl}floor (gunzip + unpack)${tab}floor${tab}"
if [ -n "$EXTRA" ]; then
	while IFS= read -r e; do
		[ -n "$e" ] || continue
		TOOLS="$TOOLS$nl${e%%=*}${tab}extra${tab}${e#*=}"
	done <<EOF
$EXTRA
EOF
fi

# run_tool LABEL KIND CMD: measure one tool on $PROFILE; set the M_*
# results (a missing tool fails without running).
run_tool() {
	log=$OUT/logs/$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' '_').log
	case $2 in
	pprof)
		if ! command -v "$GO" > /dev/null 2>&1; then
			M_OK=''
			M_ERR="$GO not found"
			return
		fi
		measure "$log" env TZ=UTC "$GO" tool pprof -dot "$PROFILE" ;;
	p2g)
		if [ ! -x "$P2G" ]; then
			M_OK=''
			M_ERR="not found: $P2G"
			return
		fi
		# shellcheck disable=SC2086 # P2G_ARGS is a list of words
		measure "$log" "$P2G" $P2G_ARGS "$PROFILE" ;;
	floor)
		measure "$log" "$FLOOR" "$PROFILE" ;;
	extra)
		measure "$log" sh -c "$3 \"\$1\"" sh "$PROFILE" ;;
	esac
	[ -n "$M_OK" ] || M_ERR="$M_ERR (stderr in $log)"
}

# ratio A B: A / B with two significant decimals, or "-".
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) { print "-"; exit }
		r = a / b
		fmt = r >= 10 ? "%.1f\n" : (r >= 0.1 ? "%.2f\n" : "%.3f\n")
		printf fmt, r
	}'
}

machine() {
	cpu=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
	ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
	gov=$("$GO" version 2>/dev/null | awk '{ print $3 }')
	echo "$(uname -sm), $ncpu CPUs${cpu:+ ($cpu)}, ${gov:-no go}," \
	    "$(date -u '+%Y-%m-%d')"
}

gz_mb() {
	wc -c < "$1" | awk '{ printf "%.1f\n", $1 / 1048576 }'
}

# ---- one profile ---------------------------------------------------------

single() {
	gen_profile "$SAMPLES"
	echo "profile: $PROFILE ($(gz_mb "$PROFILE") MB gzipped)"
	sed 's/^synth: /  /' "$STATS"
	echo "machine: $(machine); median of $RUNS runs"
	echo
	echo "| tool | wall s | peak RSS MB | pprof speedup | memory ratio |"
	echo "|---|---:|---:|---:|---:|"
	P_WALL='' P_RSS='' G_WALL='' G_RSS='' F_WALL='' F_RSS=''
	notes=
	runs=
	while IFS="$tab" read -r label kind cmd; do
		[ -n "$label" ] || continue
		run_tool "$label" "$kind" "$cmd"
		if [ -z "$M_OK" ]; then
			echo "| $label | failed | - | - | - |"
			notes="$notes$nl$label failed: $M_ERR"
			continue
		fi
		case $kind in
		pprof) P_WALL=$M_WALL; P_RSS=$M_RSS ;;
		p2g) G_WALL=$M_WALL; G_RSS=$M_RSS ;;
		floor) F_WALL=$M_WALL; F_RSS=$M_RSS ;;
		esac
		echo "| $label | $M_WALL | $M_RSS | $(ratio "$P_WALL" "$M_WALL") |" \
		    "$(ratio "$M_RSS" "$P_RSS") |"
		runs="$runs$nl  $label:$M_RUNS"
	done <<EOF
$TOOLS
EOF
	[ -z "$notes" ] || printf '%s\n' "$notes"
	echo
	if [ -n "$G_WALL" ]; then
		[ -z "$P_WALL" ] || echo "go tool pprof / pprof2graph wall:" \
		    "$(ratio "$P_WALL" "$G_WALL") (target: at least 30);" \
		    "pprof2graph / go tool pprof RSS: $(ratio "$G_RSS" "$P_RSS")" \
		    "(target: at most 0.1)"
		[ -z "$F_WALL" ] || echo "pprof2graph / floor wall:" \
		    "$(ratio "$G_WALL" "$F_WALL") (target: at most 2);" \
		    "RSS: $(ratio "$G_RSS" "$F_RSS") (target: at most 0.5)"
		echo
	fi
	echo "every run (wall s/peak RSS MB):$runs"
}

# ---- scaling table ----------------------------------------------------------

sizes() {
	for s in $SIZES; do
		gen_profile "$s"
	done
	echo "profiles: $OUT/synth-s<N>-f$FUNCS-d$DEPTH-S$SEED-x$SCALE${RANDOM_STACKS:+-r}.pb.gz"
	echo "machine: $(machine); median of $RUNS runs; wall s / peak RSS MB"
	echo
	head="| samples | gz MB"
	rule="|---:|---:"
	while IFS="$tab" read -r label kind cmd; do
		[ -n "$label" ] || continue
		head="$head | $label s | MB"
		rule="$rule|---:|---:"
	done <<EOF
$TOOLS
EOF
	echo "$head | pprof speedup | memory ratio |"
	echo "$rule|---:|---:|"
	notes=
	for s in $SIZES; do
		gen_profile "$s"
		row="| $s | $(gz_mb "$PROFILE")"
		P_WALL='' P_RSS='' G_WALL='' G_RSS=''
		while IFS="$tab" read -r label kind cmd; do
			[ -n "$label" ] || continue
			run_tool "$label" "$kind" "$cmd"
			if [ -z "$M_OK" ]; then
				row="$row | failed | -"
				notes="$notes$nl$label failed at $s samples: $M_ERR"
				continue
			fi
			row="$row | $M_WALL | $M_RSS"
			case $kind in
			pprof) P_WALL=$M_WALL; P_RSS=$M_RSS ;;
			p2g) G_WALL=$M_WALL; G_RSS=$M_RSS ;;
			esac
		done <<EOF
$TOOLS
EOF
		echo "$row | $(ratio "$P_WALL" "$G_WALL") | $(ratio "$G_RSS" "$P_RSS") |"
	done
	[ -z "$notes" ] || printf '%s\n' "$notes"
}

if [ -n "$SIZES_MODE" ]; then
	sizes
else
	single
fi
