/*
 * pbdecode: a hand-walked top level over protobuf-c submessage unpacking.
 * See pbdecode.h.
 *
 * Ids and string indexes in a profile are local to it, and strings
 * usually come last (Go writes the string table at the end), so while a
 * profile is being read its functions, mappings, labels and types hold
 * raw string indexes, and its location/function/mapping ids are given
 * global slots on first sight through an idmap.  When the stream ends,
 * every raw index is checked and replaced by an interned string id, and
 * every id that was referred to must have been defined.
 */
#include "pbdecode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

#include "mem.h"
#include "profile.pb-c.h"

#define WINDOW_MIN (256 * 1024)
#define IDMAP_SEED 0x9ddfea08eb382d69ULL
#define LABEL_SEED 0x1b873593cc9e2d51ULL

uint64_t pbdecode_background_samples = 8192;

/* ---------------------------------------------------------------- */
/* A bump allocator for protobuf-c: one message at a time, reset after. */

struct arena {
	unsigned char *buf;
	size_t cap, used;
	void **big;		/* allocations that did not fit */
	size_t nbig, capbig;
};

static void *
arena_alloc(void *ctx, size_t size)
{
	struct arena *a = ctx;
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (need < size)
		return NULL;
	if (a->cap - a->used >= need) {
		p = a->buf + a->used;
		a->used += need;
		return p;
	}
	if (mem_reserve(&a->big, &a->capbig, a->nbig + 1, sizeof *a->big) != 0)
		return NULL;
	if ((p = malloc(size > 0 ? size : 1)) == NULL)
		return NULL;
	a->big[a->nbig++] = p;
	return p;
}

static void
arena_free(void *ctx, void *p)
{
	(void)ctx;
	(void)p;		/* everything goes at arena_reset */
}

static void
arena_reset(struct arena *a)
{
	size_t i;

	for (i = 0; i < a->nbig; i++)
		free(a->big[i]);
	a->nbig = 0;
	a->used = 0;
}

/* ---------------------------------------------------------------- */
/* idmap: a profile's own uint64 ids to dense indexes 0, 1, 2, ... */

struct idmap {
	/*
	 * Until mixed, the ids seen are 1, 2, ... n, first seen in that
	 * order, as Go numbers them: id's index is id - 1 and no table is
	 * read (on a big profile the table outgrows the cache, and a
	 * sample reads it once a frame).  The first id out of that order
	 * fills the direct table for 1..n and mixes.
	 */
	bool mixed;
	struct hmap index;	/* for ids that are not small */
	uint32_t *direct;	/* small ids: direct[id] = dense index + 1 */
	size_t ndirect;
	uint64_t *ids;
	unsigned char *defined;
	size_t n, cap, capdef;
};

static bool
idmap_eq(const void *ctx, uint32_t i, const void *key)
{
	return ((const struct idmap *)ctx)->ids[i] == *(const uint64_t *)key;
}

static void
idmap_free(struct idmap *m)
{
	hmap_free(&m->index);
	free(m->direct);
	free(m->ids);
	free(m->defined);
}

/*
 * Ids are nearly always 1, 2, 3...: those below a bound that grows with
 * the number of ids seen go through a direct table, so a sample's frames
 * cost an array read each; other ids are hashed.  The bound keeps a
 * single huge id from costing a huge table.
 */
static bool
idmap_small(const struct idmap *m, uint64_t id)
{
	return id < 4 * (uint64_t)m->n + 4096;
}

/* idmap_get's work when id is not (yet) in the direct table. */
static uint32_t
idmap_get_slow(struct idmap *m, uint64_t id)
{
	uint64_t h = 0;
	uint32_t i;

	if (!m->mixed && id != m->n + 1) {
		size_t k, cap = m->ndirect;

		/* Out of order: 1..n go into the direct table. */
		if (mem_reserve(&m->direct, &cap, m->n + 1,
		    sizeof *m->direct) != 0)
			return PROF_NONE;
		m->direct[0] = 0;
		for (k = 1; k <= m->n; k++)
			m->direct[k] = (uint32_t)k;
		memset(m->direct + m->n + 1, 0,
		    (cap - m->n - 1) * sizeof *m->direct);
		m->ndirect = cap;
		m->mixed = true;
		if (id < m->ndirect && m->direct[id] != 0)
			return m->direct[id] - 1;
	}
	if (m->mixed) {
		/* An id hashed while it was not yet small stays hashed. */
		h = mem_hash_mix(IDMAP_SEED, id);
		i = hmap_find(&m->index, h, idmap_eq, m, &id);
		if (i != HMAP_NONE)
			return i;
	}
	if (m->n >= PROF_NONE - 2 ||
	    mem_reserve(&m->ids, &m->cap, m->n + 1, sizeof *m->ids) != 0 ||
	    mem_reserve(&m->defined, &m->capdef, m->n + 1, 1) != 0)
		return PROF_NONE;
	if (!m->mixed) {
		/* The next in order: nothing to record. */
	} else if (idmap_small(m, id)) {
		if (id >= m->ndirect) {
			size_t cap = m->ndirect;
			uint32_t *nd;

			if (mem_reserve(&m->direct, &cap, (size_t)id + 1,
			    sizeof *m->direct) != 0)
				return PROF_NONE;
			nd = m->direct;
			memset(nd + m->ndirect, 0,
			    (cap - m->ndirect) * sizeof *nd);
			m->ndirect = cap;
		}
		m->direct[id] = (uint32_t)m->n + 1;
	} else if (hmap_add(&m->index, h, (uint32_t)m->n) != 0) {
		return PROF_NONE;
	}
	m->ids[m->n] = id;
	m->defined[m->n] = 0;
	return (uint32_t)m->n++;
}

