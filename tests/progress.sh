#!/bin/sh
# pprof2graph's progress line: on a terminal only, after a delay
# (GMV_PROGRESS_DELAY_MS, 0 here so that small inputs show it), redrawn
# with '\r', erased at the end of each input and before a message, never
# with --quiet, never when standard error is a file or a pipe.  The
# terminal is a pseudo-terminal made by util-linux script(1).

. "${top_srcdir:-.}/tests/lib.sh"

# Short names, so that the line is not cut to fit the terminal.
cp "$FIXTURES/heap3.pb.gz" "$TMP/h3.pb.gz"
cp "$FIXTURES/heap1.pb.gz" "$TMP/h1.pb.gz"
cd "$TMP" || exit 99
H3=h3.pb.gz H1=h1.pb.gz

if ! command -v script >/dev/null 2>&1 ||
	! script -qec 'test -t 2' /dev/null </dev/null >/dev/null 2>&1; then
	skip "no script(1) making a pseudo-terminal"
	done_testing
	exit 0
fi

# on_tty OUT CMD: run the shell command CMD with standard error (and
# input and output, unless CMD redirects them) on a pseudo-terminal;
# what the terminal showed goes to OUT, '\r' and all.
on_tty() {
	_out=$1
	shift
	script -qec "$*" /dev/null </dev/null >"$_out" 2>&1
}

# The same graph either way.
pprof2graph "$H3" >"$TMP/plain.dot"

export GMV_PROGRESS_DELAY_MS=0
on_tty "$TMP/tty" "pprof2graph '$H3' >'$TMP/tty.dot'"
is "on a terminal: exit 0" "$?" 0
check "... the same graph" cmp -s "$TMP/tty.dot" "$TMP/plain.dot"
check "... a progress line, drawn after a carriage return" \
	grep -q "$(printf '\r')pprof2graph: reading $H3: [0-9.]* [KMG]*i*B of [0-9.]* [KMG]*i*B ([0-9]*%)" "$TMP/tty"
# What is left on the screen: after the last '\r', only blanks.
last=$(tr '\r\n' '\n\n' <"$TMP/tty" | tail -n 1)
is "... erased at the end" "$(printf '%s' "$last" | tr -d ' ')" ""

on_tty "$TMP/tty" "pprof2graph --base '$H1' '$H3' >/dev/null"
check "every input has its line, bases too" \
	sh -c 'grep -q "reading $1: " "$3" && grep -q "reading $2: " "$3"' sh "$H3" "$H1" "$TMP/tty"

on_tty "$TMP/tty" "cat '$H3' | pprof2graph >/dev/null"
check "a pipe: bytes read, no total" \
	grep -q "$(printf '\r')pprof2graph: reading <stdin>: [0-9.]* [KMG]*i*B *$(printf '\r')" "$TMP/tty"

on_tty "$TMP/tty" "pprof2graph -q '$H3' >/dev/null"
check "-q: no progress line" test ! -s "$TMP/tty"
on_tty "$TMP/tty" "pprof2graph --quiet '$H3' >/dev/null"
check "--quiet: no progress line" test ! -s "$TMP/tty"

pprof2graph "$H3" >/dev/null 2>"$TMP/err"
check "standard error a file: nothing on it" test ! -s "$TMP/err"
pprof2graph "$H3" 2>&1 >/dev/null | cat >"$TMP/err"
check "standard error a pipe: nothing on it" test ! -s "$TMP/err"

# A message comes on a line of its own: the progress line is erased
# first.  The input fails after its first bytes were read and shown.
gzip -dc "$H3" | head -c 2000 >cut.pb
on_tty "$TMP/tty" "pprof2graph cut.pb >/dev/null"
is "a truncated input: exit 2" "$?" 2
check "... its progress line was shown" grep -q "reading cut.pb" "$TMP/tty"
tr '\r' '\n' <"$TMP/tty" | grep -v '^ *$' | tail -n 1 >"$TMP/msg"
check "... and erased: the message stands alone" \
	grep -q "^pprof2graph: cut.pb: truncated protobuf" "$TMP/msg"
before=$(tr '\r' '\n' <"$TMP/tty" | grep -B 1 "^pprof2graph: cut.pb: truncated" | head -n 1)
is "... right after the blanks that erase it" "$(printf '%s' "$before" | tr -d ' ')" ""

# Without the variable, the line waits about a second: a small input is
# read before that, silently.
unset GMV_PROGRESS_DELAY_MS
on_tty "$TMP/tty" "pprof2graph '$H3' >/dev/null"
check "a quick run: no progress line" test ! -s "$TMP/tty"

done_testing
