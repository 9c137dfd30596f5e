/*
 * filter: pprof's FilterSamplesByName, ShowFrom, FilterSamplesByTag and
 * PruneFrom over the model, as a view.  See filter.h.
 *
 * Regular expressions are matched once per function and once per
 * mapping (cached), not once per frame, so filtering a large profile
 * costs about one pass over its locations and one over its stacks.
 */
#include "filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "rx.h"
#include "units.h"

enum { UNKNOWN = 0, NO = 1, YES = 2 };

/* A compiled pattern with match caches per function and per mapping. */
struct pat {
	struct rx *rx;
	unsigned char *fn;	/* per function: name or file matches */
	unsigned char *map;	/* per mapping: file matches */
};

struct run {
	const struct prof *p;
	struct filter_view *v;
	struct diag *d;
	bool failed;
};

static void
pat_free(struct pat *t)
{
	rx_free(t->rx);
	free(t->fn);
	free(t->map);
}

static int
pat_init(struct pat *t, const struct prof *p, const char *opt,
    const char *pattern, struct diag *d)
{
	struct diag e = { false, "" };

	memset(t, 0, sizeof *t);
	if (pattern == NULL)
		return 0;
	if ((t->rx = rx_new(pattern, RX_DOLLAR_ENDONLY, &e)) == NULL) {
		diag_set(d, "--%s: %s", opt, e.msg);
		return -1;
	}
	t->fn = mem_calloc(p->nfuncs, 1);
	t->map = mem_calloc(p->nmappings, 1);
	if (t->fn == NULL || t->map == NULL) {
		diag_nomem(d);
		return -1;
	}
	return 0;
}

static bool
match_str(struct run *r, const struct pat *t, uint32_t s)
{
	int m = rx_match(t->rx, prof_str(r->p, s), strtab_len(&r->p->strs, s),
	    NULL, 0, r->d);

	if (m < 0)
		r->failed = true;
	return m > 0;
}

/* Does the function's name or file match? */
static bool
match_func(struct run *r, const struct pat *t, uint32_t f)
{
	if (t->fn[f] == UNKNOWN)
		t->fn[f] = match_str(r, t, r->p->funcs[f].name) ||
		    match_str(r, t, r->p->funcs[f].file) ? YES : NO;
	return t->fn[f] == YES;
}

static bool
match_map(struct run *r, const struct pat *t, uint32_t loc)
{
	uint32_t m = r->p->locs[loc].mapping;

	if (m == PROF_NONE)
		return false;
	if (t->map[m] == UNKNOWN)
		t->map[m] = match_str(r, t, r->p->mappings[m].file) ? YES : NO;
	return t->map[m] == YES;
}

/* pprof's Location.matchesName, over the lines still kept. */
static bool
loc_matches(struct run *r, const struct pat *t, uint32_t loc)
{
	const struct prof_loc *l = &r->p->locs[loc];
	uint32_t i;

	for (i = 0; i < l->nlines; i++) {
		const struct prof_line *ln = &r->p->lines[l->line0 + i];

		if (r->v->line_keep[l->line0 + i] && ln->func != PROF_NONE &&
		    match_func(r, t, ln->func))
			return true;
	}
	return match_map(r, t, loc);
}

/* Lines of loc still kept. */
static uint32_t
kept_lines(const struct run *r, uint32_t loc)
{
	const struct prof_loc *l = &r->p->locs[loc];
	uint32_t i, n = 0;

	for (i = 0; i < l->nlines; i++)
		n += r->v->line_keep[l->line0 + i];
	return n;
}

/*
 * pprof's simplifyFunc: a leading '.' dropped, the name cut at the first
 * '(' that does not start "(anonymous namespace)" or "operator()".
 */
static size_t
simple_len(const char *s, size_t n, size_t *skip)
{
	size_t i;

	*skip = n > 0 && s[0] == '.';
	for (i = *skip; i < n;) {
		if (n - i >= 21 && memcmp(s + i, "(anonymous namespace)",
		    21) == 0)
			i += 21;
		else if (n - i >= 10 && memcmp(s + i, "operator()", 10) == 0)
			i += 10;
		else if (s[i] == '(')
			return i - *skip;
		else
			i++;
	}
	return n - *skip;
}

/* ---------------------------------------------------------------- */
/* Tag filters (pprof's compileTagFilter). */

