/*
 * vgraph: a graph of values, for the filters that work on DOT graphs.
 *
 * A DOT graph keeps no samples, only the values of its nodes and edges.
 * graphfocus and graphdiff copy those into a vgraph: nodes with the
 * value shown (cum and flat; the deltas in a diff) and nv other values
 * (cum_T per sample type, base_cum...), edges with theirs, and CSR
 * adjacency.  The steps that change the graph's shape work here, on
 * arrays, and the caller writes the result back to cgraph once.
 *
 * Contraction.  Removing a set of nodes keeps the flow: for each kept
 * node p that calls into removed nodes, its values are pushed through
 * them breadth-first, each removed node passing on to each callee the
 * share w(x->y) / max(|value(x)|, sum of |w| of x's out-edges) of what
 * reached it, every value with its own shares; what reaches a kept node
 * y becomes (part of) a residual edge p -> y.  A removed node passes on
 * what reached it once (flow arriving after, through a longer path or a
 * cycle, is not passed on again), so the walk always ends.
 *
 * Trimming is src/trim.c's, pprof's, with contraction as the rebuild.
 */
#ifndef GMV_VGRAPH_H
#define GMV_VGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "trim.h"

#define VGRAPH_NONE UINT32_MAX

struct vedge {
	uint32_t src, dst;
	double w;		/* the value shown */
	bool has_w;		/* w was given (or estimated) */
	bool residual;
};

struct vgraph {
	size_t n;
	const char **names;	/* for trimming's ties; not owned */
	double *cum, *flat;	/* the values shown */
	bool values;		/* edges have values */
	size_t nv;		/* other values per node and edge */
	double *nval;		/* n * nv */
	struct vedge *e;
	double *ev;		/* cape * nv, parallel to e */
	size_t ne, cape;
	uint32_t *out0, *outn, *in0, *inn, *adj;	/* by vgraph_index */
};

/*
 * A value computed in doubles (a sum over contracted paths, a scaled
 * snapshot), rounded to the nearest integer, into *out; -1 when it does
 * not fit in 64 bits: the caller reports an error, never a wrapped or
 * clipped number.  (Doubles hold integers exactly to 2^53 only; the
 * input's INT64_MAX comes back as itself.)
 */
int vgraph_round(double x, int64_t *out);

/* Room for n nodes with nv other values each, all 0 (x->n is 0: the
 * caller sets it as it fills them in); 0 or -1. */
int vgraph_init(struct vgraph *x, size_t n, size_t nv);
void vgraph_free(struct vgraph *x);

/* Add an edge (ev: its nv other values, NULL for 0s); 0 or -1. */
int vgraph_add_edge(struct vgraph *x, uint32_t src, uint32_t dst, double w,
    bool has_w, bool residual, const double *ev);

/* Build the adjacency of the edges; 0 or -1. */
int vgraph_index(struct vgraph *x);

/* Which way vgraph_walk follows edges: to callees, callers or both. */
enum vgraph_dir { VGRAPH_OUT = 1, VGRAPH_IN = 2, VGRAPH_BOTH = 3 };

/*
 * Mark in seen the nodes reachable from the marked ones along edges in
 * direction dir, through nodes ok allows (NULL: all), within hops (-1:
 * any).  seen holds the start marks on entry; needs vgraph_index.
 * 0 or -1.
 */
int vgraph_walk(const struct vgraph *x, unsigned char *seen,
    const unsigned char *ok, enum vgraph_dir dir, long hops);

/* Keep only the edges whose ends keep holds; 0 or -1. */
int vgraph_keep_edges(struct vgraph *x, const unsigned char *keep);

/*
 * Clear keep[i] where drop[i] is set and contract those nodes away,
 * their callers joined to their callees by residual edges; 0 or -1.
 */
int vgraph_remove_joining(struct vgraph *x, unsigned char *keep,
    const unsigned char *drop);

/*
 * Trim the nodes of x that keep holds as pprof2graph trims; keep and
 * x's edges become the result.  0, or -1 with a message in d (no
 * memory, a value that does not fit in 64 bits).
 */
int vgraph_trim(struct vgraph *x, unsigned char *keep,
    const struct trim_opts *o, struct trim_result *r, struct diag *d);

#endif
