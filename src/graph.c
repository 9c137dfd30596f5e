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

/*
 * Spelling every stack whole, in two steps over stacks [lo, hi): first
 * each stack's offset from the range's first (and which nodes end a
 * tagged stack), then, once seq is allocated, the entries.
 */
struct spell_job {
	const struct prof *p;
	struct graph_space *s;
	const uint32_t *one;	/* per location: its node, if only one */
	unsigned char *leaf_tagged;
	size_t lo, hi;
	size_t len;		/* entries of the range */
	size_t at;		/* offset of the range's first stack */
	bool spell;		/* the second step */
};

static void *
spell_range(void *arg)
{
	struct spell_job *j = arg;
	const struct prof *p = j->p;
	struct graph_space *s = j->s;
	size_t i, k = 0;

	if (!j->spell) {
		for (i = j->lo; i < j->hi; i++) {
			const struct prof_stack *st = &p->stacks[i];
			const uint32_t *fr = p->frames + st->frame0;
			uint32_t f;

			s->seq0[i] = (uint32_t)k;
			for (f = 0; f < st->depth; f++)
				k += s->loc_nnodes[fr[f]];
			/* The leaf's innermost line is spelled last. */
			if (st->depth > 0 && s->ls_ntags[st->labelset] > 0)
				j->leaf_tagged[s->lnodes[
				    s->loc_node0[fr[0]]]] = 1;
		}
		j->len = k;
		return NULL;
	}
	for (i = j->lo; i < j->hi; i++) {
		const struct prof_stack *st = &p->stacks[i];
		const uint32_t *fr = p->frames + st->frame0;
		uint32_t *out;
		uint32_t f;

		s->seq0[i] += (uint32_t)j->at;
		out = s->seq + s->seq0[i];
		for (f = st->depth; f-- > 0;) {
			uint32_t n = j->one[fr[f]];

			if (n != PROF_NONE)
				*out++ = n;
			else
				out = s->seq + spell_loc(p, s, NULL, fr[f],
				    (size_t)(out - s->seq));
		}
	}
	return NULL;
}

/*
 * Stacks of at least this many frames (entries) in all are spelled, and
 * walked by each build, by two threads, each taking half of them: the
 * inflating thread is done by then.  Each spells its half of seq; a
 * build's halves are merged.
 */
size_t graph_parallel_entries = (size_t)1 << 20;

/*
 * fn(a) here and fn(b) in a thread of its own (b NULL: none); when no
 * thread can be had, fn(b) runs here after fn(a).  Both are done on
 * return.
 */
static void
run_pair(void *(*fn)(void *), void *a, void *b)
{
	pthread_t t;
	bool threaded = b != NULL && pthread_create(&t, NULL, fn, b) == 0;

	fn(a);
	if (threaded)
		pthread_join(t, NULL);
	else if (b != NULL)
		fn(b);
}

/* Run jobs[0] here and jobs[1] (if it has stacks) in a thread. */
static void
spell_step(struct spell_job *jobs)
{
	run_pair(spell_range, &jobs[0], jobs[1].lo < jobs[1].hi ? &jobs[1] :
	    NULL);
}