/* The dense index of id, assigned on first sight; PROF_NONE: no memory. */
static inline uint32_t
idmap_get(struct idmap *m, uint64_t id)
{
	if (!m->mixed) {
		if (id - 1 < m->n)
			return (uint32_t)(id - 1);
	} else if (id < m->ndirect && m->direct[id] != 0) {
		return m->direct[id] - 1;
	}
	return idmap_get_slow(m, id);
}

/* ---------------------------------------------------------------- */
/* Samples without protobuf-c. */

/*
 * A varint of at most 10 bytes whose value fits 64 bits, wholly in
 * [*p, end): true and *p past it; false for anything else (which the
 * general decoder then judges).
 */
static inline bool
fast_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	const unsigned char *q = *p;
	uint64_t val = 0;
	unsigned i;

	for (i = 0; i < 10 && q + i < end; i++) {
		val |= (uint64_t)(q[i] & 0x7f) << (7 * i);
		if ((q[i] & 0x80) == 0) {
			if (i == 9 && q[i] > 1)
				return false;
			*p = q + i + 1;
			*v = val;
			return true;
		}
	}
	return false;
}

/* Append one number to a growing array of 64-bit numbers. */
static inline int
fast_push(uint64_t **a, size_t *n, size_t *cap, uint64_t v)
{
	if (*n == *cap && mem_reserve(a, cap, *n + 1, sizeof **a) != 0)
		return -1;
	(*a)[(*n)++] = v;
	return 0;
}

/* Field 1 (location_id) or 2 (value), packed or not, appended. */
static int
fast_field(struct pbdecode_sample *s, unsigned tag, const unsigned char **p,
    const unsigned char *end)
{
	bool ids = (tag >> 3) == 1;
	uint64_t **arr = ids ? &s->locs : &s->vals;
	size_t *n = ids ? &s->nlocs : &s->nvals;
	size_t *cap = ids ? &s->caplocs : &s->capvals;
	const unsigned char *fend;
	uint64_t v, len;

	if ((tag & 7) == 0) {
		if (!fast_varint(p, end, &v))
			return 0;
		return fast_push(arr, n, cap, v) != 0 ? -1 : 1;
	}
	if (!fast_varint(p, end, &len) || len > (uint64_t)(end - *p))
		return 0;
	fend = *p + len;
	while (*p < fend) {
		if (!fast_varint(p, fend, &v))
			return 0;
		if (fast_push(arr, n, cap, v) != 0)
			return -1;
	}
	return 1;
}

/* A Label message (field 3): its four varints, one-byte tags. */
static int
fast_label(struct pbdecode_sample *s, const unsigned char **p,
    const unsigned char *end)
{
	struct pbdecode_label *l;
	const unsigned char *lend;
	uint64_t len, v;

	if (!fast_varint(p, end, &len) || len > (uint64_t)(end - *p))
		return 0;
	lend = *p + len;
	if (s->nlabels == s->caplabels && mem_reserve(&s->labels,
	    &s->caplabels, s->nlabels + 1, sizeof *s->labels) != 0)
		return -1;
	l = &s->labels[s->nlabels++];
	memset(l, 0, sizeof *l);
	while (*p < lend) {
		unsigned tag = *(*p)++;

		if (tag != 0x08 && tag != 0x10 && tag != 0x18 && tag != 0x20)
			return 0;
		if (!fast_varint(p, lend, &v))
			return 0;
		switch (tag >> 3) {
		case 1: l->key = (int64_t)v; break;
		case 2: l->str = (int64_t)v; break;
		case 3: l->num = (int64_t)v; break;
		default: l->num_unit = (int64_t)v; break;
		}
	}
	return 1;
}

int
pbdecode_sample_fast(struct pbdecode_sample *s, const unsigned char *buf,
    size_t len)
{
	const unsigned char *p = buf, *end = buf + len;
	int r;

	s->nlocs = s->nvals = s->nlabels = 0;
	while (p < end) {
		unsigned tag = *p++;

		/* location_id and value, packed (wire type 2) or not (0),
		 * and labels, with one-byte tags; anything else is not
		 * for us. */
		if (tag == 0x1a)
			r = fast_label(s, &p, end);
		else if (tag == 0x08 || tag == 0x0a || tag == 0x10 ||
		    tag == 0x12)
			r = fast_field(s, tag, &p, end);
		else
			return 0;
		if (r <= 0)
			return r;
	}
	return 1;
}

