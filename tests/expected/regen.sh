#!/bin/sh
# Regenerate tests/expected/: go tool pprof's own answers for every
# proto fixture, the reference that pprof2graph's numbers must equal.
#
# For each tests/fixtures/F.pb.gz and each sample type T in it (read from
# `go tool pprof -raw`), it writes
#   F/T.top          -top, untrimmed, every value as an exact integer
#   F/T.dot          -dot, untrimmed, every value as an exact integer
#   F/T.default.dot  -dot with pprof's default trimming and units
# See tests/expected/README.md for the exact command lines.
#
# Usage: tests/expected/regen.sh      (from any directory)
# Environment: GO, the go binary (default: go from PATH).
# Normally run by tests/fixtures/regen.sh (make regen-fixtures).

set -eu

prog=tests/expected/regen.sh
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd) || die "cannot find my own directory"
fixtures=$(cd "$here/../fixtures" && pwd) || die "no tests/fixtures beside me"

GO=${GO:-go}
command -v "$GO" >/dev/null 2>&1 ||
	die "'$GO' not found: Go is needed to run go tool pprof (set GO=/path/to/go)"
case $GO in
*/*) GO=$(cd "$(dirname "$GO")" && pwd)/$(basename "$GO") ;;
esac

# A fixed time zone makes the legend's Time: line stable; pprof's own
# environment variables could point it at binaries or tools, so drop them.
TZ=UTC
LC_ALL=C
export TZ LC_ALL
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR 2>/dev/null || :

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gmvexp.XXXXXX") || die "cannot make a scratch directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# pprof OUT ARG...: run go tool pprof ARG... with stdout to OUT.  Any
# failure, and anything at all on stderr, is an error: the expected
# files must come from clean runs.
pprof() {
	_out=$1
	shift
	if ! "$GO" tool pprof "$@" >"$_out" 2>"$tmp/stderr"; then
		sed 's/^/  /' "$tmp/stderr" >&2
		die "go tool pprof $* failed"
	fi
	# The one note pprof prints on success: how it read a tag filter.
	if grep -v "Interpreted '.*' as range, not regexp" "$tmp/stderr" >"$tmp/stderr2" &&
		[ -s "$tmp/stderr2" ]; then
		sed 's/^/  /' "$tmp/stderr" >&2
		die "go tool pprof $* wrote to stderr (see above)"
	fi
}

# check_top FILE: every flat and cum value of a -top listing, and the
# totals of its header, must be a plain integer (with at most a B or ns
# unit): no rounding anywhere, so the numbers can be compared exactly.
check_top() {
	awk '
		/^Showing nodes accounting for / {
			v = $5; sub(/,$/, "", v); t = $(NF - 1)
			if (v !~ /^-?[0-9]+(B|ns)?$/ || t !~ /^-?[0-9]+(B|ns)?$/) bad = bad "\n  " $0
		}
		rows && ($1 !~ /^-?[0-9]+(B|ns)?$/ || $4 !~ /^-?[0-9]+(B|ns)?$/) { bad = bad "\n  " $0 }
		$1 == "flat" && $2 == "flat%" { rows = 1 }
		END {
			if (!rows) { print FILENAME ": no table"; exit 1 }
			if (bad != "") { print FILENAME ": values that are not exact integers:" bad; exit 1 }
		}' "$1" >&2 || die "$1 is not exact"
}

# check_dot FILE: no value in the node labels ("\n1.50MB (", "of 1.50MB
# ("), edge labels (label=" 1.50MB") or tooltips ("(1.50MB)") of a -dot
# graph has a fractional part.  Percentages are not values and may.
check_dot() {
	if grep -E '(\\n|of )-?[0-9]+\.[0-9]+[A-Za-z]* \(|label=" -?[0-9]+\.[0-9]|\(-?[0-9]+\.[0-9]+[A-Za-z]*\)"' "$1" >&2; then
		die "$1: values that are not exact integers (above)"
	fi
}

cd "$fixtures"
set -- *.pb.gz
[ -e "$1" ] || die "no *.pb.gz fixtures in $fixtures"
set -f # from here on, words are split but never globbed ("bytes[dflt]")

for f; do
	name=${f%.pb.gz}
	out=$tmp/$name
	mkdir "$out"

	# -raw prints the sample types on the line after "Samples:", as
	# TYPE/UNIT, the default one marked [dflt] when the profile names it.
	pprof "$tmp/raw" -symbolize=none -raw "$f"
	types=$(sed -n '/^Samples:$/{n;p;q;}' "$tmp/raw")
	[ -n "$types" ] || die "$f: no sample types in go tool pprof -raw output"
	echo "$name: $types" >>"$tmp/summary"

	for st in $types; do
		st=${st%\[dflt\]}
		type=${st%%/*}
		# The unit that prints every value of the type as an integer:
		# the smallest of its family, so never a fraction.
		case ${st#*/} in
		bytes | byte | B) unit=B ;;
		nanoseconds | nanosecond | ns | microseconds | microsecond | us | \
			milliseconds | millisecond | ms | seconds | second | s) unit=ns ;;
		*) unit=count ;;
		esac

		pprof "$out/$type.top" -symbolize=none -top -nodecount=0 \
			-nodefraction=0 -edgefraction=0 -sample_index="$type" -unit="$unit" "$f"
		check_top "$out/$type.top"
		pprof "$out/$type.dot" -symbolize=none -dot -nodecount=0 \
			-nodefraction=0 -edgefraction=0 -sample_index="$type" -unit="$unit" "$f"
		check_dot "$out/$type.dot"
		# No -unit here on purpose: pprof keys numeric tags by their
		# formatted value, so the unit decides which tags merge ("1.50kB")
		# and so how many nodelets it counts when it selects the nodes.
		pprof "$out/$type.default.dot" -symbolize=none -dot -sample_index="$type" "$f"
	done
