#!/bin/sh
# Rewrite the data inputs of the graphfocus golden cases (../*.gv made
# by pprof2graph) from the folded stacks in this directory.  Run it from
# anywhere, with PPROF2GRAPH naming the binary (default: pprof2graph in
# the build directory given as $1, else on PATH).  The inputs are
# committed; rerun this only when their source changes, then regenerate
# the expectations (make check GOLDEN_UPDATE=1) and read the diff.

set -eu
here=$(cd "$(dirname "$0")" && pwd)
p2g=${PPROF2GRAPH:-${1:+$1/pprof2graph}}
: "${p2g:=pprof2graph}"
all='-n 0 --node-fraction=0 --edge-fraction=0'
cd "$here"
# shellcheck disable=SC2086 # $all is a list of options
for f in diamond chain cycle-entry ignore trim; do
	"$p2g" $all "$f.folded" >"../$f.gv"
done
# shellcheck disable=SC2086
"$p2g" $all -g lines lines.folded >../lines.gv
# A graph already filtered by pprof2graph (its filters attribute is
# appended to).
# shellcheck disable=SC2086
"$p2g" $all --hide='main\.E$' chain.folded >../chain-filtered.gv
