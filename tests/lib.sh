# TAP helpers shared by the shell tests.  Source it, call plan N (or
# plan_lazy + done_testing), then ok/not_ok/skip/is and friends.
# Tests run from the build directory; $top_srcdir and $top_builddir are
# absolute paths exported by make check.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
FIXTURES=$top_srcdir/tests/fixtures
PATH=$top_builddir:$top_builddir/tests/tools:$PATH
export PATH LC_ALL=C

_tap_n=0
_tap_failed=0
plan() { echo "1..$1"; }
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
done_testing() { echo "1..$_tap_n"; }

# check DESC CMD...: ok when CMD exits 0.
check() {
	_d=$1; shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}

# is DESC GOT WANT: string equality, with a diagnostic on failure.
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got:  $2" "want: $3"; fi
}

# same_file DESC GOT WANT: file equality, diff on failure.
same_file() {
	if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1"; diff -u "$3" "$2" | head -40 | sed 's/^/# /'; fi
}

# A scratch directory removed at exit.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gmvtest.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT

# write_error_and_help TOOL ARGS...: TOOL ARGS writing into /dev/full
# fails with exit 2 and a "TOOL: " message; -h prints the usage on
# standard output and exits 0; --version exits 0.  Three tests.
write_error_and_help() {
	_t=$1
	shift
	if [ -w /dev/full ]; then
		"$_t" "$@" >/dev/full 2>"$TMP/err"
		_s=$?
		if [ $_s -eq 2 ] && grep -q "^$_t: " "$TMP/err"; then
			ok "a write error (/dev/full): exit 2 and a message"
		else
			not_ok "a write error (/dev/full): exit 2 and a message (exit $_s)"
		fi
	else
		skip "no /dev/full"
	fi
	"$_t" -h >"$TMP/out" 2>"$TMP/err"
	_s=$?
	if [ $_s -eq 0 ] && grep -q "^usage: $_t" "$TMP/out" && [ ! -s "$TMP/err" ]; then
		ok "-h: usage on standard output, exit 0"
	else
		not_ok "-h: usage on standard output, exit 0 (exit $_s)"
	fi
	"$_t" --version >"$TMP/out" 2>&1
	is "--version: exit 0" "$?" 0
}
