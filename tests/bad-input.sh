#!/bin/sh
# Hostile inputs (tests/bad, written by tests/bad/make-bad.sh, and gzip
# bombs made here): each must give "pprof2graph: FILE: what is wrong" on
# stderr, exit status 2, nothing on stdout, quickly and within a memory
# cap, never a crash or a hang.

. "${top_srcdir:-.}/tests/lib.sh"

BAD=$top_srcdir/tests/bad

# Address space cap for the runs (not under the sanitizers, whose shadow
# memory needs terabytes of address space).
MEMCAP_KB=1048576

# refuse FILE PATTERN [ARGS...]: pprof2graph ARGS FILE fails as it must,
# with a message matching the extended regular expression PATTERN.
refuse() {
	_f=$1 _pat=$2
	shift 2
	_t0=$(date +%s%N)
	(
		[ -n "${GMV_SANITIZE:-}" ] || ulimit -v "$MEMCAP_KB"
		exec timeout 60 pprof2graph "$@" "$_f"
	) >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	_ms=$((($(date +%s%N) - _t0) / 1000000))
	_name=$(basename "$_f")
	if [ "$_rc" -eq 2 ] && [ ! -s "$TMP/out" ] &&
		[ "$(wc -l <"$TMP/err")" -eq 1 ] &&
		grep -Eq "^pprof2graph: $(printf '%s' "$_f" | sed 's/[.[\*^$]/\\&/g'): .*($_pat)" "$TMP/err"; then
		ok "$_name: refused in ${_ms} ms: $(cut -c 1-140 "$TMP/err")"
	else
		not_ok "$_name: exit $_rc, $(wc -c <"$TMP/out") bytes out, ${_ms} ms"
		sed 's/^/# stderr: /' "$TMP/err" | head -5
	fi
	LAST_MS=$_ms
}

refuse "$BAD/empty.pb" "the file is empty"
refuse "$BAD/empty-gzip.pb.gz" "the file is empty"
refuse "$BAD/random.bin" "not a pprof profile"
refuse "$BAD/truncated.pb.gz" "truncated gzip data"
refuse "$BAD/bad-crc.pb.gz" "corrupt gzip data"
refuse "$BAD/truncated.pb" "truncated protobuf.* at byte [0-9]+"
refuse "$BAD/bitflip-tag.pb" "wire type .* at byte [0-9]+"
refuse "$BAD/bitflip-len.pb" "truncated protobuf.* at byte [0-9]+"
refuse "$BAD/dangling-location.pb.gz" "refers to location id 99"
refuse "$BAD/dangling-function.pb.gz" "refers to function id 42"
refuse "$BAD/dangling-mapping.pb.gz" "refers to mapping id 7"
refuse "$BAD/strindex-funcname.pb.gz" "function name refers to string 1000000"
refuse "$BAD/strindex-sampletype.pb.gz" "sample type refers to string"
refuse "$BAD/strindex-labelkey.pb.gz" "label key refers to string"
refuse "$BAD/strindex-negative.pb.gz" "string index -1"
refuse "$BAD/values-fewer.pb.gz" "3 values where 4"
refuse "$BAD/values-more.pb.gz" "5 values where 4"
refuse "$BAD/no-sample-types.pb.gz" "no sample types"
refuse "$BAD/overflow.pb.gz" "overflows a 64-bit integer"
refuse "$BAD/deep-recursive.pb.gz" "100000 frames, more than the limit"
refuse "$BAD/deep-cycle.pb.gz" "100000 frames, more than the limit"
refuse "$BAD/strtab0-nonempty.pb.gz" "first string table entry is not empty"
refuse "$BAD/no-string-table.pb.gz" "no string table"
refuse "$BAD/duplicate-ids.pb.gz" "a second (mapping|location|function) with id"
refuse "$BAD/zero-ids.pb.gz" "id 0"
refuse "$TMP/no-such-file" "No such file"
printf 'Dear user,\nthis is a letter, not a profile.\n' >"$TMP/letter.txt"
refuse "$TMP/letter.txt" "not a profile: text that is neither Go's text profile format nor folded stacks"

# Values that overflow only when summed across stacks, in the graph.
cat >"$TMP/graph-overflow.spec" <<'EOF'
types alloc_space/bytes
function 1 main.a
function 2 main.b
function 3 main.c
location 1 lines=1:1
location 2 lines=2:1
location 3 lines=3:1
sample 2,1 values=9000000000000000000
sample 3,1 values=9000000000000000000
EOF
mkprof -o "$TMP/graph-overflow.pb" "$TMP/graph-overflow.spec"
refuse "$TMP/graph-overflow.pb" "overflow"

