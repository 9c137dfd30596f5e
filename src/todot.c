/*
 * todot: profile graph to annotated cgraph graph.  See todot.h.
 */
#include "todot.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dotio.h"
#include "mem.h"
#include "units.h"

static int
add_abs(int64_t *sum, int64_t v)
{
	return v == INT64_MIN || __builtin_add_overflow(*sum, v < 0 ? -v : v,
	    sum) ? -1 : 0;
}

int
todot_total(const struct prof *p, const struct filter_view *view, size_t t,
    int64_t *total)
{
	size_t i, b = p->nvalues_in + t;
	bool bases = p->nvalues_per > p->nvalues_in;
	int64_t sum = 0, base_sum = 0;

	for (i = 0; i < p->nstacks; i++) {
		const int64_t *row = prof_stack_values(p, i);
		int64_t v = row[t];

		if (view != NULL && !view->stack_keep[i])
			continue;
		if (bases && p->stacks[i].base) {
			/* pprof -diff_base: totals are of the base. */
			if (add_abs(&base_sum, row[b]) != 0)
				return -1;
			continue;
		}
		if (bases && __builtin_sub_overflow(v, row[b], &v))
			return -1;
		if (add_abs(&sum, v) != 0)
			return -1;
	}
	*total = base_sum > 0 ? base_sum : sum;
	return 0;
}

/* Sum of |base| for type t (0 without bases). */
static int
base_total(const struct prof *p, size_t t, int64_t *total)
{
	size_t i;
	int64_t sum = 0;

	if (p->nvalues_per > p->nvalues_in)
		for (i = 0; i < p->nstacks; i++)
			if (add_abs(&sum, prof_stack_values(p, i)[p->nvalues_in +
			    t]) != 0)
				return -1;
	*total = sum;
	return 0;
}

/*
 * The symbols of a per-type value family: "name" for the selected type
 * and "name_T" for every type T.
 */
struct family {
	Agsym_t *sel;
	Agsym_t **per_type;
};

static int
family_init(struct family *f, Agraph_t *g, int kind, const char *name,
    const struct prof *p, struct dotio_buf *b)
{
	size_t t;

	f->sel = dotio_sym(g, kind, name, true);
	f->per_type = mem_calloc(p->ntypes, sizeof *f->per_type);
	if (f->sel == NULL || f->per_type == NULL)
		return -1;
	for (t = 0; t < p->ntypes; t++) {
		dotio_buf_reset(b);
		if (dotio_buf_addf(b, "%s_%s", name,
		    prof_str(p, p->types[t].type)) != 0 ||
		    (f->per_type[t] = dotio_sym(g, kind, b->s, true)) == NULL)
			return -1;
	}
	return 0;
}

static int
set_family(void *obj, const struct family *f, const int64_t *row,
    size_t ntypes, size_t sel)
{
	size_t t;

	if (dotio_xset_int(obj, f->sel, row[sel]) != 0)
		return -1;
	for (t = 0; t < ntypes; t++)
		if (dotio_xset_int(obj, f->per_type[t], row[t]) != 0)
			return -1;
	return 0;
}

/* The symbols todot writes, declared once. */
struct syms {
	bool bases;
	struct family flat, cum, ecum;
	struct family bflat, bcum, becum;	/* base_* (with bases) */
	Agsym_t *dflat, *dcum, *decum;		/* delta_* (with bases) */
	Agsym_t *func, *file, *line, *address, *objfile;
	Agsym_t *inline_, *residual;
};

