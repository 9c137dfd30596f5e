/*
 * pipeline: the pprof2graph steps in order.  See pipeline.h.
 */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "load.h"
#include "mem.h"
#include "todot.h"

/*
 * Prefix a message about the profile as a whole with the inputs' names,
 * the "FILE: " of the tools' one voice.
 */
static void
name_inputs(const struct prof *p, struct diag *d)
{
	char msg[DIAG_MSG_MAX], names[512] = "";
	size_t i, len = 0;

	for (i = 0; i < p->nsources && len < sizeof names; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
		    i > 0 ? ", " : "", p->sources[i]);
	snprintf(msg, sizeof msg, "%s", d->msg);
	diag_clear(d);
	diag_set(d, "%s: %s", names, msg);
}

struct rebuild_ctx {
	const struct prof *p;
	const struct graph_space *s;
	struct graph_build_opts bo;
	unsigned char *kept;		/* per info */
};

/* trim's rebuild step: replay the stacks with only the kept nodes. */
static struct graph *
rebuild(void *vctx, const struct graph *g, const unsigned char *keep,
    bool tags, struct diag *d)
{
	struct rebuild_ctx *c = vctx;
	size_t i;

	c->bo.kept = NULL;
	if (keep != NULL) {
		memset(c->kept, 0, c->s->ninfos);
		for (i = 0; i < g->nnodes; i++)
			if (keep[i])
				c->kept[g->info[i]] = 1;
		c->bo.kept = c->kept;
	}
	c->bo.tags = tags;
	c->bo.nodes_only = false;
	return graph_build(c->p, c->s, &c->bo, d);
}

/* The filters attribute: the filters, then the bases, one a line. */
static char *
describe(const struct pipeline_opts *o)
{
	char *s;
	size_t i, len;

	if (filter_describe(&o->filters, &s) != 0)
		return NULL;
	for (i = 0; i < o->nbases; i++) {
		const char *what = o->base_mode == PROF_BASE_DIFF ?
		    "diff_base" : "base";
		size_t n = strlen(what) + strlen(o->bases[i]) + 2;
		char *ns;

		len = strlen(s);
		if ((ns = realloc(s, len + n + 1)) == NULL) {
			free(s);
			return NULL;
		}
		s = ns;
		snprintf(s + len, n + 1, "%s%s=%s", len > 0 ? "\n" : "", what,
		    o->bases[i]);
	}
	if (o->normalize && o->nbases > 0) {
		char *ns;

		len = strlen(s);
		if ((ns = realloc(s, len + 11)) == NULL) {
			free(s);
			return NULL;
		}
		s = ns;
		snprintf(s + len, 11, "%snormalize", len > 0 ? "\n" : "");
	}
	return s;
}

static void
warn_unmatched(const struct pipeline_opts *o, const struct filter_view *v,
    pipeline_warn_fn *warn, void *ctx)
{
	const struct filter_opts *f = &o->filters;

	if (warn == NULL || v == NULL)
		return;
	if (f->focus != NULL && !v->focus_matched)
		warn(ctx, "focus", f->focus);
	if (f->ignore != NULL && !v->ignore_matched)
		warn(ctx, "ignore", f->ignore);
	if (f->hide != NULL && !v->hide_matched)
		warn(ctx, "hide", f->hide);
	if (f->show != NULL && !v->show_matched)
		warn(ctx, "show", f->show);
	if (f->show_from != NULL && !v->show_from_matched)
		warn(ctx, "show-from", f->show_from);
	if (f->tagfocus != NULL && !v->tagfocus_matched)
		warn(ctx, "tagfocus", f->tagfocus);
	if (f->tagignore != NULL && !v->tagignore_matched)
		warn(ctx, "tagignore", f->tagignore);
	if (f->prune_from != NULL && !v->prune_from_matched)
		warn(ctx, "prune-from", f->prune_from);
}

Agraph_t *
pipeline_run(const struct pipeline_opts *o, pipeline_warn_fn *warn,
    void *ctx, struct diag *d)
{
	struct prof *p;
	Agraph_t *dg = NULL;
	size_t i;

	if ((p = prof_new(&o->limits, o->nbases > 0 ? o->base_mode :
	    PROF_NO_BASE)) == NULL) {
		diag_nomem(d);
		return NULL;
	}
	for (i = 0; i < o->ninputs; i++)
		if (load_profile(p, o->inputs[i], d) != 0)
			goto out;
	p->loading_base = true;
	for (i = 0; i < o->nbases; i++)
		if (load_profile(p, o->bases[i], d) != 0)
			goto out;
	p->loading_base = false;
	dg = pipeline_graph(p, o, warn, ctx, d);
out:
	prof_free(p);
	return dg;
}

Agraph_t *
pipeline_graph(struct prof *p, const struct pipeline_opts *o,
    pipeline_warn_fn *warn, void *ctx, struct diag *d)
{
	struct filter_view *view = NULL;
	struct graph_space *space = NULL;
	struct graph *g = NULL;
	struct rebuild_ctx rc;
	struct trim_result tr;
	struct trim_opts trim;
	struct todot_opts to;
	Agraph_t *dg = NULL;
	char *filters = NULL;
	int sel;

	memset(&rc, 0, sizeof rc);
	prof_loaded(p);
	if (o->normalize && o->nbases > 0 && prof_normalize(p, d) != 0)
		goto named;
	if ((sel = prof_sample_index(p, o->sample_index, d)) < 0)
		goto named;
	if (filter_active(&o->filters)) {
		if ((view = filter_apply(p, &o->filters, d)) == NULL)
			goto out;
		warn_unmatched(o, view, warn, ctx);
	}
	if ((space = graph_space_new(p, o->gran, view, d)) == NULL)
		goto named;
	prof_drop_frames(p);
	rc.p = p;
	rc.s = space;
	rc.bo.sel = (size_t)sel;
	rc.bo.drop_negative = o->drop_negative;
	rc.bo.all_tags = o->style.tags;
	rc.bo.nodes_only = true;	/* the first pass needs only cum */
	if ((rc.kept = calloc(space->ninfos + 1, 1)) == NULL) {
		diag_nomem(d);
		goto out;
	}
	trim = o->trim;
	trim.draw_tags = o->style.tags;
	if ((g = graph_build(p, space, &rc.bo, d)) == NULL ||
	    trim_run(&g, &trim, rebuild, &rc, &tr, d) != 0)
		goto named;
	if ((filters = describe(o)) == NULL) {
		diag_nomem(d);
		goto out;
	}
	memset(&to, 0, sizeof to);
	to.tool = o->tool;
	to.sel = (size_t)sel;
	to.gran = o->gran;
	to.trim = &trim;
	to.tags = o->style.tags;
	to.trimmed = &tr;
	to.filters = filters;
	to.relative = o->relative ? view : NULL;
	to.normalized = o->normalize && o->nbases > 0;
	if ((dg = todot_graph(p, space, g, &to, d)) == NULL ||
	    style_apply(dg, &o->style, d) != 0)
		goto named;
	goto out;
named:
	name_inputs(p, d);
	if (dg != NULL) {
		agclose(dg);
		dg = NULL;
	}
out:
	free(filters);
	free(rc.kept);
	graph_free(g);
	graph_space_free(space);
	filter_view_free(view);
	return dg;
}
