/*
 * diff: graphdiff's work — what changed between snapshots of a graph.
 *
 * Snapshots are DOT graphs (pprof2graph's, go tool pprof's once
 * imported, hand-written) added in order with diff_add; diff_result
 * builds the union graph of all of them: every node and edge that is
 * in any snapshot, matched by a key (the node ID, its func, or its
 * label's name lines), with the first snapshot's values as base_*, the
 * last one's as the values, their difference as delta_*, and diff=
 * added|removed|grown|shrunk|same.  With more than two snapshots (or
 * opts.trend) every node also gets its series (series_cum,
 * series_flat), a trend (growing|shrinking|flat|mixed|new|gone), the
 * number of intervals it grew in and its slope.  The union is trimmed as pprof2graph trims,
 * by |delta| (src/vgraph.c), and styled by src/style.c.
 *
 * A snapshot is read once: its values go into arrays, and of its
 * attributes only those graphdiff does not own (func, file, unknown
 * ones) are kept, as strings, for the nodes and edges whose latest
 * appearance it is.  So the caller closes each graph right after
 * adding it and memory does not grow with the graphs' look.
 */
#ifndef GMV_DIFF_H
#define GMV_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <graphviz/cgraph.h>

#include "diag.h"
#include "style.h"
#include "trim.h"

enum diff_match {
	DIFF_MATCH_AUTO,	/* id, or func for graphs imported from pprof */
	DIFF_MATCH_ID,
	DIFF_MATCH_FUNC,	/* the func attribute, else the ID */
	DIFF_MATCH_LABEL,	/* the label's name lines, else the ID */
};

struct diff_opts {
	enum diff_match match;
	const char *sample_type;	/* NULL: the graphs' own */
	bool normalize;		/* scale snapshots to the last one's total */
	double threshold;	/* |change| below this fraction of the larger
				 * total counts as none */
	long highlight_depth;	/* -1: no context greying */
	long tolerance;		/* intervals a growing node may not grow in */
	bool trend;		/* series and trends even for two snapshots
				 * (always with more) */
	bool trim;		/* trim (else keep the whole union) */
	struct trim_opts trim_opts;
	struct style_opts style;
};

struct diff;

struct diff *diff_new(const struct diff_opts *o, struct diag *d);
void diff_free(struct diff *df);

/*
 * Add the next snapshot; g stays the caller's.  file names it in
 * messages.  Returns 0, or -1 with a message (a graph that is already
 * a diff, a sample type missing, no memory).
 */
int diff_add(struct diff *df, Agraph_t *g, const char *file,
    struct diag *d);

/* The number of snapshots added. */
size_t diff_count(const struct diff *df);

/*
 * The union graph of the snapshots added (at least two), trimmed and
 * styled; the caller writes and closes it.  NULL with a message.
 */
Agraph_t *diff_result(struct diff *df, struct diag *d);

/*
 * --fail-if conditions: "ATTR OP VALUE", ATTR a node value (delta_cum,
 * cum, base_flat..., with an optional _TYPE) or a total (delta_total,
 * total, base_total...), OP one of > >= < <= == !=, VALUE a number with
 * an optional unit (10MB, 1.5s, 300) or a percentage: "5%" of the
 * total, "+20%" / "-20%" relative to the base value.
 */
struct diff_cond;

struct diff_cond *diff_cond_parse(const char *expr, struct diag *d);
void diff_cond_free(struct diff_cond *c);

/*
 * After diff_result: 1 when c holds for some node (or for the totals),
 * naming them on report as "prog: fail-if 'EXPR': ..."; 0 when it holds
 * nowhere; -1 with a message (an attribute the graphs do not have, a
 * unit that does not fit theirs).
 */
int diff_cond_check(struct diff *df, const struct diff_cond *c,
    FILE *report, const char *prog, struct diag *d);

#endif
