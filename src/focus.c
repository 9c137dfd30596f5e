/*
 * focus: graphfocus's steps over an index of a cgraph graph.  See
 * focus.h.
 *
 * The graph is read once into arrays (nodes, edges with their values,
 * adjacency); every step computes a keep mask or a new edge list on
 * those arrays; only at the end is the cgraph graph changed: nodes
 * deleted, edges deleted, updated or added, attributes set, and the look
 * derived again.  So the cost is a few passes over the graph plus what
 * cgraph needs to delete and write.
 *
 * Contraction (hide, show, trimming) and trimming are vgraph's (see
 * vgraph.h): residual edges carry estimates for every value the input's
 * edges have.
 *
 * focus_flow.  For the focused nodes the fraction of their value in
 * focus is 1; any other node's flow is the sum over its out-edges of
 * the edge's value times its callee's fraction, and its fraction is
 * flow / cum (at most 1).  Nodes are taken in reverse topological order
 * of their strongly connected components (Tarjan's algorithm, without
 * recursion); inside a component the sums are iterated a bounded number
 * of times.
 */
#include "focus.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dotio.h"
#include "hmap.h"
#include "mem.h"
#include "rx.h"
#include "vgraph.h"

#define NONE UINT32_MAX

struct focus {
	struct focus_opts o;
	struct rx *pat, *ignore, *hide, *show;
	char *describe;		/* lines for the filters attribute */
};

/* The values of one cgraph graph (v) and where they came from. */
struct fidx {
	struct vgraph v;	/* values shown: delta_* in a diff */
	Agraph_t *g;
	Agnode_t **node;
	unsigned char *data;	/* the node has cum */
	uint32_t *seqmap;	/* AGSEQ of a node -> index, NONE if none */
	size_t nseq;
	Agsym_t **nsym, **esym;	/* the v.nv other values' attributes */
};

/* ---------------------------------------------------------------- */


static void
fidx_free(struct fidx *x)
{
	vgraph_free(&x->v);
	free(x->node);
	free(x->data);
	free(x->seqmap);
	free(x->nsym);
	free(x->esym);
}


static bool
in_legend(Agraph_t *g, Agnode_t *n)
{
	Agraph_t *lg = agsubg(g, "cluster_legend", 0);

	return lg != NULL && agsubnode(lg, n, 0) != NULL;
}

/* Parse an integer attribute into a double; false when absent. */
static bool
get_value(void *obj, Agsym_t *a, Agsym_t *b, double *v)
{
	int64_t i;

	if ((a != NULL && dotio_xget_int(obj, a, &i) == 1) ||
	    (b != NULL && dotio_xget_int(obj, b, &i) == 1)) {
		*v = (double)i;
		return true;
	}
	return false;
}


/* Is name the name of a value attribute (cum, cum_T, base_cum...)? */
static bool
value_name(const char *name)
{
	static const char *const stem[] = { "cum", "base_cum", "delta_cum" };
	size_t i, k;

	for (i = 0; i < sizeof stem / sizeof *stem; i++) {
		k = strlen(stem[i]);
		if (strncmp(name, stem[i], k) == 0 &&
		    (name[k] == '\0' || (name[k] == '_' && name[k + 1] != '\0')))
			return true;
	}
	return false;
}

/* The other values of x->g's edges: edge attributes named like a value
 * that nodes have too, but for the one shown. */
static int
fidx_values(struct fidx *x, const Agsym_t *shown, size_t *nv)
{
	Agsym_t *a = NULL, *na;
	size_t cap = 0, capn = 0;

	*nv = 0;
	while ((a = agnxtattr(x->g, AGEDGE, a)) != NULL) {
		if (a == shown || !value_name(a->name) ||
		    (na = agattr(x->g, AGNODE, a->name, NULL)) == NULL)
			continue;
		if (mem_reserve(&x->nsym, &capn, *nv + 1,
		    sizeof *x->nsym) != 0 ||
		    mem_reserve(&x->esym, &cap, *nv + 1,
		    sizeof *x->esym) != 0)
			return -1;
		x->nsym[*nv] = na;
		x->esym[*nv] = a;
		(*nv)++;
	}
	return 0;
}

