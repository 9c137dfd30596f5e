/*
 * prof: the profile model and the folding of samples into unique
 * stacks.  See prof.h.
 */
#include "prof.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define STACK_SEED 0x2545f4914f6cdd1dULL

struct prof *
prof_new(const struct prof_limits *limits, enum prof_base_mode base_mode)
{
	struct prof *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	if (strtab_init(&p->strs) != 0) {
		free(p);
		return NULL;
	}
	/* Label set 0 is the empty set. */
	if (prof_add_labelset(p, NULL, 0) != 0) {
		prof_free(p);
		return NULL;
	}
	if (limits != NULL)
		p->limits = *limits;
	if (p->limits.max_depth == 0)
		p->limits.max_depth = PROF_DEFAULT_MAX_DEPTH;
	if (p->limits.max_samples == 0)
		p->limits.max_samples = PROF_DEFAULT_MAX_SAMPLES;
	if (p->limits.max_locations == 0)
		p->limits.max_locations = PROF_DEFAULT_MAX_LOCATIONS;
	if (p->limits.max_string == 0)
		p->limits.max_string = PROF_DEFAULT_MAX_STRING;
	p->base_mode = base_mode;
	return p;
}

void
prof_free(struct prof *p)
{
	size_t i;

	if (p == NULL)
		return;
	prof_fold_sync(p, NULL);
	strtab_free(&p->strs);
	free(p->types);
	free(p->comments);
	for (i = 0; i < p->nsources; i++)
		free(p->sources[i]);
	free(p->sources);
	free(p->source_is_base);
	hmap_free(&p->map_index);
	hmap_free(&p->func_index);
	hmap_free(&p->loc_index);
	hmap_free(&p->labelset_index);
	free(p->mappings);
	free(p->funcs);
	free(p->lines);
	free(p->locs);
	free(p->labels);
	free(p->labelsets);
	free(p->stacks);
	free(p->frames);
	free(p->values);
	hmap_free(&p->stack_index);
	free(p);
}

#define APPEND(p, arr, n, cap, elem)					\
	do {								\
		if ((p)->n >= PROF_NONE - 1 ||				\
		    mem_reserve(&(p)->arr, &(p)->cap, (p)->n + 1,	\
		    sizeof *(p)->arr) != 0)				\
			return PROF_NONE;				\
		(p)->arr[(p)->n] = *(elem);				\
		return (uint32_t)(p)->n++;				\
	} while (0)

/* The input being read, for messages. */
static const char *
input_name(const struct prof *p)
{
	return p->nsources > 0 ? p->sources[p->nsources - 1] : "<input>";
}

/*
 * Would one more entity (n so far, the current input's from first on)
 * take the input past --max-locations?  Then its diag says so.
 */
static bool
over_entities(const struct prof *p, size_t n, size_t first, const char *what)
{
	if (n - first < p->limits.max_locations)
		return false;
	diag_set(p->in_diag, "%s: holds more than %" PRIu64 " %s; refusing it "
	    "(the limit is set with --max-locations)", input_name(p),
	    p->limits.max_locations, what);
	return true;
}

uint32_t
prof_add_func(struct prof *p, const struct prof_func *f)
{
	if (over_entities(p, p->nfuncs, p->in_func0, "functions"))
		return PROF_NONE;
	APPEND(p, funcs, nfuncs, capfuncs, f);
}

uint32_t
prof_add_loc(struct prof *p, const struct prof_loc *l)
{
	if (over_entities(p, p->nlocs, p->in_loc0, "locations"))
		return PROF_NONE;
	APPEND(p, locs, nlocs, caplocs, l);
}

uint32_t
prof_add_line(struct prof *p, const struct prof_line *ln)
{
	APPEND(p, lines, nlines, caplines, ln);
}

uint32_t
prof_add_mapping(struct prof *p, const struct prof_mapping *m)
{
	if (over_entities(p, p->nmappings, p->in_map0, "mappings"))
		return PROF_NONE;
	APPEND(p, mappings, nmappings, capmappings, m);
}

uint32_t
prof_add_labelset(struct prof *p, const struct prof_label *ls, size_t n)
{
	struct prof_labelset set;

	if (n > PROF_NONE - 1 - p->nlabels ||
	    mem_reserve(&p->labels, &p->caplabels, p->nlabels + n,
	    sizeof *p->labels) != 0)
		return PROF_NONE;
	if (n > 0)
		memcpy(p->labels + p->nlabels, ls, n * sizeof *ls);
	set.label0 = (uint32_t)p->nlabels;
	set.n = (uint32_t)n;
	p->nlabels += n;
	APPEND(p, labelsets, nlabelsets, caplabelsets, &set);
}

int
prof_add_comment(struct prof *p, uint32_t str)
{
	size_t i;

	for (i = 0; i < p->ncomments; i++)
		if (p->comments[i] == str)
			return 0;
	if (mem_reserve(&p->comments, &p->capcomments, p->ncomments + 1,
	    sizeof *p->comments) != 0)
		return -1;
	p->comments[p->ncomments++] = str;
	return 0;
}

