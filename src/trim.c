/*
 * trim: pprof's graph trimming, step for step.  See trim.h.
 *
 * Entropy order.  pprof ranks nodes for display by
 *
 *	score = int64(s * cum) + flat
 *	s = (no in-edges ? 1 : H(in)) + (no out-edges ? 1 : H(out + flat))
 *
 * where H is the Shannon entropy (bits) of the edge weights as fractions
 * of their positive sum.  A node that merely passes its whole value from
 * one caller to one callee scores about 0 and sinks; entry points,
 * leaves and nodes where flow splits or merges float up.  Ties go to
 * the smaller name.  To pick the same nodes as pprof the arithmetic must
 * be pprof's to the last bit, because int64(s * cum) turns a one-ulp
 * difference in s into a different integer: so log2 below is Go's
 * (frexp + the fdlibm log polynomial, as Go's amd64 assembly evaluates
 * it), edges are summed in a fixed order, and a NaN or out-of-range
 * score becomes INT64_MIN as Go's float-to-int conversion does on amd64.
 * pprof itself sums edges in map order, so on rare near-ties it can
 * disagree with itself from run to run.
 */
#include "trim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* ---------------------------------------------------------------- */
/* Go's math.Log2 on amd64. */

static double
go_log(double x)
{
	static const double
	    ln2_hi = 6.93147180369123816490e-01,
	    ln2_lo = 1.90821492927058770002e-10,
	    l1 = 6.666666666666735130e-01,
	    l2 = 3.999999999940941908e-01,
	    l3 = 2.857142874366239149e-01,
	    l4 = 2.222219843214978396e-01,
	    l5 = 1.818357216161805012e-01,
	    l6 = 1.531383769920937332e-01,
	    l7 = 1.479819860511658591e-01;
	double f1, f, k, s, s2, s4, t1, t2, r, hfsq;
	int ki;

	if (isnan(x) || (isinf(x) && x > 0))
		return x;
	if (x < 0)
		return NAN;
	if (x == 0)
		return -INFINITY;
	f1 = frexp(x, &ki);
	if (f1 < M_SQRT2 / 2) {
		f1 *= 2;
		ki--;
	}
	f = f1 - 1;
	k = (double)ki;
	s = f / (2 + f);
	s2 = s * s;
	s4 = s2 * s2;
	t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)));
	t2 = s4 * (l2 + s4 * (l4 + s4 * l6));
	r = t1 + t2;
	hfsq = 0.5 * f * f;
	return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f);
}

double
trim_log2(double x)
{
	int e;
	double frac = frexp(x, &e);

	if (x == 0 || isnan(x) || isinf(x))
		return go_log(x) * M_LOG2E;
	if (frac == 0.5)
		return (double)(e - 1);
	return go_log(frac) * M_LOG2E + (double)e;
}

/* Go's int64(x) on amd64: out of range and NaN give INT64_MIN. */
static int64_t
go_int64(double x)
{
	if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)x;
}

static int64_t
abs64(int64_t v)
{
	/* Go's abs64 wraps INT64_MIN to itself. */
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

/* Wrapping int64 addition, as Go's. */
static int64_t
wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* ---------------------------------------------------------------- */
/* Entropy order. */

static double
edge_entropy(const struct graph *g, const uint32_t *edges, uint32_t n,
    int64_t self)
{
	double score = 0;
	int64_t total = self;
	uint32_t i;

	for (i = 0; i < n; i++) {
		int64_t w = graph_ew(g, edges[i]);

		if (w > 0)
			total = wrap_add(total, abs64(w));
	}
	if (total != 0) {
		for (i = 0; i < n; i++) {
			double frac = (double)abs64(graph_ew(g, edges[i])) /
			    (double)total;

			score += -frac * trim_log2(frac);
		}
		if (self > 0) {
			double frac = (double)abs64(self) / (double)total;

			score += -frac * trim_log2(frac);
		}
	}
	return score;
}

/* Live (not removed) edges of a node's adjacency slice, in a buffer. */
static uint32_t
live_edges(const struct graph *g, uint32_t first, uint32_t n, uint32_t *buf)
{
	uint32_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!g->edges[g->adj[first + i]].removed)
			buf[k++] = g->adj[first + i];
	return k;
}

static int64_t
entropy_score(const struct graph *g, size_t n, uint32_t *buf)
{
	double score = 0;
	uint32_t nin = live_edges(g, g->in0[n], g->inn[n], buf);

	if (nin == 0)
		score++;
	else
		score += edge_entropy(g, buf, nin, 0);
	{
		uint32_t nout = live_edges(g, g->out0[n], g->outn[n], buf);

		if (nout == 0)
			score++;
		else
			score += edge_entropy(g, buf, nout, graph_flat(g, n));
	}
	return wrap_add(go_int64(score * (double)graph_cum(g, n)),
	    graph_flat(g, n));
}

struct sort_ctx {
	const struct graph *g;
	const int64_t *score;
};

