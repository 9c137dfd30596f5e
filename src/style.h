/*
 * style: the look of a graph, derived from its data attributes alone.
 *
 * Every tool ends by calling style_apply on the graph it is about to
 * write: labels, font sizes, colours, pen widths and the legend are
 * recomputed from flat/cum/total/unit and friends (doc/dot-schema.md),
 * so what a reader sees always agrees with the numbers a script reads.
 * The "pprof" scheme is go tool pprof's look (dotgraph.go): labels of
 * shortened names with flat and cum and their percentages of the total,
 * font size 8..24 from flat, colour from cum/total on a grey-to-red
 * scale, edges weighted and thickened by their share of the total,
 * dotted residual edges, "(inline)" on inlined calls, and a legend box.
 * The "retention" scheme is the same drawing of in-use bytes, coloured
 * by retention (src/retention.h) instead, with semantic classes
 * (src/classes.h) and suspicious nodes (src/marks.h) marked; a graph
 * without alloc_space and inuse_space (retention_unusable) is drawn as
 * pprof's, with the classes and marks.  Nodes with a class attribute
 * get its badge and suspicious ones a thick dashed border in every
 * scheme but "none".
 */
#ifndef GMV_STYLE_H
#define GMV_STYLE_H

#include <stdbool.h>

#include <graphviz/cgraph.h>

#include "diag.h"

enum style_scheme {
	STYLE_PPROF,		/* go tool pprof's look (the default) */
	STYLE_NONE,		/* no visual attributes: data only */
	STYLE_DIFF,		/* graphdiff's look (what pprof gives a graph
				 * with diff_mode=graphs|trend) */
	STYLE_RETENTION,	/* retention-aware: src/retention.h */
};

struct classes;

struct style_opts {
	enum style_scheme scheme;
	bool legend;		/* draw the legend box */
	bool tags;		/* draw tag boxes (pprof's nodelets) */
	/*
	 * The retention scheme's annotations; zero values mean the
	 * defaults (graphstyle(1)).  classes: the class rules (NULL: the
	 * installed or built-in defaults); fan_out, flat_share: the
	 * thresholds of marks_suspicious.
	 */
	const struct classes *classes;
	double fan_out, flat_share;
	bool cluster_package;	/* clusters per Go package (any scheme) */
};

/* Parse a scheme name; -1 when unknown. */
int style_scheme_parse(const char *name);

/*
 * Derive the visual attributes of g (the root graph) from its data
 * attributes, replacing any earlier look and legend.  Nodes without a
 * cum attribute are left alone.  The retention scheme also writes the
 * data attributes retention, retention_flat, class and suspicious.  Returns 0, or -1 with a message in d.
 */
int style_apply(Agraph_t *g, const struct style_opts *o, struct diag *d);

/*
 * pprof's colour for a score in [-1, 1] (clamped): grey near 0, red
 * towards 1, green towards -1; bg gives the pale fill variant.
 * buf gets "#rrggbb".
 */
void style_color(char buf[8], double score, bool bg);

/*
 * pprof's shortened function name (package path and argument lists
 * removed), written into out as a NUL-terminated string of at most n
 * bytes.  Returns 0, or -1 with a message in d.
 */
int style_short_name(const char *name, char *out, size_t n, struct diag *d);

#endif
