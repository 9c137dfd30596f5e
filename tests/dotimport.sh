#!/bin/sh
# Reading go tool pprof -dot graphs back (src/dotimport.c, through the
# test tool tests/tools/dotimport).
#
# Every graph pprof wrote for the fixtures (tests/expected: default
# trimming in pprof's own units, untrimmed with exact integer values,
# the four granularities, the filter and diff cases of cases.txt) is
# imported and compared with pprof2graph's graph of the same profile,
# sample type and options: the same node keys, flat and cum within
# pprof's printed rounding, the same edges (values within rounding,
# inline and residual flags equal), the same tag boxes, the root's
# total, sample_type, unit, granularity and imported=.  When Go is
# installed, the same again for graphs made now: untrimmed in pprof's
# own units (rounded values on every node), the granularities in those
# units, and a -call_tree graph, which must be refused.  Then pprof's
# graph of an empty profile, the hostile graphs of tests/dotimport/
# (see its README.md) and graphs that are not pprof's.
#
# The rounding: pprof prints every value of a graph in one unit, "%.2f"
# with ".00" dropped, so a value read back is within FACTOR/200 + 1/2 of
# the real one (FACTOR: 1024 for kB, 1e9 for s; see units.h).  The unit
# is taken from the total of pprof's legend.

. "${top_srcdir:-.}/tests/lib.sh"

EXP=$top_srcdir/tests/expected
DATA=$top_srcdir/tests/dotimport

for t in pprof2graph tests/tools/dotimport tests/tools/dotcanon tests/tools/mkprof; do
	if [ ! -x "$top_builddir/$t" ]; then
		echo "Bail out! $t is not built ($top_builddir/$t)"
		exit 1
	fi
done

GO=
if command -v go >/dev/null 2>&1 && go tool pprof -h >/dev/null 2>&1; then
	GO=go
fi
TZ=UTC
export TZ
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR 2>/dev/null || :

# rows: one line per item of a graph (dotcanon -t on stdin), for compare.
#   R<TAB>attr<TAB>value        sample_type, unit, total, granularity,
#                               imported (root)
#   N<TAB>key<TAB>flat<TAB>cum<TAB>func<TAB>file<TAB>line<TAB>address
#                               data nodes (delta_flat, delta_cum in a
#                               pprof2graph diff: pprof shows those)
#   E<TAB>tail<TAB>head<TAB>cum<TAB>inline<TAB>residual
#   T<TAB>tag_of<TAB>tag<TAB>1<TAB>tag_value<TAB>tag_cum
#                               (1: its ID is "TAG_OF #...")
# Pass TAGS=0 to leave tag boxes out.
rows() {
	dotcanon -t -k cum,flat,delta_cum,delta_flat,func,file,line,address,inline,residual,tag,tag_of,tag_value,tag_cum,sample_type,unit,total,granularity,imported |
	awk -F '\t' -v tags="${TAGS:-1}" '
	function get(name, dflt,   i) {
		for (i = first; i <= NF; i++)
			if (index($i, name "=") == 1)
				return substr($i, length(name) + 2)
		return dflt
	}
	$1 == "G" {
		first = 5
		print "R\tsample_type\t" get("sample_type", "-")
		print "R\tunit\t" get("unit", "-")
		print "R\ttotal\t" get("total", "-")
		print "R\tgranularity\t" get("granularity", "-")
		print "R\timported\t" get("imported", "-")
	}
	$1 == "N" {
		first = 3
		if ((c = get("cum", "")) != "") {
			f = get("flat", "-")
			if ((dc = get("delta_cum", "")) != "") { c = dc; f = get("delta_flat", "-") }
			print "N\t" $2 "\t" f "\t" c "\t" get("func", "-") "\t" get("file", "-") "\t" get("line", "-") "\t" get("address", "-")
		} else if (tags && (o = get("tag_of", "")) != "") {
			# pprof2graph and pprof may number boxes with equal
			# values differently: key them by owner and text.
			print "T\t" o "\t" get("tag", "-") "\t" (index($2, o " #") == 1) "\t" get("tag_value", "-") "\t" get("tag_cum", "false")
		}
	}
	$1 == "E" {
		first = 5
		if (get("tag", "") == "true") next
		if ((c = get("cum", "")) == "") next
		if ((dc = get("delta_cum", "")) != "") c = dc
		print "E\t" $2 "\t" $3 "\t" c "\t" get("inline", "false") "\t" get("residual", "false")
	}'
}

