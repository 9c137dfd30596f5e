#!/bin/sh
# The Graphviz layout plugin package "retention" (plugins/), run by the
# real dot and sfdp.  The test installs the plugin just built into a
# private plugin directory of its own with build-aux/plugin-dir (what
# users without root do) and points GVBINDIR at it.  Then:
# -Kdot::retention, -Ksfdp::retention, -Kretention and every
# retention_<engine> render; the graph comes out restyled (legend,
# retention attributes); plain dot from the same directory keeps the
# core engine; rankdir=LR is honoured; every graph of a stream is
# styled; graphs without data pass through as plain dot lays them out;
# empty graphs do not crash it; valgrind finds no error and no leak in
# the plugin's own code.
#
# Under the sanitizer build (GMV_SANITIZE=1) the plugin is instrumented
# but dot is not: dot runs with the plugin's libasan in LD_PRELOAD and
# leak detection off (dot leaks by design; the styling code is
# leak-checked through the filters), and the valgrind part is skipped.

. "${top_srcdir:-.}/tests/lib.sh"

if ! command -v dot >/dev/null 2>&1 || ! command -v sfdp >/dev/null 2>&1; then
	echo "1..0 # SKIP Graphviz's dot and sfdp are not installed"
	exit 0
fi
so=
for f in "$top_builddir"/.libs/libgvplugin_retention.so.*; do
	case ${f##*.so.} in *[!0-9]* | '') ;; *) so=$f ;; esac
done
if [ -z "$so" ]; then
	echo "1..0 # SKIP the plugin was not built"
	exit 0
fi

preload=
if [ -n "${GMV_SANITIZE:-}" ]; then
	preload=$(ldd "$so" | awk '/libasan/ { print $3; exit }')
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	export ASAN_OPTIONS
fi

PLUGINS=$TMP/plugins

# gv CMD...: run a Graphviz command with the private plugin directory.
gv() {
	if [ -n "$preload" ]; then
		GVBINDIR=$PLUGINS LD_PRELOAD=$preload "$@"
	else
		GVBINDIR=$PLUGINS "$@"
	fi
}

# nodes N: the number of nodes called N in the DOT file on stdin (each
# graph of the stream counts).
nodes() {
	dotcanon -t | awk -F '\t' -v n="$1" '$1 == "N" && $2 == n { c++ } END { print c + 0 }'
}

# forward FILE: "x y": how many edges of the laid-out DOT FILE point
# right (head x greater) and how many point down (head y smaller).
forward() {
	dotcanon -t -k pos "$1" | awk -F '\t' '
		$1 == "N" { sub(/^pos=/, "", $3); split($3, p, ","); x[$2] = p[1]; y[$2] = p[2] }
		$1 == "E" { if (x[$3] > x[$2]) fx++; if (y[$3] < y[$2]) fy++ }
		END { print fx + 0, fy + 0 }'
}

# setup: the users' command, build-aux/plugin-dir, with the plugin just
# built.
setup() {
	gv "$top_builddir/build-aux/plugin-dir" -p "$so" "$PLUGINS" \
		>"$TMP/setup.out" 2>&1
}
check "a private plugin directory is made (build-aux/plugin-dir)" setup
sed 's/^/# /' "$TMP/setup.out"
if grep -q '^libgvplugin_retention\.so\.[0-9]* retention ' "$PLUGINS"/config* 2>/dev/null; then
	ok "dot -c registered the retention package"
else
	not_ok "dot -c registered the retention package"
	done_testing
	exit 0
fi

# The input: heap3 without pprof2graph's legend, so that a legend in the
# output can only come from the plugin.
pprof2graph -n 20 --no-legend "$FIXTURES/heap3.pb.gz" >"$TMP/g.dot" ||
	not_ok "pprof2graph heap3"

# render DESC CMD...: CMD -Tsvg g.dot gives an SVG and no message.
render() {
	_d=$1; shift
	if gv "$@" -Tsvg "$TMP/g.dot" >"$TMP/g.svg" 2>"$TMP/err" &&
		[ ! -s "$TMP/err" ] && grep -q '</svg>' "$TMP/g.svg"; then
		ok "$_d"
	else
		not_ok "$_d"
		head -5 "$TMP/err" | sed 's/^/# /'
	fi
}
render "dot -Kdot::retention renders heap3" dot -Kdot::retention
render "sfdp -Ksfdp::retention renders heap3" sfdp -Ksfdp::retention
render "dot -Kretention renders heap3" dot -Kretention
for e in dot neato fdp sfdp twopi circo osage patchwork; do
	render "dot -Kretention_$e renders heap3" dot -Kretention_$e
done

# The look: the legend the input did not have, retention data, colours.
if gv dot -Kdot::retention -Tdot "$TMP/g.dot" >"$TMP/styled.dot" 2>"$TMP/err"; then
	is "the plugin adds the legend" "$(nodes legend <"$TMP/styled.dot")" 1
	is "the plugin writes retention on data nodes" \
		"$(dotcanon -t -k retention "$TMP/styled.dot" | grep -c '^N.*	retention=')" \
		"$(dotcanon -t -k cum "$TMP/g.dot" | grep -c '^N.*	cum=')"
	check "styled nodes have colours" grep -q 'fillcolor="#' "$TMP/styled.dot"
else
	not_ok "dot -Kdot::retention -Tdot"
	head -5 "$TMP/err" | sed 's/^/# /'
fi
if gv sfdp -Ksfdp::retention -Tdot "$TMP/g.dot" >"$TMP/sfdp.dot" 2>/dev/null; then
	is "sfdp through the plugin is styled too" "$(nodes legend <"$TMP/sfdp.dot")" 1
else
	not_ok "sfdp -Ksfdp::retention -Tdot"
fi

# A cpu profile has no retention: a warning, and the pprof look.
pprof2graph -n 20 "$FIXTURES/cpu.pb.gz" >"$TMP/cpu.dot" || not_ok "pprof2graph cpu"
if gv dot -Kdot::retention -Tdot "$TMP/cpu.dot" >"$TMP/cpu-out.dot" 2>"$TMP/err"; then
	check "cpu: the plugin warns that it cannot show retention" \
		grep -q 'retention: no alloc_space and inuse_space: drawn with the pprof scheme' "$TMP/err"
	is "cpu: no retention attribute" \
		"$(dotcanon -t -k retention "$TMP/cpu-out.dot" | grep -c '	retention=')" 0
	check "cpu: drawn with the pprof look (filled, coloured)" \
		grep -q 'fillcolor="#' "$TMP/cpu-out.dot"
else
	not_ok "dot -Kdot::retention on a cpu graph"
	head -5 "$TMP/err" | sed 's/^/# /'
fi

# Plain dot, with the plugin registered, is Graphviz's dot: same output
# as without the private directory, no legend.
gv dot -Tdot "$TMP/g.dot" >"$TMP/plain.dot" 2>/dev/null
dot -Tdot "$TMP/g.dot" >"$TMP/core.dot" 2>/dev/null
same_file "plain dot keeps the core engine" "$TMP/plain.dot" "$TMP/core.dot"
is "plain dot does not restyle" "$(nodes legend <"$TMP/plain.dot")" 0
# One colon names a dependency, not a package: Graphviz picks core dot.
gv dot -Kdot:retention -Tdot "$TMP/g.dot" >"$TMP/one.dot" 2>/dev/null
is "-Kdot:retention (one colon) is core dot" "$(nodes legend <"$TMP/one.dot")" 0

# rankdir=LR (read by graph_init before the plugin restyles) still lays
# the calls out left to right.
sed '1a\
	rankdir=LR;' "$TMP/g.dot" >"$TMP/lr.dot"
gv dot -Kdot::retention -Tdot "$TMP/lr.dot" >"$TMP/lr.out.dot" 2>/dev/null
gv dot -Kdot::retention -Tdot "$TMP/g.dot" >"$TMP/tb.out.dot" 2>/dev/null
nedges=$(dotcanon -t "$TMP/g.dot" | grep -c '^E')
is "rankdir=LR: every call points right" "$(forward "$TMP/lr.out.dot")" "$nedges 0"
is "rankdir TB (default): every call points down" "$(forward "$TMP/tb.out.dot")" "0 $nedges"

# A stream of two graphs: both styled.
cat "$TMP/g.dot" "$TMP/g.dot" >"$TMP/two.dot"
if gv dot -Kdot::retention -Tdot "$TMP/two.dot" >"$TMP/two.out.dot" 2>/dev/null; then
	is "both graphs of a stream are styled" "$(nodes legend <"$TMP/two.out.dot")" 2
else
	not_ok "dot -Kdot::retention on a stream of two graphs"
fi

# Graphs without data: laid out as the core engine lays them out.
cat >"$TMP/nodata.dot" <<'EOF'
digraph g {
	rankdir=LR;
	a [fillcolor=blue, style=filled, label="A"];
	a -> b [color=red];
	b -> c;
}
EOF
gv dot -Kdot::retention -Tdot "$TMP/nodata.dot" >"$TMP/nodata.out" 2>"$TMP/err"
dot -Tdot "$TMP/nodata.dot" >"$TMP/nodata.core" 2>/dev/null
same_file "a graph without data passes through unharmed" "$TMP/nodata.out" "$TMP/nodata.core"

# Empty graphs, with and without data attributes, and a graph whose
# data is all wrong: no crash.
for g in 'digraph {}' 'graph {}' 'digraph { node [cum=""]; }' \
	'digraph { graph [total=0, unit=bytes]; node [cum=0, flat=0]; }' \
	'digraph { graph [total=x]; a [cum=zz, flat=-1, inuse_space=q]; a -> a [cum=7]; }'; do
	printf '%s\n' "$g" >"$TMP/empty.dot"
	gv dot -Kdot::retention -Tsvg "$TMP/empty.dot" >"$TMP/empty.svg" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -lt 128 ] && grep -q '</svg>' "$TMP/empty.svg"; then
		ok "no crash on: $g"
	else
		not_ok "no crash on: $g (exit $rc)"
		head -5 "$TMP/err" | sed 's/^/# /'
	fi
done

# valgrind: no error anywhere, no leak whose allocation the plugin made
# itself (Graphviz's and the system libraries' own leaks are
# suppressed: their allocations come from objects under /usr or /lib).
if [ -n "${GMV_SANITIZE:-}" ]; then
	skip "valgrind (sanitizer build)"
	skip "valgrind (sanitizer build)"
elif ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind is not installed"
	skip "valgrind is not installed"
else
	cat >"$TMP/system.supp" <<'EOF'
{
   allocated-by-system-libraries
   Memcheck:Leak
   match-leak-kinds: all
   obj:/usr/*
   obj:/usr/*
}
{
   allocated-by-system-libraries-lib
   Memcheck:Leak
   match-leak-kinds: all
   obj:/usr/*
   obj:/lib*
}
EOF
	for l in dot sfdp; do
		if gv valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			--suppressions="$TMP/system.supp" \
			"$l" -K"$l::retention" -Tsvg "$TMP/two.dot" \
			>/dev/null 2>"$TMP/vg.err"; then
			ok "valgrind: $l -K$l::retention is clean"
		else
			not_ok "valgrind: $l -K$l::retention is clean"
			head -40 "$TMP/vg.err" | sed 's/^/# /'
		fi
	done
fi

done_testing
