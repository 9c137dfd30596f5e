/*
 * folded: a line at a time, counts taken from the end.  See folded.h.
 *
 * A line is read right to left: its last blank-separated words are the
 * counts (as many as the file's form says), and everything before them
 * is the stack, so frames may hold blanks.  The form is decided once,
 * from the first line that is not blank or a comment, and every later
 * line must have the same number of counts; a one-column file whose leaf
 * frame happens to end in " 42" is still read right, as one count.
 *
 * Each distinct frame text (after trimming and dropping an annotation
 * suffix) is interned once and mapped to its location through a table
 * keyed by the string id; functions are keyed by (name, file).  Both
 * tables live for one input: prof_end_input merges identical functions
 * and locations of several inputs by content.
 */
#include "folded.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "lines.h"
#include "mem.h"
#include "strtab.h"

#define MAX_TYPES 64		/* sample types in a header line */
#define SHOW_MAX 40		/* bytes of a bad word quoted in messages */

enum form {
	FORM_UNKNOWN,		/* no stack line seen yet */
	FORM_PLAIN,		/* STACK COUNT */
	FORM_DIFF,		/* STACK OLD NEW */
	FORM_HEADER,		/* TYPE/UNIT ... line, then STACK V1 V2 ... */
};

struct rd {
	struct prof *p;
	struct diag *d;
	struct lines *lines;
	size_t line_max;	/* the longest line taken */
	const char *name;	/* the input's name */
	char *where;		/* "NAME:LINE", for prof_add_sample */
	size_t where_len;	/* length of "NAME:" */

	enum form form;
	size_t ncounts;		/* counts at the end of each line */
	uint32_t types[MAX_TYPES], units[MAX_TYPES];
	int64_t vals[MAX_TYPES];
	uint64_t nstack_lines;

	uint32_t *locs;		/* the current stack, then leaf first */
	size_t caplocs;
	struct hmap64 frame_loc;	/* frame string id -> location */
	struct hmap64 func_index;	/* name id << 32 | file id -> function */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Shrink s[*b..*e) to drop blanks at both ends. */
static void
trim(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && is_blank(s[*b]))
		(*b)++;
	while (*e > *b && is_blank(s[*e - 1]))
		(*e)--;
}

/* "NAME:LINE: message" about the line last read. */
static int
bad(struct rd *r, const char *fmt, ...) DIAG_PRINTF(2, 3);

static int
bad(struct rd *r, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(r->d, "%s:%" PRIu64 ": %s", r->name, lines_number(r->lines),
	    msg);
	return -1;
}

static int
nomem(struct rd *r)
{
	diag_nomem(r->d);
	return -1;
}

/* Is a string of n bytes, what the line calls it, within the limit? */
static int
check_len(struct rd *r, size_t n, const char *what)
{
	char where[DIAG_MSG_MAX];

	if (n <= r->p->limits.max_string)
		return 0;
	snprintf(where, sizeof where, "%s:%" PRIu64, r->name,
	    lines_number(r->lines));
	return prof_check_string(r->p, n, where, what, r->d);
}

/* A word of the input, cut for a message (control bytes never get here). */
static const char *
show(const char *s, size_t n, char *buf, size_t size)
{
	if (n > SHOW_MAX)
		snprintf(buf, size, "%.*s...", SHOW_MAX, s);
	else
		snprintf(buf, size, "%.*s", (int)n, s);
	return buf;
}

/* ---------------------------------------------------------------- */
/* Counts. */

/* Is s[0..n) a count as FlameGraph writes them: digits, maybe ".000"? */
static bool
is_count_word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_digit(s[i]))
		i++;
	if (i == 0)
		return false;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] == '0'; i++)
			;
	return i == n;
}

/*
 * Could s[0..n) have been meant as a count, so that parse_count should
 * say what is wrong with it?  Digits, '.' and a leading '-', with a
 * digit somewhere ("0x1f" and "12abc" are words, not counts).
 */
static bool
numberish(const char *s, size_t n)
{
	size_t i;
	bool digit = false;

	for (i = 0; i < n; i++) {
		if (is_digit(s[i]))
			digit = true;
		else if (s[i] != '.' && !(s[i] == '-' && i == 0))
			return false;
	}
	return digit;
}

/*
 * Parse the count s[0..n): decimal digits, an optional '-' where
 * negative values are allowed, an optional fraction that must be zero.
 * 0, or -1 with a message.
 */