# tolerance PPROF_DOT: FACTOR/200 + 1/2 for the unit of the total in the
# legend ("... of 6.21MB total").
tolerance() {
	sed -n 's/.*Showing nodes accounting for [^,]*, [^ ]* of \(-\{0,1\}[0-9.]*\)\([A-Za-z]*\) total.*/\2/p' "$1" |
	awk '{
		f["B"] = 1; f["kB"] = 1024; f["MB"] = 1048576; f["GB"] = 1073741824
		f["TB"] = 1099511627776; f["PB"] = 1125899906842624
		f["ns"] = 1; f["us"] = 1e3; f["ms"] = 1e6; f["s"] = 1e9; f["hrs"] = 3.6e12
		x = ($1 in f) ? f[$1] : 1
		printf "%.1f\n", x / 200 + 0.5
		exit
	}'
}

# compare DESC GOT WANT TOL: the row sets must hold the same keys, and
# the same values: numbers within TOL, anything else equal.  GOT must
# say imported="go tool pprof -dot" (WANT, pprof2graph's, does not).
compare() {
	_out=$(awk -F '\t' -v tol="$4" '
	function key(   k) {
		k = $1 "\t" $2
		if ($1 == "E" || $1 == "T") k = k "\t" $3
		return k
	}
	function nk() { return $1 == "E" || $1 == "T" ? 3 : 2 }
	function num(s) { return s ~ /^-?[0-9]+$/ }
	NR == FNR {
		if ($1 == "R" && $2 == "imported") next
		k = key(); want[k] = $0; nw++
		next
	}
	{
		if ($1 == "R" && $2 == "imported") {
			if ($3 != "go tool pprof -dot") bad[++nb] = "imported=" $3
			next
		}
		k = key()
		if (!(k in want)) { bad[++nb] = "extra:   " $0; next }
		seen[k] = 1
		n = split(want[k], w, "\t")
		if (n != NF) { bad[++nb] = "got:     " $0 "\n  want:    " want[k]; next }
		for (i = nk() + 1; i <= NF; i++) {
			d = $i - w[i]
			if (num($i) && num(w[i]) ? (d > tol || -d > tol) : $i != w[i]) {
				bad[++nb] = "got:     " $0 "\n  want:    " want[k]
				break
			}
		}
	}
	END {
		for (k in want)
			if (!(k in seen)) bad[++nb] = "missing: " want[k]
		for (i = 1; i <= nb && i <= 12; i++) print bad[i]
		if (nb > 12) print "... " nb - 12 " more"
		if (nb == 0) print "OK " nw
	}' "$3" "$2")
	case $_out in
	OK*) ok "$1 (${_out#OK } rows)" ;;
	*) not_ok "$1"; diag "$_out" ;;
	esac
}

# check_import DESC PPROF_DOT PPROF2GRAPH_ARGS...: import PPROF_DOT and
# compare it with pprof2graph's graph for the arguments.
check_import() {
	_desc=$1 _dot=$2
	shift 2
	if ! dotimport "$_dot" >"$TMP/imp.dot" 2>"$TMP/imp.err"; then
		not_ok "$_desc (dotimport failed)"
		diag "$(cat "$TMP/imp.err")"
		return
	fi
	if ! pprof2graph "$@" >"$TMP/ours.dot" 2>"$TMP/ours.err"; then
		not_ok "$_desc (pprof2graph $* failed)"
		diag "$(cat "$TMP/ours.err")"
		return
	fi
	rows <"$TMP/imp.dot" >"$TMP/got"
	rows <"$TMP/ours.dot" >"$TMP/want"
	compare "$_desc" "$TMP/got" "$TMP/want" "$(tolerance "$_dot")"
}

# gopprof OUT ARGS...: go tool pprof -dot ARGS... into OUT (0 or 1).
gopprof() {
	_o=$1
	shift
	go tool pprof -symbolize=none -dot "$@" >"$_o" 2>"$TMP/go.err" && [ -s "$_o" ]
}

# Sample types of a fixture, from the stored answers.
types_of() {
	for _f in "$EXP/$1"/*.default.dot; do
		_t=${_f##*/}
		echo "${_t%.default.dot}"
	done
}

NOTRIM='-n 0 --node-fraction=0 --edge-fraction=0'
GONOTRIM='-nodecount=0 -nodefraction=0 -edgefraction=0'

# ---- every fixture, every sample type --------------------------------

