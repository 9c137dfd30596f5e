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
 * Contraction (hide, show, trimming).  Removing a set of nodes keeps the
 * flow: for each kept node p that calls into removed nodes, its values
 * are pushed through them breadth-first, each removed node passing on
 * to each callee the share w(x->y) / max(cum(x), sum of x's out-edges)
 * of what reached it; what reaches a kept node y becomes (part of) a
 * residual edge p -> y.  A removed node passes on what reached it once
 * (flow arriving after, through a longer path or a cycle, is not passed
 * on again), so the walk always ends.  The other values of the edges
 * (cum_T per sample type, base_cum, delta_cum...: every edge attribute
 * named like a node's value attribute) flow the same way, each with its
 * own shares, so a residual edge carries them all.
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
#include "graph.h"
#include "hmap.h"
#include "mem.h"
#include "rx.h"

#define NONE UINT32_MAX

struct focus {
	struct focus_opts o;
	struct rx *pat, *ignore, *hide, *show;
	char *describe;		/* lines for the filters attribute */
};

struct fedge {
	uint32_t src, dst;
	double w;
	bool has_w;		/* w was given (or estimated) */
	bool residual;
};

/* An index over the nodes and edges of one graph. */
struct fidx {
	Agraph_t *g;
	size_t n;
	Agnode_t **node;
	unsigned char *data;	/* the node has cum */
	double *cum, *flat;	/* the values shown (delta_* in a diff) */
	bool values;		/* edges have values */
	struct fedge *e;
	size_t ne, cape;
	uint32_t *out0, *outn, *in0, *inn, *adj;
	uint32_t *seqmap;	/* AGSEQ of a node -> index, NONE if none */
	size_t nseq;
	/* The other values (cum_T, base_cum...): nv of them per node and
	 * per edge, by the attributes nsym and esym. */
	size_t nv;
	Agsym_t **nsym, **esym;
	double *nval;		/* n * nv */
	double *ev;		/* cape * nv, parallel to e */
};

/* ---------------------------------------------------------------- */

static void
fidx_free_adj(struct fidx *x)
{
	free(x->out0);
	free(x->outn);
	free(x->in0);
	free(x->inn);
	free(x->adj);
	x->out0 = x->outn = x->in0 = x->inn = x->adj = NULL;
}

static void
fidx_free(struct fidx *x)
{
	free(x->node);
	free(x->data);
	free(x->cum);
	free(x->flat);
	free(x->e);
	free(x->seqmap);
	free(x->nsym);
	free(x->esym);
	free(x->nval);
	free(x->ev);
	fidx_free_adj(x);
}

/* CSR adjacency of the edges; 0 or -1. */
static int
fidx_adj(struct fidx *x)
{
	size_t i, pos = 0;
	uint32_t *fo, *fi;

	fidx_free_adj(x);
	x->out0 = mem_calloc(x->n, sizeof *x->out0);
	x->outn = mem_calloc(x->n, sizeof *x->outn);
	x->in0 = mem_calloc(x->n, sizeof *x->in0);
	x->inn = mem_calloc(x->n, sizeof *x->inn);
	x->adj = mem_calloc(2 * x->ne, sizeof *x->adj);
	fo = mem_calloc(x->n, sizeof *fo);
	fi = mem_calloc(x->n, sizeof *fi);
	if (x->out0 == NULL || x->outn == NULL || x->in0 == NULL ||
	    x->inn == NULL || x->adj == NULL || fo == NULL || fi == NULL) {
		free(fo);
		free(fi);
		return -1;
	}
	for (i = 0; i < x->ne; i++) {
		x->outn[x->e[i].src]++;
		x->inn[x->e[i].dst]++;
	}
	for (i = 0; i < x->n; i++) {
		x->out0[i] = (uint32_t)pos;
		pos += x->outn[i];
	}
	for (i = 0; i < x->n; i++) {
		x->in0[i] = (uint32_t)pos;
		pos += x->inn[i];
	}
	for (i = 0; i < x->ne; i++) {
		uint32_t s = x->e[i].src, t = x->e[i].dst;

		x->adj[x->out0[s] + fo[s]++] = (uint32_t)i;
		x->adj[x->in0[t] + fi[t]++] = (uint32_t)i;
	}
	free(fo);
	free(fi);
	return 0;
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

/* Resize the array *pp to n elements of elsize; 0, or -1 (untouched). */
static int
resize(void *pp, size_t n, size_t elsize)
{
	void **p = pp;
	void *q = mem_realloc_array(*p, n, elsize);

	if (q == NULL)
		return -1;
	*p = q;
	return 0;
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
fidx_values(struct fidx *x, const Agsym_t *shown)
{
	Agsym_t *a = NULL, *na;
	size_t cap = 0;

	while ((a = agnxtattr(x->g, AGEDGE, a)) != NULL) {
		if (a == shown || !value_name(a->name) ||
		    (na = agattr(x->g, AGNODE, a->name, NULL)) == NULL)
			continue;
		if (mem_reserve(&x->nsym, &cap, x->nv + 1,
		    sizeof *x->nsym) != 0 ||
		    resize(&x->esym, cap, sizeof *x->esym) != 0)
			return -1;
		x->nsym[x->nv] = na;
		x->esym[x->nv] = a;
		x->nv++;
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
	Agnode_t *n;
	Agedge_t *e;
	size_t cap = (size_t)agnnodes(g) + 1, maxseq = 0, k;
	uint32_t *map;

	memset(x, 0, sizeof *x);
	x->g = g;
	x->node = mem_calloc(cap, sizeof *x->node);
	x->data = mem_calloc(cap, 1);
	x->cum = mem_calloc(cap, sizeof *x->cum);
	x->flat = mem_calloc(cap, sizeof *x->flat);
	if (x->node == NULL || x->data == NULL || x->cum == NULL ||
	    x->flat == NULL)
		return -1;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n))
		if ((size_t)AGSEQ(n) > maxseq)
			maxseq = (size_t)AGSEQ(n);
	if ((map = mem_calloc(maxseq + 1, sizeof *map)) == NULL)
		return -1;
	x->seqmap = map;
	x->nseq = maxseq + 1;
	if (fidx_values(x, edcum != NULL ? edcum : ecum) != 0 ||
	    (x->nv > 0 && (x->nval = mem_calloc(cap, x->nv *
	    sizeof *x->nval)) == NULL))
		return -1;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		map[AGSEQ(n)] = NONE;
		if ((tag_of != NULL && dotio_xget(n, tag_of) != NULL) ||
		    in_legend(g, n))
			continue;
		map[AGSEQ(n)] = (uint32_t)x->n;
		x->node[x->n] = n;
		/* In a diff the values shown are the deltas. */
		if (get_value(n, dcum != NULL ? dcum : cum, NULL,
		    &x->cum[x->n])) {
			x->data[x->n] = 1;
			get_value(n, dflat != NULL ? dflat : flat, NULL,
			    &x->flat[x->n]);
		}
		for (k = 0; k < x->nv; k++)
			get_value(n, x->nsym[k], NULL,
			    &x->nval[x->n * x->nv + k]);
		x->n++;
	}
	x->values = ecum != NULL || edcum != NULL;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		uint32_t s = map[AGSEQ(n)];

		if (s == NONE)
			continue;
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e)) {
			uint32_t t = map[AGSEQ(aghead(e))];
			struct fedge *fe;
			const char *r;

			if (t == NONE)
				continue;
			if (mem_reserve(&x->e, &x->cape, x->ne + 1,
			    sizeof *x->e) != 0 || (x->nv > 0 &&
			    resize(&x->ev, x->cape, x->nv *
			    sizeof *x->ev) != 0))
				return -1;
			for (k = 0; k < x->nv; k++) {
				x->ev[x->ne * x->nv + k] = 0;
				get_value(e, x->esym[k], NULL,
				    &x->ev[x->ne * x->nv + k]);
			}
			fe = &x->e[x->ne++];
			fe->src = s;
			fe->dst = t;
			fe->w = 0;
			fe->has_w = get_value(e, edcum != NULL ? edcum : ecum,
			    NULL, &fe->w);
			r = eres != NULL ? dotio_xget(e, eres) : NULL;
			fe->residual = r != NULL && strcmp(r, "true") == 0;
		}
	}
	return fidx_adj(x);
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

	for (i = 0; i < x->n && rc == 0; i++) {
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
 * Mark in seen the nodes reachable from the marked ones (or, with
 * backward, reaching them) through nodes ok allows, within hops (-1:
 * any).  seen must hold the start marks on entry.
 */
static int
walk(const struct fidx *x, unsigned char *seen, const unsigned char *ok,
    bool backward, long hops)
{
	uint32_t *queue = mem_calloc(x->n, sizeof *queue);
	uint32_t *dist = mem_calloc(x->n, sizeof *dist);
	size_t head = 0, tail = 0, i;

	if (queue == NULL || dist == NULL) {
		free(queue);
		free(dist);
		return -1;
	}
	for (i = 0; i < x->n; i++)
		if (seen[i])
			queue[tail++] = (uint32_t)i;
	while (head < tail) {
		uint32_t v = queue[head++];
		uint32_t k, cnt = backward ? x->inn[v] : x->outn[v];
		uint32_t first = backward ? x->in0[v] : x->out0[v];

		if (hops >= 0 && dist[v] >= (uint32_t)hops)
			continue;
		for (k = 0; k < cnt; k++) {
			const struct fedge *e = &x->e[x->adj[first + k]];
			uint32_t w = backward ? e->src : e->dst;

			if (seen[w] || (ok != NULL && !ok[w]))
				continue;
			seen[w] = 1;
			dist[w] = dist[v] + 1;
			queue[tail++] = w;
		}
	}
	free(queue);
	free(dist);
	return 0;
}

/*
 * --ignore: drop the matching nodes and those reachable from the entry
 * points (nodes without callers) before but not after.
 */
static int
do_ignore(const struct fidx *x, const unsigned char *ign,
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
	if (walk(x, before, NULL, false, -1) != 0 ||
	    walk(x, after, ok, false, -1) != 0)
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

struct elist {
	struct fedge *e;
	size_t n, cap;
	size_t nv;		/* other values per edge, as the fidx's */
	double *ev;		/* cap * nv */
	struct hmap64 index;	/* src << 32 | dst */
};

static void
elist_init(struct elist *l, size_t nv)
{
	memset(l, 0, sizeof *l);
	l->nv = nv;
}

/* Free l's arrays; l is left empty (freeing it again is harmless). */
static void
elist_free(struct elist *l)
{
	free(l->e);
	free(l->ev);
	hmap64_free(&l->index);
	elist_init(l, l->nv);
}

/* Add w and the other values ev (NULL: none) to the edge s -> t. */
static int
elist_add(struct elist *l, uint32_t s, uint32_t t, double w,
    const double *ev, bool has_w, bool residual)
{
	uint64_t key = (uint64_t)s << 32 | t;
	uint32_t i = hmap64_find(&l->index, key);
	size_t k;

	if (i != HMAP_NONE) {
		l->e[i].w += w;
		l->e[i].has_w |= has_w;
		l->e[i].residual |= residual;
		for (k = 0; ev != NULL && k < l->nv; k++)
			l->ev[i * l->nv + k] += ev[k];
		return 0;
	}
	if (mem_reserve(&l->e, &l->cap, l->n + 1, sizeof *l->e) != 0 ||
	    (l->nv > 0 && resize(&l->ev, l->cap, l->nv *
	    sizeof *l->ev) != 0) ||
	    hmap64_add(&l->index, key, (uint32_t)l->n) != 0)
		return -1;
	for (k = 0; k < l->nv; k++)
		l->ev[l->n * l->nv + k] = ev != NULL ? ev[k] : 0;
	l->e[l->n].src = s;
	l->e[l->n].dst = t;
	l->e[l->n].w = w;
	l->e[l->n].has_w = has_w;
	l->e[l->n].residual = residual;
	l->n++;
	return 0;
}

/*
 * The edges among the nodes keep leaves: x's own edges between kept
 * nodes, and residual edges for the flow through the others.  Slot 0
 * of a node's flow is the value shown, slots 1..nv its other values.
 */
static int
contract(const struct fidx *x, const unsigned char *keep, struct elist *out)
{
	size_t m = x->nv + 1, i, k;
	double *inflow = mem_calloc(x->n, m * sizeof *inflow);
	double *denom = mem_calloc(x->n, m * sizeof *denom);
	double *share = mem_calloc(m, sizeof *share);
	uint32_t *stamp = mem_calloc(x->n, sizeof *stamp);
	uint32_t *done = mem_calloc(x->n, sizeof *done);
	uint32_t *queue = mem_calloc(x->n, sizeof *queue);
	uint32_t gen = 0;
	int rc = -1;

	elist_init(out, x->nv);
	if (inflow == NULL || denom == NULL || share == NULL ||
	    stamp == NULL || done == NULL || queue == NULL)
		goto out;
	/* A node passes on to a callee the share w / max(value, sum of
	 * out-edges' w) of what reached it, each value on its own. */
	for (i = 0; i < x->n; i++) {
		double *dn = &denom[i * m];
		uint32_t j;

		for (j = 0; j < x->outn[i]; j++) {
			uint32_t ei = x->adj[x->out0[i] + j];

			dn[0] += fabs(x->e[ei].w);
			for (k = 1; k < m; k++)
				dn[k] += fabs(x->ev[ei * x->nv + k - 1]);
		}
		dn[0] = fmax(fabs(x->cum[i]), dn[0]);
		for (k = 1; k < m; k++)
			dn[k] = fmax(fabs(x->nval[i * x->nv + k - 1]), dn[k]);
	}
	for (i = 0; i < x->ne; i++)
		if (keep[x->e[i].src] && keep[x->e[i].dst] &&
		    elist_add(out, x->e[i].src, x->e[i].dst, x->e[i].w,
		    x->nv > 0 ? &x->ev[i * x->nv] : NULL, x->e[i].has_w,
		    x->e[i].residual) != 0)
			goto out;
	for (i = 0; i < x->n; i++) {
		size_t head = 0, tail = 0;
		uint32_t j;

		if (!keep[i])
			continue;
		gen++;
		for (j = 0; j < x->outn[i]; j++) {
			uint32_t ei = x->adj[x->out0[i] + j];
			const struct fedge *e = &x->e[ei];
			double *in = &inflow[e->dst * m];

			if (keep[e->dst])
				continue;
			if (stamp[e->dst] != gen) {
				stamp[e->dst] = gen;
				memset(in, 0, m * sizeof *in);
				queue[tail++] = e->dst;
			}
			in[0] += e->w;
			for (k = 1; k < m; k++)
				in[k] += x->ev[ei * x->nv + k - 1];
		}
		while (head < tail) {
			uint32_t v = queue[head++];
			const double *f = &inflow[v * m], *dn = &denom[v * m];

			done[v] = gen;
			for (j = 0; j < x->outn[v]; j++) {
				uint32_t ei = x->adj[x->out0[v] + j];
				const struct fedge *e = &x->e[ei];
				double *in;

				if (e->dst == v)
					continue;
				for (k = 0; k < m; k++) {
					double w = k == 0 ? e->w :
					    x->ev[ei * x->nv + k - 1];

					share[k] = !x->values || dn[k] <= 0 ?
					    0 : f[k] * w / dn[k];
				}
				if (keep[e->dst]) {
					if (e->dst != i && elist_add(out,
					    (uint32_t)i, e->dst, share[0],
					    share + 1, x->values, true) != 0)
						goto out;
					continue;
				}
				in = &inflow[e->dst * m];
				if (stamp[e->dst] != gen) {
					stamp[e->dst] = gen;
					memset(in, 0, m * sizeof *in);
					queue[tail++] = e->dst;
				}
				/* What arrives after a node passed its flow
				 * on stays there. */
				if (done[e->dst] != gen)
					for (k = 0; k < m; k++)
						in[k] += share[k];
			}
		}
	}
	rc = 0;
out:
	if (rc != 0)
		elist_free(out);
	free(inflow);
	free(denom);
	free(share);
	free(stamp);
	free(done);
	free(queue);
	return rc;
}

/* Replace x's edges by l's (taken over). */
static int
fidx_set_edges(struct fidx *x, struct elist *l)
{
	free(x->e);
	free(x->ev);
	x->e = l->e;
	x->ev = l->ev;
	x->ne = l->n;
	x->cape = l->cap;
	l->e = NULL;
	l->ev = NULL;
	elist_free(l);
	return fidx_adj(x);
}

/* ---------------------------------------------------------------- */
/* Trimming, with contraction as the rebuild. */

struct trim_ctx {
	const struct fidx *x;
};

/* A struct graph (one value per node and edge) of l over x's nodes. */
static struct graph *
to_graph(const struct fidx *x, const unsigned char *keep,
    const struct elist *l)
{
	size_t i, nn = 0;
	uint32_t *map = mem_calloc(x->n, sizeof *map);
	struct graph *g;

	if (map == NULL)
		return NULL;
	for (i = 0; i < x->n; i++)
		map[i] = keep[i] ? (uint32_t)nn++ : NONE;
	if ((g = graph_new(1, 1, 0, nn, l->n)) == NULL) {
		free(map);
		return NULL;
	}
	g->nnodes = nn;
	for (i = 0; i < x->n; i++) {
		uint32_t k = map[i];

		if (k == NONE)
			continue;
		g->names[k] = agnameof(x->node[i]);
		g->info[k] = (uint32_t)i;
		g->flat[k] = g->sflat[k] = llround(x->flat[i]);
		g->cum[k] = g->scum[k] = llround(x->cum[i]);
	}
	for (i = 0; i < l->n; i++) {
		struct graph_edge *e = &g->edges[g->nedges];

		if (map[l->e[i].src] == NONE || map[l->e[i].dst] == NONE ||
		    l->e[i].src == l->e[i].dst)
			continue;
		e->src = map[l->e[i].src];
		e->dst = map[l->e[i].dst];
		e->flags = l->e[i].residual ? GRAPH_RESIDUAL : 0;
		g->ew[g->nedges] = g->sew[g->nedges] = llround(l->e[i].w);
		g->nedges++;
	}
	free(map);
	if (graph_index(g) != 0) {
		graph_free(g);
		return NULL;
	}
	return g;
}

static struct graph *
trim_rebuild(void *vctx, const struct graph *g, const unsigned char *keep,
    bool tags, struct diag *d)
{
	struct trim_ctx *c = vctx;
	unsigned char *k = mem_calloc(c->x->n, 1);
	struct elist l;
	struct graph *ng = NULL;
	size_t i;

	(void)tags;
	if (k == NULL)
		goto nomem;
	for (i = 0; i < g->nnodes; i++)
		if (keep == NULL || keep[i])
			k[g->info[i]] = 1;
	if (contract(c->x, k, &l) != 0) {
		free(k);
		goto nomem;
	}
	ng = to_graph(c->x, k, &l);
	elist_free(&l);
	free(k);
	if (ng == NULL)
		goto nomem;
	return ng;
nomem:
	diag_nomem(d);
	return NULL;
}

/*
 * Trim the nodes of x that keep holds (all with data) as pprof2graph
 * trims; keep and x's edges become the result.
 */
static int
do_trim(struct fidx *x, unsigned char *keep, const struct trim_opts *o,
    struct trim_result *r, struct diag *d)
{
	struct trim_ctx ctx = { x };
	struct elist l;
	struct graph *g;
	unsigned char *live;
	size_t i, k;

	if (contract(x, keep, &l) != 0)
		goto nomem;
	g = to_graph(x, keep, &l);
	elist_free(&l);
	if (g == NULL)
		goto nomem;
	if (trim_run(&g, o, trim_rebuild, &ctx, r, d) != 0) {
		graph_free(g);
		return -1;
	}
	/* Back to x: its nodes (by info) and its live edges.  The edges
	 * come from the contraction to the nodes kept (trim's rebuild made
	 * the same one), which has the other values; trimming only took
	 * some away. */
	memset(keep, 0, x->n);
	for (i = 0; i < g->nnodes; i++)
		keep[g->info[i]] = 1;
	if (contract(x, keep, &l) != 0 ||
	    (live = mem_calloc(l.n + g->nedges, 1)) == NULL) {
		graph_free(g);
		elist_free(&l);
		goto nomem;
	}
	for (i = 0; i < g->nedges; i++) {
		const struct graph_edge *e = &g->edges[i];
		uint32_t s, t, j;

		if (e->removed || e->src >= g->nnodes || e->dst >= g->nnodes)
			continue;
		s = g->info[e->src];
		t = g->info[e->dst];
		if ((j = hmap64_find(&l.index, (uint64_t)s << 32 | t)) ==
		    HMAP_NONE) {
			if (elist_add(&l, s, t, 0, NULL, true, false) != 0) {
				graph_free(g);
				elist_free(&l);
				free(live);
				goto nomem;
			}
			j = (uint32_t)(l.n - 1);
		}
		live[j] = 1;
		l.e[j].w = (double)g->ew[i];
		l.e[j].has_w = true;
		l.e[j].residual = (e->flags & GRAPH_RESIDUAL) != 0;
	}
	graph_free(g);
	for (i = 0, k = 0; i < l.n; i++) {
		if (!live[i])
			continue;
		if (x->nv > 0)
			memmove(&l.ev[k * x->nv], &l.ev[i * x->nv],
			    x->nv * sizeof *l.ev);
		l.e[k++] = l.e[i];
	}
	l.n = k;
	free(live);
	if (fidx_set_edges(x, &l) != 0)
		goto nomem;
	return 0;
nomem:
	diag_nomem(d);
	return -1;
}

/* ---------------------------------------------------------------- */
/* focus_flow. */

/*
 * Tarjan's strongly connected components, iteratively; comp[v] gets
 * the component of v, numbered in reverse topological order (callees'
 * components before their callers').  Returns the count, or -1.
 */
static long
components(const struct fidx *x, const unsigned char *keep, uint32_t *comp)
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
flow_of(const struct fidx *x, const unsigned char *keep, const double *frac,
    uint32_t v)
{
	double f = 0;
	uint32_t k;

	for (k = 0; k < x->outn[v]; k++) {
		const struct fedge *e = &x->e[x->adj[x->out0[v] + k]];

		if (keep[e->dst] && e->dst != v)
			f += e->w * frac[e->dst];
	}
	return f;
}

/* flow[v] for the nodes that reach the focus; NAN for the others. */
static int
focus_flows(const struct fidx *x, const unsigned char *keep,
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

/* Delete n and the tag boxes that hang from it. */
static void
delete_node(Agraph_t *g, Agnode_t *n, Agsym_t *tag_of)
{
	Agedge_t *e, *next;

	if (tag_of != NULL)
		for (e = agfstout(g, n); e != NULL; e = next) {
			next = agnxtout(g, e);
			if (dotio_xget(aghead(e), tag_of) != NULL &&
			    aghead(e) != n)
				delete_node(g, aghead(e), tag_of);
		}
	agdelnode(g, n);
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
 * Set e's other values to those of x's edge i; with only_given, only
 * the ones e has (an edge of the input keeps its own attributes).
 */
static int
set_values(const struct fidx *x, Agedge_t *e, size_t i, bool only_given)
{
	size_t k;

	for (k = 0; k < x->nv; k++) {
		int64_t v = llround(x->ev[i * x->nv + k]), old;
		int got = dotio_xget_int(e, x->esym[k], &old);

		if ((got == 1 && old == v) || (got != 1 && only_given))
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
	unsigned char *seen = mem_calloc(x->ne, 1);
	size_t i;
	int rc = -1;

	eres = dotio_sym(g, AGEDGE, "residual", true);
	if (x->values || data)
		ew = dotio_sym(g, AGEDGE, diff ? "delta_cum" : "cum", true);
	if (!data)
		estyle = dotio_sym(g, AGEDGE, "style", true);
	else
		fflow = dotio_sym(g, AGNODE, "focus_flow", true);
	if (seen == NULL || eres == NULL || ((x->values || data) &&
	    ew == NULL) || (!data && estyle == NULL) ||
	    (data && fflow == NULL))
		goto nomem;
	for (i = 0; i < x->ne; i++)
		if (hmap64_add(&pairs, (uint64_t)x->e[i].src << 32 |
		    x->e[i].dst, (uint32_t)i) != 0)
			goto nomem;
	/* Edges between kept nodes: keep, update or delete. */
	for (i = 0; i < x->n; i++) {
		Agedge_t *e, *next;

		if (!keep[i])
			continue;
		for (e = agfstout(g, x->node[i]); e != NULL; e = next) {
			uint32_t j = x->seqmap[AGSEQ(aghead(e))], k;
			const struct fedge *fe;
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
			fe = &x->e[k];
			if (fe->residual && dotio_xset(e, eres, "true") != 0)
				goto nomem;
			if (ew != NULL && fe->has_w &&
			    (dotio_xget_int(e, ew, &old) != 1 ||
			    old != llround(fe->w)) &&
			    dotio_xset_int(e, ew, llround(fe->w)) != 0)
				goto nomem;
			if (ew != NULL && fe->has_w &&
			    set_values(x, e, k, !fe->residual) != 0)
				goto nomem;
		}
	}
	/* New residual edges. */
	for (i = 0; i < x->ne; i++) {
		const struct fedge *fe = &x->e[i];
		Agedge_t *e;

		if (seen[i] || !keep[fe->src] || !keep[fe->dst] ||
		    fe->src == fe->dst)
			continue;
		if ((e = agedge(g, x->node[fe->src], x->node[fe->dst], NULL,
		    1)) == NULL || dotio_xset(e, eres, "true") != 0 ||
		    (ew != NULL && fe->has_w &&
		    (dotio_xset_int(e, ew, llround(fe->w)) != 0 ||
		    set_values(x, e, i, false) != 0)) ||
		    (estyle != NULL && dotio_xset(e, estyle, "dotted") != 0))
			goto nomem;
	}
	/* focus_flow is this focus's: earlier values go. */
	for (i = 0; i < x->n; i++)
		if (keep[i] && data && (isnan(flow[i]) ?
		    dotio_xset(x->node[i], fflow, "") : dotio_xset_int(x->node[i],
		    fflow, llround(fmin(flow[i], fabs(x->cum[i]))))) != 0)
			goto nomem;
	for (i = 0; i < x->n; i++)
		if (!keep[i])
			delete_node(g, x->node[i], tag_of);
	prune_subgraphs(g);
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
out:
	hmap64_free(&pairs);
	free(seen);
	return rc;
}

/* Keep only x's edges whose ends keep holds. */
static int
keep_edges(struct fidx *x, const unsigned char *keep)
{
	size_t i, k = 0;

	for (i = 0; i < x->ne; i++)
		if (keep[x->e[i].src] && keep[x->e[i].dst]) {
			if (x->nv > 0)
				memmove(&x->ev[k * x->nv], &x->ev[i * x->nv],
				    x->nv * sizeof *x->ev);
			x->e[k++] = x->e[i];
		}
	x->ne = k;
	return fidx_adj(x);
}

/* Contract away the nodes of keep that drop marks (hide, show). */
static int
remove_joining(struct fidx *x, unsigned char *keep, const unsigned char *drop)
{
	struct elist l;
	size_t i;

	for (i = 0; i < x->n; i++)
		if (drop[i])
			keep[i] = 0;
	if (contract(x, keep, &l) != 0)
		return -1;
	return fidx_set_edges(x, &l);
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
	keep = mem_calloc(x.n, 1);
	mark = mem_calloc(x.n, 1);
	focused = mem_calloc(x.n, 1);
	up = mem_calloc(x.n, 1);
	down = mem_calloc(x.n, 1);
	flow = mem_calloc(x.n, sizeof *flow);
	if (keep == NULL || mark == NULL || focused == NULL || up == NULL ||
	    down == NULL || flow == NULL)
		goto nomem;
	memset(keep, 1, x.n);
	if (f->ignore != NULL && (match_all(f, &x, f->ignore, mark, d) != 0 ||
	    do_ignore(&x, mark, keep) != 0))
		goto fail;
	if (match_all(f, &x, f->pat, focused, d) != 0)
		goto fail;
	for (i = 0; i < x.n; i++) {
		focused[i] &= keep[i];
		*matched += focused[i];
		up[i] = down[i] = focused[i];
	}
	if (walk(&x, up, keep, true, f->o.up) != 0 ||
	    walk(&x, down, keep, false, f->o.down) != 0)
		goto nomem;
	for (i = 0; i < x.n; i++)
		keep[i] = keep[i] && (up[i] || down[i]);
	if (keep_edges(&x, keep) != 0)
		goto nomem;
	if (f->hide != NULL) {
		if (match_all(f, &x, f->hide, mark, d) != 0)
			goto fail;
		for (i = 0; i < x.n; i++)
			mark[i] &= keep[i];
		if (remove_joining(&x, keep, mark) != 0)
			goto nomem;
	}
	if (f->show != NULL) {
		if (match_all(f, &x, f->show, mark, d) != 0)
			goto fail;
		for (i = 0; i < x.n; i++)
			mark[i] = keep[i] && !mark[i];
		if (remove_joining(&x, keep, mark) != 0)
			goto nomem;
	}
	/* Values to trim by: every node left has data. */
	data = true;
	for (i = 0; i < x.n; i++)
		if (keep[i]) {
			nkept++;
			if (!x.data[i])
				data = false;
		}
	data = data && nkept > 0;
	if (data) {
		if (do_trim(&x, keep, &f->o.trim, &tr, d) != 0)
			goto fail;
		for (i = 0; i < x.n; i++)
			focused[i] &= keep[i];
		if (focus_flows(&x, keep, focused, flow) != 0)
			goto nomem;
		/* The focus itself and its callees get no flow. */
		for (i = 0; i < x.n; i++)
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
