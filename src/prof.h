/*
 * prof: the in-memory profile model every reader fills and every graph
 * is built from.
 *
 * Strings are interned (ids), functions, locations and mappings live in
 * dense arrays, and samples are folded at once into unique stacks: a
 * stack is a sequence of location ids (leaf first, as in pprof) plus a
 * label set, and carries the sum of the values of every sample that had
 * exactly that stack and those labels.  Graph building and trimming
 * replay unique stacks, never raw samples, so their cost follows the
 * number of distinct stacks rather than the size of the file.
 *
 * Several inputs are decoded into one model; their samples merge when
 * their sample types agree.  All value sums are overflow-checked.
 */
#ifndef GMV_PROF_H
#define GMV_PROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "hmap.h"
#include "strtab.h"

#define PROF_NONE UINT32_MAX

struct prof_type {
	uint32_t type, unit;		/* string ids, e.g. inuse_space, bytes */
};

struct prof_mapping {
	uint64_t start, limit, offset;
	uint32_t file, build_id;	/* string ids */
	bool has_functions, has_filenames, has_line_numbers,
	    has_inline_frames;
};

struct prof_func {
	uint32_t name, sysname, file;	/* string ids */
	int64_t start_line;
};

struct prof_line {
	uint32_t func;			/* function index, PROF_NONE if none */
	int64_t line;
	int64_t column;
};

struct prof_loc {
	uint64_t address;
	uint32_t mapping;		/* mapping index, PROF_NONE if none */
	uint32_t line0, nlines;		/* into lines; innermost first */
	bool folded;
};

struct prof_label {
	uint32_t key;			/* string id */
	uint32_t str;			/* string id; 0 for a numeric label */
	uint32_t unit;			/* string id of num_unit, 0 if unset */
	bool is_num;
	int64_t num;
};

struct prof_labelset {
	uint32_t label0, n;		/* into labels */
};

struct prof_stack {
	uint32_t frame0, depth;		/* into frames (location indexes) */
	uint32_t labelset;		/* 0 is the empty set */
	bool base;			/* a --diff-base sample, kept apart */
};

/*
 * How base profiles (pprof's -base and -diff_base) are held: their
 * values go into a second half of every values row, so a node knows its
 * base and its new value separately.  With PROF_BASE_SUBTRACT a base
 * sample and a new one with the same stack share a row, as pprof's
 * merge nets them; with PROF_BASE_DIFF base samples stay apart (pprof
 * labels them pprof::base).
 */
enum prof_base_mode {
	PROF_NO_BASE,
	PROF_BASE_SUBTRACT,
	PROF_BASE_DIFF,
};

/* What an input says about itself, as string ids (see prof_set_header). */
struct prof_header {
	const uint32_t *types, *units;	/* one per sample type */
	size_t ntypes;
	uint32_t default_type;		/* 0 if unset */
	uint32_t period_type, period_unit;
	int64_t period, time_nanos, duration_nanos;
	const uint32_t *comments;
	size_t ncomments;
	uint32_t drop_frames, keep_frames, doc_url;
};

/*
 * What one input may hold before it is refused (pprof2graph's --max-*
 * options); a 0 means the default.  The counts are per input, so a
 * merge of several inputs may hold more.
 */
struct prof_limits {
	uint64_t max_input;		/* decompressed bytes per input */
	uint32_t max_depth;		/* frames in one sample */
	uint64_t max_samples;		/* samples: records, stack lines */
	uint64_t max_locations;		/* locations (functions, mappings) */
	uint64_t max_string;		/* bytes in one string */
};

#define PROF_DEFAULT_MAX_DEPTH 16384
#define PROF_DEFAULT_MAX_SAMPLES 100000000ULL		/* 100 million */
#define PROF_DEFAULT_MAX_LOCATIONS 10000000ULL		/* 10 million */
#define PROF_DEFAULT_MAX_STRING ((uint64_t)1 << 20)	/* 1 MiB */

struct prof {
	struct strtab strs;

