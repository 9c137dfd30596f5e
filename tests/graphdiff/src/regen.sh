#!/bin/sh
# Rewrite the data inputs of the graphdiff golden cases (../*.gv made by
# pprof2graph, untrimmed) from the folded stacks in this directory.  Run
# it from anywhere, with PPROF2GRAPH naming the binary (default:
# pprof2graph in the build directory given as $1, else on PATH).  The
# inputs are committed; rerun this only when their source changes, then
# regenerate the expectations (make check GOLDEN_UPDATE=1) and read the
# diff.

set -eu
here=$(cd "$(dirname "$0")" && pwd)
p2g=${PPROF2GRAPH:-${1:+$1/pprof2graph}}
: "${p2g:=pprof2graph}"
all='-n 0 --node-fraction=0 --edge-fraction=0'
cd "$here"
# shellcheck disable=SC2086 # $all is a list of options
for f in old new empty t1 t2 t3 t4 alloc; do
	"$p2g" $all "$f.folded" >"../$f.gv"
done
# The same pair as pprof2graph --base computes it (not an input: a
# graph that is already a diff, which graphdiff refuses).
# shellcheck disable=SC2086
"$p2g" $all --base old.folded new.folded >../already-diff.gv
# Standard inputs of the stdin and stream cases.
cp ../old.gv ../pair-stdin.in
cat ../t1.gv ../t2.gv ../t3.gv ../t4.gv >../trend-stdin.in
cat ../t1.gv ../t2.gv ../t3.gv >../stream.in