for p in "$FIXTURES"/*.pb.gz; do
	f=${p##*/}
	f=${f%.pb.gz}
	[ -d "$EXP/$f" ] || continue
	for t in $(types_of "$f"); do
		check_import "$f $t: default graph, tag boxes" \
			"$EXP/$f/$t.default.dot" --tags -i "$t" "$p"
		# Exact integer values, every node and edge: the tag boxes
		# are in other units than pprof2graph's (-unit=B).
		TAGS=0
		# shellcheck disable=SC2086
		check_import "$f $t: untrimmed, exact values" \
			"$EXP/$f/$t.dot" -i "$t" $NOTRIM "$p"
		TAGS=1
		if [ -n "$GO" ]; then
			# shellcheck disable=SC2086
			if gopprof "$TMP/go.dot" $GONOTRIM -sample_index="$t" "$p"; then
				# shellcheck disable=SC2086
				check_import "$f $t: untrimmed, pprof's units" \
					"$TMP/go.dot" --tags -i "$t" $NOTRIM "$p"
			else
				not_ok "$f $t: go tool pprof failed"
				diag "$(cat "$TMP/go.err")"
			fi
		else
			skip "$f $t: untrimmed in pprof's units (no go)"
		fi
	done
done

# ---- granularities ----------------------------------------------------

for fg in heap3:inuse_space cpu:cpu; do
	f=${fg%%:*}
	t=${fg#*:}
	for g in filefunctions files lines addresses; do
		TAGS=0
		# shellcheck disable=SC2086
		check_import "$f $t -$g: untrimmed, exact values" \
			"$EXP/granularity/$f.$g.$t.dot" -g "$g" -i "$t" $NOTRIM \
			"$FIXTURES/$f.pb.gz"
		TAGS=1
		if [ -z "$GO" ]; then
			skip "$f $t -$g: default graph (no go)"
		elif gopprof "$TMP/go.dot" "-$g" -sample_index="$t" "$FIXTURES/$f.pb.gz"; then
			check_import "$f $t -$g: default graph, tag boxes" \
				"$TMP/go.dot" --tags -g "$g" -i "$t" "$FIXTURES/$f.pb.gz"
		else
			not_ok "$f $t -$g: go tool pprof failed"
			diag "$(cat "$TMP/go.err")"
		fi
	done
done

# ---- hard names, every granularity (tests/dotimport/names.spec) --------

if [ -z "$GO" ]; then
	for g in functions filefunctions files lines addresses; do
		skip "names.spec -$g (no go)"
	done
elif ! mkprof -z -o "$TMP/names.pb.gz" "$DATA/names.spec" 2>"$TMP/err"; then
	echo "Bail out! mkprof failed on names.spec: $(cat "$TMP/err")"
	exit 1
else
	for g in functions filefunctions files lines addresses; do
		# shellcheck disable=SC2086
		if gopprof "$TMP/go.dot" "-$g" $GONOTRIM "$TMP/names.pb.gz"; then
			# shellcheck disable=SC2086
			check_import "names.spec -$g: untrimmed" "$TMP/go.dot" \
				--tags -g "$g" $NOTRIM "$TMP/names.pb.gz"
		else
			not_ok "names.spec -$g: go tool pprof failed"
			diag "$(cat "$TMP/go.err")"
		fi
	done
fi

# ---- filters and diffs (tests/expected/cases.txt) ----------------------

while IFS='|' read -r name t gflags oflags profs; do
	case $name in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2086
	set -- $oflags
	oargs=
	for a; do oargs="$oargs $(printf '%s' "$a" | sed "s|@/|$FIXTURES/|")"; done
	pargs=
	for a in $profs; do pargs="$pargs $FIXTURES/$a"; done
	# shellcheck disable=SC2086
	check_import "case $name: default graph, tag boxes" \
		"$EXP/cases/$name.default.dot" --tags -i "$t" $oargs $pargs
	TAGS=0
	# shellcheck disable=SC2086
	check_import "case $name: untrimmed, exact values" \
		"$EXP/cases/$name.dot" -i "$t" $NOTRIM $oargs $pargs
	TAGS=1
	: "$gflags"
done <"$EXP/cases.txt"

# ---- pprof's graph of an empty profile -------------------------------

# go tool pprof -dot -focus=NOMATCH heap1.pb.gz: a legend, no node.
if dotimport "$DATA/empty.dot" >"$TMP/empty.dot" 2>"$TMP/err"; then
	rows <"$TMP/empty.dot" >"$TMP/got"
	printf 'R\tsample_type\tinuse_space\nR\tunit\tbytes\nR\ttotal\t6511657\nR\tgranularity\t-\nR\timported\tgo tool pprof -dot\n' >"$TMP/want"
	same_file "empty profile: root attributes, no node" "$TMP/got" "$TMP/want"
	if dotcanon -t "$TMP/empty.dot" | grep -q '^[SNE]	'; then
		not_ok "empty profile: the legend is gone"
	else
		ok "empty profile: the legend is gone"
	fi
else
	not_ok "empty profile: import failed"
	diag "$(cat "$TMP/err")"
	skip "empty profile: the legend is gone"
fi

# ---- refused graphs ---------------------------------------------------

# refused DESC FILE WANT: dotimport exits 2 with one message on stderr,
# "dotimport: FILE: go tool pprof graph: WANT...", and writes nothing.
refused() {
	dotimport "$2" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	_msg=$(cat "$TMP/err")
	case $_rc:$_msg in
	"2:dotimport: $2: go tool pprof graph: $3"*)
		if [ -s "$TMP/out" ] || [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
			not_ok "$1: one message, no graph"
		else
			ok "$1"
		fi
		;;
	*) not_ok "$1"; diag "exit $_rc: $_msg" "want exit 2: dotimport: $2: go tool pprof graph: $3..." ;;
	esac
}