static int
syms_init(struct syms *s, Agraph_t *g, const struct prof *p,
    struct dotio_buf *b)
{
	memset(s, 0, sizeof *s);
	s->bases = p->nvalues_per > p->nvalues_in;
	if (s->bases &&
	    (family_init(&s->bflat, g, AGNODE, "base_flat", p, b) != 0 ||
	    family_init(&s->bcum, g, AGNODE, "base_cum", p, b) != 0 ||
	    family_init(&s->becum, g, AGEDGE, "base_cum", p, b) != 0 ||
	    (s->dflat = dotio_sym(g, AGNODE, "delta_flat", true)) == NULL ||
	    (s->dcum = dotio_sym(g, AGNODE, "delta_cum", true)) == NULL ||
	    (s->decum = dotio_sym(g, AGEDGE, "delta_cum", true)) == NULL))
		return -1;
	return family_init(&s->flat, g, AGNODE, "flat", p, b) != 0 ||
	    family_init(&s->cum, g, AGNODE, "cum", p, b) != 0 ||
	    family_init(&s->ecum, g, AGEDGE, "cum", p, b) != 0 ||
	    (s->func = dotio_sym(g, AGNODE, "func", true)) == NULL ||
	    (s->file = dotio_sym(g, AGNODE, "file", true)) == NULL ||
	    (s->line = dotio_sym(g, AGNODE, "line", true)) == NULL ||
	    (s->address = dotio_sym(g, AGNODE, "address", true)) == NULL ||
	    (s->objfile = dotio_sym(g, AGNODE, "objfile", true)) == NULL ||
	    (s->inline_ = dotio_sym(g, AGEDGE, "inline", true)) == NULL ||
	    (s->residual = dotio_sym(g, AGEDGE, "residual", true)) == NULL ?
	    -1 : 0;
}

static void
syms_free(struct syms *s)
{
	free(s->flat.per_type);
	free(s->cum.per_type);
	free(s->ecum.per_type);
	free(s->bflat.per_type);
	free(s->bcum.per_type);
	free(s->becum.per_type);
}

/*
 * A value family and, with bases, its base_ twin and the selected
 * delta (row holds nin new values, then nin base values).
 */
static int
set_values(void *obj, const struct syms *sy, const struct family *f,
    const struct family *bf, Agsym_t *delta, const int64_t *row, size_t nin,
    size_t sel, int64_t net)
{
	if (set_family(obj, f, row, nin, sel) != 0)
		return -1;
	if (!sy->bases)
		return 0;
	return set_family(obj, bf, row + nin, nin, sel) != 0 ||
	    dotio_xset_int(obj, delta, net) != 0 ? -1 : 0;
}

/* Set attribute name of obj to the escaped form of string id s. */
static int
set_str(void *obj, const char *name, const struct prof *p, uint32_t s,
    struct dotio_buf *b)
{
	dotio_buf_reset(b);
	if (dotio_encode(b, prof_str(p, s), strtab_len(&p->strs, s)) != 0)
		return -1;
	return dotio_set(obj, name, b->s);
}

/* Set sym of obj to the escaped form of string id s. */
static int
xset_str(void *obj, Agsym_t *sym, const struct prof *p, uint32_t s,
    struct dotio_buf *b)
{
	dotio_buf_reset(b);
	if (dotio_encode(b, prof_str(p, s), strtab_len(&p->strs, s)) != 0)
		return -1;
	return dotio_xset(obj, sym, b->s);
}

static void
rfc3339(char *buf, size_t n, int64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000);
	int64_t frac = ns % 1000000000;
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		secs--;
	}
	if (gmtime_r(&secs, &tm) == NULL) {
		snprintf(buf, n, "%" PRId64, ns);
		return;
	}
	if (frac != 0) {
		char f[16];
		size_t len;

		snprintf(f, sizeof f, "%09" PRId64, frac);
		for (len = strlen(f); len > 0 && f[len - 1] == '0'; len--)
			f[len - 1] = '\0';
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%sZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, f);
	} else {
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	}
}

static int
root_attrs(Agraph_t *dg, const struct prof *p, const struct todot_opts *o,
    struct dotio_buf *b, struct diag *d)
{
	uint32_t mm = prof_main_mapping(p);
	char tmp[64];
	size_t i, t, k;
	int64_t total;