void
prof_loaded(struct prof *p)
{
	p->loaded = true;
	hmap_free(&p->stack_index);
	hmap_free(&p->map_index);
	hmap_free(&p->func_index);
	hmap_free(&p->loc_index);
	hmap_free(&p->labelset_index);
}

void
prof_drop_frames(struct prof *p)
{
	free(p->frames);
	p->frames = NULL;
	p->nframes = p->capframes = 0;
}

int
prof_begin_input(struct prof *p, const char *name, struct diag *d)
{
	char **ns;
	bool *nb;

	if (p->loaded) {
		diag_set(d, "%s: an input after the profile was complete",
		    name);
		return -1;
	}
	ns = mem_realloc_array(p->sources, p->nsources + 1, sizeof *ns);
	if (ns == NULL)
		goto nomem;
	p->sources = ns;
	nb = mem_realloc_array(p->source_is_base, p->nsources + 1, sizeof *nb);
	if (nb == NULL)
		goto nomem;
	p->source_is_base = nb;
	if ((ns[p->nsources] = strdup(name)) == NULL)
		goto nomem;
	nb[p->nsources] = p->loading_base;
	p->nsources++;
	p->in_map0 = p->nmappings;
	p->in_func0 = p->nfuncs;
	p->in_loc0 = p->nlocs;
	p->in_labelset0 = p->nlabelsets;
	p->in_stack0 = p->nstacks;
	p->in_samples0 = p->nsamples;
	p->in_header = false;
	p->in_diag = d;
	return 0;
nomem:
	diag_nomem(d);
	return -1;
}

/* "type/unit type/unit ..." of a header or of the model. */
static void
types_text(const struct prof *p, const uint32_t *types, const uint32_t *units,
    const struct prof_type *pt, size_t n, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s/%s",
		    i > 0 ? " " : "", prof_str(p, pt != NULL ? pt[i].type :
		    types[i]), prof_str(p, pt != NULL ? pt[i].unit : units[i]));
}

int
prof_set_header(struct prof *p, const struct prof_header *h,
    const char *name, struct diag *d)
{
	size_t i;

	if (h->ntypes == 0) {
		diag_set(d, "%s: the profile has no sample types", name);
		return -1;
	}
	if (p->ntypes == 0) {
		if ((p->types = calloc(h->ntypes, sizeof *p->types)) == NULL) {
			diag_nomem(d);
			return -1;
		}
		for (i = 0; i < h->ntypes; i++) {
			p->types[i].type = h->types[i];
			p->types[i].unit = h->units[i];
		}
		p->ntypes = h->ntypes;
		p->default_type = h->default_type;
		p->period_type.type = h->period_type;
		p->period_type.unit = h->period_unit;
		p->drop_frames = h->drop_frames;
		p->keep_frames = h->keep_frames;
		p->doc_url = h->doc_url;
	} else {
		bool same = p->ntypes == h->ntypes;

		for (i = 0; same && i < h->ntypes; i++)
			same = p->types[i].type == h->types[i] &&
			    p->types[i].unit == h->units[i];
		if (!same) {
			char a[256], b[256];

			types_text(p, NULL, NULL, p->types, p->ntypes, a,
			    sizeof a);
			types_text(p, h->types, h->units, NULL, h->ntypes, b,
			    sizeof b);
			diag_set(d, "%s: its sample types (%s) differ from "
			    "those of %s (%s); only profiles of one kind can "
			    "be merged", name, b, p->sources[0], a);
			return -1;
		}
	}
	if (p->nvalues_in != 0 && p->nvalues_in != h->ntypes) {
		diag_set(d, "%s: the profile has %zu sample types but its "
		    "samples have %zu values", name, h->ntypes, p->nvalues_in);
		return -1;
	}
	if (h->period > p->period)
		p->period = h->period;
	if (h->time_nanos != 0 &&
	    (p->time_nanos == 0 || h->time_nanos < p->time_nanos))
		p->time_nanos = h->time_nanos;
	if (__builtin_add_overflow(p->duration_nanos, h->duration_nanos,
	    &p->duration_nanos))
		p->duration_nanos = INT64_MAX;
	for (i = 0; i < h->ncomments; i++)
		if (prof_add_comment(p, h->comments[i]) != 0) {
			diag_nomem(d);
			return -1;
		}
	p->in_header = true;
	return 0;
}

struct stack_key {
	const uint32_t *locs;
	size_t depth;
	uint32_t labelset;
	bool base;
	uint64_t at;		/* the sample's byte offset, for messages */
};

static bool
stack_eq(const void *ctx, uint32_t id, const void *k)
{
	const struct prof *p = ctx;
	const struct stack_key *key = k;
	const struct prof_stack *s = &p->stacks[id];

	return s->depth == key->depth && s->labelset == key->labelset &&
	    s->base == key->base && memcmp(p->frames + s->frame0, key->locs,
	    key->depth * sizeof *key->locs) == 0;
}

static uint64_t
stack_hash(const struct stack_key *k)
{
	return mem_hash_mix(mem_hash(k->locs, k->depth * sizeof *k->locs,
	    STACK_SEED), (uint64_t)k->labelset << 1 | k->base);
}