static const struct sort_ctx *sort_ctx;

static int
cmp_entropy(const void *a, const void *b)
{
	uint32_t l = *(const uint32_t *)a, r = *(const uint32_t *)b;
	const struct graph *g = sort_ctx->g;
	int64_t ls = abs64(sort_ctx->score[l]), rs = abs64(sort_ctx->score[r]);
	int c;

	if (ls != rs)
		return ls > rs ? -1 : 1;
	if ((c = strcmp(g->names[l], g->names[r])) != 0)
		return c;
	ls = abs64(graph_flat(g, l));
	rs = abs64(graph_flat(g, r));
	if (ls != rs)
		return ls > rs ? -1 : 1;
	return l < r ? -1 : l > r;
}

int
trim_sort_entropy(struct graph *g)
{
	int64_t *score = mem_calloc(g->nnodes, sizeof *score);
	uint32_t *buf;
	struct sort_ctx ctx;
	size_t i, maxdeg = 1;

	if (score == NULL)
		return -1;
	for (i = 0; i < g->nnodes + g->nghost; i++) {
		if (g->inn[i] > maxdeg)
			maxdeg = g->inn[i];
		if (g->outn[i] > maxdeg)
			maxdeg = g->outn[i];
	}
	free(g->order);
	g->order = mem_calloc(g->nnodes, sizeof *g->order);
	buf = mem_calloc(maxdeg, sizeof *buf);
	if (g->order == NULL || buf == NULL) {
		free(score);
		free(buf);
		return -1;
	}
	for (i = 0; i < g->nnodes; i++) {
		score[i] = entropy_score(g, i, buf);
		g->order[i] = (uint32_t)i;
	}
	ctx.g = g;
	ctx.score = score;
	sort_ctx = &ctx;
	qsort(g->order, g->nnodes, sizeof *g->order, cmp_entropy);
	sort_ctx = NULL;
	free(score);
	free(buf);
	return 0;
}

/* ---------------------------------------------------------------- */
/* The trimming steps. */

static void
trim_tags(struct graph *g, int64_t cutoff)
{
	size_t i;

	for (i = 0; i < g->ntags; i++)
		if (abs64(g->tags[i].flat) < cutoff &&
		    abs64(g->tags[i].cum) < cutoff)
			g->tags[i].removed = true;
}

static size_t
trim_edges(struct graph *g, int64_t cutoff)
{
	size_t i, n = 0;

	for (i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed && g->edges[i].dst < g->nnodes &&
		    abs64(graph_ew(g, i)) < cutoff) {
			g->edges[i].removed = true;
			n++;
		}
	return n;
}

/* How many nodes the top of the order holds within the budget. */
static size_t
select_top(const struct graph *g, size_t max, bool count_tags)
{
	size_t i, count = 0;
	uint32_t *ntags = NULL;

	if (count_tags && g->ntags > 0) {
		ntags = mem_calloc(g->nnodes, sizeof *ntags);
		if (ntags == NULL)
			return SIZE_MAX;
		for (i = 0; i < g->ntags; i++)
			if (!g->tags[i].removed && g->tags[i].flat != 0)
				ntags[g->tags[i].node]++;
	}
	if (count_tags)
		for (i = 0; i < g->nnodes; i++) {
			uint32_t t = ntags != NULL ? ntags[g->order[i]] : 0;

			if (t > TRIM_MAX_NODELETS)
				t = TRIM_MAX_NODELETS;
			count += t + 1;
			if (count >= max) {
				max = i + 1;
				break;
			}
		}
	free(ntags);
	return max < g->nnodes ? max : g->nnodes;
}

/* pprof's edge order: heavier first, then by source and target name. */
static const struct graph *edge_sort_graph;

static int
cmp_edges(const void *a, const void *b)
{
	const struct graph *g = edge_sort_graph;
	uint32_t l = *(const uint32_t *)a, r = *(const uint32_t *)b;
	int64_t lw = graph_ew(g, l), rw = graph_ew(g, r);
	int c;

	if (lw != rw) {
		lw = abs64(lw);
		rw = abs64(rw);
		if (lw != rw)
			return lw > rw ? -1 : 1;
	}
	if ((c = strcmp(g->names[g->edges[l].src],
	    g->names[g->edges[r].src])) != 0)
		return c;
	if ((c = strcmp(g->names[g->edges[l].dst],
	    g->names[g->edges[r].dst])) != 0)
		return c;
	return l < r ? -1 : l > r;
}

/* Sort a list of edge indexes in pprof's edge order. */
static void
sort_edges(const struct graph *g, uint32_t *edges, size_t n)
{
	edge_sort_graph = g;
	qsort(edges, n, sizeof *edges, cmp_edges);
	edge_sort_graph = NULL;
}

/*
 * Can e's source still reach e's target without e?  A breadth-first
 * walk up the in-edges from the target, as pprof's isRedundantEdge.
 */
