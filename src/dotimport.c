/*
 * dotimport: go tool pprof -dot graphs read back.  See dotimport.h.
 *
 * What pprof writes (internal/graph/dotgraph.go and report.go, Go 1.19)
 * and what is made of it:
 *
 * Values.  pprof formats every value of a graph in one unit, chosen for
 * the whole graph, with measurement.ScaledLabel: "%.2f" with ".00"
 * dropped and the unit's canonical name appended, or "0" for anything
 * that rounds to zero.  units_parse_value reads exactly that and
 * nothing else: B, kB, MB, GB, TB, PB (powers of 1024) give bytes; ns,
 * us, ms, s, hrs give nanoseconds; no unit gives a count.  Each value
 * is the printed figure times its unit, rounded to an integer, so it is
 * within half a unit of the last printed digit of pprof's value (0 for
 * B, ns and counts, 5 bytes for kB, 5 243 for MB, 5 ms for s).  All the
 * values of a graph must belong to one family.  A unit pprof cannot
 * scale (GCU: no integer base unit to go back to) or does not know (it
 * prints the profile's unit as it is) is refused, as is any value not
 * written the way pprof writes it.
 *
 * Data nodes (N1, N2..., numbered by position).  The tooltip is the
 * printable name, escaped (backslash doubled, newline as \l; cgraph has
 * already undone \"), then " (CUM)": the name is what comes before the
 * last " (", since no value holds one.  The node is renamed to that
 * name, in dotio's escaped form: the stable key pprof2graph gives the
 * same node.  The label is the short name, one part a line, then
 * "FLAT (P%)\nof CUM (P%)", or "FLAT (P%)" alone when flat == cum, or
 * "0 of CUM (P%)", or "0": flat, cum, flat_T and cum_T.  The tooltip's
 * value must be the label's cum.  Two nodes with one name (a -call_tree
 * graph) are refused: our IDs are names.
 *
 * func, file, line, address.  The printable name is pprof's
 * NameComponents joined by spaces: [address] [function] [file[:line]],
 * or "[binary]" or "<unknown>" for frames without a function, and
 * function names and paths may hold spaces themselves.  Every way of
 * reading the tooltip's name is tried against the label, rebuilt as
 * pprof builds it (ShortenFunctionName, split at dots; the file's base
 * name).  The granularity is the simplest one that every node's
 * readings allow, lines before files and filefunctions when some name
 * ends in a line number that fits its label ("f a.go:7" is a.go, line
 * 7, under -lines, not a file "a.go:7"; under -addresses a name that
 * starts with 16 hex digits starts with its address); a node then gets
 * the fields its readings under that granularity agree on.  line and
 * address, printed on lines of their own, always do; func and file are
 * left out when spaces let a name split in two ways that both fit the
 * label ("f /a b/c.go" as f in "/a b/c.go" or "f /a" in "b/c.go", when
 * the short names agree), for a "[binary]" or "<unknown>" frame,
 * when the label fits no reading (it was edited), or when trying every
 * split would cost too much (see readings()).  objfile is never
 * set: pprof shows only a binary's base name.  The root gets
 * granularity when the nodes settle it.
 *
 * Edges between data nodes: cum from the label (" VALUE", then
 * "\n (inline)" for inline=true), residual=true when dotted; the
 * tooltip, when there is one, must end with the same value.  pprof
 * draws an edge to "N0", a node it never writes, when the target nets
 * to zero in a diff: N0 and its edges go (pprof2graph draws none).
 *
 * Tag boxes (N<k>_<j> for a label set, NN<k>_<j> for sizes of node k,
 * NN<k>_<j>_<i> for sizes under label set j, all shape=box3d) become
 * our tag boxes: tag_of, tag (the label as pprof wrote it), tag_value
 * (the tooltip's value), tag_cum=true when the edge to it is dotted,
 * tag=true on that edge, and the IDs pprof2graph --tags gives the same
 * boxes ("OWNER #j", "OWNER #sj", "OWNER #j #j.i").  They are pprof's
 * nodelets, which pprof2graph --tags draws the same way (tests/tags.sh),
 * with values as precise as the rest: keeping them keeps what pprof
 * showed, and the styling draws them again.
 *
 * The legend (subgraph cluster_L): sample_type (Type:), total ("of X
 * total"), binary (File: - pprof prints only the binary's base name;
 * source is left to the caller, who knows the input), build_id,
 * comments (the lines before Type:), filters (Active filters:, as
 * pprof cut them: 80 bytes and an ellipsis),
 * duration_ns (as rounded as any value), dropped_nodes, dropped_edges,
 * candidate_nodes ("Showing top N nodes out of M").  Then the legend
 * is removed: the styling writes its own.  sample_types, unit_T,
 * total_T, flat_T, cum_T repeat the one type shown, and
 * imported="go tool pprof -dot" tells readers the numbers come from
 * rounded text.
 *
 * What cannot be read: the profile's other sample types, its time
 * (minutes, in some local zone), period, the trimming fractions and
 * node limit used (only rounded cut-offs are printed), whether values
 * are differences (-base, -diff_base: flat and cum are then the deltas
 * pprof shows, negative ones included, and the total is pprof's, the
 * base's with -diff_base) or were divided (-divide_by), and the unit of
 * a graph whose values are all 0 (unit is then left out).
 *
 * Nothing is changed until everything has been read, so a graph that
 * cannot be imported comes back as it was.  Renaming copies each node
 * (cgraph 2.43's agrelabel_node is unsafe), through temporary names so
 * that no new name can meet an old one.
 */
#include "dotimport.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dotio.h"
#include "hmap.h"
#include "mem.h"
#include "style.h"
#include "units.h"

#define WHAT "go tool pprof graph"
#define LEGEND "cluster_L"
#define QUOTE_MAX 80		/* bytes of text quoted in a message */
#define SPLIT_BUDGET ((uint64_t)1 << 28)	/* see readings() */

enum kind { K_OTHER, K_DATA, K_GHOST, K_LEGEND, K_TAG };

/* The parts a reading of a node's name has. */
#define H_ADDR 1u
#define H_FUNC 2u
#define H_FILE 4u
#define H_LINE 8u
#define H_OBJ 16u		/* "[binary]" or "<unknown>" */
#define H_COLON 32u		/* a file without H_LINE ending in ":N" */
#define H_HEX 64u		/* no H_ADDR, but the name starts like one */

/* Granularities, simplest first: the order a choice is made in. */
enum gran { G_FUNCTIONS, G_FILES, G_FILEFUNCTIONS, G_LINES, G_ADDRESSES,
	G_COUNT };
static const char *const gran_names[G_COUNT] = {
	"functions", "files", "filefunctions", "lines", "addresses",
};
#define G_ALL ((1u << G_COUNT) - 1)

/* One reading of a printable name: offsets into the decoded name. */
struct reading {
	unsigned shape;
	size_t func, func_len;
	size_t file, file_len;	/* or the "[binary]" text with H_OBJ */
	int64_t line;
};

struct dnode {
	Agnode_t *n, *tmp;
	const char *label;	/* as cgraph read it */
	size_t prefix;		/* its name lines: label[0..prefix) */
	const char *tip;	/* the tooltip's name, escaped: [0..tip_len) */
	size_t tip_len;
	struct dotio_buf name;	/* the printable name, decoded */
	struct dotio_buf id;	/* our ID: the name in dotio's form */
	int64_t flat, cum;
	struct reading *r;	/* the readings that fit the label */
	size_t nr, rcap;
	unsigned gmask;		/* granularities they allow */
	bool unsplit;		/* too costly to split: no fields */
};

enum tag_kind { T_LABELS, T_SIZES, T_SUBSIZES };

struct dtag {
	Agnode_t *n, *tmp;
	Agedge_t *e;		/* from the owner */
	enum tag_kind kind;
	size_t owner;		/* a node, or a T_LABELS tag for T_SUBSIZES */
	unsigned long k, j, i;	/* from the ID: NN<k>_<j>_<i> */
	int64_t value;
	bool cum_only;
	struct dotio_buf id;
};

