/*
 * fuzz_dot: a DOT stream through one of the graph filters.  Built three
 * times, GMV_FUZZ_FILTER choosing the filter:
 *
 *	1  graphfocus (focus)
 *	2  graphdiff (diff; go tool pprof graphs go through dotimport)
 *	3  graphstyle (style: pprof, diff, retention with classes and
 *	   marks, none; package clusters)
 *
 * The bytes are read as the tools read a file (cgraph through dotio,
 * every graph of the stream); each result is written to /dev/null.  The
 * options come from a hash of the input, so a corpus file replays the
 * same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "classes.h"
#include "diff.h"
#include "dotio.h"
#include "focus.h"
#include "fuzz.h"
#include "style.h"

#ifndef GMV_FUZZ_FILTER
#error "GMV_FUZZ_FILTER must be 1 (focus), 2 (diff) or 3 (style)"
#endif

/* Graphs of one input the diff harness compares at most. */
#define FUZZ_MAX_GRAPHS 6

static FILE *sink;
static struct classes *classes;

#if GMV_FUZZ_FILTER != 3
static void
trim_from(struct trim_opts *t, uint32_t h)
{
	memset(t, 0, sizeof *t);
	if (h & 1) {
		t->nodecount = (h >> 1) & 1 ? TRIM_DEFAULT_NODECOUNT : 3;
		t->node_fraction = TRIM_DEFAULT_NODE_FRACTION;
		t->edge_fraction = TRIM_DEFAULT_EDGE_FRACTION;
	}
}
#endif

static void
style_from(struct style_opts *s, uint32_t h)
{
	static const enum style_scheme schemes[] = { STYLE_PPROF, STYLE_NONE,
	    STYLE_DIFF, STYLE_RETENTION };

	memset(s, 0, sizeof *s);
	s->scheme = schemes[h & 3];
	s->legend = (h >> 2) & 1;
	s->classes = classes;
	s->cluster_package = ((h >> 3) & 3) == 0;
	if ((h >> 5) & 1) {
		s->fan_out = 1.5;
		s->flat_share = 0.1;
	}
}

#if GMV_FUZZ_FILTER == 1 || GMV_FUZZ_FILTER == 3
/*
 * Every graph of the stream through fn, written when fn succeeds; the
 * first failure ends the stream, as it ends a tool's run.
 */
static void
each_graph(struct dotio_in *in, int (*fn)(void *, Agraph_t *, struct diag *),
    void *ctx)
{
	struct diag d = { 0 };
	Agraph_t *g;

	while (dotio_in_next(in, &g, &d) > 0) {
		int rc = fn(ctx, g, &d);

		if (rc == 0 && dotio_write(g, sink, "fuzz", &d) == 0)
			fuzz_graphs++;
		agclose(g);
		if (rc != 0)
			break;
	}
}
#endif

#if GMV_FUZZ_FILTER == 1
static int
focus_one(void *ctx, Agraph_t *g, struct diag *d)
{
	size_t matched;

	return focus_graph(ctx, g, &matched, d);
}

static const char *const patterns[] = { "", "main", "^runtime\\.",
    "(?i)ALLOC", "fill|grow", "a*a*a*a*a*a*b" };
#define NPATTERNS (sizeof patterns / sizeof patterns[0])

static void
run(struct dotio_in *in, uint32_t h)
{
	struct focus_opts o;
	struct focus *f;
	struct diag d = { 0 };

	memset(&o, 0, sizeof o);
	o.pattern = patterns[h % NPATTERNS];
	o.match = ((h >> 3) & 7) == 0 ? FOCUS_MATCH_ID | FOCUS_MATCH_FUNC |
	    FOCUS_MATCH_LABEL : (h >> 3) & 7;
	o.icase = (h >> 6) & 1;
	o.up = ((h >> 7) & 3) == 3 ? -1 : (long)((h >> 7) & 3);
	o.down = ((h >> 9) & 3) == 3 ? -1 : (long)((h >> 9) & 3);
	switch ((h >> 11) & 3) {
	case 1:
		o.ignore = "runtime";
		break;
	case 2:
		o.hide = "^runtime\\.";
		break;
	case 3:
		o.show = "main";
		break;
	}
	trim_from(&o.trim, h >> 13);
	style_from(&o.style, h >> 15);
	if ((f = focus_new(&o, &d)) == NULL)
		return;
	each_graph(in, focus_one, f);
	focus_free(f);
}
#elif GMV_FUZZ_FILTER == 2
static void
run(struct dotio_in *in, uint32_t h)
{
	static const char *const conds[] = { "delta_cum > 10MB",
	    "delta_flat_alloc_space >= +20%", "cum != 0", "delta_total < 5%",
	    "base_cum == 3" };
	struct diff_opts o;
	struct diff *df;
	struct diff_cond *c;
	struct diag d = { 0 };
	Agraph_t *gs[FUZZ_MAX_GRAPHS], *res;
	size_t n = 0, i;
	int rc = 0;

	memset(&o, 0, sizeof o);
	o.match = (enum diff_match)(h & 3);
	o.normalize = (h >> 2) & 1;
	o.threshold = (h >> 3) & 1 ? 0.01 : 0;
	o.highlight_depth = (h >> 4) & 1 ? 1 : -1;
	o.tolerance = (h >> 5) & 1;
	o.trend = (h >> 6) & 1;
	o.trim = (h >> 7) & 1;
	trim_from(&o.trim_opts, h >> 8);
	style_from(&o.style, h >> 10);
	while (n < FUZZ_MAX_GRAPHS && dotio_in_next(in, &gs[n], &d) > 0)
		n++;
	if (n > 0 && (df = diff_new(&o, &d)) != NULL) {
		/* One graph is compared with itself. */
		if (n == 1)
			rc = diff_add(df, gs[0], "fuzz-old", &d);
		for (i = 0; i < n && rc == 0; i++)
			rc = diff_add(df, gs[i], "fuzz", &d);
		if (rc == 0 && (res = diff_result(df, &d)) != NULL) {
			if (dotio_write(res, sink, "fuzz", &d) == 0)
				fuzz_graphs++;
			agclose(res);
			c = diff_cond_parse(conds[(h >> 16) % 5], &d);
			if (c != NULL)
				diff_cond_check(df, c, sink, "fuzz", &d);
			diff_cond_free(c);
		}
		diff_free(df);
	}
	for (i = 0; i < n; i++)
		agclose(gs[i]);
}
#else
static int
style_one(void *ctx, Agraph_t *g, struct diag *d)
{
	return style_apply(g, ctx, d);
}

static void
run(struct dotio_in *in, uint32_t h)
{
	struct style_opts o;

	style_from(&o, h);
	each_graph(in, style_one, &o);
}
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dotio_in in;
	struct diag d = { 0 };
	const char *path;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	if (classes == NULL &&
	    (classes = classes_parse(classes_builtin, "builtin", &d)) == NULL)
		abort();
	if ((path = fuzz_file(data, size)) == NULL)
		return 0;
	if (dotio_in_open(&in, path, &d) != 0)
		return 0;
	run(&in, fuzz_hash(data, size));
	dotio_in_close(&in);
	return 0;
}
