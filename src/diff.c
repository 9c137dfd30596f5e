/*
 * diff: the union of DOT snapshots, their deltas and trends.  See
 * diff.h.
 *
 * Reading a snapshot (diff_add).  Every node but tag boxes and the
 * legend gets a key (its ID, func or label name lines); keys are
 * interned and give union ids, in order of first appearance.  The
 * snapshot keeps, per union id, whether the node is there and its flat
 * and cum for each of its sample types, and, per union edge (keyed by
 * its ends' union ids; parallel edges add up), its cum per type.  The
 * attributes graphdiff does not own are kept as (name, value) string
 * pairs: for each node and edge those of the latest snapshot holding
 * it, the subgraphs it is in, and the root's and the declarations of
 * the latest snapshot.
 *
 * The result (diff_result).  The first snapshot is the base, the last
 * the new one.  Values of a type the snapshots do not all have are
 * left out.  With --normalize every snapshot is scaled to the last
 * one's total, type by type.  The union is trimmed by |delta| as
 * pprof2graph trims (vgraph), written into a new graph with the kept
 * attributes, and styled.
 *
 * Trends (more than two snapshots), on the selected type's cum, an
 * absent node counting as 0: an interval is up when the value rose by
 * more than the threshold, down when it fell by more; slope is the
 * least-squares slope over the snapshots.  A node is "new" when only
 * the last snapshot has it, "gone" when the last one lacks it,
 * "growing" when it was up in all intervals but --tolerance of them and
 * ended higher than it started, "shrinking" likewise downwards, "flat"
 * when no interval was up or down, else "mixed".
 */
#include "config.h"

#include "diff.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dotio.h"
#include "hmap.h"
#include "mem.h"
#include "strtab.h"
#include "units.h"
#include "vgraph.h"

#define NONE UINT32_MAX
#define LEGEND "cluster_legend"

enum cls { CLS_SAME, CLS_ADDED, CLS_REMOVED, CLS_GROWN, CLS_SHRUNK };
static const char *const cls_names[] = {
	"same", "added", "removed", "grown", "shrunk",
};

enum trend { TR_FLAT, TR_GROWING, TR_SHRINKING, TR_MIXED, TR_NEW, TR_GONE };
static const char *const trend_names[] = {
	"flat", "growing", "shrinking", "mixed", "new", "gone",
};

/* A run of pairs (attributes) or ids (subgraph paths). */
struct run {
	uint32_t off, n;
};

struct pair {
	uint32_t name, value;	/* strtab ids */
};

struct unode {
	uint32_t key;		/* strtab id */
	struct run attrs, subg;
};

struct uedge {
	uint32_t tail, head;	/* union node ids */
	struct run attrs;
	bool inl, residual;
};

struct snap {
	uint32_t source;	/* strtab id: its source, else the file */
	uint32_t file;		/* strtab id: the file it was read from */
	uint32_t type;		/* sample_type ("" for none) */
	size_t nt;
	uint32_t *types, *units;	/* by type: strtab ids */
	double *totals;
	bool values;		/* has cum */
	size_t nu;		/* union nodes when it was added */
	unsigned char *present;	/* nu */
	double *v;		/* nu * 2 * nt: flat, cum by type */
	uint32_t *order;	/* union ids of its nodes, in graph order */
	size_t norder;
	size_t ne, cape;
	uint32_t *eid;		/* union edge ids */
	double *ev;		/* cape * nt */
	bool imported;
};

/* The computed union, kept for --fail-if. */
struct res {
	bool ready, values;
	size_t nt;
	uint32_t *tname, *tunit;	/* strtab ids; type 0 is the one shown */
	size_t n, ne;
	double *vb, *vn;	/* n * nt * 2: base and new flat, cum */
	unsigned char *pb, *pn;	/* present in the base, in the new one */
	double *tb, *tn;	/* totals by type */
	double *eb, *en;	/* ne * nt */
	unsigned char *epb, *epn;
	unsigned char *cls, *ecls;
	unsigned char *trend;	/* n, with more than two snapshots */
	uint32_t *grew;
	double *slope;
};

struct diff {
	struct diff_opts o;
	struct strtab str;
	struct pair *pairs;
	size_t npairs, cappairs;
	uint32_t *ids;
	size_t nids, capids;
	struct unode *un;
	size_t nun, capun;
	uint32_t *key2u;	/* strtab id -> union id */
	size_t capkey;
	struct uedge *ue;
	size_t nue, capue;
	struct hmap64 eindex;
	struct snap *snaps;
	size_t nsnaps, capsnaps;
	/* Of the latest snapshot. */
	uint32_t gname;
	struct run root, decl[3];	/* AGRAPH, AGNODE, AGEDGE */
	struct pair *subattrs;	/* (subgraph path, run index) */
	struct run *subruns;
	size_t nsub, capsub, capsubruns;
	struct hmap64 subindex;	/* path id -> subattrs index */
	struct res r;
	/* Scratch. */
	struct dotio_buf b;
	struct pair *tmp;
	size_t ntmp, captmp;
};

/* Are series and trends wanted: --trend, or more than two snapshots? */
static bool
want_trend(const struct diff *df)
{
	return df->o.trend || df->nsnaps > 2;
}

/* ---------------------------------------------------------------- */
/* Attributes graphdiff owns: data it computes, the look it derives. */

static const char *const owned_any[] = {
	"cum", "flat", "diff", "trend", "grew", "slope", "focus_flow",
	"context", "residual", "inline", "tag", "tag_of", "tag_value",
	"tag_cum", NULL,
};
static const char *const owned_visual[] = {
	"label", "fontsize", "shape", "tooltip", "color", "fillcolor",
	"style", "weight", "penwidth", "labeltooltip", "minlen",
	"peripheries", "fontcolor", NULL,
};
static const char *const owned_prefix[] = {
	"cum_", "flat_", "base_", "delta_", "series_", NULL,
};
static const char *const owned_root[] = {
	"total", "sample_type", "sample_types", "unit", "diff_mode",
	"snapshots", "nodecount", "dropped_nodes", "dropped_edges",
	"candidate_nodes", "node_fraction", "edge_fraction", "normalized",
	"node_cutoff", "edge_cutoff",
	"tool", "source", "imported", NULL,
};
static const char *const owned_root_prefix[] = {
	"total_", "unit_", "base_", "delta_", "series_", NULL,
};

static bool
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static bool
has_prefix(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strncmp(s, *l, strlen(*l)) == 0)
			return true;
	return false;
}

/* Does graphdiff set attribute name of kind itself?  With values the
 * look is derived again; without, it is the graphs'. */
static bool
owned(int kind, const char *name, bool values)
{
	if (kind == AGRAPH)
		return in_list(owned_root, name) ||
		    has_prefix(owned_root_prefix, name);
	return in_list(owned_any, name) || has_prefix(owned_prefix, name) ||
	    (values && in_list(owned_visual, name));
}

/* ---------------------------------------------------------------- */
/* Small tools. */

static int
grow(void *arr, size_t *cap, size_t need, size_t elsize)
{
	return mem_reserve(arr, cap, need, elsize);
}

static uint32_t
intern(struct diff *df, const char *s)
{
	return strtab_intern_cstr(&df->str, s);
}

static const char *
str(const struct diff *df, uint32_t id)
{
	return strtab_str(&df->str, id);
}

/* Add the non-owned attributes of obj (kind) to df->tmp. */
static int
collect_attrs(struct diff *df, Agraph_t *g, void *obj, int kind,
    Agsym_t **syms, size_t nsyms)
{
	size_t i;

	(void)g;
	(void)kind;
	df->ntmp = 0;
	for (i = 0; i < nsyms; i++) {
		const char *v = agxget(obj, syms[i]);
		uint32_t nid, vid;

		if (v == NULL || strcmp(v, syms[i]->defval) == 0)
			continue;
		if ((nid = intern(df, syms[i]->name)) == STRTAB_NONE ||
		    (vid = intern(df, v)) == STRTAB_NONE ||
		    grow(&df->tmp, &df->captmp, df->ntmp + 1,
		    sizeof *df->tmp) != 0)
			return -1;
		df->tmp[df->ntmp].name = nid;
		df->tmp[df->ntmp].value = vid;
		df->ntmp++;
	}
	return 0;
}

/* Make *r the run of df->tmp, reusing it when it is the same. */
static int
store_attrs(struct diff *df, struct run *r)
{
	if (r->n == df->ntmp && (df->ntmp == 0 ||
	    memcmp(&df->pairs[r->off], df->tmp,
	    df->ntmp * sizeof *df->tmp) == 0))
		return 0;
	if (grow(&df->pairs, &df->cappairs, df->npairs + df->ntmp,
	    sizeof *df->pairs) != 0)
		return -1;
	if (df->ntmp > 0)
		memcpy(&df->pairs[df->npairs], df->tmp,
		    df->ntmp * sizeof *df->tmp);
	r->off = (uint32_t)df->npairs;
	r->n = (uint32_t)df->ntmp;
	df->npairs += df->ntmp;
	return 0;
}

/* The symbols of kind in g that graphdiff does not own. */
static int
kept_syms(Agraph_t *g, int kind, bool values, Agsym_t ***out, size_t *n)
{
	Agsym_t *a = NULL;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while ((a = agnxtattr(g, kind, a)) != NULL) {
		if (owned(kind, a->name, values))
			continue;
		if (grow(out, &cap, *n + 1, sizeof **out) != 0)
			return -1;
		(*out)[(*n)++] = a;
	}
	return 0;
}

/* ---------------------------------------------------------------- */

struct diff *
diff_new(const struct diff_opts *o, struct diag *d)
{
	struct diff *df = calloc(1, sizeof *df);

	if (df == NULL || strtab_init(&df->str) != 0) {
		free(df);
		diag_nomem(d);
		return NULL;
	}
	df->o = *o;
	df->eindex = (struct hmap64)HMAP64_INIT;
	df->subindex = (struct hmap64)HMAP64_INIT;
	return df;
}