/*
 * Add row (of nvalues_per values) to the stack with key k, creating it
 * if new.  Returns 0, 1 on a value overflow, -1 when out of memory.
 */
static int
fold(struct prof *p, const struct stack_key *k, const int64_t *row)
{
	uint64_t h = stack_hash(k);
	size_t w = p->nvalues_per, i;
	uint32_t id = hmap_find(&p->stack_index, h, stack_eq, p, k);
	int64_t *dst;

	if (id != HMAP_NONE) {
		dst = prof_stack_values(p, id);
		for (i = 0; i < w; i++)
			if (__builtin_add_overflow(dst[i], row[i], &dst[i]))
				return 1;
		return 0;
	}
	if (p->nstacks >= PROF_NONE - 1 ||
	    k->depth > PROF_NONE - 1 - p->nframes ||
	    mem_reserve(&p->stacks, &p->capstacks, p->nstacks + 1,
	    sizeof *p->stacks) != 0 ||
	    mem_reserve(&p->frames, &p->capframes, p->nframes + k->depth,
	    sizeof *p->frames) != 0 ||
	    mem_reserve(&p->values, &p->capvalues, (p->nstacks + 1) * w,
	    sizeof *p->values) != 0 ||
	    hmap_add(&p->stack_index, h, (uint32_t)p->nstacks) != 0)
		return -1;
	id = (uint32_t)p->nstacks++;
	p->stacks[id].frame0 = (uint32_t)p->nframes;
	p->stacks[id].depth = (uint32_t)k->depth;
	p->stacks[id].labelset = k->labelset;
	p->stacks[id].base = k->base;
	if (k->depth > 0)
		memcpy(p->frames + p->nframes, k->locs,
		    k->depth * sizeof *k->locs);
	p->nframes += k->depth;
	memcpy(prof_stack_values(p, id), row, w * sizeof *row);
	return 0;
}

int
prof_count_sample(struct prof *p, struct diag *d)
{
	if (p->nsamples - p->in_samples0 >= p->limits.max_samples) {
		diag_set(d, "%s: holds more than %" PRIu64 " samples; refusing "
		    "it (the limit is set with --max-samples)", input_name(p),
		    p->limits.max_samples);
		return -1;
	}
	p->nsamples++;
	return 0;
}

int
prof_check_string(const struct prof *p, uint64_t len, const char *where,
    const char *what, struct diag *d)
{
	if (len <= p->limits.max_string)
		return 0;
	diag_set(d, "%s: %s is %" PRIu64 " bytes long, more than %" PRIu64
	    "; refusing the input (the limit is set with "
	    "--max-string-length)", where, what, len, p->limits.max_string);
	return -1;
}

/* The message of fold's failure (rc 1: overflow, -1: memory). */
static void
fold_failed(int rc, const char *name, uint64_t at, struct diag *d)
{
	if (rc < 0)
		diag_nomem(d);
	else if (at > 0)
		diag_set(d, "%s: sample at byte %" PRIu64 ": the sum of sample "
		    "values overflows a 64-bit integer", name, at);
	else
		diag_set(d, "%s: the sum of sample values overflows a 64-bit "
		    "integer", name);
}

/* ---------------------------------------------------------------- */
/*
 * Folding in the background.  A big protobuf input's samples are
 * queued, in chunks of records, to a thread that folds them in order
 * while the reader decodes the next ones: the stack table's misses
 * (nearly every sample is a new stack, and the table outgrows every
 * cache) then cost the reader nothing.  At most FQ_CHUNKS chunks are
 * in flight, so the queue's memory is bounded.
 */

#define FQ_CHUNK ((size_t)1 << 20)
#define FQ_CHUNKS 4

struct fq_chunk {
	unsigned char *buf;
	size_t len, cap;
	struct fq_chunk *next;
};

/* A record: its header, then the row, then the frames. */
struct fq_rec {
	uint64_t at;
	uint32_t depth, labelset;
	bool base;
};

struct fold_queue {
	struct prof *p;
	char *name;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t ready_cv, free_cv;
	struct fq_chunk *ready, *ready_tail, *free;
	struct fq_chunk *cur;		/* the reader's */
	size_t nchunks;
	bool done;			/* no more chunks will come */
	int rc;				/* fold's failure, then */
	uint64_t rc_at;
};

static size_t
fq_rec_size(const struct prof *p, size_t depth)
{
	size_t n = sizeof(struct fq_rec) + p->nvalues_per * sizeof(int64_t) +
	    depth * sizeof(uint32_t);

	return (n + 7) & ~(size_t)7;
}

/*
 * Fold every record of c (the folding thread's side): 0, or fold's
 * failure with the failing sample's offset in *at.
 */
static int
fq_fold_chunk(struct prof *p, const struct fq_chunk *c, uint64_t *at)
{
	size_t off = 0, w = p->nvalues_per;
	int rc = 0;

	while (off < c->len && rc == 0) {
		struct fq_rec r;
		struct stack_key k;
		const unsigned char *row;

		memcpy(&r, c->buf + off, sizeof r);
		row = c->buf + off + sizeof r;
		k.locs = (const uint32_t *)(const void *)(row +
		    w * sizeof(int64_t));
		k.depth = r.depth;
		k.labelset = r.labelset;
		k.base = r.base;
		k.at = r.at;
		rc = fold(p, &k, (const int64_t *)(const void *)row);
		*at = r.at;
		off += fq_rec_size(p, r.depth);
	}
	return rc;
}