# Profiles that cannot be merged.
refuse "$FIXTURES/cpu.pb.gz" "only profiles with the same sample types can be merged" "$FIXTURES/heap1.pb.gz"
refuse "$FIXTURES/mutex.pb.gz" "differ from those of .*cpu.pb.gz" "$FIXTURES/cpu.pb.gz"

# The deep stacks are valid profiles: with the limit raised they graph
# quickly (recursion counted once, no self edges).
for f in deep-recursive deep-cycle; do
	_t0=$(date +%s%N)
	if pprof2graph --max-stack-depth 200000 "$BAD/$f.pb.gz" >"$TMP/deep.dot" 2>"$TMP/err" &&
		dotcanon -t -k cum "$TMP/deep.dot" >"$TMP/deep.tsv"; then
		ok "$f with --max-stack-depth 200000: graphed in $((($(date +%s%N) - _t0) / 1000000)) ms"
	else
		not_ok "$f with --max-stack-depth 200000"
		sed 's/^/# /' "$TMP/err"
	fi
	if awk -F '\t' '$1 == "E" && $2 == $3 { bad = 1 } END { exit bad }' "$TMP/deep.tsv"; then
		ok "$f: no self edges"
	else
		not_ok "$f: a self edge"
	fi
done

# The files too big to commit: gzip bombs (2 MB files that inflate to
# 2 GiB) and a stack of 100 000 distinct functions.
MKPROF=$top_builddir/tests/tools/mkprof sh "$BAD/make-bad.sh" --big "$TMP" >/dev/null
refuse "$TMP/deep-distinct.pb" "100000 frames, more than the limit"
_t0=$(date +%s%N)
if pprof2graph --max-stack-depth 100000 "$TMP/deep-distinct.pb" >"$TMP/deep.dot" &&
	dotcanon "$TMP/deep.dot" >/dev/null; then
	ok "100 000 distinct frames with the limit raised: graphed in $((($(date +%s%N) - _t0) / 1000000)) ms"
else
	not_ok "100 000 distinct frames with the limit raised"
fi
mv "$TMP/bomb-zeros.pb.gz" "$TMP/bomb-zeros.gz"
mv "$TMP/bomb-fields.pb.gz" "$TMP/bomb-fields.gz"
refuse "$TMP/bomb-zeros.gz" "not a pprof profile"
refuse "$TMP/bomb-fields.gz" "decompresses to more than 67108864 bytes" --max-input-size 64M
# At the default 1 GiB limit the bomb is inflated up to the limit, which
# takes seconds (the cost of inflating 1 GiB), in constant memory.
refuse "$TMP/bomb-fields.gz" "decompresses to more than 1073741824 bytes"
diag "the fields bomb at the default limit took $LAST_MS ms"
# One profile compressed as two gzip members is one stream (gzip -d
# reads it so); two whole profiles in one stream are refused, as pprof
# refuses them.
gzip -dc "$FIXTURES/heap2.pb.gz" >"$TMP/raw.pb"
{ head -c 1000 "$TMP/raw.pb" | gzip; tail -c +1001 "$TMP/raw.pb" | gzip; } >"$TMP/two-members.gz"
if pprof2graph "$TMP/two-members.gz" >"$TMP/a.dot" 2>"$TMP/err" &&
	pprof2graph "$FIXTURES/heap2.pb.gz" >"$TMP/b.dot" &&
	dotcanon -x source "$TMP/a.dot" >"$TMP/a.txt" &&
	dotcanon -x source "$TMP/b.dot" >"$TMP/b.txt" &&
	cmp -s "$TMP/a.txt" "$TMP/b.txt"; then
	ok "a profile in two gzip members reads as one stream"
else
	not_ok "a profile in two gzip members"
	sed 's/^/# /' "$TMP/err"
fi
cat "$FIXTURES/heap1.pb.gz" "$FIXTURES/heap2.pb.gz" >"$TMP/concatenated.gz"
refuse "$TMP/concatenated.gz" "two concatenated profiles"
{ cat "$BAD/names.pb.gz"; printf 'garbage'; } >"$TMP/trailing.gz"
refuse "$TMP/trailing.gz" "trailing garbage after gzip data"

done_testing
