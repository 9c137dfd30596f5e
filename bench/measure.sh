# bench/measure.sh -- timing shared by bench/run.sh and bench/graphs.sh
# (sourced, not run).  The caller sets RUNS, GNU_TIME and TMP (a scratch
# file for GNU time's report).
# shellcheck shell=sh disable=SC2034 # M_* are the callers'

# median N...: the median of the numbers.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2];
	          else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure LOG CMD...: run CMD < /dev/null > /dev/null RUNS times under
# GNU time, its standard error appended to LOG; set M_OK (1 if every run
# succeeded), M_WALL (s) and M_RSS (MB), medians, M_RUNS (every run,
# "wall/RSS ...") and M_ERR (why it failed).
measure() {
	log=$1
	shift
	walls=
	rsss=
	M_RUNS=
	i=0
	M_OK=1
	M_ERR=
	: >"$log"
	while [ "$i" -lt "$RUNS" ]; do
		"$GNU_TIME" -f '%e %M' -o "$TMP" "$@" </dev/null >/dev/null \
		    2>>"$log"
		rc=$?
		last=$(tail -n 1 "$TMP" 2>/dev/null)
		case $rc:$last in
		0:[0-9]*' '[0-9]*) ;;
		*)
			M_OK=
			M_ERR="exit $rc"
			sig=$(grep 'terminated by signal' "$TMP" 2>/dev/null)
			[ -z "$sig" ] || M_ERR="$M_ERR, $sig"
			return 0 ;;
		esac
		walls="$walls ${last% *}"
		rsss="$rsss ${last#* }"
		M_RUNS="$M_RUNS ${last% *}/$(awk -v k="${last#* }" \
		    'BEGIN { printf "%.0f", k / 1024 }')"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # split into one argument per run
	M_WALL=$(median $walls)
	# shellcheck disable=SC2086
	M_RSS=$(awk -v k="$(median $rsss)" 'BEGIN { printf "%.1f\n", k / 1024 }')
}