	if (dotio_set(dg, "tool", o->tool) != 0)
		return -1;
	for (k = 0; k < 2; k++) {
		bool first = true;

		dotio_buf_reset(b);
		for (i = 0; i < p->nsources; i++) {
			if (p->source_is_base[i] != (k == 1))
				continue;
			if ((!first && dotio_buf_add(b, ",", 1) != 0) ||
			    dotio_encode(b, p->sources[i],
			    strlen(p->sources[i])) != 0)
				return -1;
			first = false;
		}
		if (!first && dotio_set(dg, k == 0 ? "source" : "base_source",
		    b->s) != 0)
			return -1;
	}
	if (p->base_mode != PROF_NO_BASE &&
	    (dotio_set(dg, "diff_mode", p->base_mode == PROF_BASE_DIFF ?
	    "diff_base" : "base") != 0 ||
	    (o->normalized && dotio_set(dg, "normalized", "true") != 0)))
		return -1;
	if (o->filters != NULL && *o->filters != '\0') {
		dotio_buf_reset(b);
		if (dotio_encode(b, o->filters, strlen(o->filters)) != 0 ||
		    dotio_set(dg, "filters", b->s) != 0)
			return -1;
	}
	if (set_str(dg, "sample_type", p, p->types[o->sel].type, b) != 0 ||
	    set_str(dg, "unit", p, p->types[o->sel].unit, b) != 0)
		return -1;
	dotio_buf_reset(b);
	for (t = 0; t < p->ntypes; t++)
		if ((t > 0 && dotio_buf_add(b, ",", 1) != 0) ||
		    dotio_encode(b, prof_str(p, p->types[t].type),
		    strtab_len(&p->strs, p->types[t].type)) != 0)
			return -1;
	if (dotio_set(dg, "sample_types", b->s) != 0)
		return -1;
	for (t = 0; t < p->ntypes; t++) {
		const char *tn = prof_str(p, p->types[t].type);
		struct dotio_buf name = { NULL, 0, 0 };
		int r;

		if (todot_total(p, o->relative, t, &total) != 0) {
			diag_set(d, "the total of %s overflows a 64-bit "
			    "integer", tn);
			return -2;
		}
		if (p->nvalues_per > p->nvalues_in) {
			int64_t bt;
			struct dotio_buf bn = { NULL, 0, 0 };
			int bad;

			if (base_total(p, t, &bt) != 0) {
				diag_set(d, "the base total of %s overflows a "
				    "64-bit integer", tn);
				return -2;
			}
			bad = (t == o->sel && dotio_set_int(dg, "base_total",
			    bt) != 0) || dotio_buf_addf(&bn, "base_total_%s",
			    tn) != 0 || dotio_set_int(dg, bn.s, bt) != 0;
			dotio_buf_free(&bn);
			if (bad)
				return -1;
		}
		if (t == o->sel && dotio_set_int(dg, "total", total) != 0)
			return -1;
		r = dotio_buf_addf(&name, "total_%s", tn) != 0 ||
		    dotio_set_int(dg, name.s, total) != 0;
		dotio_buf_reset(&name);
		r |= dotio_buf_addf(&name, "unit_%s", tn) != 0 ||
		    set_str(dg, name.s, p, p->types[t].unit, b) != 0;
		dotio_buf_free(&name);
		if (r)
			return -1;
	}
	if (p->time_nanos != 0) {
		rfc3339(tmp, sizeof tmp, p->time_nanos);
		if (dotio_set(dg, "time", tmp) != 0)
			return -1;
	}
	if (p->duration_nanos != 0 &&
	    dotio_set_int(dg, "duration_ns", p->duration_nanos) != 0)
		return -1;
	if (p->period != 0 && dotio_set_int(dg, "period", p->period) != 0)
		return -1;
	if (p->period_type.type != 0 &&
	    (set_str(dg, "period_type", p, p->period_type.type, b) != 0 ||
	    set_str(dg, "period_unit", p, p->period_type.unit, b) != 0))
		return -1;
	if (mm != PROF_NONE && p->mappings[mm].file != 0 &&
	    set_str(dg, "binary", p, p->mappings[mm].file, b) != 0)
		return -1;
	if (mm != PROF_NONE && p->mappings[mm].build_id != 0 &&
	    set_str(dg, "build_id", p, p->mappings[mm].build_id, b) != 0)
		return -1;
	if (p->ncomments > 0) {
		struct dotio_buf raw = { NULL, 0, 0 };
		int r = 0;

		/* One comment a line, the whole escaped. */
		for (i = 0; i < p->ncomments && r == 0; i++)
			r = (i > 0 && dotio_buf_add(&raw, "\n", 1) != 0) ||
			    dotio_buf_add(&raw, prof_str(p, p->comments[i]),
			    strtab_len(&p->strs, p->comments[i])) != 0;
		dotio_buf_reset(b);
		r = r || dotio_encode(b, raw.s, raw.len) != 0 ||
		    dotio_set(dg, "comments", b->s) != 0;
		dotio_buf_free(&raw);
		if (r)
			return -1;
	}
	if (p->doc_url != 0 && set_str(dg, "doc_url", p, p->doc_url, b) != 0)
		return -1;
	if (dotio_set(dg, "granularity", graph_gran_name(o->gran)) != 0 ||
	    dotio_set_int(dg, "nodecount", (int64_t)o->trim->nodecount))
		return -1;
	if (dotio_set_double(dg, "node_fraction", o->trim->node_fraction) ||
	    dotio_set_double(dg, "edge_fraction", o->trim->edge_fraction))
		return -1;
	if (dotio_set_int(dg, "dropped_nodes",
	    (int64_t)o->trimmed->dropped_nodes) != 0 ||
	    dotio_set_int(dg, "dropped_edges",
	    (int64_t)o->trimmed->dropped_edges) != 0 ||
	    dotio_set_int(dg, "candidate_nodes",
	    (int64_t)o->trimmed->candidates) != 0)
		return -1;
	return 0;
}