static int
parse_count(struct rd *r, const char *s, size_t n, bool negative_ok,
    int64_t *out)
{
	char buf[SHOW_MAX + 8];
	uint64_t v = 0;
	size_t i = 0;
	bool neg = false, frac = false, digits = false;

	if (n > 0 && s[0] == '-') {
		neg = true;
		i++;
	}
	for (; i < n && is_digit(s[i]); i++) {
		digits = true;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
			return bad(r, "the count %s does not fit in a 64-bit "
			    "integer", show(s, n, buf, sizeof buf));
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++) {
			digits = true;
			frac |= s[i] != '0';
		}
	}
	if (!digits || i != n)
		return bad(r, "\"%s\" is not a count (expected a whole number "
		    "at the end of the line)", show(s, n, buf, sizeof buf));
	if (frac)
		return bad(r, "a fractional count, %s (counts must be whole "
		    "numbers)", show(s, n, buf, sizeof buf));
	if (neg && v != 0 && !negative_ok)
		return bad(r, "a negative count, %s", show(s, n, buf,
		    sizeof buf));
	if (v > (uint64_t)INT64_MAX + neg)
		return bad(r, "the count %s does not fit in a 64-bit integer",
		    show(s, n, buf, sizeof buf));
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/*
 * Take the last word of s[0..*end) (blanks already trimmed from its
 * end): its start in *wb; *end becomes the end of what precedes it,
 * trimmed.  False when the line is that one word.
 */
static bool
last_word(const char *s, size_t *end, size_t *wb)
{
	size_t i = *end;

	while (i > 0 && !is_blank(s[i - 1]))
		i--;
	*wb = i;
	if (i == 0)
		return false;
	while (i > 0 && is_blank(s[i - 1]))
		i--;
	*end = i;
	return true;
}

/*
 * Take the r->ncounts counts off the end of line[0..*end) into r->vals
 * (in order); *end becomes the end of the stack.  0 or -1.
 */
static int
take_counts(struct rd *r, const char *line, size_t *end)
{
	const char *why = r->form == FORM_HEADER ? "one per sample type "
	    "of the header line" : "as on the first stack line";
	char buf[SHOW_MAX + 8];
	size_t k, wb;

	for (k = r->ncounts; k > 0; k--) {
		size_t we = *end;
		bool more = last_word(line, end, &wb);

		if (!numberish(line + wb, we - wb)) {
			if (k == r->ncounts)
				return bad(r, "no count at the end of the line "
				    "(\"%s\"; expected STACK COUNT)",
				    show(line + wb, we - wb, buf, sizeof buf));
			return bad(r, "%zu counts expected at the end of the "
			    "line (%s), but \"%s\" is not a count",
			    r->ncounts, why, show(line + wb, we - wb, buf,
			    sizeof buf));
		}
		if (parse_count(r, line + wb, we - wb,
		    r->form == FORM_HEADER, &r->vals[k - 1]) != 0)
			return -1;
		if (!more) {
			*end = 0;
			if (k > 1)
				return bad(r, "%zu counts expected at the end "
				    "of the line (%s)", r->ncounts, why);
			break;
		}
	}
	if (*end == 0)
		return bad(r, "a count but no stack");
	return 0;
}

/* ---------------------------------------------------------------- */
/* The first line: its form. */

/* A header word: TYPE/UNIT, both made of [A-Za-z0-9_.-]. */
static bool
is_type_word(const char *s, size_t n, size_t *slash)
{
	size_t i, nslash = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '/') {
			nslash++;
			*slash = i;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    is_digit(c) || c == '_' || c == '.' || c == '-')) {
			return false;
		}
	}
	return nslash == 1 && *slash > 0 && *slash < n - 1;
}

/* Is line[0..n) (trimmed) a header line, every word TYPE/UNIT? */
static bool
is_header(const char *line, size_t n)
{
	size_t i = 0, slash;

	while (i < n) {
		size_t b = i;

		while (i < n && !is_blank(line[i]))
			i++;
		if (!is_type_word(line + b, i - b, &slash))
			return false;
		while (i < n && is_blank(line[i]))
			i++;
	}
	return n > 0;
}

static int
set_header(struct rd *r, size_t ntypes)
{
	struct prof_header h;

	memset(&h, 0, sizeof h);
	h.types = r->types;
	h.units = r->units;
	h.ntypes = ntypes;
	return prof_set_header(r->p, &h, r->name, r->d);
}

