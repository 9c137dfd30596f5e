/*
 * vgraph: a graph of values; contraction and trimming.  See vgraph.h.
 */
#include "vgraph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "hmap.h"
#include "mem.h"

static void
free_adj(struct vgraph *x)
{
	free(x->out0);
	free(x->outn);
	free(x->in0);
	free(x->inn);
	free(x->adj);
	x->out0 = x->outn = x->in0 = x->inn = x->adj = NULL;
}

int
vgraph_index(struct vgraph *x)
{
	size_t i, pos = 0;
	uint32_t *fo, *fi;

	free_adj(x);
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

int
vgraph_init(struct vgraph *x, size_t n, size_t nv)
{
	memset(x, 0, sizeof *x);
	x->nv = nv;
	x->names = mem_calloc(n + 1, sizeof *x->names);
	x->cum = mem_calloc(n + 1, sizeof *x->cum);
	x->flat = mem_calloc(n + 1, sizeof *x->flat);
	if (nv > 0)
		x->nval = mem_calloc(n + 1, nv * sizeof *x->nval);
	if (x->names == NULL || x->cum == NULL || x->flat == NULL ||
	    (nv > 0 && x->nval == NULL)) {
		vgraph_free(x);
		return -1;
	}
	return 0;
}

void
vgraph_free(struct vgraph *x)
{
	free(x->names);
	free(x->cum);
	free(x->flat);
	free(x->nval);
	free(x->e);
	free(x->ev);
	free_adj(x);
	memset(x, 0, sizeof *x);
}

int
vgraph_add_edge(struct vgraph *x, uint32_t src, uint32_t dst, double w,
    bool has_w, bool residual, const double *ev)
{
	struct vedge *e;
	size_t k;

	if (mem_reserve(&x->e, &x->cape, x->ne + 1, sizeof *x->e) != 0 ||
	    (x->nv > 0 && resize(&x->ev, x->cape, x->nv *
	    sizeof *x->ev) != 0))
		return -1;
	for (k = 0; k < x->nv; k++)
		x->ev[x->ne * x->nv + k] = ev != NULL ? ev[k] : 0;
	e = &x->e[x->ne++];
	e->src = src;
	e->dst = dst;
	e->w = w;
	e->has_w = has_w;
	e->residual = residual;
	return 0;
}

struct elist {
	struct vedge *e;
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
contract(const struct vgraph *x, const unsigned char *keep, struct elist *out)
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
			const struct vedge *e = &x->e[ei];
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
				const struct vedge *e = &x->e[ei];
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
set_edges(struct vgraph *x, struct elist *l)
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
	return vgraph_index(x);
}

struct trim_ctx {
	const struct vgraph *x;
};

int
vgraph_round(double x, int64_t *out)
{
	if (!(x >= -9223372036854775808.0 && x <= 9223372036854775808.0))
		return -1;
	*out = x == 9223372036854775808.0 ? INT64_MAX : llround(x);
	return 0;
}

/*
 * A struct graph (one value per node and edge) of l over x's nodes, or
 * NULL with a message in d.
 */
static struct graph *
to_graph(const struct vgraph *x, const unsigned char *keep,
    const struct elist *l, struct diag *d)
{
	size_t i, nn = 0;
	uint32_t *map = mem_calloc(x->n, sizeof *map);
	struct graph *g;

	if (map == NULL) {
		diag_nomem(d);
		return NULL;
	}
	for (i = 0; i < x->n; i++)
		map[i] = keep[i] ? (uint32_t)nn++ : VGRAPH_NONE;
	if ((g = graph_new(1, 1, 0, nn, l->n)) == NULL) {
		free(map);
		diag_nomem(d);
		return NULL;
	}
	g->nnodes = nn;
	for (i = 0; i < x->n; i++) {
		uint32_t k = map[i];

		if (k == VGRAPH_NONE)
			continue;
		g->names[k] = x->names[i];
		g->info[k] = (uint32_t)i;
		if (vgraph_round(x->flat[i], &g->flat[k]) != 0 ||
		    vgraph_round(x->cum[i], &g->cum[k]) != 0) {
			diag_set(d, "the value of node %s overflows a "
			    "64-bit integer", x->names[i]);
			goto fail;
		}
		g->sflat[k] = g->flat[k];
		g->scum[k] = g->cum[k];
	}
	for (i = 0; i < l->n; i++) {
		struct graph_edge *e = &g->edges[g->nedges];

		if (map[l->e[i].src] == VGRAPH_NONE || map[l->e[i].dst] == VGRAPH_NONE ||
		    l->e[i].src == l->e[i].dst)
			continue;
		e->src = map[l->e[i].src];
		e->dst = map[l->e[i].dst];
		e->flags = l->e[i].residual ? GRAPH_RESIDUAL : 0;
		if (vgraph_round(l->e[i].w, &g->ew[g->nedges]) != 0) {
			diag_set(d, "the value of the edge %s -> %s overflows "
			    "a 64-bit integer", x->names[l->e[i].src],
			    x->names[l->e[i].dst]);
			goto fail;
		}
		g->sew[g->nedges] = g->ew[g->nedges];
		g->nedges++;
	}
	free(map);
	if (graph_index(g) != 0) {
		graph_free(g);
		diag_nomem(d);
		return NULL;
	}
	return g;
fail:
	free(map);
	graph_free(g);
	return NULL;
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
	ng = to_graph(c->x, k, &l, d);
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
int
vgraph_trim(struct vgraph *x, unsigned char *keep, const struct trim_opts *o,
    struct trim_result *r, struct diag *d)
{
	struct trim_ctx ctx = { x };
	struct elist l;
	struct graph *g;
	unsigned char *live;
	size_t i, k;

	if (contract(x, keep, &l) != 0)
		goto nomem;
	g = to_graph(x, keep, &l, d);
	elist_free(&l);
	if (g == NULL)
		return -1;
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
	if (set_edges(x, &l) != 0)
		goto nomem;
	return 0;
nomem:
	diag_nomem(d);
	return -1;
}

/* The far end of the k-th edge of v in direction dir (outgoing first). */
static uint32_t
walk_next(const struct vgraph *x, uint32_t v, enum vgraph_dir dir, uint32_t k)
{
	uint32_t nout = dir & VGRAPH_OUT ? x->outn[v] : 0;
	const struct vedge *e = k < nout ? &x->e[x->adj[x->out0[v] + k]] :
	    &x->e[x->adj[x->in0[v] + (k - nout)]];

	return k < nout ? e->dst : e->src;
}

int
vgraph_walk(const struct vgraph *x, unsigned char *seen,
    const unsigned char *ok, enum vgraph_dir dir, long hops)
{
	uint32_t *queue = mem_calloc(x->n + 1, sizeof *queue);
	uint32_t *dist = mem_calloc(x->n + 1, sizeof *dist);
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
		uint32_t v = queue[head++], k;
		uint32_t cnt = (dir & VGRAPH_OUT ? x->outn[v] : 0) +
		    (dir & VGRAPH_IN ? x->inn[v] : 0);

		if (hops >= 0 && dist[v] >= (uint32_t)hops)
			continue;
		for (k = 0; k < cnt; k++) {
			uint32_t w = walk_next(x, v, dir, k);

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

/* Keep only x's edges whose ends keep holds. */
int
vgraph_keep_edges(struct vgraph *x, const unsigned char *keep)
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
	return vgraph_index(x);
}

/* Contract away the nodes of keep that drop marks (hide, show). */
int
vgraph_remove_joining(struct vgraph *x, unsigned char *keep,
    const unsigned char *drop)
{
	struct elist l;
	size_t i;

	for (i = 0; i < x->n; i++)
		if (drop[i])
			keep[i] = 0;
	if (contract(x, keep, &l) != 0)
		return -1;
	return set_edges(x, &l);
}