static void
res_free(struct res *r)
{
	free(r->tname);
	free(r->tunit);
	free(r->vb);
	free(r->vn);
	free(r->pb);
	free(r->pn);
	free(r->tb);
	free(r->tn);
	free(r->eb);
	free(r->en);
	free(r->epb);
	free(r->epn);
	free(r->cls);
	free(r->ecls);
	free(r->trend);
	free(r->grew);
	free(r->slope);
	memset(r, 0, sizeof *r);
}

void
diff_free(struct diff *df)
{
	size_t i;

	if (df == NULL)
		return;
	for (i = 0; i < df->nsnaps; i++) {
		struct snap *s = &df->snaps[i];

		free(s->types);
		free(s->units);
		free(s->totals);
		free(s->present);
		free(s->v);
		free(s->order);
		free(s->eid);
		free(s->ev);
	}
	free(df->snaps);
	strtab_free(&df->str);
	free(df->pairs);
	free(df->ids);
	free(df->un);
	free(df->key2u);
	free(df->ue);
	hmap64_free(&df->eindex);
	free(df->subattrs);
	free(df->subruns);
	hmap64_free(&df->subindex);
	res_free(&df->r);
	dotio_buf_free(&df->b);
	free(df->tmp);
	free(df);
}

size_t
diff_count(const struct diff *df)
{
	return df->nsnaps;
}

/* ---------------------------------------------------------------- */
/* Reading a snapshot. */

/* The snapshot's sample types, units and totals. */
static int
snap_types(struct diff *df, struct snap *s, Agraph_t *g)
{
	const char *st = dotio_get(g, "sample_type");
	const char *sts = dotio_get(g, "sample_types");
	struct dotio_buf *b = &df->b;
	size_t cap = 0, i;
	char name[300];

	s->type = intern(df, st != NULL ? st : "");
	if (s->type == STRTAB_NONE)
		return -1;
	dotio_buf_reset(b);
	if (sts != NULL && dotio_decode(b, sts) != 0)
		return -1;
	if (sts != NULL && b->len > 0) {
		const char *p = b->s;

		while (*p != '\0') {
			size_t len = strcspn(p, ",");
			uint32_t id;
			char *t;

			if ((t = strndup(p, len)) == NULL)
				return -1;
			id = intern(df, t);
			free(t);
			if (id == STRTAB_NONE ||
			    grow(&s->types, &cap, s->nt + 1,
			    sizeof *s->types) != 0)
				return -1;
			s->types[s->nt++] = id;
			p += len;
			if (*p == ',')
				p++;
		}
	}
	/* A graph without sample_types shows one type: its own. */
	if (s->nt == 0) {
		if ((s->types = malloc(sizeof *s->types)) == NULL)
			return -1;
		s->types[0] = s->type;
		s->nt = 1;
	}
	s->units = mem_calloc(s->nt, sizeof *s->units);
	s->totals = mem_calloc(s->nt, sizeof *s->totals);
	if (s->units == NULL || s->totals == NULL)
		return -1;
	for (i = 0; i < s->nt; i++) {
		const char *tn = str(df, s->types[i]);
		const char *u;
		int64_t t;
		bool own = s->types[i] == s->type;

		snprintf(name, sizeof name, "unit_%s", tn);
		u = *tn != '\0' ? dotio_get(g, name) : NULL;
		if (u == NULL && own)
			u = dotio_get(g, "unit");
		/* intern may move the strings tn points into: done with tn
		 * first. */
		snprintf(name, sizeof name, "total_%s", tn);
		if ((*tn != '\0' && dotio_get_int(g, name, &t) == 1) ||
		    (own && dotio_get_int(g, "total", &t) == 1))
			s->totals[i] = (double)t;
		else
			s->totals[i] = NAN;	/* the sum of flat, later */
		if ((s->units[i] = intern(df, u != NULL ? u : "")) ==
		    STRTAB_NONE)
			return -1;
	}
	return 0;
}

/* The value attributes of type i: flat and cum of nodes, cum of edges. */
static void
type_syms(const struct diff *df, const struct snap *s, Agraph_t *g, size_t i,
    Agsym_t **nflat, Agsym_t **ncum, Agsym_t **ecum)
{
	const char *tn = str(df, s->types[i]);
	char name[300];

	*nflat = *ncum = *ecum = NULL;
	if (*tn != '\0') {
		snprintf(name, sizeof name, "flat_%s", tn);
		*nflat = agattr(g, AGNODE, name, NULL);
		snprintf(name, sizeof name, "cum_%s", tn);
		*ncum = agattr(g, AGNODE, name, NULL);
		*ecum = agattr(g, AGEDGE, name, NULL);
	}
	if (s->types[i] == s->type) {
		if (*ncum == NULL) {
			*nflat = agattr(g, AGNODE, "flat", NULL);
			*ncum = agattr(g, AGNODE, "cum", NULL);
		}
		if (*ecum == NULL)
			*ecum = agattr(g, AGEDGE, "cum", NULL);
	}
}

/* The key of node n as o->match says, in df->b (NUL-terminated). */
static int
node_key(struct diff *df, enum diff_match m, Agnode_t *n, Agsym_t *func,
    Agsym_t *label)
{
	struct dotio_buf *b = &df->b;
	const char *v;

	dotio_buf_reset(b);
	if (m == DIFF_MATCH_FUNC && (v = dotio_xget(n, func)) != NULL)
		return dotio_buf_add(b, v, strlen(v) + 1);
	if (m == DIFF_MATCH_LABEL && (v = dotio_xget(n, label)) != NULL &&
	    strcmp(v, "\\N") != 0) {
		/* The name lines: up to the first line with a value. */
		const char *p = v, *end = v + strlen(v);

		if (*v != '<') {
			while (p < end) {
				const char *nl = strstr(p, "\\n");
				const char *q = p;

				if (*q == '-' || *q == '+')
					q++;
				if (*q >= '0' && *q <= '9')
					break;
				p = nl != NULL ? nl + 2 : end;
			}
			if (p == v)
				p = end;	/* all values: keep it whole */
			else if (p < end)
				p -= 2;		/* drop the "\n" before it */
		} else {
			p = end;
		}
		if (dotio_buf_add(b, v, (size_t)(p - v)) != 0)
			return -1;
		return dotio_buf_add(b, "", 1);
	}
	v = agnameof(n);
	return dotio_buf_add(b, v, strlen(v) + 1);
}

/* The union id of key in df->b, a new one if needed. */
static uint32_t
union_node(struct diff *df)
{
	uint32_t k = intern(df, df->b.s), u;

	if (k == STRTAB_NONE)
		return NONE;
	if ((size_t)k >= df->capkey) {
		size_t old = df->capkey, i;

		if (grow(&df->key2u, &df->capkey, (size_t)k + 1,
		    sizeof *df->key2u) != 0)
			return NONE;
		for (i = old; i < df->capkey; i++)
			df->key2u[i] = NONE;
	}
	if ((u = df->key2u[k]) != NONE)
		return u;
	if (grow(&df->un, &df->capun, df->nun + 1, sizeof *df->un) != 0)
		return NONE;
	u = (uint32_t)df->nun++;
	memset(&df->un[u], 0, sizeof df->un[u]);
	df->un[u].key = k;
	df->key2u[k] = u;
	return u;
}

static uint32_t
union_edge(struct diff *df, uint32_t t, uint32_t h)
{
	uint64_t key = (uint64_t)t << 32 | h;
	uint32_t e = hmap64_find(&df->eindex, key);

	if (e != HMAP_NONE)
		return e;
	if (grow(&df->ue, &df->capue, df->nue + 1, sizeof *df->ue) != 0 ||
	    hmap64_add(&df->eindex, key, (uint32_t)df->nue) != 0)
		return NONE;
	e = (uint32_t)df->nue++;
	memset(&df->ue[e], 0, sizeof df->ue[e]);
	df->ue[e].tail = t;
	df->ue[e].head = h;
	return e;
}

/* A subgraph path "parent\x1fchild", interned. */
static uint32_t
sub_path(struct diff *df, uint32_t parent, Agraph_t *s)
{
	struct dotio_buf *b = &df->b;

	dotio_buf_reset(b);
	if (parent != NONE && (dotio_buf_add(b, str(df, parent),
	    strlen(str(df, parent))) != 0 || dotio_buf_add(b, "\x1f", 1) != 0))
		return STRTAB_NONE;
	if (dotio_buf_add(b, agnameof(s), strlen(agnameof(s)) + 1) != 0)
		return STRTAB_NONE;
	return intern(df, b->s);
}

struct member {
	uint32_t u, path;
};

/* Record the subgraphs of g (not the legend) and who is in them. */
static int
walk_subgraphs(struct diff *df, Agraph_t *g, uint32_t parent,
    const uint32_t *seqmap, struct member **m, size_t *nm, size_t *capm,
    Agsym_t **gsyms, size_t ngsyms)
{
	Agraph_t *s;
	Agnode_t *n;

	for (s = agfstsubg(g); s != NULL; s = agnxtsubg(s)) {
		uint32_t path, idx;

		if (parent == NONE && strcmp(agnameof(s), LEGEND) == 0)
			continue;
		if ((path = sub_path(df, parent, s)) == STRTAB_NONE)
			return -1;
		/* Its attributes, as the latest snapshot has them. */
		if (collect_attrs(df, s, s, AGRAPH, gsyms, ngsyms) != 0)
			return -1;
		idx = hmap64_find(&df->subindex, path);
		if (idx == HMAP_NONE) {
			if (grow(&df->subattrs, &df->capsub, df->nsub + 1,
			    sizeof *df->subattrs) != 0 ||
			    grow(&df->subruns, &df->capsubruns, df->nsub + 1,
			    sizeof *df->subruns) != 0 ||
			    hmap64_add(&df->subindex, path,
			    (uint32_t)df->nsub) != 0)
				return -1;
			idx = (uint32_t)df->nsub++;
			df->subattrs[idx].name = path;
			df->subattrs[idx].value = parent;
			memset(&df->subruns[idx], 0, sizeof df->subruns[idx]);
		}
		if (store_attrs(df, &df->subruns[idx]) != 0)
			return -1;
		for (n = agfstnode(s); n != NULL; n = agnxtnode(s, n)) {
			uint32_t u = seqmap[AGSEQ(n)];

			if (u == NONE)
				continue;
			if (grow(m, capm, *nm + 1, sizeof **m) != 0)
				return -1;
			(*m)[*nm].u = u;
			(*m)[(*nm)++].path = path;
		}
		if (walk_subgraphs(df, s, path, seqmap, m, nm, capm, gsyms,
		    ngsyms) != 0)
			return -1;
	}
	return 0;
}