struct tagf {
	bool set;
	uint32_t key;		/* string id; 0: any key */
	bool has_key;
	bool numeric;
	int cmp;		/* numeric: 0 ==, 1 >=, 2 <=, 3 range */
	double lo, hi;
	char unit[32];
	struct rx **rxs;
	size_t nrx;
};

static void
tagf_free(struct tagf *t)
{
	size_t i;

	for (i = 0; i < t->nrx; i++)
		rx_free(t->rxs[i]);
	free(t->rxs);
}

/* The numbers and units of a range like 32kb, :64kb, 4mb: or 1kb:2mb. */
struct num_tok {
	const char *start, *end;	/* the whole token */
	long long v;
	char unit[32];
};

static int
next_num(const char **pos, struct num_tok *t)
{
	const char *p = *pos;

	/* pprof's ([+-]?[[:digit:]]+)([[:alpha:]]+)? */
	for (; *p != '\0'; p++) {
		const char *q = p;
		size_t ul;

		if (*q == '+' || *q == '-')
			q++;
		if (*q < '0' || *q > '9')
			continue;
		while (*q >= '0' && *q <= '9')
			q++;
		t->start = p;
		t->v = strtoll(p, NULL, 10);
		ul = 0;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) {
			if (ul < sizeof t->unit - 1)
				t->unit[ul++] = *q;
			q++;
		}
		t->unit[ul] = '\0';
		t->end = q;
		*pos = q;
		return 1;
	}
	*pos = p;
	return 0;
}

static int
tagf_init(struct tagf *t, const struct prof *p, const char *opt,
    const char *spec, struct diag *d)
{
	const char *eq, *value, *pos;
	struct num_tok a, b;
	int na;

	memset(t, 0, sizeof *t);
	if (spec == NULL)
		return 0;
	t->set = true;
	value = spec;
	if ((eq = strchr(spec, '=')) != NULL) {
		t->has_key = true;
		t->key = strtab_find(&p->strs, spec, (size_t)(eq - spec));
		if (t->key == STRTAB_NONE)
			t->key = PROF_NONE;	/* no sample has this key */
		value = eq + 1;
	}
	/* A numeric range? */
	pos = value;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	na = next_num(&pos, &a);
	if (na) {
		size_t alen = (size_t)(a.end - a.start);
		const char *u;
		int nb = next_num(&pos, &b);

		t->lo = units_scale(a.v, a.unit, a.unit, &u);
		snprintf(t->unit, sizeof t->unit, "%s", u);
		t->numeric = true;
		if (!nb && strlen(value) == alen && value == a.start) {
			t->cmp = 0;
			return 0;
		}
		if (!nb && strlen(value) == alen + 1 && value == a.start &&
		    value[alen] == ':') {
			t->cmp = 1;
			return 0;
		}
		if (!nb && strlen(value) == alen + 1 && value[0] == ':' &&
		    a.start == value + 1) {
			t->cmp = 2;
			return 0;
		}
		if (nb && a.start == value && a.end[0] == ':' &&
		    b.start == a.end + 1 && *b.end == '\0') {
			const char *u2;

			t->hi = units_scale(b.v, b.unit, t->unit, &u2);
			if (strcmp(u2, t->unit) == 0) {
				t->cmp = 3;
				return 0;
			}
		}
		t->numeric = false;	/* not a range after all: a regexp */
	}
	{
		const char *s = value;

		for (;;) {
			size_t n = strcspn(s, ",");
			char *pat = malloc(n + 1);
			struct diag e = { false, "" };
			struct rx **nr;

			nr = mem_realloc_array(t->rxs, t->nrx + 1, sizeof *nr);
			if (pat == NULL || nr == NULL) {
				free(pat);
				diag_nomem(d);
				return -1;
			}
			t->rxs = nr;
			memcpy(pat, s, n);
			pat[n] = '\0';
			t->rxs[t->nrx] = rx_new(pat, RX_DOLLAR_ENDONLY, &e);
			free(pat);
			if (t->rxs[t->nrx] == NULL) {
				diag_set(d, "--%s: %s", opt, e.msg);
				return -1;
			}
			t->nrx++;
			if (s[n] == '\0')
				break;
			s += n + 1;
		}
	}
	return 0;
}

