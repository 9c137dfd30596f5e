/*
 * filter: go tool pprof's sample-level filters, applied to the model
 * before any graph is built.
 *
 * They work on samples and frames, not on graph nodes, exactly as
 * pprof's applyFocus does, in its order: focus and ignore keep or drop
 * whole samples by whether any frame matches; hide and show remove
 * frames (lines of a location, so they can split an inlined chain);
 * show_from cuts each stack above its root-most matching frame; then
 * tagfocus and tagignore keep or drop samples by their labels; last,
 * prune_from cuts each stack below its leaf-most matching frame.
 * Patterns are PCRE2, unanchored, matched against the function name,
 * the file name or the mapping's file (prune_from: the function name,
 * cut at its argument list, as pprof's simplifyFunc).
 *
 * The model is not changed: the result is a view (which lines, which
 * locations, which stacks and which part of each stack survive) that the
 * graph builder reads, so the unfiltered total stays at hand for
 * percentages.
 */
#ifndef GMV_FILTER_H
#define GMV_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "prof.h"

struct filter_opts {
	const char *focus, *ignore, *hide, *show;
	const char *show_from, *prune_from;
	const char *tagfocus, *tagignore;
};

struct filter_view {
	unsigned char *line_keep;	/* per line of the model */
	unsigned char *loc_hidden;	/* per location: no line left */
	unsigned char *stack_keep;	/* per stack */
	uint32_t *lo, *hi;		/* per stack: kept frames lo..hi
					 * (leaf-first indexes, inclusive) */
	/* Which patterns matched something (for pprof's warnings). */
	bool focus_matched, ignore_matched, hide_matched, show_matched;
	bool show_from_matched, tagfocus_matched, tagignore_matched;
	bool prune_from_matched;
};

/* Does o ask for any filtering at all? */
bool filter_active(const struct filter_opts *o);

/*
 * Compute the view of p that o leaves.  Returns NULL with a message
 * ("--focus: bad pattern ...", limits hit, no memory) in d.
 */
struct filter_view *filter_apply(const struct prof *p,
    const struct filter_opts *o, struct diag *d);

void filter_view_free(struct filter_view *v);

/*
 * What was applied, one "name=value" a line, as the root graph's
 * filters attribute and pprof's legend show it; empty when nothing.
 * Returns 0 or -1 (no memory); *out is malloc'ed.
 */
int filter_describe(const struct filter_opts *o, char **out);

#endif