static int
member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->u != y->u)
		return x->u < y->u ? -1 : 1;
	return x->path < y->path ? -1 : x->path > y->path;
}

/* The subgraph runs of the nodes of the snapshot. */
static int
record_subgraphs(struct diff *df, Agraph_t *g, const uint32_t *seqmap,
    const struct snap *s, bool values)
{
	struct member *m = NULL;
	size_t nm = 0, capm = 0, i, j, ngsyms;
	Agsym_t **gsyms;
	int rc = -1;

	if (kept_syms(g, AGRAPH, values, &gsyms, &ngsyms) != 0)
		return -1;
	/* Subgraphs own their label and style: keep them. */
	free(gsyms);
	{
		Agsym_t *a = NULL;
		size_t cap = 0;

		gsyms = NULL;
		ngsyms = 0;
		while ((a = agnxtattr(g, AGRAPH, a)) != NULL) {
			if (grow(&gsyms, &cap, ngsyms + 1,
			    sizeof *gsyms) != 0)
				goto out;
			gsyms[ngsyms++] = a;
		}
	}
	if (walk_subgraphs(df, g, NONE, seqmap, &m, &nm, &capm, gsyms,
	    ngsyms) != 0)
		goto out;
	if (nm > 0)
		qsort(m, nm, sizeof *m, member_cmp);
	/* Every node of the snapshot gets its runs, empty ones too. */
	for (i = 0; i < s->norder; i++)
		df->un[s->order[i]].subg.n = 0;
	for (i = 0; i < nm; i = j) {
		struct unode *un = &df->un[m[i].u];

		for (j = i; j < nm && m[j].u == m[i].u; j++)
			;
		if (grow(&df->ids, &df->capids, df->nids + (j - i),
		    sizeof *df->ids) != 0)
			goto out;
		un->subg.off = (uint32_t)df->nids;
		un->subg.n = 0;
		for (size_t k = i; k < j; k++)
			if (k == i || m[k].path != m[k - 1].path) {
				df->ids[df->nids++] = m[k].path;
				un->subg.n++;
			}
	}
	rc = 0;
out:
	free(m);
	free(gsyms);
	return rc;
}

/* The declarations (defaults) and root attributes of g. */
static int
record_root(struct diff *df, Agraph_t *g, bool values)
{
	static const int kinds[3] = { AGRAPH, AGNODE, AGEDGE };
	Agsym_t **syms;
	size_t n, i, k;

	for (k = 0; k < 3; k++) {
		Agsym_t *a = NULL;

		df->ntmp = 0;
		while ((a = agnxtattr(g, kinds[k], a)) != NULL) {
			uint32_t nid, vid;

			if (owned(kinds[k], a->name, values) ||
			    *a->defval == '\0')
				continue;
			if ((nid = intern(df, a->name)) == STRTAB_NONE ||
			    (vid = intern(df, a->defval)) == STRTAB_NONE ||
			    grow(&df->tmp, &df->captmp, df->ntmp + 1,
			    sizeof *df->tmp) != 0)
				return -1;
			df->tmp[df->ntmp].name = nid;
			df->tmp[df->ntmp++].value = vid;
		}
		if (store_attrs(df, &df->decl[k]) != 0)
			return -1;
	}
	if (kept_syms(g, AGRAPH, values, &syms, &n) != 0)
		return -1;
	df->ntmp = 0;
	for (i = 0; i < n; i++) {
		const char *v = agget(g, syms[i]->name);
		uint32_t nid, vid;

		if (v == NULL || *v == '\0')
			continue;
		if ((nid = intern(df, syms[i]->name)) == STRTAB_NONE ||
		    (vid = intern(df, v)) == STRTAB_NONE ||
		    grow(&df->tmp, &df->captmp, df->ntmp + 1,
		    sizeof *df->tmp) != 0) {
			free(syms);
			return -1;
		}
		df->tmp[df->ntmp].name = nid;
		df->tmp[df->ntmp++].value = vid;
	}
	free(syms);
	if (store_attrs(df, &df->root) != 0)
		return -1;
	df->gname = intern(df, agnameof(g));
	return df->gname == STRTAB_NONE ? -1 : 0;
}

static int
add_snapshot(struct diff *df, Agraph_t *g, const char *file, struct diag *d)
{
	struct snap *s;
	Agsym_t *tag_of = agattr(g, AGNODE, "tag_of", NULL);
	Agsym_t *func = agattr(g, AGNODE, "func", NULL);
	Agsym_t *label = agattr(g, AGNODE, "label", NULL);
	Agsym_t *eres = agattr(g, AGEDGE, "residual", NULL);
	Agsym_t *einl = agattr(g, AGEDGE, "inline", NULL);
	Agraph_t *legend = agsubg(g, LEGEND, 0);
	Agsym_t **nflat = NULL, **ncum = NULL, **ecum = NULL;
	Agsym_t **nsyms = NULL, **esyms = NULL;
	size_t nns = 0, nes = 0, maxseq = 0, i, capo = 0;
	uint32_t *seqmap = NULL, *slot = NULL;
	enum diff_match m = df->o.match;
	const char *src;
	Agnode_t *n;
	Agedge_t *e;
	int rc = -1;

	if (grow(&df->snaps, &df->capsnaps, df->nsnaps + 1,
	    sizeof *df->snaps) != 0)
		goto nomem;
	s = &df->snaps[df->nsnaps];
	memset(s, 0, sizeof *s);
	df->nsnaps++;
	s->imported = dotio_get(g, "imported") != NULL;
	if (m == DIFF_MATCH_AUTO)
		m = s->imported ? DIFF_MATCH_FUNC : DIFF_MATCH_ID;
	src = dotio_get(g, "source");
	if ((s->source = intern(df, src != NULL ? src : file)) ==
	    STRTAB_NONE || (s->file = intern(df, file)) == STRTAB_NONE ||
	    snap_types(df, s, g) != 0)
		goto nomem;
	/* A graph of an empty profile has no node with a value, but its
	 * total says it has values (0). */
	s->values = agattr(g, AGNODE, "cum", NULL) != NULL ||
	    dotio_get(g, "total") != NULL;
	if (df->nsnaps > 1 && s->values != df->snaps[0].values) {
		diag_set(d, "%s: %s values (cum) and %s does%s", file,
		    s->values ? "has" : "has no", str(df, df->snaps[0].file),
		    s->values ? " not" : "");
		goto fail;
	}
	nflat = mem_calloc(s->nt, sizeof *nflat);
	ncum = mem_calloc(s->nt, sizeof *ncum);
	ecum = mem_calloc(s->nt, sizeof *ecum);
	if (nflat == NULL || ncum == NULL || ecum == NULL)
		goto nomem;
	for (i = 0; i < s->nt; i++)
		type_syms(df, s, g, i, &nflat[i], &ncum[i], &ecum[i]);
	if (kept_syms(g, AGNODE, s->values, &nsyms, &nns) != 0 ||
	    kept_syms(g, AGEDGE, s->values, &esyms, &nes) != 0)
		goto nomem;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n))
		if ((size_t)AGSEQ(n) > maxseq)
			maxseq = (size_t)AGSEQ(n);
	if ((seqmap = mem_calloc(maxseq + 1, sizeof *seqmap)) == NULL)
		goto nomem;
	/* Nodes: keys, presence, attributes. */
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		uint32_t u;

		seqmap[AGSEQ(n)] = NONE;
		if ((tag_of != NULL && dotio_xget(n, tag_of) != NULL) ||
		    (legend != NULL && agsubnode(legend, n, 0) != NULL))
			continue;
		if (node_key(df, m, n, func, label) != 0 ||
		    (u = union_node(df)) == NONE)
			goto nomem;
		seqmap[AGSEQ(n)] = u;
		if (grow(&s->order, &capo, s->norder + 1,
		    sizeof *s->order) != 0 ||
		    collect_attrs(df, g, n, AGNODE, nsyms, nns) != 0 ||
		    store_attrs(df, &df->un[u].attrs) != 0)
			goto nomem;
		s->order[s->norder++] = u;
	}
	/* Values, by union id. */
	s->nu = df->nun;
	s->present = mem_calloc(s->nu + 1, 1);
	s->v = mem_calloc(s->nu + 1, 2 * s->nt * sizeof *s->v);
	if (s->present == NULL || s->v == NULL)
		goto nomem;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		uint32_t u = seqmap[AGSEQ(n)];

		if (u == NONE)
			continue;
		if (s->present[u]) {
			Agnode_t *o = agfstnode(g);

			while (o != n && seqmap[AGSEQ(o)] != u)
				o = agnxtnode(g, o);
			diag_set(d, "%s: nodes %s and %s have the same key %s; "
			    "match them with --match id", file, agnameof(o),
			    agnameof(n), str(df, df->un[u].key));
			goto fail;
		}
		s->present[u] = 1;
		for (i = 0; i < s->nt; i++) {
			int64_t v;

			if (dotio_xget_int(n, nflat[i], &v) == 1)
				s->v[(u * s->nt + i) * 2] = (double)v;
			if (dotio_xget_int(n, ncum[i], &v) == 1)
				s->v[(u * s->nt + i) * 2 + 1] = (double)v;
		}
	}
	/* Edges.  Parallel edges (same tail, same head) add up, with the
	 * first one's look: slot[head] is the edge's place + 1 while its
	 * tail's edges are read. */
	if ((slot = mem_calloc(s->nu + 1, sizeof *slot)) == NULL)
		goto nomem;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		uint32_t t = seqmap[AGSEQ(n)];

		if (t == NONE)
			continue;
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e)) {
			uint32_t h = seqmap[AGSEQ(aghead(e))], ue;
			size_t k;
			const char *f;

			if (h == NONE)
				continue;
			if ((ue = union_edge(df, t, h)) == NONE)
				goto nomem;
			k = slot[h];
			if (k == 0) {
				if (grow(&s->eid, &s->cape, s->ne + 1,
				    sizeof *s->eid) != 0 ||
				    (s->ev = mem_realloc_array(s->ev,
				    s->cape, s->nt * sizeof *s->ev)) == NULL)
					goto nomem;
				s->eid[s->ne] = ue;
				memset(&s->ev[s->ne * s->nt], 0,
				    s->nt * sizeof *s->ev);
				k = ++s->ne;
				slot[h] = (uint32_t)k;
				if (collect_attrs(df, g, e, AGEDGE, esyms,
				    nes) != 0 ||
				    store_attrs(df, &df->ue[ue].attrs) != 0)
					goto nomem;
				f = dotio_xget(e, eres);
				df->ue[ue].residual = f != NULL &&
				    strcmp(f, "true") == 0;
				f = dotio_xget(e, einl);
				df->ue[ue].inl = f != NULL &&
				    strcmp(f, "true") == 0;
			}
			for (i = 0; i < s->nt; i++) {
				int64_t v;

				if (dotio_xget_int(e, ecum[i], &v) == 1)
					s->ev[(k - 1) * s->nt + i] += (double)v;
			}
		}
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e))
			if (seqmap[AGSEQ(aghead(e))] != NONE)
				slot[seqmap[AGSEQ(aghead(e))]] = 0;
	}
	/* Totals the graph does not give: the sum of flat. */
	for (i = 0; i < s->nt; i++)
		if (isnan(s->totals[i])) {
			double t = 0;

			for (size_t u = 0; u < s->nu; u++)
				t += s->v[(u * s->nt + i) * 2];
			s->totals[i] = t;
		}
	if (record_subgraphs(df, g, seqmap, s, s->values) != 0 ||
	    record_root(df, g, s->values) != 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
fail:
	rc = -1;
out:
	free(nflat);
	free(ncum);
	free(ecum);
	free(nsyms);
	free(esyms);
	free(seqmap);
	free(slot);
	return rc;
}