void
pbdecode_sample_free(struct pbdecode_sample *s)
{
	free(s->labels);
	free(s->locs);
	free(s->vals);
	memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- */
/* The decoder's state for one input. */

struct raw_type {
	uint32_t type, unit;	/* raw string indexes */
};

struct dec {
	struct prof *p;
	struct input *in;
	struct diag *d;
	const char *name;

	/* Sliding window over the input. */
	unsigned char *win;
	size_t cap, lo, hi;	/* valid bytes are win[lo..hi) */
	uint64_t win_off;	/* stream offset of win[0] */
	bool eof;

	struct arena arena;
	ProtobufCAllocator alloc;

	/* Where this input's entities start in the global arrays. */
	size_t loc_base, func_base, map_base, labelset_base;
	struct idmap locs, funcs, maps;

	uint32_t *strs;		/* local string index -> string id */
	size_t nstrs, capstrs;

	struct raw_type *types;
	size_t ntypes, captypes;
	bool have_period_type;
	struct raw_type period_type;
	int64_t period, time_nanos, duration_nanos;
	uint32_t drop_frames, keep_frames, doc_url, default_type;
	uint32_t *comments;
	size_t ncomments, capcomments;

	/* Label sets of this input, keyed by their raw labels. */
	struct hmap labelset_index;
	struct prof_label *lbuf;
	size_t caplbuf;
	uint32_t *locbuf;
	size_t caplocbuf;
	struct pbdecode_sample fast;

	uint64_t nsamples;
	size_t first_sample_values;	/* value count of the first sample */
};

static int
fail(struct dec *x, uint64_t at, const char *what)
{
	diag_set(x->d, "%s: %s at byte %" PRIu64 "%s", x->name, what, at,
	    input_is_gzip(x->in) ? " of the decompressed data" : "");
	return -1;
}

static int
nomem(struct dec *x)
{
	diag_nomem(x->d);
	return -1;
}

/*
 * Make at least n bytes available at win[lo..].  Returns 1 when they
 * are, 0 when the stream ends first, -1 on a read error.  The window
 * only grows as real bytes arrive.
 */
static int
need(struct dec *x, size_t n)
{
	while (x->hi - x->lo < n) {
		ssize_t r;

		if (x->eof)
			return 0;
		if (x->lo > 0 && (x->hi == x->lo || x->cap - x->hi < n)) {
			memmove(x->win, x->win + x->lo, x->hi - x->lo);
			x->win_off += x->lo;
			x->hi -= x->lo;
			x->lo = 0;
		}
		/* Grow by doubling as bytes really arrive, never by what
		 * a length field merely claims. */
		if (x->cap - x->hi < WINDOW_MIN / 2 &&
		    mem_reserve(&x->win, &x->cap, x->hi + WINDOW_MIN, 1) != 0)
			return nomem(x);
		r = input_read(x->in, x->win + x->hi, x->cap - x->hi, x->d);
		if (r < 0)
			return -1;
		if (r == 0)
			x->eof = true;
		x->hi += (size_t)r;
	}
	return 1;
}

static uint64_t
offset(const struct dec *x)
{
	return x->win_off + x->lo;
}

/* Read a varint at the window; 1 ok, 0 clean end of stream, -1 error. */
static int
read_varint(struct dec *x, uint64_t *v, bool eof_ok)
{
	uint64_t at = offset(x), val = 0;
	unsigned shift = 0;
	size_t i, avail = x->hi - x->lo;
	/* No window yet before the first read: no pointer into it. */
	const unsigned char *w = avail > 0 ? x->win + x->lo : NULL;
	int r;

	/* The common case: the whole number is in the window. */
	for (i = 0; i < avail && i < 10; i++) {
		val |= (uint64_t)(w[i] & 0x7f) << (7 * i);
		if ((w[i] & 0x80) == 0) {
			if (i == 9 && w[i] > 1)
				break;
			x->lo += i + 1;
			*v = val;
			return 1;
		}
	}
	if (i == 10 || (i == 9 && i < avail))
		return fail(x, at, "invalid protobuf varint");
	val = 0;

	for (;;) {
		unsigned char b;

		r = need(x, 1);
		if (r < 0)
			return -1;
		if (r == 0) {
			if (shift == 0 && eof_ok)
				return 0;
			return fail(x, at, "truncated protobuf (the stream "
			    "ends inside a number)");
		}
		b = x->win[x->lo++];
		if (shift == 63 && b > 1)
			return fail(x, at, "invalid protobuf varint");
		val |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			break;
		shift += 7;
		if (shift > 63)
			return fail(x, at, "invalid protobuf varint");
	}
	*v = val;
	return 1;
}

/* ---------------------------------------------------------------- */
/* String indexes. */

/* Check a raw index's range now (the table's size is known at the end). */
static int
raw_index(struct dec *x, int64_t idx, uint32_t *out, uint64_t at,
    const char *what)
{
	char msg[160];

	if (idx < 0 || idx >= (int64_t)PROF_NONE - 1) {
		snprintf(msg, sizeof msg, "%s has string index %" PRId64
		    ", out of range", what, idx);
		return fail(x, at, msg);
	}
	*out = (uint32_t)idx;
	return 0;
}

/* Replace a raw index by its string id, once the table is complete. */
static int
resolve(struct dec *x, uint32_t *idx, const char *what)
{
	if (*idx >= x->nstrs) {
		diag_set(x->d, "%s: %s refers to string %" PRIu32 ", but the "
		    "string table has only %zu entries", x->name, what, *idx,
		    x->nstrs);
		return -1;
	}
	*idx = x->strs[*idx];
	return 0;
}

/* ---------------------------------------------------------------- */
/* Global slots for ids seen before their definition. */

static inline int
loc_slot(struct dec *x, uint64_t id, uint32_t *out)
{
	uint32_t i = idmap_get(&x->locs, id);
	struct prof_loc empty = { 0, PROF_NONE, 0, 0, false };

	if (i == PROF_NONE)
		return nomem(x);
	while (x->p->nlocs <= x->loc_base + i)
		if (prof_add_loc(x->p, &empty) == PROF_NONE)
			return nomem(x);
	*out = (uint32_t)(x->loc_base + i);
	return 0;
}

static int
func_slot(struct dec *x, uint64_t id, uint32_t *out)
{
	uint32_t i = idmap_get(&x->funcs, id);
	struct prof_func empty = { 0, 0, 0, 0 };

	if (i == PROF_NONE)
		return nomem(x);
	while (x->p->nfuncs <= x->func_base + i)
		if (prof_add_func(x->p, &empty) == PROF_NONE)
			return nomem(x);
	*out = (uint32_t)(x->func_base + i);
	return 0;
}

static int
map_slot(struct dec *x, uint64_t id, uint32_t *out)
{
	uint32_t i = idmap_get(&x->maps, id);
	struct prof_mapping empty;

	memset(&empty, 0, sizeof empty);
	if (i == PROF_NONE)
		return nomem(x);
	while (x->p->nmappings <= x->map_base + i)
		if (prof_add_mapping(x->p, &empty) == PROF_NONE)
			return nomem(x);
	*out = (uint32_t)(x->map_base + i);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Submessages. */

struct label_key {
	const struct prof_label *l;
	size_t n;
};

static bool
labelset_eq(const void *ctx, uint32_t id, const void *k)
{
	const struct prof *p = ctx;
	const struct label_key *key = k;
	const struct prof_labelset *s = &p->labelsets[id];
	size_t i;

	if (s->n != key->n)
		return false;
	for (i = 0; i < key->n; i++) {
		const struct prof_label *a = &p->labels[s->label0 + i];
		const struct prof_label *b = &key->l[i];

		if (a->key != b->key || a->str != b->str ||
		    a->unit != b->unit || a->is_num != b->is_num ||
		    a->num != b->num)
			return false;
	}
	return true;
}

static uint64_t
label_hash(const struct prof_label *l, size_t n)
{
	uint64_t h = LABEL_SEED;
	size_t i;

	for (i = 0; i < n; i++) {
		h = mem_hash_mix(h, l[i].key);
		h = mem_hash_mix(h, l[i].str);
		h = mem_hash_mix(h, l[i].unit);
		h = mem_hash_mix(h, (uint64_t)l[i].num ^ l[i].is_num);
	}
	return h;
}

/* This input's label set for raw labels (interned per input). */
static int
labelset_of(struct dec *x, const struct pbdecode_label *ls, size_t nls,
    uint64_t at, uint32_t *out)
{
	size_t i, n = 0;
	struct label_key key;
	uint64_t h;
	uint32_t id;

	if (nls == 0) {
		*out = 0;
		return 0;
	}
	if (mem_reserve(&x->lbuf, &x->caplbuf, nls, sizeof *x->lbuf) != 0)
		return nomem(x);
	for (i = 0; i < nls; i++) {
		const struct pbdecode_label *l = &ls[i];
		struct prof_label pl;

		memset(&pl, 0, sizeof pl);
		/* As pprof: a label with neither a string nor a number
		 * nor a unit says nothing and is dropped. */
		if (l->str == 0 && l->num == 0 && l->num_unit == 0)
			continue;
		if (raw_index(x, l->key, &pl.key, at, "a sample label key") ||
		    raw_index(x, l->str, &pl.str, at, "a sample label") ||
		    raw_index(x, l->num_unit, &pl.unit, at,
		    "a sample label unit"))
			return -1;
		pl.is_num = l->str == 0;
		pl.num = pl.is_num ? l->num : 0;
		x->lbuf[n++] = pl;
	}
	if (n == 0) {
		*out = 0;
		return 0;
	}
	key.l = x->lbuf;
	key.n = n;
	h = label_hash(x->lbuf, n);
	id = hmap_find(&x->labelset_index, h, labelset_eq, x->p, &key);
	if (id == HMAP_NONE) {
		id = prof_add_labelset(x->p, x->lbuf, n);
		if (id == PROF_NONE ||
		    hmap_add(&x->labelset_index, h, id) != 0)
			return nomem(x);
	}
	*out = id;
	return 0;
}

/*
 * A sample's checks and its folding into the model, whichever decoder
 * read it.
 */
static int
add_sample(struct dec *x, const uint64_t *ids, size_t nids,
    const int64_t *vals, size_t nvals, const struct pbdecode_label *ls,
    size_t nls, uint64_t at)
{
	uint32_t labelset = 0;
	size_t i, expect;
	char msg[200];

	if (++x->nsamples == pbdecode_background_samples)
		prof_fold_in_background(x->p, x->name);
	if (nids > x->p->limits.max_depth) {
		snprintf(msg, sizeof msg, "a sample with a stack of %zu "
		    "frames, more than the limit of %" PRIu32
		    " (--max-stack-depth),", nids, x->p->limits.max_depth);
		return fail(x, at, msg);
	}
	if (nvals == 0)
		return fail(x, at, "a sample without values");
	if (x->first_sample_values == 0)
		x->first_sample_values = nvals;
	expect = x->ntypes > 0 ? x->ntypes : x->first_sample_values;
	if (nvals != expect) {
		snprintf(msg, sizeof msg, "a sample with %zu values "
		    "where %zu (one per sample type) are expected",
		    nvals, expect);
		return fail(x, at, msg);
	}
	if (mem_reserve(&x->locbuf, &x->caplocbuf, nids,
	    sizeof *x->locbuf) != 0)
		return nomem(x);
	for (i = 0; i < nids; i++) {
		if (ids[i] == 0)
			return fail(x, at, "a sample refers to location id 0");
		if (loc_slot(x, ids[i], &x->locbuf[i]) != 0)
			return -1;
	}
	if (labelset_of(x, ls, nls, at, &labelset) != 0)
		return -1;
	return prof_add_sample(x->p, x->locbuf, nids, labelset, vals, nvals,
	    x->name, at, x->d);
}

static int
on_sample(struct dec *x, const unsigned char *buf, size_t len, uint64_t at)
{
	Perftools__Profiles__Sample *s;
	size_t i;
	int rc;

	/* Nearly every sample is ids and values only: read them here. */
	rc = pbdecode_sample_fast(&x->fast, buf, len);
	if (rc < 0)
		return nomem(x);
	if (rc > 0)
		return add_sample(x, x->fast.locs, x->fast.nlocs,
		    (const int64_t *)x->fast.vals, x->fast.nvals,
		    x->fast.labels, x->fast.nlabels, at);
	s = perftools__profiles__sample__unpack(&x->alloc, len, buf);
	if (s == NULL)
		return fail(x, at, "malformed Sample message");
	if (mem_reserve(&x->fast.labels, &x->fast.caplabels, s->n_label,
	    sizeof *x->fast.labels) != 0) {
		arena_reset(&x->arena);
		return nomem(x);
	}
	for (i = 0; i < s->n_label; i++) {
		x->fast.labels[i].key = s->label[i]->key;
		x->fast.labels[i].str = s->label[i]->str;
		x->fast.labels[i].num = s->label[i]->num;
		x->fast.labels[i].num_unit = s->label[i]->num_unit;
	}
	rc = add_sample(x, s->location_id, s->n_location_id, s->value,
	    s->n_value, x->fast.labels, s->n_label, at);
	arena_reset(&x->arena);
	return rc;
}

static int
on_location(struct dec *x, const unsigned char *buf, size_t len,
    uint64_t at)
{
	Perftools__Profiles__Location *l;
	struct prof_loc *pl;
	uint32_t slot, dense, first = (uint32_t)x->p->nlines;
	size_t i;
	int rc = -1;

	l = perftools__profiles__location__unpack(&x->alloc, len, buf);
	if (l == NULL)
		return fail(x, at, "malformed Location message");
	if (l->id == 0) {
		fail(x, at, "a location with id 0");
		goto out;
	}
	if (loc_slot(x, l->id, &slot) != 0)
		goto out;
	dense = slot - (uint32_t)x->loc_base;
	if (x->locs.defined[dense]) {
		char msg[80];

		snprintf(msg, sizeof msg, "a second location with id %" PRIu64,
		    l->id);
		fail(x, at, msg);
		goto out;
	}
	x->locs.defined[dense] = 1;
	for (i = 0; i < l->n_line; i++) {
		struct prof_line ln = { PROF_NONE, l->line[i]->line,
		    l->line[i]->column };

		if (l->line[i]->function_id != 0 &&
		    func_slot(x, l->line[i]->function_id, &ln.func) != 0)
			goto out;
		if (prof_add_line(x->p, &ln) == PROF_NONE) {
			nomem(x);
			goto out;
		}
	}
	pl = &x->p->locs[slot];
	pl->address = l->address;
	pl->line0 = first;
	pl->nlines = (uint32_t)l->n_line;
	pl->folded = l->is_folded;
	pl->mapping = PROF_NONE;
	if (l->mapping_id != 0 && map_slot(x, l->mapping_id, &pl->mapping))
		goto out;
	rc = 0;
out:
	arena_reset(&x->arena);
	return rc;
}

static int
on_function(struct dec *x, const unsigned char *buf, size_t len,
    uint64_t at)
{
	Perftools__Profiles__Function *f;
	struct prof_func *pf;
	uint32_t slot, dense;
	int rc = -1;

	f = perftools__profiles__function__unpack(&x->alloc, len, buf);
	if (f == NULL)
		return fail(x, at, "malformed Function message");
	if (f->id == 0) {
		fail(x, at, "a function with id 0");
		goto out;
	}
	if (func_slot(x, f->id, &slot) != 0)
		goto out;
	dense = slot - (uint32_t)x->func_base;
	if (x->funcs.defined[dense]) {
		char msg[80];

		snprintf(msg, sizeof msg, "a second function with id %" PRIu64,
		    f->id);
		fail(x, at, msg);
		goto out;
	}
	x->funcs.defined[dense] = 1;
	pf = &x->p->funcs[slot];
	if (raw_index(x, f->name, &pf->name, at, "a function name") ||
	    raw_index(x, f->system_name, &pf->sysname, at,
	    "a function system name") ||
	    raw_index(x, f->filename, &pf->file, at, "a function file name"))
		goto out;
	pf->start_line = f->start_line;
	rc = 0;
out:
	arena_reset(&x->arena);
	return rc;
}

static int
on_mapping(struct dec *x, const unsigned char *buf, size_t len,
    uint64_t at)
{
	Perftools__Profiles__Mapping *m;
	struct prof_mapping *pm;
	uint32_t slot, dense;
	int rc = -1;

	m = perftools__profiles__mapping__unpack(&x->alloc, len, buf);
	if (m == NULL)
		return fail(x, at, "malformed Mapping message");
	if (m->id == 0) {
		fail(x, at, "a mapping with id 0");
		goto out;
	}
	if (map_slot(x, m->id, &slot) != 0)
		goto out;
	dense = slot - (uint32_t)x->map_base;
	if (x->maps.defined[dense]) {
		char msg[80];

		snprintf(msg, sizeof msg, "a second mapping with id %" PRIu64,
		    m->id);
		fail(x, at, msg);
		goto out;
	}
	x->maps.defined[dense] = 1;
	pm = &x->p->mappings[slot];
	pm->start = m->memory_start;
	pm->limit = m->memory_limit;
	pm->offset = m->file_offset;
	pm->has_functions = m->has_functions;
	pm->has_filenames = m->has_filenames;
	pm->has_line_numbers = m->has_line_numbers;
	pm->has_inline_frames = m->has_inline_frames;
	if (raw_index(x, m->filename, &pm->file, at, "a mapping file name") ||
	    raw_index(x, m->build_id, &pm->build_id, at,
	    "a mapping build id"))
		goto out;
	rc = 0;
out:
	arena_reset(&x->arena);
	return rc;
}

static int
value_type(struct dec *x, const unsigned char *buf, size_t len,
    uint64_t at, struct raw_type *out)
{
	Perftools__Profiles__ValueType *v;
	int rc = -1;

	v = perftools__profiles__value_type__unpack(&x->alloc, len, buf);
	if (v == NULL)
		return fail(x, at, "malformed ValueType message");
	if (raw_index(x, v->type, &out->type, at, "a sample type") == 0 &&
	    raw_index(x, v->unit, &out->unit, at, "a sample unit") == 0)
		rc = 0;
	arena_reset(&x->arena);
	return rc;
}

static int
on_string(struct dec *x, const unsigned char *buf, size_t len)
{
	uint32_t id;

	if (mem_reserve(&x->strs, &x->capstrs, x->nstrs + 1,
	    sizeof *x->strs) != 0)
		return nomem(x);
	id = strtab_intern(&x->p->strs, (const char *)buf, len);
	if (id == STRTAB_NONE)
		return nomem(x);
	x->strs[x->nstrs++] = id;
	return 0;
}

static int
add_comment(struct dec *x, int64_t v, uint64_t at)
{
	uint32_t idx;

	if (raw_index(x, v, &idx, at, "a comment") != 0)
		return -1;
	if (mem_reserve(&x->comments, &x->capcomments, x->ncomments + 1,
	    sizeof *x->comments) != 0)
		return nomem(x);
	x->comments[x->ncomments++] = idx;
	return 0;
}

/* ---------------------------------------------------------------- */
/* The top-level walk. */

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

static const char *const field_names[] = {
	NULL, "sample_type", "sample", "mapping", "location", "function",
	"string_table", "drop_frames", "keep_frames", "time_nanos",
	"duration_nanos", "period_type", "period", "comment",
	"default_sample_type", "doc_url",
};

/* The wire type each known field must have (comment may be either). */
static int
expected_wire_type(uint64_t field)
{
	switch (field) {
	case 1: case 2: case 3: case 4: case 5: case 6: case 11:
		return WT_LEN;
	case 7: case 8: case 9: case 10: case 12: case 14: case 15:
		return WT_VARINT;
	default:
		return -1;
	}
}

static int
packed_comments(struct dec *x, const unsigned char *b, size_t len,
    uint64_t at)
{
	size_t i = 0;

	while (i < len) {
		uint64_t v = 0;
		unsigned shift = 0;

		for (;;) {
			if (i >= len || shift > 63)
				return fail(x, at, "malformed packed comment "
				    "list");
			v |= (uint64_t)(b[i] & 0x7f) << shift;
			shift += 7;
			if ((b[i++] & 0x80) == 0)
				break;
		}
		if (add_comment(x, (int64_t)v, at) != 0)
			return -1;
	}
	return 0;
}

static int
on_scalar(struct dec *x, uint64_t field, uint64_t v, uint64_t at)
{
	int64_t sv = (int64_t)v;

	switch (field) {
	case 7:
		return raw_index(x, sv, &x->drop_frames, at, "drop_frames");
	case 8:
		return raw_index(x, sv, &x->keep_frames, at, "keep_frames");
	case 9:
		/* As pprof: a second time stamp means two profiles were
		 * concatenated into one stream. */
		if (x->time_nanos != 0 && sv != 0)
			return fail(x, at, "two concatenated profiles (a second "
			    "time_nanos field); give them as separate files "
			    "to merge them,");
		x->time_nanos = sv;
		return 0;
	case 10:
		x->duration_nanos = sv;
		return 0;
	case 12:
		x->period = sv;
		return 0;
	case 13:
		return add_comment(x, sv, at);
	case 14:
		return raw_index(x, sv, &x->default_type, at,
		    "default_sample_type");
	case 15:
		return raw_index(x, sv, &x->doc_url, at, "doc_url");
	}
	return 0;
}

static int
on_bytes(struct dec *x, uint64_t field, const unsigned char *b, size_t len,
    uint64_t at)
{
	switch (field) {
	case 1:
		if (x->nsamples > 0)
			return fail(x, at, "two concatenated profiles (sample "
			    "types after samples); give them as separate files "
			    "to merge them,");
		if (mem_reserve(&x->types, &x->captypes, x->ntypes + 1,
		    sizeof *x->types) != 0)
			return nomem(x);
		if (value_type(x, b, len, at, &x->types[x->ntypes]) != 0)
			return -1;
		x->ntypes++;
		return 0;
	case 2:
		return on_sample(x, b, len, at);
	case 3:
		return on_mapping(x, b, len, at);
	case 4:
		return on_location(x, b, len, at);
	case 5:
		return on_function(x, b, len, at);
	case 6:
		return on_string(x, b, len);
	case 11:
		x->have_period_type = true;
		return value_type(x, b, len, at, &x->period_type);
	case 13:
		return packed_comments(x, b, len, at);
	}
	return 0;
}

static int
walk(struct dec *x)
{
	for (;;) {
		uint64_t at = offset(x), tag, field, v;
		unsigned wt;
		int r = read_varint(x, &tag, true);
		char msg[160];

		if (r <= 0)
			return r;
		field = tag >> 3;
		wt = (unsigned)(tag & 7);
		if (field == 0)
			return fail(x, at, "not a pprof profile: invalid "
			    "protobuf field number 0");
		if (field < sizeof field_names / sizeof *field_names &&
		    expected_wire_type(field) >= 0 &&
		    expected_wire_type(field) != (int)wt &&
		    !(field == 13 && wt == WT_LEN)) {
			snprintf(msg, sizeof msg, "not a pprof profile: "
			    "field %s (%" PRIu64 ") has protobuf wire type %u",
			    field_names[field], field, wt);
			return fail(x, at, msg);
		}
		switch (wt) {
		case WT_VARINT:
			if (read_varint(x, &v, false) < 0)
				return -1;
			if (on_scalar(x, field, v, at) != 0)
				return -1;
			break;
		case WT_I64:
		case WT_I32: {
			size_t n = wt == WT_I64 ? 8 : 4;

			if ((r = need(x, n)) <= 0)
				return r < 0 ? -1 : fail(x, at,
				    "truncated protobuf");
			x->lo += n;
			break;
		}
		case WT_LEN: {
			uint64_t len;

			if (read_varint(x, &len, false) < 0)
				return -1;
			if (len > SIZE_MAX / 2)
				return fail(x, at, "impossible protobuf length");
			/* Refused before its bytes are read. */
			if (field == 6 && len > x->p->limits.max_string) {
				snprintf(msg, sizeof msg, "the string table "
				    "entry at byte %" PRIu64 "%s", at,
				    input_is_gzip(x->in) ? " of the "
				    "decompressed data" : "");
				return prof_check_string(x->p, len, x->name,
				    msg, x->d);
			}
			if ((r = need(x, (size_t)len)) < 0)
				return -1;
			if (r == 0) {
				snprintf(msg, sizeof msg, "truncated protobuf "
				    "(a %" PRIu64 "-byte field runs past the "
				    "end of the data)", len);
				return fail(x, at, msg);
			}
			r = on_bytes(x, field, x->win + x->lo, (size_t)len, at);
			x->lo += (size_t)len;
			if (r != 0)
				return -1;
			break;
		}
		default:
			snprintf(msg, sizeof msg, "not a pprof profile: "
			    "invalid protobuf wire type %u", wt);
			return fail(x, at, msg);
		}
	}
}

/* ---------------------------------------------------------------- */
/* End of input: resolve, check, merge the header. */

static int
check_defined(struct dec *x, const struct idmap *m, const char *what)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!m->defined[i]) {
			diag_set(x->d, "%s: refers to %s id %" PRIu64 ", which "
			    "the profile does not define", x->name, what,
			    m->ids[i]);
			return -1;
		}
	return 0;
}