static void *
fq_main(void *arg)
{
	struct fold_queue *q = arg;
	int rc = 0;

	for (;;) {
		struct fq_chunk *c;
		uint64_t at = 0;

		pthread_mutex_lock(&q->mu);
		while (q->ready == NULL && !q->done)
			pthread_cond_wait(&q->ready_cv, &q->mu);
		c = q->ready;
		if (c != NULL && (q->ready = c->next) == NULL)
			q->ready_tail = NULL;
		pthread_mutex_unlock(&q->mu);
		if (c == NULL)
			return NULL;
		/* After a failure the rest is only drained. */
		if (rc == 0)
			rc = fq_fold_chunk(q->p, c, &at);
		c->len = 0;
		pthread_mutex_lock(&q->mu);
		if (q->rc == 0 && rc != 0) {
			q->rc = rc;
			q->rc_at = at;
		}
		c->next = q->free;
		q->free = c;
		pthread_cond_signal(&q->free_cv);
		pthread_mutex_unlock(&q->mu);
	}
}

static void
fq_free_chunks(struct fq_chunk *c)
{
	while (c != NULL) {
		struct fq_chunk *next = c->next;

		free(c->buf);
		free(c);
		c = next;
	}
}

static struct fq_chunk *
fq_chunk_new(void)
{
	struct fq_chunk *c = calloc(1, sizeof *c);

	if (c == NULL || (c->buf = malloc(FQ_CHUNK)) == NULL) {
		free(c);
		return NULL;
	}
	c->cap = FQ_CHUNK;
	return c;
}

void
prof_fold_in_background(struct prof *p, const char *name)
{
	struct fold_queue *q;

	if (p->fq != NULL || (q = calloc(1, sizeof *q)) == NULL)
		return;
	q->p = p;
	if ((q->name = strdup(name)) == NULL ||
	    (q->cur = fq_chunk_new()) == NULL)
		goto fail;
	q->nchunks = 1;
	if (pthread_mutex_init(&q->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&q->ready_cv, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&q->free_cv, NULL) != 0)
		goto fail_ready;
	if (pthread_create(&q->thread, NULL, fq_main, q) != 0)
		goto fail_free;
	p->fq = q;
	return;
	/* No thread: the samples are folded as they come, as before. */
fail_free:
	pthread_cond_destroy(&q->free_cv);
fail_ready:
	pthread_cond_destroy(&q->ready_cv);
fail_mu:
	pthread_mutex_destroy(&q->mu);
fail:
	fq_free_chunks(q->cur);
	free(q->name);
	free(q);
}

/* Queue c for the folding thread (q->mu held). */
static void
fq_push_ready(struct fold_queue *q, struct fq_chunk *c)
{
	c->next = NULL;
	if (q->ready_tail != NULL)
		q->ready_tail->next = c;
	else
		q->ready = c;
	q->ready_tail = c;
	pthread_cond_signal(&q->ready_cv);
}

/*
 * Hand the reader's chunk to the folding thread and take an empty one.
 * Returns fold's failure so far (0 when none).
 */
static int
fq_hand_over(struct fold_queue *q)
{
	struct fq_chunk *c = q->cur;
	int rc;

	pthread_mutex_lock(&q->mu);
	fq_push_ready(q, c);
	while (q->free == NULL && q->nchunks >= FQ_CHUNKS)
		pthread_cond_wait(&q->free_cv, &q->mu);
	if ((c = q->free) != NULL)
		q->free = c->next;
	rc = q->rc;
	pthread_mutex_unlock(&q->mu);
	if (c == NULL) {
		if ((c = fq_chunk_new()) == NULL) {
			q->cur = NULL;
			return -1;
		}
		q->nchunks++;
	}
	q->cur = c;
	return rc;
}

