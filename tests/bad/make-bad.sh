#!/bin/sh
# make-bad.sh: regenerate the hostile inputs in tests/bad/ (README.md says
# what is wrong with each).  Every file comes out byte for byte the same on
# every run: the profiles are written by mkprof from the specs below, the
# random bytes by a fixed LCG, and truncations and bit flips happen at
# offsets found by walking the protobuf, then checked with mkprof --check.
#
#   sh tests/bad/make-bad.sh              rewrite the committed files
#   sh tests/bad/make-bad.sh --big DIR    write the files too large to
#                                         commit (bombs, 100 000 distinct
#                                         frames) into DIR, for tests
#
# MKPROF names the mkprof binary; by default $top_builddir/tests/tools/mkprof,
# else the one next to this script's tests/, else mkprof on PATH.

set -eu

prog=make-bad.sh
here=$(cd "$(dirname "$0")" && pwd)
LC_ALL=C
export LC_ALL

die() {
	echo "$prog: $*" >&2
	exit 2
}

if [ -z "${MKPROF:-}" ]; then
	if [ -n "${top_builddir:-}" ] && [ -x "$top_builddir/tests/tools/mkprof" ]; then
		MKPROF=$top_builddir/tests/tools/mkprof
	elif [ -x "$here/../tools/mkprof" ]; then
		MKPROF=$here/../tools/mkprof
	else
		MKPROF=mkprof
	fi
fi
"$MKPROF" --version >/dev/null 2>&1 || die "cannot run mkprof ($MKPROF); build it: make tests/tools/mkprof"

# size FILE: its length in bytes.
size() {
	wc -c <"$1" | tr -d ' '
}

# cut FILE N OUT: the first N bytes of FILE.
cut_at() {
	dd if="$1" of="$3" bs="$2" count=1 2>/dev/null
	[ "$(size "$3")" -eq "$2" ] || die "$3: short copy"
}

# byte FILE OFFSET: the byte at OFFSET, as a decimal number.
byte_at() {
	od -An -v -tu1 -j "$2" -N 1 "$1" | tr -d ' '
}

# put_byte FILE OFFSET VALUE: overwrite one byte in place.
put_byte() {
	printf '%b' "\\0$(($3 / 64))$(($3 / 8 % 8))$(($3 % 8))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# xor_byte FILE OFFSET MASK: flip the bits of MASK in one byte.
xor_byte() {
	_b=$(byte_at "$1" "$2")
	put_byte "$1" "$2" $((_b ^ $3))
}

# fields FILE: one line per top-level protobuf field: "FIELD WIRETYPE
# TAG_OFFSET LENGTH_OFFSET END_OFFSET" (LENGTH_OFFSET -1 unless the field
# is length-delimited).
fields() {
	od -An -v -tu1 "$1" | awk '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	function varint(   v, m) {
		v = 0; m = 1
		while (p < n) { v += (b[p] % 128) * m; m *= 128; if (b[p++] < 128) return v }
		exit 1
	}
	END {
		p = 0
		while (p < n) {
			t = p; tag = varint(); wt = tag % 8; lo = -1
			if (wt == 0) varint()
			else if (wt == 1) p += 8
			else if (wt == 5) p += 4
			else if (wt == 2) { lo = p; len = varint(); p += len }
			else exit 1
			print int(tag / 8), wt, t, lo, p
		}
	}'
}

# must_fail FILE: mkprof --check (protobuf-c) must refuse it.
must_fail() {
	if "$MKPROF" --check "$1" >/dev/null 2>&1; then
		die "$1: still unpacks; pick another offset"
	fi
}

# random_bytes N SEED: N bytes from the LCG x = (1103515245x + 12345) mod 2^31,
# bits 16..23 of each state, in plain sh so every machine writes the same.
random_bytes() {
	_n=$1 _x=$2 _s= _i=0
	while [ "$_i" -lt "$_n" ]; do
		_x=$(((_x * 1103515245 + 12345) % 2147483648))
		_v=$((_x / 65536 % 256))
		_s="$_s\\0$((_v / 64))$((_v / 8 % 8))$((_v % 8))"
		_i=$((_i + 1))
	done
	printf '%b' "$_s"
}