int
diff_add(struct diff *df, Agraph_t *g, const char *file, struct diag *d)
{
	if (agattr(g, AGNODE, "delta_cum", NULL) != NULL ||
	    dotio_get(g, "diff_mode") != NULL) {
		diag_set(d, "%s: the graph is already a diff (delta_cum); "
		    "compare the graphs it was made from", file);
		return -1;
	}
	df->r.ready = false;
	return add_snapshot(df, g, file, d);
}

/* ---------------------------------------------------------------- */
/* The union's values. */

/* Index of type name t in s, or -1. */
static long
type_index(const struct snap *s, uint32_t t)
{
	size_t i;

	for (i = 0; i < s->nt; i++)
		if (s->types[i] == t)
			return (long)i;
	return -1;
}

/* The types shown: the selected one first, then those all snapshots
 * have, in the last one's order. */
static int
pick_types(struct diff *df, struct diag *d)
{
	struct snap *last = &df->snaps[df->nsnaps - 1];
	struct res *r = &df->r;
	uint32_t sel;
	size_t i, j;

	if (df->o.sample_type != NULL) {
		if ((sel = intern(df, df->o.sample_type)) == STRTAB_NONE)
			goto nomem;
	} else {
		sel = last->type;
		for (i = 0; i + 1 < df->nsnaps; i++)
			if (df->snaps[i].type != sel) {
				diag_set(d, "%s: shows %s and %s shows %s; "
				    "pick the type to compare with -i",
				    str(df, df->snaps[i].file),
				    *str(df, df->snaps[i].type) != '\0' ?
				    str(df, df->snaps[i].type) : "no type",
				    str(df, last->file),
				    *str(df, sel) != '\0' ? str(df, sel) :
				    "no type");
				return -1;
			}
	}
	for (i = 0; i < df->nsnaps; i++)
		if (type_index(&df->snaps[i], sel) < 0) {
			struct dotio_buf *b = &df->b;
			struct snap *s = &df->snaps[i];

			dotio_buf_reset(b);
			for (j = 0; j < s->nt; j++)
				if (dotio_buf_addf(b, "%s%s", j > 0 ? ", " :
				    "", str(df, s->types[j])) != 0)
					goto nomem;
			diag_set(d, "%s: no sample type %s (it has %s)",
			    str(df, s->file), str(df, sel),
			    b->len > 0 ? b->s : "none");
			return -1;
		}
	r->tname = mem_calloc(last->nt, sizeof *r->tname);
	r->tunit = mem_calloc(last->nt, sizeof *r->tunit);
	if (r->tname == NULL || r->tunit == NULL)
		goto nomem;
	r->tname[r->nt++] = sel;
	for (i = 0; i < last->nt; i++) {
		bool all = last->types[i] != sel;

		for (j = 0; j < df->nsnaps && all; j++)
			all = type_index(&df->snaps[j], last->types[i]) >= 0;
		if (all)
			r->tname[r->nt++] = last->types[i];
	}
	for (i = 0; i < r->nt; i++) {
		r->tunit[i] = last->units[type_index(last, r->tname[i])];
		for (j = 0; j < df->nsnaps; j++) {
			struct snap *s = &df->snaps[j];
			uint32_t u = s->units[type_index(s, r->tname[i])];

			if (i == 0 && u != r->tunit[0] &&
			    *str(df, u) != '\0' && *str(df, r->tunit[0]) != '\0') {
				diag_set(d, "%s: measures %s in %s and %s in "
				    "%s", str(df, s->file),
				    str(df, r->tname[0]), str(df, u),
				    str(df, last->file),
				    str(df, r->tunit[0]));
				return -1;
			}
		}
	}
	return 0;
nomem:
	diag_nomem(d);
	return -1;
}

/* Snapshot s's values of type t for union node u (0s when absent). */
static void
snap_node(const struct snap *s, long ti, double scale, size_t u,
    double *flat, double *cum)
{
	*flat = *cum = 0;
	if (u < s->nu && s->present[u]) {
		*flat = s->v[(u * s->nt + (size_t)ti) * 2] * scale;
		*cum = s->v[(u * s->nt + (size_t)ti) * 2 + 1] * scale;
	}
}

/* --normalize: the factor that scales snapshot s's type t to the last
 * snapshot's total. */
static double
scale_of(const struct diff *df, const struct snap *s, long ti, long tlast)
{
	const struct snap *last = &df->snaps[df->nsnaps - 1];

	if (!df->o.normalize || s->totals[ti] == 0)
		return 1;
	return last->totals[tlast] / s->totals[ti];
}

static enum cls
classify(bool pb, bool pn, double dcum, double dflat, double eps)
{
	if (!pb && pn)
		return CLS_ADDED;
	if (pb && !pn)
		return CLS_REMOVED;
	if (!pb && !pn)
		return CLS_SAME;
	if (fabs(dcum) <= eps && fabs(dflat) <= eps)
		return CLS_SAME;
	if (dcum > eps || (fabs(dcum) <= eps && dflat > 0))
		return CLS_GROWN;
	return CLS_SHRUNK;
}

/* The largest |total| of the selected type over the snapshots. */
static double
max_total(const struct diff *df)
{
	double m = 0;
	size_t i;

	for (i = 0; i < df->nsnaps; i++) {
		const struct snap *s = &df->snaps[i];
		long ti = type_index(s, df->r.tname[0]);

		m = fmax(m, fabs(s->totals[ti] * scale_of(df, s, ti,
		    type_index(&df->snaps[df->nsnaps - 1], df->r.tname[0]))));
	}
	return m;
}

/* The series of node u's cum (selected type), absent = 0, into v. */
static void
series(const struct diff *df, size_t u, double *v, bool *present)
{
	const struct snap *last = &df->snaps[df->nsnaps - 1];
	long tl = type_index(last, df->r.tname[0]);
	size_t i;

	for (i = 0; i < df->nsnaps; i++) {
		const struct snap *s = &df->snaps[i];
		long ti = type_index(s, df->r.tname[0]);
		double flat;

		snap_node(s, ti, scale_of(df, s, ti, tl), u, &flat, &v[i]);
		if (present != NULL)
			present[i] = u < s->nu && s->present[u];
	}
}