int
prof_fold_sync(struct prof *p, struct diag *d)
{
	struct fold_queue *q = p->fq;
	int rc;

	if (q == NULL)
		return 0;
	pthread_mutex_lock(&q->mu);
	if (q->cur != NULL && q->cur->len > 0) {
		fq_push_ready(q, q->cur);
		q->cur = NULL;
	}
	q->done = true;
	pthread_cond_signal(&q->ready_cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	rc = q->rc;
	if (rc != 0 && d != NULL) {
		/* It is about a sample read before what the reader did. */
		diag_clear(d);
		fold_failed(rc, q->name, q->rc_at, d);
	}
	pthread_cond_destroy(&q->free_cv);
	pthread_cond_destroy(&q->ready_cv);
	pthread_mutex_destroy(&q->mu);
	fq_free_chunks(q->cur);
	fq_free_chunks(q->ready);
	fq_free_chunks(q->free);
	free(q->name);
	free(q);
	p->fq = NULL;
	return rc != 0 ? -1 : 0;
}

/*
 * A sample's row of nvalues_per values: its own in the first half, or
 * in the second (the base's) while a base is loading.
 */
static void
fill_row(const struct prof *p, int64_t *row, const int64_t *vals,
    size_t nvals)
{
	memset(row, 0, p->nvalues_per * sizeof *row);
	memcpy(row + (p->loading_base && p->base_mode != PROF_NO_BASE ?
	    nvals : 0), vals, nvals * sizeof *vals);
}

/* Queue a sample: its record is written straight into the chunk. */
static int
fq_add(struct prof *p, const struct stack_key *k, const int64_t *vals,
    size_t nvals, struct diag *d)
{
	struct fold_queue *q = p->fq;
	size_t need = fq_rec_size(p, k->depth);
	struct fq_rec r;
	unsigned char *at;
	int64_t *row;

	if (q->cur->len + need > q->cur->cap) {
		if (q->cur->len > 0 && fq_hand_over(q) != 0) {
			/* Folding failed (its message) or memory ran out. */
			if (prof_fold_sync(p, d) == 0)
				diag_nomem(d);
			return -1;
		}
		if (need > q->cur->cap) {
			unsigned char *nb = realloc(q->cur->buf, need);

			if (nb == NULL) {
				diag_nomem(d);
				return -1;
			}
			q->cur->buf = nb;
			q->cur->cap = need;
		}
	}
	at = q->cur->buf + q->cur->len;
	memset(&r, 0, sizeof r);
	r.at = k->at;
	r.depth = (uint32_t)k->depth;
	r.labelset = k->labelset;
	r.base = k->base;
	memcpy(at, &r, sizeof r);
	row = (int64_t *)(void *)(at + sizeof r);
	fill_row(p, row, vals, nvals);
	if (k->depth > 0)
		memcpy(row + p->nvalues_per, k->locs,
		    k->depth * sizeof *k->locs);
	q->cur->len += need;
	return 0;
}

int
prof_add_sample(struct prof *p, const uint32_t *locs, size_t depth,
    uint32_t labelset, const int64_t *vals, size_t nvals, const char *name,
    uint64_t at, struct diag *d)
{
	struct stack_key key = { locs, depth, labelset,
	    p->base_mode == PROF_BASE_DIFF && p->loading_base, at };
	int64_t row[2 * 64];
	int64_t *r = row;
	int rc;

	if (prof_count_sample(p, d) != 0)
		return -1;
	if (p->nvalues_in == 0) {
		p->nvalues_in = nvals;
		p->nvalues_per = p->base_mode != PROF_NO_BASE ? 2 * nvals :
		    nvals;
	}
	if (nvals != p->nvalues_in) {
		diag_set(d, "%s: its samples have %zu values but those of %s "
		    "have %zu; only profiles with the same sample types can "
		    "be merged", name, nvals, p->sources[0], p->nvalues_in);
		return -1;
	}
	if (p->fq != NULL)
		return fq_add(p, &key, vals, nvals, d);
	if (p->nvalues_per > sizeof row / sizeof *row &&
	    (r = calloc(p->nvalues_per, sizeof *r)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	fill_row(p, r, vals, nvals);
	rc = fold(p, &key, r);
	if (r != row)
		free(r);
	if (rc != 0)
		fold_failed(rc, name, at, d);
	return rc != 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* Merging identical entities of several inputs. */

static bool
map_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct prof *p = ctx;
	const struct prof_mapping *a = &p->mappings[id];
	const struct prof_mapping *b = &p->mappings[*(const uint32_t *)key];

	/* pprof's mapping key: size rounded to 4 KiB, offset, build id
	 * (else file). */
	return ((a->limit - a->start + 0xfff) >> 12) ==
	    ((b->limit - b->start + 0xfff) >> 12) && a->offset == b->offset &&
	    a->build_id == b->build_id &&
	    (a->build_id != 0 || a->file == b->file);
}

static uint64_t
map_hash(const struct prof_mapping *m)
{
	uint64_t h = mem_hash_mix(0x51, (m->limit - m->start + 0xfff) >> 12);

	h = mem_hash_mix(h, m->offset);
	h = mem_hash_mix(h, m->build_id);
	return mem_hash_mix(h, m->build_id != 0 ? 0 : m->file);
}

static bool
func_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct prof *p = ctx;
	const struct prof_func *a = &p->funcs[id];
	const struct prof_func *b = &p->funcs[*(const uint32_t *)key];

	return a->name == b->name && a->sysname == b->sysname &&
	    a->file == b->file && a->start_line == b->start_line;
}

static uint64_t
func_hash(const struct prof_func *f)
{
	uint64_t h = mem_hash_mix(0x52, f->name);

	h = mem_hash_mix(h, f->sysname);
	h = mem_hash_mix(h, f->file);
	return mem_hash_mix(h, (uint64_t)f->start_line);
}

/* A location's address relative to its mapping, as pprof keys it. */
static uint64_t
loc_addr(const struct prof *p, const struct prof_loc *l)
{
	return l->mapping != PROF_NONE ?
	    l->address - p->mappings[l->mapping].start : l->address;
}

static bool
loc_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct prof *p = ctx;
	const struct prof_loc *a = &p->locs[id];
	const struct prof_loc *b = &p->locs[*(const uint32_t *)key];
	uint32_t i;

	if (a->mapping != b->mapping || loc_addr(p, a) != loc_addr(p, b) ||
	    a->folded != b->folded || a->nlines != b->nlines)
		return false;
	for (i = 0; i < a->nlines; i++) {
		const struct prof_line *x = &p->lines[a->line0 + i];
		const struct prof_line *y = &p->lines[b->line0 + i];

		if (x->func != y->func || x->line != y->line)
			return false;
	}
	return true;
}

static uint64_t
loc_hash(const struct prof *p, const struct prof_loc *l)
{
	uint64_t h = mem_hash_mix(0x53, l->mapping);
	uint32_t i;

	h = mem_hash_mix(h, loc_addr(p, l));
	h = mem_hash_mix(h, (uint64_t)l->nlines << 1 | l->folded);
	for (i = 0; i < l->nlines; i++) {
		h = mem_hash_mix(h, p->lines[l->line0 + i].func);
		h = mem_hash_mix(h, (uint64_t)p->lines[l->line0 + i].line);
	}
	return h;
}

static int
cmp_label(const void *a, const void *b)
{
	const struct prof_label *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->is_num != y->is_num)
		return x->is_num ? 1 : -1;
	if (x->str != y->str)
		return x->str < y->str ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return 0;
}