/* The unit pprof gives a numeric label key (Profile.NumLabelUnits). */
static const char *
num_unit(const struct prof *p, uint32_t key)
{
	const char *k = prof_str(p, key);
	size_t i;

	for (i = 0; i < p->nlabels; i++)
		if (p->labels[i].is_num && p->labels[i].key == key &&
		    p->labels[i].unit != 0)
			return prof_str(p, p->labels[i].unit);
	if (strcmp(k, "alignment") == 0 || strcmp(k, "request") == 0)
		return "bytes";
	return k;
}

static bool
num_match(const struct tagf *t, int64_t v, const char *unit)
{
	const char *su;
	double sv = units_scale(v, unit, t->unit, &su);

	if (strcmp(su, t->unit) != 0)
		return false;
	switch (t->cmp) {
	case 0: return sv == t->lo;
	case 1: return sv >= t->lo;
	case 2: return sv <= t->lo;
	default: return sv >= t->lo && sv <= t->hi;
	}
}

/* Does label set ls pass t (pprof's tag filter closures)? */
static bool
tagf_match(struct run *r, const struct tagf *t, uint32_t ls)
{
	const struct prof *p = r->p;
	const struct prof_labelset *s = &p->labelsets[ls];
	uint32_t i;
	size_t k;
	char buf[4096];

	if (t->numeric) {
		for (i = 0; i < s->n; i++) {
			const struct prof_label *l = &p->labels[s->label0 + i];

			if (!l->is_num || (t->has_key && l->key != t->key))
				continue;
			if (num_match(t, l->num, num_unit(p, l->key)))
				return true;
		}
		return false;
	}
	if (t->has_key) {
		for (k = 0; k < t->nrx; k++)
			for (i = 0; i < s->n; i++) {
				const struct prof_label *l =
				    &p->labels[s->label0 + i];
				int m;

				if (l->is_num || l->key != t->key)
					continue;
				m = rx_match(t->rxs[k], prof_str(p, l->str),
				    strtab_len(&p->strs, l->str), NULL, 0,
				    r->d);
				if (m < 0)
					r->failed = true;
				if (m > 0)
					return true;
			}
		return false;
	}
	/* Every pattern must match some "key:value". */
	for (k = 0; k < t->nrx; k++) {
		bool found = false;

		for (i = 0; i < s->n && !found; i++) {
			const struct prof_label *l = &p->labels[s->label0 + i];
			int n, m;

			if (l->is_num)
				continue;
			n = snprintf(buf, sizeof buf, "%s:%s",
			    prof_str(p, l->key), prof_str(p, l->str));
			if (n < 0 || (size_t)n >= sizeof buf)
				n = (int)sizeof buf - 1;
			m = rx_match(t->rxs[k], buf, (size_t)n, NULL, 0, r->d);
			if (m < 0)
				r->failed = true;
			found = m > 0;
		}
		if (!found)
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------- */

bool
filter_active(const struct filter_opts *o)
{
	return o->focus != NULL || o->ignore != NULL || o->hide != NULL ||
	    o->show != NULL || o->show_from != NULL || o->prune_from != NULL ||
	    o->tagfocus != NULL || o->tagignore != NULL;
}

void
filter_view_free(struct filter_view *v)
{
	if (v == NULL)
		return;
	free(v->line_keep);
	free(v->loc_hidden);
	free(v->stack_keep);
	free(v->lo);
	free(v->hi);
	free(v);
}

enum { FI_NONE, FI_FOCUS, FI_IGNORE };

struct filter_view *
filter_apply(const struct prof *p, const struct filter_opts *o,
    struct diag *d)
{
	struct filter_view *v = calloc(1, sizeof *v);
	struct pat focus, ignore, hide, show, show_from, prune_from;
	struct tagf tagfocus, tagignore;
	unsigned char *fi = NULL, *sf_loc = NULL, *pr_loc = NULL;
	unsigned char *ls_pass = NULL;
	struct run r = { p, v, d, false };
	size_t i;

	memset(&focus, 0, sizeof focus);
	ignore = hide = show = show_from = prune_from = focus;
	memset(&tagfocus, 0, sizeof tagfocus);
	tagignore = tagfocus;
	if (v == NULL)
		goto nomem;
	if (pat_init(&focus, p, "focus", o->focus, d) ||
	    pat_init(&ignore, p, "ignore", o->ignore, d) ||
	    pat_init(&hide, p, "hide", o->hide, d) ||
	    pat_init(&show, p, "show", o->show, d) ||
	    pat_init(&show_from, p, "show-from", o->show_from, d) ||
	    pat_init(&prune_from, p, "prune-from", o->prune_from, d) ||
	    tagf_init(&tagfocus, p, "tagfocus", o->tagfocus, d) ||
	    tagf_init(&tagignore, p, "tagignore", o->tagignore, d))
		goto fail;
	v->line_keep = mem_calloc(p->nlines, 1);
	v->loc_hidden = mem_calloc(p->nlocs, 1);
	v->stack_keep = mem_calloc(p->nstacks, 1);
	v->lo = mem_calloc(p->nstacks, sizeof *v->lo);
	v->hi = mem_calloc(p->nstacks, sizeof *v->hi);
	fi = mem_calloc(p->nlocs, 1);
	sf_loc = mem_calloc(p->nlocs, 1);
	pr_loc = mem_calloc(p->nlocs, 1);
	ls_pass = mem_calloc(p->nlabelsets, 1);
	if (v->line_keep == NULL || v->loc_hidden == NULL ||
	    v->stack_keep == NULL || v->lo == NULL || v->hi == NULL ||
	    fi == NULL || sf_loc == NULL || pr_loc == NULL || ls_pass == NULL)
		goto nomem;
	memset(v->line_keep, 1, p->nlines);

	/* FilterSamplesByName, location by location. */
	for (i = 0; i < p->nlocs; i++) {
		const struct prof_loc *l = &p->locs[i];
		uint32_t j;

		if (ignore.rx != NULL && loc_matches(&r, &ignore, (uint32_t)i)) {
			v->ignore_matched = true;
			fi[i] = FI_IGNORE;
		} else if (focus.rx == NULL ||
		    loc_matches(&r, &focus, (uint32_t)i)) {
			v->focus_matched = true;
			fi[i] = FI_FOCUS;
		}
		if (hide.rx != NULL && loc_matches(&r, &hide, (uint32_t)i)) {
			v->hide_matched = true;
			for (j = 0; j < l->nlines; j++) {
				const struct prof_line *ln =
				    &p->lines[l->line0 + j];

				if (match_map(&r, &hide, (uint32_t)i) ||
				    (ln->func != PROF_NONE &&
				    match_func(&r, &hide, ln->func)))
					v->line_keep[l->line0 + j] = 0;
			}
			if (kept_lines(&r, (uint32_t)i) == 0)
				v->loc_hidden[i] = 1;
		}
		if (show.rx != NULL) {
			if (!match_map(&r, &show, (uint32_t)i))
				for (j = 0; j < l->nlines; j++) {
					const struct prof_line *ln =
					    &p->lines[l->line0 + j];

					if (ln->func != PROF_NONE &&
					    !match_func(&r, &show, ln->func))
						v->line_keep[l->line0 + j] = 0;
				}
			if (kept_lines(&r, (uint32_t)i) == 0)
				v->loc_hidden[i] = 1;
			else
				v->show_matched = true;
		}
	}

	/* ShowFrom, location by location: lines after the last match go. */
	if (show_from.rx != NULL)
		for (i = 0; i < p->nlocs; i++) {
			const struct prof_loc *l = &p->locs[i];
			uint32_t j;

			if (match_map(&r, &show_from, (uint32_t)i)) {
				sf_loc[i] = 1;
				continue;
			}
			for (j = l->nlines; j-- > 0;) {
				const struct prof_line *ln =
				    &p->lines[l->line0 + j];

				if (v->line_keep[l->line0 + j] &&
				    ln->func != PROF_NONE &&
				    match_func(&r, &show_from, ln->func))
					break;
			}
			if (j != UINT32_MAX) {
				uint32_t k;

				sf_loc[i] = 1;
				for (k = j + 1; k < l->nlines; k++)
					v->line_keep[l->line0 + k] = 0;
			}
		}

	/* Tag filters, per label set. */
	for (i = 0; i < p->nlabelsets; i++) {
		bool focused = !tagfocus.set || tagf_match(&r, &tagfocus,
		    (uint32_t)i);
		bool ignored = tagignore.set && tagf_match(&r, &tagignore,
		    (uint32_t)i);

		ls_pass[i] = focused && !ignored;
	}

	/* PruneFrom, location by location: lines before the match go. */
	if (prune_from.rx != NULL)
		for (i = 0; i < p->nlocs; i++) {
			const struct prof_loc *l = &p->locs[i];
			uint32_t j;

			for (j = 0; j < l->nlines; j++) {
				const struct prof_line *ln =
				    &p->lines[l->line0 + j];
				const char *name;
				size_t skip, n;
				int m;

				if (!v->line_keep[l->line0 + j] ||
				    ln->func == PROF_NONE ||
				    p->funcs[ln->func].name == 0)
					continue;
				name = prof_str(p, p->funcs[ln->func].name);
				n = simple_len(name, strtab_len(&p->strs,
				    p->funcs[ln->func].name), &skip);
				m = rx_match(prune_from.rx, name + skip, n,
				    NULL, 0, d);
				if (m < 0)
					goto fail;
				if (m > 0) {
					uint32_t k;

					pr_loc[i] = 1;
					for (k = 0; k < j; k++)
						v->line_keep[l->line0 + k] = 0;
					break;
				}
			}
		}
	if (r.failed)
		goto fail;

	/* Now every stack (sample). */
	for (i = 0; i < p->nstacks; i++) {
		const struct prof_stack *s = &p->stacks[i];
		const uint32_t *f = p->frames + s->frame0;
		bool focused = false, ignored = false, any = false;
		uint32_t j, lo = 0, hi;

		if (s->depth == 0)
			continue;
		hi = s->depth - 1;
		for (j = 0; j < s->depth; j++) {
			if (fi[f[j]] == FI_FOCUS)
				focused = true;
			else if (fi[f[j]] == FI_IGNORE)
				ignored = true;
			if (!v->loc_hidden[f[j]])
				any = true;
		}
		if (!focused || ignored || !any)
			continue;
		if (show_from.rx != NULL) {
			for (j = hi + 1; j-- > 0;)
				if (!v->loc_hidden[f[j]] && sf_loc[f[j]])
					break;
			if (j == UINT32_MAX)
				continue;
			v->show_from_matched = true;
			hi = j;
		}
		if (!ls_pass[s->labelset])
			continue;
		if (prune_from.rx != NULL)
			for (j = lo; j <= hi; j++)
				if (!v->loc_hidden[f[j]] && pr_loc[f[j]]) {
					v->prune_from_matched = true;
					lo = j;
					break;
				}
		v->stack_keep[i] = 1;
		v->lo[i] = lo;
		v->hi[i] = hi;
	}
	for (i = 0; i < p->nstacks; i++) {
		uint32_t ls = p->stacks[i].labelset;

		if (tagfocus.set && tagf_match(&r, &tagfocus, ls))
			v->tagfocus_matched = true;
		if (tagignore.set && tagf_match(&r, &tagignore, ls))
			v->tagignore_matched = true;
	}
	if (r.failed)
		goto fail;
	goto out;
nomem:
	diag_nomem(d);
fail:
	filter_view_free(v);
	v = NULL;
out:
	pat_free(&focus);
	pat_free(&ignore);
	pat_free(&hide);
	pat_free(&show);
	pat_free(&show_from);
	pat_free(&prune_from);
	tagf_free(&tagfocus);
	tagf_free(&tagignore);
	free(fi);
	free(sf_loc);
	free(pr_loc);
	free(ls_pass);
	return v;
}

int
filter_describe(const struct filter_opts *o, char **out)
{
	static const char *const names[] = {
		"focus", "ignore", "hide", "show", "show_from", "tagfocus",
		"tagignore", "prune_from",
	};
	const char *vals[] = {
		o->focus, o->ignore, o->hide, o->show, o->show_from,
		o->tagfocus, o->tagignore, o->prune_from,
	};
	size_t i, len = 0;
	char *s = NULL;

	for (i = 0; i < sizeof vals / sizeof *vals; i++) {
		size_t n;
		char *ns;

		if (vals[i] == NULL)
			continue;
		n = strlen(names[i]) + strlen(vals[i]) + 2;
		if ((ns = realloc(s, len + n + 1)) == NULL) {
			free(s);
			return -1;
		}
		s = ns;
		len += (size_t)snprintf(s + len, n + 1, "%s%s=%s",
		    len > 0 ? "\n" : "", names[i], vals[i]);
	}
	if (s == NULL && (s = strdup("")) == NULL)
		return -1;
	*out = s;
	return 0;
}