static int
finish(struct dec *x)
{
	struct prof *p = x->p;
	size_t i;

	if (x->nstrs == 0 || strtab_len(&p->strs, x->strs[0]) != 0) {
		diag_set(x->d, "%s: not a valid pprof profile: %s", x->name,
		    x->nstrs == 0 ? "it has no string table" :
		    "the first string table entry is not empty");
		return -1;
	}
	if (check_defined(x, &x->locs, "location") != 0 ||
	    check_defined(x, &x->funcs, "function") != 0 ||
	    check_defined(x, &x->maps, "mapping") != 0)
		return -1;
	for (i = x->func_base; i < p->nfuncs; i++)
		if (resolve(x, &p->funcs[i].name, "a function name") ||
		    resolve(x, &p->funcs[i].sysname, "a function system name") ||
		    resolve(x, &p->funcs[i].file, "a function file name"))
			return -1;
	for (i = x->map_base; i < p->nmappings; i++)
		if (resolve(x, &p->mappings[i].file, "a mapping file name") ||
		    resolve(x, &p->mappings[i].build_id, "a mapping build id"))
			return -1;
	for (i = x->labelset_base; i < p->nlabelsets; i++) {
		const struct prof_labelset *s = &p->labelsets[i];
		uint32_t j;

		for (j = 0; j < s->n; j++) {
			struct prof_label *l = &p->labels[s->label0 + j];

			if (resolve(x, &l->key, "a sample label key") ||
			    resolve(x, &l->str, "a sample label") ||
			    resolve(x, &l->unit, "a sample label unit"))
				return -1;
		}
	}
	for (i = 0; i < x->ntypes; i++)
		if (resolve(x, &x->types[i].type, "a sample type") ||
		    resolve(x, &x->types[i].unit, "a sample unit"))
			return -1;
	if (x->have_period_type &&
	    (resolve(x, &x->period_type.type, "the period type") ||
	    resolve(x, &x->period_type.unit, "the period unit")))
		return -1;
	if (resolve(x, &x->drop_frames, "drop_frames") ||
	    resolve(x, &x->keep_frames, "keep_frames") ||
	    resolve(x, &x->doc_url, "doc_url") ||
	    resolve(x, &x->default_type, "default_sample_type"))
		return -1;
	for (i = 0; i < x->ncomments; i++)
		if (resolve(x, &x->comments[i], "a comment"))
			return -1;

	if (x->first_sample_values != 0 && x->ntypes != 0 &&
	    x->first_sample_values != x->ntypes) {
		diag_set(x->d, "%s: the profile has %zu sample types but its "
		    "samples have %zu values", x->name, x->ntypes,
		    x->first_sample_values);
		return -1;
	}
	{
		uint32_t *ids = mem_calloc(2 * x->ntypes, sizeof *ids);
		struct prof_header h;
		int rc;

		if (ids == NULL)
			return nomem(x);
		for (i = 0; i < x->ntypes; i++) {
			ids[i] = x->types[i].type;
			ids[x->ntypes + i] = x->types[i].unit;
		}
		memset(&h, 0, sizeof h);
		h.types = ids;
		h.units = ids + x->ntypes;
		h.ntypes = x->ntypes;
		h.default_type = x->default_type;
		if (x->have_period_type) {
			h.period_type = x->period_type.type;
			h.period_unit = x->period_type.unit;
		}
		h.period = x->period;
		h.time_nanos = x->time_nanos;
		h.duration_nanos = x->duration_nanos;
		h.comments = x->comments;
		h.ncomments = x->ncomments;
		h.drop_frames = x->drop_frames;
		h.keep_frames = x->keep_frames;
		h.doc_url = x->doc_url;
		rc = prof_set_header(p, &h, x->name, x->d);
		free(ids);
		if (rc != 0)
			return -1;
	}
	return prof_end_input(p, x->d);
}