static bool
labelset_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct prof *p = ctx;
	const struct prof_labelset *a = &p->labelsets[id];
	const struct prof_labelset *b = &p->labelsets[*(const uint32_t *)key];

	uint32_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (cmp_label(&p->labels[a->label0 + i],
		    &p->labels[b->label0 + i]) != 0)
			return false;
	return true;
}

static uint64_t
labelset_hash(const struct prof *p, const struct prof_labelset *s)
{
	uint64_t h = mem_hash_mix(0x54, s->n);
	uint32_t i;

	for (i = 0; i < s->n; i++) {
		const struct prof_label *l = &p->labels[s->label0 + i];

		h = mem_hash_mix(h, l->key);
		h = mem_hash_mix(h, l->str);
		h = mem_hash_mix(h, l->unit);
		h = mem_hash_mix(h, (uint64_t)l->num << 1 | l->is_num);
	}
	return h;
}

/*
 * The canonical twin of entity id: the first entity with the same
 * content, found through index (and added to it when id is the first).
 * Returns PROF_NONE when out of memory.
 */
static uint32_t
canonical(struct hmap *index, uint64_t h, hmap_eq_fn *eq,
    const struct prof *p, uint32_t id)
{
	uint32_t c = hmap_find(index, h, eq, p, &id);

	if (c != HMAP_NONE)
		return c;
	return hmap_add(index, h, id) == 0 ? id : PROF_NONE;
}

/* Rebuild the stack table, adding the rows of stacks that now match. */
static int
refold(struct prof *p)
{
	struct prof old = *p;
	size_t i;
	int rc = 0;

	p->stacks = NULL;
	p->frames = NULL;
	p->values = NULL;
	p->nstacks = p->capstacks = 0;
	p->nframes = p->capframes = 0;
	p->capvalues = 0;
	memset(&p->stack_index, 0, sizeof p->stack_index);
	for (i = 0; i < old.nstacks && rc == 0; i++) {
		struct stack_key k = { old.frames + old.stacks[i].frame0,
		    old.stacks[i].depth, old.stacks[i].labelset,
		    old.stacks[i].base, 0 };

		rc = fold(p, &k, old.values + i * old.nvalues_per);
	}
	free(old.stacks);
	free(old.frames);
	free(old.values);
	hmap_free(&old.stack_index);
	return rc;
}

/* Index the entities of earlier inputs that are not indexed yet. */
static int
index_earlier(struct prof *p)
{
	for (; p->idx_map < p->in_map0; p->idx_map++)
		if (canonical(&p->map_index, map_hash(&p->mappings[p->idx_map]),
		    map_eq, p, (uint32_t)p->idx_map) == PROF_NONE)
			return -1;
	for (; p->idx_func < p->in_func0; p->idx_func++)
		if (canonical(&p->func_index, func_hash(&p->funcs[p->idx_func]),
		    func_eq, p, (uint32_t)p->idx_func) == PROF_NONE)
			return -1;
	for (; p->idx_loc < p->in_loc0; p->idx_loc++)
		if (canonical(&p->loc_index, loc_hash(p, &p->locs[p->idx_loc]),
		    loc_eq, p, (uint32_t)p->idx_loc) == PROF_NONE)
			return -1;
	if (p->idx_labelset == 0)
		p->idx_labelset = 1;	/* the empty set needs no index */
	for (; p->idx_labelset < p->in_labelset0; p->idx_labelset++) {
		struct prof_labelset *s = &p->labelsets[p->idx_labelset];

		qsort(p->labels + s->label0, s->n, sizeof *p->labels,
		    cmp_label);
		if (canonical(&p->labelset_index, labelset_hash(p, s),
		    labelset_eq, p, (uint32_t)p->idx_labelset) == PROF_NONE)
			return -1;
	}
	return 0;
}

