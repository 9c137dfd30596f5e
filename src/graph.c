/*
 * graph: node keys at a granularity, and graph building over unique
 * stacks.  See graph.h.
 */
#include "graph.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "units.h"

#define TAG_SEED 0xbf58476d1ce4e5b9ULL
#define INFO_SEED 0xd6e8feb86659fd93ULL

static const char *const gran_names[] = {
	"functions", "filefunctions", "files", "lines", "addresses",
};

int
graph_gran_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof gran_names / sizeof *gran_names; i++)
		if (strcmp(name, gran_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
graph_gran_name(enum graph_gran g)
{
	return gran_names[g];
}

/* ---------------------------------------------------------------- */
/* Text helpers: a growable buffer, Go's filepath.Clean and Base. */

struct buf {
	char *s;
	size_t len, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	if (mem_reserve(&b->s, &b->cap, b->len + n + 1, 1) != 0)
		return -1;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/*
 * Lexical path cleaning as Go's path/filepath.Clean on Unix: repeated
 * slashes, "." elements and "dir/.." pairs go; "" becomes ".".
 */
static int
clean_path(struct buf *out, const char *p, size_t n)
{
	bool rooted = n > 0 && p[0] == '/';
	size_t i = 0, dotdot;

	out->len = 0;
	if (n == 0)
		return buf_add(out, ".", 1);
	if (rooted && buf_add(out, "/", 1) != 0)
		return -1;
	dotdot = out->len;
	while (i < n) {
		size_t j;

		if (p[i] == '/') {
			i++;
			continue;
		}
		for (j = i; j < n && p[j] != '/'; j++)
			;
		if (j - i == 1 && p[i] == '.') {
			/* skip */
		} else if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			if (out->len > dotdot) {
				/* back up to the previous slash */
				while (out->len > dotdot &&
				    out->s[out->len - 1] != '/')
					out->len--;
				if (out->len > dotdot)
					out->len--;	/* the slash */
				else if (out->len > 0 &&
				    out->s[out->len - 1] == '/' && !rooted)
					out->len--;
				out->s[out->len] = '\0';
			} else if (!rooted) {
				if (out->len > 0 && buf_add(out, "/", 1) != 0)
					return -1;
				if (buf_add(out, "..", 2) != 0)
					return -1;
				dotdot = out->len;
			}
		} else {
			if (out->len > 0 && out->s[out->len - 1] != '/' &&
			    buf_add(out, "/", 1) != 0)
				return -1;
			if (buf_add(out, p + i, j - i) != 0)
				return -1;
		}
		i = j;
	}
	if (out->len == 0)
		return buf_add(out, ".", 1);
	return 0;
}

/* Go's filepath.Base: the last element, trailing slashes ignored. */
static void
base_name(const char *p, size_t n, const char **bp, size_t *bn)
{
	size_t i;

	if (n == 0) {
		*bp = ".";
		*bn = 1;
		return;
	}
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n == 0) {
		*bp = "/";
		*bn = 1;
		return;
	}
	for (i = n; i > 0 && p[i - 1] != '/'; i--)
		;
	*bp = p + i;
	*bn = n - i;
}

/* ---------------------------------------------------------------- */
/* The space of node keys. */

static bool
info_eq(const void *ctx, uint32_t id, const void *key)
{
	return ((const struct graph_space *)ctx)->infos[id].key ==
	    *(const uint32_t *)key;
}

static bool
tagkey_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct graph_tagkey *a = &((const struct graph_space *)ctx)->
	    tagkeys[id];
	const struct graph_tagkey *b = key;

	return a->labels == b->labels && a->name == b->name &&
	    a->numeric == b->numeric;
}

void
graph_space_free(struct graph_space *s)
{
	if (s == NULL)
		return;
	free(s->infos);
	hmap_free(&s->info_index);
	free(s->loc_node0);
	free(s->loc_nnodes);
	free(s->lnodes);
	free(s->seq);
	free(s->seq0);
	free(s->leaf_tagged);
	free(s->tagkeys);
	hmap_free(&s->tagkey_index);
	free(s->ls_tag0);
	free(s->ls_ntags);
	free(s->ls_tags);
	free(s);
}

/*
 * The file of a function as pprof's report shows it: Clean()ed, with a
 * /proc/self/cwd/ prefix trimmed (report.trimPath with no settings).
 * Cached per function: cache[f] is the string id + 1.
 */
static uint32_t
func_file(struct prof *p, uint32_t f, uint32_t *cache, struct buf *b)
{
	const char *s;
	size_t n;

	if (cache[f] != 0)
		return cache[f] - 1;
	s = prof_str(p, p->funcs[f].file);
	n = strtab_len(&p->strs, p->funcs[f].file);
	if (n == 0) {
		cache[f] = 1;
		return 0;
	}
	if (strncmp(s, "/proc/self/cwd/./", 17) == 0) {
		s += 17;
		n -= 17;
	} else if (strncmp(s, "/proc/self/cwd/", 15) == 0) {
		s += 15;
		n -= 15;
	}
	if (clean_path(b, s, n) != 0)
		return STRTAB_NONE;
	cache[f] = strtab_intern(&p->strs, b->s, b->len);
	if (cache[f] == STRTAB_NONE)
		return (cache[f] = 0), STRTAB_NONE;
	return cache[f]++;
}