static int
read_header(struct rd *r, const char *line, size_t n)
{
	size_t i = 0, k = 0, slash = 0, j;

	while (i < n) {
		size_t b = i;

		while (i < n && !is_blank(line[i]))
			i++;
		if (k == MAX_TYPES)
			return bad(r, "more than %d sample types in the header "
			    "line", MAX_TYPES);
		if (check_len(r, i - b, "a sample type") != 0)
			return -1;
		is_type_word(line + b, i - b, &slash);
		r->types[k] = strtab_intern(&r->p->strs, line + b, slash);
		r->units[k] = strtab_intern(&r->p->strs, line + b + slash + 1,
		    i - b - slash - 1);
		if (r->types[k] == STRTAB_NONE || r->units[k] == STRTAB_NONE)
			return nomem(r);
		for (j = 0; j < k; j++)
			if (r->types[j] == r->types[k])
				return bad(r, "sample type %s appears twice in "
				    "the header line",
				    prof_str(r->p, r->types[k]));
		k++;
		while (i < n && is_blank(line[i]))
			i++;
	}
	r->form = FORM_HEADER;
	r->ncounts = k;
	return set_header(r, k);
}

/*
 * Decide the form from the first stack line, line[0..n) (trimmed): two
 * counts when the word before the last count is a plain count too and
 * a stack precedes it.
 */
static int
first_line(struct rd *r, const char *line, size_t n)
{
	size_t end = n, wb, wb2;

	if (is_header(line, n))
		return read_header(r, line, n);
	r->form = FORM_PLAIN;
	r->ncounts = 1;
	if (last_word(line, &end, &wb) && is_count_word(line + wb, n - wb)) {
		size_t e2 = end;

		if (last_word(line, &e2, &wb2) &&
		    is_count_word(line + wb2, end - wb2)) {
			r->form = FORM_DIFF;
			r->ncounts = 2;
		}
	}
	r->types[0] = strtab_intern_cstr(&r->p->strs, "samples");
	r->units[0] = strtab_intern_cstr(&r->p->strs, "count");
	if (r->types[0] == STRTAB_NONE || r->units[0] == STRTAB_NONE)
		return nomem(r);
	if (r->form == FORM_DIFF && r->p->base_mode == PROF_NO_BASE) {
		const char *f = strcmp(r->name, "<stdin>") == 0 ? "FILE" :
		    r->name;

		return bad(r, "two counts per stack: a base and a new profile "
		    "in one file, as difffolded.pl writes them; to graph the "
		    "change, give the file both as the base and as the "
		    "profile (--diff-base %s %s, or --base)", f, f);
	}
	return set_header(r, 1);
}

/* ---------------------------------------------------------------- */
/* Frames. */

static const char *const suffixes[] = {
	"_[k]", "_[j]", "_[i]", "_[w]", "_[0]", "_[1]",
};