int
prof_end_input(struct prof *p, struct diag *d)
{
	uint32_t *remap_loc = NULL, *remap_ls = NULL;
	bool changed = false;
	size_t i;
	int rc = -1;

	p->in_diag = NULL;
	if (prof_fold_sync(p, d) != 0)
		return -1;
	/*
	 * A single profile is taken as it is; from the second input on,
	 * everything is merged by content.
	 */
	if (p->nsources < 2)
		return 0;
	if (index_earlier(p) != 0)
		goto nomem;

	/* Mappings and functions first: locations are keyed by them. */
	for (i = p->in_map0; i < p->nmappings; i++) {
		uint32_t c = canonical(&p->map_index,
		    map_hash(&p->mappings[i]), map_eq, p, (uint32_t)i);

		if (c == PROF_NONE)
			goto nomem;
		if (c != i) {
			size_t j;

			for (j = p->in_loc0; j < p->nlocs; j++)
				if (p->locs[j].mapping == i)
					p->locs[j].mapping = c;
		}
	}
	if (p->nfuncs > p->in_func0) {
		uint32_t *remap = mem_calloc(p->nfuncs - p->in_func0,
		    sizeof *remap);
		bool any = false;

		if (remap == NULL)
			goto nomem;
		for (i = p->in_func0; i < p->nfuncs; i++) {
			uint32_t c = canonical(&p->func_index,
			    func_hash(&p->funcs[i]), func_eq, p, (uint32_t)i);

			if (c == PROF_NONE) {
				free(remap);
				goto nomem;
			}
			remap[i - p->in_func0] = c;
			any |= c != i;
		}
		if (any)
			for (i = p->in_loc0; i < p->nlocs; i++) {
				struct prof_loc *l = &p->locs[i];
				uint32_t j;

				for (j = 0; j < l->nlines; j++) {
					struct prof_line *ln =
					    &p->lines[l->line0 + j];

					if (ln->func != PROF_NONE &&
					    ln->func >= p->in_func0)
						ln->func = remap[ln->func -
						    p->in_func0];
				}
			}
		free(remap);
	}
	if (p->nlocs > p->in_loc0 &&
	    (remap_loc = mem_calloc(p->nlocs - p->in_loc0,
	    sizeof *remap_loc)) == NULL)
		goto nomem;
	for (i = p->in_loc0; i < p->nlocs; i++) {
		uint32_t c = canonical(&p->loc_index, loc_hash(p,
		    &p->locs[i]), loc_eq, p, (uint32_t)i);

		if (c == PROF_NONE)
			goto nomem;
		remap_loc[i - p->in_loc0] = c;
		changed |= c != i;
	}
	if (p->nlabelsets > p->in_labelset0 &&
	    (remap_ls = mem_calloc(p->nlabelsets - p->in_labelset0,
	    sizeof *remap_ls)) == NULL)
		goto nomem;
	for (i = p->in_labelset0; i < p->nlabelsets; i++) {
		struct prof_labelset *s = &p->labelsets[i];
		uint32_t c;

		if (i == 0)
			continue;	/* the empty set is canonical */
		qsort(p->labels + s->label0, s->n, sizeof *p->labels,
		    cmp_label);
		c = canonical(&p->labelset_index, labelset_hash(p, s),
		    labelset_eq, p, (uint32_t)i);
		if (c == PROF_NONE)
			goto nomem;
		remap_ls[i - p->in_labelset0] = c;
		changed |= c != i;
	}
	if (changed) {
		for (i = p->in_stack0; i < p->nstacks; i++) {
			struct prof_stack *s = &p->stacks[i];
			uint32_t j;

			for (j = 0; j < s->depth; j++) {
				uint32_t *f = &p->frames[s->frame0 + j];

				if (*f >= p->in_loc0)
					*f = remap_loc[*f - p->in_loc0];
			}
			if (s->labelset >= p->in_labelset0 && s->labelset != 0)
				s->labelset = remap_ls[s->labelset -
				    p->in_labelset0];
		}
		if ((rc = refold(p)) > 0) {
			diag_set(d, "%s: the sum of sample values overflows a "
			    "64-bit integer", p->sources[p->nsources - 1]);
			rc = -1;
			goto out;
		} else if (rc < 0) {
			goto nomem;
		}
	}
	p->idx_map = p->nmappings;
	p->idx_func = p->nfuncs;
	p->idx_loc = p->nlocs;
	p->idx_labelset = p->nlabelsets;
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
	rc = -1;
out:
	free(remap_loc);
	free(remap_ls);
	return rc;
}

uint32_t
prof_func_named(struct prof *p, struct hmap64 *cache, uint32_t name,
    uint32_t file)
{
	uint64_t key = (uint64_t)name << 32 | file;
	uint32_t f = hmap64_find(cache, key);
	struct prof_func pf;

	if (f != HMAP_NONE)
		return f;
	pf.name = name;
	pf.sysname = name;
	pf.file = file;
	pf.start_line = 0;
	f = prof_add_func(p, &pf);
	if (f == PROF_NONE || hmap64_add(cache, key, f) != 0)
		return PROF_NONE;
	return f;
}