/* Index g: every node but tag boxes and the legend, every edge. */
static int
fidx_build(struct fidx *x, Agraph_t *g)
{
	Agsym_t *tag_of = agattr(g, AGNODE, "tag_of", NULL);
	Agsym_t *cum = agattr(g, AGNODE, "cum", NULL);
	Agsym_t *dcum = agattr(g, AGNODE, "delta_cum", NULL);
	Agsym_t *flat = agattr(g, AGNODE, "flat", NULL);
	Agsym_t *dflat = agattr(g, AGNODE, "delta_flat", NULL);
	Agsym_t *ecum = agattr(g, AGEDGE, "cum", NULL);
	Agsym_t *edcum = agattr(g, AGEDGE, "delta_cum", NULL);
	Agsym_t *eres = agattr(g, AGEDGE, "residual", NULL);
	struct vgraph *v = &x->v;
	Agnode_t *n;
	Agedge_t *e;
	size_t cap = (size_t)agnnodes(g) + 1, maxseq = 0, nv, k;
	uint32_t *map;
	double *ev = NULL;

	memset(x, 0, sizeof *x);
	x->g = g;
	if (fidx_values(x, edcum != NULL ? edcum : ecum, &nv) != 0 ||
	    vgraph_init(v, cap, nv) != 0)
		return -1;
	x->node = mem_calloc(cap, sizeof *x->node);
	x->data = mem_calloc(cap, 1);
	if (x->node == NULL || x->data == NULL ||
	    (nv > 0 && (ev = mem_calloc(nv, sizeof *ev)) == NULL))
		goto fail;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n))
		if ((size_t)AGSEQ(n) > maxseq)
			maxseq = (size_t)AGSEQ(n);
	if ((map = mem_calloc(maxseq + 1, sizeof *map)) == NULL)
		goto fail;
	x->seqmap = map;
	x->nseq = maxseq + 1;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		map[AGSEQ(n)] = NONE;
		if ((tag_of != NULL && dotio_xget(n, tag_of) != NULL) ||
		    in_legend(g, n))
			continue;
		map[AGSEQ(n)] = (uint32_t)v->n;
		x->node[v->n] = n;
		v->names[v->n] = agnameof(n);
		/* In a diff the values shown are the deltas. */
		if (get_value(n, dcum != NULL ? dcum : cum, NULL,
		    &v->cum[v->n])) {
			x->data[v->n] = 1;
			get_value(n, dflat != NULL ? dflat : flat, NULL,
			    &v->flat[v->n]);
		}
		for (k = 0; k < nv; k++)
			get_value(n, x->nsym[k], NULL,
			    &v->nval[v->n * nv + k]);
		v->n++;
	}
	v->values = ecum != NULL || edcum != NULL;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		uint32_t s = map[AGSEQ(n)];

		if (s == NONE)
			continue;
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e)) {
			uint32_t t = map[AGSEQ(aghead(e))];
			const char *r;
			double w = 0;
			bool has_w;

			if (t == NONE)
				continue;
			for (k = 0; k < nv; k++) {
				ev[k] = 0;
				get_value(e, x->esym[k], NULL, &ev[k]);
			}
			has_w = get_value(e, edcum != NULL ? edcum : ecum,
			    NULL, &w);
			r = eres != NULL ? dotio_xget(e, eres) : NULL;
			if (vgraph_add_edge(v, s, t, w, has_w, r != NULL &&
			    strcmp(r, "true") == 0, ev) != 0)
				goto fail;
		}
	}
	free(ev);
	return vgraph_index(v);
fail:
	free(ev);
	return -1;
}

/* ---------------------------------------------------------------- */
/* Matching. */

static int
match_text(const struct rx *r, const char *s, struct dotio_buf *b,
    struct diag *d)
{
	dotio_buf_reset(b);
	if (dotio_decode(b, s) != 0) {
		diag_nomem(d);
		return -1;
	}
	return rx_match(r, b->s, b->len, NULL, 0, d);
}

