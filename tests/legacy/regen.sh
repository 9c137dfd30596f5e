#!/bin/sh
# Regenerate the generated inputs of tests/legacy.sh and go tool pprof's
# answers for them and for the text fixtures.  For maintainers (needs Go);
# the results are committed, so make check never needs Go.
#
#   gen-*.txt            Go text profiles written here by awk (fixed
#                        pseudo-random numbers, so the same bytes every
#                        run): many records of varied counts and sizes,
#                        each with its own leaf address and no symbol
#                        lines, so that go tool pprof -addresses shows
#                        every record's unsampled values on its own node.
#   expected/F.T.top     go tool pprof -top -addresses for each of them
#                        and each sample type T, in exact units.
#   pprof-totals.txt     go tool pprof's total of every sample type of
#                        every text fixture (it cannot symbolize them,
#                        so the totals are what it can say).
#
# Usage: tests/legacy/regen.sh    (from any directory; GO=/path/to/go)

set -eu
here=$(cd "$(dirname "$0")" && pwd)
GO=${GO:-go}
fixtures=$here/../fixtures
cd "$here"

# gen KIND SEED N HEADER: records on stdout (see the awk for the kinds).
gen() {
	awk -v kind="$1" -v seed="$2" -v n="$3" -v header="$4" '
	function rnd(m,  a) { seed = (seed * 1103515245 + 12345) % 2147483648; a = int(seed / 65536); seed = (seed * 1103515245 + 12345) % 2147483648; return (a * 32768 + int(seed / 65536)) % m }
	BEGIN {
		split("8 16 24 32 48 64 80 96 112 128 144 160 176 192 208 224 240 256 288 320 352 384 416 448 480 512 576 640 704 768 896 1024 1152 1280 1408 1536 1792 2048 2304 2688 3072 3200 3456 4096 4864 5376 6144 6528 6784 6912 8192 9472 9728 10240 10880 12288 13568 14336 16384 18432 19072 20480 21760 24576 27264 28672 32768 65536 114688 1048576 33554432", sz, " ")
		nsz = 71
		for (i = 1; i <= n; i++) {
			if (kind == "heap" || kind == "noalloc") {
				s = sz[rnd(nsz) + 1]
				ac = rnd(6) == 0 ? rnd(3) + 1 : rnd(20000) + 1
				ic = kind == "noalloc" ? ac : (rnd(4) == 0 ? 0 : rnd(ac + 1))
				rec[i] = sprintf("%.0f: %.0f [%.0f: %.0f] @ 0x%x 0x4c0001", ic, ic * s, ac, ac * s, 65536 + 16 * i + 1)
				ti += ic; tb += ic * s; ta += ac; tab += ac * s
			} else if (kind == "mutex") {
				rec[i] = sprintf("%.0f %.0f @ 0x%x 0x4c0001", rnd(2000000000) * (rnd(3) + 1) + rnd(1000), rnd(5000) + 1, 65536 + 16 * i + 1)
			} else {
				c = rnd(5) == 0 ? sprintf("0%o", rnd(64) + 1) : sprintf("%d", rnd(500) + 1)
				rec[i] = sprintf("%s @ 0x%x 0x4c0001", c, 65536 + 16 * i + 1)
			}
		}
		if (kind == "heap" || kind == "noalloc")
			printf "heap profile: %.0f: %.0f [%.0f: %.0f] @ %s\n", ti, tb, ta, tab, header
		else
			printf "%s\n", header
		for (i = 1; i <= n; i++)
			printf "%s\n", rec[i]
	}'
}

gen heap 1 400 heap/8192 >gen-heap.txt
gen heap 2 200 heap/1048576 >gen-heap-default-rate.txt
gen heap 3 200 heap_v2/524288 >gen-heap-v2.txt
gen heap 4 100 heapprofile >gen-heapprofile.txt
gen noalloc 5 100 heap/8192 >gen-noalloc.txt
gen mutex 6 300 "--- mutex:
cycles/second=2445414177
sampling period=5" >gen-mutex-period.txt
gen mutex 7 100 "--- contention:
cycles/second=3000000001" >gen-block.txt
gen mutex 8 100 "--- contention:" >gen-block-nohz.txt
gen count 9 100 "goroutine profile: total 0" >gen-count-octal.txt

unit() {
	case $1 in
	*space | space) echo B ;;
	delay) echo ns ;;
	*) echo count ;;
	esac
}

# types F: the sample types go tool pprof reads from F.
types() {
	"$GO" tool pprof -symbolize=none -raw "$1" 2>/dev/null |
		awk '/^Samples:/ { getline; for (i = 1; i <= NF; i++) { sub(/\/.*/, "", $i); print $i }; exit }'
}

rm -rf expected.new
mkdir expected.new
for f in gen-*.txt; do
	for t in $(types "$f"); do
		"$GO" tool pprof -symbolize=none -top -addresses -nodecount=0 \
			-nodefraction=0 -edgefraction=0 -sample_index="$t" \
			-unit="$(unit "$t")" "$f" 2>/dev/null |
			sed -n '/^ *flat  flat%/,$p' >"expected.new/${f%.txt}.$t.top"
		[ -s "expected.new/${f%.txt}.$t.top" ] || { echo "$0: no answer for $f $t" >&2; exit 1; }
	done
done

{
	echo "# fixture sample_type total, as go tool pprof reads tests/fixtures/FIXTURE.txt"
	for fx in heap1 heap2 heap3 allocs goroutine mutex block; do
		for t in $(types "$fixtures/$fx.txt"); do
			tot=$("$GO" tool pprof -symbolize=none -top -sample_index="$t" \
				-unit="$(unit "$t")" "$fixtures/$fx.txt" 2>/dev/null |
				sed -n 's/.* of \([0-9]*\)[a-zA-Z]* total$/\1/p')
			[ -n "$tot" ] || { echo "$0: no total for $fx $t" >&2; exit 1; }
			echo "$fx $t $tot"
		done
	done
} >pprof-totals.new
rm -rf expected
mv expected.new expected
mv pprof-totals.new pprof-totals.txt
echo "$0: wrote $(ls gen-*.txt | wc -l) inputs, $(ls expected | wc -l) answers, pprof-totals.txt"