/* pprof's NodeInfo.PrintableName, built into b. */
static int
printable_name(const struct prof *p, const struct graph_info *in,
    struct buf *b)
{
	char tmp[32];
	bool sep = false;

	b->len = 0;
	if (buf_add(b, "", 0) != 0)
		return -1;
	if (in->address != 0) {
		snprintf(tmp, sizeof tmp, "%016" PRIx64, in->address);
		if (buf_add(b, tmp, strlen(tmp)) != 0)
			return -1;
		sep = true;
	}
	if (in->func != 0) {
		if ((sep && buf_add(b, " ", 1) != 0) ||
		    buf_add(b, prof_str(p, in->func),
		    strtab_len(&p->strs, in->func)) != 0)
			return -1;
		sep = true;
	}
	if (in->line != 0) {
		snprintf(tmp, sizeof tmp, ":%" PRId64, in->line);
		if ((sep && buf_add(b, " ", 1) != 0) ||
		    buf_add(b, prof_str(p, in->file),
		    strtab_len(&p->strs, in->file)) != 0 ||
		    buf_add(b, tmp, strlen(tmp)) != 0)
			return -1;
	} else if (in->file != 0) {
		if ((sep && buf_add(b, " ", 1) != 0) ||
		    buf_add(b, prof_str(p, in->file),
		    strtab_len(&p->strs, in->file)) != 0)
			return -1;
	} else if (in->func != 0) {
		/* the name says it all */
	} else if (in->objfile != 0) {
		const char *bp;
		size_t bn;

		base_name(prof_str(p, in->objfile),
		    strtab_len(&p->strs, in->objfile), &bp, &bn);
		if ((sep && buf_add(b, " ", 1) != 0) ||
		    buf_add(b, "[", 1) != 0 || buf_add(b, bp, bn) != 0 ||
		    buf_add(b, "]", 1) != 0)
			return -1;
	} else {
		if ((sep && buf_add(b, " ", 1) != 0) ||
		    buf_add(b, "<unknown>", 9) != 0)
			return -1;
	}
	return 0;
}

/* The info for one frame (a line of a location, or a bare location). */
static int
frame_info(struct prof *p, enum graph_gran gran, const struct prof_loc *l,
    const struct prof_line *ln, uint32_t *file_cache, struct buf *tmp,
    struct graph_info *out)
{
	memset(out, 0, sizeof *out);
	if (gran == GRAN_ADDRESSES)
		out->address = l->address;
	if (ln != NULL && ln->func != PROF_NONE) {
		const struct prof_func *f = &p->funcs[ln->func];

		if (gran != GRAN_FILES)
			out->func = f->name;
		if (gran != GRAN_FUNCTIONS) {
			out->file = func_file(p, ln->func, file_cache, tmp);
			if (out->file == STRTAB_NONE)
				return -1;
		}
		if (gran == GRAN_LINES || gran == GRAN_ADDRESSES)
			out->line = ln->line;
		if (out->func != 0)
			return 0;
	}
	/* No name: the mapping's file stands in for it. */
	if (l->mapping != PROF_NONE)
		out->objfile = p->mappings[l->mapping].file;
	return 0;
}

static uint32_t
intern_info(struct prof *p, struct graph_space *s, struct graph_info *in,
    struct buf *b)
{
	uint64_t h;
	uint32_t id;