struct dedge {
	Agedge_t *e;
	int64_t cum;
	bool inl, res;
};

struct ctx {
	Agraph_t *g;
	struct diag *d;
	size_t nseq;
	unsigned char *kinds;	/* by AGSEQ */
	size_t *index;		/* by AGSEQ: into nodes or tags */
	struct dnode *nodes;
	size_t nnodes;
	struct dtag *tags;
	size_t ntags;
	struct dedge *edges;
	size_t nedges, ecap;
	Agedge_t **tag_edges;
	size_t ntag_edges, tecap;
	Agnode_t **drop;	/* legend and ghosts */
	size_t ndrop;

	/* The unit family seen so far, and where. */
	enum units_kind unit;
	char unit_where[96];

	/* From the legend. */
	struct dotio_buf type, file, build_id, comments, filters;
	bool has_type, has_file, has_build_id, has_total, has_duration;
	bool has_dropped_nodes, has_dropped_edges, has_candidates;
	int64_t total, duration, dropped_nodes, dropped_edges, candidates;
	int gran;		/* enum gran, or -1 */
	uint64_t split_budget;	/* bytes names may still be split over */

	struct dotio_buf a, b, c;	/* scratch */
};

static void
fail(struct ctx *x, const char *fmt, ...) DIAG_PRINTF(2, 3);

static void
fail(struct ctx *x, const char *fmt, ...)
{
	char buf[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	diag_set(x->d, WHAT ": %s", buf);
}

/* At most QUOTE_MAX bytes of s for a message, "..." when cut. */
#define QUOTED(n) (int)((n) > QUOTE_MAX ? QUOTE_MAX : (n))
#define ELLIPSIS(n) ((n) > QUOTE_MAX ? "..." : "")

static enum kind
kind_of(const struct ctx *x, Agnode_t *n)
{
	size_t s = (size_t)AGSEQ(n);

	return s < x->nseq ? (enum kind)x->kinds[s] : K_OTHER;
}

static size_t
index_of(const struct ctx *x, Agnode_t *n)
{
	return x->index[(size_t)AGSEQ(n)];
}

/* ---------------------------------------------------------------- */
/* Text as pprof wrote it. */

/*
 * pprof's escapeForDot backwards: "\\" is a backslash and "\l" a
 * newline; any other backslash stays as it is.
 */
static int
unescape(struct dotio_buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	dotio_buf_reset(b);
	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n ||
		    (s[i + 1] != '\\' && s[i + 1] != 'l'))
			continue;
		if (dotio_buf_add(b, s + run, i - run) != 0 ||
		    dotio_buf_add(b, s[i + 1] == 'l' ? "\n" : "\\", 1) != 0)
			return -1;
		run = ++i + 1;
	}
	return dotio_buf_add(b, s + run, n - run);
}

/*
 * The breaks of a label (the two characters "\n", backslash pairs
 * skipped): how many, *last the offset of the last, *prev of the one
 * before.
 */
static size_t
breaks(const char *s, size_t n, char c, size_t *last, size_t *prev)
{
	size_t i, nb = 0;

	*last = *prev = 0;
	for (i = 0; i + 1 < n; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] == c) {
			*prev = *last;
			*last = i;
			nb++;
		}
		i++;
	}
	return nb;
}

/* A decimal number without leading zeros, all of s[0..n). */
static bool
parse_ulong(const char *s, size_t n, unsigned long *v)
{
	unsigned long r = 0;
	size_t i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    __builtin_mul_overflow(r, 10, &r) ||
		    __builtin_add_overflow(r, (unsigned long)(s[i] - '0'), &r))
			return false;
	}
	*v = r;
	return true;
}

static bool
starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s, p, k) == 0;
}

static bool
ends(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s + n - k, p, k) == 0;
}

/* pprof's percentage, inside "(...)": "100%", "12.34%", "0.064%", "1e-05%". */
static bool
pct_ok(const char *s, size_t n)
{
	size_t i = 0, d;

	if (n < 4 || s[0] != '(' || s[n - 2] != '%' || s[n - 1] != ')')
		return false;
	s++;
	n -= 3;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return false;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return false;
	}
	if (i < n && s[i] == 'e') {
		if (++i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return false;
	}
	return i == n;
}

/* ---------------------------------------------------------------- */
/* Values. */

/*
 * "WHERE: cannot read the value 'TEXT'", naming the unit when TEXT is
 * a number followed by one pprof does not print for bytes or time.
 */