static bool
redundant(const struct graph *g, uint32_t e, uint32_t *seen, uint32_t gen,
    uint32_t *queue)
{
	uint32_t src = g->edges[e].src, head = 0, tail = 0;

	seen[g->edges[e].dst] = gen;
	queue[tail++] = g->edges[e].dst;
	while (head < tail) {
		uint32_t n = queue[head++], i;

		for (i = 0; i < g->inn[n]; i++) {
			uint32_t ie = g->adj[g->in0[n] + i];
			uint32_t from = g->edges[ie].src;

			if (g->edges[ie].removed || ie == e ||
			    seen[from] == gen)
				continue;
			if (from == src)
				return true;
			seen[from] = gen;
			queue[tail++] = from;
		}
	}
	return false;
}

static int
remove_redundant(struct graph *g)
{
	size_t nall = g->nnodes + g->nghost;
	uint32_t *seen = mem_calloc(nall, sizeof *seen);
	uint32_t *queue = mem_calloc(nall, sizeof *queue);
	uint32_t *in = NULL, gen = 0;
	size_t capin = 0, i;
	int rc = -1;

	if (seen == NULL || queue == NULL)
		goto out;
	for (i = g->nnodes; i-- > 0;) {
		uint32_t n = g->order[i], k, j;

		if (mem_reserve(&in, &capin, g->inn[n] + 1, sizeof *in) != 0)
			goto out;
		k = live_edges(g, g->in0[n], g->inn[n], in);
		sort_edges(g, in, k);
		for (j = k; j-- > 0;) {
			uint32_t e = in[j];

			if (!(g->edges[e].flags & GRAPH_RESIDUAL))
				break;
			if (++gen == 0) {
				memset(seen, 0, nall * sizeof *seen);
				gen = 1;
			}
			if (redundant(g, e, seen, gen, queue))
				g->edges[e].removed = true;
		}
	}
	rc = 0;
out:
	free(seen);
	free(queue);
	free(in);
	return rc;
}

static int
rebuild(struct graph **gp, const unsigned char *keep, bool tags,
    trim_rebuild_fn *fn, void *ctx, struct diag *d)
{
	struct graph *ng = fn(ctx, *gp, keep, tags, d);

	if (ng == NULL)
		return -1;
	graph_free(*gp);
	*gp = ng;
	return 0;
}

int
trim_run(struct graph **gp, const struct trim_opts *o,
    trim_rebuild_fn *fn, void *ctx, struct trim_result *r, struct diag *d)
{
	struct graph *g = *gp;
	unsigned char *keep = NULL;
	size_t i, kept;
	bool tags = (o->nodecount > 0 && o->count_tags) || o->draw_tags;
	int rc = -1;

	memset(r, 0, sizeof *r);
	for (i = 0; i < g->nnodes; i++)
		r->total = wrap_add(r->total, graph_flat(g, i));
	r->node_cutoff = abs64(go_int64((double)r->total * o->node_fraction));
	r->edge_cutoff = abs64(go_int64((double)r->total * o->edge_fraction));

	if (r->node_cutoff > 0) {
		if ((keep = mem_calloc(g->nnodes, 1)) == NULL)
			goto nomem;
		for (i = kept = 0; i < g->nnodes; i++)
			if (abs64(graph_cum(g, i)) >= r->node_cutoff) {
				keep[i] = 1;
				kept++;
			}
		if (kept != g->nnodes) {
			r->dropped_nodes = g->nnodes - kept;
			if (rebuild(gp, keep, tags, fn, ctx, d) != 0)
				goto out;
			g = *gp;
		}
		free(keep);
		keep = NULL;
	}
	if (g->nodes_only) {
		/*
		 * Nothing was cut: now build the whole graph with edges,
		 * keeping every node (even those whose values cancel out,
		 * which the nodes-only graph left out).
		 */
		if (rebuild(gp, NULL, tags, fn, ctx, d) != 0)
			goto out;
		g = *gp;
	}
	r->candidates = g->nnodes;
	if (trim_sort_entropy(g) != 0)
		goto nomem;
	if (o->nodecount > 0) {
		size_t top;

		trim_tags(g, r->node_cutoff);
		trim_edges(g, r->edge_cutoff);
		top = select_top(g, o->nodecount, o->count_tags);
		if (top == SIZE_MAX)
			goto nomem;
		if (top != g->nnodes) {
			if ((keep = mem_calloc(g->nnodes, 1)) == NULL)
				goto nomem;
			for (i = 0; i < top; i++)
				keep[g->order[i]] = 1;
			if (rebuild(gp, keep, o->draw_tags, fn, ctx, d) != 0)
				goto out;
			g = *gp;
			if (trim_sort_entropy(g) != 0)
				goto nomem;
		}
	}
	trim_tags(g, r->node_cutoff);
	r->dropped_edges = trim_edges(g, r->edge_cutoff);
	if (remove_redundant(g) != 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
out:
	free(keep);
	return rc;
}