int
pbdecode_read(struct prof *p, struct input *in, struct diag *d)
{
	struct dec x;
	int rc;

	memset(&x, 0, sizeof x);
	x.p = p;
	x.in = in;
	x.d = d;
	x.name = input_name(in);
	x.alloc.alloc = arena_alloc;
	x.alloc.free = arena_free;
	x.alloc.allocator_data = &x.arena;
	x.arena.cap = 64 * 1024;
	if (prof_begin_input(p, x.name, d) != 0)
		return -1;
	x.loc_base = p->nlocs;
	x.func_base = p->nfuncs;
	x.map_base = p->nmappings;
	x.labelset_base = p->nlabelsets;
	if ((x.arena.buf = malloc(x.arena.cap)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	rc = walk(&x);
	if (rc == 0 && x.win_off + x.hi == 0) {
		diag_set(d, "%s: the file is empty", x.name);
		rc = -1;
	}
	if (rc == 0)
		rc = finish(&x);
	/* A sample folded in the background failed first? */
	if (rc != 0)
		prof_fold_sync(p, d);
	arena_reset(&x.arena);
	free(x.arena.buf);
	free(x.arena.big);
	free(x.win);
	idmap_free(&x.locs);
	idmap_free(&x.funcs);
	idmap_free(&x.maps);
	hmap_free(&x.labelset_index);
	free(x.strs);
	free(x.types);
	free(x.comments);
	free(x.lbuf);
	free(x.locbuf);
	pbdecode_sample_free(&x.fast);
	return rc < 0 ? -1 : 0;
}