uint32_t
prof_intern_labelset(struct prof *p, const struct prof_label *labels,
    size_t n)
{
	uint32_t id, c;

	if (n == 0)
		return 0;
	id = prof_add_labelset(p, labels, n);
	if (id == PROF_NONE)
		return PROF_NONE;
	qsort(p->labels + p->labelsets[id].label0, n, sizeof *p->labels,
	    cmp_label);
	c = canonical(&p->labelset_index, labelset_hash(p, &p->labelsets[id]),
	    labelset_eq, p, id);
	if (c != id && c != PROF_NONE) {
		/* A twin exists: forget the copy just made. */
		p->nlabels -= n;
		p->nlabelsets--;
	}
	return c;
}

int
prof_sample_index(const struct prof *p, const char *spec, struct diag *d)
{
	size_t i;
	char *end;

	if (p->ntypes == 0) {
		diag_set(d, "the profile has no sample types");
		return -1;
	}
	if (spec == NULL || *spec == '\0') {
		if (p->default_type != 0)
			for (i = 0; i < p->ntypes; i++)
				if (p->types[i].type == p->default_type)
					return (int)i;
		return (int)p->ntypes - 1;
	}
	if (*spec >= '0' && *spec <= '9') {
		unsigned long n = strtoul(spec, &end, 10);

		if (*end == '\0') {
			if (n < p->ntypes)
				return (int)n;
			diag_set(d, "sample index %s is out of range (the "
			    "profile has %zu sample types)", spec, p->ntypes);
			return -1;
		}
	}
	for (i = 0; i < p->ntypes; i++)
		if (strcmp(prof_str(p, p->types[i].type), spec) == 0)
			return (int)i;
	/* As pprof: "inuse_space" also names a legacy type "space". */
	if (strncmp(spec, "inuse_", 6) == 0)
		for (i = 0; i < p->ntypes; i++)
			if (strcmp(prof_str(p, p->types[i].type), spec + 6) == 0)
				return (int)i;
	{
		char list[512] = "";
		size_t len = 0;

		for (i = 0; i < p->ntypes && len < sizeof list - 1; i++)
			len += (size_t)snprintf(list + len, sizeof list - len,
			    "%s%s", i > 0 ? ", " : "",
			    prof_str(p, p->types[i].type));
		diag_set(d, "no sample type %s (the profile has %s)", spec,
		    list);
	}
	return -1;
}

static bool
is_shared_lib(const char *f)
{
	const char *so;

	/* pprof's ([.]so$|[.]so[._][0-9]+) */
	for (so = strstr(f, ".so"); so != NULL; so = strstr(so + 1, ".so")) {
		if (so[3] == '\0')
			return true;
		if ((so[3] == '.' || so[3] == '_') && so[4] >= '0' &&
		    so[4] <= '9')
			return true;
	}
	return false;
}

uint32_t
prof_main_mapping(const struct prof *p)
{
	size_t i;

	for (i = 0; i < p->nmappings; i++) {
		const char *f = prof_str(p, p->mappings[i].file);

		while (*f == ' ' || *f == '\t')
			f++;
		if (*f == '\0' || *f == '[' || is_shared_lib(f))
			continue;
		return (uint32_t)i;
	}
	return p->nmappings > 0 ? 0 : PROF_NONE;
}

int
prof_normalize(struct prof *p, struct diag *d)
{
	size_t n = p->nvalues_in, i, t;
	double *ratio;
	bool all_ones = true;

	if (p->nvalues_per == n || p->nstacks == 0) {
		diag_set(d, "normalizing needs a base profile");
		return -1;
	}
	if ((ratio = calloc(n, sizeof *ratio)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	for (t = 0; t < n; t++) {
		int64_t base = 0, src = 0;

		/* As pprof: plain sums of the values (but where Go's would
		 * wrap, an error). */
		for (i = 0; i < p->nstacks; i++) {
			const int64_t *row = prof_stack_values(p, i);

			if (__builtin_add_overflow(src, row[t], &src) ||
			    __builtin_add_overflow(base, row[n + t], &base)) {
				diag_set(d, "normalizing: the total of %s "
				    "overflows a 64-bit integer",
				    t < p->ntypes ? prof_str(p,
				    p->types[t].type) : "a type");
				free(ratio);
				return -1;
			}
		}
		ratio[t] = src == 0 ? 0.0 : (double)base / (double)src;
		if (ratio[t] != 1)
			all_ones = false;
	}
	if (!all_ones)
		for (i = 0; i < p->nstacks; i++) {
			int64_t *row = prof_stack_values(p, i);
			bool keep = false, any = false;

			for (t = 0; t < n; t++)
				any |= row[t] != 0;
			if (!any)
				continue;	/* a base sample, not scaled */
			for (t = 0; t < n; t++) {
				double v;

				if (ratio[t] == 1)
					continue;
				v = round((double)row[t] * ratio[t]);
				row[t] = v >= 9223372036854775807.0 ? INT64_MAX :
				    v <= -9223372036854775808.0 ? INT64_MIN :
				    (int64_t)v;
				keep |= row[t] != 0;
			}
			if (!keep)
				memset(row, 0, n * sizeof *row);
		}
	free(ratio);
	return 0;
}
