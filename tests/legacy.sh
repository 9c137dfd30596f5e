#!/bin/sh
# Go's legacy text profiles (debug=1, src/legacy.c).
#
#   1. For every fixture written both ways at the same moment (heap1..3,
#      allocs, mutex, block) and every sample type, the graph of the .txt
#      equals the graph of the .pb.gz: every node's flat and cum, every
#      edge's value and inline and residual flags, untrimmed, with the
#      default trimming, and at every granularity.  For goroutine, where
#      Go's text writer hides the leading runtime frames that its proto
#      writer keeps, every frame the text names has the proto's cum, every
#      edge between them the proto's value, and what is missing is
#      runtime.* only.
#   2. go tool pprof's own numbers for text: the totals of the fixtures,
#      and every record of generated texts (tests/legacy/gen-*.txt, one
#      leaf address each, so pprof -addresses shows each record alone)
#      for heap (several rates, heap_v2, heapprofile, in-use only), mutex
#      with a sampling period, block with and without cycles/second, and
#      octal goroutine counts.  (tests/legacy/regen.sh made the answers.)
#   3. Odd but valid hand-written texts equal hand-built protos: several
#      symbol lines for one address, recursion through an inlined call,
#      hidden frames, an unsymbolizable stack, goroutine labels; gzipped,
#      CRLF and standard input; merging text with proto.
#   4. Hostile texts: exit 2, nothing on stdout, one line on stderr,
#      "pprof2graph: FILE:LINE: what is wrong".

. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lib-pprof.sh"

LEG=$top_srcdir/tests/legacy
EXP=$top_srcdir/tests/expected
UNTRIMMED="-n 0 --node-fraction=0 --edge-fraction=0"

# canon OUT ARGS...: pprof2graph ARGS, canonical rows (graph line dropped:
# a text profile does not name the binary) into OUT.
canon() {
	_out=$1
	shift
	pprof2graph "$@" >"$_out.dot" 2>"$_out.err" || {
		sed 's/^/# /' "$_out.err"
		return 1
	}
	dotcanon -t -k flat,cum,inline,residual "$_out.dot" | sed 1d >"$_out"
}

# same_graph DESC ARGS_A -- ARGS_B: the two graphs are equal.
same_graph() {
	_d=$1
	shift
	_a=
	while [ "$1" != -- ]; do
		_a="$_a $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	if canon "$TMP/a" $_a && canon "$TMP/b" "$@"; then
		same_file "$_d ($(wc -l <"$TMP/b" | tr -d ' ') rows)" "$TMP/a" "$TMP/b"
	else
		not_ok "$_d (pprof2graph failed)"
	fi
}