	if (printable_name(p, in, b) != 0)
		return PROF_NONE;
	in->key = strtab_intern(&p->strs, b->s, b->len);
	if (in->key == STRTAB_NONE)
		return PROF_NONE;
	h = mem_hash_mix(INFO_SEED, in->key);
	id = hmap_find(&s->info_index, h, info_eq, s, &in->key);
	if (id != HMAP_NONE)
		return id;
	if (s->ninfos >= PROF_NONE - 1 ||
	    mem_reserve(&s->infos, &s->capinfos, s->ninfos + 1,
	    sizeof *s->infos) != 0 ||
	    hmap_add(&s->info_index, h, (uint32_t)s->ninfos) != 0)
		return PROF_NONE;
	s->infos[s->ninfos] = *in;
	return (uint32_t)s->ninfos++;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t
intern_tagkey(struct graph_space *s, const struct graph_tagkey *k)
{
	uint64_t h = mem_hash_mix(mem_hash_mix(mem_hash_mix(TAG_SEED,
	    k->labels), k->name), k->numeric);
	uint32_t id = hmap_find(&s->tagkey_index, h, tagkey_eq, s, k);

	if (id != HMAP_NONE)
		return id;
	if (mem_reserve(&s->tagkeys, &s->captagkeys, s->ntagkeys + 1,
	    sizeof *s->tagkeys) != 0 ||
	    hmap_add(&s->tagkey_index, h, (uint32_t)s->ntagkeys) != 0)
		return PROF_NONE;
	s->tagkeys[s->ntagkeys] = *k;
	return (uint32_t)s->ntagkeys++;
}

/*
 * pprof's nodelet tags for each label set: the string labels joined as
 * sorted "key:value" lines (one label tag), and each numeric "bytes"
 * label formatted with pprof's minimum-unit scaling (one numeric tag
 * each, grouped under the joined string labels).  pprof keeps no other
 * numeric label in its graphs.  The unit of "bytes" is the first unit
 * any sample gives it, else bytes, as in Profile.NumLabelUnits.
 */
static int
build_tags(struct prof *p, struct graph_space *s, struct buf *b)
{
	uint32_t bytes = strtab_intern_cstr(&p->strs, "bytes");
	uint32_t unit = 0;
	size_t i, j;
	char **parts = NULL;
	size_t capparts = 0, capls = 0;
	struct hmap64 names = HMAP64_INIT;	/* size -> its label */
	int rc = -1;

	if (bytes == STRTAB_NONE)
		return -1;
	for (i = 0; i < p->nlabels && unit == 0; i++)
		if (p->labels[i].is_num && p->labels[i].key == bytes)
			unit = p->labels[i].unit;
	if (unit == 0)
		unit = bytes;
	s->ls_tag0 = mem_calloc(p->nlabelsets, sizeof *s->ls_tag0);
	s->ls_ntags = mem_calloc(p->nlabelsets, sizeof *s->ls_ntags);
	if (s->ls_tag0 == NULL || s->ls_ntags == NULL)
		return -1;
	for (i = 0; i < p->nlabelsets; i++) {
		const struct prof_labelset *ls = &p->labelsets[i];
		size_t nstr = 0;
		struct graph_tagkey k;
		uint32_t joined, id;

		memset(&k, 0, sizeof k);
		/* Join the string labels. */
		if (mem_reserve(&parts, &capparts, ls->n + 1,
		    sizeof *parts) != 0)
			goto out;
		for (j = 0; j < ls->n; j++) {
			const struct prof_label *l = &p->labels[ls->label0 + j];
			size_t kl, vl;

			if (l->is_num)
				continue;
			kl = strtab_len(&p->strs, l->key);
			vl = strtab_len(&p->strs, l->str);
			if ((parts[nstr] = malloc(kl + vl + 2)) == NULL)
				goto out;
			memcpy(parts[nstr], prof_str(p, l->key), kl);
			parts[nstr][kl] = ':';
			memcpy(parts[nstr] + kl + 1, prof_str(p, l->str), vl);
			parts[nstr][kl + vl + 1] = '\0';
			nstr++;
		}
		qsort(parts, nstr, sizeof *parts, cmp_str);
		b->len = 0;
		for (j = 0; j < nstr; j++) {
			int r = (j > 0 ? buf_add(b, "\\n", 2) : 0) |
			    buf_add(b, parts[j], strlen(parts[j]));

			free(parts[j]);
			parts[j] = NULL;
			if (r != 0) {
				while (++j < nstr)
					free(parts[j]);
				goto out;
			}
		}
		joined = nstr > 0 ? strtab_intern(&p->strs, b->s, b->len) : 0;
		if (joined == STRTAB_NONE)
			goto out;
		s->ls_tag0[i] = (uint32_t)s->nls_tags;
		if (mem_reserve(&s->ls_tags, &capls, s->nls_tags + 1 + ls->n,
		    sizeof *s->ls_tags) != 0)
			goto out;
		if (nstr > 0) {
			k.labels = joined;
			k.name = joined;
			k.numeric = false;
			if ((id = intern_tagkey(s, &k)) == PROF_NONE)
				goto out;
			s->ls_tags[s->nls_tags++] = id;
		}
		for (j = 0; j < ls->n; j++) {
			const struct prof_label *l = &p->labels[ls->label0 + j];
			char txt[64];

			if (!l->is_num || l->key != bytes)
				continue;
			/* Sizes repeat across label sets: format each once. */
			k.name = hmap64_find(&names, (uint64_t)l->num);
			if (k.name == HMAP_NONE) {
				units_scaled_label(txt, sizeof txt, l->num,
				    prof_str(p, unit), "minimum");
				k.name = strtab_intern_cstr(&p->strs, txt);
				if (k.name == STRTAB_NONE ||
				    (l->num != -1 && hmap64_add(&names,
				    (uint64_t)l->num, k.name) != 0))
					goto out;
			}
			k.labels = joined;
			k.numeric = true;
			k.value = l->num;
			k.unit = unit;
			if (k.name == STRTAB_NONE ||
			    (id = intern_tagkey(s, &k)) == PROF_NONE)
				goto out;
			s->ls_tags[s->nls_tags++] = id;
		}
		s->ls_ntags[i] = (uint32_t)(s->nls_tags - s->ls_tag0[i]);
	}
	rc = 0;
out:
	free(parts);
	hmap64_free(&names);
	return rc;
}

/* Spell one location's frames (root side first) into seq at k. */
static size_t
spell_loc(const struct prof *p, struct graph_space *s,
    const struct filter_view *v, uint32_t loc, size_t k)
{
	const struct prof_loc *l = &p->locs[loc];
	uint32_t first = s->loc_node0[loc], nn = s->loc_nnodes[loc], ni;
	bool outer = true;

	/*
	 * The last line is the physical call, the others were inlined
	 * into it; with lines filtered away, the last line left.
	 */
	for (ni = nn; ni-- > 0;) {
		if (v != NULL && l->nlines > 0 && !v->line_keep[l->line0 + ni])
			continue;
		s->seq[k++] = s->lnodes[first + ni] | (outer ? 0 : SEQ_INLINE);
		outer = false;
	}
	return k;
}

/* Spell stacks [lo, hi) without a filter view, seq0 already set. */
struct spell_job {
	const struct prof *p;
	struct graph_space *s;
	size_t lo, hi;
};

static void *
spell_range(void *arg)
{
	const struct spell_job *j = arg;
	const struct prof *p = j->p;
	struct graph_space *s = j->s;
	size_t i;

	for (i = j->lo; i < j->hi; i++) {
		const struct prof_stack *st = &p->stacks[i];
		size_t k = s->seq0[i];
		uint32_t f;

		for (f = st->depth; f-- > 0;)
			k = spell_loc(p, s, NULL, p->frames[st->frame0 + f], k);
	}
	return NULL;
}

/*
 * Stacks of at least this many frames in all are spelled by two
 * threads, each writing its half of seq (the offsets are known first):
 * the inflating thread is done by then, and seq is the biggest thing
 * built.
 */
size_t graph_spell_parallel_frames = (size_t)1 << 20;

/* Fill s->seq and s->seq0 from p's stacks (see graph.h). */
static int
spell_stacks(const struct prof *p, struct graph_space *s,
    const struct filter_view *v)
{
	size_t total = 0, i, k = 0;

	if (s->ninfos > SEQ_INFO)
		return -1;
	for (i = 0; i < p->nframes; i++)
		total += s->loc_nnodes[p->frames[i]];
	s->seq = mem_calloc(total, sizeof *s->seq);
	s->seq0 = mem_calloc(p->nstacks + 1, sizeof *s->seq0);
	if (s->seq == NULL || s->seq0 == NULL || total > UINT32_MAX)
		return -1;
	if (v == NULL) {
		/* Every frame is spelled: the offsets come first. */
		struct spell_job jobs[2] = {
			{ p, s, 0, p->nstacks }, { p, s, p->nstacks, p->nstacks }
		};
		pthread_t t;
		bool threaded = false;

		for (i = 0; i < p->nstacks; i++) {
			const struct prof_stack *st = &p->stacks[i];
			uint32_t f;

			s->seq0[i] = (uint32_t)k;
			for (f = 0; f < st->depth; f++)
				k += s->loc_nnodes[p->frames[st->frame0 + f]];
		}
		s->seq0[p->nstacks] = (uint32_t)k;
		if (total >= graph_spell_parallel_frames) {
			/* Split where half the frames are. */
			for (i = 0; i < p->nstacks && s->seq0[i] < k / 2; i++)
				;
			jobs[0].hi = jobs[1].lo = i;
			threaded = pthread_create(&t, NULL, spell_range,
			    &jobs[1]) == 0;
			if (!threaded)
				jobs[0].hi = p->nstacks;
		}
		spell_range(&jobs[0]);
		if (threaded)
			pthread_join(t, NULL);
	} else {
		for (i = 0; i < p->nstacks; i++) {
			const struct prof_stack *st = &p->stacks[i];
			uint32_t f, lo, hi;

			s->seq0[i] = (uint32_t)k;
			if (!v->stack_keep[i])
				continue;
			lo = v->lo[i];
			hi = v->hi[i] + 1;
			for (f = hi; f-- > lo;) {
				uint32_t loc = p->frames[st->frame0 + f];

				if (v->loc_hidden[loc])
					continue;
				k = spell_loc(p, s, v, loc, k);
			}
		}
		s->seq0[p->nstacks] = (uint32_t)k;
	}
	s->nseq = k;
	if ((s->leaf_tagged = mem_calloc(s->ninfos, 1)) == NULL)
		return -1;
	for (i = 0; i < p->nstacks; i++)
		if (s->ls_ntags[p->stacks[i].labelset] > 0 &&
		    s->seq0[i + 1] > s->seq0[i])
			s->leaf_tagged[s->seq[s->seq0[i + 1] - 1] & SEQ_INFO] = 1;
	return 0;
}

struct graph_space *
graph_space_new(struct prof *p, enum graph_gran gran,
    const struct filter_view *view, struct diag *d)
{
	struct graph_space *s = calloc(1, sizeof *s);
	uint32_t *file_cache = mem_calloc(p->nfuncs, sizeof *file_cache);
	struct buf tmp = { NULL, 0, 0 }, name = { NULL, 0, 0 };
	size_t i, cap = 0;

	if (s == NULL || file_cache == NULL)
		goto nomem;
	s->gran = gran;
	s->loc_node0 = mem_calloc(p->nlocs, sizeof *s->loc_node0);
	s->loc_nnodes = mem_calloc(p->nlocs, sizeof *s->loc_nnodes);
	if (s->loc_node0 == NULL || s->loc_nnodes == NULL)
		goto nomem;
	for (i = 0; i < p->nlocs; i++) {
		const struct prof_loc *l = &p->locs[i];
		uint32_t n = l->nlines > 0 ? l->nlines : 1, j;

		if (mem_reserve(&s->lnodes, &cap, s->nlnodes + n,
		    sizeof *s->lnodes) != 0)
			goto nomem;
		s->loc_node0[i] = (uint32_t)s->nlnodes;
		s->loc_nnodes[i] = n;
		for (j = 0; j < n; j++) {
			struct graph_info in;
			uint32_t id;

			if (frame_info(p, gran, l, l->nlines > 0 ?
			    &p->lines[l->line0 + j] : NULL, file_cache, &tmp,
			    &in) != 0 ||
			    (id = intern_info(p, s, &in, &name)) == PROF_NONE)
				goto nomem;
			s->lnodes[s->nlnodes++] = id;
		}
	}
	if (build_tags(p, s, &tmp) != 0 || spell_stacks(p, s, view) != 0)
		goto nomem;
	free(file_cache);
	free(tmp.s);
	free(name.s);
	return s;
nomem:
	diag_nomem(d);
	free(file_cache);
	free(tmp.s);
	free(name.s);
	graph_space_free(s);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Graphs. */

struct graph *
graph_new(size_t ntypes, size_t nin, size_t sel, size_t nn, size_t ne)
{
	struct graph *g = calloc(1, sizeof *g);

	if (g == NULL)
		return NULL;
	g->ntypes = ntypes;
	g->nin = nin;
	g->sel = sel;
	g->names = mem_calloc(nn, sizeof *g->names);
	g->info = mem_calloc(nn, sizeof *g->info);
	g->flat = mem_calloc(nn * ntypes, sizeof *g->flat);
	g->cum = mem_calloc(nn * ntypes, sizeof *g->cum);
	g->sflat = mem_calloc(nn, sizeof *g->sflat);
	g->scum = mem_calloc(nn, sizeof *g->scum);
	g->edges = mem_calloc(ne, sizeof *g->edges);
	g->ew = mem_calloc(ne * ntypes, sizeof *g->ew);
	g->sew = mem_calloc(ne, sizeof *g->sew);
	if (g->names == NULL || g->info == NULL || g->flat == NULL ||
	    g->cum == NULL || g->edges == NULL || g->ew == NULL ||
	    g->sflat == NULL || g->scum == NULL || g->sew == NULL ||
	    (ntypes > 0 && (nn > SIZE_MAX / ntypes || ne > SIZE_MAX / ntypes))) {
		graph_free(g);
		return NULL;
	}
	return g;
}

void
graph_free(struct graph *g)
{
	if (g == NULL)
		return;
	free(g->names);
	free(g->info);
	free(g->flat);
	free(g->cum);
	free(g->sflat);
	free(g->scum);
	free(g->edges);
	free(g->ew);
	free(g->sew);
	free(g->out0);
	free(g->outn);
	free(g->in0);
	free(g->inn);
	free(g->adj);
	free(g->tags);
	free(g->order);
	free(g);
}

int
graph_index(struct graph *g)
{
	size_t i, live = 0, nall = g->nnodes + g->nghost;
	uint32_t *opos, *ipos;

	free(g->out0);
	free(g->outn);
	free(g->in0);
	free(g->inn);
	free(g->adj);
	g->out0 = mem_calloc(nall, sizeof *g->out0);
	g->outn = mem_calloc(nall, sizeof *g->outn);
	g->in0 = mem_calloc(nall, sizeof *g->in0);
	g->inn = mem_calloc(nall, sizeof *g->inn);
	for (i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed)
			live++;
	g->adj = mem_calloc(2 * live, sizeof *g->adj);
	if (g->out0 == NULL || g->outn == NULL || g->in0 == NULL ||
	    g->inn == NULL || g->adj == NULL)
		return -1;
	for (i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed) {
			g->outn[g->edges[i].src]++;
			g->inn[g->edges[i].dst]++;
		}
	{
		uint32_t pos = 0;

		for (i = 0; i < nall; i++) {
			g->out0[i] = pos;
			pos += g->outn[i];
		}
		for (i = 0; i < nall; i++) {
			g->in0[i] = pos;
			pos += g->inn[i];
		}
	}
	opos = mem_calloc(nall, sizeof *opos);
	ipos = mem_calloc(nall, sizeof *ipos);
	if (opos == NULL || ipos == NULL) {
		free(opos);
		free(ipos);
		return -1;
	}
	for (i = 0; i < g->nedges; i++) {
		const struct graph_edge *e = &g->edges[i];

		if (e->removed)
			continue;
		g->adj[g->out0[e->src] + opos[e->src]++] = (uint32_t)i;
		g->adj[g->in0[e->dst] + ipos[e->dst]++] = (uint32_t)i;
	}
	free(opos);
	free(ipos);
	return 0;
}

/* The state of one build. */
struct build {
	const struct prof *p;
	const struct graph_space *s;
	size_t nt, sel;
	size_t base;			/* column of the selected base, or 0 */
	bool sel_only;			/* sum only sel and base (nodes only) */
	bool drop_negative;
	bool all_tags;
	struct diag *d;

	/* Nodes by info, created on first touch. */
	uint32_t *node_of;		/* per info */
	uint32_t *ninfo;		/* per node */
	int64_t *flat, *cum;
	uint32_t *nseen;
	size_t nn, capn, capnv, capnc, capseen;

	struct graph_edge *edges;
	int64_t *ew;
	uint32_t *eseen;
	bool *present;
	size_t ne, cape, capev, capeseen, cappres;
	struct hmap64 edge_index;	/* src << 32 | dst */

	struct graph_tag *tags;
	size_t ntags, captags;
	struct hmap64 tag_index;	/* node << 32 | tag key */
};

static uint32_t
node_for(struct build *b, uint32_t info)
{
	uint32_t n = b->node_of[info];

	if (n != PROF_NONE)
		return n;
	if (mem_reserve(&b->ninfo, &b->capn, b->nn + 1, sizeof *b->ninfo) ||
	    mem_reserve(&b->nseen, &b->capseen, b->nn + 1,
	    sizeof *b->nseen) ||
	    mem_reserve(&b->flat, &b->capnv, (b->nn + 1) * b->nt,
	    sizeof *b->flat) ||
	    mem_reserve(&b->cum, &b->capnc, (b->nn + 1) * b->nt,
	    sizeof *b->cum))
		return PROF_NONE;
	n = (uint32_t)b->nn++;
	b->ninfo[n] = info;
	b->nseen[n] = 0;
	memset(b->flat + (size_t)n * b->nt, 0, b->nt * sizeof *b->flat);
	memset(b->cum + (size_t)n * b->nt, 0, b->nt * sizeof *b->cum);
	b->node_of[info] = n;
	return n;
}

static uint32_t
edge_for(struct build *b, uint32_t src, uint32_t dst)
{
	uint64_t key = (uint64_t)src << 32 | dst;
	uint32_t e = hmap64_find(&b->edge_index, key);

	if (e != HMAP_NONE)
		return e;
	if (b->ne >= PROF_NONE - 1 ||
	    mem_reserve(&b->edges, &b->cape, b->ne + 1, sizeof *b->edges) ||
	    mem_reserve(&b->eseen, &b->capeseen, b->ne + 1,
	    sizeof *b->eseen) ||
	    mem_reserve(&b->present, &b->cappres, b->ne + 1,
	    sizeof *b->present) ||
	    mem_reserve(&b->ew, &b->capev, (b->ne + 1) * b->nt,
	    sizeof *b->ew) ||
	    hmap64_add(&b->edge_index, key, (uint32_t)b->ne))
		return PROF_NONE;
	e = (uint32_t)b->ne++;
	b->edges[e].src = src;
	b->edges[e].dst = dst;
	b->edges[e].flags = 0;
	b->edges[e].removed = false;
	b->eseen[e] = 0;
	b->present[e] = false;
	memset(b->ew + (size_t)e * b->nt, 0, b->nt * sizeof *b->ew);
	return e;
}

static struct graph_tag *
tag_for(struct build *b, uint32_t node, uint32_t key)
{
	uint64_t k = (uint64_t)node << 32 | key;
	uint32_t t = hmap64_find(&b->tag_index, k);

	if (t != HMAP_NONE)
		return &b->tags[t];
	if (mem_reserve(&b->tags, &b->captags, b->ntags + 1,
	    sizeof *b->tags) ||
	    hmap64_add(&b->tag_index, k, (uint32_t)b->ntags))
		return NULL;
	t = (uint32_t)b->ntags++;
	memset(&b->tags[t], 0, sizeof b->tags[t]);
	b->tags[t].node = node;
	b->tags[t].key = key;
	return &b->tags[t];
}

static int
sum_overflow(struct build *b, size_t t)
{
	diag_set(b->d, "the graph's sums of %s overflow a 64-bit integer",
	    t < b->p->ntypes ? prof_str(b->p, b->p->types[t].type) :
	    "base values");
	return -1;
}

/*
 * dst[i] += src[i] for every type (only the selected one and its base
 * in a nodes-only build, which just decides what to keep),
 * overflow-checked.
 */
static int
add_row(struct build *b, int64_t *dst, const int64_t *src)
{
	size_t t;

	if (b->sel_only) {
		if (__builtin_add_overflow(dst[b->sel], src[b->sel],
		    &dst[b->sel]))
			return sum_overflow(b, b->sel);
		if (b->base != 0 && __builtin_add_overflow(dst[b->base],
		    src[b->base], &dst[b->base]))
			return sum_overflow(b, b->base);
		return 0;
	}
	for (t = 0; t < b->nt; t++)
		if (__builtin_add_overflow(dst[t], src[t], &dst[t]))
			return sum_overflow(b, t);
	return 0;
}

static int
add_tags(struct build *b, uint32_t node, uint32_t ls, int64_t w, bool flat)
{
	const struct graph_space *s = b->s;
	uint32_t i;

	for (i = 0; i < s->ls_ntags[ls]; i++) {
		struct graph_tag *t = tag_for(b, node,
		    s->ls_tags[s->ls_tag0[ls] + i]);
		int64_t *v;

		if (t == NULL) {
			diag_nomem(b->d);
			return -1;
		}
		v = flat ? &t->flat : &t->cum;
		if (__builtin_add_overflow(*v, w, v)) {
			diag_set(b->d, "tag values overflow a 64-bit integer");
			return -1;
		}
	}
	return 0;
}

/*
 * One unique stack, walked from the root as pprof's newGraph walks a
 * sample.  gen stamps what this stack has already counted.
 */
static int
add_stack(struct build *b, size_t stack, const int64_t *row, uint32_t gen,
    const unsigned char *kept, bool tags, bool edges)
{
	const struct prof_stack *st = &b->p->stacks[stack];
	const struct graph_space *s = b->s;
	int64_t w = row[b->sel];
	bool contributes;

	/* The selected value is net of its base, as pprof merges them. */
	if (b->base != 0 && __builtin_sub_overflow(w, row[b->base], &w)) {
		diag_set(b->d, "the difference between a profile and its base "
		    "overflows a 64-bit integer");
		return -1;
	}
	contributes = w != 0;
	uint32_t parent = PROF_NONE;
	bool residual = false;
	const uint32_t *q = s->seq + s->seq0[stack];
	const uint32_t *end = s->seq + s->seq0[stack + 1];

	for (; q < end; q++) {
		uint32_t info = *q & SEQ_INFO;
		uint32_t n;

		if (kept != NULL && !kept[info]) {
			residual = true;
			continue;
		}
		if ((n = node_for(b, info)) == PROF_NONE) {
			diag_nomem(b->d);
			return -1;
		}
		if (b->nseen[n] != gen) {
			b->nseen[n] = gen;
			if (add_row(b, b->cum + (size_t)n * b->nt, row) != 0)
				return -1;
			if (tags && contributes && (b->all_tags ||
			    s->leaf_tagged[info]) &&
			    add_tags(b, n, st->labelset, w, false) != 0)
				return -1;
		}
		if (edges && parent != PROF_NONE && n != parent) {
			uint32_t e = edge_for(b, parent, n);

			if (e == PROF_NONE) {
				diag_nomem(b->d);
				return -1;
			}
			if (b->eseen[e] != gen) {
				uint8_t f = ((*q & SEQ_INLINE) ? GRAPH_INLINE :
				    0) | (residual ? GRAPH_RESIDUAL : 0);

				b->eseen[e] = gen;
				if (add_row(b, b->ew + (size_t)e * b->nt,
				    row) != 0)
					return -1;
				if (contributes && !b->present[e]) {
					b->present[e] = true;
					b->edges[e].flags = f;
				} else if (contributes) {
					b->edges[e].flags =
					    (b->edges[e].flags & f &
					    GRAPH_INLINE) |
					    ((b->edges[e].flags | f) &
					    GRAPH_RESIDUAL);
				}
			}
		}
		parent = n;
		residual = false;
	}
	if (parent != PROF_NONE && !residual) {
		if (add_row(b, b->flat + (size_t)parent * b->nt, row) != 0)
			return -1;
		if (tags && contributes &&
		    add_tags(b, parent, st->labelset, w, true) != 0)
			return -1;
	}
	return 0;
}

static void
build_free(struct build *b)
{
	free(b->node_of);
	free(b->ninfo);
	free(b->flat);
	free(b->cum);
	free(b->nseen);
	free(b->edges);
	free(b->ew);
	free(b->eseen);
	free(b->present);
	hmap64_free(&b->edge_index);
	free(b->tags);
	hmap64_free(&b->tag_index);
}

/*
 * The selected value of a row, net of its base.  Sums were checked as
 * they were made; their difference saturates rather than wraps.
 */
static int64_t
net(const struct build *b, const int64_t *row)
{
	int64_t v;

	if (b->base == 0)
		return row[b->sel];
	if (__builtin_sub_overflow(row[b->sel], row[b->base], &v))
		return row[b->sel] < 0 ? INT64_MIN : INT64_MAX;
	return v;
}

/* Keep nodes with a selected value and edges that a sample drew. */
static struct graph *
compact(struct build *b)
{
	size_t nt = b->nt, i, nn = 0, nghost = 0, ne = 0, ntg = 0;
	uint32_t *remap = mem_calloc(b->nn, sizeof *remap);
	struct graph *g;

	if (remap == NULL)
		return NULL;
	for (i = 0; i < b->nn; i++) {
		int64_t f = net(b, b->flat + i * nt), c = net(b, b->cum + i * nt);
		bool keep = f != 0 || c != 0;

		/* pprof's isNegative, for -drop_negative. */
		if (b->drop_negative && (f < 0 || (f == 0 && c < 0)))
			keep = false;
		remap[i] = keep ? (uint32_t)nn++ : PROF_NONE;
	}
	/* The nodes left out become ghosts, numbered after the rest. */
	for (i = 0; i < b->nn; i++)
		if (remap[i] == PROF_NONE)
			remap[i] = (uint32_t)(nn + nghost++);
	for (i = 0; i < b->ne; i++)
		if (b->present[i])
			ne++;
	g = graph_new(nt, b->base != 0 ? nt / 2 : nt, b->sel, nn + nghost, ne);
	if (g == NULL) {
		free(remap);
		return NULL;
	}
	g->nnodes = nn;
	g->nghost = nghost;
	for (i = 0; i < b->nn; i++) {
		uint32_t n = remap[i];
		const struct graph_info *in;

		in = &b->s->infos[b->ninfo[i]];
		g->info[n] = b->ninfo[i];
		g->names[n] = prof_str(b->p, in->key);
		memcpy(g->flat + (size_t)n * nt, b->flat + i * nt,
		    nt * sizeof *g->flat);
		memcpy(g->cum + (size_t)n * nt, b->cum + i * nt,
		    nt * sizeof *g->cum);
		g->sflat[n] = net(b, b->flat + i * nt);
		g->scum[n] = net(b, b->cum + i * nt);
	}
	for (i = 0; i < b->ne; i++) {
		const struct graph_edge *e = &b->edges[i];

		if (!b->present[i])
			continue;
		g->edges[g->nedges].src = remap[e->src];
		g->edges[g->nedges].dst = remap[e->dst];
		g->edges[g->nedges].flags = e->flags;
		memcpy(g->ew + g->nedges * nt, b->ew + i * nt,
		    nt * sizeof *g->ew);
		g->sew[g->nedges] = net(b, b->ew + i * nt);
		g->nedges++;
	}
	for (i = 0; i < b->ntags; i++)
		if (remap[b->tags[i].node] < nn)
			ntg++;
	if (ntg > 0) {
		g->tags = mem_calloc(ntg, sizeof *g->tags);
		if (g->tags == NULL) {
			free(remap);
			graph_free(g);
			return NULL;
		}
		for (i = 0; i < b->ntags; i++)
			if (remap[b->tags[i].node] < nn) {
				g->tags[g->ntags] = b->tags[i];
				g->tags[g->ntags].node = remap[b->tags[i].node];
				g->ntags++;
			}
	}
	free(remap);
	if (graph_index(g) != 0) {
		graph_free(g);
		return NULL;
	}
	return g;
}

struct graph *
graph_build(const struct prof *p, const struct graph_space *s,
    const struct graph_build_opts *o, struct diag *d)
{
	struct build b;
	struct graph *g = NULL;
	size_t i;
	uint32_t gen = 0;

	memset(&b, 0, sizeof b);
	b.p = p;
	b.s = s;
	b.nt = p->nvalues_per;
	b.sel = o->sel;
	b.base = p->nvalues_per > p->nvalues_in ? p->nvalues_in + o->sel : 0;
	b.sel_only = o->nodes_only;
	b.drop_negative = o->drop_negative;
	b.all_tags = o->all_tags;
	b.d = d;
	b.node_of = mem_calloc(s->ninfos, sizeof *b.node_of);
	if (b.node_of == NULL)
		goto nomem;
	for (i = 0; i < s->ninfos; i++)
		b.node_of[i] = PROF_NONE;
	for (i = 0; i < p->nstacks; i++) {
		if (++gen == 0) {
			/* Stamps wrapped: forget them all. */
			memset(b.nseen, 0, b.nn * sizeof *b.nseen);
			memset(b.eseen, 0, b.ne * sizeof *b.eseen);
			gen = 1;
		}
		if (add_stack(&b, i, prof_stack_values(p, i), gen,
		    o->kept, o->tags && !o->nodes_only, !o->nodes_only) != 0)
			goto out;
	}
	if ((g = compact(&b)) == NULL)
		goto nomem;
	g->nodes_only = o->nodes_only;
	goto out;
nomem:
	diag_nomem(d);
out:
	build_free(&b);
	return g;
}
