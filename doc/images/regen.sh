#!/bin/sh
# Remake the pictures in doc/images from the fixture profiles.  Run from
# the build directory after make (needs Graphviz's dot):
#	sh doc/images/regen.sh
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$src/doc/images
fx=$src/tests/fixtures
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gmvimg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Run from the fixtures directory so the legends name the files only.
cd "$fx"
"$OLDPWD/pprof2graph" heap3.pb.gz | dot -Tsvg >"$out/heap3.svg"
for f in heap1 heap2 heap3; do
	"$OLDPWD/pprof2graph" $f.pb.gz >"$tmp/$f.dot"
done
"$OLDPWD/graphdiff" "$tmp/heap1.dot" "$tmp/heap3.dot" | dot -Tsvg >"$out/graphdiff-heap1-heap3.svg"
cat "$tmp/heap1.dot" "$tmp/heap2.dot" "$tmp/heap3.dot" |
	"$OLDPWD/graphdiff" --trend | dot -Tsvg >"$out/graphdiff-trend.svg"
"$OLDPWD/pprof2graph" heap3.pb.gz | "$OLDPWD/graphstyle" --scheme retention |
	dot -Tsvg >"$out/retention-heap3.svg"