# prof NAME: write NAME (gzipped if it ends in .gz) from the spec on stdin.
prof() {
	case $1 in
	*.gz) "$MKPROF" -z -o "$out/$1" ;;
	*) "$MKPROF" -o "$out/$1" ;;
	esac
}

# The valid profile the damaged ones start from: a small Go heap profile.
base_spec() {
	cat <<'EOF'
types alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes
default inuse_space
period space/bytes 524288
time 1700000000000000000
mapping 1 /usr/bin/server 0x400000 0x800000 has=functions,filenames,lines
function 1 main.main /src/main.go 10
function 2 main.handle /src/main.go 40
function 3 main.fillCache /src/cache.go 12
function 4 runtime.makemap /usr/lib/go/src/runtime/map.go 300
location 1 mapping=1 addr=0x401000 lines=1:20
location 2 mapping=1 addr=0x402000 lines=2:55
location 3 mapping=1 addr=0x403000 lines=3:30
location 4 mapping=1 addr=0x404000 lines=4:310
sample 3,2,1 values=10,4096,5,2048 label=handler:fill
sample 4,3,2,1 values=2,640,2,640 numlabel=bytes:320
sample 2,1 values=1,128,0,0
EOF
}

if [ "${1:-}" = --big ]; then
	[ $# -eq 2 ] || die "usage: $prog [--big DIR]"
	out=$2
	mkdir -p "$out"
	"$MKPROF" --bomb 2G -o "$out/bomb-zeros.pb.gz"
	"$MKPROF" --bomb 2G --bomb-content fields -o "$out/bomb-fields.pb.gz"
	printf '%s\n' 'types alloc_space/bytes inuse_space/bytes' \
		'deepstack 100000 values=1024,512' | prof deep-distinct.pb
	exit 0
fi
[ $# -eq 0 ] || die "usage: $prog [--big DIR]"
out=$here
tmp=$(mktemp -d "${TMPDIR:-/tmp}/make-bad.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

### Not profiles at all

: >"$out/empty.pb"
"$MKPROF" --bomb 0 -o "$out/empty-gzip.pb.gz"
random_bytes 4096 20240601 >"$out/random.bin"
must_fail "$out/random.bin"

### Damaged encodings of a valid profile

base_spec | "$MKPROF" -o "$tmp/base.pb"
base_spec | "$MKPROF" -z -o "$tmp/base.pb.gz"
"$MKPROF" --check "$tmp/base.pb" >/dev/null || die "base profile does not unpack"

n=$(size "$tmp/base.pb.gz")
cut_at "$tmp/base.pb.gz" $((n / 2)) "$out/truncated.pb.gz"
must_fail "$out/truncated.pb.gz"

cp "$tmp/base.pb.gz" "$out/bad-crc.pb.gz"
xor_byte "$out/bad-crc.pb.gz" $((n - 8)) 1	# the low byte of the CRC-32
must_fail "$out/bad-crc.pb.gz"

# Cut in the middle of the length-delimited top-level field that spans
# the middle of the file: everything before it parses, it does not.
fields "$tmp/base.pb" >"$tmp/fields"
n=$(size "$tmp/base.pb")
cut=$(awk -v half=$((n / 2)) '$2 == 2 && $5 > half { print int(($4 + $5) / 2) + 1; exit }' "$tmp/fields")
[ -n "$cut" ] || die "base profile: no message to cut"
cut_at "$tmp/base.pb" "$cut" "$out/truncated.pb"
must_fail "$out/truncated.pb"

# The tag of the second sample: wire type 2 (length-delimited) becomes 7,
# which does not exist.
cp "$tmp/base.pb" "$out/bitflip-tag.pb"
t=$(awk '$1 == 2 { if (++k == 2) { print $3; exit } }' "$tmp/fields")
[ "$(byte_at "$out/bitflip-tag.pb" "$t")" -eq 18 ] || die "unexpected sample tag"
xor_byte "$out/bitflip-tag.pb" "$t" 5
must_fail "$out/bitflip-tag.pb"

# The length of the second sample gets bit 7 set: the varint runs into the
# next byte and claims more than a kilobyte past the end of the file.
cp "$tmp/base.pb" "$out/bitflip-len.pb"
lo=$(awk '$1 == 2 { if (++k == 2) { print $4; exit } }' "$tmp/fields")
[ "$(byte_at "$out/bitflip-len.pb" "$lo")" -lt 128 ] || die "unexpected sample length"
xor_byte "$out/bitflip-len.pb" "$lo" 128
must_fail "$out/bitflip-len.pb"

### Well-formed protobuf, broken profile

{ base_spec; echo 'sample 99,2,1 values=7,700,7,700'; } | prof dangling-location.pb.gz

{ base_spec; cat <<'EOF'; } | prof dangling-function.pb.gz
location 5 mapping=1 addr=0x405000 lines=42:7,3:31
sample 5,2,1 values=7,700,7,700
EOF

{ base_spec; cat <<'EOF'; } | prof strindex-funcname.pb.gz
rawfunction 5 1000000 1000000 0 7
location 5 mapping=1 addr=0x405000 lines=5:8
sample 5,2,1 values=7,700,7,700
EOF

{ base_spec; cat <<'EOF'; } | prof strindex-negative.pb.gz
rawfunction 5 -1 -1 -2 7
location 5 mapping=1 addr=0x405000 lines=5:8
sample 5,2,1 values=7,700,7,700
EOF

base_spec | sed 's|^types .*|types alloc_objects/count alloc_space/bytes @500/count @501/bytes|' |
	prof strindex-sampletype.pb.gz

{ base_spec; cat <<'EOF'; } | prof strindex-labelkey.pb.gz
sample 3,2,1 values=1,100,1,100 label=@777:fill
sample 3,2,1 values=1,100,1,100 label=handler:@778
sample 3,2,1 values=1,100,1,100 numlabel=@779:64:bytes numlabel=bytes:64:@780
EOF

{ base_spec; echo 'sample 3,2,1 values=1,100,1'; } | prof values-fewer.pb.gz
{ base_spec; echo 'sample 3,2,1 values=1,100,1,100,5'; } | prof values-more.pb.gz

base_spec | sed '/^types /d; /^default /d' | prof no-sample-types.pb.gz

{ echo 'string0 "not empty"'; base_spec; } | prof strtab0-nonempty.pb.gz

{ base_spec; echo nostrings; } | prof no-string-table.pb.gz

{ base_spec; cat <<'EOF'; } | prof duplicate-ids.pb.gz
function 3 main.impostor /src/other.go 1
location 3 mapping=1 addr=0x409000 lines=1:99
mapping 1 /usr/lib/libother.so 0x7f0000000000 0x7f0000100000
sample 3,1 values=1,10,1,10
EOF

{ base_spec; cat <<'EOF'; } | prof zero-ids.pb.gz
function 0 main.zero /src/zero.go 1
location 0 mapping=1 addr=0x40a000 lines=0:3
sample 0,2,1 values=1,10,1,10
EOF

{ base_spec; cat <<'EOF'; } | prof dangling-mapping.pb.gz
location 5 mapping=7 addr=0x7f0000001000 lines=3:33
sample 5,2,1 values=1,10,1,10
EOF

cat <<'EOF' | prof overflow.pb.gz
types alloc_space/bytes inuse_space/bytes
function 1 main.main /src/main.go 1
function 2 main.big /src/main.go 10
function 3 main.bigger /src/main.go 20
function 4 main.negative /src/main.go 30
location 1 lines=1:5
location 2 lines=2:11
location 3 lines=3:21
location 4 lines=4:31
# the same stack twice: flat of main.big is 2 * (INT64_MAX - 7)
sample 2,1 values=9223372036854775800,9223372036854775800
sample 2,1 values=9223372036854775800,9223372036854775800
# a sibling: cum of main.main overflows even if each leaf did not
sample 3,1 values=INT64_MAX,1
# and the other way: two INT64_MIN on one stack
sample 4,1 values=INT64_MIN,-1
sample 4,1 values=INT64_MIN,-1
EOF

printf '%s\n' 'types alloc_space/bytes inuse_space/bytes' \
	'deepstack 100000 recursive values=1024,512' | prof deep-recursive.pb.gz
printf '%s\n' 'types alloc_space/bytes inuse_space/bytes' \
	'deepstack 100000 cycle=3 values=1024,512' | prof deep-cycle.pb.gz

### Odd but valid: names every output format has to escape

cat <<'EOF' | prof names.pb.gz
types alloc_space/bytes inuse_space/bytes
default inuse_space
mapping 1 /usr/bin/odd 0x400000 0x800000 has=functions,filenames,lines
function 1 main.main /src/main.go 1
function 2 main.worker /src/main.go 10
function 3 "main.say\"hi\"" "/src/we ird\"file.go" 20
function 4 "C:\\path\\to\\func" /src/bs.go 30
function 5 "trailing\\" /src/bs.go 40
function 6 "bs\\\"q" /src/bs.go 50
function 7 "line1\nline2" /src/ws.go 60
function 8 "tab\there" /src/ws.go 70
function 9 "<b>main</b>" /src/html.go 80
function 10 "<TABLE>" /src/html.go 90
function 11 repeat("L",70000) /src/long.go 100
function 12 "bad\xff" /src/utf8.go 110
function 13 "bad\xc3\x28seq" /src/utf8.go 120
function 14 "trunc\xe2\x82" /src/utf8.go 130
function 15 "\\" /src/bs.go 140
function 16 "esc\\l\\N\\G\\E\\T\\H\\n" /src/gv.go 150
function 17 "" /src/anon.go 160
function 18 runtime.mallocgc /usr/lib/go/src/runtime/malloc.go 900
location 1 mapping=1 addr=0x401000 lines=1:2
location 2 mapping=1 addr=0x402000 lines=2:11
location 3 mapping=1 addr=0x403000 lines=3:21
location 4 mapping=1 addr=0x404000 lines=4:31
location 5 mapping=1 addr=0x405000 lines=5:41
location 6 mapping=1 addr=0x406000 lines=6:51
location 7 mapping=1 addr=0x407000 lines=7:61
location 8 mapping=1 addr=0x408000 lines=8:71
location 9 mapping=1 addr=0x409000 lines=9:81
location 10 mapping=1 addr=0x40a000 lines=10:91
location 11 mapping=1 addr=0x40b000 lines=11:101
location 12 mapping=1 addr=0x40c000 lines=12:111
location 13 mapping=1 addr=0x40d000 lines=13:121
location 14 mapping=1 addr=0x40e000 lines=14:131
location 15 mapping=1 addr=0x40f000 lines=15:141
location 16 mapping=1 addr=0x410000 lines=16:151
location 17 mapping=1 addr=0x411000 lines=17:161
location 18 mapping=1 addr=0x412000 lines=18:901
# one chain main.main -> main.worker -> 3 -> 4 -> ... -> 17 -> mallocgc,
# a sample ending at every step, so each odd node has flat and cum
sample 3,2,1 values=3000,300
sample 4,3,2,1 values=4000,400
sample 5,4,3,2,1 values=5000,500
sample 6,5,4,3,2,1 values=6000,600
sample 7,6,5,4,3,2,1 values=7000,700
sample 8,7,6,5,4,3,2,1 values=8000,800
sample 9,8,7,6,5,4,3,2,1 values=9000,900
sample 10,9,8,7,6,5,4,3,2,1 values=10000,1000
sample 11,10,9,8,7,6,5,4,3,2,1 values=11000,1100
sample 12,11,10,9,8,7,6,5,4,3,2,1 values=12000,1200
sample 13,12,11,10,9,8,7,6,5,4,3,2,1 values=13000,1300
sample 14,13,12,11,10,9,8,7,6,5,4,3,2,1 values=14000,1400
sample 15,14,13,12,11,10,9,8,7,6,5,4,3,2,1 values=15000,1500
sample 16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1 values=16000,1600
sample 17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1 values=17000,1700
sample 18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1 values=18000,1800
# more edges between odd nodes: <b>main</b> -> trailing\, \ -> esc\l..
sample 5,9,1 values=500,50 label="k\"ey":"v\\al\nue"
sample 16,15,2,1 values=1600,160
EOF

echo "$prog: wrote $(ls "$out" | grep -cv '^\(make-bad\.sh\|README\.md\)$') files in $out"