static int
node_attrs(Agnode_t *n, const struct syms *sy, const struct prof *p,
    const struct graph_info *in, const struct graph *g, size_t i,
    size_t sel, struct dotio_buf *b)
{
	if (in->func != 0 && xset_str(n, sy->func, p, in->func, b) != 0)
		return -1;
	if (in->file != 0 && xset_str(n, sy->file, p, in->file, b) != 0)
		return -1;
	if (in->line != 0 && dotio_xset_int(n, sy->line, in->line) != 0)
		return -1;
	if (in->address != 0) {
		char a[24];

		snprintf(a, sizeof a, "0x%" PRIx64, in->address);
		if (dotio_xset(n, sy->address, a) != 0)
			return -1;
	}
	if (in->func == 0 && in->file == 0 && in->objfile != 0 &&
	    xset_str(n, sy->objfile, p, in->objfile, b) != 0)
		return -1;
	if (set_values(n, sy, &sy->flat, &sy->bflat, sy->dflat,
	    g->flat + i * g->ntypes, g->nin, sel, graph_flat(g, i)) != 0 ||
	    set_values(n, sy, &sy->cum, &sy->bcum, sy->dcum,
	    g->cum + i * g->ntypes, g->nin, sel, graph_cum(g, i)) != 0)
		return -1;
	return 0;
}

/* Display order of edges: pprof's (heaviest first, then by names). */
static const struct graph *order_graph;

