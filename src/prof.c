/*
 * prof: the profile model and the folding of samples into unique
 * stacks.  See prof.h.
 */
#include "prof.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define STACK_SEED 0x2545f4914f6cdd1dULL

struct prof *
prof_new(const struct prof_limits *limits)
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
	return p;
}

void
prof_free(struct prof *p)
{
	size_t i;

	if (p == NULL)
		return;
	strtab_free(&p->strs);
	free(p->types);
	free(p->comments);
	for (i = 0; i < p->nsources; i++)
		free(p->sources[i]);
	free(p->sources);
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

uint32_t
prof_add_func(struct prof *p, const struct prof_func *f)
{
	APPEND(p, funcs, nfuncs, capfuncs, f);
}

uint32_t
prof_add_loc(struct prof *p, const struct prof_loc *l)
{
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

int
prof_add_source(struct prof *p, const char *name)
{
	char **ns = mem_realloc_array(p->sources, p->nsources + 1,
	    sizeof *ns);

	if (ns == NULL)
		return -1;
	p->sources = ns;
	if ((ns[p->nsources] = strdup(name)) == NULL)
		return -1;
	p->nsources++;
	return 0;
}

struct stack_key {
	const uint32_t *locs;
	size_t depth;
	uint32_t labelset;
};

static bool
stack_eq(const void *ctx, uint32_t id, const void *k)
{
	const struct prof *p = ctx;
	const struct stack_key *key = k;
	const struct prof_stack *s = &p->stacks[id];

	return s->depth == key->depth && s->labelset == key->labelset &&
	    memcmp(p->frames + s->frame0, key->locs,
	    key->depth * sizeof *key->locs) == 0;
}

int
prof_add_sample(struct prof *p, const uint32_t *locs, size_t depth,
    uint32_t labelset, const int64_t *vals, const char *name, uint64_t at,
    struct diag *d)
{
	struct stack_key key = { locs, depth, labelset };
	uint64_t h = mem_hash_mix(mem_hash(locs, depth * sizeof *locs,
	    STACK_SEED), labelset);
	size_t w = p->nvalues_per;
	uint32_t id;
	int64_t *row;
	size_t i;

	p->nsamples++;
	id = hmap_find(&p->stack_index, h, stack_eq, p, &key);
	if (id != HMAP_NONE) {
		row = prof_stack_values(p, id);
		for (i = 0; i < w; i++)
			if (__builtin_add_overflow(row[i], vals[i], &row[i])) {
				diag_set(d, "%s: sample at byte %" PRIu64 ": the "
				    "sum of sample values overflows a 64-bit "
				    "integer", name, at);
				return -1;
			}
		return 0;
	}
	if (p->nstacks >= PROF_NONE - 1 ||
	    depth > PROF_NONE - 1 - p->nframes ||
	    mem_reserve(&p->stacks, &p->capstacks, p->nstacks + 1,
	    sizeof *p->stacks) != 0 ||
	    mem_reserve(&p->frames, &p->capframes, p->nframes + depth,
	    sizeof *p->frames) != 0 ||
	    mem_reserve(&p->values, &p->capvalues, (p->nstacks + 1) * w,
	    sizeof *p->values) != 0 ||
	    hmap_add(&p->stack_index, h, (uint32_t)p->nstacks) != 0) {
		diag_nomem(d);
		return -1;
	}
	id = (uint32_t)p->nstacks++;
	p->stacks[id].frame0 = (uint32_t)p->nframes;
	p->stacks[id].depth = (uint32_t)depth;
	p->stacks[id].labelset = labelset;
	if (depth > 0)
		memcpy(p->frames + p->nframes, locs, depth * sizeof *locs);
	p->nframes += depth;
	memcpy(prof_stack_values(p, id), vals, w * sizeof *vals);
	return 0;
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
