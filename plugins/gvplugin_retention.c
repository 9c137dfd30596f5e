/*
 * gvplugin_retention: a Graphviz layout plugin package, "retention",
 * that restyles a gomemviz graph (src/style.c, retention scheme, with
 * the legend) and then hands the layout to Graphviz's own engine.
 *
 * For every core engine found (dot, neato, fdp, sfdp, twopi, circo,
 * osage, patchwork) it registers "retention_<engine>" (quality 0) and
 * "<engine>" (quality -1: plain dot keeps the core engine, while
 * "dot -Kdot::retention" picks this package), plus "retention" for dot.
 * The core engine comes from its public gvplugin_<pkg>_LTX_library table:
 * the core plugin library is opened from this library's own directory
 * (a private GVBINDIR holds links to it) or else from Graphviz's.  The
 * table is filled when the library is loaded, so it lists only engines
 * that are there, with the core engine's feature flags (dot's
 * LAYOUT_USES_RANKDIR).
 *
 * Graphviz reads the attributes (graph_init) before calling a layout
 * engine, so attributes declared by the styling would be ignored.  The
 * layout therefore styles, frees what graph_init made and runs
 * gvLayoutJobs again; that nested call comes back here and, recognised
 * by the guard, goes straight to the core engine.  Graphs without data
 * (no cum attribute) are laid out untouched.
 */
#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* dladdr */
#endif

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <graphviz/gvplugin_layout.h>

#include "diag.h"
#include "retention.h"
#include "style.h"

struct engine {
	const char *name;		/* the core engine's */
	const char *pkg;		/* the core plugin package */
	char alias[32];			/* retention_<name> */
	gvlayout_engine_t *core;	/* NULL: not available */
	gvlayout_features_t features;
};

static struct engine engines[] = {
	{ "dot", "dot_layout", "", NULL, { 0 } },
	{ "neato", "neato_layout", "", NULL, { 0 } },
	{ "fdp", "neato_layout", "", NULL, { 0 } },
	{ "sfdp", "neato_layout", "", NULL, { 0 } },
	{ "twopi", "neato_layout", "", NULL, { 0 } },
	{ "circo", "neato_layout", "", NULL, { 0 } },
	{ "osage", "neato_layout", "", NULL, { 0 } },
	{ "patchwork", "neato_layout", "", NULL, { 0 } },
};
#define NENGINES (sizeof engines / sizeof engines[0])

/* The graph being laid out again from inside its own layout. */
static Agraph_t *nested;

static void
layout(struct engine *e, Agraph_t *g)
{
	struct style_opts o;
	struct diag d;
	GVC_t *gvc;
	const char *why;

	if (g == nested || agattr(agroot(g), AGNODE, "cum", NULL) == NULL) {
		e->core->layout(g);
		return;
	}
	if ((why = retention_unusable(agroot(g))) != NULL) {
		const char *dm = agget(agroot(g), "diff_mode");

		agerr(AGWARN, "retention: %s: drawn with the %s scheme\n", why,
		    dm != NULL && (strcmp(dm, "graphs") == 0 ||
		    strcmp(dm, "trend") == 0) ? "diff" : "pprof");
	}
	memset(&o, 0, sizeof o);
	o.scheme = STYLE_RETENTION;
	o.legend = true;
	diag_clear(&d);
	if (style_apply(agroot(g), &o, &d) != 0)
		agerr(AGWARN, "retention: %s\n", d.set ? d.msg : "styling failed");
	gvc = GD_gvc(g);
	gvFreeLayout(gvc, g);
	nested = g;
	if (gvLayoutJobs(gvc, g) != 0)
		agerr(AGERR, "retention: %s layout failed\n", e->name);
	nested = NULL;
}

static void
cleanup(struct engine *e, Agraph_t *g)
{
	if (e->core->cleanup != NULL)
		e->core->cleanup(g);
}

/* Graphviz tells a layout function nothing but the graph: one pair each. */
#define ENGINE_FUNCS(i) \
	static void layout_##i(graph_t *g) { layout(&engines[i], g); } \
	static void cleanup_##i(graph_t *g) { cleanup(&engines[i], g); }
ENGINE_FUNCS(0)
ENGINE_FUNCS(1)
ENGINE_FUNCS(2)
ENGINE_FUNCS(3)
ENGINE_FUNCS(4)
ENGINE_FUNCS(5)
ENGINE_FUNCS(6)
ENGINE_FUNCS(7)