# The sample types of fixture F, from go tool pprof's answers.
types_of() {
	for _t in "$EXP/$1"/*.top; do basename "$_t" .top; done
}

# ---------------------------------------------------------------- 1.

for fx in heap1 heap2 heap3 allocs mutex block; do
	for t in $(types_of $fx); do
		# shellcheck disable=SC2086
		same_graph "$fx.txt = $fx.pb.gz, $t, untrimmed" \
			$UNTRIMMED -i "$t" "$FIXTURES/$fx.txt" -- \
			$UNTRIMMED -i "$t" "$FIXTURES/$fx.pb.gz"
		same_graph "$fx.txt = $fx.pb.gz, $t, default trimming" \
			-i "$t" "$FIXTURES/$fx.txt" -- -i "$t" "$FIXTURES/$fx.pb.gz"
		for g in lines addresses files filefunctions; do
			# shellcheck disable=SC2086
			same_graph "$fx.txt = $fx.pb.gz, $t, -g $g, untrimmed" \
				$UNTRIMMED -g $g -i "$t" "$FIXTURES/$fx.txt" -- \
				$UNTRIMMED -g $g -i "$t" "$FIXTURES/$fx.pb.gz"
		done
	done
done

# rows FILE: "N name flat cum" and "E src dst value inline residual".
rows() {
	awk -F '\t' '
		$1 == "N" && $3 ~ /^cum=/ {
			printf "N\t%s\t%s\t%s\n", $2, substr($4, 6), substr($3, 5)
		}
		$1 == "E" {
			w = ""; inl = "false"; res = "false"
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^cum=/) w = substr($i, 5)
				if ($i == "inline=true") inl = "true"
				if ($i == "residual=true") res = "true"
			}
			printf "E\t%s\t%s\t%s\t%s\t%s\n", $2, $3, w, inl, res
		}' "$1"
}

# goroutine: the text names fewer frames; what it names must agree.
# shellcheck disable=SC2086
if canon "$TMP/gt" $UNTRIMMED "$FIXTURES/goroutine.txt" &&
	canon "$TMP/gp" $UNTRIMMED "$FIXTURES/goroutine.pb.gz"; then
	rows "$TMP/gt" >"$TMP/gt.rows"
	rows "$TMP/gp" >"$TMP/gp.rows"
	awk -F '\t' '
		FNR == NR { if ($1 == "N") { cum[$2] = $4; names[$2] = 1 }
			else { ew[$2 "\t" $3] = $4; ef[$2 "\t" $3] = $5 "\t" $6; out[$2] = out[$2] " " $3 } next }
		$1 == "N" { tn[$2] = 1; tflat[$2] = $3; tcum[$2] = $4; next }
		$1 == "E" { te[$2 "\t" $3] = $4 "\t" $5 "\t" $6 }
		END {
			for (n in tn) {
				if (!(n in names)) print "node only in the text: " n
				else if (tcum[n] != cum[n]) print "cum of " n ": " tcum[n] " in the text, " cum[n] " in the proto"
				# flat in the text: the proto cum less what flows on to
				# frames the text names
				f = cum[n]; split(out[n], o, " ")
				for (i in o) if (o[i] in tn) f -= ew[n "\t" o[i]]
				if (tflat[n] != f) print "flat of " n ": " tflat[n] " in the text, want " f
			}
			for (e in te) if (!(e in ew) || te[e] != ew[e] "\t" ef[e]) print "edge " e ": " te[e]
			for (n in names) if (!(n in tn) && n !~ /^runtime\./) print "missing in the text: " n
		}' "$TMP/gp.rows" "$TMP/gt.rows" >"$TMP/gdiff"
	if [ ! -s "$TMP/gdiff" ] && [ -s "$TMP/gt.rows" ]; then
		ok "goroutine.txt agrees with goroutine.pb.gz on every frame it names ($(grep -c '^N' "$TMP/gt.rows") nodes, $(grep -c '^E' "$TMP/gt.rows") edges; $(grep -c '^N	runtime\.' "$TMP/gp.rows") leading runtime nodes only in the proto)"
	else
		not_ok "goroutine.txt agrees with goroutine.pb.gz on every frame it names"
		sed 's/^/# /' "$TMP/gdiff" | head -20
	fi
else
	not_ok "goroutine.txt agrees with goroutine.pb.gz (pprof2graph failed)"
fi

# ---------------------------------------------------------------- 2.

# total FILE ARGS...: the graph's total attribute.
total() {
	_f=$1
	shift
	pprof2graph "$@" "$_f" | dotcanon -t -k total | sed -n '1s/.*total=//p'
}

while read -r fx t want; do
	case $fx in '#'*) continue ;; esac
	is "$fx.txt $t total as go tool pprof reads it ($want)" \
		"$(total "$FIXTURES/$fx.txt" -i "$t")" "$want"
done <"$LEG/pprof-totals.txt"

for top in "$LEG"/expected/*.top; do
	b=$(basename "$top" .top)
	f=${b%.*}
	t=${b##*.}
	top_rows "$top" | sort >"$TMP/want"
	# shellcheck disable=SC2086
	if canon "$TMP/got" $UNTRIMMED -g addresses -i "$t" "$LEG/$f.txt"; then
		rows "$TMP/got" | grep '^N' | sort >"$TMP/got.rows"
		same_file "$f.txt $t: every record as go tool pprof -addresses ($(wc -l <"$TMP/want" | tr -d ' ') nodes)" \
			"$TMP/got.rows" "$TMP/want"
	else
		not_ok "$f.txt $t (pprof2graph failed)"
	fi
done

# ---------------------------------------------------------------- 3.

cat >"$TMP/inline-oneaddr.spec" <<'SPEC'
types goroutine/count
period goroutine/count 1
function 1 main.inner a.go
function 2 main.outer a.go
function 3 main.caller a.go
function 4 main.main a.go
location 1 addr=0x1010 lines=1:5,2:10
location 2 addr=0x2020 lines=3:20
location 3 addr=0x3030 lines=4:30
sample 1,2,3 values=3
SPEC
cat >"$TMP/inline-recursion.spec" <<'SPEC'
types alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes
period space/bytes 1
function 1 main.walk t.go
function 2 main.step t.go
function 3 main.helper t.go
function 4 main.run t.go
function 5 main.main t.go
location 1 addr=0x1010 lines=1:11
location 2 addr=0x1050 lines=2:21,1:12
location 3 addr=0x2040 lines=3:31,4:41
location 4 addr=0x3010 lines=5:51
location 5 addr=0x2070 lines=4:41
location 6 addr=0xa000
location 7 addr=0xb000
sample 1,2,3,4 values=2,8192,1,4096 numlabel=bytes:4096
sample 5,4 values=1,512,1,512 numlabel=bytes:512
sample 6,7 values=1,100,1,100 numlabel=bytes:100
SPEC
cat >"$TMP/labels.spec" <<'SPEC'
types goroutine/count
period goroutine/count 1
function 1 main.wait l.go
function 2 main.main l.go
location 1 addr=0x1010 lines=1:5
location 2 addr=0x2020 lines=2:9
sample 1,2 values=3 label=pool:"wor\"kers" label="tab\t":"\xc3\xa9AA"
sample 1,2 values=2
SPEC
for c in inline-oneaddr inline-recursion labels; do
	mkprof -o "$TMP/$c.pb" "$TMP/$c.spec"
	for g in functions lines addresses; do
		# shellcheck disable=SC2086
		same_graph "$c.txt = the proto it stands for, -g $g" \
			$UNTRIMMED -g $g -i 0 "$LEG/$c.txt" -- \
			$UNTRIMMED -g $g -i 0 "$TMP/$c.pb"
	done
done
# shellcheck disable=SC2086
same_graph "inline-recursion.txt merged with its proto = the proto twice" \
	$UNTRIMMED -g lines "$LEG/inline-recursion.txt" "$TMP/inline-recursion.pb" -- \
	$UNTRIMMED -g lines "$TMP/inline-recursion.pb" "$TMP/inline-recursion.pb"

gzip -c "$FIXTURES/heap3.txt" >"$TMP/heap3.txt.gz"
# shellcheck disable=SC2086
same_graph "gzipped text = proto" $UNTRIMMED "$TMP/heap3.txt.gz" -- \
	$UNTRIMMED "$FIXTURES/heap3.pb.gz"
sed 's/$/\r/' "$FIXTURES/mutex.txt" >"$TMP/mutex-crlf.txt"
# shellcheck disable=SC2086
same_graph "CRLF text = proto" $UNTRIMMED "$TMP/mutex-crlf.txt" -- \
	$UNTRIMMED "$FIXTURES/mutex.pb.gz"
if pprof2graph $UNTRIMMED - <"$FIXTURES/block.txt" >"$TMP/stdin.dot" &&
	dotcanon -t -k flat,cum,inline,residual "$TMP/stdin.dot" | sed 1d >"$TMP/stdin" &&
	canon "$TMP/blockpb" $UNTRIMMED "$FIXTURES/block.pb.gz"; then
	same_file "text on standard input = proto" "$TMP/stdin" "$TMP/blockpb"
else
	not_ok "text on standard input (pprof2graph failed)"
fi
for f in empty-profile empty-mutex; do
	is "$f.txt (a header, no records) is an empty profile" \
		"$(total "$LEG/$f.txt")" 0
done

for t in inuse_space alloc_objects; do
	# shellcheck disable=SC2086
	same_graph "heap1.txt + heap1.pb.gz = heap1.pb.gz twice, $t" \
		$UNTRIMMED -i $t "$FIXTURES/heap1.txt" "$FIXTURES/heap1.pb.gz" -- \
		$UNTRIMMED -i $t "$FIXTURES/heap1.pb.gz" "$FIXTURES/heap1.pb.gz"
	# shellcheck disable=SC2086
	same_graph "heap1..3.txt merged = heap1..3.pb.gz merged, $t" \
		$UNTRIMMED -i $t "$FIXTURES/heap1.txt" "$FIXTURES/heap2.txt" "$FIXTURES/heap3.txt" -- \
		$UNTRIMMED -i $t "$FIXTURES/heap1.pb.gz" "$FIXTURES/heap2.pb.gz" "$FIXTURES/heap3.pb.gz"
	# shellcheck disable=SC2086
	if canon "$TMP/m" $UNTRIMMED -i $t "$FIXTURES/heap1.txt" "$FIXTURES/heap2.pb.gz" "$FIXTURES/heap3.txt"; then
		rows "$TMP/m" | grep '^N' | sort >"$TMP/m.rows"
		top_rows "$EXP/merged/heap123.$t.top" | sort >"$TMP/m.want"
		same_file "heap1.txt + heap2.pb.gz + heap3.txt, $t: as go tool pprof merges the protos" \
			"$TMP/m.rows" "$TMP/m.want"
	else
		not_ok "heap1.txt + heap2.pb.gz + heap3.txt (pprof2graph failed)"
	fi
done
is "goroutine.txt + goroutine.pb.gz merge (same sample types)" \
	"$(total "$FIXTURES/goroutine.txt" "$FIXTURES/goroutine.pb.gz")" 80

# ---------------------------------------------------------------- 4.

# refuse FILE LINE PATTERN [ARGS...]: pprof2graph ARGS FILE exits 2 with
# nothing on stdout and "pprof2graph: FILE:LINE: ...PATTERN..." alone on
# stderr (LINE - for a message without a line number).
refuse() {
	_f=$1 _l=$2 _pat=$3
	shift 3
	timeout 60 pprof2graph "$@" "$_f" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	_q=$(printf '%s' "$_f" | sed 's/[.[\*^$]/\\&/g')
	[ "$_l" = - ] && _at= || _at=":$_l"
	if [ "$_rc" -eq 2 ] && [ ! -s "$TMP/out" ] &&
		[ "$(wc -l <"$TMP/err")" -eq 1 ] &&
		grep -Eq "^pprof2graph: $_q$_at: .*($_pat)" "$TMP/err"; then
		ok "$(basename "$_f"): $(sed "s|^pprof2graph: $_q||" "$TMP/err" | cut -c 1-120)"
	else
		not_ok "$(basename "$_f"): exit $_rc, $(wc -c <"$TMP/out") bytes out"
		sed 's/^/# stderr: /' "$TMP/err" | head -5
	fi
}

refuse "$FIXTURES/threadcreate.txt" 2 "a record without a stack"
refuse "$LEG/bad-heap-no-stack.txt" 2 "a record without a stack"
refuse "$LEG/bad-count.txt" 2 "not a record"
refuse "$LEG/bad-garbage.txt" 5 "not a record .*hello world"
refuse "$LEG/bad-count-overflow.txt" 2 "does not fit in a 64-bit integer"
refuse "$LEG/bad-count-octal.txt" 2 "not an octal number"
refuse "$LEG/bad-heap-overflow.txt" 2 "in-use bytes .* does not fit in a 64-bit integer"
refuse "$LEG/bad-heap-unsample-overflow.txt" 2 "unsampling .* overflows a 64-bit integer"
refuse "$LEG/bad-heap-zero-count.txt" 2 "in-use count is 0 but the in-use bytes are 100"
refuse "$LEG/bad-heap-truncated-header.txt" 1 "malformed heap profile header"
refuse "$LEG/bad-heap-kind.txt" 1 "unknown heap profile kind"
refuse "$LEG/bad-count-header.txt" 1 "malformed header"
refuse "$LEG/bad-sum-overflow.txt" 4 "sum of sample values overflows a 64-bit integer"
refuse "$LEG/bad-period-overflow.txt" 4 "sampling period overflows a 64-bit integer"
refuse "$LEG/bad-delay-overflow.txt" 4 "delay in nanoseconds overflows a 64-bit integer"
refuse "$LEG/bad-attribute-value.txt" 2 "cycles/second \"\" is not a number"
refuse "$LEG/bad-attribute-unknown.txt" 2 "unknown attribute \"format\""
refuse "$LEG/bad-record-first.txt" 1 "a record before the profile header"
refuse "$LEG/bad-address.txt" 2 "\"0x12zz\" is not a hexadecimal address"
refuse "$LEG/bad-address-big.txt" 2 "does not fit in 64 bits"
refuse "$LEG/bad-address-decimal.txt" 2 "not a hexadecimal address"
refuse "$LEG/bad-symbol-no-record.txt" 2 "a symbol line outside a record"
refuse "$LEG/bad-symbol-after-blank.txt" 4 "a symbol line outside a record"
refuse "$LEG/bad-symbol-mismatch.txt" 3 "names no address of the stack of the record on line 2"
refuse "$LEG/bad-symbol-before-header.txt" 1 "a symbol line before the profile header"
refuse "$LEG/bad-symbol-no-file.txt" 3 "without FILE:LINE"
refuse "$LEG/bad-symbol-line-overflow.txt" 3 "line number .* does not fit"
refuse "$LEG/bad-symbol-address.txt" 3 "not a hexadecimal address"
refuse "$LEG/bad-second-header.txt" 4 "a second profile header"
refuse "$LEG/bad-debug2.txt" 1 "goroutine dump \(debug=2\)"
refuse "$LEG/bad-labels.txt" 3 "malformed labels line"
refuse "$LEG/bad-labels-late.txt" 4 "labels line must come right after its record"
refuse "$LEG/deep.txt" 2 "more than 10 frames, the limit" --max-stack-depth 10
printf 'goroutine profile: total 1\n1 @ 0x1011\0\n' >"$TMP/nul.txt"
refuse "$TMP/nul.txt" 2 "a NUL byte"
{
	echo 'goroutine profile: total 1'
	head -c 40000000 /dev/zero | tr '\0' 'a'
	echo
} >"$TMP/long.txt"
refuse "$TMP/long.txt" 2 "a line longer than"
refuse "$FIXTURES/mutex.txt" - "sample types .* differ" "$FIXTURES/heap1.txt"
refuse "$LEG/bad-garbage.txt" 5 "not a record" "$FIXTURES/goroutine.pb.gz"

done_testing