done

# Merged snapshots: pprof merges several profiles given together.
mkdir "$tmp/merged"
for type in inuse_space alloc_objects; do
	unit=B
	[ "$type" = alloc_objects ] && unit=count
	pprof "$tmp/merged/heap123.$type.top" -symbolize=none -top -nodecount=0 \
		-nodefraction=0 -edgefraction=0 -sample_index="$type" -unit="$unit" \
		heap1.pb.gz heap2.pb.gz heap3.pb.gz
	check_top "$tmp/merged/heap123.$type.top"
	pprof "$tmp/merged/heap123.$type.dot" -symbolize=none -dot -nodecount=0 \
		-nodefraction=0 -edgefraction=0 -sample_index="$type" -unit="$unit" \
		heap1.pb.gz heap2.pb.gz heap3.pb.gz
	check_dot "$tmp/merged/heap123.$type.dot"
done

# Other granularities, untrimmed, on one heap and the CPU profile.
mkdir "$tmp/granularity"
for g in filefunctions files lines addresses; do
	for fu in heap3:inuse_space:B cpu:cpu:ns; do
		f=${fu%%:*}
		rest=${fu#*:}
		type=${rest%%:*}
		unit=${rest#*:}
		o=$tmp/granularity/$f.$g.$type
		pprof "$o.top" -symbolize=none -top -nodecount=0 -nodefraction=0 \
			-edgefraction=0 -"$g" -sample_index="$type" \
			-unit="$unit" "$f.pb.gz"
		check_top "$o.top"
		pprof "$o.dot" -symbolize=none -dot -nodecount=0 -nodefraction=0 \
			-edgefraction=0 -"$g" -sample_index="$type" \
			-unit="$unit" "$f.pb.gz"
		check_dot "$o.dot"
	done
done

# Filters and diffs (tests/expected/cases.txt).
mkdir "$tmp/cases"
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r cname ctype cflags _ cfiles; do
	[ -n "$cname" ] || continue
	case $ctype in
	*_space) cunit=B ;;
	cpu | delay) cunit=ns ;;
	*) cunit=count ;;
	esac
	cflags=$(printf '%s' "$cflags" | sed "s|@/|$fixtures/|g")
	o=$tmp/cases/$cname
	# shellcheck disable=SC2086
	pprof "$o.top" -symbolize=none -top -nodecount=0 -nodefraction=0 \
		-edgefraction=0 -sample_index="$ctype" -unit="$cunit" $cflags $cfiles
	check_top "$o.top"
	# shellcheck disable=SC2086
	pprof "$o.dot" -symbolize=none -dot -nodecount=0 -nodefraction=0 \
		-edgefraction=0 -sample_index="$ctype" -unit="$cunit" $cflags $cfiles
	check_dot "$o.dot"
	# shellcheck disable=SC2086
	pprof "$o.default.dot" -symbolize=none -dot -sample_index="$ctype" \
		$cflags $cfiles
done

# Go's math.Log2 bit for bit, which pprof's node ordering rests on.
( cd "$fixtures/log2" && "$GO" run . ) >"$tmp/log2.txt" ||
	die "cannot run tests/fixtures/log2"

# Every run succeeded: replace the old answers, fixture by fixture.
for f; do
	name=${f%.pb.gz}
	rm -rf "${here:?}/$name"
	cp -R "$tmp/$name" "$here/$name"
done
for d in merged granularity cases; do
	rm -rf "${here:?}/$d"
	cp -R "$tmp/$d" "$here/$d"
done
cp "$tmp/log2.txt" "$here/log2.txt"
sed "s|^|$prog: |" "$tmp/summary"