static int
cmp_edge(const void *a, const void *b)
{
	const struct graph *g = order_graph;
	uint32_t l = *(const uint32_t *)a, r = *(const uint32_t *)b;
	int64_t lw = graph_ew(g, l), rw = graph_ew(g, r);
	int c;

	lw = lw < 0 ? -lw : lw;
	rw = rw < 0 ? -rw : rw;
	if (lw != rw)
		return lw > rw ? -1 : 1;
	if ((c = strcmp(g->names[g->edges[l].src],
	    g->names[g->edges[r].src])) != 0)
		return c;
	if ((c = strcmp(g->names[g->edges[l].dst],
	    g->names[g->edges[r].dst])) != 0)
		return c;
	return l < r ? -1 : l > r;
}

/* ---------------------------------------------------------------- */
/* Tag boxes (pprof's nodelets). */

/* A tag as drawn: a label set, a size, or a group of sizes. */
struct vtag {
	int64_t flat, cum;
	const char *name;	/* owned by vt_names or the string table */
	int64_t value;		/* sizes: the raw value */
	uint32_t unit;		/* sizes: unit string id */
	uint32_t labels;	/* string id of the label set it belongs to */
};

static bool vt_flat;		/* sort flat values (internal node) */

static int64_t
vabs(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

/* pprof's tags.Less: heavier first (cum for leaves), then by name. */
static int
cmp_vtag(const void *a, const void *b)
{
	const struct vtag *x = a, *y = b;

	if (!vt_flat && x->cum != y->cum)
		return vabs(x->cum) > vabs(y->cum) ? -1 :
		    vabs(x->cum) < vabs(y->cum) ? 1 : 0;
	if (x->flat != y->flat)
		return vabs(x->flat) > vabs(y->flat) ? -1 :
		    vabs(x->flat) < vabs(y->flat) ? 1 : 0;
	return strcmp(x->name, y->name);
}

static void
sort_vtags(struct vtag *t, size_t n, bool flat)
{
	vt_flat = flat;
	qsort(t, n, sizeof *t, cmp_vtag);
}

/*
 * pprof's collapsedTags: more than count sizes are grouped around the
 * count heaviest, each size joining the nearest, and a group is named
 * "min..max" in automatic units.  names receives the strings made.
 * SIZE_MAX when a group's values overflow a 64-bit integer (pprof's
 * would wrap).
 */
static size_t
collapse(const struct prof *p, struct vtag *t, size_t n, size_t count,
    bool flat, char (*names)[104])
{
	size_t group[64], i, j;
	struct vtag out[8];

	sort_vtags(t, n, flat);
	if (n <= count)
		return n;
	for (i = 0; i < count; i++) {
		out[i] = t[i];
		out[i].flat = t[i].flat;
		out[i].cum = t[i].cum;
	}
	for (i = 0; i < count; i++)
		group[i] = 1;
	{
		int64_t lo[8], hi[8];

		for (i = 0; i < count; i++)
			lo[i] = hi[i] = t[i].value;
		for (i = count; i < n; i++) {
			size_t g = 0;
			double d = -1;

			for (j = 0; j < count; j++) {
				const char *u;
				double v = units_scale(t[j].value, prof_str(p,
				    t[j].unit), prof_str(p, t[i].unit), &u);
				double nd = v < (double)t[i].value ?
				    (double)t[i].value - v :
				    v - (double)t[i].value;

				if (j == 0 || nd < d) {
					g = j;
					d = nd;
				}
			}
			group[g]++;
			if (__builtin_add_overflow(out[g].flat, t[i].flat,
			    &out[g].flat) ||
			    __builtin_add_overflow(out[g].cum, t[i].cum,
			    &out[g].cum))
				return SIZE_MAX;
			if (t[i].value < lo[g])
				lo[g] = t[i].value;
			if (t[i].value > hi[g])
				hi[g] = t[i].value;
		}
		for (i = 0; i < count; i++) {
			char a[48], b[48];
			const char *u = prof_str(p, t[i].unit);

			units_label(a, sizeof a, lo[i], u);
			if (group[i] == 1) {
				snprintf(names[i], sizeof names[i], "%s", a);
			} else {
				units_label(b, sizeof b, hi[i], u);
				snprintf(names[i], sizeof names[i], "%s..%s",
				    a, b);
			}
			out[i].name = names[i];
		}
	}
	memcpy(t, out, count * sizeof *t);
	sort_vtags(t, count, flat);
	return count;
}

/* A fresh node ID "owner #suffix" that no node has yet. */
static Agnode_t *
tag_node(Agraph_t *dg, Agnode_t *owner, const char *suffix,
    struct dotio_buf *b)
{
	int k;

	for (k = 0;; k++) {
		dotio_buf_reset(b);
		if (dotio_buf_addf(b, "%s #%s", agnameof(owner), suffix) != 0 ||
		    (k > 0 && dotio_buf_addf(b, "~%d", k) != 0))
			return NULL;
		if (agnode(dg, b->s, 0) == NULL)
			return agnode(dg, b->s, 1);
	}
}

struct tag_syms {
	Agsym_t *of, *text, *value, *cum, *etag;
};

/* One tag box under owner; the box, or NULL when out of memory. */
static Agnode_t *
add_tag(Agraph_t *dg, const struct tag_syms *ts, Agnode_t *owner,
    const char *suffix, const char *text, int64_t w, bool cum_only,
    struct dotio_buf *b)
{
	Agnode_t *t = tag_node(dg, owner, suffix, b);
	Agedge_t *e;

	/* agnameof(owner) is escaped already: store it as it is. */
	if (t == NULL || dotio_xset(t, ts->of, agnameof(owner)) != 0)
		return NULL;
	dotio_buf_reset(b);
	if (dotio_encode(b, text, strlen(text)) != 0 ||
	    dotio_xset(t, ts->text, b->s) != 0 ||
	    dotio_xset_int(t, ts->value, w) != 0 ||
	    (cum_only && dotio_xset(t, ts->cum, "true") != 0))
		return NULL;
	e = agedge(dg, owner, t, NULL, 1);
	return e == NULL || dotio_xset(e, ts->etag, "true") != 0 ? NULL : t;
}

/* The size tags of one label set, collapsed, under owner; 0 or -1. */
static int
size_tags(Agraph_t *dg, const struct tag_syms *ts, const struct prof *p,
    Agnode_t *owner, const char *prefix, struct vtag *t, size_t n, bool flat,
    struct dotio_buf *b, struct diag *d)
{
	char names[4][104], suffix[64];
	size_t i, m = collapse(p, t, n, TRIM_MAX_NODELETS, flat, names);

	if (m == SIZE_MAX) {
		diag_set(d, "the values of the size tags of %s overflow a "
		    "64-bit integer", agnameof(owner));
		return -1;
	}

	for (i = 0; i < m; i++) {
		int64_t w = t[i].cum;
		bool cum_only = true;

		if (flat || t[i].flat == t[i].cum) {
			w = t[i].flat;
			cum_only = false;
		}
		if (w == 0)
			continue;
		snprintf(suffix, sizeof suffix, "%s%zu", prefix, i);
		if (add_tag(dg, ts, owner, suffix, t[i].name, w, cum_only,
		    b) == NULL)
			return -1;
	}
	return 0;
}

/*
 * The tag boxes of every node, as pprof's addNodelets draws them: the
 * four heaviest label sets, each with its sizes below it, then the sizes
 * of samples without labels, grouped into at most four ranges; flat
 * values for a node that calls others, cum for a leaf.
 */
static int
write_tags(Agraph_t *dg, const struct prof *p, const struct graph_space *s,
    const struct graph *g, Agnode_t **nodes, struct dotio_buf *b,
    struct diag *d)
{
	struct tag_syms ts;
	struct vtag *all = NULL, *sz = NULL;
	uint32_t *first = NULL, *count = NULL;
	size_t i, n, k;
	int rc = -1;

	ts.of = dotio_sym(dg, AGNODE, "tag_of", true);
	ts.text = dotio_sym(dg, AGNODE, "tag", true);
	ts.value = dotio_sym(dg, AGNODE, "tag_value", true);
	ts.cum = dotio_sym(dg, AGNODE, "tag_cum", true);
	ts.etag = dotio_sym(dg, AGEDGE, "tag", true);
	first = mem_calloc(g->nnodes + 1, sizeof *first);
	count = mem_calloc(g->nnodes, sizeof *count);
	all = mem_calloc(g->ntags, sizeof *all);
	sz = mem_calloc(g->ntags, sizeof *sz);
	if (ts.of == NULL || ts.text == NULL || ts.value == NULL ||
	    ts.cum == NULL || ts.etag == NULL || first == NULL ||
	    count == NULL || all == NULL || sz == NULL)
		goto out;
	/* Bucket the live tags by node. */
	for (i = 0; i < g->ntags; i++)
		if (!g->tags[i].removed && g->tags[i].node < g->nnodes)
			count[g->tags[i].node]++;
	for (i = 0; i < g->nnodes; i++)
		first[i + 1] = first[i] + count[i];
	memset(count, 0, g->nnodes * sizeof *count);
	for (i = 0; i < g->ntags; i++) {
		const struct graph_tag *t = &g->tags[i];
		const struct graph_tagkey *key;
		struct vtag *v;

		if (t->removed || t->node >= g->nnodes)
			continue;
		key = &s->tagkeys[t->key];
		v = &all[first[t->node] + count[t->node]++];
		v->flat = t->flat;
		v->cum = t->cum;
		v->name = prof_str(p, key->name);
		v->value = key->numeric ? key->value : 0;
		v->unit = key->numeric ? key->unit : 0;
		/* Label tags are marked by a unit of PROF_NONE. */
		if (!key->numeric)
			v->unit = PROF_NONE;
		v->labels = key->labels;
	}
	for (n = 0; n < g->nnodes; n++) {
		struct vtag *t = all + first[n];
		size_t nt = first[n + 1] - first[n], nl = 0, nsz, j;
		bool flat = false;
		char prefix[32];

		if (nt == 0)
			continue;
		for (j = 0; j < g->outn[n]; j++)
			if (!g->edges[g->adj[g->out0[n] + j]].removed)
				flat = true;
		/* Label tags first in the array, sorted. */
		for (j = 0; j < nt; j++)
			if (t[j].unit == PROF_NONE) {
				struct vtag x = t[nl];

				t[nl++] = t[j];
				t[j] = x;
			}
		sort_vtags(t, nl, flat);
		for (j = 0; j < nl && j < TRIM_MAX_NODELETS; j++) {
			int64_t w = flat ? t[j].flat : t[j].cum;
			Agnode_t *owner = nodes[n], *lt;

			if (w == 0)
				continue;
			snprintf(prefix, sizeof prefix, "%zu", j);
			lt = add_tag(dg, &ts, owner, prefix, t[j].name, w,
			    false, b);
			if (lt == NULL)
				goto out;
			/* Its sizes hang below it. */
			nsz = 0;
			for (k = nl; k < nt; k++)
				if (t[k].labels == t[j].labels)
					sz[nsz++] = t[k];
			snprintf(prefix, sizeof prefix, "%zu.", j);
			if (nsz > 0 && size_tags(dg, &ts, p, lt, prefix, sz,
			    nsz, flat, b, d) != 0)
				goto out;
		}
		nsz = 0;
		for (k = nl; k < nt; k++)
			if (t[k].labels == 0)
				sz[nsz++] = t[k];
		if (nsz > 0 && size_tags(dg, &ts, p, nodes[n], "s", sz, nsz,
		    flat, b, d) != 0)
			goto out;
	}
	rc = 0;
out:
	free(first);
	free(count);
	free(all);
	free(sz);
	return rc;
}

Agraph_t *
todot_graph(const struct prof *p, const struct graph_space *s,
    const struct graph *g, const struct todot_opts *o, struct diag *d)
{
	struct dotio_buf b = { NULL, 0, 0 };
	Agraph_t *dg = NULL;
	struct syms sy;
	Agnode_t **nodes = NULL;
	uint32_t *eorder = NULL;
	size_t i, ne = 0;
	uint32_t mm = prof_main_mapping(p);
	int r;

	memset(&sy, 0, sizeof sy);
	/* pprof names the graph after the main binary. */
	if (mm != PROF_NONE && p->mappings[mm].file != 0) {
		const char *f = prof_str(p, p->mappings[mm].file);
		const char *slash = strrchr(f, '/');

		if (dotio_encode(&b, slash != NULL && slash[1] != '\0' ?
		    slash + 1 : f, strlen(slash != NULL && slash[1] != '\0' ?
		    slash + 1 : f)) != 0)
			goto nomem;
	} else if (dotio_buf_add(&b, "unnamed", 7) != 0) {
		goto nomem;
	}
	dg = dotio_open(b.s);
	if (dg == NULL)
		goto nomem;
	if ((r = root_attrs(dg, p, o, &b, d)) != 0) {
		if (r == -2)
			goto fail;
		goto nomem;
	}
	nodes = mem_calloc(g->nnodes, sizeof *nodes);
	eorder = mem_calloc(g->nedges, sizeof *eorder);
	if (nodes == NULL || eorder == NULL || syms_init(&sy, dg, p, &b) != 0)
		goto nomem;
	for (i = 0; i < g->nnodes; i++) {
		size_t n = g->order != NULL ? g->order[i] : i;
		const struct graph_info *in = &s->infos[g->info[n]];

		dotio_buf_reset(&b);
		if (dotio_encode(&b, prof_str(p, in->key),
		    strtab_len(&p->strs, in->key)) != 0)
			goto nomem;
		nodes[n] = agnode(dg, b.s, 1);
		if (nodes[n] == NULL ||
		    node_attrs(nodes[n], &sy, p, in, g, n, o->sel, &b) != 0)
			goto nomem;
	}
	/* Edges touching ghosts are not drawn (pprof draws them to a
	 * node "N0" that does not exist). */
	for (i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed && g->edges[i].src < g->nnodes &&
		    g->edges[i].dst < g->nnodes)
			eorder[ne++] = (uint32_t)i;
	order_graph = g;
	qsort(eorder, ne, sizeof *eorder, cmp_edge);
	order_graph = NULL;
	for (i = 0; i < ne; i++) {
		const struct graph_edge *e = &g->edges[eorder[i]];
		Agedge_t *ae = agedge(dg, nodes[e->src], nodes[e->dst], NULL,
		    1);

		if (ae == NULL ||
		    set_values(ae, &sy, &sy.ecum, &sy.becum, sy.decum,
		    g->ew + (size_t)eorder[i] * g->ntypes, g->nin, o->sel,
		    graph_ew(g, eorder[i])) != 0 ||
		    ((e->flags & GRAPH_INLINE) &&
		    dotio_xset(ae, sy.inline_, "true") != 0) ||
		    ((e->flags & GRAPH_RESIDUAL) &&
		    dotio_xset(ae, sy.residual, "true") != 0))
			goto nomem;
	}
	/* An overflow's message comes first: then nomem adds nothing. */
	if (o->tags && write_tags(dg, p, s, g, nodes, &b, d) != 0)
		goto nomem;
	free(nodes);
	free(eorder);
	syms_free(&sy);
	dotio_buf_free(&b);
	return dg;
nomem:
	diag_nomem(d);
fail:
	free(nodes);
	free(eorder);
	syms_free(&sy);
	dotio_buf_free(&b);
	if (dg != NULL)
		agclose(dg);
	return NULL;
}