static int
compute(struct diff *df, struct diag *d)
{
	struct res *r = &df->r;
	const struct snap *base = &df->snaps[0];
	const struct snap *last = &df->snaps[df->nsnaps - 1];
	size_t nt, n = df->nun, ne = df->nue, u, t, i, k, N = df->nsnaps;
	double eps;
	double *v = NULL;
	bool *pres = NULL;

	res_free(r);
	if (pick_types(df, d) != 0)
		return -1;
	nt = r->nt;
	r->values = base->values;
	r->n = n;
	r->ne = ne;
	r->vb = mem_calloc(n + 1, nt * 2 * sizeof *r->vb);
	r->vn = mem_calloc(n + 1, nt * 2 * sizeof *r->vn);
	r->pb = mem_calloc(n + 1, 1);
	r->pn = mem_calloc(n + 1, 1);
	r->tb = mem_calloc(nt, sizeof *r->tb);
	r->tn = mem_calloc(nt, sizeof *r->tn);
	r->eb = mem_calloc(ne + 1, nt * sizeof *r->eb);
	r->en = mem_calloc(ne + 1, nt * sizeof *r->en);
	r->epb = mem_calloc(ne + 1, 1);
	r->epn = mem_calloc(ne + 1, 1);
	r->cls = mem_calloc(n + 1, 1);
	r->ecls = mem_calloc(ne + 1, 1);
	if (r->vb == NULL || r->vn == NULL || r->pb == NULL ||
	    r->pn == NULL || r->tb == NULL || r->tn == NULL ||
	    r->eb == NULL || r->en == NULL || r->epb == NULL ||
	    r->epn == NULL || r->cls == NULL || r->ecls == NULL)
		goto nomem;
	for (t = 0; t < nt; t++) {
		long tb = type_index(base, r->tname[t]);
		long tn = type_index(last, r->tname[t]);
		double sb = scale_of(df, base, tb, tn);

		r->tb[t] = base->totals[tb] * sb;
		r->tn[t] = last->totals[tn];
		for (u = 0; u < n; u++) {
			snap_node(base, tb, sb, u, &r->vb[(u * nt + t) * 2],
			    &r->vb[(u * nt + t) * 2 + 1]);
			snap_node(last, tn, 1, u, &r->vn[(u * nt + t) * 2],
			    &r->vn[(u * nt + t) * 2 + 1]);
		}
		for (i = 0; i < base->ne; i++) {
			r->eb[base->eid[i] * nt + t] =
			    base->ev[i * base->nt + (size_t)tb] * sb;
			r->epb[base->eid[i]] = 1;
		}
		for (i = 0; i < last->ne; i++) {
			r->en[last->eid[i] * nt + t] =
			    last->ev[i * last->nt + (size_t)tn];
			r->epn[last->eid[i]] = 1;
		}
	}
	for (u = 0; u < n; u++) {
		r->pb[u] = u < base->nu && base->present[u];
		r->pn[u] = u < last->nu && last->present[u];
	}
	eps = df->o.threshold * fmax(fabs(r->tb[0]), fabs(r->tn[0]));
	for (u = 0; u < n; u++)
		r->cls[u] = (unsigned char)classify(r->pb[u], r->pn[u],
		    r->vn[u * nt * 2 + 1] - r->vb[u * nt * 2 + 1],
		    r->vn[u * nt * 2] - r->vb[u * nt * 2], eps);
	for (i = 0; i < ne; i++)
		r->ecls[i] = (unsigned char)classify(r->epb[i], r->epn[i],
		    r->en[i * nt] - r->eb[i * nt], 0, eps);
	if (want_trend(df)) {
		r->trend = mem_calloc(n + 1, 1);
		r->grew = mem_calloc(n + 1, sizeof *r->grew);
		r->slope = mem_calloc(n + 1, sizeof *r->slope);
		v = mem_calloc(N, sizeof *v);
		pres = mem_calloc(N, sizeof *pres);
		if (r->trend == NULL || r->grew == NULL || r->slope == NULL ||
		    v == NULL || pres == NULL)
			goto nomem;
		eps = df->o.threshold * max_total(df);
		for (u = 0; u < n; u++) {
			size_t up = 0, down = 0, seen = 0;
			double mx = (double)(N - 1) / 2, sxy = 0, sxx = 0, my = 0;
			long tol = df->o.tolerance;

			series(df, u, v, pres);
			for (k = 0; k < N; k++) {
				my += v[k];
				seen += pres[k];
			}
			my /= (double)N;
			for (k = 0; k < N; k++) {
				sxy += ((double)k - mx) * (v[k] - my);
				sxx += ((double)k - mx) * ((double)k - mx);
				if (k > 0 && v[k] - v[k - 1] > eps)
					up++;
				if (k > 0 && v[k] - v[k - 1] < -eps)
					down++;
			}
			r->grew[u] = (uint32_t)up;
			r->slope[u] = sxx > 0 ? sxy / sxx : 0;
			if (seen == 1 && pres[N - 1])
				r->trend[u] = TR_NEW;
			else if (!pres[N - 1])
				r->trend[u] = TR_GONE;
			else if ((long)up >= (long)(N - 1) - tol &&
			    v[N - 1] > v[0])
				r->trend[u] = TR_GROWING;
			else if ((long)down >= (long)(N - 1) - tol &&
			    v[N - 1] < v[0])
				r->trend[u] = TR_SHRINKING;
			else if (up == 0 && down == 0)
				r->trend[u] = TR_FLAT;
			else
				r->trend[u] = TR_MIXED;
		}
	}
	free(v);
	free(pres);
	r->ready = true;
	return 0;
nomem:
	free(v);
	free(pres);
	diag_nomem(d);
	return -1;
}

/* ---------------------------------------------------------------- */
/* Writing the result. */

/* The out symbol of attribute name (declared with default "" if new). */
static Agsym_t *
out_sym(Agraph_t *out, int kind, const char *name)
{
	return dotio_sym(out, kind, name, true);
}

static int
set_run(const struct diff *df, Agraph_t *out, void *obj, int kind,
    struct run r)
{
	uint32_t i;

	for (i = 0; i < r.n; i++) {
		const struct pair *p = &df->pairs[r.off + i];
		Agsym_t *a = out_sym(out, kind, str(df, p->name));

		if (a == NULL || dotio_xset(obj, a, str(df, p->value)) != 0)
			return -1;
	}
	return 0;
}

/* Values of one object: name, base_name, delta_name. */
struct vsyms {
	Agsym_t *v, *b, *dl;
};

static int
vsyms_init(Agraph_t *out, int kind, const char *stem, const char *type,
    struct vsyms *s)
{
	char name[320];

	snprintf(name, sizeof name, "%s%s%s", stem, *type ? "_" : "", type);
	s->v = out_sym(out, kind, name);
	snprintf(name, sizeof name, "base_%s%s%s", stem, *type ? "_" : "",
	    type);
	s->b = out_sym(out, kind, name);
	snprintf(name, sizeof name, "delta_%s%s%s", stem, *type ? "_" : "",
	    type);
	s->dl = out_sym(out, kind, name);
	return s->v == NULL || s->b == NULL || s->dl == NULL ? -1 : 0;
}

/*
 * Say that the value name of obj (a node, an edge or the root)
 * overflows a 64-bit integer; -1.
 */
static int
overflow(void *obj, const char *name, struct diag *d)
{
	switch (agobjkind(obj)) {
	case AGNODE:
		diag_set(d, "the %s of node %s overflows a 64-bit integer",
		    name, agnameof(obj));
		break;
	case AGEDGE:
		diag_set(d, "the %s of the edge %s -> %s overflows a 64-bit "
		    "integer", name, agnameof(agtail((Agedge_t *)obj)),
		    agnameof(aghead((Agedge_t *)obj)));
		break;
	default:
		diag_set(d, "the %s overflows a 64-bit integer", name);
		break;
	}
	return -1;
}

/*
 * A base value b, a new value n and their delta; 0, or -1 (with a
 * message in d when one of them overflows, never a wrapped number).
 */
static int
set_vals(void *obj, const struct vsyms *s, double b, double n,
    struct diag *d)
{
	int64_t ib, in, dl;

	if (vgraph_round(n, &in) != 0)
		return overflow(obj, s->v->name, d);
	if (vgraph_round(b, &ib) != 0)
		return overflow(obj, s->b->name, d);
	if (__builtin_sub_overflow(in, ib, &dl))
		return overflow(obj, s->dl->name, d);
	return dotio_xset_int(obj, s->v, in) != 0 ||
	    dotio_xset_int(obj, s->b, ib) != 0 ||
	    dotio_xset_int(obj, s->dl, dl) != 0 ? -1 : 0;
}

/*
 * A comma list of v (empty where absent), attribute name of obj; 0, or
 * -1 (with a message in d when a value overflows).
 */
static int
series_text(struct dotio_buf *b, const double *v, const bool *pres, size_t n,
    void *obj, const char *name, struct diag *d)
{
	size_t i;
	int64_t x;

	dotio_buf_reset(b);
	for (i = 0; i < n; i++) {
		if (i > 0 && dotio_buf_add(b, ",", 1) != 0)
			return -1;
		if (pres == NULL || pres[i]) {
			if (vgraph_round(v[i], &x) != 0)
				return overflow(obj, name, d);
			if (dotio_buf_addf(b, "%" PRId64, x) != 0)
				return -1;
		}
	}
	return dotio_buf_add(b, "", 1);
}

/* The root's attributes: the last snapshot's, then the diff's own. */
static int
write_root(struct diff *df, Agraph_t *out, const struct trim_result *tr,
    struct diag *d)
{
	struct res *r = &df->r;
	const struct snap *base = &df->snaps[0];
	const struct snap *last = &df->snaps[df->nsnaps - 1];
	struct dotio_buf *b = &df->b;
	size_t t, i, N = df->nsnaps;
	char name[320];
	bool imported = false;