/* Drop blanks around s[*b..*e) and one annotation suffix. */
static void
clean_frame(const char *s, size_t *b, size_t *e)
{
	size_t i;

	trim(s, b, e);
	if (*e - *b < 4 || s[*e - 4] != '_' || s[*e - 3] != '[' ||
	    s[*e - 1] != ']')
		return;
	for (i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
		if (suffixes[i][2] == s[*e - 2]) {
			*e -= 4;
			trim(s, b, e);
			return;
		}
}

/*
 * py-spy's "NAME (FILE:LINE)": true with the name, the file and the line
 * when f[0..n) has that shape (a non-empty name, a blank, a non-empty
 * file, 1 to 18 digits).
 */
static bool
split_pyspy(const char *f, size_t n, size_t *name_len, size_t *file_b,
    size_t *file_e, int64_t *line)
{
	size_t open, colon, i;
	int64_t v = 0;

	if (n < 6 || f[n - 1] != ')')
		return false;
	for (colon = n - 1; colon > 0 && is_digit(f[colon - 1]); colon--)
		;
	if (colon == 0 || f[--colon] != ':' || n - 1 - colon - 1 == 0 ||
	    n - 1 - colon - 1 > 18)
		return false;
	for (open = colon; open > 0 && f[open - 1] != '('; open--)
		;
	if (open < 3 || open == colon || f[open - 2] != ' ')
		return false;
	for (i = colon + 1; i < n - 1; i++)
		v = v * 10 + (f[i] - '0');
	*name_len = open - 2;
	while (*name_len > 0 && is_blank(f[*name_len - 1]))
		(*name_len)--;
	if (*name_len == 0)
		return false;
	*file_b = open;
	*file_e = colon;
	*line = v;
	return true;
}

/* The location of frame f[0..n) (cleaned, not empty); PROF_NONE: no memory. */
static uint32_t
loc_for(struct rd *r, const char *f, size_t n)
{
	struct strtab *t = &r->p->strs;
	uint32_t id = strtab_intern(t, f, n), name = id, file = 0, loc;
	struct prof_line ln = { PROF_NONE, 0, 0 };
	struct prof_loc pl = { 0, PROF_NONE, 0, 1, false };
	size_t name_len, fb, fe;

	if (id == STRTAB_NONE)
		return PROF_NONE;
	if ((loc = hmap64_find(&r->frame_loc, id)) != HMAP_NONE)
		return loc;
	if (split_pyspy(f, n, &name_len, &fb, &fe, &ln.line)) {
		/* f is in the line buffer, so interning cannot move it. */
		name = strtab_intern(t, f, name_len);
		file = strtab_intern(t, f + fb, fe - fb);
		if (name == STRTAB_NONE || file == STRTAB_NONE)
			return PROF_NONE;
	}
	if ((ln.func = prof_func_named(r->p, &r->func_index, name,
	    file)) == PROF_NONE ||
	    (pl.line0 = prof_add_line(r->p, &ln)) == PROF_NONE ||
	    (loc = prof_add_loc(r->p, &pl)) == PROF_NONE ||
	    hmap64_add(&r->frame_loc, id, loc) != 0)
		return PROF_NONE;
	return loc;
}

/*
 * Split line[0..n) at ';' into r->locs, leaf first.  0, or -1 with a
 * message (no frames, too deep, no memory).
 */
static int
read_stack(struct rd *r, const char *line, size_t n, size_t *depth)
{
	uint32_t max = r->p->limits.max_depth;
	size_t b = 0, k = 0, i;

	while (b <= n) {
		const char *semi = memchr(line + b, ';', n - b);
		size_t e = semi != NULL ? (size_t)(semi - line) : n;
		size_t next = e + 1, fb = b;

		clean_frame(line, &fb, &e);
		if (fb < e) {
			if (check_len(r, e - fb, "a frame") != 0)
				return -1;
			if (k < max) {
				uint32_t loc;

				if (mem_reserve(&r->locs, &r->caplocs, k + 1,
				    sizeof *r->locs) != 0 ||
				    (loc = loc_for(r, line + fb, e - fb)) ==
				    PROF_NONE)
					return nomem(r);
				r->locs[k] = loc;
			}
			k++;
		}
		b = next;
	}
	if (k == 0)
		return bad(r, "a stack without frames (only empty ones)");
	if (k > max)
		return bad(r, "a stack of %zu frames, more than the limit of "
		    "%" PRIu32 " (--max-stack-depth)", k, max);
	for (i = 0; i < k / 2; i++) {
		uint32_t tmp = r->locs[i];

		r->locs[i] = r->locs[k - 1 - i];
		r->locs[k - 1 - i] = tmp;
	}
	*depth = k;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Lines. */

/* Refuse bytes that have no business in a text file. */
static int
check_text(struct rd *r, const char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == 0)
			return bad(r, "a NUL byte at column %zu: this is not "
			    "a text file", i + 1);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return bad(r, "a control byte (0x%02x) at column %zu: "
			    "this is not a text file of folded stacks", c,
			    i + 1);
	}
	return 0;
}

/* Add one sample (unless all its values are zero; it counts anyway). */
static int
add(struct rd *r, size_t depth, const int64_t *vals, size_t n)
{
	size_t i;

	for (i = 0; i < n && vals[i] == 0; i++)
		;
	if (i == n)	/* pprof drops zero samples from graphs too */
		return prof_count_sample(r->p, r->d);
	return prof_add_sample(r->p, r->locs, depth, 0, vals, n, r->where, 0,
	    r->d);
}