	/* Header; merged over inputs as pprof's Merge does. */
	struct prof_type *types;
	size_t ntypes;
	uint32_t default_type;		/* string id of a type name, 0 if unset */
	struct prof_type period_type;
	int64_t period;			/* the largest */
	int64_t time_nanos;		/* the earliest non-zero */
	int64_t duration_nanos;		/* the sum */
	uint32_t drop_frames, keep_frames, doc_url;
	uint32_t *comments;		/* string ids, without duplicates */
	size_t ncomments, capcomments;
	char **sources;			/* input names, in order */
	bool *source_is_base;
	size_t nsources;

	struct prof_mapping *mappings;
	size_t nmappings, capmappings;
	struct prof_func *funcs;
	size_t nfuncs, capfuncs;
	struct prof_line *lines;
	size_t nlines, caplines;
	struct prof_loc *locs;
	size_t nlocs, caplocs;
	struct prof_label *labels;
	size_t nlabels, caplabels;
	struct prof_labelset *labelsets;
	size_t nlabelsets, caplabelsets;

	/* Unique stacks and their summed values (nstacks x nvalues_per). */
	struct prof_stack *stacks;
	size_t nstacks, capstacks;
	uint32_t *frames;
	size_t nframes, capframes;
	int64_t *values;
	size_t capvalues;
	size_t nvalues_in;		/* values per sample: one per type */
	size_t nvalues_per;		/* row width: nvalues_in, twice with bases */
	struct hmap stack_index;
	uint64_t nsamples;		/* samples read, before folding */

	enum prof_base_mode base_mode;	/* set before loading anything */
	bool loading_base;		/* the current input is a base */
	bool loaded;			/* prof_loaded: no more inputs */
	struct fold_queue *fq;		/* samples folding in the background */

	/* Where the current input's entities start. */
	size_t in_map0, in_func0, in_loc0, in_labelset0, in_stack0;
	uint64_t in_samples0;
	bool in_header;			/* prof_set_header called for it */
	struct diag *in_diag;		/* the input's, for limits */

	/*
	 * Content indexes: identical entities of several inputs merge.
	 * They are filled lazily, when a second input arrives, so a single
	 * profile costs nothing; idx_* count the entities already in them.
	 */
	struct hmap map_index, func_index, loc_index, labelset_index;
	size_t idx_map, idx_func, idx_loc, idx_labelset;

	struct prof_limits limits;
};

/*
 * A new empty model holding bases as base_mode says; NULL when out of
 * memory.
 */
struct prof *prof_new(const struct prof_limits *limits,
    enum prof_base_mode base_mode);

/* Free everything; prof_free(NULL) is a no-op. */
void prof_free(struct prof *p);

/*
 * Reading one input goes: prof_begin_input, then entities, header and
 * samples in any order, then prof_end_input.  p->loading_base tells
 * whether the input is a base profile (set it before prof_begin_input).
 * Until the next prof_begin_input, d also receives the message of an
 * append helper that refuses an entity past p->limits.
 */
int prof_begin_input(struct prof *p, const char *name, struct diag *d);

/*
 * Merge an input's header into the model: the first input sets the
 * sample types; every later one must have the same types and units in
 * the same order.  Period: the largest; time: the earliest; duration:
 * the sum; comments: without duplicates.  0, or -1 with a message.
 */
int prof_set_header(struct prof *p, const struct prof_header *h,
    const char *name, struct diag *d);

/*
 * From now on, fold the current input's samples in a thread of their
 * own (a reader calls it once an input proves big; without a thread,
 * nothing changes).  prof_end_input, prof_fold_sync and prof_free wait
 * for it.  name is the input's, for messages.
 */
void prof_fold_in_background(struct prof *p, const char *name);

/*
 * Wait until every queued sample is folded.  0, or -1 with fold's
 * message (a sum that overflows, no memory) about a sample read before
 * whatever the reader was doing: a reader that fails calls it to
 * report the earlier failure if there was one.
 */
int prof_fold_sync(struct prof *p, struct diag *d);

/*
 * Every input is in: drop the indexes that only merging inputs needs
 * (stacks, mappings, functions, locations, label sets), which are a good
 * part of the peak memory of a big profile.  No input may follow.
 */
void prof_loaded(struct prof *p);

/*
 * The stacks are spelled as nodes (graph_space_new) and nothing will
 * read their frames again: free them, the biggest array of a big
 * profile, before the graphs are built.
 */
void prof_drop_frames(struct prof *p);

