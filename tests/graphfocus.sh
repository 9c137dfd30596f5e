#!/bin/sh
# graphfocus on real graphs: property checks where the golden cases
# (tests/graphfocus/) would be too many to write by hand.
#
# The inputs are the fixture profiles through pprof2graph, untrimmed
# (-n 0 --node-fraction=0 --edge-fraction=0) and with its default
# trimming, and go tool pprof's own -dot output (tests/expected).  The
# answer is computed from the ORIGINAL graph with awk over dotcanon -t:
# the nodes matching the pattern (in their ID, func or label), the
# ancestors within -u hops and the descendants within --down hops.
# graphfocus runs untrimmed too, so the kept nodes must be exactly
# those; edges, values, focus_flow and the filters attribute are then
# checked against the input.  Also: --ignore, --hide and --show against
# the same kind of computation, trimming bounds, tag boxes, restyling,
# streams, -o, rendering with dot and sfdp, and exit statuses.
#
# The patterns are chosen to mean the same as awk EREs and as PCRE2, and
# to match the same whether a name is escaped (dotcanon doubles
# backslashes) or not.

. "${top_srcdir:-.}/tests/lib.sh"

if [ ! -x "$top_builddir/graphfocus" ]; then
	echo "Bail out! graphfocus is not built ($top_builddir/graphfocus)"
	exit 1
fi

NOTRIM='-n 0 --node-fraction=0 --edge-fraction=0'
RENDER=yes
command -v dot >/dev/null 2>&1 && command -v sfdp >/dev/null 2>&1 || RENDER=

# ---- helpers ---------------------------------------------------------

# roles TSV: the expected nodes of a focus, "name<TAB>role" with role
# match, anc (ancestor only), desc (descendant only) or both, from the
# dotcanon -t dump of the original graph.  Environment: PAT (an ERE),
# UP and DOWN (hops, -1 for no limit), ALL (1: every node may match and
# be kept, as in a foreign graph; else only data nodes, those with a
# cum), FIELDS (what is matched: id,func,label).  Tag boxes (tag_of) and
# tag edges are left out; they go with their owner.
roles() {
	awk -F '\t' '
	BEGIN {
		pat = ENVIRON["PAT"]; up = ENVIRON["UP"] + 0
		down = ENVIRON["DOWN"] + 0; all = ENVIRON["ALL"] + 0
		fields = ENVIRON["FIELDS"]
		if (fields == "") fields = "id,func,label"
	}
	$1 == "N" {
		data = 0; f = ""; l = ""; tag = 0
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^cum=/) data = 1
			else if ($i ~ /^func=/) f = substr($i, 6)
			else if ($i ~ /^label=/) l = substr($i, 7)
			else if ($i ~ /^tag_of=/) tag = 1
		}
		if (tag || (!all && !data)) next
		node[$2] = 1
		if ((index(fields, "id") && $2 ~ pat) ||
		    (index(fields, "func") && f != "" && f ~ pat) ||
		    (index(fields, "label") && l != "" && l ~ pat))
			m[$2] = 1
	}
	$1 == "E" {
		for (i = 5; i <= NF; i++) if ($i == "tag=true") next
		ne++; et[ne] = $2; eh[ne] = $3
	}
	END {
		for (n in m) { du[n] = 0; dd[n] = 0 }
		for (r = 1; up < 0 || r <= up; r++) {
			changed = 0
			for (e = 1; e <= ne; e++) {
				t = et[e]; h = eh[e]
				if (!(t in node) || !(h in node)) continue
				if ((h in du) && du[h] == r - 1 && !(t in du)) { du[t] = r; changed = 1 }
			}
			if (!changed) break
		}
		for (r = 1; down < 0 || r <= down; r++) {
			changed = 0
			for (e = 1; e <= ne; e++) {
				t = et[e]; h = eh[e]
				if (!(t in node) || !(h in node)) continue
				if ((t in dd) && dd[t] == r - 1 && !(h in dd)) { dd[h] = r; changed = 1 }
			}
			if (!changed) break
		}
		for (n in node) {
			if (n in m) role = "match"
			else if ((n in du) && (n in dd)) role = "both"
			else if (n in du) role = "anc"
			else if (n in dd) role = "desc"
			else continue
			print n "\t" role
		}
	}' "$1" | sort
}

# names TSV: the names of the data nodes (ALL=1: of every node) that are
# not tag boxes, sorted.
names() {
	awk -F '\t' -v all="${ALL:-0}" '
	$1 == "N" {
		data = 0
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^tag_of=/) next
			if ($i ~ /^cum=/) data = 1
		}
		if (all || data) print $2
	}' "$1" | sort
}

# nodedata TSV: "name<TAB>attributes" of the nodes that are not tag
# boxes, with only the data attributes (flat, cum, flat_T, cum_T, func,
# file, line, address), or every attribute with ALL=1.
nodedata() {
	awk -F '\t' -v all="${ALL:-0}" '
	$1 == "N" {
		s = $2; data = 0
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^tag_of=/) next
			if ($i ~ /^cum=/) data = 1
			if (all || $i ~ /^(flat|cum)(_[^=]*)?=/ || $i ~ /^(func|file|line|address)=/)
				s = s "\t" $i
		}
		if (all || data) print s
	}' "$1" | sort
}

# edgedata TSV [KEEP]: "tail<TAB>head<TAB>attributes" of the edges that
# are not tag edges, with only data attributes (cum, cum_T, inline,
# residual) or, with ALL=1, every attribute; with a KEEP file of names,
# only the edges between two of them.
edgedata() {
	awk -F '\t' -v all="${ALL:-0}" -v keep="${2:-}" '
	BEGIN { if (keep != "") while ((getline k < keep) > 0) kept[k] = 1 }
	$1 == "E" {
		s = $2 "\t" $3
		for (i = 5; i <= NF; i++) {
			if ($i == "tag=true") next
			if (all || $i ~ /^cum(_[^=]*)?=/ || $i ~ /^(inline|residual)=/)
				s = s "\t" $i
		}
		if (keep != "" && (!($2 in kept) || !($3 in kept))) next
		print s
	}' "$1" | sort
}

# attr TSV NAME KEY: the value of attribute KEY of node NAME (empty when
# absent).
attr() {
	awk -F '\t' -v n="$2" -v k="$3=" '
	$1 == "N" && $2 == n {
		for (i = 3; i <= NF; i++)
			if (index($i, k) == 1) print substr($i, length(k) + 1)
	}' "$1"
}

# rawfilters DOT: the root graph's filters attribute, as stored (dotcanon
# doubles backslashes; undo it).
rawfilters() {
	dotcanon -t -k filters "$1" | awk -F '\t' '$1 == "G" {
		for (i = 5; i <= NF; i++) if ($i ~ /^filters=/) print substr($i, 9)
		exit
	}' | sed 's/\\\\/\\/g'
}