static gvlayout_engine_t jump[NENGINES] = {
	{ layout_0, cleanup_0 }, { layout_1, cleanup_1 },
	{ layout_2, cleanup_2 }, { layout_3, cleanup_3 },
	{ layout_4, cleanup_4 }, { layout_5, cleanup_5 },
	{ layout_6, cleanup_6 }, { layout_7, cleanup_7 },
};

/* Two names per engine, "retention", the terminator. */
static gvplugin_installed_t types[2 * NENGINES + 2];

/* Designated initialisers: later Graphviz versions add const here. */
static gvplugin_api_t apis[] = {
	{ .api = API_layout, .types = types },
	{ .api = (api_t)0, .types = NULL },
};

gvplugin_library_t gvplugin_retention_LTX_library = {
	.packagename = "retention", .apis = apis,
};

/*
 * Open the core plugin library of package pkg: first beside this
 * library (a private plugin directory), then in Graphviz's own plugin
 * directory.  NULL when neither is there.
 */
static void *
open_core(const char *pkg)
{
	char path[4096];
	Dl_info self;
	void *h;
	const char *slash;

	if (dladdr((void *)&gvplugin_retention_LTX_library, &self) != 0 &&
	    self.dli_fname != NULL &&
	    (slash = strrchr(self.dli_fname, '/')) != NULL &&
	    snprintf(path, sizeof path, "%.*s/libgvplugin_%s.so.%d",
	    (int)(slash - self.dli_fname), self.dli_fname, pkg,
	    GVPLUGIN_ABI) < (int)sizeof path &&
	    (h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) != NULL)
		return h;
	if (snprintf(path, sizeof path, "%s/libgvplugin_%s.so.%d",
	    GVPLUGIN_CORE_DIR, pkg, GVPLUGIN_ABI) >= (int)sizeof path)
		return NULL;
	return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

/* The core engine called name in the library table of package pkg. */
static gvplugin_installed_t *
find_core(const char *pkg, const char *name)
{
	static struct {
		const char *pkg;
		gvplugin_library_t *lib;
	} libs[2];
	char sym[64];
	gvplugin_library_t *lib = NULL;
	size_t i;

	for (i = 0; i < 2 && libs[i].pkg != NULL; i++)
		if (strcmp(libs[i].pkg, pkg) == 0) {
			lib = libs[i].lib;
			break;
		}
	if (i < 2 && libs[i].pkg == NULL) {
		void *h = open_core(pkg);

		snprintf(sym, sizeof sym, "gvplugin_%s_LTX_library", pkg);
		libs[i].pkg = pkg;
		libs[i].lib = lib = h != NULL ? dlsym(h, sym) : NULL;
	}
	if (lib == NULL)
		return NULL;
	for (gvplugin_api_t *a = lib->apis; a->types != NULL; a++) {
		if (a->api != API_layout)
			continue;
		for (gvplugin_installed_t *t = a->types; t->type != NULL; t++)
			if (strcmp(t->type, name) == 0)
				return t;
	}
	return NULL;
}

static gvplugin_installed_t
entry(size_t i, const char *name, int quality)
{
	return (gvplugin_installed_t){ .id = (int)i, .type = (char *)name,
	    .quality = quality, .engine = &jump[i],
	    .features = &engines[i].features };
}

/* Fill the table when Graphviz (or dot -c) loads the library. */
__attribute__((constructor)) static void
retention_init(void)
{
	size_t n = 0;

	for (size_t i = 0; i < NENGINES; i++) {
		struct engine *e = &engines[i];
		gvplugin_installed_t *t = find_core(e->pkg, e->name);

		if (t == NULL || t->engine == NULL)
			continue;
		e->core = (gvlayout_engine_t *)t->engine;
		if (t->features != NULL)
			e->features = *(gvlayout_features_t *)t->features;
		snprintf(e->alias, sizeof e->alias, "retention_%s", e->name);
		types[n++] = entry(i, e->alias, 0);
		types[n++] = entry(i, e->name, -1);
		if (i == 0)
			types[n++] = entry(i, "retention", 0);
	}
	types[n] = (gvplugin_installed_t){ .type = NULL };
}
