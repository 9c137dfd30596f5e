/*
 * todot: a built profile graph as a cgraph graph carrying the data
 * attributes of doc/dot-schema.md.
 *
 * Only data is written here (raw integers in the profile's units, names
 * in dotio's escaped form, the facts of how the graph was made); the
 * look is added afterwards by the style module, from these attributes
 * alone, as every other tool does.
 */
#ifndef GMV_TODOT_H
#define GMV_TODOT_H

#include <graphviz/cgraph.h>

#include "diag.h"
#include "filter.h"
#include "graph.h"
#include "prof.h"
#include "trim.h"

struct todot_opts {
	const char *tool;		/* "pprof2graph 0.1.0" */
	size_t sel;			/* selected sample type */
	enum graph_gran gran;
	const struct trim_opts *trim;
	const struct trim_result *trimmed;
	const char *filters;		/* what was applied, or NULL */
	const struct filter_view *relative; /* percentages of what it kept */
	bool normalized;		/* bases were normalized */
	bool tags;			/* write pprof's tag boxes */
};

/*
 * The cgraph graph of g (nodes in g->order, removed edges left out).
 * Returns NULL with a message in d.
 */
Agraph_t *todot_graph(const struct prof *p, const struct graph_space *s,
    const struct graph *g, const struct todot_opts *o, struct diag *d);

/*
 * pprof's total for sample type t, the base of every percentage: the
 * sum of |value| over all samples (over those view keeps, when view is
 * not NULL); with bases, of |value - base| per sample, or with
 * --diff-base of |base| alone.  Returns 0, or -1 on overflow.
 */
int todot_total(const struct prof *p, const struct filter_view *view,
    size_t t, int64_t *total);

#endif