# escaped STRING: the schema's escaped form of a pattern (a backslash
# doubled; the patterns here have no control bytes).
escaped() {
	printf '%s\n' "$1" | sed 's/\\/\\\\/g'
}

# fail PROPERTY MESSAGE: remember a failure of PROPERTY for the summary.
fail() {
	printf '%s\n' "$2" >>"$TMP/fail.$1"
}

# edge_changes IN.TSV OUT.TSV: what is wrong with OUT's edges: residual
# edges not dotted, new edges not residual, input edges that are not
# residual with another value.
edge_changes() {
	awk -F '\t' '
		FILENAME == ARGV[1] {
			if ($1 == "E") for (i = 5; i <= NF; i++) if ($i ~ /^cum=/) old[$2 "\t" $3] = substr($i, 5)
			next
		}
		$1 == "E" {
			res = 0; dotted = 0; c = ""
			for (i = 5; i <= NF; i++) {
				if ($i == "residual=true") res = 1
				if ($i ~ /^style=.*dotted/) dotted = 1
				if ($i ~ /^cum=/) c = substr($i, 5)
			}
			k = $2 "\t" $3
			if (res && !dotted) printf "%s -> %s is residual but not dotted; ", $2, $3
			if (!(k in old) && !res) printf "%s -> %s is new but not residual; ", $2, $3
			if ((k in old) && !res && c != old[k]) printf "%s -> %s: cum %s, was %s; ", $2, $3, c, old[k]
		}' "$1" "$2"
}

# edge_types TSV WHAT: every edge with a value (cum) carries it for every
# sample type of the graph (cum_T), as pprof2graph writes them, residual
# edges included, and a residual edge's estimate for the selected type
# (cum_T of sample_type, estimated on its own) is its cum; failures go to
# the property edgetypes.
edge_types() {
	_bad=$(awk -F '\t' '
		$1 == "G" {
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^sample_types=/) nt = split(substr($i, 14), t, ",")
				if ($i ~ /^sample_type=/) st = substr($i, 13)
			}
		}
		$1 == "E" {
			c = ""; r = 0; ct = ""; s = ""
			for (i = 5; i <= NF; i++) {
				if ($i ~ /^cum=/) c = substr($i, 5)
				if ($i == "residual=true") r = 1
				if (st != "" && index($i, "cum_" st "=") == 1) ct = substr($i, length(st) + 6)
				s = s "\t" $i "\t"
			}
			if (c == "") next
			for (k = 1; k <= nt; k++)
				if (index(s, "\tcum_" t[k] "=") == 0) { printf "%s -> %s has no cum_%s; ", $2, $3, t[k]; next }
			if (r && ct != "" && ct != c) printf "%s -> %s: cum %s but cum_%s %s; ", $2, $3, c, st, ct
		}' "$1" | head -c 300)
	[ -z "$_bad" ] || fail edgetypes "$2: $_bad"
}

# report PROPERTY DESC: ok when PROPERTY never failed since the last
# report of it, else not ok with the first failures.
report() {
	if [ -s "$TMP/fail.$1" ]; then
		not_ok "$2"
		head -n 8 "$TMP/fail.$1" | sed 's/^/# /'
		n=$(wc -l <"$TMP/fail.$1" | tr -d ' ')
		[ "$n" -le 8 ] || diag "... $n failures in all"
	else
		ok "$2"
	fi
	rm -f "$TMP/fail.$1"
}

# depth_opts SPEC: graphfocus options and hop limits for a depth spec
# "all", "dN" or "uN:D"; sets DOPTS, UP, DOWN.
depth_opts() {
	case $1 in
	all) DOPTS='' UP=-1 DOWN=-1 ;;
	d*) DOPTS="-d ${1#d}" UP=${1#d} DOWN=${1#d} ;;
	u*) UP=${1#u}; UP=${UP%%:*}; DOWN=${1#*:}; DOPTS="-u $UP --down $DOWN" ;;
	esac
}