/* Does node n match r (by ID, func, label as o->match says)? */
static int
node_matches(const struct focus *f, const struct rx *r, Agnode_t *n,
    Agsym_t *func, Agsym_t *label, struct dotio_buf *b, struct diag *d)
{
	int m;
	const char *v;

	if ((f->o.match & FOCUS_MATCH_ID) &&
	    (m = match_text(r, agnameof(n), b, d)) != 0)
		return m;
	if ((f->o.match & FOCUS_MATCH_FUNC) && func != NULL &&
	    (v = dotio_xget(n, func)) != NULL &&
	    (m = match_text(r, v, b, d)) != 0)
		return m;
	if ((f->o.match & FOCUS_MATCH_LABEL) && label != NULL &&
	    (v = agxget(n, label)) != NULL && *v != '\0') {
		/* A label is matched as written, escapes and HTML and all. */
		m = rx_match(r, v, strlen(v), NULL, 0, d);
		if (m != 0)
			return m;
	}
	return 0;
}

/* mark[i] = node i matches r; 0 or -1 (match limit, no memory). */
static int
match_all(const struct focus *f, const struct fidx *x, const struct rx *r,
    unsigned char *mark, struct diag *d)
{
	Agsym_t *func = agattr(x->g, AGNODE, "func", NULL);
	Agsym_t *label = agattr(x->g, AGNODE, "label", NULL);
	struct dotio_buf b = { NULL, 0, 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < x->v.n && rc == 0; i++) {
		int m = node_matches(f, r, x->node[i], func, label, &b, d);

		if (m < 0)
			rc = -1;
		mark[i] = m > 0;
	}
	dotio_buf_free(&b);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Walks. */

/*
 * --ignore: drop the matching nodes and those reachable from the entry
 * points (nodes without callers) before but not after.
 */
static int
do_ignore(const struct vgraph *x, const unsigned char *ign,
    unsigned char *keep)
{
	unsigned char *before = mem_calloc(x->n, 1), *after = mem_calloc(x->n, 1);
	unsigned char *ok = mem_calloc(x->n, 1);
	size_t i;
	int rc = -1;

	if (before == NULL || after == NULL || ok == NULL)
		goto out;
	for (i = 0; i < x->n; i++) {
		uint32_t k, callers = 0;

		for (k = 0; k < x->inn[i]; k++)
			callers += x->e[x->adj[x->in0[i] + k]].src != i;
		before[i] = callers == 0;
		after[i] = callers == 0 && !ign[i];
		ok[i] = !ign[i];
	}
	if (vgraph_walk(x, before, NULL, VGRAPH_OUT, -1) != 0 ||
	    vgraph_walk(x, after, ok, VGRAPH_OUT, -1) != 0)
		goto out;
	for (i = 0; i < x->n; i++)
		if (ign[i] || (before[i] && !after[i]))
			keep[i] = 0;
	rc = 0;
out:
	free(before);
	free(after);
	free(ok);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Contraction. */







/* ---------------------------------------------------------------- */
/* Trimming, with contraction as the rebuild. */





/* ---------------------------------------------------------------- */
/* focus_flow. */

/*
 * Tarjan's strongly connected components, iteratively; comp[v] gets
 * the component of v, numbered in reverse topological order (callees'
 * components before their callers').  Returns the count, or -1.
 */
static long
components(const struct vgraph *x, const unsigned char *keep, uint32_t *comp)
{
	uint32_t *index = mem_calloc(x->n, sizeof *index);
	uint32_t *low = mem_calloc(x->n, sizeof *low);
	uint32_t *stack = mem_calloc(x->n, sizeof *stack);
	uint32_t *call = mem_calloc(x->n, sizeof *call);	/* dfs stack */
	uint32_t *next = mem_calloc(x->n, sizeof *next);	/* edge cursor */
	unsigned char *on = mem_calloc(x->n, 1);
	uint32_t counter = 1, sp = 0;
	long ncomp = -1;
	size_t s;

	if (index == NULL || low == NULL || stack == NULL || call == NULL ||
	    next == NULL || on == NULL)
		goto out;
	ncomp = 0;
	for (s = 0; s < x->n; s++) {
		uint32_t cp = 0;

		if (!keep[s] || index[s] != 0)
			continue;
		call[cp++] = (uint32_t)s;
		index[s] = low[s] = counter++;
		stack[sp++] = (uint32_t)s;
		on[s] = 1;
		next[s] = 0;
		while (cp > 0) {
			uint32_t v = call[cp - 1];

			if (next[v] < x->outn[v]) {
				uint32_t w = x->e[x->adj[x->out0[v] +
				    next[v]++]].dst;

				if (!keep[w])
					continue;
				if (index[w] == 0) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = 1;
					next[w] = 0;
					call[cp++] = w;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				uint32_t w;

				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = (uint32_t)ncomp;
				} while (w != v);
				ncomp++;
			}
			cp--;
			if (cp > 0 && low[v] < low[call[cp - 1]])
				low[call[cp - 1]] = low[v];
		}
	}
out:
	free(index);
	free(low);
	free(stack);
	free(call);
	free(next);
	free(on);
	return ncomp;
}

/* The flow of node v into the focus, given its callees' fractions. */
static double
flow_of(const struct vgraph *x, const unsigned char *keep, const double *frac,
    uint32_t v)
{
	double f = 0;
	uint32_t k;

	for (k = 0; k < x->outn[v]; k++) {
		const struct vedge *e = &x->e[x->adj[x->out0[v] + k]];

		if (keep[e->dst] && e->dst != v)
			f += e->w * frac[e->dst];
	}
	return f;
}

/* flow[v] for the nodes that reach the focus; NAN for the others. */
static int
focus_flows(const struct vgraph *x, const unsigned char *keep,
    const unsigned char *focused, double *flow)
{
	uint32_t *comp = mem_calloc(x->n, sizeof *comp);
	double *frac = mem_calloc(x->n, sizeof *frac);
	uint32_t *order = NULL;
	long nc;
	size_t i;
	int rc = -1;

	if (comp == NULL || frac == NULL ||
	    (nc = components(x, keep, comp)) < 0)
		goto out;
	for (i = 0; i < x->n; i++)
		frac[i] = focused[i] ? 1 : 0;
	/* Nodes by component: callees' components come first. */
	if ((order = mem_calloc(x->n, sizeof *order)) == NULL)
		goto out;
	{
		size_t *start = mem_calloc((size_t)nc + 1, sizeof *start);
		size_t *fill;

		if (start == NULL)
			goto out;
		for (i = 0; i < x->n; i++)
			if (keep[i])
				start[comp[i] + 1]++;
		for (i = 0; i < (size_t)nc; i++)
			start[i + 1] += start[i];
		fill = mem_calloc((size_t)nc, sizeof *fill);
		if (fill == NULL) {
			free(start);
			goto out;
		}
		for (i = 0; i < x->n; i++)
			if (keep[i])
				order[start[comp[i]] + fill[comp[i]]++] =
				    (uint32_t)i;
		for (i = 0; i < (size_t)nc; i++) {
			size_t a = start[i], b = start[i + 1], j;
			int round;

			/* Bounded iterations inside a cycle. */
			for (round = 0; round < (b - a > 1 ? 32 : 1); round++) {
				bool changed = false;

				for (j = a; j < b; j++) {
					uint32_t v = order[j];
					double f, nf;

					if (focused[v]) {
						frac[v] = 1;
						flow[v] = NAN;
						continue;
					}
					f = flow_of(x, keep, frac, v);
					nf = x->cum[v] != 0 ?
					    fmin(1, fabs(f / x->cum[v])) : 0;
					if (nf != frac[v])
						changed = true;
					frac[v] = nf;
					flow[v] = f;
				}
				if (!changed)
					break;
			}
		}
		free(start);
		free(fill);
	}
	rc = 0;
out:
	free(comp);
	free(frac);
	free(order);
	return rc;
}

/* ---------------------------------------------------------------- */

void
focus_free(struct focus *f)
{
	if (f == NULL)
		return;
	rx_free(f->pat);
	rx_free(f->ignore);
	rx_free(f->hide);
	rx_free(f->show);
	free(f->describe);
	free(f);
}

static struct rx *
compile(const char *opt, const char *pattern, bool icase, struct diag *d)
{
	struct diag e = { false, "" };
	struct rx *r = rx_new(pattern, RX_DOLLAR_ENDONLY |
	    (icase ? RX_CASELESS : 0), &e);

	if (r == NULL)
		diag_set(d, "%s%s", opt, e.msg);
	return r;
}

struct focus *
focus_new(const struct focus_opts *o, struct diag *d)
{
	struct focus *f = calloc(1, sizeof *f);
	struct dotio_buf b = { NULL, 0, 0 };

	if (f == NULL) {
		diag_nomem(d);
		return NULL;
	}
	f->o = *o;
	if ((f->pat = compile("", o->pattern, o->icase, d)) == NULL ||
	    (o->ignore != NULL && (f->ignore = compile("--ignore: ",
	    o->ignore, o->icase, d)) == NULL) ||
	    (o->hide != NULL && (f->hide = compile("--hide: ", o->hide,
	    o->icase, d)) == NULL) ||
	    (o->show != NULL && (f->show = compile("--show: ", o->show,
	    o->icase, d)) == NULL)) {
		focus_free(f);
		return NULL;
	}
	/* What the filters attribute will say, in the order applied. */
	if ((o->ignore != NULL && dotio_buf_addf(&b, "%signore=%s",
	    b.len > 0 ? "\n" : "", o->ignore) != 0) ||
	    ((*o->pattern != '\0' || o->up >= 0 || o->down >= 0) &&
	    dotio_buf_addf(&b, "%sfocus=%s", b.len > 0 ? "\n" : "",
	    o->pattern) != 0) ||
	    (o->up >= 0 && dotio_buf_addf(&b, " up=%ld", o->up) != 0) ||
	    (o->down >= 0 && dotio_buf_addf(&b, " down=%ld", o->down) != 0) ||
	    (o->match != (FOCUS_MATCH_ID | FOCUS_MATCH_FUNC |
	    FOCUS_MATCH_LABEL) && dotio_buf_addf(&b, " match=%s%s%s%s%s",
	    o->match & FOCUS_MATCH_ID ? "id" : "",
	    (o->match & FOCUS_MATCH_ID) && (o->match & ~FOCUS_MATCH_ID) ?
	    "," : "", o->match & FOCUS_MATCH_FUNC ? "func" : "",
	    (o->match & FOCUS_MATCH_FUNC) && (o->match & FOCUS_MATCH_LABEL) ?
	    "," : "", o->match & FOCUS_MATCH_LABEL ? "label" : "") != 0) ||
	    (o->icase && dotio_buf_addf(&b, " ignore-case") != 0) ||
	    (o->hide != NULL && dotio_buf_addf(&b, "%shide=%s",
	    b.len > 0 ? "\n" : "", o->hide) != 0) ||
	    (o->show != NULL && dotio_buf_addf(&b, "%sshow=%s",
	    b.len > 0 ? "\n" : "", o->show) != 0) ||
	    dotio_buf_add(&b, "", 0) != 0) {
		dotio_buf_free(&b);
		diag_nomem(d);
		focus_free(f);
		return NULL;
	}
	f->describe = b.s;
	return f;
}

/* Put v on the list of nodes to delete, once. */
static int
doom(Agnode_t *v, unsigned char *mark, Agnode_t ***list, size_t *n,
    size_t *cap)
{
	if (mark[AGSEQ(v)])
		return 0;
	if (mem_reserve(list, cap, *n + 1, sizeof **list) != 0)
		return -1;
	mark[AGSEQ(v)] = 1;
	(*list)[(*n)++] = v;
	return 0;
}

/*
 * Delete the nodes of del[0..ndel) and the tag boxes that hang from them
 * (heads of their out-edges with tag_of, and theirs in turn), each node
 * once: all are found before any is deleted, since deleting a node
 * deletes its edges, and a box may hang by several edges or from
 * several nodes.  0, or -1 out of memory (nothing deleted).
 */
static int
delete_nodes(Agraph_t *g, Agnode_t *const *del, size_t ndel,
    Agsym_t *tag_of)
{
	unsigned char *mark;
	Agnode_t **list = NULL, *v;
	Agedge_t *e;
	size_t maxseq = 0, n = 0, cap = 0, i;
	int rc = -1;

	for (v = agfstnode(g); v != NULL; v = agnxtnode(g, v))
		if ((size_t)AGSEQ(v) > maxseq)
			maxseq = (size_t)AGSEQ(v);
	if ((mark = mem_calloc(maxseq + 1, 1)) == NULL)
		return -1;
	for (i = 0; i < ndel; i++)
		if (doom(del[i], mark, &list, &n, &cap) != 0)
			goto out;
	/* The list grows as boxes are found: a worklist, no recursion. */
	for (i = 0; tag_of != NULL && i < n; i++)
		for (e = agfstout(g, list[i]); e != NULL; e = agnxtout(g, e))
			if (dotio_xget(aghead(e), tag_of) != NULL &&
			    doom(aghead(e), mark, &list, &n, &cap) != 0)
				goto out;
	for (i = 0; i < n; i++)
		agdelnode(g, list[i]);
	rc = 0;
out:
	free(mark);
	free(list);
	return rc;
}

/* Delete the subgraphs left without nodes (the legend is restyled). */
static void
prune_subgraphs(Agraph_t *g)
{
	Agraph_t *s, *next;

	for (s = agfstsubg(g); s != NULL; s = next) {
		next = agnxtsubg(s);
		prune_subgraphs(s);
		/* agclose, not agdelsubg: Graphviz 2.43's agdelsubg only
		 * unlinks the subgraph, and closing the root later crashes. */
		if (agnnodes(s) == 0 && agfstsubg(s) == NULL)
			agclose(s);
	}
}

/* Append line to the root's filters attribute (escaped form). */
static int
add_filters(Agraph_t *g, const char *lines)
{
	const char *old = dotio_get(g, "filters");
	struct dotio_buf raw = { NULL, 0, 0 }, enc = { NULL, 0, 0 };
	int rc = -1;

	if (old != NULL && (dotio_decode(&raw, old) != 0 ||
	    dotio_buf_add(&raw, "\n", 1) != 0))
		goto out;
	if (dotio_buf_add(&raw, lines, strlen(lines)) != 0 ||
	    dotio_encode(&enc, raw.s, raw.len) != 0 ||
	    dotio_set(g, "filters", enc.s) != 0)
		goto out;
	rc = 0;
out:
	dotio_buf_free(&raw);
	dotio_buf_free(&enc);
	return rc;
}

/*
 * v, a value of edge e computed in doubles, as an integer; -1 with a
 * message in d when it overflows (a residual edge's sum of paths).
 */
static int
edge_value(Agedge_t *e, Agsym_t *sym, double v, int64_t *out,
    struct diag *d)
{
	if (vgraph_round(v, out) == 0)
		return 0;
	diag_set(d, "the %s of the edge %s -> %s overflows a 64-bit integer",
	    sym->name, agnameof(agtail(e)), agnameof(aghead(e)));
	return -1;
}

/*
 * Set e's other values to those of x's edge i; with only_given, only
 * the ones e has (an edge of the input keeps its own attributes).
 * 0, or -1 (a message in d when a value overflows).
 */
static int
set_values(const struct fidx *x, Agedge_t *e, size_t i, bool only_given,
    struct diag *d)
{
	size_t k;

	for (k = 0; k < x->v.nv; k++) {
		int64_t v, old;
		int got = dotio_xget_int(e, x->esym[k], &old);

		if (got != 1 && only_given)
			continue;
		if (edge_value(e, x->esym[k], x->v.ev[i * x->v.nv + k], &v,
		    d) != 0)
			return -1;
		if (got == 1 && old == v)
			continue;
		if (dotio_xset_int(e, x->esym[k], v) != 0)
			return -1;
	}
	return 0;
}

/* Make g say what x now holds. */
static int
apply(struct fidx *x, const unsigned char *keep, const double *flow,
    bool data, struct diag *d)
{
	Agraph_t *g = x->g;
	Agsym_t *tag_of = agattr(g, AGNODE, "tag_of", NULL);
	bool diff = agattr(g, AGEDGE, "delta_cum", NULL) != NULL;
	Agsym_t *ew = NULL, *eres, *estyle = NULL, *fflow = NULL;
	struct hmap64 pairs = HMAP64_INIT;
	unsigned char *seen = mem_calloc(x->v.ne, 1);
	Agnode_t **del = NULL;
	size_t i, ndel = 0;
	int64_t w;
	int rc = -1;

	eres = dotio_sym(g, AGEDGE, "residual", true);
	if (x->v.values || data)
		ew = dotio_sym(g, AGEDGE, diff ? "delta_cum" : "cum", true);
	if (!data)
		estyle = dotio_sym(g, AGEDGE, "style", true);
	else
		fflow = dotio_sym(g, AGNODE, "focus_flow", true);
	if (seen == NULL || eres == NULL || ((x->v.values || data) &&
	    ew == NULL) || (!data && estyle == NULL) ||
	    (data && fflow == NULL))
		goto nomem;
	for (i = 0; i < x->v.ne; i++)
		if (hmap64_add(&pairs, (uint64_t)x->v.e[i].src << 32 |
		    x->v.e[i].dst, (uint32_t)i) != 0)
			goto nomem;
	/* Edges between kept nodes: keep, update or delete. */
	for (i = 0; i < x->v.n; i++) {
		Agedge_t *e, *next;

		if (!keep[i])
			continue;
		for (e = agfstout(g, x->node[i]); e != NULL; e = next) {
			uint32_t j = x->seqmap[AGSEQ(aghead(e))], k;
			const struct vedge *fe;
			int64_t old;

			next = agnxtout(g, e);
			if (j == NONE || !keep[j])
				continue;	/* tag boxes; dropped nodes */
			k = hmap64_find(&pairs, (uint64_t)i << 32 | j);
			if (k == HMAP_NONE || seen[k]) {
				agdeledge(g, e);
				continue;
			}
			seen[k] = 1;
			fe = &x->v.e[k];
			if (fe->residual && dotio_xset(e, eres, "true") != 0)
				goto nomem;
			if (ew != NULL && fe->has_w &&
			    (edge_value(e, ew, fe->w, &w, d) != 0 ||
			    ((dotio_xget_int(e, ew, &old) != 1 || old != w) &&
			    dotio_xset_int(e, ew, w) != 0)))
				goto nomem;
			if (ew != NULL && fe->has_w &&
			    set_values(x, e, k, !fe->residual, d) != 0)
				goto nomem;
		}
	}
	/* New residual edges. */
	for (i = 0; i < x->v.ne; i++) {
		const struct vedge *fe = &x->v.e[i];
		Agedge_t *e;

		if (seen[i] || !keep[fe->src] || !keep[fe->dst] ||
		    fe->src == fe->dst)
			continue;
		if ((e = agedge(g, x->node[fe->src], x->node[fe->dst], NULL,
		    1)) == NULL || dotio_xset(e, eres, "true") != 0 ||
		    (ew != NULL && fe->has_w &&
		    (edge_value(e, ew, fe->w, &w, d) != 0 ||
		    dotio_xset_int(e, ew, w) != 0 ||
		    set_values(x, e, i, false, d) != 0)) ||
		    (estyle != NULL && dotio_xset(e, estyle, "dotted") != 0))
			goto nomem;
	}
	/* focus_flow is this focus's: earlier values go. */
	for (i = 0; i < x->v.n; i++) {
		if (!keep[i] || !data)
			continue;
		if (isnan(flow[i])) {
			if (dotio_xset(x->node[i], fflow, "") != 0)
				goto nomem;
			continue;
		}
		/* At most |cum|, which fits. */
		if (vgraph_round(fmin(flow[i], fabs(x->v.cum[i])), &w) != 0 ||
		    dotio_xset_int(x->node[i], fflow, w) != 0)
			goto nomem;
	}
	if ((del = mem_calloc(x->v.n + 1, sizeof *del)) == NULL)
		goto nomem;
	for (i = 0; i < x->v.n; i++)
		if (!keep[i])
			del[ndel++] = x->node[i];
	if (delete_nodes(g, del, ndel, tag_of) != 0)
		goto nomem;
	prune_subgraphs(g);
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
out:
	hmap64_free(&pairs);
	free(seen);
	free(del);
	return rc;
}



static int
set_trim_attrs(Agraph_t *g, const struct trim_opts *o,
    const struct trim_result *r)
{
	if (dotio_set_int(g, "nodecount", (int64_t)o->nodecount) != 0 ||
	    dotio_set_int(g, "dropped_nodes", (int64_t)r->dropped_nodes) ||
	    dotio_set_int(g, "dropped_edges", (int64_t)r->dropped_edges) ||
	    dotio_set_int(g, "candidate_nodes", (int64_t)r->candidates))
		return -1;
	return dotio_set_double(g, "node_fraction", o->node_fraction) != 0 ||
	    dotio_set_double(g, "edge_fraction", o->edge_fraction) != 0 ? -1 : 0;
}

int
focus_graph(struct focus *f, Agraph_t *g, size_t *matched, struct diag *d)
{
	struct fidx x;
	unsigned char *keep = NULL, *mark = NULL, *focused = NULL;
	unsigned char *up = NULL, *down = NULL;
	double *flow = NULL;
	struct trim_result tr;
	bool data = false;
	size_t i, nkept = 0;
	int rc = -1;

	*matched = 0;
	if (fidx_build(&x, g) != 0)
		goto nomem;
	keep = mem_calloc(x.v.n, 1);
	mark = mem_calloc(x.v.n, 1);
	focused = mem_calloc(x.v.n, 1);
	up = mem_calloc(x.v.n, 1);
	down = mem_calloc(x.v.n, 1);
	flow = mem_calloc(x.v.n, sizeof *flow);
	if (keep == NULL || mark == NULL || focused == NULL || up == NULL ||
	    down == NULL || flow == NULL)
		goto nomem;
	memset(keep, 1, x.v.n);
	if (f->ignore != NULL && (match_all(f, &x, f->ignore, mark, d) != 0 ||
	    do_ignore(&x.v, mark, keep) != 0))
		goto fail;
	if (match_all(f, &x, f->pat, focused, d) != 0)
		goto fail;
	for (i = 0; i < x.v.n; i++) {
		focused[i] &= keep[i];
		*matched += focused[i];
		up[i] = down[i] = focused[i];
	}
	if (vgraph_walk(&x.v, up, keep, VGRAPH_IN, f->o.up) != 0 ||
	    vgraph_walk(&x.v, down, keep, VGRAPH_OUT, f->o.down) != 0)
		goto nomem;
	for (i = 0; i < x.v.n; i++)
		keep[i] = keep[i] && (up[i] || down[i]);
	if (vgraph_keep_edges(&x.v, keep) != 0)
		goto nomem;
	if (f->hide != NULL) {
		if (match_all(f, &x, f->hide, mark, d) != 0)
			goto fail;
		for (i = 0; i < x.v.n; i++)
			mark[i] &= keep[i];
		if (vgraph_remove_joining(&x.v, keep, mark) != 0)
			goto nomem;
	}
	if (f->show != NULL) {
		if (match_all(f, &x, f->show, mark, d) != 0)
			goto fail;
		for (i = 0; i < x.v.n; i++)
			mark[i] = keep[i] && !mark[i];
		if (vgraph_remove_joining(&x.v, keep, mark) != 0)
			goto nomem;
	}
	/* Values to trim by: every node left has data. */
	data = true;
	for (i = 0; i < x.v.n; i++)
		if (keep[i]) {
			nkept++;
			if (!x.data[i])
				data = false;
		}
	data = data && nkept > 0;
	if (data) {
		if (vgraph_trim(&x.v, keep, &f->o.trim, &tr, d) != 0)
			goto fail;
		for (i = 0; i < x.v.n; i++)
			focused[i] &= keep[i];
		if (focus_flows(&x.v, keep, focused, flow) != 0)
			goto nomem;
		/* The focus itself and its callees get no flow. */
		for (i = 0; i < x.v.n; i++)
			if (focused[i] || !up[i])
				flow[i] = NAN;
	}
	if (apply(&x, keep, flow, data, d) != 0)
		goto fail;
	if ((*f->describe != '\0' && add_filters(g, f->describe) != 0) ||
	    (data && set_trim_attrs(g, &f->o.trim, &tr) != 0))
		goto nomem;
	if (data || agattr(g, AGNODE, "cum", NULL) != NULL) {
		if (style_apply(g, &f->o.style, d) != 0)
			goto fail;
	}
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
fail:
	rc = -1;
out:
	fidx_free(&x);
	free(keep);
	free(mark);
	free(focused);
	free(up);
	free(down);
	free(flow);
	return rc;
}