/* Spell every stack whole. */
static int
spell_all(const struct prof *p, struct graph_space *s)
{
	struct spell_job jobs[2];
	uint32_t *one = mem_calloc(p->nlocs, sizeof *one);
	unsigned char *tagged2 = mem_calloc(s->ninfos, 1);
	size_t i, split = p->nstacks;
	int rc = -1;

	if (one == NULL || tagged2 == NULL)
		goto out;
	for (i = 0; i < p->nlocs; i++)
		one[i] = s->loc_nnodes[i] == 1 ? s->lnodes[s->loc_node0[i]] :
		    PROF_NONE;
	if (p->nframes >= graph_parallel_entries) {
		/* Split where half the frames are. */
		size_t lo = 0, hi = p->nstacks;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (p->stacks[mid].frame0 < p->nframes / 2)
				lo = mid + 1;
			else
				hi = mid;
		}
		split = lo;
	}
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < 2; i++) {
		jobs[i].p = p;
		jobs[i].s = s;
		jobs[i].one = one;
	}
	jobs[0].leaf_tagged = s->leaf_tagged;
	jobs[1].leaf_tagged = tagged2;
	jobs[0].lo = 0;
	jobs[0].hi = jobs[1].lo = split;
	jobs[1].hi = p->nstacks;
	spell_step(jobs);
	s->nseq = jobs[0].len + jobs[1].len;
	if (s->nseq > UINT32_MAX ||
	    (s->seq = mem_calloc(s->nseq, sizeof *s->seq)) == NULL)
		goto out;
	s->seq0[p->nstacks] = (uint32_t)s->nseq;
	for (i = 0; i < s->ninfos; i++)
		s->leaf_tagged[i] |= tagged2[i];
	jobs[0].at = 0;
	jobs[1].at = jobs[0].len;
	jobs[0].spell = jobs[1].spell = true;
	spell_step(jobs);
	rc = 0;
out:
	free(one);
	free(tagged2);
	return rc;
}

/* Fill s->seq, s->seq0 and s->leaf_tagged from p's stacks (graph.h). */
static int
spell_stacks(const struct prof *p, struct graph_space *s,
    const struct filter_view *v)
{
	size_t total = 0, i, k = 0;

	if (s->ninfos > SEQ_INFO ||
	    (s->seq0 = mem_calloc(p->nstacks + 1, sizeof *s->seq0)) == NULL ||
	    (s->leaf_tagged = mem_calloc(s->ninfos, 1)) == NULL)
		return -1;
	if (v == NULL)
		return spell_all(p, s);
	for (i = 0; i < p->nframes; i++)
		total += s->loc_nnodes[p->frames[i]];
	if (total > UINT32_MAX ||
	    (s->seq = mem_calloc(total, sizeof *s->seq)) == NULL)
		return -1;
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
	s->nseq = k;
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
	uint32_t *func_info = NULL;
	struct buf tmp = { NULL, 0, 0 }, name = { NULL, 0, 0 };
	size_t i, cap = 0;

	if (s == NULL || file_cache == NULL)
		goto nomem;
	/*
	 * Without lines or addresses a frame's node is its function's:
	 * name each function once (id + 1 per function).
	 */
	if ((gran == GRAN_FUNCTIONS || gran == GRAN_FILEFUNCTIONS ||
	    gran == GRAN_FILES) &&
	    (func_info = mem_calloc(p->nfuncs, sizeof *func_info)) == NULL)
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
			const struct prof_line *ln = l->nlines > 0 ?
			    &p->lines[l->line0 + j] : NULL;
			uint32_t f = ln != NULL ? ln->func : PROF_NONE;
			struct graph_info in;
			uint32_t id;

			if (func_info != NULL && f != PROF_NONE &&
			    func_info[f] != 0) {
				s->lnodes[s->nlnodes++] = func_info[f] - 1;
				continue;
			}
			if (frame_info(p, gran, l, ln, file_cache, &tmp,
			    &in) != 0 ||
			    (id = intern_info(p, s, &in, &name)) == PROF_NONE)
				goto nomem;
			/* Named by its function alone (not its mapping)? */
			if (func_info != NULL && f != PROF_NONE &&
			    (in.func != 0 || in.file != 0))
				func_info[f] = id + 1;
			s->lnodes[s->nlnodes++] = id;
		}
	}
	if (build_tags(p, s, &tmp) != 0 || spell_stacks(p, s, view) != 0)
		goto nomem;
	free(file_cache);
	free(func_info);
	free(tmp.s);
	free(name.s);
	return s;
nomem:
	diag_nomem(d);
	free(file_cache);
	free(func_info);
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
overflow_of(const struct prof *p, size_t t, struct diag *d)
{
	diag_set(d, "the graph's sums of %s overflow a 64-bit integer",
	    t < p->ntypes ? prof_str(p, p->types[t].type) : "base values");
	return -1;
}

