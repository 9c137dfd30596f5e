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
};

struct prof_limits {
	uint64_t max_input;		/* decompressed bytes per input */
	uint32_t max_depth;		/* frames in one sample */
};

#define PROF_DEFAULT_MAX_DEPTH 16384

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

	/* Unique stacks and their summed values (nstacks x ntypes). */
	struct prof_stack *stacks;
	size_t nstacks, capstacks;
	uint32_t *frames;
	size_t nframes, capframes;
	int64_t *values;
	size_t capvalues;
	size_t nvalues_per;		/* width of a values row */
	struct hmap stack_index;
	uint64_t nsamples;		/* samples read, before folding */

	struct prof_limits limits;
};

/* A new empty model; NULL when out of memory. */
struct prof *prof_new(const struct prof_limits *limits);

/* Free everything; prof_free(NULL) is a no-op. */
void prof_free(struct prof *p);

/*
 * Fold one sample into the unique stacks.  locs are location indexes,
 * leaf first; vals has p->nvalues_per entries.  Returns 0, or -1 with a
 * message ("value sum overflows", no memory) in d, which names the
 * sample as "NAME: sample at byte AT".
 */
int prof_add_sample(struct prof *p, const uint32_t *locs, size_t depth,
    uint32_t labelset, const int64_t *vals, const char *name, uint64_t at,
    struct diag *d);

/* Append helpers: the new element's index, or PROF_NONE (no memory). */
uint32_t prof_add_func(struct prof *p, const struct prof_func *f);
uint32_t prof_add_loc(struct prof *p, const struct prof_loc *l);
uint32_t prof_add_line(struct prof *p, const struct prof_line *ln);
uint32_t prof_add_mapping(struct prof *p, const struct prof_mapping *m);
uint32_t prof_add_labelset(struct prof *p, const struct prof_label *ls,
    size_t n);
int prof_add_comment(struct prof *p, uint32_t str);
int prof_add_source(struct prof *p, const char *name);

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
 * The main binary's mapping, picked as pprof does (the first mapping
 * with a file name that is not a shared library or a [pseudo] one), or
 * PROF_NONE.
 */
uint32_t prof_main_mapping(const struct prof *p);

#endif