	if (set_run(df, out, out, AGRAPH, df->root) != 0)
		return -1;
	for (i = 0; i < N; i++)
		imported |= df->snaps[i].imported;
	if (dotio_set(out, "diff_mode", want_trend(df) ? "trend" : "graphs") != 0 ||
	    dotio_set(out, "tool", "gomemviz graphdiff " PACKAGE_VERSION) ||
	    dotio_set(out, "source", str(df, last->source)) != 0 ||
	    dotio_set(out, "base_source", str(df, base->source)) != 0 ||
	    (want_trend(df) && dotio_set_int(out, "snapshots", (int64_t)N) != 0) ||
	    (df->o.normalize && dotio_set(out, "normalized", "true") != 0) ||
	    (imported && dotio_set(out, "imported",
	    "go tool pprof -dot") != 0))
		return -1;
	if (*str(df, r->tname[0]) != '\0' &&
	    dotio_set(out, "sample_type", str(df, r->tname[0])) != 0)
		return -1;
	if (*str(df, r->tunit[0]) != '\0' &&
	    dotio_set(out, "unit", str(df, r->tunit[0])) != 0)
		return -1;
	/* The types kept, in the last snapshot's order. */
	dotio_buf_reset(b);
	for (i = 0; i < last->nt; i++)
		for (t = 0; t < r->nt; t++)
			if (r->tname[t] == last->types[i] &&
			    *str(df, r->tname[t]) != '\0' &&
			    dotio_buf_addf(b, "%s%s", b->len > 0 ? "," : "",
			    str(df, r->tname[t])) != 0)
				return -1;
	if (b->len > 0 && dotio_set(out, "sample_types", b->s) != 0)
		return -1;
	if (r->values) {
		int64_t tn, tb, dl;

		if (vgraph_round(r->tn[0], &tn) != 0 ||
		    vgraph_round(r->tb[0], &tb) != 0 ||
		    __builtin_sub_overflow(tn, tb, &dl))
			return overflow(out, "total", d);
		if (dotio_set_int(out, "total", tn) != 0 ||
		    dotio_set_int(out, "base_total", tb) != 0 ||
		    dotio_set_int(out, "delta_total", dl) != 0)
			return -1;
		for (t = 0; t < r->nt; t++) {
			const char *tn_ = str(df, r->tname[t]);

			if (*tn_ == '\0')
				continue;
			snprintf(name, sizeof name, "total_%s", tn_);
			if (vgraph_round(r->tn[t], &tn) != 0 ||
			    vgraph_round(r->tb[t], &tb) != 0 ||
			    __builtin_sub_overflow(tn, tb, &dl))
				return overflow(out, name, d);
			if (dotio_set_int(out, name, tn) != 0)
				return -1;
			snprintf(name, sizeof name, "base_total_%s", tn_);
			if (dotio_set_int(out, name, tb) != 0)
				return -1;
			snprintf(name, sizeof name, "delta_total_%s", tn_);
			if (dotio_set_int(out, name, dl) != 0)
				return -1;
			snprintf(name, sizeof name, "unit_%s", tn_);
			if (*str(df, r->tunit[t]) != '\0' &&
			    dotio_set(out, name, str(df, r->tunit[t])) != 0)
				return -1;
		}
		if (want_trend(df)) {
			double *v = mem_calloc(N, sizeof *v);
			int rc;

			if (v == NULL)
				return -1;
			for (i = 0; i < N; i++) {
				const struct snap *s = &df->snaps[i];
				long ti = type_index(s, r->tname[0]);

				v[i] = s->totals[ti] * scale_of(df, s, ti,
				    type_index(last, r->tname[0]));
			}
			rc = series_text(b, v, NULL, N, out, "series_total",
			    d) != 0 ||
			    dotio_set(out, "series_total", b->s) != 0;
			free(v);
			if (rc)
				return -1;
		}
	}
	if (tr != NULL) {
		if (dotio_set_int(out, "nodecount",
		    (int64_t)df->o.trim_opts.nodecount) != 0 ||
		    dotio_set_int(out, "dropped_nodes",
		    (int64_t)tr->dropped_nodes) != 0 ||
		    dotio_set_int(out, "dropped_edges",
		    (int64_t)tr->dropped_edges) != 0 ||
		    dotio_set_int(out, "candidate_nodes",
		    (int64_t)tr->candidates) != 0 ||
		    dotio_set_int(out, "node_cutoff", tr->node_cutoff) != 0 ||
		    dotio_set_int(out, "edge_cutoff", tr->edge_cutoff) != 0 ||
		    dotio_set_double(out, "node_fraction",
		    df->o.trim_opts.node_fraction) != 0 ||
		    dotio_set_double(out, "edge_fraction",
		    df->o.trim_opts.edge_fraction) != 0)
			return -1;
	}
	return 0;
}

/* The out subgraph of path id p, made (with its parents) if needed. */
static Agraph_t *
out_subgraph(struct diff *df, Agraph_t *out, uint32_t p)
{
	uint32_t idx = hmap64_find(&df->subindex, p);
	Agraph_t *parent = out, *s;
	const char *path, *name;
	bool isnew;

	if (idx == HMAP_NONE)
		return NULL;
	if (df->subattrs[idx].value != NONE &&
	    (parent = out_subgraph(df, out, df->subattrs[idx].value)) == NULL)
		return NULL;
	path = str(df, p);
	name = strrchr(path, '\x1f');
	name = name != NULL ? name + 1 : path;
	isnew = agsubg(parent, (char *)name, 0) == NULL;
	if ((s = agsubg(parent, (char *)name, 1)) == NULL)
		return NULL;
	if (isnew && set_run(df, out, s, AGRAPH, df->subruns[idx]) != 0)
		return NULL;
	return s;
}

/*
 * Nodes within depth hops of a changed one (either direction), over
 * the edges written (on[u]: union node u's node in out, kept ones
 * only): the trimmed graph's, residual ones, and the unchanged edges
 * the trimming never saw.
 */
