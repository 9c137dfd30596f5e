/*
 * pipeline: profile files in, one styled graph out — everything
 * pprof2graph does between its options and its output, as a function
 * other tools (and tests) can call.
 *
 * Steps, in pprof's order: read every input (and every base, into the
 * base half of the rows), normalize, pick the sample type, apply the
 * sample-level filters, build the graph at the granularity, trim it,
 * write its data attributes, derive its look.
 */
#ifndef GMV_PIPELINE_H
#define GMV_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include <graphviz/cgraph.h>

#include "diag.h"
#include "filter.h"
#include "graph.h"
#include "prof.h"
#include "style.h"
#include "trim.h"

struct pipeline_opts {
	const char *const *inputs;	/* "-" is standard input */
	size_t ninputs;
	const char *const *bases;	/* --base or --diff-base files */
	size_t nbases;
	enum prof_base_mode base_mode;
	bool normalize;
	bool drop_negative;
	const char *sample_index;	/* NULL: the default */
	enum graph_gran gran;
	struct filter_opts filters;
	bool relative;			/* percentages of what is kept */
	struct trim_opts trim;
	struct style_opts style;
	struct prof_limits limits;
	const char *tool;		/* written as the tool attribute */
};

/*
 * Called for each filter that matched nothing (pprof warns about
 * those): opt is the option name ("focus"), pattern its value.
 */
typedef void pipeline_warn_fn(void *ctx, const char *opt,
    const char *pattern);

/*
 * Run the pipeline.  Returns the graph (free with agclose), or NULL
 * with "FILE: what is wrong" in d.
 */
Agraph_t *pipeline_run(const struct pipeline_opts *o, pipeline_warn_fn *warn,
    void *ctx, struct diag *d);

/*
 * Everything after reading: the graph of p, already loaded (with its
 * bases, p->loading_base false again; no input may be added after).  o's inputs, bases and limits
 * are not used, its base_mode only to describe the bases.  p stays the
 * caller's.  Returns the graph, or NULL with "FILE: what is wrong".
 */
Agraph_t *pipeline_graph(struct prof *p, const struct pipeline_opts *o,
    pipeline_warn_fn *warn, void *ctx, struct diag *d);

#endif
