#!/bin/sh
# --tags draws pprof's tag boxes (nodelets): for every fixture and sample
# type, the boxes under each node, their text and their values are
# those of go tool pprof -dot (tests/expected/F/T.default.dot); without
# --tags there are none.

. "${top_srcdir:-.}/tests/lib.sh"
EXP=$top_srcdir/tests/expected

# pprof_tags FILE: "owner<TAB>box label<TAB>box value" per nodelet.
pprof_tags() {
	dotcanon -t -k tooltip,label "$1" | awk -F '\t' '
		$1 == "N" {
			tt = ""; lb = ""
			for (i = 3; i <= NF; i++) {
				if ($i ~ /^tooltip=/) tt = substr($i, 9)
				if ($i ~ /^label=/) lb = substr($i, 7)
			}
			if ($2 ~ /^N[0-9]+$/) { sub(/ \([^()]*\)$/, "", tt); name[$2] = tt }
			else { name[$2] = lb; tip[$2] = tt }
		}
		$1 == "E" { src[++n] = $2; dst[n] = $3 }
		END {
			for (i = 1; i <= n; i++)
				if (dst[i] ~ /_/)
					print name[src[i]] "\t" name[dst[i]] "\t" tip[dst[i]]
		}' | sort
}

# our_tags FILE: the same from a pprof2graph graph.
our_tags() {
	dotcanon -t -k tooltip,label,tag_of "$1" | awk -F '\t' '
		$1 == "N" {
			tt = ""; lb = ""; t = 0
			for (i = 3; i <= NF; i++) {
				if ($i ~ /^tooltip=/) tt = substr($i, 9)
				if ($i ~ /^label=/) lb = substr($i, 7)
				if ($i ~ /^tag_of=/) t = 1
			}
			if (t) { name[$2] = lb; tip[$2] = tt; tag[$2] = 1 }
			else name[$2] = $2
		}
		$1 == "E" { src[++n] = $2; dst[n] = $3 }
		END {
			for (i = 1; i <= n; i++)
				if (tag[dst[i]])
					print name[src[i]] "\t" name[dst[i]] "\t" tip[dst[i]]
		}' | sort
}

for dir in "$EXP"/*/; do
	fx=$(basename "$dir")
	[ -f "$FIXTURES/$fx.pb.gz" ] || continue
	for want in "$dir"*.default.dot; do
		type=$(basename "$want" .default.dot)
		pprof2graph --tags -i "$type" "$FIXTURES/$fx.pb.gz" >"$TMP/g.dot"
		our_tags "$TMP/g.dot" >"$TMP/got"
		pprof_tags "$want" >"$TMP/want"
		if cmp -s "$TMP/got" "$TMP/want"; then
			ok "$fx $type: the tag boxes of go tool pprof ($(wc -l <"$TMP/want" | tr -d ' '))"
		else
			not_ok "$fx $type: the tag boxes of go tool pprof"
			diff "$TMP/want" "$TMP/got" | head -10 | sed 's/^/# /'
		fi
	done
done
pprof2graph "$FIXTURES/heap3.pb.gz" | dotcanon -k tag_of >"$TMP/no"
if grep -q tag_of "$TMP/no"; then not_ok "no tag boxes without --tags"; else ok "no tag boxes without --tags"; fi
if pprof2graph --tags "$FIXTURES/cpu.pb.gz" | dot -Tsvg >/dev/null 2>"$TMP/err" && [ ! -s "$TMP/err" ]; then
	ok "a graph with tag boxes renders"
else
	not_ok "a graph with tag boxes renders"
fi

done_testing