static int
mark_context(Agraph_t *out, Agnode_t *const *on, size_t n,
    const unsigned char *changed, long depth, unsigned char *near)
{
	uint32_t *queue = mem_calloc(n + 1, sizeof *queue);
	uint32_t *dist = mem_calloc(n + 1, sizeof *dist);
	uint32_t *byseq = NULL;
	size_t head = 0, tail = 0, i, maxseq = 0;

	for (i = 0; i < n; i++)
		if (on[i] != NULL && (size_t)AGSEQ(on[i]) > maxseq)
			maxseq = (size_t)AGSEQ(on[i]);
	if (queue == NULL || dist == NULL ||
	    (byseq = mem_calloc(maxseq + 1, sizeof *byseq)) == NULL) {
		free(queue);
		free(dist);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (on[i] != NULL) {
			byseq[AGSEQ(on[i])] = (uint32_t)i;
			if (changed[i]) {
				near[i] = 1;
				queue[tail++] = (uint32_t)i;
			}
		}
	while (head < tail) {
		uint32_t x = queue[head++];
		Agedge_t *e;

		if ((long)dist[x] >= depth)
			continue;
		for (e = agfstedge(out, on[x]); e != NULL;
		    e = agnxtedge(out, e, on[x])) {
			Agnode_t *o = agtail(e) == on[x] ? aghead(e) : agtail(e);
			uint32_t y = byseq[AGSEQ(o)];

			if (on[y] != o || near[y])
				continue;
			near[y] = 1;
			dist[y] = dist[x] + 1;
			queue[tail++] = y;
		}
	}
	free(queue);
	free(dist);
	free(byseq);
	return 0;
}

/*
 * The graph the trimming sees: the size of every change, |delta|, as
 * node and edge values; the extra values an edge carries through
 * contraction, by type, are new cum, base cum, delta cum.  The sizes
 * are unsigned because pprof's entropy order, which picks the nodes
 * -n keeps, is meaningless on signed values.  Edges that did not
 * change are left out when trimming (zero_edge): an edge of weight 0
 * makes a node's entropy score NaN, and a NaN score sent the node to
 * the top of the order or the bottom, whatever its change (-n 1 kept
 * the smallest change).  Self loops are left out too; diff_result
 * writes both kinds back for the nodes kept.
 */
static bool
zero_edge(const struct diff *df, size_t i)
{
	const struct res *r = &df->r;

	return r->values && df->o.trim &&
	    r->en[i * r->nt] - r->eb[i * r->nt] == 0;
}

static int
fill_vgraph(struct diff *df, struct vgraph *v)
{
	struct res *r = &df->r;
	size_t nt = r->nt, u, i, t;
	double *ev;

	if (vgraph_init(v, r->n, 3 * nt) != 0)
		return -1;
	v->n = r->n;
	v->values = r->values;
	for (u = 0; u < r->n; u++) {
		v->names[u] = str(df, df->un[u].key);
		v->cum[u] = fabs(r->vn[u * nt * 2 + 1] - r->vb[u * nt * 2 + 1]);
		v->flat[u] = fabs(r->vn[u * nt * 2] - r->vb[u * nt * 2]);
		for (t = 0; t < nt; t++) {
			double *x = &v->nval[(u * nt + t) * 3];

			x[0] = r->vn[(u * nt + t) * 2 + 1];
			x[1] = r->vb[(u * nt + t) * 2 + 1];
			x[2] = x[0] - x[1];
		}
	}
	if ((ev = mem_calloc(3 * nt, sizeof *ev)) == NULL)
		return -1;
	for (i = 0; i < r->ne; i++) {
		const struct uedge *e = &df->ue[i];

		if (e->tail == e->head || zero_edge(df, i))
			continue;
		for (t = 0; t < nt; t++) {
			ev[t * 3] = r->en[i * nt + t];
			ev[t * 3 + 1] = r->eb[i * nt + t];
			ev[t * 3 + 2] = ev[t * 3] - ev[t * 3 + 1];
		}
		if (vgraph_add_edge(v, e->tail, e->head, fabs(ev[2]), r->values,
		    e->residual, ev) != 0) {
			free(ev);
			return -1;
		}
	}
	free(ev);
	return vgraph_index(v);
}

/* The order nodes are written in: the last snapshot's, then the rest. */
static uint32_t *
write_order(const struct diff *df)
{
	const struct snap *last = &df->snaps[df->nsnaps - 1];
	uint32_t *o = mem_calloc(df->nun + 1, sizeof *o);
	unsigned char *done = mem_calloc(df->nun + 1, 1);
	size_t k = 0, i;

	if (o == NULL || done == NULL) {
		free(o);
		free(done);
		return NULL;
	}
	for (i = 0; i < last->norder; i++) {
		o[k++] = last->order[i];
		done[last->order[i]] = 1;
	}
	for (i = 0; i < df->nun; i++)
		if (!done[i])
			o[k++] = (uint32_t)i;
	free(done);
	return o;
}

Agraph_t *
diff_result(struct diff *df, struct diag *d)
{
	struct res *r = &df->r;
	struct vgraph v;
	struct trim_result tr;
	Agraph_t *out = NULL;
	Agnode_t **on = NULL;
	unsigned char *keep = NULL, *changed = NULL, *near = NULL;
	uint32_t *order = NULL;
	struct vsyms *nvf = NULL, *nvc = NULL, *evc = NULL;
	Agsym_t *ndiff, *ediff, *eres, *einl, *ctx = NULL;
	Agsym_t *scum = NULL, *sflat = NULL, *strend = NULL, *sgrew = NULL,
	    *sslope = NULL, *escum = NULL;
	size_t nt, u, i, t, k, N = df->nsnaps;
	bool trimmed = false;
	double *sv = NULL, *sf = NULL, *eseries = NULL;
	uint32_t *emap = NULL;
	bool *sp = NULL;
	static const int kinds[3] = { AGRAPH, AGNODE, AGEDGE };

	memset(&v, 0, sizeof v);
	if (N < 2) {
		diag_set(d, "%s graph%s given; at least two are compared",
		    N == 0 ? "no" : "one", N == 0 ? "s" : "");
		return NULL;
	}
	if (compute(df, d) != 0)
		return NULL;
	nt = r->nt;
	if ((keep = mem_calloc(r->n + 1, 1)) == NULL ||
	    fill_vgraph(df, &v) != 0)
		goto nomem;
	memset(keep, 1, r->n);
	if (r->values && df->o.trim && r->n > 0) {
		if (vgraph_trim(&v, keep, &df->o.trim_opts, &tr, d) != 0)
			goto fail;
		trimmed = true;
	}
	/* The output graph: declarations, root, nodes, edges. */
	if ((out = dotio_open(str(df, df->gname))) == NULL)
		goto nomem;
	for (k = 0; k < 3; k++)
		for (i = 0; i < df->decl[k].n; i++) {
			const struct pair *p = &df->pairs[df->decl[k].off + i];

			if (agattr(out, kinds[k], (char *)str(df, p->name),
			    (char *)str(df, p->value)) == NULL)
				goto nomem;
		}
	if (write_root(df, out, trimmed ? &tr : NULL, d) != 0)
		goto nomem;
	ndiff = out_sym(out, AGNODE, "diff");
	ediff = out_sym(out, AGEDGE, "diff");
	eres = out_sym(out, AGEDGE, "residual");
	einl = out_sym(out, AGEDGE, "inline");
	/* Slot t < nt: flat_T and cum_T; slot nt: flat and cum (type 0). */
	nvf = mem_calloc(nt + 1, sizeof *nvf);
	nvc = mem_calloc(nt + 1, sizeof *nvc);
	evc = mem_calloc(nt + 1, sizeof *evc);
	on = mem_calloc(r->n + 1, sizeof *on);
	if (ndiff == NULL || ediff == NULL || eres == NULL || einl == NULL ||
	    nvf == NULL || nvc == NULL || evc == NULL || on == NULL)
		goto nomem;
	if (r->values) {
		for (t = 0; t <= nt; t++) {
			const char *tn = t < nt ? str(df, r->tname[t]) : "";

			if (t < nt && *tn == '\0')
				continue;
			if (vsyms_init(out, AGNODE, "flat", tn, &nvf[t]) != 0 ||
			    vsyms_init(out, AGNODE, "cum", tn, &nvc[t]) != 0 ||
			    vsyms_init(out, AGEDGE, "cum", tn, &evc[t]) != 0)
				goto nomem;
		}
		if (want_trend(df) && ((scum = out_sym(out, AGNODE, "series_cum")) ==
		    NULL || (sflat = out_sym(out, AGNODE, "series_flat")) ==
		    NULL || (strend = out_sym(out, AGNODE, "trend")) == NULL ||
		    (sgrew = out_sym(out, AGNODE, "grew")) == NULL ||
		    (sslope = out_sym(out, AGNODE, "slope")) == NULL ||
		    (escum = out_sym(out, AGEDGE, "series_cum")) == NULL))
			goto nomem;
	}
	if (want_trend(df)) {
		const struct snap *last = &df->snaps[N - 1];
		long tl = type_index(last, r->tname[0]);

		sv = mem_calloc(N, sizeof *sv);
		sf = mem_calloc(N, sizeof *sf);
		sp = mem_calloc(N, sizeof *sp);
		emap = mem_calloc(N * r->ne + 1, sizeof *emap);
		eseries = mem_calloc(N * r->ne + 1, sizeof *eseries);
		if (sv == NULL || sf == NULL || sp == NULL || emap == NULL ||
		    eseries == NULL)
			goto nomem;
		/* Each snapshot's edge values, by union edge. */
		for (k = 0; k < N; k++) {
			const struct snap *s = &df->snaps[k];
			long ti = type_index(s, r->tname[0]);
			double sc = scale_of(df, s, ti, tl);

			for (i = 0; i < r->ne; i++)
				emap[k * r->ne + i] = NONE;
			for (i = 0; i < s->ne; i++) {
				emap[k * r->ne + s->eid[i]] = (uint32_t)i;
				eseries[k * r->ne + s->eid[i]] =
				    s->ev[i * s->nt + (size_t)ti] * sc;
			}
		}
	}
	if ((order = write_order(df)) == NULL)
		goto nomem;
	for (k = 0; k < r->n; k++) {
		const struct unode *un;
		Agnode_t *n;

		u = order[k];
		if (!keep[u])
			continue;
		un = &df->un[u];
		if ((n = agnode(out, (char *)str(df, un->key), 1)) == NULL ||
		    set_run(df, out, n, AGNODE, un->attrs) != 0 ||
		    dotio_xset(n, ndiff, cls_names[r->cls[u]]) != 0)
			goto nomem;
		on[u] = n;
		for (i = 0; i < un->subg.n; i++) {
			Agraph_t *s = out_subgraph(df, out,
			    df->ids[un->subg.off + i]);

			if (s == NULL || agsubnode(s, n, 1) == NULL)
				goto nomem;
		}
		if (!r->values)
			continue;
		for (t = 0; t <= nt; t++) {
			size_t ti = t < nt ? t : 0;
			const double *b = &r->vb[(u * nt + ti) * 2];
			const double *nw = &r->vn[(u * nt + ti) * 2];

			if (nvf[t].v == NULL)
				continue;
			if (set_vals(n, &nvf[t], b[0], nw[0], d) != 0 ||
			    set_vals(n, &nvc[t], b[1], nw[1], d) != 0)
				goto nomem;
		}
		if (want_trend(df)) {
			const struct snap *last = &df->snaps[N - 1];
			long tl = type_index(last, r->tname[0]);
			int64_t slope;

			series(df, u, sv, sp);
			if (vgraph_round(r->slope[u], &slope) != 0) {
				overflow(n, "slope", d);
				goto fail;
			}
			for (i = 0; i < N; i++) {
				const struct snap *s = &df->snaps[i];
				long ti = type_index(s, r->tname[0]);
				double c;

				snap_node(s, ti, scale_of(df, s, ti, tl), u,
				    &sf[i], &c);
			}
			if (series_text(&df->b, sv, sp, N, n, "series_cum",
			    d) != 0 ||
			    dotio_xset(n, scum, df->b.s) != 0 ||
			    series_text(&df->b, sf, sp, N, n, "series_flat",
			    d) != 0 ||
			    dotio_xset(n, sflat, df->b.s) != 0 ||
			    dotio_xset(n, strend,
			    trend_names[r->trend[u]]) != 0 ||
			    dotio_xset_int(n, sgrew, r->grew[u]) != 0 ||
			    dotio_xset_int(n, sslope, slope) != 0)
				goto nomem;
		}
	}
	/*
	 * Edges: the trimmed graph's, then those the trimming never saw
	 * (fill_vgraph): self loops, which stay with their node, and the
	 * edges that did not change, which stay between kept nodes when
	 * the edge cutoff is 0, as trimming would have left them; an input
	 * edge keeps its look.
	 */
	for (i = 0; i < v.ne + r->ne; i++) {
		const struct vedge *ve = i < v.ne ? &v.e[i] : NULL;
		uint32_t src, dst, ue;
		Agedge_t *e;

		if (ve != NULL) {
			src = ve->src;
			dst = ve->dst;
			ue = hmap64_find(&df->eindex, (uint64_t)src << 32 | dst);
		} else {
			ue = (uint32_t)(i - v.ne);
			src = df->ue[ue].tail;
			dst = df->ue[ue].head;
			if (!keep[src] || !keep[dst])
				continue;
			if (src != dst && (!zero_edge(df, ue) ||
			    (trimmed && tr.edge_cutoff > 0) ||
			    agedge(out, on[src], on[dst], NULL, 0) != NULL))
				continue;
		}
		if (!keep[src] || !keep[dst] || (ve != NULL && src == dst))
			continue;
		if ((e = agedge(out, on[src], on[dst], NULL, 1)) == NULL)
			goto nomem;
		if (ue != HMAP_NONE && (ve == NULL || !ve->residual)) {
			const struct uedge *x = &df->ue[ue];

			if (set_run(df, out, e, AGEDGE, x->attrs) != 0 ||
			    dotio_xset(e, ediff, cls_names[r->ecls[ue]]) != 0 ||
			    (x->inl && dotio_xset(e, einl, "true") != 0) ||
			    (x->residual && dotio_xset(e, eres, "true") != 0))
				goto nomem;
			for (t = 0; r->values && t <= nt; t++)
				if (evc[t].v != NULL &&
				    set_vals(e, &evc[t], r->eb[ue * nt +
				    (t < nt ? t : 0)], r->en[ue * nt +
				    (t < nt ? t : 0)], d) != 0)
					goto nomem;
			if (want_trend(df) && r->values) {
				for (k = 0; k < N; k++) {
					uint32_t j = emap[k * r->ne + ue];

					sp[k] = j != NONE;
					sv[k] = sp[k] ? eseries[k * r->ne +
					    ue] : 0;
				}
				if (series_text(&df->b, sv, sp, N, e,
				    "series_cum", d) != 0 ||
				    dotio_xset(e, escum, df->b.s) != 0)
					goto nomem;
			}
		} else {
			const double *x = &v.ev[i * v.nv];
			enum cls c;

			/* Not x[2]: the contraction shares each value out
			 * by its own |weights|, which flips the sign of a
			 * negative change carried through a removed node;
			 * new and base are never negative. */
			c = classify(true, true, x[0] - x[1], 0,
			    df->o.threshold * fmax(fabs(r->tb[0]),
			    fabs(r->tn[0])));
			if (dotio_xset(e, eres, "true") != 0 ||
			    dotio_xset(e, ediff, cls_names[c]) != 0)
				goto nomem;
			for (t = 0; r->values && t <= nt; t++) {
				size_t ti = t < nt ? t : 0;

				if (evc[t].v != NULL &&
				    set_vals(e, &evc[t], x[ti * 3 + 1],
				    x[ti * 3], d) != 0)
					goto nomem;
			}
		}
	}
	/* --highlight-depth: the nodes far from any change are context. */
	if (df->o.highlight_depth >= 0) {
		changed = mem_calloc(r->n + 1, 1);
		near = mem_calloc(r->n + 1, 1);
		if (changed == NULL || near == NULL ||
		    (ctx = out_sym(out, AGNODE, "context")) == NULL)
			goto nomem;
		for (u = 0; u < r->n; u++)
			changed[u] = r->cls[u] != CLS_SAME ||
			    (r->trend != NULL && r->trend[u] != TR_FLAT);
		if (mark_context(out, on, r->n, changed,
		    df->o.highlight_depth, near) != 0)
			goto nomem;
		for (u = 0; u < r->n; u++)
			if (keep[u] && !near[u] &&
			    dotio_xset(on[u], ctx, "true") != 0)
				goto nomem;
	}
	if (style_apply(out, &df->o.style, d) != 0)
		goto fail;
	goto out;
nomem:
	diag_nomem(d);
fail:
	if (out != NULL)
		agclose(out);
	out = NULL;
out:
	vgraph_free(&v);
	free(keep);
	free(changed);
	free(near);
	free(order);
	free(nvf);
	free(nvc);
	free(evc);
	free(on);
	free(sv);
	free(sf);
	free(sp);
	free(emap);
	free(eseries);
	return out;
}

/* ---------------------------------------------------------------- */
/* --fail-if. */

enum cmp { CMP_GT, CMP_GE, CMP_LT, CMP_LE, CMP_EQ, CMP_NE };
enum qty { QTY_RAW, QTY_UNIT, QTY_PCT_TOTAL, QTY_PCT_REL };

struct diff_cond {
	char *expr;
	char *attr;
	enum cmp op;
	double num;
	enum qty kind;
	char unit[16];
};

void
diff_cond_free(struct diff_cond *c)
{
	if (c == NULL)
		return;
	free(c->expr);
	free(c->attr);
	free(c);
}

struct diff_cond *
diff_cond_parse(const char *expr, struct diag *d)
{
	static const char *const ops[] = { ">=", "<=", "==", "!=", ">", "<" };
	static const enum cmp opv[] = {
		CMP_GE, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_LT,
	};
	struct diff_cond *c = calloc(1, sizeof *c);
	const char *p = expr, *a;
	char *end;
	size_t i, len;

	if (c == NULL || (c->expr = strdup(expr)) == NULL)
		goto nomem;
	while (*p == ' ' || *p == '\t')
		p++;
	for (a = p; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '_'; p++)
		;
	if (p == a) {
		diag_set(d, "--fail-if '%s': no attribute (as in "
		    "'delta_cum > 10MB')", expr);
		goto fail;
	}
	if ((c->attr = strndup(a, (size_t)(p - a))) == NULL)
		goto nomem;
	while (*p == ' ' || *p == '\t')
		p++;
	for (i = 0; i < sizeof ops / sizeof *ops; i++)
		if (strncmp(p, ops[i], strlen(ops[i])) == 0)
			break;
	if (i == sizeof ops / sizeof *ops) {
		diag_set(d, "--fail-if '%s': no comparison (one of > >= < "
		    "<= == !=) after %s", expr, c->attr);
		goto fail;
	}
	c->op = opv[i];
	p += strlen(ops[i]);
	while (*p == ' ' || *p == '\t')
		p++;
	a = p;
	c->num = strtod(p, &end);
	if (end == p || !isfinite(c->num)) {
		diag_set(d, "--fail-if '%s': no number after the comparison",
		    expr);
		goto fail;
	}
	p = end;
	len = strcspn(p, " \t");
	if (len == 1 && *p == '%') {
		c->kind = *a == '+' || *a == '-' ? QTY_PCT_REL : QTY_PCT_TOTAL;
	} else if (len > 0) {
		if (len >= sizeof c->unit) {
			diag_set(d, "--fail-if '%s': unknown unit '%.*s'",
			    expr, (int)len, p);
			goto fail;
		}
		memcpy(c->unit, p, len);
		c->unit[len] = '\0';
		c->kind = QTY_UNIT;
	}
	p += len;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0') {
		diag_set(d, "--fail-if '%s': unexpected '%s' at the end",
		    expr, p);
		goto fail;
	}
	if (c->kind == QTY_PCT_REL && strncmp(c->attr, "delta_", 6) != 0) {
		diag_set(d, "--fail-if '%s': a signed percentage is a change "
		    "relative to the base value; compare a delta_ attribute "
		    "with it", expr);
		goto fail;
	}
	return c;
nomem:
	diag_nomem(d);
fail:
	diff_cond_free(c);
	return NULL;
}