# focus_check LABEL IN.dot PAT DEPTHSPEC: run graphfocus PAT untrimmed on
# IN.dot and check it against the computed answer; failures go to the
# properties status, kept, edges, values, flow and filters.  The caller
# puts IN.dot's dotcanon -t dump in $TMP/in.tsv and its filters
# attribute in IN_FILTERS.
focus_check() {
	_l=$1 _in=$2
	PAT=$3
	depth_opts "$4"
	export PAT UP DOWN ALL FIELDS
	_what="$_l: '$PAT' ${DOPTS:--d all}"
	roles "$TMP/in.tsv" >"$TMP/roles"
	cut -f 1 "$TMP/roles" >"$TMP/want.names"
	# shellcheck disable=SC2086 # option lists
	graphfocus $DOPTS $NOTRIM "$PAT" "$_in" >"$TMP/out.dot" 2>"$TMP/err"
	_s=$?
	if [ -s "$TMP/roles" ]; then
		[ $_s -eq 0 ] && [ ! -s "$TMP/err" ] ||
			fail status "$_what: exit $_s, want 0; $(head -c 300 "$TMP/err")"
	else
		[ $_s -eq 1 ] && grep -q "^graphfocus: no node matched" "$TMP/err" ||
			fail status "$_what: matches nothing: exit $_s, want 1 and a message; $(head -c 300 "$TMP/err")"
		return
	fi
	if ! dotcanon -t "$TMP/out.dot" >"$TMP/out.tsv" 2>"$TMP/err"; then
		fail kept "$_what: the output does not parse: $(head -c 300 "$TMP/err")"
		return
	fi
	names "$TMP/out.tsv" >"$TMP/got.names"
	if ! cmp -s "$TMP/got.names" "$TMP/want.names"; then
		fail kept "$_what: kept nodes differ (-missing +extra): $(diff "$TMP/want.names" "$TMP/got.names" | sed -n 's/^\([<>]\) /\1/p' | tr '<>\n' '-+ ' | head -c 400)"
	fi
	edgedata "$TMP/in.tsv" "$TMP/want.names" >"$TMP/want.edges"
	edgedata "$TMP/out.tsv" >"$TMP/got.edges"
	if ! cmp -s "$TMP/got.edges" "$TMP/want.edges"; then
		fail edges "$_what: edges are not the input's edges between kept nodes: $(diff "$TMP/want.edges" "$TMP/got.edges" | sed -n 's/^\([<>]\) /\1/p' | head -n 3 | tr '\n\t' '  ')"
	fi
	nodedata "$TMP/in.tsv" | join -t "$(printf '\t')" - "$TMP/got.names" >"$TMP/want.values"
	nodedata "$TMP/out.tsv" >"$TMP/got.values"
	if ! cmp -s "$TMP/got.values" "$TMP/want.values"; then
		fail values "$_what: node data differ: $(diff "$TMP/want.values" "$TMP/got.values" | sed -n 's/^\([<>]\) /\1/p' | head -n 2 | tr '\n\t' '  ' | head -c 400)"
	fi
	# focus_flow: on every ancestor, never above its cum, at least what
	# the ancestor's edges into matching nodes carry; not on nodes that
	# are only descendants.
	if [ "${ALL:-0}" != 1 ]; then
		_bad=$(awk -F '\t' '
			FILENAME == ARGV[1] { role[$1] = $2; next }
			$1 == "N" {
				c = ""; ff = ""
				for (i = 3; i <= NF; i++) {
					if ($i ~ /^cum=/) c = substr($i, 5)
					if ($i ~ /^focus_flow=/) ff = substr($i, 12)
				}
				if (c == "" || !($2 in role)) next
				cum[$2] = c; flow[$2] = ff
			}
			$1 == "E" && role[$3] == "match" {
				for (i = 5; i <= NF; i++)
					if ($i ~ /^cum=/ && substr($i, 5) + 0 > into[$2] + 0) into[$2] = substr($i, 5)
			}
			END {
				for (n in role) {
					r = role[n]
					if (!(n in cum)) continue
					if ((r == "anc" || r == "both") && flow[n] == "")
						printf "%s (an ancestor) has no focus_flow; ", n
					else if (r == "desc" && flow[n] != "")
						printf "%s (only a descendant) has focus_flow=%s; ", n, flow[n]
					else if (flow[n] != "" && (flow[n] !~ /^-?[0-9]+$/ || (cum[n] >= 0 && (flow[n] + 0 > cum[n] + 0 || flow[n] + 0 < 0))))
						printf "%s: focus_flow=%s, cum=%s; ", n, flow[n], cum[n]
					else if ((r == "anc" || r == "both") && (n in into) && flow[n] + 0 < into[n] + 0)
						printf "%s: focus_flow=%s < %s, its edge into a match; ", n, flow[n], into[n]
				}
			}' "$TMP/roles" "$TMP/out.tsv")
		[ -z "$_bad" ] || fail flow "$_what: $_bad"
	fi
	# The filters attribute: the input's, then focus=PAT.
	_old=$IN_FILTERS
	_want="focus=$(escaped "$PAT")"
	[ -z "$_old" ] || _want="$_old\\x0a$_want"
	_got=$(rawfilters "$TMP/out.dot")
	# The hop limits may follow on the line (graphfocus writes
	# "focus=RE up=U down=D").
	case $_got in
	"$_want") ;;
	"$_want "*) case ${_got#"$_want"} in
		*[!a-z0-9=\ ]*) fail filters "$_what: filters=\"$_got\", want \"$_want\" (then hop limits)" ;;
		esac ;;
	*) fail filters "$_what: filters=\"$_got\", want \"$_want\"" ;;
	esac
}

# ---- focus on pprof2graph graphs ------------------------------------------