/*
 * Finish an input: merge its mappings, functions, locations and label
 * sets with identical ones already known (as pprof's merge does), and
 * fold stacks that became identical.  0, or -1 with a message.
 */
int prof_end_input(struct prof *p, struct diag *d);

/*
 * Fold one sample into the unique stacks.  locs are location indexes,
 * leaf first; vals has nvals entries, one per sample type; they land in
 * the new or the base half of the row as p->loading_base says.  Returns
 * 0, or -1 with a message (more samples than p->limits.max_samples,
 * different value counts, value sum overflows, no memory) in d, which
 * names the sample "NAME: sample at AT" where a positive AT is a byte
 * offset and "NAME:LINE" text readers pass as name with AT 0.
 */
int prof_add_sample(struct prof *p, const uint32_t *locs, size_t depth,
    uint32_t labelset, const int64_t *vals, size_t nvals, const char *name,
    uint64_t at, struct diag *d);

/*
 * Count one sample of the current input against p->limits.max_samples
 * without adding it (prof_add_sample counts those it adds): for a
 * sample a reader skips.  0, or -1 with "INPUT: holds more than N
 * samples; ..." in d.
 */
int prof_count_sample(struct prof *p, struct diag *d);

/*
 * Is a string of len bytes within p->limits.max_string?  0, or -1 with
 * "WHERE: WHAT is LEN bytes long, more than MAX; refusing it (the limit
 * is set with --max-string-length)" in d.  Readers check every string
 * of an input before interning it.
 */
int prof_check_string(const struct prof *p, uint64_t len, const char *where,
    const char *what, struct diag *d);

/*
 * For readers of formats that name functions by text: the function
 * (name, file) -- system name the same, no start line, as Go writes
 * them -- made on first sight; cache is the reader's own index from the
 * pair to the function.  PROF_NONE when out of memory.
 */
uint32_t prof_func_named(struct prof *p, struct hmap64 *cache, uint32_t name,
    uint32_t file);

/*
 * The label set holding labels[0..n) (resolved string ids), shared with
 * every set of the same labels in any order; PROF_NONE when out of
 * memory.  n == 0 gives the empty set, 0.
 */
uint32_t prof_intern_labelset(struct prof *p, const struct prof_label *labels,
    size_t n);

/*
 * Append helpers: the new element's index, or PROF_NONE when out of
 * memory or when the current input would hold more locations,
 * functions or mappings than p->limits.max_locations; then the input's
 * diag (see prof_begin_input) says so, and a reader's own "out of
 * memory" that follows is ignored, as the first message wins.
 */
uint32_t prof_add_func(struct prof *p, const struct prof_func *f);
uint32_t prof_add_loc(struct prof *p, const struct prof_loc *l);
uint32_t prof_add_line(struct prof *p, const struct prof_line *ln);
uint32_t prof_add_mapping(struct prof *p, const struct prof_mapping *m);
uint32_t prof_add_labelset(struct prof *p, const struct prof_label *ls,
    size_t n);
int prof_add_comment(struct prof *p, uint32_t str);

/*
 * The index of the sample type named by spec: a type name (an
 * "inuse_" prefix may be left out, as pprof allows) or a 0-based
 * number; NULL or "" picks the default type, else the last.  Returns
 * -1 with a message when nothing matches.
 */
int prof_sample_index(const struct prof *p, const char *spec,
    struct diag *d);

/* The values row of stack s. */
static inline int64_t *
prof_stack_values(const struct prof *p, size_t s)
{
	return p->values + s * p->nvalues_per;
}

/* String accessor shorthand. */
static inline const char *
prof_str(const struct prof *p, uint32_t id)
{
	return strtab_str(&p->strs, id);
}

/*
 * pprof's -normalize: scale the new values of every stack by the ratio
 * of the base total to the new total, per sample type, rounding each to
 * the nearest integer (a stack whose scaled values are all 0 loses its
 * new values).  Returns 0, or -1 with a message (no base loaded, a
 * total overflows a 64-bit integer).
 */
int prof_normalize(struct prof *p, struct diag *d);

/*
 * The main binary's mapping, picked as pprof does (the first mapping
 * with a file name that is not a shared library or a [pseudo] one), or
 * PROF_NONE.
 */
uint32_t prof_main_mapping(const struct prof *p);

#endif
