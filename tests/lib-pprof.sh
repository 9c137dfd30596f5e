# Helpers for comparing pprof2graph's graphs with go tool pprof's stored
# answers (tests/expected); sourced by parity.sh and filters.sh after
# tests/lib.sh.

EXP=$top_srcdir/tests/expected

# top_rows FILE: "N<TAB>name<TAB>flat<TAB>cum" from a -top listing whose
# values are exact integers (with a unit suffix such as B or ns).
top_rows() {
	awk '
		go {
			flat = $1; cum = $4; sub(/[A-Za-z]+$/, "", flat)
			sub(/[A-Za-z]+$/, "", cum)
			name = $0
			sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+  /, "", name)
			sub(/ \((partial-)?inline\)$/, "", name)
			printf "N\t%s\t%s\t%s\n", name, flat, cum
		}
		$1 == "flat" && $2 == "flat%" { go = 1 }' "$1"
}

# pprof_edges FILE: "E<TAB>src<TAB>dst<TAB>value<TAB>inline<TAB>residual"
# from a go tool pprof -dot graph (node names from the tooltips, values
# from edge labels; pass RAW=0 for values that are not exact).
pprof_edges() {
	dotcanon -t -k tooltip,label,style "$1" | awk -F '\t' -v raw="${RAW:-1}" '
		$1 == "N" && $2 ~ /^N[0-9]+$/ {
			for (i = 3; i <= NF; i++)
				if ($i ~ /^tooltip=/) {
					t = substr($i, 9); sub(/ \([^()]*\)$/, "", t)
					name[$2] = t
				}
		}
		$1 == "E" && $2 ~ /^N[0-9]+$/ && $3 ~ /^N[0-9]+$/ {
			w = ""; inl = "false"; res = "false"
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^label=/) {
					w = substr($i, 8)
					if (w ~ /\(inline\)/) inl = "true"
					sub(/\\\\n.*/, "", w); sub(/[A-Za-z]+$/, "", w)
				}
				if ($i == "style=dotted") res = "true"
			}
			if (!raw) w = "-"
			e[++n] = $2 "\t" $3 "\t" w "\t" inl "\t" res
		}
		END {
			for (i = 1; i <= n; i++) {
				split(e[i], f, "\t")
				# pprof draws an edge to "N0" when its target
				# nets to zero in a diff: no node, no edge.
				if (name[f[1]] == "" || name[f[2]] == "") continue
				printf "E\t%s\t%s\t%s\t%s\t%s\n", name[f[1]], name[f[2]], f[3], f[4], f[5]
			}
		}'
}

# pprof_nodes FILE: "N<TAB>name" of the function nodes of a pprof graph.
pprof_nodes() {
	dotcanon -t -k tooltip "$1" | awk -F '\t' '
		$1 == "N" && $2 ~ /^N[0-9]+$/ {
			t = substr($3, 9); sub(/ \([^()]*\)$/, "", t)
			printf "N\t%s\n", t
		}'
}

# ours ARGS...: pprof2graph's graph as the same kinds of rows.
ours() {
	pprof2graph "$@" >"$TMP/ours.dot" || return 1
	# In a diff, pprof's numbers are the deltas.
	dotcanon -t -k flat,cum,delta_flat,delta_cum,inline,residual "$TMP/ours.dot" | awk -F '\t' -v raw="${RAW:-1}" '
		$1 == "N" {
			cum = ""; flat = ""; dc = ""; df = ""
			for (i = 3; i <= NF; i++) {
				if ($i ~ /^cum=/) cum = substr($i, 5)
				if ($i ~ /^flat=/) flat = substr($i, 6)
				if ($i ~ /^delta_cum=/) dc = substr($i, 11)
				if ($i ~ /^delta_flat=/) df = substr($i, 12)
			}
			if (cum == "") next
			if (dc != "") { cum = dc; flat = df }
			if (raw) printf "N\t%s\t%s\t%s\n", $2, flat, cum
			else printf "N\t%s\n", $2
		}
		$1 == "E" {
			w = ""; dw = ""; inl = "false"; res = "false"
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^cum=/) w = substr($i, 5)
				if ($i ~ /^delta_cum=/) dw = substr($i, 11)
				if ($i == "inline=true") inl = "true"
				if ($i == "residual=true") res = "true"
			}
			if (dw != "") w = dw
			if (!raw) w = "-"
			printf "E\t%s\t%s\t%s\t%s\t%s\n", $2, $3, w, inl, res
		}'
}

# compare DESC GOT WANT: sorted row sets must be equal.
compare() {
	sort "$2" >"$2.s"
	sort "$3" >"$3.s"
	if [ ! -s "$3.s" ]; then
		not_ok "$1 (no expected rows)"
	elif cmp -s "$2.s" "$3.s"; then
		ok "$1 ($(wc -l <"$3.s" | tr -d ' ') rows)"
	else
		not_ok "$1"
		diff "$3.s" "$2.s" | head -20 | sed 's/^/# /'
	fi
}

# untrimmed DESC TOP DOT ARGS...: the exact comparison.
untrimmed() {
	_d=$1 _top=$2 _dot=$3
	shift 3
	{ top_rows "$_top"; pprof_edges "$_dot"; } >"$TMP/want"
	if ours -n 0 --node-fraction=0 --edge-fraction=0 "$@" >"$TMP/got"; then
		compare "$_d" "$TMP/got" "$TMP/want"
	else
		not_ok "$_d (pprof2graph failed)"
	fi
}