static int
sum_overflow(struct build *b, size_t t)
{
	return overflow_of(b->p, t, b->d);
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

/* The first of stacks [0, n) at or past half of s's entries. */
static size_t
split_half(const struct graph_space *s, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->seq0[mid] < s->nseq / 2)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Fold build x (the later stacks) into build a (the earlier ones):
 * x's nodes, edges and tags not in a are appended in x's order, so the
 * result numbers them by first touch as one walk over all stacks does;
 * values add (checked), edge flags combine as add_stack combines them.
 */
static int
build_merge(struct build *a, const struct build *x)
{
	uint32_t *nmap = mem_calloc(x->nn, sizeof *nmap);
	size_t nt = a->nt, i;

	if (nmap == NULL)
		goto nomem;
	for (i = 0; i < x->nn; i++) {
		uint32_t n = node_for(a, x->ninfo[i]);

		if (n == PROF_NONE)
			goto nomem;
		nmap[i] = n;
		if (add_row(a, a->cum + (size_t)n * nt, x->cum + i * nt) != 0 ||
		    add_row(a, a->flat + (size_t)n * nt, x->flat + i * nt) != 0)
			goto fail;
	}
	for (i = 0; i < x->ne; i++) {
		const struct graph_edge *xe = &x->edges[i];
		uint32_t e = edge_for(a, nmap[xe->src], nmap[xe->dst]);

		if (e == PROF_NONE)
			goto nomem;
		if (add_row(a, a->ew + (size_t)e * nt, x->ew + i * nt) != 0)
			goto fail;
		if (!x->present[i])
			continue;
		if (!a->present[e]) {
			a->present[e] = true;
			a->edges[e].flags = xe->flags;
		} else {
			a->edges[e].flags = (a->edges[e].flags & xe->flags &
			    GRAPH_INLINE) | ((a->edges[e].flags | xe->flags) &
			    GRAPH_RESIDUAL);
		}
	}
	for (i = 0; i < x->ntags; i++) {
		const struct graph_tag *xt = &x->tags[i];
		struct graph_tag *t = tag_for(a, nmap[xt->node], xt->key);

		if (t == NULL)
			goto nomem;
		if (__builtin_add_overflow(t->flat, xt->flat, &t->flat) ||
		    __builtin_add_overflow(t->cum, xt->cum, &t->cum)) {
			diag_set(a->d, "tag values overflow a 64-bit integer");
			goto fail;
		}
	}
	free(nmap);
	return 0;
nomem:
	diag_nomem(a->d);
fail:
	free(nmap);
	return -1;
}

static int
build_init(struct build *b, const struct prof *p, const struct graph_space *s,
    const struct graph_build_opts *o, struct diag *d)
{
	size_t i;

	memset(b, 0, sizeof *b);
	b->p = p;
	b->s = s;
	b->nt = p->nvalues_per;
	b->sel = o->sel;
	b->base = p->nvalues_per > p->nvalues_in ? p->nvalues_in + o->sel : 0;
	b->sel_only = o->nodes_only;
	b->drop_negative = o->drop_negative;
	b->all_tags = o->all_tags;
	b->d = d;
	b->node_of = mem_calloc(s->ninfos, sizeof *b->node_of);
	if (b->node_of == NULL) {
		diag_nomem(d);
		return -1;
	}
	for (i = 0; i < s->ninfos; i++)
		b->node_of[i] = PROF_NONE;
	return 0;
}

/* One build's share: stacks [lo, hi). */
struct build_job {
	struct build b;
	const struct graph_build_opts *o;
	size_t lo, hi;
	int rc;
};

static void *
build_range(void *arg)
{
	struct build_job *j = arg;
	struct build *b = &j->b;
	const struct graph_build_opts *o = j->o;
	size_t i;
	uint32_t gen = 0;

	j->rc = 0;
	for (i = j->lo; i < j->hi; i++) {
		if (++gen == 0) {
			/* Stamps wrapped: forget them all. */
			memset(b->nseen, 0, b->nn * sizeof *b->nseen);
			memset(b->eseen, 0, b->ne * sizeof *b->eseen);
			gen = 1;
		}
		if (add_stack(b, i, prof_stack_values(b->p, i), gen,
		    o->kept, o->tags && !o->nodes_only, !o->nodes_only) != 0) {
			j->rc = -1;
			break;
		}
	}
	return NULL;
}

/*
 * The nodes-only walk over stacks [lo, hi): per info, the sums of the
 * selected value and its base (cum counted once a stack, flat at the
 * leaf), in arrays indexed by info that stay in cache.
 */
struct sums_job {
	const struct prof *p;
	const struct graph_space *s;
	size_t sel, base, lo, hi;
	int64_t *sum;		/* per info: cum, flat (then base's) */
	uint32_t *seen;		/* per info: stamp; 0 never touched */
	struct diag *d;
	int rc;
};

#define SUMS_W 4		/* cum, flat, base cum, base flat */

static int
sums_add(struct sums_job *j, int64_t *dst, const int64_t *row)
{
	if (__builtin_add_overflow(dst[0], row[j->sel], &dst[0]))
		return overflow_of(j->p, j->sel, j->d);
	if (j->base != 0 &&
	    __builtin_add_overflow(dst[2], row[j->base], &dst[2]))
		return overflow_of(j->p, j->base, j->d);
	return 0;
}

static void *
sums_range(void *arg)
{
	struct sums_job *j = arg;
	const struct graph_space *s = j->s;
	uint32_t gen = 0;
	size_t i;

	j->rc = 0;
	for (i = j->lo; i < j->hi; i++) {
		const int64_t *row = prof_stack_values(j->p, i);
		const uint32_t *q = s->seq + s->seq0[i];
		const uint32_t *end = s->seq + s->seq0[i + 1];

		if (q == end)
			continue;
		if (++gen == 0) {
			/* Stamps wrapped: forget them, but not what was
			 * touched. */
			size_t k;

			for (k = 0; k < s->ninfos; k++)
				j->seen[k] = j->seen[k] != 0;
			gen = 2;
		}
		for (; q < end; q++) {
			uint32_t info = *q & SEQ_INFO;

			if (j->seen[info] == gen)
				continue;
			j->seen[info] = gen;
			if (sums_add(j, j->sum + (size_t)info * SUMS_W,
			    row) != 0)
				goto fail;
		}
		/* The flat entry: at the leaf, the last entry. */
		if (sums_add(j, j->sum + (size_t)(end[-1] & SEQ_INFO) *
		    SUMS_W + 1, row) != 0)
			goto fail;
	}
	return NULL;
fail:
	j->rc = -1;
	return NULL;
}

/*
 * The first pass, nodes only and every node kept: the sums per info in
 * two threads on big spaces, then one node per touched info, in info
 * order (only the nodes' values matter to trimming, not their order).
 */
static int
build_sums(struct build *b, const struct graph_build_opts *o)
{
	const struct prof *p = b->p;
	const struct graph_space *s = b->s;
	struct sums_job jobs[2];
	struct diag d2 = { false, "" };
	size_t i, n = s->ninfos;
	bool split = false;
	int rc = -1;

	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < 2; i++) {
		jobs[i].p = p;
		jobs[i].s = s;
		jobs[i].sel = o->sel;
		jobs[i].base = b->base;
		jobs[i].lo = jobs[i].hi = p->nstacks;
	}
	jobs[0].lo = 0;
	jobs[0].d = b->d;
	jobs[1].d = &d2;
	jobs[0].sum = mem_calloc(n * SUMS_W, sizeof *jobs[0].sum);
	jobs[0].seen = mem_calloc(n, sizeof *jobs[0].seen);
	if (jobs[0].sum == NULL || jobs[0].seen == NULL)
		goto nomem;
	if (s->nseq >= graph_parallel_entries && p->nstacks > 1) {
		jobs[0].hi = jobs[1].lo = split_half(s, p->nstacks);
		jobs[1].sum = mem_calloc(n * SUMS_W, sizeof *jobs[1].sum);
		jobs[1].seen = mem_calloc(n, sizeof *jobs[1].seen);
		if (jobs[1].sum == NULL || jobs[1].seen == NULL)
			goto nomem;
		split = true;
	}
	run_pair(sums_range, &jobs[0], split ? &jobs[1] : NULL);
	if (jobs[0].rc != 0)
		goto out;
	if (split && jobs[1].rc != 0) {
		diag_set(b->d, "%s", d2.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		int64_t *x = jobs[0].sum + i * SUMS_W;
		uint32_t nd;
		size_t k;

		if (split) {
			const int64_t *y = jobs[1].sum + i * SUMS_W;

			for (k = 0; k < SUMS_W; k++)
				if (__builtin_add_overflow(x[k], y[k], &x[k])) {
					overflow_of(p, k < 2 ? b->sel :
					    b->base, b->d);
					goto out;
				}
			if (jobs[1].seen[i] != 0)
				jobs[0].seen[i] = 1;
		}
		if (jobs[0].seen[i] == 0)
			continue;
		if ((nd = node_for(b, (uint32_t)i)) == PROF_NONE)
			goto nomem;
		b->cum[(size_t)nd * b->nt + b->sel] = x[0];
		b->flat[(size_t)nd * b->nt + b->sel] = x[1];
		if (b->base != 0) {
			b->cum[(size_t)nd * b->nt + b->base] = x[2];
			b->flat[(size_t)nd * b->nt + b->base] = x[3];
		}
	}
	rc = 0;
	goto out;
nomem:
	diag_nomem(b->d);
out:
	for (i = 0; i < 2; i++) {
		free(jobs[i].sum);
		free(jobs[i].seen);
	}
	return rc;
}

/*
 * Walk every stack into jobs[0].b, in two threads (jobs[1].b taking the
 * later half, then merged) on big spaces.  A sum that only overflows
 * part way, with values of both signs, may be found in one order and
 * not the other; either way no sum wraps.
 */
static int
build_walk(struct build_job *jobs, const struct graph_build_opts *o)
{
	const struct prof *p = jobs[0].b.p;
	const struct graph_space *s = jobs[0].b.s;
	struct diag d2 = { false, "" };
	bool split = false;

	jobs[0].o = jobs[1].o = o;
	jobs[0].lo = 0;
	jobs[0].hi = p->nstacks;
	if (s->nseq >= graph_parallel_entries && p->nstacks > 1) {
		if (build_init(&jobs[1].b, p, s, o, jobs[0].b.d) != 0)
			return -1;
		jobs[1].b.d = &d2;
		jobs[0].hi = jobs[1].lo = split_half(s, p->nstacks);
		jobs[1].hi = p->nstacks;
		split = true;
	}
	run_pair(build_range, &jobs[0], split ? &jobs[1] : NULL);
	if (!split || jobs[0].rc != 0)
		return jobs[0].rc;
	if (jobs[1].rc != 0) {
		diag_set(jobs[0].b.d, "%s", d2.msg);
		return -1;
	}
	return build_merge(&jobs[0].b, &jobs[1].b);
}

struct graph *
graph_build(const struct prof *p, const struct graph_space *s,
    const struct graph_build_opts *o, struct diag *d)
{
	struct build_job jobs[2];
	struct graph *g = NULL;

	memset(jobs, 0, sizeof jobs);
	if (build_init(&jobs[0].b, p, s, o, d) != 0)
		return NULL;
	if (o->nodes_only && o->kept == NULL ? build_sums(&jobs[0].b, o) :
	    build_walk(jobs, o))
		goto out;
	if ((g = compact(&jobs[0].b)) == NULL) {
		diag_nomem(d);
		goto out;
	}
	g->nodes_only = o->nodes_only;
out:
	build_free(&jobs[0].b);
	build_free(&jobs[1].b);
	return g;
}