PATTERNS='fill readBody runtime\. ^main\.main$ Pool'
DEPTHS='all d0 d1 u1:3 u3:0'
ALL=0 FIELDS=
for f in "$FIXTURES"/*.pb.gz; do
	name=$(basename "$f" .pb.gz)
	for variant in untrimmed default; do
		if [ $variant = untrimmed ]; then
			# shellcheck disable=SC2086
			pprof2graph $NOTRIM "$f" >"$TMP/$name.dot"
		else
			pprof2graph "$f" >"$TMP/$name.dot"
		fi || { not_ok "$name: pprof2graph failed"; continue; }
		dotcanon -t "$TMP/$name.dot" >"$TMP/in.tsv" || { not_ok "$name: the input does not parse"; continue; }
		IN_FILTERS=$(rawfilters "$TMP/$name.dot")
		for pat in $PATTERNS; do
			for d in $DEPTHS; do
				focus_check "$name $variant" "$TMP/$name.dot" "$pat" "$d"
			done
		done
		report status "$name ($variant): exit 0 when a node matches, 1 and a message when none does"
		report kept "$name ($variant): the kept nodes are exactly the matches and their ancestors and descendants within the hop limits"
		report edges "$name ($variant): the edges are the input's edges between kept nodes, values unchanged"
		report values "$name ($variant): every kept node keeps its flat, cum, flat_T, cum_T and names"
		report flow "$name ($variant): focus_flow on ancestors only, between their edge into the focus and their cum"
		report filters "$name ($variant): the filters attribute ends with focus=PATTERN"
	done
done

# A focused graph focused again: the same properties, against the graph
# the first focus wrote (its focus_flow must give way to the new one).
for first in 'fill$' 'Work$|newBuf'; do
	for f in heap3 cpu; do
		# shellcheck disable=SC2086
		pprof2graph $NOTRIM "$FIXTURES/$f.pb.gz" |
			graphfocus $NOTRIM "$first" >"$TMP/$f.dot" 2>/dev/null
		dotcanon -t "$TMP/$f.dot" >"$TMP/in.tsv" || { not_ok "$f: the focused graph does not parse"; continue; }
		IN_FILTERS=$(rawfilters "$TMP/$f.dot")
		for pat in '^main\.main$' 'heapRound|cpuPhase$' 'fill'; do
			for d in all d1; do
				focus_check "$f focused on '$first'" "$TMP/$f.dot" "$pat" "$d"
			done
		done
	done
done
report status "focused again: exit statuses"
report kept "focused again: the kept nodes"
report edges "focused again: the edges"
report values "focused again: the values"
report flow "focused again: focus_flow on the new focus's ancestors only, none left over from the first"
report filters "focused again: the filters attribute has both lines"

# -m: one field at a time (heap3 untrimmed; func equals the ID there,
# and labels split names at dots: main\n(*Cache)\nfill).
# shellcheck disable=SC2086
pprof2graph $NOTRIM "$FIXTURES/heap3.pb.gz" >"$TMP/heap3.dot"
for fields in id func label id,label; do
	FIELDS=$fields
	for pat in fill 'Cache\)\.fill' 'main\.main'; do
		PAT=$pat UP=-1 DOWN=-1
		export PAT UP DOWN ALL FIELDS
		dotcanon -t "$TMP/heap3.dot" >"$TMP/in.tsv"
		roles "$TMP/in.tsv" | cut -f 1 >"$TMP/want.names"
		# shellcheck disable=SC2086
		graphfocus -m "$fields" $NOTRIM "$pat" "$TMP/heap3.dot" >"$TMP/out.dot" 2>"$TMP/err"
		s=$?
		if [ -s "$TMP/want.names" ]; then
			[ $s -eq 0 ] || fail m "-m $fields '$pat': exit $s, want 0"
		else
			[ $s -eq 1 ] || fail m "-m $fields '$pat': exit $s, want 1 (no match)"
			continue
		fi
		dotcanon -t "$TMP/out.dot" >"$TMP/out.tsv" && names "$TMP/out.tsv" >"$TMP/got.names" &&
			cmp -s "$TMP/got.names" "$TMP/want.names" ||
			fail m "-m $fields '$pat': kept nodes differ: $(diff "$TMP/want.names" "$TMP/got.names" | head -n 4 | tr '\n' ' ')"
	done
done
FIELDS=
report m "-m id, func, label, id,label: each matches only what it names"

# -i
# shellcheck disable=SC2086
graphfocus $NOTRIM 'CACHE' "$TMP/heap3.dot" >/dev/null 2>&1
is "without -i, CACHE matches nothing in heap3" "$?" 1
# shellcheck disable=SC2086
graphfocus -i $NOTRIM 'CACHE' "$TMP/heap3.dot" >"$TMP/i.dot" 2>/dev/null
s=$?
# shellcheck disable=SC2086
graphfocus $NOTRIM 'Cache' "$TMP/heap3.dot" >"$TMP/c.dot" 2>/dev/null
if [ $s -eq 0 ] && [ "$(dotcanon -t "$TMP/i.dot" | names /dev/stdin)" = "$(dotcanon -t "$TMP/c.dot" | names /dev/stdin)" ]; then
	ok "-i CACHE keeps what Cache keeps"
else
	not_ok "-i CACHE keeps what Cache keeps (exit $s)"
fi

# An empty pattern matches every node: on an untrimmed graph, nothing
# changes but the filters attribute and the legend.
for f in heap3 cpu goroutine; do
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM "$FIXTURES/$f.pb.gz" >"$TMP/a.dot"
	# shellcheck disable=SC2086
	graphfocus $NOTRIM '' "$TMP/a.dot" >"$TMP/b.dot" 2>"$TMP/err"
	s=$?
	dotcanon -t -x focus_flow "$TMP/a.dot" | grep -v '^[GSM]' | grep -v "^N$(printf '\t')legend" >"$TMP/a.tsv"
	dotcanon -t -x focus_flow "$TMP/b.dot" | grep -v '^[GSM]' | grep -v "^N$(printf '\t')legend" >"$TMP/b.tsv"
	if [ $s -eq 0 ] && cmp -s "$TMP/a.tsv" "$TMP/b.tsv"; then
		ok "$f: an empty pattern keeps every node and edge, attributes and look unchanged"
	else
		not_ok "$f: an empty pattern keeps every node and edge, attributes and look unchanged (exit $s)"
		diff "$TMP/a.tsv" "$TMP/b.tsv" | head -n 10 | cut -c 1-300 | sed 's/^/# /'
	fi
done

# Restyling follows the data: focusing again on everything changes
# nothing (labels, colours, sizes are derived from the kept numbers).
for f in heap3 allocs cpu; do
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM "$FIXTURES/$f.pb.gz" >"$TMP/a.dot"
	graphfocus -d 2 'main\.' "$TMP/a.dot" >"$TMP/b.dot" 2>/dev/null
	# shellcheck disable=SC2086
	graphfocus $NOTRIM '' "$TMP/b.dot" >"$TMP/c.dot" 2>/dev/null
	dotcanon -t -x focus_flow "$TMP/b.dot" | grep -v '^[GSM]' | grep -v "^N$(printf '\t')legend" >"$TMP/b.tsv"
	dotcanon -t -x focus_flow "$TMP/c.dot" | grep -v '^[GSM]' | grep -v "^N$(printf '\t')legend" >"$TMP/c.tsv"
	if [ -s "$TMP/b.tsv" ] && cmp -s "$TMP/b.tsv" "$TMP/c.tsv"; then
		ok "$f: a focused graph is styled as its numbers say (restyling it again changes nothing)"
	else
		not_ok "$f: a focused graph is styled as its numbers say (restyling it again changes nothing)"
		diff "$TMP/b.tsv" "$TMP/c.tsv" | head -n 10 | cut -c 1-300 | sed 's/^/# /'
	fi
done

# The legend of a pprof2graph graph lists the focus.
graphfocus fill "$TMP/heap3.dot" >"$TMP/f.dot" 2>/dev/null
if grep -q 'Active filters:' "$TMP/f.dot" && grep -q 'focus=fill' "$TMP/f.dot"; then
	ok "the legend lists the active filters"
else
	not_ok "the legend lists the active filters"
fi

# ---- --ignore, --hide, --show ----------------------------------------------

# ignore_expect TSV: the nodes --ignore PAT '' keeps: all data nodes but
# the matching ones and those reachable from an entry point (a node
# without callers) before and not after removing them.
ignore_expect() {
	awk -F '\t' '
	BEGIN { pat = ENVIRON["PAT"] }
	$1 == "N" {
		for (i = 3; i <= NF; i++) if ($i ~ /^tag_of=/) next
		for (i = 3; i <= NF; i++) if ($i ~ /^cum=/) { node[$2] = 1; f = ""; l = ""
			for (j = 3; j <= NF; j++) {
				if ($j ~ /^func=/) f = substr($j, 6)
				if ($j ~ /^label=/) l = substr($j, 7)
			}
			if ($2 ~ pat || (f != "" && f ~ pat) || (l != "" && l ~ pat)) ign[$2] = 1
		}
	}
	$1 == "E" {
		for (i = 5; i <= NF; i++) if ($i == "tag=true") next
		ne++; et[ne] = $2; eh[ne] = $3
	}
	END {
		for (e = 1; e <= ne; e++) if (et[e] in node && eh[e] in node) called[eh[e]] = 1
		for (n in node) if (!(n in called)) { before[n] = 1; if (!(n in ign)) after[n] = 1 }
		do { ch = 0
			for (e = 1; e <= ne; e++) {
				t = et[e]; h = eh[e]
				if (!(t in node) || !(h in node)) continue
				if ((t in before) && !(h in before)) { before[h] = 1; ch = 1 }
				if ((t in after) && !(h in after) && !(h in ign)) { after[h] = 1; ch = 1 }
			}
		} while (ch)
		for (n in node) if (!(n in ign) && !((n in before) && !(n in after))) print n
	}' "$1" | sort
}

# through_expect TSV: "tail<TAB>head" pairs a graph with the nodes in
# the file $DROP removed (--hide, or the complement of --show) must have:
# every edge between kept nodes, and a (residual) edge from each kept
# caller to each kept node it reaches through removed nodes only.
through_expect() {
	awk -F '\t' '
	FILENAME == ARGV[1] { drop[$1] = 1; next }
	$1 == "N" {
		for (i = 3; i <= NF; i++) if ($i ~ /^tag_of=/) next
		for (i = 3; i <= NF; i++) if ($i ~ /^cum=/) node[$2] = 1
	}
	$1 == "E" {
		for (i = 5; i <= NF; i++) if ($i == "tag=true") next
		ne++; et[ne] = $2; eh[ne] = $3
	}
	END {
		for (e = 1; e <= ne; e++) {
			t = et[e]; h = eh[e]
			if (!(t in node) || !(h in node) || (t in drop)) continue
			if (!(h in drop)) { pair[t "\t" h] = 1; continue }
			# A walk from t through dropped nodes.
			delete seen; delete q; qn = 1; q[1] = h; seen[h] = 1
			for (k = 1; k <= qn; k++) {
				x = q[k]
				for (e2 = 1; e2 <= ne; e2++) {
					if (et[e2] != x || !(eh[e2] in node)) continue
					y = eh[e2]
					if (y in seen) continue
					seen[y] = 1
					if (y in drop) q[++qn] = y
					else if (y != t) pair[t "\t" y] = 1
				}
			}
		}
		for (p in pair) print p
	}' "$2" "$1" | sort
}

for f in heap3 cpu goroutine allocs; do
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM "$FIXTURES/$f.pb.gz" >"$TMP/a.dot"
	dotcanon -t "$TMP/a.dot" >"$TMP/a.tsv"
	for pat in 'runtime\.main$' heapRound 'sync\.'; do
		PAT=$pat
		export PAT
		ignore_expect "$TMP/a.tsv" >"$TMP/want.names"
		# shellcheck disable=SC2086
		graphfocus $NOTRIM --ignore "$pat" '' "$TMP/a.dot" >"$TMP/out.dot" 2>"$TMP/err"
		s=$?
		if [ ! -s "$TMP/want.names" ]; then
			[ $s -eq 1 ] || fail ignore "$f --ignore '$pat': nothing is left: exit $s, want 1"
			continue
		fi
		[ $s -eq 0 ] || { fail ignore "$f --ignore '$pat': exit $s"; continue; }
		dotcanon -t "$TMP/out.dot" | names /dev/stdin >"$TMP/got.names"
		cmp -s "$TMP/got.names" "$TMP/want.names" ||
			fail ignore "$f --ignore '$pat': kept nodes differ (-missing +extra): $(diff "$TMP/want.names" "$TMP/got.names" | sed -n 's/^\([<>]\) /\1/p' | tr '<>\n' '-+ ' | head -c 300)"
	done
done
report ignore "--ignore drops the matching nodes and what was reachable from the entry points only through them"

# --hide and --show: the nodes left, and the edges that join them.
for f in heap3 cpu goroutine allocs; do
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM "$FIXTURES/$f.pb.gz" >"$TMP/a.dot"
	dotcanon -t "$TMP/a.dot" >"$TMP/a.tsv"
	ALL=0
	for op in hide show; do
		for pat in 'runtime\.' 'main\.' 'sync\.|fmt\.'; do
			PAT=$pat UP=0 DOWN=0 FIELDS=
			export PAT UP DOWN FIELDS ALL
			roles "$TMP/a.tsv" | cut -f 1 >"$TMP/match"
			names "$TMP/a.tsv" >"$TMP/all"
			if [ $op = hide ]; then
				cp "$TMP/match" "$TMP/drop"
			else
				comm -23 "$TMP/all" "$TMP/match" >"$TMP/drop"
			fi
			comm -23 "$TMP/all" "$TMP/drop" >"$TMP/want.names"
			through_expect "$TMP/a.tsv" "$TMP/drop" >"$TMP/want.pairs"
			# shellcheck disable=SC2086
			graphfocus $NOTRIM --$op "$pat" '' "$TMP/a.dot" >"$TMP/out.dot" 2>"$TMP/err"
			s=$?
			if [ ! -s "$TMP/want.names" ]; then
				# Nothing left: not checked further.
				continue
			fi
			[ $s -eq 0 ] || { fail $op "$f --$op '$pat': exit $s: $(head -c 200 "$TMP/err")"; continue; }
			dotcanon -t "$TMP/out.dot" >"$TMP/out.tsv"
			names "$TMP/out.tsv" >"$TMP/got.names"
			cmp -s "$TMP/got.names" "$TMP/want.names" ||
				fail $op "$f --$op '$pat': nodes differ (-missing +extra): $(diff "$TMP/want.names" "$TMP/got.names" | sed -n 's/^\([<>]\) /\1/p' | tr '<>\n' '-+ ' | head -c 300)"
			edgedata "$TMP/out.tsv" | cut -f 1,2 | sort -u >"$TMP/got.pairs"
			# Connectivity: no edge that stands for no path, and
			# every caller still reaches every callee it reached
			# through removed nodes (directly or not).
			extra=$(comm -13 "$TMP/want.pairs" "$TMP/got.pairs" | head -n 3 | tr '\n\t' ' >')
			[ -z "$extra" ] || fail $op "$f --$op '$pat': edges that stand for no path: $extra"
			lost=$(awk -F '\t' '
				FILENAME == ARGV[1] { out[$1] = out[$1] "\t" $2; next }
				{
					delete seen; n = 1; q[1] = $1; seen[$1] = 1; found = 0
					for (k = 1; k <= n && !found; k++) {
						m = split(out[q[k]], v, "\t")
						for (i = 2; i <= m; i++) {
							if (v[i] == $2) { found = 1; break }
							if (!(v[i] in seen)) { seen[v[i]] = 1; q[++n] = v[i] }
						}
					}
					if (!found) printf "%s>%s ", $1, $2
				}' "$TMP/got.pairs" "$TMP/want.pairs" | head -c 300)
			[ -z "$lost" ] || fail $op "$f --$op '$pat': callers that no longer reach their callees: $lost"
			# (A residual edge whose callee the caller reaches
			# another way is dropped, as pprof drops redundant
			# residual edges: reachability is what is promised.)
			# Residual edges are marked and dotted; the edges that
			# were in the input keep their value.
			bad=$(edge_changes "$TMP/a.tsv" "$TMP/out.tsv")
			[ -z "$bad" ] || fail $op "$f --$op '$pat': $bad"
			edge_types "$TMP/out.tsv" "$f --$op '$pat'"
		done
	done
done
report hide "--hide removes exactly the matching nodes, keeps every caller connected to its callees (residual edges, dotted)"
report show "--show keeps exactly the matching nodes, connected the same way (residual edges, dotted)"

# ---- trimming ----------------------------------------------------------------

for f in "$FIXTURES"/*.pb.gz; do
	name=$(basename "$f" .pb.gz)
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM "$f" >"$TMP/a.dot"
	dotcanon -t "$TMP/a.dot" >"$TMP/a.tsv"
	for n in default 5; do
		if [ $n = default ]; then o='' max=80; else o="-n $n" max=$n; fi
		PAT='main\.' UP=-1 DOWN=-1 ALL=0 FIELDS=
		export PAT UP DOWN ALL FIELDS
		roles "$TMP/a.tsv" | cut -f 1 >"$TMP/want.names"
		# shellcheck disable=SC2086
		graphfocus $o 'main\.' "$TMP/a.dot" >"$TMP/out.dot" 2>"$TMP/err"
		s=$?
		[ $s -eq 0 ] || { fail trim "$name -n $max: exit $s"; continue; }
		dotcanon -t "$TMP/out.dot" >"$TMP/out.tsv"
		names "$TMP/out.tsv" >"$TMP/got.names"
		k=$(wc -l <"$TMP/got.names" | tr -d ' ')
		[ "$k" -le "$max" ] || fail trim "$name -n $max: $k nodes"
		[ "$k" -gt 0 ] || fail trim "$name -n $max: no node left"
		extra=$(comm -13 "$TMP/want.names" "$TMP/got.names" | head -n 3 | tr '\n' ' ')
		[ -z "$extra" ] || fail trim "$name -n $max: nodes outside the focus: $extra"
		nodedata "$TMP/a.tsv" | join -t "$(printf '\t')" - "$TMP/got.names" >"$TMP/want.values"
		nodedata "$TMP/out.tsv" | cmp -s - "$TMP/want.values" ||
			fail trim "$name -n $max: node values changed"
		# Edge values: an edge that was in the input and is not
		# residual keeps its value; residual ones are dotted.
		bad=$(edge_changes "$TMP/a.tsv" "$TMP/out.tsv")
		[ -z "$bad" ] || fail trim "$name -n $max: $bad"
		edge_types "$TMP/out.tsv" "$name -n $max"
	done
done
report edgetypes "every edge with a value, residual ones too, has it for every sample type (cum_T), as pprof2graph's edges; a residual edge's cum_T for the selected type is its cum"
report trim "trimming (default, -n 5) keeps at most N nodes, all in the focus, values unchanged, removed paths as dotted residual edges"

# ---- tag boxes -------------------------------------------------------------

for f in heap3 cpu allocs; do
	# shellcheck disable=SC2086
	pprof2graph --tags $NOTRIM "$FIXTURES/$f.pb.gz" >"$TMP/a.dot"
	dotcanon -t "$TMP/a.dot" >"$TMP/a.tsv"
	for d in d0 d1 all; do
		depth_opts $d
		# shellcheck disable=SC2086
		graphfocus $DOPTS $NOTRIM 'main\.(fib|newBuf|\(\*Cache\)\.fill)$' "$TMP/a.dot" >"$TMP/out.dot" 2>"$TMP/err" ||
			{ fail tags "$f ${DOPTS:--d all}: exit $?"; continue; }
		dotcanon -t "$TMP/out.dot" >"$TMP/out.tsv"
		# Every tag box whose owner (transitively) is kept is kept,
		# and no other.
		bad=$(awk -F '\t' '
			FILENAME == ARGV[1] {
				if ($1 == "N") for (i = 3; i <= NF; i++) if ($i ~ /^tag_of=/) owner[$2] = substr($i, 8)
				next
			}
			$1 == "N" { out[$2] = 1 }
			END {
				for (t in owner) {
					o = owner[t]
					while (o in owner) o = owner[o]
					if ((o in out) != (t in out))
						printf "tag box %s %s but its owner %s %s; ", t, (t in out) ? "kept" : "dropped", o, (o in out) ? "kept" : "dropped"
				}
			}' "$TMP/a.tsv" "$TMP/out.tsv")
		[ -z "$bad" ] || fail tags "$f ${DOPTS:--d all}: $bad"
		n=$(grep -c 'tag_of=' "$TMP/out.tsv")
		[ "$n" -gt 0 ] || fail tags "$f ${DOPTS:--d all}: no tag box kept"
	done
done
report tags "tag boxes go with their owner, whatever the depth"

# ---- go tool pprof's own graphs ---------------------------------------------

# They have no data attributes: nothing is trimmed, every node can match
# (by ID N1... or label), and everything kept keeps its look.
ALL=1 FIELDS=
for g in "$top_srcdir"/tests/expected/*/*.default.dot; do
	name=$(basename "$(dirname "$g")")/$(basename "$g" .default.dot)
	for pat in fill heapRound '^N1$'; do
		for d in all d1; do
			PAT=$pat
			depth_opts $d
			export PAT UP DOWN ALL FIELDS
			_what="$name '$pat' ${DOPTS:--d all}"
			dotcanon -t "$g" >"$TMP/in.tsv"
			roles "$TMP/in.tsv" | cut -f 1 >"$TMP/want.names"
			# shellcheck disable=SC2086
			graphfocus $DOPTS "$pat" "$g" >"$TMP/out.dot" 2>"$TMP/err"
			s=$?
			if [ ! -s "$TMP/want.names" ]; then
				[ $s -eq 1 ] || fail pprof "$_what: matches nothing: exit $s, want 1"
				continue
			fi
			[ $s -eq 0 ] || { fail pprof "$_what: exit $s: $(head -c 200 "$TMP/err")"; continue; }
			dotcanon -t "$TMP/out.dot" >"$TMP/out.tsv" || { fail pprof "$_what: output does not parse"; continue; }
			names "$TMP/out.tsv" >"$TMP/got.names"
			cmp -s "$TMP/got.names" "$TMP/want.names" ||
				fail pprof "$_what: kept nodes differ (-missing +extra): $(diff "$TMP/want.names" "$TMP/got.names" | sed -n 's/^\([<>]\) /\1/p' | tr '<>\n' '-+ ' | head -c 300)"
			nodedata "$TMP/in.tsv" | join -t "$(printf '\t')" - "$TMP/got.names" >"$TMP/want.values"
			nodedata "$TMP/out.tsv" | cmp -s - "$TMP/want.values" ||
				fail pprof "$_what: node attributes changed: $(nodedata "$TMP/out.tsv" | diff "$TMP/want.values" - | head -n 2 | tr '\n\t' '  ' | head -c 300)"
			edgedata "$TMP/in.tsv" "$TMP/want.names" >"$TMP/want.edges"
			edgedata "$TMP/out.tsv" | cmp -s - "$TMP/want.edges" ||
				fail pprof "$_what: edges changed: $(edgedata "$TMP/out.tsv" | diff "$TMP/want.edges" - | head -n 2 | tr '\n\t' '  ' | head -c 300)"
			# Clusters stay when they still have nodes, and only then.
			bad=$(awk -F '\t' '
				FILENAME == ARGV[1] {
					if ($1 == "M") { split($2, p, "/"); inc[p[1]] = 1; mem[p[1], $3] = 1 }
					next
				}
				$1 == "N" { kept[$2] = 1 }
				$1 == "S" { s[$2] = 1 }
				$1 == "M" { m[$2] = 1 }
				END {
					for (k in mem) {
						split(k, q, SUBSEP)
						if (q[2] in kept) has[q[1]] = 1
					}
					for (c in inc) {
						if (c !~ /^cluster/) continue
						if ((c in has) && !(c in s)) printf "cluster %s lost; ", c
						if (!(c in has) && (c in s)) printf "cluster %s left empty; ", c
					}
					for (c in s) if (c ~ /^cluster/ && !(c in m)) printf "cluster %s has no member; ", c
				}' "$TMP/in.tsv" "$TMP/out.tsv")
			[ -z "$bad" ] || fail pprof "$_what: $bad"
		done
	done
	if [ -n "$RENDER" ]; then
		graphfocus fill "$g" >"$TMP/out.dot" 2>/dev/null
		if [ -s "$TMP/out.dot" ]; then
			dot -Tsvg "$TMP/out.dot" >/dev/null 2>"$TMP/err" && [ ! -s "$TMP/err" ] ||
				fail pprof "$name 'fill': dot -Tsvg: $(head -c 200 "$TMP/err")"
		fi
	fi
done
ALL=0
report pprof "go tool pprof -dot graphs: the right nodes, their own look and attributes, clusters only while they have nodes, renders"

# ---- streams, several files, -o ----------------------------------------------

for i in 1 2 3; do
	# shellcheck disable=SC2086
	pprof2graph $NOTRIM "$FIXTURES/heap$i.pb.gz" >"$TMP/h$i.dot"
	graphfocus fill "$TMP/h$i.dot" >"$TMP/one$i.dot"
done
cat "$TMP/h1.dot" "$TMP/h2.dot" "$TMP/h3.dot" | graphfocus fill >"$TMP/stream.dot"
is "a stream of heap1..heap3 gives three graphs" "$(dotcanon -t "$TMP/stream.dot" | grep -c '^G')" 3
cat "$TMP/one1.dot" "$TMP/one2.dot" "$TMP/one3.dot" | dotcanon -x tool >"$TMP/want.txt"
dotcanon -x tool "$TMP/stream.dot" >"$TMP/got.txt"
same_file "each graph of a stream is focused as it would be alone, in order" "$TMP/got.txt" "$TMP/want.txt"
graphfocus fill "$TMP/h1.dot" - "$TMP/h3.dot" <"$TMP/h2.dot" | dotcanon -x tool >"$TMP/got.txt"
same_file "files and - (standard input) are read in order" "$TMP/got.txt" "$TMP/want.txt"
# A graph without a match in a stream is still written, without nodes.
# shellcheck disable=SC2086
pprof2graph $NOTRIM "$FIXTURES/mutex.pb.gz" >"$TMP/mutex.dot"
graphfocus fill "$TMP/h1.dot" "$TMP/mutex.dot" "$TMP/h3.dot" >"$TMP/mixed.dot" 2>"$TMP/err"
s=$?
n=$(dotcanon -t "$TMP/mixed.dot" | grep -c '^G')
nodes2=$(dotcanon -t "$TMP/mixed.dot" | awk -F '\t' '$1 == "G" { g++ } $1 == "N" && g == 2 && $0 ~ /\tcum=/ { n++ } END { print n + 0 }')
if [ $s -eq 0 ] && [ "$n" -eq 3 ] && [ "$nodes2" -eq 0 ]; then
	ok "a graph without a match is written without data nodes; the status is 0 when another matched"
else
	not_ok "a graph without a match is written without data nodes (exit $s, $n graphs, $nodes2 data nodes in the second)"
fi

graphfocus -o "$TMP/o.dot" fill "$TMP/h3.dot" >"$TMP/stdout" 2>"$TMP/err"
s=$?
dotcanon -x tool "$TMP/o.dot" >"$TMP/got.txt" 2>/dev/null
dotcanon -x tool "$TMP/one3.dot" >"$TMP/want.txt"
if [ $s -eq 0 ] && [ ! -s "$TMP/stdout" ] && cmp -s "$TMP/got.txt" "$TMP/want.txt"; then
	ok "-o FILE writes the graph to FILE, nothing to standard output"
else
	not_ok "-o FILE writes the graph to FILE, nothing to standard output (exit $s)"
fi
rm -f "$TMP/o.dot"
graphfocus -o "$TMP/o.dot" '(' "$TMP/h3.dot" 2>/dev/null
s=$?
if [ $s -eq 2 ] && [ ! -e "$TMP/o.dot" ]; then
	ok "-o FILE is not created when graphfocus fails"
else
	not_ok "-o FILE is not created when graphfocus fails (exit $s)"
fi

# ---- rendering -----------------------------------------------------------------

if [ -n "$RENDER" ]; then
	for f in "$FIXTURES"/*.pb.gz; do
		name=$(basename "$f" .pb.gz)
		# shellcheck disable=SC2086
		pprof2graph $NOTRIM "$f" >"$TMP/a.dot"
		for args in "main\\." "-d 1 runtime\\." "--hide runtime\\. main\\." "--show main\\. main\\."; do
			# shellcheck disable=SC2086 # args is a list of words (no globbing: they have no * ?)
			graphfocus $args "$TMP/a.dot" >"$TMP/out.dot" 2>"$TMP/err"
			s=$?
			[ $s -eq 0 ] || { [ $s -eq 1 ] && continue; fail render "$name graphfocus $args: exit $s"; continue; }
			for layout in dot sfdp; do
				if ! $layout -Tsvg "$TMP/out.dot" >"$TMP/out.svg" 2>"$TMP/err" ||
					[ -s "$TMP/err" ] || ! grep -q '</svg>' "$TMP/out.svg"; then
					fail render "$name graphfocus $args | $layout: $(head -c 200 "$TMP/err")"
				fi
			done
		done
	done
	report render "graphfocus's graphs of every fixture render with dot and sfdp without a warning"
else
	skip "rendering: Graphviz's dot or sfdp is not installed"
fi

# ---- exit statuses and messages -------------------------------------------------

# expect_fail DESC STATUS STDERR-ERE ARGS...: graphfocus ARGS exits with
# STATUS, says something matching STDERR-ERE, writes nothing.
expect_fail() {
	_d=$1 _st=$2 _re=$3
	shift 3
	graphfocus "$@" <"$TMP/h3.dot" >"$TMP/out" 2>"$TMP/err"
	_s=$?
	if [ $_s -eq "$_st" ] && grep -Eq "$_re" "$TMP/err" && [ ! -s "$TMP/out" ]; then
		ok "$_d"
	else
		not_ok "$_d (exit $_s, $(wc -c <"$TMP/out" | tr -d ' ') bytes out)"
		head -n 3 "$TMP/err" | sed 's/^/# /'
	fi
}

graphfocus nosuchfunction "$TMP/h3.dot" >/dev/null 2>"$TMP/err"
s=$?
is "no match: exit 1" "$s" 1
is "no match: the message" "$(cat "$TMP/err")" "graphfocus: no node matched nosuchfunction"
expect_fail "a bad pattern: exit 2, PCRE2's message and offset" 2 '^graphfocus: .*\(.*offset [0-9]+' '(fill'
expect_fail "a bad --hide pattern: exit 2" 2 '^graphfocus: .*offset [0-9]+' --hide '[' fill
expect_fail "a bad --ignore pattern: exit 2" 2 '^graphfocus: .*offset [0-9]+' --ignore '*' fill
expect_fail "a bad --show pattern: exit 2" 2 '^graphfocus: .*offset [0-9]+' --show 'a{2,1}' fill
printf 'digraph g {\n\ta -> b;\n\tb -> -> c;\n}\n' >"$TMP/bad.dot"
expect_fail "a DOT syntax error: exit 2, FILE:LINE: syntax error" 2 "^graphfocus: $TMP/bad.dot:3: syntax error" a "$TMP/bad.dot"
printf 'digraph g {\n\ta -> b;\n' >"$TMP/trunc.dot"
expect_fail "a truncated graph: exit 2, a syntax error" 2 "^graphfocus: $TMP/trunc.dot:[0-9]+: syntax error" a "$TMP/trunc.dot"
expect_fail "a missing file: exit 2, its name" 2 "^graphfocus: $TMP/nonexistent.dot: " a "$TMP/nonexistent.dot"
expect_fail "a directory: exit 2, its name" 2 "^graphfocus: $TMP: " a "$TMP"
expect_fail "an unknown option: exit 2, usage" 2 'usage: graphfocus' --no-such-option fill
expect_fail "no pattern: exit 2, usage" 2 'usage: graphfocus'
expect_fail "-d not a number: exit 2" 2 '^graphfocus: ' -d x fill
expect_fail "-d negative: exit 2" 2 '^graphfocus: ' -d -1 fill
expect_fail "-u out of range: exit 2" 2 '^graphfocus: ' -u 99999999999999999999 fill
expect_fail "-n not a number: exit 2" 2 '^graphfocus: ' -n many fill
expect_fail "--node-fraction above 1: exit 2" 2 '^graphfocus: ' --node-fraction=2 fill
expect_fail "--edge-fraction not a number: exit 2" 2 '^graphfocus: ' --edge-fraction=x fill
expect_fail "-m with an unknown field: exit 2" 2 '^graphfocus: ' -m id,name fill
expect_fail "-o into a missing directory: exit 2" 2 '^graphfocus: ' -o "$TMP/no/such/dir/out.dot" fill
# A residual edge whose paths add up past 64 bits: an error, never a
# wrapped number.
big=9000000000000000000
printf 'digraph g {\n\tgraph [sample_type=inuse_space unit=bytes total=10];\n\ta [flat=0 cum=10];\n\tx [flat=0 cum=10];\n\ty [flat=0 cum=10];\n\tb [flat=10 cum=10];\n\ta -> x [cum=%s];\n\ta -> y [cum=%s];\n\tx -> b [cum=%s];\n\ty -> b [cum=%s];\n}\n' $big $big $big $big >"$TMP/big.dot"
expect_fail "a residual edge past 64 bits: exit 2, an overflow" 2 "^graphfocus: $TMP/big.dot: the value of the edge a -> b overflows a 64-bit integer\$" --hide '^[xy]$' a "$TMP/big.dot"
write_error_and_help graphfocus fill "$TMP/h3.dot"

# A catastrophic pattern is stopped by PCRE2's match limit: an error, not
# a hang (and no half graph).
long=$(awk 'BEGIN { for (i = 0; i < 4000; i++) printf "a"; print "!" }')
printf 'digraph g {\n\troot -> "%s";\n}\n' "$long" >"$TMP/long.dot"
if command -v timeout >/dev/null 2>&1; then
	timeout 60 graphfocus '(a+)+$' "$TMP/long.dot" >"$TMP/out" 2>"$TMP/err"
	s=$?
	if [ $s -eq 2 ] && grep -q '^graphfocus: ' "$TMP/err" && [ ! -s "$TMP/out" ]; then
		ok "a catastrophic pattern stops at PCRE2's match limit with an error"
	else
		not_ok "a catastrophic pattern stops at PCRE2's match limit with an error (exit $s; 124 is a timeout)"
		head -n 3 "$TMP/err" | sed 's/^/# /'
	fi
else
	skip "no timeout(1)"
fi


# Tag boxes of a dropped node go with it, however they hang: by two
# parallel edges, from a box of a box, or from two owners (a fuzzer
# found the first one freeing an edge twice).
cat >"$TMP/tags.dot" <<'EOF'
digraph g {
	graph [total=100];
	"main.A" [cum=100, flat=0];
	"main.B" [cum=60, flat=60];
	"main.C" [cum=40, flat=40];
	"main.A" -> "main.B" [cum=60];
	"main.A" -> "main.C" [cum=40];
	"main.C #0" [tag_of="main.C", tag="1kB", tag_value=40];
	"main.C #0 #0" [tag_of="main.C #0", tag="x", tag_value=40];
	"main.C" -> "main.C #0" [tag=true];
	"main.C" -> "main.C #0" [tag=true];
	"main.C #0" -> "main.C #0 #0" [tag=true];
	"main.B" -> "main.C #0 #0" [tag=true];
}
EOF
graphfocus -n 0 --node-fraction=0 --edge-fraction=0 'main\.B' "$TMP/tags.dot" >"$TMP/out.dot" 2>"$TMP/err"
is "a node with doubly hung tag boxes is dropped cleanly: exit" "$?" 0
nodes=$(dotcanon -t "$TMP/out.dot" | awk -F '\t' '$1 == "N" { print $2 }' | grep -v legend | sort | tr '\n' ' ')
is "... the boxes went with their owners" "$nodes" "main.A main.B "

done_testing