static void
value_error(struct ctx *x, const char *where, const char *text, size_t n)
{
	const char *v = text, *u;
	size_t vn = n, i = 0;

	if (n == 0) {
		fail(x, "%s: a value is missing", where);
		return;
	}
	/* The value is the first word of "VALUE (P%)". */
	if ((u = memchr(text, ' ', n)) != NULL)
		vn = (size_t)(u - text);
	if (i < vn && v[i] == '-')
		i++;
	while (i < vn && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.'))
		i++;
	if (i > 0 && i < vn && (v[i] < '0' || v[i] > '9')) {
		struct units_value uv;

		if (units_parse_value(v, i, &uv) == 0) {
			fail(x, "%s: cannot read the value '%.*s%s': unknown "
			    "unit '%.*s'", where, QUOTED(n), text, ELLIPSIS(n),
			    QUOTED(vn - i), v + i);
			return;
		}
	}
	fail(x, "%s: cannot read the value '%.*s%s'", where, QUOTED(n), text,
	    ELLIPSIS(n));
}

/* Every value of a graph is in one family: check v's. */
static int
note_unit(struct ctx *x, const struct units_value *v, const char *where,
    const char *text, size_t n)
{
	if (v->kind == UNITS_ZERO || v->kind == x->unit)
		return 0;
	if (x->unit == UNITS_ZERO) {
		x->unit = v->kind;
		snprintf(x->unit_where, sizeof x->unit_where, "%s", where);
		return 0;
	}
	fail(x, "%s: the value '%.*s%s' is in %s, but those before it (%s) "
	    "are in %s", where, QUOTED(n), text, ELLIPSIS(n),
	    units_kind_name(v->kind), x->unit_where,
	    units_kind_name(x->unit));
	return -1;
}

/* A value of the profile's sample type. */
static int
value(struct ctx *x, const char *where, const char *s, size_t n,
    int64_t *out)
{
	struct units_value v;

	if (units_parse_value(s, n, &v) != 0) {
		value_error(x, where, s, n);
		return -1;
	}
	if (note_unit(x, &v, where, s, n) != 0)
		return -1;
	*out = v.value;
	return 0;
}

/* "VALUE (P%)", the text of a node's value line; *vn the value's length. */
static int
value_pct(struct ctx *x, const char *where, const char *s, size_t n,
    int64_t *out, size_t *vn)
{
	const char *sp = memchr(s, ' ', n);
	struct units_value v;

	if (sp == NULL || !pct_ok(sp + 1, n - (size_t)(sp + 1 - s)) ||
	    units_parse_value(s, (size_t)(sp - s), &v) != 0) {
		value_error(x, where, s, n);
		return -1;
	}
	if (note_unit(x, &v, where, s, n) != 0)
		return -1;
	*out = v.value;
	*vn = (size_t)(sp - s);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Which node is what. */

/* "N<k>" (k > 0): 1; "N0": 0; anything else: -1. */
static int
data_id(const char *id, unsigned long *k)
{
	if (id[0] != 'N' || !parse_ulong(id + 1, strlen(id + 1), k))
		return -1;
	return *k > 0;
}

/*
 * A tag box's ID: "N<k>_<j>" (label set), "NN<k>_<j>" (sizes),
 * "NN<k>_<j>_<i>" (sizes under label set j).  false for other IDs.
 */
static bool
tag_id(const char *id, enum tag_kind *kind, unsigned long *k,
    unsigned long *j, unsigned long *i)
{
	const char *p = id + 1, *u1, *u2;
	bool nn = false;

	if (id[0] != 'N')
		return false;
	if (*p == 'N') {
		nn = true;
		p++;
	}
	if ((u1 = strchr(p, '_')) == NULL ||
	    !parse_ulong(p, (size_t)(u1 - p), k) || *k == 0)
		return false;
	u2 = strchr(u1 + 1, '_');
	if (u2 == NULL) {
		*kind = nn ? T_SIZES : T_LABELS;
		*i = 0;
		return parse_ulong(u1 + 1, strlen(u1 + 1), j);
	}
	*kind = T_SUBSIZES;
	return nn && parse_ulong(u1 + 1, (size_t)(u2 - u1 - 1), j) &&
	    parse_ulong(u2 + 1, strlen(u2 + 1), i);
}

static const char *
attr(void *obj, const char *name)
{
	return dotio_get(obj, name);
}

static bool
is_legend_label(const char *v)
{
	return v != NULL && (strncmp(v, "Type: ", 6) == 0 ||
	    strstr(v, "\\lType: ") != NULL);
}

bool
dotimport_is_pprof(Agraph_t *g)
{
	Agsym_t *cum = agattr(g, AGNODE, "cum", NULL);
	Agsym_t *id = agattr(g, AGNODE, "id", NULL);
	Agraph_t *sg;
	Agnode_t *n;
	bool seen = false;

	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		const char *v;
		unsigned long k;

		if (dotio_xget(n, cum) != NULL)
			return false;
		if (!seen && id != NULL && data_id(agnameof(n), &k) == 1 &&
		    (v = dotio_xget(n, id)) != NULL &&
		    strncmp(v, "node", 4) == 0 && strcmp(v + 4,
		    agnameof(n) + 1) == 0)
			seen = true;
	}
	if (seen)
		return true;
	if ((sg = agsubg(g, LEGEND, 0)) != NULL)
		for (n = agfstnode(sg); n != NULL; n = agnxtnode(sg, n))
			if (is_legend_label(attr(n, "label")))
				return true;
	return false;
}

static int
push_drop(struct ctx *x, Agnode_t *n, size_t *cap)
{
	if (mem_reserve(&x->drop, cap, x->ndrop + 1, sizeof *x->drop) != 0)
		return -1;
	x->drop[x->ndrop++] = n;
	return 0;
}

/* Sort every node into its kind; -1 when memory runs out. */
static int
classify(struct ctx *x)
{
	Agraph_t *sg = agsubg(x->g, LEGEND, 0);
	Agnode_t *n;
	size_t max = 0, dcap = 0, nd = 0, nt = 0;

	for (n = agfstnode(x->g); n != NULL; n = agnxtnode(x->g, n))
		if ((size_t)AGSEQ(n) + 1 > max)
			max = (size_t)AGSEQ(n) + 1;
	x->nseq = max;
	x->kinds = mem_calloc(max + 1, 1);
	x->index = mem_calloc(max + 1, sizeof *x->index);
	if (x->kinds == NULL || x->index == NULL)
		return -1;
	if (sg != NULL)
		for (n = agfstnode(sg); n != NULL; n = agnxtnode(sg, n)) {
			x->kinds[AGSEQ(n)] = K_LEGEND;
			if (push_drop(x, n, &dcap) != 0)
				return -1;
		}
	for (n = agfstnode(x->g); n != NULL; n = agnxtnode(x->g, n)) {
		const char *id = agnameof(n), *shape;
		unsigned long k, j, i;
		enum tag_kind tk;
		int r;

		if (x->kinds[AGSEQ(n)] == K_LEGEND)
			continue;
		if ((r = data_id(id, &k)) == 1) {
			x->kinds[AGSEQ(n)] = K_DATA;
			nd++;
		} else if (r == 0 && attr(n, "label") == NULL &&
		    attr(n, "tooltip") == NULL) {
			x->kinds[AGSEQ(n)] = K_GHOST;
			if (push_drop(x, n, &dcap) != 0)
				return -1;
		} else if (tag_id(id, &tk, &k, &j, &i) &&
		    (shape = attr(n, "shape")) != NULL &&
		    strcmp(shape, "box3d") == 0) {
			x->kinds[AGSEQ(n)] = K_TAG;
			nt++;
		}
	}
	x->nodes = mem_calloc(nd + 1, sizeof *x->nodes);
	x->tags = mem_calloc(nt + 1, sizeof *x->tags);
	if (x->nodes == NULL || x->tags == NULL)
		return -1;
	for (n = agfstnode(x->g); n != NULL; n = agnxtnode(x->g, n)) {
		if (kind_of(x, n) == K_DATA) {
			x->index[AGSEQ(n)] = x->nnodes;
			x->nodes[x->nnodes++].n = n;
		} else if (kind_of(x, n) == K_TAG) {
			x->index[AGSEQ(n)] = x->ntags;
			x->tags[x->ntags++].n = n;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* The legend. */

static int
legend_line(struct ctx *x, const char *s, size_t n, bool *before_type,
    bool *in_filters)
{
	static const char showing[] = "Showing nodes accounting for ";
	unsigned long u, v;
	const char *p, *q;

	if (*in_filters) {
		if (starts(s, n, "   ")) {
			if ((x->filters.len > 0 &&
			    dotio_buf_add(&x->filters, "\n", 1) != 0) ||
			    dotio_buf_add(&x->filters, s + 3, n - 3) != 0)
				goto nomem;
			return 0;
		}
		*in_filters = false;
	}
	if (*before_type) {
		if (starts(s, n, "File: ")) {
			x->has_file = true;
			if (dotio_buf_add(&x->file, s + 6, n - 6) != 0)
				goto nomem;
		} else if (starts(s, n, "Build ID: ")) {
			x->has_build_id = true;
			if (dotio_buf_add(&x->build_id, s + 10, n - 10) != 0)
				goto nomem;
		} else if (starts(s, n, "Type: ")) {
			x->has_type = true;
			*before_type = false;
			if (dotio_buf_add(&x->type, s + 6, n - 6) != 0)
				goto nomem;
		} else if ((x->comments.len > 0 &&
		    dotio_buf_add(&x->comments, "\n", 1) != 0) ||
		    dotio_buf_add(&x->comments, s, n) != 0) {
			goto nomem;
		}
		return 0;
	}
	if (n == 15 && memcmp(s, "Active filters:", 15) == 0) {
		*in_filters = true;
	} else if (starts(s, n, "Duration: ")) {
		struct units_value dv;

		p = s + 10;
		q = memchr(p, ',', n - 10);
		if (q == NULL || units_parse_value(p, (size_t)(q - p), &dv) ||
		    (dv.kind != UNITS_TIME && dv.kind != UNITS_ZERO)) {
			value_error(x, "legend", p, q != NULL ?
			    (size_t)(q - p) : n - 10);
			return -1;
		}
		x->has_duration = true;
		x->duration = dv.value;
	} else if (starts(s, n, showing) && ends(s, n, " total")) {
		int64_t flat_sum;

		/* "Showing nodes accounting for A, P% of T total" */
		p = s + sizeof showing - 1;
		n -= sizeof showing - 1 + 6;
		q = memchr(p, ',', n);
		if (q == NULL || value(x, "legend", p, (size_t)(q - p),
		    &flat_sum) != 0) {
			if (q == NULL)
				value_error(x, "legend", p, n);
			return -1;
		}
		n -= (size_t)(q - p);
		for (p = q; n >= 4 && memcmp(p, " of ", 4) != 0; p++, n--)
			;
		if (n < 4 || value(x, "legend", p + 4, n - 4,
		    &x->total) != 0) {
			if (n < 4)
				value_error(x, "legend", q, n);
			return -1;
		}
		x->has_total = true;
	} else if (starts(s, n, "Dropped ") &&
	    (p = memchr(s + 8, ' ', n - 8)) != NULL &&
	    parse_ulong(s + 8, (size_t)(p - s - 8), &u)) {
		size_t rest = n - (size_t)(p - s);

		if (starts(p, rest, " node (cum <= ") ||
		    starts(p, rest, " nodes (cum <= ")) {
			x->has_dropped_nodes = true;
			x->dropped_nodes = (int64_t)u;
		} else if (starts(p, rest, " edge (freq <= ") ||
		    starts(p, rest, " edges (freq <= ")) {
			x->has_dropped_edges = true;
			x->dropped_edges = (int64_t)u;
		}
	} else if (starts(s, n, "Showing top ") &&
	    (p = memchr(s + 12, ' ', n - 12)) != NULL &&
	    parse_ulong(s + 12, (size_t)(p - s - 12), &u) &&
	    starts(p, n - (size_t)(p - s), " nodes out of ") &&
	    parse_ulong(p + 14, n - (size_t)(p + 14 - s), &v)) {
		x->has_candidates = true;
		x->candidates = (int64_t)v;
	}
	return 0;
nomem:
	diag_nomem(x->d);
	return -1;
}

static int
parse_legend(struct ctx *x)
{
	Agraph_t *sg = agsubg(x->g, LEGEND, 0);
	const char *lab = NULL;
	bool before_type = true, in_filters = false;
	Agnode_t *n;
	size_t len, i, start;

	if (sg != NULL)
		for (n = agfstnode(sg); n != NULL && lab == NULL;
		    n = agnxtnode(sg, n))
			if (is_legend_label(attr(n, "label")))
				lab = attr(n, "label");
	if (lab == NULL) {
		fail(x, "no legend (subgraph cluster_L with a \"Type:\" "
		    "line): the sample type and the total are unknown");
		return -1;
	}
	/* Lines end with "\l"; "\\" is a backslash. */
	len = strlen(lab);
	for (i = start = 0; i <= len; i++) {
		if (i < len && !(lab[i] == '\\' && i + 1 < len &&
		    lab[i + 1] == 'l')) {
			if (lab[i] == '\\' && i + 1 < len)
				i++;
			continue;
		}
		if (i == len && start == len)
			break;
		if (unescape(&x->a, lab + start, i - start) != 0) {
			diag_nomem(x->d);
			return -1;
		}
		if (legend_line(x, x->a.s, x->a.len, &before_type,
		    &in_filters) != 0)
			return -1;
		start = ++i + 1;
	}
	if (!x->has_type) {
		fail(x, "the legend has no \"Type:\" line");
		return -1;
	}
	if (!x->has_total) {
		fail(x, "the legend has no \"Showing nodes accounting for "
		    "..., ... of TOTAL total\" line");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Data nodes. */

static int
parse_node(struct ctx *x, struct dnode *dn)
{
	const char *id = agnameof(dn->n), *lab = attr(dn->n, "label");
	const char *tip = attr(dn->n, "tooltip"), *last, *cumtext;
	size_t n, nb, b1, b2, lastn, cumn, vn, tn, k;
	char where[64];

	snprintf(where, sizeof where, "node %.40s", id);
	if (lab == NULL) {
		fail(x, "%s: no label", where);
		return -1;
	}
	dn->label = lab;
	n = strlen(lab);
	nb = breaks(lab, n, 'n', &b1, &b2);
	last = nb > 0 ? lab + b1 + 2 : lab;
	lastn = n - (size_t)(last - lab);
	dn->prefix = (size_t)(last - lab);
	if (starts(last, lastn, "of ")) {
		/* "FLAT (P%)\nof CUM (P%)" */
		const char *prev = nb > 1 ? lab + b2 + 2 : lab;

		if (nb == 0) {
			value_error(x, where, last, lastn);
			return -1;
		}
		if (value_pct(x, where, prev, b1 - (size_t)(prev - lab),
		    &dn->flat, &vn) != 0 ||
		    value_pct(x, where, last + 3, lastn - 3, &dn->cum,
		    &cumn) != 0)
			return -1;
		dn->prefix = (size_t)(prev - lab);
		cumtext = last + 3;
	} else if (starts(last, lastn, "0 of ")) {
		dn->flat = 0;
		if (value_pct(x, where, last + 5, lastn - 5, &dn->cum,
		    &cumn) != 0)
			return -1;
		cumtext = last + 5;
	} else if (lastn == 1 && last[0] == '0') {
		dn->flat = dn->cum = 0;
		cumtext = last;
		cumn = 1;
	} else {
		if (value_pct(x, where, last, lastn, &dn->flat, &cumn) != 0)
			return -1;
		dn->cum = dn->flat;
		cumtext = last;
	}

	/* The tooltip: "NAME (CUM)". */
	if (tip == NULL) {
		fail(x, "%s: no tooltip, so no name", where);
		return -1;
	}
	tn = strlen(tip);
	for (k = tn; k >= 2 && memcmp(tip + k - 2, " (", 2) != 0; k--)
		;
	if (k < 2 || tip[tn - 1] != ')' || k - 2 == 0) {
		fail(x, "%s: cannot read the tooltip '%.*s%s'", where,
		    QUOTED(tn), tip, ELLIPSIS(tn));
		return -1;
	}
	if (tn - 1 - k != cumn || memcmp(tip + k, cumtext, cumn) != 0) {
		fail(x, "%s: the tooltip's value '%.*s' is not the label's "
		    "'%.*s'", where, QUOTED(tn - 1 - k), tip + k,
		    QUOTED(cumn), cumtext);
		return -1;
	}
	dn->tip = tip;
	dn->tip_len = k - 2;
	if (unescape(&dn->name, tip, k - 2) != 0 ||
	    dotio_encode(&dn->id, dn->name.s, dn->name.len) != 0) {
		diag_nomem(x->d);
		return -1;
	}
	return 0;
}

/* Go's filepath.Base. */
static void
go_base(const char *s, size_t n, const char **b, size_t *bn)
{
	size_t i;

	if (n == 0) {
		*b = ".";
		*bn = 1;
		return;
	}
	while (n > 0 && s[n - 1] == '/')
		n--;
	if (n == 0) {
		*b = "/";
		*bn = 1;
		return;
	}
	for (i = n; i > 0 && s[i - 1] != '/'; i--)
		;
	*b = s + i;
	*bn = n - i;
}

/*
 * A function name as pprof's label shows it: ShortenFunctionName,
 * escaped, "::" and "." turned into line breaks, "[...]" into "[…]".
 * 1 with the text in out, 0 when the name cannot be shortened.
 */
static int
label_name(struct ctx *x, const char *name, size_t n, struct dotio_buf *out)
{
	struct diag d = { false, "" };
	char *full = malloc(n + 1), *sh = malloc(n + 1);
	size_t i, len;
	int r = -1;

	if (full == NULL || sh == NULL)
		goto out;
	memcpy(full, name, n);
	full[n] = '\0';
	if (memchr(name, '\0', n) != NULL ||
	    style_short_name(full, sh, n + 1, &d) != 0) {
		r = 0;
		goto out;
	}
	if (unescape(&x->c, "", 0) != 0)
		goto out;
	/* escapeForDot, as cgraph reads it back (it undoes \"). */
	len = strlen(sh);
	dotio_buf_reset(&x->c);
	for (i = 0; i < len; i++)
		if (dotio_buf_add(&x->c, sh[i] == '\\' ? "\\\\" :
		    sh[i] == '\n' ? "\\l" : sh + i, sh[i] == '\\' ||
		    sh[i] == '\n' ? 2 : 1) != 0)
			goto out;
	dotio_buf_reset(out);
	for (i = 0; i < x->c.len; i++) {
		const char *s = x->c.s + i;
		size_t left = x->c.len - i;
		int e;

		if (starts(s, left, "::")) {
			e = dotio_buf_add(out, "\\n", 2);
			i++;
		} else if (starts(s, left, "[...]")) {
			e = dotio_buf_add(out, "[\xe2\x80\xa6]", 5);
			i += 4;
		} else if (*s == '.') {
			e = dotio_buf_add(out, "\\n", 2);
		} else if (*s == '\\') {
			e = dotio_buf_add(out, s, 2);
			i++;
		} else {
			e = dotio_buf_add(out, s, 1);
		}
		if (e != 0)
			goto out;
	}
	r = dotio_buf_add(out, "", 0) == 0 ? 1 : -1;
out:
	if (r < 0)
		diag_nomem(x->d);
	free(full);
	free(sh);
	return r;
}

/*
 * Does reading r of node dn give its label's name lines?  1 yes, 0 no,
 * -1 out of memory.  The label is [address\n][function\n][last\n].
 */
static int
fits(struct ctx *x, struct dnode *dn, const struct reading *r)
{
	const char *p = dn->label, *name = dn->name.s, *b;
	size_t pn = dn->prefix, bn, front;
	struct dotio_buf *last = &x->b;
	int k;

	dotio_buf_reset(last);
	if (r->shape & (H_FILE | H_LINE)) {
		if (r->file_len > 0)
			go_base(name + r->file, r->file_len, &b, &bn);
		else
			b = "", bn = 0;
		if (dotio_buf_add(last, b, bn) != 0 ||
		    ((r->shape & H_LINE) && dotio_buf_addf(last, ":%" PRId64,
		    r->line) != 0))
			return -1;
	} else if ((r->shape & H_OBJ) &&
	    dotio_buf_add(last, name + r->file, r->file_len) != 0) {
		return -1;
	}
	if (dotio_buf_add(last, "", 0) != 0)
		return -1;
	front = pn;
	if (last->len > 0 || (r->shape & ~(unsigned)H_ADDR) != H_FUNC) {
		if (pn < last->len + 2 || memcmp(p + pn - 2, "\\n", 2) != 0 ||
		    memcmp(p + pn - 2 - last->len, last->s, last->len) != 0)
			return 0;
		front = pn - 2 - last->len;
	}
	if (r->shape & H_ADDR) {
		if (front < 18 || memcmp(p, name, 16) != 0 ||
		    memcmp(p + 16, "\\n", 2) != 0)
			return 0;
		p += 18;
		front -= 18;
	}
	if (!(r->shape & H_FUNC))
		return front == 0;
	if ((k = label_name(x, name + r->func, r->func_len, &x->a)) <= 0)
		return k;
	return front == x->a.len + 2 && memcmp(p, x->a.s, x->a.len) == 0 &&
	    memcmp(p + x->a.len, "\\n", 2) == 0;
}

/*
 * Granularities where a reading's shape can occur.  A file that ends
 * in ":N" is read as a line number where pprof prints those: "f a.go:7"
 * under -lines is a.go, line 7, not a file named "a.go:7".
 */
static unsigned
compat_shape(unsigned shape)
{
	unsigned lines = 1u << G_LINES | 1u << G_ADDRESSES;

	if (shape & H_ADDR)
		return shape & H_COLON ? 0 : 1u << G_ADDRESSES;
	if (shape & H_OBJ)
		return G_ALL;
	if (shape & H_LINE)
		return lines;
	if ((shape & (H_FUNC | H_FILE)) == (H_FUNC | H_FILE))
		return (1u << G_FILEFUNCTIONS | lines) &
		    ~(shape & H_COLON ? lines : 0);
	if (shape & H_FILE)
		return (1u << G_FILES | 1u << G_FILEFUNCTIONS | lines) &
		    ~(shape & H_COLON ? lines : 0);
	return G_ALL & ~(1u << G_FILES);
}

/*
 * The same, knowing that under -addresses a name that starts with 16
 * hex digits and a space starts with its address: "0000000000901000
 * [libfoo.so]" is not a function "0000000000901000" in a file there.
 */
static unsigned
compat(unsigned shape)
{
	return compat_shape(shape) &
	    ~(shape & H_HEX ? 1u << G_ADDRESSES : 0u);
}

static int
try_reading(struct ctx *x, struct dnode *dn, const struct reading *r)
{
	int k = fits(x, dn, r);

	if (k <= 0) {
		if (k < 0)
			diag_nomem(x->d);
		return k;
	}
	if (mem_reserve(&dn->r, &dn->rcap, dn->nr + 1, sizeof *dn->r) != 0) {
		diag_nomem(x->d);
		return -1;
	}
	dn->r[dn->nr++] = *r;
	dn->gmask |= compat(r->shape);
	return 0;
}

static bool
hex16(const char *s, size_t n)
{
	size_t i;

	if (n < 17 || s[16] != ' ')
		return false;
	for (i = 0; i < 16; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * Every reading of dn's name that fits its label.  Trying a split at
 * each space costs up to the name's length, so a name of n bytes with
 * k spaces costs about k * n: a hostile graph could make that hours.
 * The graph has SPLIT_BUDGET bytes of that work; a node that would go
 * past it is left unsplit (its fields are not set, and it does not
 * take part in choosing the granularity).
 */
static int
readings(struct ctx *x, struct dnode *dn)
{
	const char *t = dn->name.s;
	size_t n = dn->name.len, a, i;
	uint64_t cost = 0;

	for (i = 0; i < n; i++)
		if (t[i] == ' ')
			cost += 2 * (uint64_t)n;
	if (cost > x->split_budget)
		dn->unsplit = true;
	else
		x->split_budget -= cost;
	for (a = 0; a < 2; a++) {
		size_t r0 = a == 1 ? 17 : 0, rn, rl = 0, k, d;
		unsigned ab = a == 1 ? H_ADDR : hex16(t, n) ? H_HEX : 0;
		unsigned colon;
		unsigned long line = 0;
		struct reading r;
		const char *s;

		if (a == 1 && !hex16(t, n))
			continue;
		s = t + r0;
		rn = n - r0;
		if (rn == 0)
			continue;
		memset(&r, 0, sizeof r);
		/* The function alone. */
		r.shape = ab | H_FUNC;
		r.func = r0;
		r.func_len = rn;
		if (try_reading(x, dn, &r) != 0)
			return -1;
		/* A frame without a function: "[binary]", "<unknown>". */
		if ((rn == 9 && memcmp(s, "<unknown>", 9) == 0) ||
		    (rn >= 2 && s[0] == '[' && s[rn - 1] == ']')) {
			r.shape = ab | H_OBJ;
			r.func_len = 0;
			r.file = r0;
			r.file_len = rn;
			if (try_reading(x, dn, &r) != 0)
				return -1;
		}
		/* A line number: "...:N". */
		for (d = rn; d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9'; d--)
			;
		colon = d > 0 && d < rn && s[d - 1] == ':' &&
		    parse_ulong(s + d, rn - d, &line) && line > 0 &&
		    line <= INT64_MAX ? H_COLON : 0;
		/* The file alone. */
		memset(&r, 0, sizeof r);
		r.shape = ab | H_FILE | colon;
		r.file = r0;
		r.file_len = rn;
		if (try_reading(x, dn, &r) != 0)
			return -1;
		if (colon) {
			rl = d - 1;
			r.shape = ab | H_FILE | H_LINE;
			r.file_len = rl;
			r.line = (int64_t)line;
			if (try_reading(x, dn, &r) != 0)
				return -1;
			for (k = 1; k < rl && !dn->unsplit; k++) {
				if (s[k] != ' ')
					continue;
				r.shape = ab | H_FUNC | H_FILE | H_LINE;
				r.func = r0;
				r.func_len = k;
				r.file = r0 + k + 1;
				r.file_len = rl - k - 1;
				if (try_reading(x, dn, &r) != 0)
					return -1;
			}
		}
		/* A function and a file. */
		memset(&r, 0, sizeof r);
		for (k = 1; k + 1 < rn && !dn->unsplit; k++) {
			if (s[k] != ' ')
				continue;
			r.shape = ab | H_FUNC | H_FILE | colon;
			r.func = r0;
			r.func_len = k;
			r.file = r0 + k + 1;
			r.file_len = rn - k - 1;
			if (try_reading(x, dn, &r) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * The graph's granularity: the simplest one every node that has a
 * reading allows; -1 when they allow none in common (or there are no
 * such nodes).  Lines come before files and filefunctions when some
 * node's name has a line number that fits its label: under those two
 * a name ends in ":N" only when a file name does.
 */
static int
choose_gran(const struct ctx *x)
{
	static const int order[2][G_COUNT] = {
		{ G_FUNCTIONS, G_FILES, G_FILEFUNCTIONS, G_LINES,
		    G_ADDRESSES },
		{ G_FUNCTIONS, G_LINES, G_FILES, G_FILEFUNCTIONS,
		    G_ADDRESSES },
	};
	unsigned m = G_ALL;
	bool any = false, lines = false;
	size_t i, k;
	int gr;

	for (i = 0; i < x->nnodes; i++) {
		const struct dnode *dn = &x->nodes[i];

		if (dn->nr == 0 || dn->unsplit)
			continue;
		m &= dn->gmask;
		any = true;
		for (k = 0; k < dn->nr; k++)
			if ((dn->r[k].shape & (H_LINE | H_ADDR)) == H_LINE)
				lines = true;
	}
	if (!any)
		return -1;
	for (gr = 0; gr < G_COUNT; gr++)
		if (m & (1u << order[lines][gr]))
			return order[lines][gr];
	return -1;
}

/* ---------------------------------------------------------------- */
/* Edges and tag boxes. */

static int
push_edge(struct ctx *x, const struct dedge *de)
{
	if (mem_reserve(&x->edges, &x->ecap, x->nedges + 1,
	    sizeof *x->edges) != 0) {
		diag_nomem(x->d);
		return -1;
	}
	x->edges[x->nedges++] = *de;
	return 0;
}

static int
parse_edge(struct ctx *x, Agedge_t *e)
{
	const char *lab = attr(e, "label"), *tip = attr(e, "tooltip");
	const char *style = attr(e, "style"), *v;
	struct dedge de;
	char where[96];
	size_t n, vn;

	snprintf(where, sizeof where, "edge %.40s -> %.40s",
	    agnameof(agtail(e)), agnameof(aghead(e)));
	memset(&de, 0, sizeof de);
	de.e = e;
	if (lab == NULL || lab[0] != ' ') {
		n = lab != NULL ? strlen(lab) : 0;
		value_error(x, where, lab != NULL ? lab : "", n);
		return -1;
	}
	v = lab + 1;
	vn = strlen(v);
	if (ends(v, vn, "\\n (inline)")) {
		de.inl = true;
		vn -= 11;
	}
	if (value(x, where, v, vn, &de.cum) != 0)
		return -1;
	/* "SRC -> DST (VALUE)", when there is a tooltip. */
	if (tip != NULL) {
		size_t tn = strlen(tip);

		if (tn < vn + 3 || memcmp(tip + tn - vn - 3, " (", 2) != 0 ||
		    memcmp(tip + tn - vn - 1, v, vn) != 0 ||
		    tip[tn - 1] != ')') {
			fail(x, "%s: the tooltip '%.*s%s' does not end with "
			    "the label's value '%.*s'", where, QUOTED(tn),
			    tip, ELLIPSIS(tn), QUOTED(vn), v);
			return -1;
		}
	}
	de.res = style != NULL && strcmp(style, "dotted") == 0;
	return push_edge(x, &de);
}

static int
parse_tag(struct ctx *x, struct dtag *t)
{
	const char *id = agnameof(t->n), *tip = attr(t->n, "tooltip");
	const char *style;
	enum tag_kind kind;
	unsigned long k, j, i;
	char where[64], owner[64];
	Agnode_t *o;
	Agedge_t *e;

	snprintf(where, sizeof where, "tag box %.40s", id);
	tag_id(id, &kind, &k, &j, &i);
	t->kind = kind;
	t->k = k;
	t->j = j;
	t->i = i;
	if (kind == T_SUBSIZES)
		snprintf(owner, sizeof owner, "N%lu_%lu", k, j);
	else
		snprintf(owner, sizeof owner, "N%lu", k);
	o = agnode(x->g, owner, 0);
	if (o == NULL || kind_of(x, o) != (kind == T_SUBSIZES ? K_TAG :
	    K_DATA) || (kind == T_SUBSIZES &&
	    x->tags[index_of(x, o)].kind != T_LABELS)) {
		fail(x, "%s: its owner %s is not in the graph", where, owner);
		return -1;
	}
	t->owner = index_of(x, o);
	for (e = agfstin(x->g, t->n); e != NULL; e = agnxtin(x->g, e))
		if (agtail(e) == o)
			break;
	if (e == NULL) {
		fail(x, "%s: no edge from its owner %s", where, owner);
		return -1;
	}
	t->e = e;
	t->cum_only = (style = attr(e, "style")) != NULL &&
	    strcmp(style, "dotted") == 0;
	if (tip == NULL)
		tip = "";
	return value(x, where, tip, strlen(tip), &t->value);
}

/* Data edges, tag edges; everything else is left alone. */
static int
parse_edges(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->nnodes; i++) {
		Agnode_t *n = x->nodes[i].n;
		Agedge_t *e;

		for (e = agfstout(x->g, n); e != NULL; e = agnxtout(x->g, e))
			if (kind_of(x, aghead(e)) == K_DATA &&
			    parse_edge(x, e) != 0)
				return -1;
	}
	for (i = 0; i < x->ntags; i++)
		if (parse_tag(x, &x->tags[i]) != 0)
			return -1;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Names. */

struct nameset {
	struct hmap h;
	const struct dotio_buf **ids;
	size_t n, cap;
	size_t *owner;		/* nodes index for data names, else SIZE_MAX */
};

static bool
name_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct nameset *s = ctx;

	return strcmp(s->ids[id]->s, key) == 0;
}

static uint32_t
name_find(const struct nameset *s, const char *name)
{
	return hmap_find(&s->h, mem_hash(name, strlen(name), 0), name_eq, s,
	    name);
}

static int
name_add(struct nameset *s, const struct dotio_buf *id, size_t owner)
{
	size_t cap = s->cap;

	if (s->n >= UINT32_MAX ||
	    mem_reserve(&s->ids, &s->cap, s->n + 1, sizeof *s->ids) != 0 ||
	    mem_reserve(&s->owner, &cap, s->n + 1, sizeof *s->owner) != 0 ||
	    hmap_add(&s->h, mem_hash(id->s, id->len, 0), (uint32_t)s->n) != 0)
		return -1;
	s->ids[s->n] = id;
	s->owner[s->n++] = owner;
	return 0;
}

static void
nameset_free(struct nameset *s)
{
	hmap_free(&s->h);
	free(s->ids);
	free(s->owner);
}

/* Is name taken by a node that stays as it is? */
static bool
taken_by_other(const struct ctx *x, const char *name)
{
	Agnode_t *n = agnode(x->g, (char *)name, 0);

	return n != NULL && kind_of(x, n) == K_OTHER;
}

/*
 * Every data node's and tag box's new ID, all different.  Tag boxes
 * get pprof2graph's IDs, with "~k" when one is taken (as there).
 */
static int
plan_names(struct ctx *x)
{
	struct nameset s;
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof s);
	for (i = 0; i < x->nnodes; i++) {
		struct dnode *dn = &x->nodes[i];
		uint32_t other = name_find(&s, dn->id.s);

		if (other != HMAP_NONE) {
			fail(x, "nodes %s and %s have the same name "
			    "'%.*s%s' (a -call_tree graph?)",
			    agnameof(x->nodes[s.owner[other]].n),
			    agnameof(dn->n), QUOTED(dn->id.len), dn->id.s,
			    ELLIPSIS(dn->id.len));
			goto out;
		}
		if (taken_by_other(x, dn->id.s)) {
			fail(x, "node %s: its name '%.*s%s' is another node's",
			    agnameof(dn->n), QUOTED(dn->id.len), dn->id.s,
			    ELLIPSIS(dn->id.len));
			goto out;
		}
		if (name_add(&s, &dn->id, i) != 0)
			goto nomem;
	}
	/* Owners first: label sets, then sizes (under either). */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < x->ntags; i++) {
			struct dtag *t = &x->tags[i];
			const struct dotio_buf *o;
			int k;

			if ((t->kind == T_LABELS) != (pass == 0))
				continue;
			o = t->kind == T_SUBSIZES ? &x->tags[t->owner].id :
			    &x->nodes[t->owner].id;
			for (k = 0;; k++) {
				dotio_buf_reset(&t->id);
				if (dotio_buf_add(&t->id, o->s, o->len) != 0 ||
				    (t->kind == T_LABELS && dotio_buf_addf(
				    &t->id, " #%lu", t->j) != 0) ||
				    (t->kind == T_SIZES && dotio_buf_addf(
				    &t->id, " #s%lu", t->j) != 0) ||
				    (t->kind == T_SUBSIZES && dotio_buf_addf(
				    &t->id, " #%lu.%lu", t->j, t->i) != 0) ||
				    (k > 0 && dotio_buf_addf(&t->id, "~%d",
				    k) != 0))
					goto nomem;
				if (name_find(&s, t->id.s) == HMAP_NONE &&
				    !taken_by_other(x, t->id.s))
					break;
			}
			if (name_add(&s, &t->id, SIZE_MAX) != 0)
				goto nomem;
		}
	rc = 0;
	goto out;
nomem:
	diag_nomem(x->d);
out:
	nameset_free(&s);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Writing. */

static int
copy_attrs(Agraph_t *g, int kind, void *from, void *to)
{
	Agsym_t *sym;

	for (sym = agnxtattr(g, kind, NULL); sym != NULL;
	    sym = agnxtattr(g, kind, sym)) {
		char *v = agxget(from, sym);

		/* The string is still the graph's: agxset shares it, HTML
		 * mark and all. */
		if (v != NULL && strcmp(v, sym->defval) != 0 &&
		    agxset(to, sym, v) != 0)
			return -1;
	}
	return 0;
}

/* obj (a node or an edge) in subgraph s, made there with create. */
static void *
in_subg(Agraph_t *s, void *obj, int create)
{
	return AGTYPE(obj) == AGNODE ? (void *)agsubnode(s, obj, create) :
	    (void *)agsubedge(s, obj, create);
}

/* Put to in every subgraph of g, at any depth, that holds from (both
 * nodes or both edges). */
static int
copy_subgs(Agraph_t *g, void *from, void *to)
{
	Agraph_t *s;

	for (s = agfstsubg(g); s != NULL; s = agnxtsubg(s))
		if (in_subg(s, from, 0) != NULL &&
		    (in_subg(s, to, 1) == NULL || copy_subgs(s, from, to) != 0))
			return -1;
	return 0;
}

/*
 * e again from t to h, under its key if it has one.  The key is the
 * out-edge's: agnameof names an in-edge (agfstin's) "%ID", which agedge
 * would take for a key and agwrite write as key="%ID".
 */
static int
copy_edge(Agraph_t *g, Agedge_t *e, Agnode_t *t, Agnode_t *h)
{
	Agedge_t *c = agedge(g, t, h, agnameof(AGMKOUT(e)), 1);

	return c == NULL || copy_attrs(g, AGEDGE, e, c) != 0 ||
	    copy_subgs(g, e, c) != 0 ? -1 : 0;
}

/*
 * Node old again as name (not taken): attributes, subgraphs, edges in
 * both directions.  The new node, or NULL when memory ran out.
 */
static Agnode_t *
move_node(Agraph_t *g, Agnode_t *old, const char *name)
{
	Agnode_t *n = agnode(g, (char *)name, 1);
	Agedge_t *e;

	if (n == NULL || copy_attrs(g, AGNODE, old, n) != 0 ||
	    copy_subgs(g, old, n) != 0)
		return NULL;
	for (e = agfstout(g, old); e != NULL; e = agnxtout(g, e))
		if (copy_edge(g, e, n, aghead(e) == old ? n : aghead(e)) != 0)
			return NULL;
	for (e = agfstin(g, old); e != NULL; e = agnxtin(g, e))
		if (agtail(e) != old && copy_edge(g, e, agtail(e), n) != 0)
			return NULL;
	agdelnode(g, old);
	return n;
}

static int
rename_all(struct ctx *x)
{
	unsigned long serial = 0;
	char tmp[64];
	size_t i;

	/* First out of the way, so that no new name meets an old one. */
	for (i = 0; i < x->nnodes + x->ntags; i++) {
		Agnode_t **n = i < x->nnodes ? &x->nodes[i].n :
		    &x->tags[i - x->nnodes].n;

		do
			snprintf(tmp, sizeof tmp, "\x01gomemviz-import-%lu",
			    serial++);
		while (agnode(x->g, tmp, 0) != NULL);
		if ((*n = move_node(x->g, *n, tmp)) == NULL)
			return -1;
	}
	for (i = 0; i < x->nnodes; i++)
		if ((x->nodes[i].n = move_node(x->g, x->nodes[i].n,
		    x->nodes[i].id.s)) == NULL)
			return -1;
	for (i = 0; i < x->ntags; i++)
		if ((x->tags[i].n = move_node(x->g, x->tags[i].n,
		    x->tags[i].id.s)) == NULL)
			return -1;
	return 0;
}

static int
set_enc(void *obj, const char *name, const char *s, size_t n,
    struct dotio_buf *b)
{
	dotio_buf_reset(b);
	return dotio_encode(b, s, n) != 0 || dotio_set(obj, name, b->s) != 0 ?
	    -1 : 0;
}

static int
set_named(void *obj, const char *prefix, const char *type, int64_t v,
    struct dotio_buf *b)
{
	dotio_buf_reset(b);
	return dotio_buf_addf(b, "%s_%s", prefix, type) != 0 ||
	    dotio_set_int(obj, b->s, v) != 0 ? -1 : 0;
}

static int
write_root(struct ctx *x)
{
	Agraph_t *g = x->g;
	const char *type = x->type.s, *unit = units_kind_name(x->unit);
	struct dotio_buf *b = &x->a;

	if (dotio_set(g, "imported", "go tool pprof -dot") != 0 ||
	    set_enc(g, "sample_type", type, x->type.len, b) != 0 ||
	    set_enc(g, "sample_types", type, x->type.len, b) != 0 ||
	    dotio_set_int(g, "total", x->total) != 0 ||
	    set_named(g, "total", type, x->total, b) != 0)
		return -1;
	if (unit != NULL) {
		if (dotio_set(g, "unit", unit) != 0)
			return -1;
		dotio_buf_reset(b);
		if (dotio_buf_addf(b, "unit_%s", type) != 0 ||
		    dotio_set(g, b->s, unit) != 0)
			return -1;
	}
	/* Not source: that names the input, which only the caller knows. */
	if (x->has_file &&
	    set_enc(g, "binary", x->file.s, x->file.len, b) != 0)
		return -1;
	if (x->has_build_id &&
	    set_enc(g, "build_id", x->build_id.s, x->build_id.len, b) != 0)
		return -1;
	if (x->comments.len > 0 &&
	    set_enc(g, "comments", x->comments.s, x->comments.len, b) != 0)
		return -1;
	if (x->filters.len > 0 &&
	    set_enc(g, "filters", x->filters.s, x->filters.len, b) != 0)
		return -1;
	if (x->has_duration && x->duration != 0 &&
	    dotio_set_int(g, "duration_ns", x->duration) != 0)
		return -1;
	if ((x->has_dropped_nodes &&
	    dotio_set_int(g, "dropped_nodes", x->dropped_nodes) != 0) ||
	    (x->has_dropped_edges &&
	    dotio_set_int(g, "dropped_edges", x->dropped_edges) != 0) ||
	    (x->has_candidates &&
	    dotio_set_int(g, "candidate_nodes", x->candidates) != 0))
		return -1;
	if (x->gran >= 0 &&
	    dotio_set(g, "granularity", gran_names[x->gran]) != 0)
		return -1;
	return 0;
}

/* The fields every reading of dn allowed under the granularity agree on. */
static int
write_fields(struct ctx *x, struct dnode *dn, Agsym_t *func, Agsym_t *file,
    Agsym_t *line, Agsym_t *address)
{
	const struct reading *first = NULL;
	bool f = true, s = true, l = true, a = true;
	const char *name = dn->name.s;
	size_t i;

	if (dn->unsplit)
		return 0;
	for (i = 0; i < dn->nr; i++) {
		const struct reading *r = &dn->r[i];

		if (x->gran >= 0 && !(compat(r->shape) & (1u << x->gran)))
			continue;
		if (first == NULL) {
			first = r;
			f = r->shape & H_FUNC;
			s = (r->shape & H_FILE) && r->file_len > 0;
			l = r->shape & H_LINE;
			a = r->shape & H_ADDR;
			continue;
		}
		f = f && (r->shape & H_FUNC) && r->func_len ==
		    first->func_len && r->func == first->func;
		s = s && (r->shape & H_FILE) && r->file == first->file &&
		    r->file_len == first->file_len;
		l = l && (r->shape & H_LINE) && r->line == first->line;
		a = a && (r->shape & H_ADDR);
	}
	if (first == NULL)
		return 0;
	dotio_buf_reset(&x->a);
	if (f && (dotio_encode(&x->a, name + first->func,
	    first->func_len) != 0 || dotio_xset(dn->n, func, x->a.s) != 0))
		return -1;
	dotio_buf_reset(&x->a);
	if (s && (dotio_encode(&x->a, name + first->file,
	    first->file_len) != 0 || dotio_xset(dn->n, file, x->a.s) != 0))
		return -1;
	if (l && dotio_xset_int(dn->n, line, first->line) != 0)
		return -1;
	if (a) {
		uint64_t addr = strtoull(name, NULL, 16);
		char buf[24];

		snprintf(buf, sizeof buf, "0x%" PRIx64, addr);
		if (dotio_xset(dn->n, address, buf) != 0)
			return -1;
	}
	return 0;
}

static int
write_data(struct ctx *x)
{
	Agraph_t *g = x->g;
	const char *type = x->type.s;
	Agsym_t *flat, *cum, *flat_t, *cum_t, *ecum, *ecum_t, *inl, *res;
	Agsym_t *func, *file, *line, *address, *etag;
	Agsym_t *tag_of, *tag, *tag_value, *tag_cum;
	size_t i;

	dotio_buf_reset(&x->b);
	if (dotio_buf_addf(&x->b, "flat_%s", type) != 0 ||
	    (flat_t = dotio_sym(g, AGNODE, x->b.s, true)) == NULL)
		return -1;
	dotio_buf_reset(&x->b);
	if (dotio_buf_addf(&x->b, "cum_%s", type) != 0 ||
	    (cum_t = dotio_sym(g, AGNODE, x->b.s, true)) == NULL ||
	    (ecum_t = dotio_sym(g, AGEDGE, x->b.s, true)) == NULL)
		return -1;
	flat = dotio_sym(g, AGNODE, "flat", true);
	cum = dotio_sym(g, AGNODE, "cum", true);
	func = dotio_sym(g, AGNODE, "func", true);
	file = dotio_sym(g, AGNODE, "file", true);
	line = dotio_sym(g, AGNODE, "line", true);
	address = dotio_sym(g, AGNODE, "address", true);
	ecum = dotio_sym(g, AGEDGE, "cum", true);
	inl = dotio_sym(g, AGEDGE, "inline", true);
	res = dotio_sym(g, AGEDGE, "residual", true);
	if (flat == NULL || cum == NULL || func == NULL || file == NULL ||
	    line == NULL || address == NULL || ecum == NULL || inl == NULL ||
	    res == NULL)
		return -1;
	for (i = 0; i < x->nnodes; i++) {
		struct dnode *dn = &x->nodes[i];

		if (dotio_xset_int(dn->n, flat, dn->flat) != 0 ||
		    dotio_xset_int(dn->n, cum, dn->cum) != 0 ||
		    dotio_xset_int(dn->n, flat_t, dn->flat) != 0 ||
		    dotio_xset_int(dn->n, cum_t, dn->cum) != 0 ||
		    write_fields(x, dn, func, file, line, address) != 0)
			return -1;
	}
	for (i = 0; i < x->nedges; i++) {
		const struct dedge *de = &x->edges[i];

		if (dotio_xset_int(de->e, ecum, de->cum) != 0 ||
		    dotio_xset_int(de->e, ecum_t, de->cum) != 0 ||
		    (de->inl && dotio_xset(de->e, inl, "true") != 0) ||
		    (de->res && dotio_xset(de->e, res, "true") != 0))
			return -1;
	}
	if (x->ntags == 0)
		return 0;
	tag_of = dotio_sym(g, AGNODE, "tag_of", true);
	tag = dotio_sym(g, AGNODE, "tag", true);
	tag_value = dotio_sym(g, AGNODE, "tag_value", true);
	tag_cum = dotio_sym(g, AGNODE, "tag_cum", true);
	etag = dotio_sym(g, AGEDGE, "tag", true);
	if (tag_of == NULL || tag == NULL || tag_value == NULL ||
	    tag_cum == NULL || etag == NULL)
		return -1;
	for (i = 0; i < x->ntags; i++) {
		const struct dtag *t = &x->tags[i];
		const struct dotio_buf *o = t->kind == T_SUBSIZES ?
		    &x->tags[t->owner].id : &x->nodes[t->owner].id;
		const char *text = attr(t->n, "label");

		if (text == NULL)
			text = "";
		dotio_buf_reset(&x->a);
		if (dotio_xset(t->n, tag_of, o->s) != 0 ||
		    dotio_encode(&x->a, text, strlen(text)) != 0 ||
		    dotio_xset(t->n, tag, x->a.s) != 0 ||
		    dotio_xset_int(t->n, tag_value, t->value) != 0 ||
		    (t->cum_only && dotio_xset(t->n, tag_cum, "true") != 0) ||
		    dotio_xset(t->e, etag, "true") != 0)
			return -1;
	}
	return 0;
}

static void
drop_legend(struct ctx *x)
{
	Agraph_t *sg = agsubg(x->g, LEGEND, 0);
	size_t i;

	for (i = 0; i < x->ndrop; i++)
		agdelnode(x->g, x->drop[i]);
	/* agclose: Graphviz 2.43's agdelsubg only unlinks a subgraph. */
	if (sg != NULL)
		agclose(sg);
}

/* ---------------------------------------------------------------- */

static void
ctx_free(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->nnodes; i++) {
		dotio_buf_free(&x->nodes[i].name);
		dotio_buf_free(&x->nodes[i].id);
		free(x->nodes[i].r);
	}
	for (i = 0; i < x->ntags; i++)
		dotio_buf_free(&x->tags[i].id);
	free(x->nodes);
	free(x->tags);
	free(x->edges);
	free(x->tag_edges);
	free(x->drop);
	free(x->kinds);
	free(x->index);
	dotio_buf_free(&x->type);
	dotio_buf_free(&x->file);
	dotio_buf_free(&x->build_id);
	dotio_buf_free(&x->comments);
	dotio_buf_free(&x->filters);
	dotio_buf_free(&x->a);
	dotio_buf_free(&x->b);
	dotio_buf_free(&x->c);
}

int
dotimport_pprof(Agraph_t *g, struct diag *d)
{
	struct ctx x;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof x);
	x.g = g;
	x.d = d;
	x.unit = UNITS_ZERO;
	x.gran = -1;
	x.split_budget = SPLIT_BUDGET;
	if (classify(&x) != 0) {
		diag_nomem(d);
		goto out;
	}
	/* Read everything first: g stays as it is when something fails. */
	if (parse_legend(&x) != 0)
		goto out;
	for (i = 0; i < x.nnodes; i++)
		if (parse_node(&x, &x.nodes[i]) != 0)
			goto out;
	for (i = 0; i < x.nnodes; i++)
		if (readings(&x, &x.nodes[i]) != 0)
			goto out;
	x.gran = choose_gran(&x);
	if (parse_edges(&x) != 0 || plan_names(&x) != 0)
		goto out;

	drop_legend(&x);
	if (write_root(&x) != 0 || write_data(&x) != 0 ||
	    rename_all(&x) != 0) {
		diag_nomem(d);
		goto out;
	}
	rc = 0;
out:
	ctx_free(&x);
	return rc;
}
