/*
 * focus: cut a DOT graph down to the part around the nodes that match
 * a pattern — graphfocus's work, on any DOT graph, pprof2graph's or not.
 *
 * The steps, in order: --ignore drops the nodes it matches and the nodes
 * reachable from the graph's entry points only through them; the focus
 * keeps the nodes PATTERN matches with their ancestors and descendants
 * (within --up / --down hops); --hide removes the nodes it matches and
 * --show all the others, joining callers to callees with residual
 * edges; then, on graphs with data (pprof2graph's cum attributes), the
 * graph is trimmed as pprof2graph trims, by the shared trim module,
 * removed paths again becoming residual edges.  Node values are never
 * changed; ancestors get focus_flow, the value of theirs that reaches
 * the focused nodes.  Graphs with data are restyled.
 *
 * DOT keeps no samples, so the value of a residual edge is an estimate:
 * what enters a removed node leaves it along its out-edges in proportion
 * to their values (the rest is its own), as pprof's graphs suggest.
 */
#ifndef GMV_FOCUS_H
#define GMV_FOCUS_H

#include <stdbool.h>
#include <stddef.h>

#include <graphviz/cgraph.h>

#include "diag.h"
#include "style.h"
#include "trim.h"

#define FOCUS_MATCH_ID 0x1
#define FOCUS_MATCH_FUNC 0x2
#define FOCUS_MATCH_LABEL 0x4

struct focus_opts {
	const char *pattern;		/* "" matches every node */
	unsigned match;			/* FOCUS_MATCH_* */
	bool icase;
	long up, down;			/* hop limits; -1: none */
	const char *ignore, *hide, *show;	/* NULL: not given */
	struct trim_opts trim;
	struct style_opts style;
};

struct focus;

/* Compile the patterns; NULL with "--opt: bad pattern ..." in d. */
struct focus *focus_new(const struct focus_opts *o, struct diag *d);
void focus_free(struct focus *f);

/*
 * Focus g in place.  *matched gets the number of nodes PATTERN matched.
 * Returns 0, or -1 with a message (a pattern hit PCRE2's match limit,
 * no memory).
 */
int focus_graph(struct focus *f, Agraph_t *g, size_t *matched,
    struct diag *d);

#endif