if [ -n "$GO" ]; then
	if gopprof "$TMP/tree.dot" -call_tree -sample_index=alloc_space "$FIXTURES/heap3.pb.gz"; then
		refused "-call_tree graph (names repeat)" "$TMP/tree.dot" "nodes N"
	else
		not_ok "-call_tree graph: go tool pprof failed"
	fi
else
	skip "-call_tree graph (no go)"
fi

# The hostile graphs: NAME.dot with the start of the expected message
# in NAME.err (exit 2), or NAME.out (rows of the import, exit 0) for a
# documented fallback, and NAME.keep: lines that dotcanon -t must still
# print after the import (what the importer leaves alone).
for in in "$DATA"/*.dot; do
	name=${in##*/}
	name=${name%.dot}
	case $name in empty) continue ;; esac
	if [ -f "$DATA/$name.err" ]; then
		refused "hostile $name" "$in" "$(cat "$DATA/$name.err")"
	elif [ -f "$DATA/$name.out" ]; then
		if dotimport "$in" >"$TMP/out.dot" 2>"$TMP/err"; then
			rows <"$TMP/out.dot" >"$TMP/got"
			same_file "hostile $name: fallback" "$TMP/got" "$DATA/$name.out"
		else
			not_ok "hostile $name: fallback"
			diag "$(cat "$TMP/err")"
		fi
		if [ -f "$DATA/$name.keep" ]; then
			dotcanon -t "$TMP/out.dot" >"$TMP/canon"
			if grep -v -x -F -f "$TMP/canon" "$DATA/$name.keep" >"$TMP/lost"; then
				not_ok "hostile $name: the rest is left alone"
				diag "lost:" "$(cat "$TMP/lost")"
			else
				ok "hostile $name: the rest is left alone"
			fi
		fi
	else
		not_ok "hostile $name: no $name.err or $name.out"
	fi
done

# What the import must not add: a source (the input's name, which only
# the caller knows; graphdiff falls back to the file name) and edge
# keys (agwrite printed key="%ID" for edges copied from in-edges).
dotimport "$EXP/heap1/inuse_space.default.dot" >"$TMP/imp.dot"
if grep -q 'key=' "$TMP/imp.dot"; then
	not_ok "no edge keys invented"
	diag "$(grep 'key=' "$TMP/imp.dot" | head -3)"
else
	ok "no edge keys invented"
fi
is "no source attribute" "$(dotcanon -t -k source "$TMP/imp.dot" | head -1)" \
	"$(printf 'G\tcachesvc\tdirected\tnonstrict')"

# ---- graphs that are not pprof's are left alone ----------------------

# notpprof DESC FILE: dotimport_is_pprof is false (exit 3, "not pprof").
notpprof() {
	dotimport "$2" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	if [ "$_rc" = 3 ] && [ "$(cat "$TMP/out")" = "not pprof" ] && [ ! -s "$TMP/err" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "exit $_rc: $(head -c 300 "$TMP/out") $(cat "$TMP/err")"
	fi
}

notpprof "gprof2dot graph" "$top_srcdir/tests/graphfocus/gprof2dot.gv"
notpprof "a plain graph" "$top_srcdir/tests/graphfocus/chain.gv"
pprof2graph --tags "$FIXTURES/heap1.pb.gz" >"$TMP/p2g.dot"
notpprof "pprof2graph's graph" "$TMP/p2g.dot"
pprof2graph --no-legend -i alloc_space "$FIXTURES/heap3.pb.gz" >"$TMP/p2g.dot"
notpprof "pprof2graph's graph without a legend" "$TMP/p2g.dot"
dotimport "$EXP/heap1/inuse_space.default.dot" >"$TMP/imp.dot"
notpprof "an imported graph, imported again" "$TMP/imp.dot"

done_testing