static int
on_line(struct rd *r, char *line, size_t n)
{
	size_t b = 0, e = n, depth = 0;

	/* lines_next can hand out a longer line when its end arrives in
	 * the same read: the limit holds here whatever it does. */
	if (n > r->line_max)
		return bad(r, "a line longer than %zu bytes", r->line_max);
	if (check_text(r, line, n) != 0)
		return -1;
	if (lines_number(r->lines) == 1 && n >= 3 &&
	    memcmp(line, "\xef\xbb\xbf", 3) == 0)
		b = 3;		/* a UTF-8 byte order mark */
	trim(line, &b, &e);
	if (b == e || line[b] == '#')
		return 0;
	line += b;
	n = e - b;
	if (r->form == FORM_UNKNOWN) {
		if (first_line(r, line, n) != 0)
			return -1;
		if (r->form == FORM_HEADER)
			return 0;
	}
	e = n;
	if (take_counts(r, line, &e) != 0 || read_stack(r, line, e,
	    &depth) != 0)
		return -1;
	r->nstack_lines++;
	snprintf(r->where + r->where_len, 24, "%" PRIu64,
	    lines_number(r->lines));
	/* A two-column file read as a base gives its old counts, read as
	 * a profile its new ones. */
	if (r->form == FORM_DIFF)
		return add(r, depth, &r->vals[r->p->loading_base ? 0 : 1], 1);
	return add(r, depth, r->vals, r->ncounts);
}

int
folded_read(struct prof *p, struct input *in, struct diag *d)
{
	struct rd r;
	size_t len;
	char *line;
	int rc;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.d = d;
	r.name = input_name(in);
	r.frame_loc = (struct hmap64)HMAP64_INIT;
	r.func_index = (struct hmap64)HMAP64_INIT;
	if (prof_begin_input(p, r.name, d) != 0)
		return -1;
	r.where_len = strlen(r.name) + 1;
	r.line_max = lines_max_for(p->limits.max_string);
	if ((r.lines = lines_new(in, r.line_max)) == NULL ||
	    (r.where = malloc(r.where_len + 24)) == NULL) {
		rc = nomem(&r);
		goto out;
	}
	snprintf(r.where, r.where_len + 24, "%s:", r.name);
	while ((rc = lines_next(r.lines, &line, &len, d)) > 0)
		if ((rc = on_line(&r, line, len)) != 0)
			break;
	if (rc == 0 && r.nstack_lines == 0) {
		diag_set(d, "%s: %s", r.name, r.form == FORM_HEADER ?
		    "a header line but no stacks" : "no stacks (the file is "
		    "empty or holds only blank and comment lines)");
		rc = -1;
	}
	if (rc == 0)
		rc = prof_end_input(p, d);
out:
	lines_free(r.lines);
	free(r.where);
	free(r.locs);
	hmap64_free(&r.frame_loc);
	hmap64_free(&r.func_index);
	return rc < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* Sniffing. */

static bool
starts_with(const unsigned char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* Go's legacy text profiles: "--- mutex:", "NAME profile: ...". */
static bool
is_legacy(const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (starts_with(s, n, "---"))
		return true;
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ';')
		i++;
	return i > 0 && starts_with(s + i, n - i, " profile:");
}

bool
folded_sniff(const unsigned char *head, size_t n)
{
	const char *s = (const char *)head;
	size_t pos = 0;

	if (n == 0)
		return false;
	if (starts_with(head, n, "\xef\xbb\xbf"))
		pos = 3;
	while (pos < n) {
		const unsigned char *nl = memchr(head + pos, '\n', n - pos);
		size_t e = nl != NULL ? (size_t)(nl - head) : n, b = pos, i;

		/* Only the lines looked at need be text: folded_read says
		 * where a later NUL or control byte is. */
		for (i = b; i < e; i++)
			if ((head[i] < 0x20 && head[i] != '\t' &&
			    !(head[i] == '\r' && i + 1 == e)) || head[i] == 0x7f)
				return false;
		if (e > b && head[e - 1] == '\r')
			e--;
		trim(s, &b, &e);
		pos = nl != NULL ? (size_t)(nl - head) + 1 : n;
		if (b == e || head[b] == '#')
			continue;
		if (is_legacy(head + b, e - b))
			return false;
		if (memchr(head + b, ';', e - b) != NULL)
			return true;
		if (nl == NULL)
			return false;	/* cut: its end is not known */
		if (is_header(s + b, e - b))
			return true;
		{
			size_t end = e - b, wb;

			last_word(s + b, &end, &wb);
			return numberish(s + b + wb, e - b - wb);
		}
	}
	/* Only blank and comment lines: folded_read will say so. */
	return true;
}