/* Which value attr names: *total (root) or not, what (0 base, 1 new,
 * 2 delta), flat or cum, and the type index; false when unknown. */
static bool
cond_attr(const struct diff *df, const char *attr, bool *total, int *what,
    bool *flat, size_t *type)
{
	static const char *const stems[] = {
		"base_total", "delta_total", "total", "base_cum", "base_flat",
		"delta_cum", "delta_flat", "cum", "flat",
	};
	static const int whatv[] = { 0, 2, 1, 0, 0, 2, 2, 1, 1 };
	size_t i, t;

	for (i = 0; i < sizeof stems / sizeof *stems; i++) {
		size_t k = strlen(stems[i]);

		if (strncmp(attr, stems[i], k) != 0)
			continue;
		*total = i < 3;
		*what = whatv[i];
		*flat = strstr(stems[i], "flat") != NULL;
		if (attr[k] == '\0') {
			*type = 0;
			return true;
		}
		if (attr[k] != '_')
			continue;
		for (t = 0; t < df->r.nt; t++)
			if (strcmp(attr + k + 1, str(df, df->r.tname[t])) == 0) {
				*type = t;
				return true;
			}
	}
	return false;
}

static bool
compare(enum cmp op, double a, double b)
{
	switch (op) {
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	}
	return false;
}

struct hit {
	uint32_t u;
	double v;
};

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (fabs(x->v) != fabs(y->v))
		return fabs(x->v) > fabs(y->v) ? -1 : 1;
	return x->u < y->u ? -1 : x->u > y->u;
}

/* A value as the report prints it. */
static void
fmt_hit(const struct diff *df, const struct diff_cond *c, size_t t, double v,
    char *buf, size_t n)
{
	int64_t iv;

	if (c->kind == QTY_PCT_REL) {
		if (isinf(v))
			snprintf(buf, n, "%s", v > 0 ? "new" : "gone");
		else
			snprintf(buf, n, "%+.2f%%", v);
		return;
	}
	if (vgraph_round(v, &iv) != 0) {
		snprintf(buf, n, "%.6g", v);	/* past 64 bits */
		return;
	}
	units_label(buf, n, iv, *str(df, df->r.tunit[t]) != '\0' ?
	    str(df, df->r.tunit[t]) : "count");
	if (v > 0 && strncmp(c->attr, "delta_", 6) == 0) {
		memmove(buf + 1, buf, strnlen(buf, n - 2) + 1);
		buf[0] = '+';
	}
}

int
diff_cond_check(struct diff *df, const struct diff_cond *c, FILE *report,
    const char *prog, struct diag *d)
{
	struct res *r = &df->r;
	bool total, flat;
	int what;
	size_t t, u, nh = 0, i;
	double rhs = c->num, tot;
	struct hit *hits = NULL;
	char buf[64];

	if (!r->ready || !r->values) {
		diag_set(d, "--fail-if '%s': the graphs have no values", c->expr);
		return -1;
	}
	if (!cond_attr(df, c->attr, &total, &what, &flat, &t)) {
		diag_set(d, "--fail-if '%s': unknown attribute %s (delta_cum, "
		    "delta_flat, cum, flat, base_cum, base_flat, delta_total, "
		    "total or base_total, with _TYPE for another sample type)",
		    c->expr, c->attr);
		return -1;
	}
	tot = what == 0 ? r->tb[t] : r->tn[t];
	if (c->kind == QTY_UNIT) {
		const char *unit = str(df, r->tunit[t]), *canon, *got, *kind;
		double f;

		/* Known units scale to a name of pprof's tables; the
		 * suffix must scale to the same one as the graph's unit. */
		units_scale(1, unit, "auto", &kind);
		units_scale(1, unit, unit, &canon);
		f = units_scale(1, c->unit, unit, &got);
		if (*kind == '\0' || strcmp(canon, got) != 0) {
			diag_set(d, "--fail-if '%s': %s is not a unit of %s "
			    "(%s)", c->expr, c->unit, str(df, r->tname[t]),
			    *unit != '\0' ? unit : "no unit");
			return -1;
		}
		rhs = c->num * f;
	} else if (c->kind == QTY_PCT_TOTAL) {
		rhs = c->num / 100 * fabs(tot);
	}
	if (total) {
		double b = r->tb[t], n = r->tn[t];
		double lhs = what == 0 ? b : what == 1 ? n : n - b;

		if (c->kind == QTY_PCT_REL)
			lhs = b != 0 ? (n - b) / fabs(b) * 100 :
			    n > 0 ? INFINITY : n < 0 ? -INFINITY : 0;
		if (!compare(c->op, lhs, rhs))
			return 0;
		fmt_hit(df, c, t, lhs, buf, sizeof buf);
		fprintf(report, "%s: fail-if '%s': the total: %s\n", prog,
		    c->expr, buf);
		return 1;
	}
	if ((hits = mem_calloc(r->n + 1, sizeof *hits)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	for (u = 0; u < r->n; u++) {
		const double *vb = &r->vb[(u * r->nt + t) * 2];
		const double *vn = &r->vn[(u * r->nt + t) * 2];
		double b = vb[flat ? 0 : 1], n = vn[flat ? 0 : 1], lhs;

		if (c->kind == QTY_PCT_REL)
			lhs = b != 0 ? (n - b) / fabs(b) * 100 :
			    n > 0 ? INFINITY : n < 0 ? -INFINITY : 0;
		else
			lhs = what == 0 ? b : what == 1 ? n : n - b;
		if (compare(c->op, lhs, rhs)) {
			hits[nh].u = (uint32_t)u;
			hits[nh++].v = lhs;
		}
	}
	if (nh > 0) {
		qsort(hits, nh, sizeof *hits, hit_cmp);
		fprintf(report, "%s: fail-if '%s': %zu node%s:", prog, c->expr,
		    nh, nh > 1 ? "s" : "");
		for (i = 0; i < nh && i < 10; i++) {
			fmt_hit(df, c, t, hits[i].v, buf, sizeof buf);
			fprintf(report, "%s %s (%s)", i > 0 ? "," : "",
			    str(df, df->un[hits[i].u].key), buf);
		}
		if (nh > 10)
			fprintf(report, " and %zu more", nh - 10);
		fputc('\n', report);
	}
	free(hits);
	return nh > 0;
}
