/*
 * trim: cut a graph down the way go tool pprof does for its DOT output.
 *
 * The steps and their order are pprof's (report.newTrimmedGraph):
 * drop nodes whose |cum| is below node_fraction of the graph's total
 * and rebuild; order the rest by entropy score; keep the top nodecount
 * of them, counting each node's tag boxes against the budget, and
 * rebuild; then drop edges below edge_fraction and remove residual
 * edges that another path already explains.  "Rebuild" is the caller's:
 * pprof2graph replays the profile's stacks with only the kept nodes
 * (which is where dotted residual edges come from), graphfocus
 * contracts a DOT graph.  Either way the rebuilt graph is re-sorted, as
 * pprof re-sorts it.
 */
#ifndef GMV_TRIM_H
#define GMV_TRIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "graph.h"

#define TRIM_DEFAULT_NODECOUNT 80
#define TRIM_DEFAULT_NODE_FRACTION 0.005
#define TRIM_DEFAULT_EDGE_FRACTION 0.001
#define TRIM_MAX_NODELETS 4

struct trim_opts {
	size_t nodecount;		/* 0: no limit */
	double node_fraction;
	double edge_fraction;
	bool count_tags;		/* count tag boxes as nodes (pprof -dot) */
	bool draw_tags;			/* the final graph needs its tags */
};

struct trim_result {
	int64_t total;			/* sum of flat of the full graph */
	int64_t node_cutoff, edge_cutoff;
	size_t dropped_nodes;		/* below node_cutoff */
	size_t dropped_edges;		/* below edge_cutoff */
	size_t candidates;		/* nodes left after the node cutoff */
};

/*
 * Return a new graph, with edges, for the nodes of g with keep[n] set
 * (keep NULL: every node there is, as when nothing was trimmed),
 * collecting tag sums when tags is set; NULL with a message in d.
 */
typedef struct graph *trim_rebuild_fn(void *ctx, const struct graph *g,
    const unsigned char *keep, bool tags, struct diag *d);

/*
 * Trim *gp in place (it may be replaced by a rebuilt graph; the old one
 * is freed).  *gp may be a nodes-only graph (flat and cum, no edges):
 * the first step needs no more, and the full graph is then built only
 * for the nodes that survive it.  On return (*gp)->order is the display order and removed
 * edges are flagged.  Returns 0, or -1 with a message in d.
 */
int trim_run(struct graph **gp, const struct trim_opts *o,
    trim_rebuild_fn *rebuild, void *ctx, struct trim_result *r,
    struct diag *d);

/* Sort g's nodes by pprof's entropy order into g->order; 0 or -1. */
int trim_sort_entropy(struct graph *g);

/* Go's math.Log2, bit for bit (exposed for tests). */
double trim_log2(double x);

#endif
