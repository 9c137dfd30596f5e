/*
 * mkprof: write pprof protobuf profiles from a small text spec, for tests.
 *
 * The bad-input and golden tests need profiles that are exactly what they
 * say, including profiles no real producer would write: dangling ids,
 * string indexes out of range, value counts that do not match the sample
 * types, sums that overflow, stacks 100 000 frames deep, names full of
 * quotes and invalid UTF-8.  mkprof builds the message with protobuf-c and
 * checks nothing about its meaning; whatever the spec says is written.
 *
 *   mkprof [-z] [-o FILE] [SPEC]      spec from SPEC, or stdin if - or none
 *   mkprof --bomb SIZE [--bomb-content zeros|fields] [-o FILE]
 *   mkprof --check [FILE]             does protobuf-c accept this profile?
 *
 * -z gzips the output (a gzip header, windowBits 31, mtime 0, so the bytes
 * are reproducible).
 *
 * The spec is line based.  Words are separated by blanks; a word starting
 * with # begins a comment.  Directives, in any order (the output order is
 * the protobuf field order; within a repeated field, the spec's order):
 *
 *   types T/U ...              append sample types; "/U" may be left off
 *   default T                  default_sample_type
 *   period T/U N               period_type and period ("period N" alone too)
 *   time NS                    time_nanos
 *   duration NS                duration_nanos
 *   comment S ...              one comment per word
 *   dropframes S | keepframes S | docurl S
 *   mapping ID FILE START LIMIT [offset=N] [buildid=S]
 *                              [has=functions,filenames,lines,inline]
 *   function ID NAME [FILE [START_LINE]] [sysname=S]
 *                              system_name defaults to NAME
 *   rawfunction ID NAME_IDX SYSNAME_IDX FILE_IDX START_LINE
 *   location ID [mapping=N] [addr=N] [lines=F:L[:COL],...] [folded]
 *                              lines are innermost (inlined) first
 *   sample LOCS [values=V,...] [label=K:V]... [numlabel=K:N[:UNIT]]...
 *                              [count=N]
 *                              LOCS: location ids, leaf first, or - for none;
 *                              values default to one 1 per sample type
 *                              declared so far; "values=" writes none;
 *                              count=N writes N identical samples
 *   deepstack N [recursive|cycle=K] [base=ID] [prefix=S] [file=S]
 *             [values=V,...]   one sample whose stack has N frames: N
 *                              distinct functions PREFIX.f0 (root) ..
 *                              PREFIX.f<N-1> (leaf); or PREFIX.main, then
 *                              N-1 frames going round a cycle of K
 *                              functions PREFIX.r0 .. PREFIX.r<K-1>
 *                              (mutual recursion); recursive is cycle=1,
 *                              its function PREFIX.recurse.  One location
 *                              per function, repeated in the stack.
 *                              Function and location ids start at base
 *                              (default: one more than the largest id used
 *                              so far); PREFIX "deep", file "deep.go"
 *   string S ...               append S to the string table as is, even if
 *                              it is already there
 *   string0 S                  make string table entry 0 S instead of ""
 *   nostrings                  write no string table at all
 *
 * Strings (S, T, U, NAME, FILE, K, V) are bare words, "quoted" strings with
 * the escapes \" \\ \n \t \r and \xNN (any byte but NUL, so invalid UTF-8
 * can be written), or repeat(S,N), S written N times; atoms written next to
 * each other are concatenated: "a b"repeat("c",3) is "a bccc".  A string is
 * put in the table the first time it is used, in the order of the spec,
 * after entry 0 "".  A string written @N is not a string but the raw table
 * index N, in range or not: `function 1 @999`, `types @-1/bytes`,
 * `label=@7:x`.  Inside K:V, T/U and lists, : / , separate only outside
 * quotes, so "a:b":c is the key "a:b".  A bare word holding = that is not
 * one of the directive's name=value options is an error: quote it.
 *
 * Numbers are decimal or 0x hexadecimal, optionally negative where the
 * field is signed, or one of INT64_MAX, INT64_MIN, UINT64_MAX.  Ids are
 * never checked: a sample may name a location that does not exist, a line
 * a function that does not exist.  For example:
 *
 *   types alloc_space/bytes inuse_space/bytes
 *   default inuse_space
 *   period space/bytes 524288
 *   time 1700000000000000000
 *   mapping 1 /usr/bin/server 0x400000 0x800000 has=functions,lines
 *   function 1 main.main /src/main.go 10
 *   function 2 "main.fill\"Cache\"" /src/cache.go
 *   location 1 mapping=1 addr=0x401000 lines=2:30,1:12   # 2 inlined in 1
 *   location 2 lines=1:9
 *   sample 1,2 values=100,200 label=handler:fill numlabel=bytes:64
 *
 * --bomb SIZE writes a gzip file whose decompressed content is SIZE bytes
 * (suffix K, M or G for KiB, MiB, GiB) of zero bytes or, with
 * --bomb-content fields, the top-level field period=1 (bytes 0x60 0x01)
 * over and over, which is a valid profile (SIZE is rounded down to an
 * even number).  The file is one deflated 1 MiB member written again and
 * again (gzip allows any number of members), plus one for the rest, so a
 * 2 GiB bomb is a 2 MB file written in milliseconds.  A reader must stop
 * at its decompressed-size limit rather than inflate it.
 *
 * --check reads a profile, gzipped or not (at most 256 MiB decompressed),
 * and unpacks it with protobuf-c, exactly as a reader built on the
 * generated code would.  Exit 0 and a one-line summary on stdout if it
 * unpacks; exit 1 and a message if not.  It checks the wire format only,
 * not the meaning (ids, indexes).
 *
 * Exit status 2 on a spec error (mkprof: FILE:LINE: message), usage or
 * I/O error.
 */

#define _POSIX_C_SOURCE 200809L

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define MAX_STRING_BYTES	((size_t)256 << 20)
#define MAX_CHECK_BYTES		((size_t)256 << 20)
#define MAX_COUNT		10000000
#define BOMB_CHUNK		((size_t)1 << 20)

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__ValueType pb_value_type;
typedef Perftools__Profiles__Sample pb_sample;
typedef Perftools__Profiles__Label pb_label;
typedef Perftools__Profiles__Mapping pb_mapping;
typedef Perftools__Profiles__Location pb_location;
typedef Perftools__Profiles__Line pb_line;
typedef Perftools__Profiles__Function pb_function;

static char progname[] = "mkprof";

/* Where the spec is being read, for error messages; NULL outside it. */
static const char *spec_name;
static unsigned long spec_line;

/* A growable byte buffer. */
struct buf {
	char *s;
	size_t len, cap;
};

/* A growable list of owned strings (the words of a line, a split list). */
struct words {
	char **v;
	size_t n, cap;
};

/*
 * The profile being built, with the capacities protobuf-c's structs do
 * not keep and the interning table for the string table (slots hold a
 * string index + 1; 0 is empty).
 */
struct builder {
	pb_profile prof;
	size_t cap_sample_type, cap_sample, cap_mapping, cap_location;
	size_t cap_function, cap_string, cap_comment;
	size_t *slots;
	size_t nslots;
	int no_strings;
	uint64_t max_id;
};

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void spec_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void
spec_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%lu: ", progname, spec_name, spec_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Doubles an array's capacity; returns the moved array, dies when out of memory. */
static void *
grow_array(void *p, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 16;

	if (ncap > SIZE_MAX / elem)
		die("out of memory");
	p = realloc(p, ncap * elem);
	if (p == NULL)
		die("out of memory");
	*cap = ncap;
	return p;
}

#define PUSH(arr, n, cap, item) do { \
	if ((n) == (cap)) \
		(arr) = grow_array((arr), &(cap), sizeof *(arr)); \
	(arr)[(n)++] = (item); \
} while (0)

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (n > MAX_STRING_BYTES || b->len + n > MAX_STRING_BYTES)
		spec_error("string longer than %zu bytes", MAX_STRING_BYTES);
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		b->s = realloc(b->s, ncap);
		if (b->s == NULL)
			die("out of memory");
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
words_add(struct words *w, char *s)
{
	PUSH(w->v, w->n, w->cap, s);
}

static void
words_clear(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	w->n = 0;
}

static void
words_free(struct words *w)
{
	words_clear(w);
	free(w->v);
	w->v = NULL;
	w->cap = 0;
}

/*
 * Lexing.  A word runs to the next blank outside quotes and parentheses;
 * the pieces of a word (K:V, lists) split on separators outside them too.
 */

/* Returns the end of the quoted string starting at s (just past the closing quote), or NULL. */
static const char *
skip_quoted(const char *s, const char *end)
{
	for (s++; s < end; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		else if (*s == '"')
			return s + 1;
	}
	return NULL;
}

static void
split_line(const char *line, struct words *w)
{
	const char *p = line, *end = line + strlen(line);

	for (;;) {
		const char *start;
		int depth = 0;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p == end || *p == '#')
			return;
		start = p;
		while (p < end) {
			if (*p == '"') {
				p = skip_quoted(p, end);
				if (p == NULL)
					spec_error("unterminated string");
				continue;
			}
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth > 0)
				depth--;
			else if (depth == 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
				break;
			p++;
		}
		if (depth != 0)
			spec_error("unbalanced parentheses in '%.*s'", (int)(p - start), start);
		words_add(w, xstrndup(start, (size_t)(p - start)));
	}
}

/* Returns the first sep in s outside quotes and parentheses, or NULL; last: the last one. */
static const char *
find_sep(const char *s, int sep, int last)
{
	const char *end = s + strlen(s), *found = NULL;
	int depth = 0;

	while (s < end) {
		if (*s == '"') {
			s = skip_quoted(s, end);
			if (s == NULL)
				return found;
			continue;
		}
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *s == sep) {
			if (!last)
				return s;
			found = s;
		}
		s++;
	}
	return found;
}

/* Splits s on sep (outside quotes) into out; an empty s gives no pieces. */
static void
split_list(const char *s, int sep, struct words *out)
{
	const char *p;

	words_clear(out);
	if (*s == '\0')
		return;
	while ((p = find_sep(s, sep, 0)) != NULL) {
		words_add(out, xstrndup(s, (size_t)(p - s)));
		s = p + 1;
	}
	words_add(out, xstrdup(s));
}

/*
 * Numbers: decimal or 0x hexadecimal (a leading 0 is not octal), a sign
 * only where the field is signed, and the names of the extremes.
 */

static int
parse_digits(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 16 ? !strchr("0123456789abcdefABCDEF", *s) || *s == '\0'
	    : !(*s >= '0' && *s <= '9'))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	if (strcmp(s, "UINT64_MAX") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	if (strcmp(s, "INT64_MAX") == 0) {
		*out = INT64_MAX;
		return 0;
	}
	return parse_digits(s, out);
}

static int
parse_i64(const char *s, int64_t *out)
{
	uint64_t u;
	int neg = 0;

	if (strcmp(s, "INT64_MAX") == 0) {
		*out = INT64_MAX;
		return 0;
	}
	if (strcmp(s, "INT64_MIN") == 0) {
		*out = INT64_MIN;
		return 0;
	}
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (parse_digits(s, &u) != 0)
		return -1;
	if (!neg) {
		if (u > INT64_MAX)
			return -1;
		*out = (int64_t)u;
	} else if (u == (uint64_t)INT64_MAX + 1) {
		*out = INT64_MIN;
	} else if (u <= INT64_MAX) {
		*out = -(int64_t)u;
	} else {
		return -1;
	}
	return 0;
}

static uint64_t
get_u64(const char *s, const char *what)
{
	uint64_t v;

	if (parse_u64(s, &v) != 0)
		spec_error("%s: not an unsigned 64-bit number: '%s'", what, s);
	return v;
}

static int64_t
get_i64(const char *s, const char *what)
{
	int64_t v;

	if (parse_i64(s, &v) != 0)
		spec_error("%s: not a 64-bit number: '%s'", what, s);
	return v;
}

/* Parses a comma list of signed numbers into a new array (NULL when empty). */
static int64_t *
get_i64_list(const char *s, const char *what, size_t *n)
{
	struct words list = { NULL, 0, 0 };
	int64_t *v;

	split_list(s, ',', &list);
	v = list.n ? xcalloc(list.n, sizeof *v) : NULL;
	for (size_t i = 0; i < list.n; i++)
		v[i] = get_i64(list.v[i], what);
	*n = list.n;
	words_free(&list);
	return v;
}

/*
 * Strings: "quoted" atoms with escapes, repeat(S,N) and bare text,
 * concatenated.
 */

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the inside of a quoted string, [s, end). */
static void
decode_quoted(const char *s, const char *end, struct buf *out)
{
	while (s < end) {
		char c = *s++;
		int hi, lo;

		if (c != '\\') {
			buf_add(out, &c, 1);
			continue;
		}
		if (s == end)
			spec_error("backslash at the end of a string");
		switch (c = *s++) {
		case '\\': case '"':
			break;
		case 'n':
			c = '\n';
			break;
		case 't':
			c = '\t';
			break;
		case 'r':
			c = '\r';
			break;
		case 'x':
			if (end - s < 2 || (hi = hex_value(s[0])) < 0 ||
			    (lo = hex_value(s[1])) < 0)
				spec_error("\\x needs two hexadecimal digits");
			s += 2;
			c = (char)(hi << 4 | lo);
			if (c == '\0')
				spec_error("\\x00: a NUL byte cannot be written "
				    "(protobuf-c strings end at NUL)");
			break;
		default:
			spec_error("unknown escape '\\%c'", c);
		}
		buf_add(out, &c, 1);
	}
}

static void decode_string(const char *s, const char *end, struct buf *out);

/* Decodes repeat(S,N) from just after "repeat("; returns the end of it. */
static const char *
decode_repeat(const char *s, const char *end, struct buf *out)
{
	struct buf one = { NULL, 0, 0 };
	const char *p = s, *comma;
	char *inner;
	uint64_t count;
	int depth = 1;

	while (p < end) {
		if (*p == '"') {
			p = skip_quoted(p, end);
			if (p == NULL)
				spec_error("unterminated string");
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			break;
		p++;
	}
	if (p == end)
		spec_error("repeat( without )");
	inner = xstrndup(s, (size_t)(p - s));
	comma = find_sep(inner, ',', 1);
	if (comma == NULL)
		spec_error("repeat(S,N) needs a count");
	decode_string(inner, comma, &one);
	count = get_u64(comma + 1, "repeat count");
	if (one.len > 0 && count > MAX_STRING_BYTES / one.len)
		spec_error("string longer than %zu bytes", MAX_STRING_BYTES);
	for (uint64_t i = 0; i < count && one.len > 0; i++)
		buf_add(out, one.s, one.len);
	free(one.s);
	free(inner);
	return p + 1;
}

static int
at_repeat(const char *s, const char *end)
{
	return end - s >= 7 && memcmp(s, "repeat(", 7) == 0;
}

static void
decode_string(const char *s, const char *end, struct buf *out)
{
	while (s < end) {
		if (*s == '"') {
			const char *q = skip_quoted(s, end);

			if (q == NULL)
				spec_error("unterminated string");
			decode_quoted(s + 1, q - 1, out);
			s = q;
		} else if (at_repeat(s, end)) {
			s = decode_repeat(s + 7, end, out);
		} else {
			const char *p = s;

			while (p < end && *p != '"' && !at_repeat(p, end))
				p++;
			buf_add(out, s, (size_t)(p - s));
			s = p;
		}
	}
}

/* Returns the decoded text of a string word, which the caller frees. */
static char *
decode_word(const char *word)
{
	struct buf b = { NULL, 0, 0 };

	decode_string(word, word + strlen(word), &b);
	return b.s != NULL ? b.s : xstrdup("");
}

/*
 * The string table.  Entry i is in the table; the open-addressing index
 * finds a string's first entry so that interning is linear overall (a
 * deep stack interns 100 000 names).
 */

static uint64_t
hash_string(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Returns the slot holding s, or the empty slot where it would go. */
static size_t *
slot_find(struct builder *b, const char *s)
{
	size_t mask = b->nslots - 1;
	size_t i = (size_t)hash_string(s) & mask;

	while (b->slots[i] != 0 &&
	    strcmp(b->prof.string_table[b->slots[i] - 1], s) != 0)
		i = (i + 1) & mask;
	return &b->slots[i];
}

static void
slots_rebuild(struct builder *b, size_t nslots)
{
	free(b->slots);
	b->slots = xcalloc(nslots, sizeof *b->slots);
	b->nslots = nslots;
	for (size_t i = 0; i < b->prof.n_string_table; i++) {
		size_t *slot = slot_find(b, b->prof.string_table[i]);

		if (*slot == 0)
			*slot = i + 1;
	}
}

/* Adds s (taking it) to the table; interned: reuse an equal entry. */
static int64_t
add_string(struct builder *b, char *s, int interned)
{
	pb_profile *p = &b->prof;
	size_t *slot;

	if ((p->n_string_table + 1) * 2 > b->nslots)
		slots_rebuild(b, b->nslots ? b->nslots * 2 : 1024);
	slot = slot_find(b, s);
	if (interned && *slot != 0) {
		free(s);
		return (int64_t)(*slot - 1);
	}
	PUSH(p->string_table, p->n_string_table, b->cap_string, s);
	if (*slot == 0)
		*slot = p->n_string_table;
	return (int64_t)(p->n_string_table - 1);
}

/* Returns the table index for a string word: @N as is, else interned. */
static int64_t
string_ref(struct builder *b, const char *word)
{
	if (word[0] == '@')
		return get_i64(word + 1, "string index");
	return add_string(b, decode_word(word), 1);
}

/*
 * Building the messages.
 */

static void
builder_init(struct builder *b)
{
	memset(b, 0, sizeof *b);
	perftools__profiles__profile__init(&b->prof);
	add_string(b, xstrdup(""), 0);
}

static void
builder_free(struct builder *b)
{
	pb_profile *p = &b->prof;

	for (size_t i = 0; i < p->n_sample_type; i++)
		free(p->sample_type[i]);
	for (size_t i = 0; i < p->n_sample; i++) {
		pb_sample *s = p->sample[i];

		for (size_t j = 0; j < s->n_label; j++)
			free(s->label[j]);
		free(s->label);
		free(s->location_id);
		free(s->value);
		free(s);
	}
	for (size_t i = 0; i < p->n_mapping; i++)
		free(p->mapping[i]);
	for (size_t i = 0; i < p->n_location; i++) {
		pb_location *l = p->location[i];

		for (size_t j = 0; j < l->n_line; j++)
			free(l->line[j]);
		free(l->line);
		free(l);
	}
	for (size_t i = 0; i < p->n_function; i++)
		free(p->function[i]);
	for (size_t i = 0; i < p->n_string_table; i++)
		free(p->string_table[i]);
	free(p->sample_type);
	free(p->sample);
	free(p->mapping);
	free(p->location);
	free(p->function);
	free(p->string_table);
	free(p->comment);
	free(p->period_type);
	free(b->slots);
	memset(b, 0, sizeof *b);
}

/*
 * Matches word against the directive's name=value options; returns the
 * option's number and its value, or -1 for a positional word.
 */
static int
option_of(const char *word, const char *const *names, const char **value)
{
	for (int i = 0; names[i] != NULL; i++) {
		size_t n = strlen(names[i]);

		if (strncmp(word, names[i], n) == 0 && word[n] == '=') {
			*value = word + n + 1;
			return i;
		}
	}
	if (word[0] != '"' && word[0] != '@' && !at_repeat(word, word + strlen(word)) &&
	    find_sep(word, '=', 0) != NULL)
		spec_error("unknown option '%s' (quote a string holding =)", word);
	return -1;
}

/* T/U, T, @N/@M: a sample or period type. */
static pb_value_type *
value_type_new(struct builder *b, const char *word)
{
	pb_value_type *vt = xmalloc(sizeof *vt);
	const char *slash = find_sep(word, '/', 0);
	char *type;

	perftools__profiles__value_type__init(vt);
	type = xstrndup(word, slash ? (size_t)(slash - word) : strlen(word));
	vt->type = string_ref(b, type);
	free(type);
	if (slash != NULL)
		vt->unit = string_ref(b, slash + 1);
	return vt;
}

static void
note_id(struct builder *b, uint64_t id)
{
	if (id > b->max_id)
		b->max_id = id;
}

static void
add_function(struct builder *b, uint64_t id, int64_t name, int64_t system_name,
    int64_t filename, int64_t start_line)
{
	pb_function *f = xmalloc(sizeof *f);

	perftools__profiles__function__init(f);
	f->id = id;
	f->name = name;
	f->system_name = system_name;
	f->filename = filename;
	f->start_line = start_line;
	PUSH(b->prof.function, b->prof.n_function, b->cap_function, f);
	note_id(b, id);
}

static pb_location *
add_location(struct builder *b, uint64_t id)
{
	pb_location *l = xmalloc(sizeof *l);

	perftools__profiles__location__init(l);
	l->id = id;
	PUSH(b->prof.location, b->prof.n_location, b->cap_location, l);
	note_id(b, id);
	return l;
}

static void
add_line(pb_location *l, size_t *cap, uint64_t function_id, int64_t line, int64_t column)
{
	pb_line *ln = xmalloc(sizeof *ln);

	perftools__profiles__line__init(ln);
	ln->function_id = function_id;
	ln->line = line;
	ln->column = column;
	PUSH(l->line, l->n_line, *cap, ln);
}

static pb_sample *
sample_new(void)
{
	pb_sample *s = xmalloc(sizeof *s);

	perftools__profiles__sample__init(s);
	return s;
}

/* One 1 per sample type declared so far. */
static void
default_values(struct builder *b, pb_sample *s)
{
	s->n_value = b->prof.n_sample_type;
	s->value = s->n_value ? xcalloc(s->n_value, sizeof *s->value) : NULL;
	for (size_t i = 0; i < s->n_value; i++)
		s->value[i] = 1;
}

static pb_sample *
sample_copy(const pb_sample *s)
{
	pb_sample *c = sample_new();

	c->n_location_id = s->n_location_id;
	c->n_value = s->n_value;
	c->n_label = s->n_label;
	if (s->n_location_id) {
		c->location_id = xcalloc(s->n_location_id, sizeof *c->location_id);
		memcpy(c->location_id, s->location_id, s->n_location_id * sizeof *c->location_id);
	}
	if (s->n_value) {
		c->value = xcalloc(s->n_value, sizeof *c->value);
		memcpy(c->value, s->value, s->n_value * sizeof *c->value);
	}
	if (s->n_label) {
		c->label = xcalloc(s->n_label, sizeof *c->label);
		for (size_t i = 0; i < s->n_label; i++) {
			c->label[i] = xmalloc(sizeof *c->label[i]);
			*c->label[i] = *s->label[i];
		}
	}
	return c;
}

static void
need_args(const struct words *w, size_t min, size_t max, const char *usage)
{
	if (w->n - 1 < min || w->n - 1 > max)
		spec_error("usage: %s %s", w->v[0], usage);
}

/*
 * The directives.
 */

static void
do_types(struct builder *b, const struct words *w)
{
	pb_profile *p = &b->prof;

	for (size_t i = 1; i < w->n; i++)
		PUSH(p->sample_type, p->n_sample_type, b->cap_sample_type,
		    value_type_new(b, w->v[i]));
}

static void
do_period(struct builder *b, const struct words *w)
{
	pb_profile *p = &b->prof;

	need_args(w, 1, 2, "[TYPE/UNIT] N");
	if (w->n == 3) {
		free(p->period_type);
		p->period_type = value_type_new(b, w->v[1]);
	}
	p->period = get_i64(w->v[w->n - 1], "period");
}

static void
do_mapping(struct builder *b, const struct words *w)
{
	static const char *const names[] = { "offset", "buildid", "has", NULL };
	const char *pos[4], *val;
	pb_mapping *m = xmalloc(sizeof *m);
	size_t npos = 0;

	perftools__profiles__mapping__init(m);
	PUSH(b->prof.mapping, b->prof.n_mapping, b->cap_mapping, m);
	for (size_t i = 1; i < w->n; i++) {
		struct words flags = { NULL, 0, 0 };

		switch (option_of(w->v[i], names, &val)) {
		case 0:
			m->file_offset = get_u64(val, "mapping offset");
			break;
		case 1:
			m->build_id = string_ref(b, val);
			break;
		case 2:
			split_list(val, ',', &flags);
			for (size_t j = 0; j < flags.n; j++) {
				if (strcmp(flags.v[j], "functions") == 0)
					m->has_functions = 1;
				else if (strcmp(flags.v[j], "filenames") == 0)
					m->has_filenames = 1;
				else if (strcmp(flags.v[j], "lines") == 0)
					m->has_line_numbers = 1;
				else if (strcmp(flags.v[j], "inline") == 0)
					m->has_inline_frames = 1;
				else
					spec_error("mapping: unknown has=%s", flags.v[j]);
			}
			words_free(&flags);
			break;
		default:
			if (npos == 4)
				spec_error("usage: mapping ID FILE START LIMIT [options]");
			pos[npos++] = w->v[i];
		}
	}
	if (npos != 4)
		spec_error("usage: mapping ID FILE START LIMIT [options]");
	m->id = get_u64(pos[0], "mapping id");
	m->filename = string_ref(b, pos[1]);
	m->memory_start = get_u64(pos[2], "mapping start");
	m->memory_limit = get_u64(pos[3], "mapping limit");
}

static void
do_function(struct builder *b, const struct words *w)
{
	static const char *const names[] = { "sysname", NULL };
	const char *pos[4], *val, *sysname = NULL;
	int64_t name, filename = 0, start_line = 0;
	size_t npos = 0;

	for (size_t i = 1; i < w->n; i++) {
		if (option_of(w->v[i], names, &val) == 0)
			sysname = val;
		else if (npos == 4)
			spec_error("usage: function ID NAME [FILE [START_LINE]] [sysname=S]");
		else
			pos[npos++] = w->v[i];
	}
	if (npos < 2)
		spec_error("usage: function ID NAME [FILE [START_LINE]] [sysname=S]");
	name = string_ref(b, pos[1]);
	if (npos > 2)
		filename = string_ref(b, pos[2]);
	if (npos > 3)
		start_line = get_i64(pos[3], "function start line");
	add_function(b, get_u64(pos[0], "function id"), name,
	    sysname ? string_ref(b, sysname) : name, filename, start_line);
}

static void
do_rawfunction(struct builder *b, const struct words *w)
{
	need_args(w, 5, 5, "ID NAME_IDX SYSNAME_IDX FILE_IDX START_LINE");
	add_function(b, get_u64(w->v[1], "function id"),
	    get_i64(w->v[2], "name index"), get_i64(w->v[3], "system name index"),
	    get_i64(w->v[4], "file name index"), get_i64(w->v[5], "start line"));
}

static void
do_location(struct builder *b, const struct words *w)
{
	static const char *const names[] = { "mapping", "addr", "lines", NULL };
	struct words list = { NULL, 0, 0 }, parts = { NULL, 0, 0 };
	const char *val, *id = NULL;
	pb_location *l;
	size_t cap_line = 0;
	uint64_t mapping_id = 0, address = 0;
	int folded = 0;

	for (size_t i = 1; i < w->n; i++) {
		switch (option_of(w->v[i], names, &val)) {
		case 0:
			mapping_id = get_u64(val, "location mapping");
			break;
		case 1:
			address = get_u64(val, "location address");
			break;
		case 2:
			split_list(val, ',', &list);
			break;
		default:
			if (strcmp(w->v[i], "folded") == 0)
				folded = 1;
			else if (id == NULL)
				id = w->v[i];
			else
				spec_error("usage: location ID [mapping=N] [addr=N] "
				    "[lines=F:L[:COL],...] [folded]");
		}
	}
	if (id == NULL)
		spec_error("usage: location ID [mapping=N] [addr=N] "
		    "[lines=F:L[:COL],...] [folded]");
	l = add_location(b, get_u64(id, "location id"));
	l->mapping_id = mapping_id;
	l->address = address;
	l->is_folded = folded;
	for (size_t i = 0; i < list.n; i++) {
		split_list(list.v[i], ':', &parts);
		if (parts.n < 2 || parts.n > 3)
			spec_error("location line '%s' is not F:L or F:L:COL", list.v[i]);
		add_line(l, &cap_line, get_u64(parts.v[0], "line function id"),
		    get_i64(parts.v[1], "line number"),
		    parts.n == 3 ? get_i64(parts.v[2], "column") : 0);
	}
	words_free(&parts);
	words_free(&list);
}

static void
do_sample(struct builder *b, const struct words *w)
{
	static const char *const names[] = { "values", "label", "numlabel", "count", NULL };
	struct words list = { NULL, 0, 0 };
	pb_sample *s = sample_new();
	const char *val, *locs = NULL;
	size_t cap_label = 0;
	uint64_t count = 1;
	int have_values = 0;

	PUSH(b->prof.sample, b->prof.n_sample, b->cap_sample, s);
	for (size_t i = 1; i < w->n; i++) {
		int opt = option_of(w->v[i], names, &val);
		pb_label *lb;

		switch (opt) {
		case 0:
			free(s->value);
			s->value = get_i64_list(val, "sample value", &s->n_value);
			have_values = 1;
			break;
		case 1: case 2:
			lb = xmalloc(sizeof *lb);
			perftools__profiles__label__init(lb);
			PUSH(s->label, s->n_label, cap_label, lb);
			split_list(val, ':', &list);
			if (opt == 1 && list.n < 2)
				spec_error("label=%s is not KEY:VALUE", val);
			if (opt == 2 && (list.n < 2 || list.n > 3))
				spec_error("numlabel=%s is not KEY:N[:UNIT]", val);
			lb->key = string_ref(b, list.v[0]);
			if (opt == 1) {
				/* the value is everything after the first separator */
				lb->str = string_ref(b, find_sep(val, ':', 0) + 1);
			} else {
				lb->num = get_i64(list.v[1], "numlabel value");
				if (list.n == 3)
					lb->num_unit = string_ref(b, list.v[2]);
			}
			break;
		case 3:
			count = get_u64(val, "sample count");
			if (count < 1 || count > MAX_COUNT)
				spec_error("sample count must be 1..%d", MAX_COUNT);
			break;
		default:
			if (locs != NULL)
				spec_error("usage: sample LOCS [values=V,...] [label=K:V] "
				    "[numlabel=K:N[:UNIT]] [count=N]");
			locs = w->v[i];
		}
	}
	if (locs == NULL)
		spec_error("usage: sample LOCS [values=V,...] [label=K:V] "
		    "[numlabel=K:N[:UNIT]] [count=N]");
	if (strcmp(locs, "-") != 0) {
		split_list(locs, ',', &list);
		s->n_location_id = list.n;
		s->location_id = xcalloc(list.n, sizeof *s->location_id);
		for (size_t i = 0; i < list.n; i++)
			s->location_id[i] = get_u64(list.v[i], "sample location id");
	}
	words_free(&list);
	if (!have_values)
		default_values(b, s);
	for (uint64_t i = 1; i < count; i++)
		PUSH(b->prof.sample, b->prof.n_sample, b->cap_sample, sample_copy(s));
}

static void
do_deepstack(struct builder *b, const struct words *w)
{
	static const char *const names[] = {
		"base", "prefix", "file", "values", "cycle", NULL
	};
	const char *val, *depth_word = NULL, *values = NULL;
	char *prefix = NULL, *name;
	pb_sample *s;
	uint64_t depth, base = 0, cycle = 0, nfunc;
	int64_t file = -1;
	int have_base = 0;

	for (size_t i = 1; i < w->n; i++) {
		switch (option_of(w->v[i], names, &val)) {
		case 0:
			base = get_u64(val, "deepstack base");
			have_base = 1;
			break;
		case 1:
			if (val[0] == '@')
				spec_error("deepstack prefix must be text, not @N");
			free(prefix);
			prefix = decode_word(val);
			break;
		case 2:
			file = string_ref(b, val);
			break;
		case 3:
			values = val;
			break;
		case 4:
			cycle = get_u64(val, "deepstack cycle");
			if (cycle < 1 || cycle > MAX_COUNT)
				spec_error("deepstack cycle must be 1..%d", MAX_COUNT);
			break;
		default:
			if (strcmp(w->v[i], "recursive") == 0)
				cycle = 1;
			else if (depth_word == NULL)
				depth_word = w->v[i];
			else
				spec_error("usage: deepstack N [recursive|cycle=K] "
				    "[base=ID] [prefix=S] [file=S] [values=V,...]");
		}
	}
	if (depth_word == NULL)
		spec_error("usage: deepstack N [recursive|cycle=K] [base=ID] "
		    "[prefix=S] [file=S] [values=V,...]");
	depth = get_u64(depth_word, "deepstack depth");
	if (depth < 1 || depth > MAX_COUNT)
		spec_error("deepstack depth must be 1..%d", MAX_COUNT);
	if (prefix == NULL)
		prefix = xstrdup("deep");
	if (file < 0)
		file = add_string(b, xstrdup("deep.go"), 1);
	if (!have_base)
		base = b->max_id + 1;
	nfunc = cycle ? cycle + 1 : depth;
	if (base == 0 || base > UINT64_MAX - nfunc)
		spec_error("deepstack ids out of range");

	/*
	 * Function and location base+i are frame i from the root: all
	 * distinct, or PREFIX.main then a cycle of PREFIX.r0..r<K-1>
	 * (PREFIX.recurse when K is 1).
	 */
	name = xmalloc(strlen(prefix) + 32);
	for (uint64_t i = 0; i < nfunc; i++) {
		size_t cap_line = 0;
		int64_t idx;

		if (!cycle)
			sprintf(name, "%s.f%" PRIu64, prefix, i);
		else if (i == 0)
			sprintf(name, "%s.main", prefix);
		else if (cycle == 1)
			sprintf(name, "%s.recurse", prefix);
		else
			sprintf(name, "%s.r%" PRIu64, prefix, i - 1);
		idx = add_string(b, xstrdup(name), 1);
		add_function(b, base + i, idx, idx, file, (int64_t)(10 * i + 1));
		add_line(add_location(b, base + i), &cap_line, base + i,
		    (int64_t)(10 * i + 5), 0);
	}
	s = sample_new();
	PUSH(b->prof.sample, b->prof.n_sample, b->cap_sample, s);
	s->n_location_id = depth;
	s->location_id = xcalloc(depth, sizeof *s->location_id);
	for (uint64_t i = 0; i < depth; i++)	/* i: frame from the root */
		s->location_id[depth - 1 - i] = base +
		    (!cycle ? i : i == 0 ? 0 : 1 + (i - 1) % cycle);
	if (values != NULL)
		s->value = get_i64_list(values, "sample value", &s->n_value);
	else
		default_values(b, s);
	free(name);
	free(prefix);
}

static void
run_directive(struct builder *b, const struct words *w)
{
	pb_profile *p = &b->prof;
	const char *d = w->v[0];

	if (strcmp(d, "types") == 0) {
		do_types(b, w);
	} else if (strcmp(d, "default") == 0) {
		need_args(w, 1, 1, "TYPE");
		p->default_sample_type = string_ref(b, w->v[1]);
	} else if (strcmp(d, "period") == 0) {
		do_period(b, w);
	} else if (strcmp(d, "time") == 0) {
		need_args(w, 1, 1, "NANOSECONDS");
		p->time_nanos = get_i64(w->v[1], "time");
	} else if (strcmp(d, "duration") == 0) {
		need_args(w, 1, 1, "NANOSECONDS");
		p->duration_nanos = get_i64(w->v[1], "duration");
	} else if (strcmp(d, "comment") == 0) {
		for (size_t i = 1; i < w->n; i++) {
			int64_t idx = string_ref(b, w->v[i]);

			PUSH(p->comment, p->n_comment, b->cap_comment, idx);
		}
	} else if (strcmp(d, "dropframes") == 0) {
		need_args(w, 1, 1, "REGEXP");
		p->drop_frames = string_ref(b, w->v[1]);
	} else if (strcmp(d, "keepframes") == 0) {
		need_args(w, 1, 1, "REGEXP");
		p->keep_frames = string_ref(b, w->v[1]);
	} else if (strcmp(d, "docurl") == 0) {
		need_args(w, 1, 1, "URL");
		p->doc_url = string_ref(b, w->v[1]);
	} else if (strcmp(d, "mapping") == 0) {
		do_mapping(b, w);
	} else if (strcmp(d, "function") == 0) {
		do_function(b, w);
	} else if (strcmp(d, "rawfunction") == 0) {
		do_rawfunction(b, w);
	} else if (strcmp(d, "location") == 0) {
		do_location(b, w);
	} else if (strcmp(d, "sample") == 0) {
		do_sample(b, w);
	} else if (strcmp(d, "deepstack") == 0) {
		do_deepstack(b, w);
	} else if (strcmp(d, "string") == 0) {
		for (size_t i = 1; i < w->n; i++)
			add_string(b, decode_word(w->v[i]), 0);
	} else if (strcmp(d, "string0") == 0) {
		need_args(w, 1, 1, "S");
		free(p->string_table[0]);
		p->string_table[0] = decode_word(w->v[1]);
		slots_rebuild(b, b->nslots);
	} else if (strcmp(d, "nostrings") == 0) {
		need_args(w, 0, 0, "");
		b->no_strings = 1;
	} else {
		spec_error("unknown directive '%s'", d);
	}
}

static void
read_spec(struct builder *b, FILE *in, const char *name)
{
	struct words w = { NULL, 0, 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	spec_name = name;
	spec_line = 0;
	while ((len = getline(&line, &cap, in)) != -1) {
		spec_line++;
		if ((size_t)len != strlen(line))
			spec_error("NUL byte in spec");
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		split_line(line, &w);
		if (w.n > 0)
			run_directive(b, &w);
		words_clear(&w);
	}
	if (ferror(in))
		die("%s: read error: %s", name, strerror(errno));
	free(line);
	words_free(&w);
	spec_name = NULL;
}

/*
 * Output.
 */

/*
 * Deflates in into a whole gzip member at level (zlib's); returns it (the
 * caller frees) and its length.
 */
static unsigned char *
gzip_member(const unsigned char *in, size_t len, int level, size_t *outlen)
{
	z_stream zs;
	unsigned char *out;
	size_t cap;
	int rc;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		die("zlib: deflateInit2 failed");
	cap = deflateBound(&zs, (uLong)len) + 64;
	out = xmalloc(cap);
	zs.next_out = out;
	zs.avail_out = cap > UINT_MAX ? UINT_MAX : (uInt)cap;
	zs.next_in = (unsigned char *)(uintptr_t)in;
	do {
		size_t left = len - (size_t)((const unsigned char *)zs.next_in - in);

		zs.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
		rc = deflate(&zs, left > UINT_MAX ? Z_NO_FLUSH : Z_FINISH);
		if (rc == Z_STREAM_ERROR || (rc == Z_OK && zs.avail_out == 0))
			die("zlib: deflate failed");
	} while (rc != Z_STREAM_END);
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static FILE *
open_out(const char *path)
{
	FILE *f;

	if (path == NULL)
		return stdout;
	if ((f = fopen(path, "wb")) == NULL)
		die("%s: %s", path, strerror(errno));
	return f;
}

static void
write_out(FILE *f, const char *path, const void *data, size_t len)
{
	if (len > 0 && fwrite(data, 1, len, f) != len)
		die("%s: write error: %s", path ? path : "<stdout>", strerror(errno));
}

static void
close_out(FILE *f, const char *path)
{
	if (fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0))
		die("%s: write error: %s", path ? path : "<stdout>", strerror(errno));
}

static void
write_profile(struct builder *b, const char *path, int gzip)
{
	pb_profile *p = &b->prof;
	size_t n_strings = p->n_string_table, len;
	unsigned char *pb, *gz;
	FILE *f;

	if (b->no_strings)
		p->n_string_table = 0;
	pb = xmalloc(perftools__profiles__profile__get_packed_size(p));
	len = perftools__profiles__profile__pack(p, pb);
	p->n_string_table = n_strings;
	f = open_out(path);
	if (gzip) {
		size_t gzlen;

		gz = gzip_member(pb, len, Z_DEFAULT_COMPRESSION, &gzlen);
		write_out(f, path, gz, gzlen);
		free(gz);
	} else {
		write_out(f, path, pb, len);
	}
	close_out(f, path);
	free(pb);
}

/* SIZE with an optional K, M or G (binary) suffix. */
static uint64_t
parse_size(const char *s)
{
	char *digits = xstrdup(s);
	size_t n = strlen(digits);
	unsigned shift = 0;
	uint64_t v;

	if (n > 0 && strchr("kKmMgG", digits[n - 1]) != NULL) {
		shift = strchr("kK", digits[n - 1]) ? 10 : strchr("mM", digits[n - 1]) ? 20 : 30;
		digits[n - 1] = '\0';
	}
	if (parse_digits(digits, &v) != 0 || v > ((uint64_t)1 << 50) >> shift)
		die("bad --bomb size '%s' (a number up to 1 PiB, suffix K, M or G)", s);
	free(digits);
	return v << shift;
}

static void
write_bomb(const char *path, uint64_t size, int fields)
{
	size_t chunk, mlen;
	unsigned char *content, *member;
	uint64_t full, rest;
	FILE *f = open_out(path);

	if (fields)
		size &= ~(uint64_t)1;
	chunk = size < BOMB_CHUNK ? (size_t)size : BOMB_CHUNK;
	content = xcalloc(chunk ? chunk : 1, 1);
	for (size_t i = 0; fields && i + 1 < chunk; i += 2) {
		content[i] = 0x60;	/* field 12 (period), varint */
		content[i + 1] = 0x01;
	}
	full = chunk ? size / chunk : 0;
	rest = chunk ? size % chunk : 0;
	member = gzip_member(content, chunk, 9, &mlen);
	for (uint64_t i = 0; i < full; i++)
		write_out(f, path, member, mlen);
	free(member);
	if (rest > 0 || size == 0) {
		member = gzip_member(content, (size_t)rest, 9, &mlen);
		write_out(f, path, member, mlen);
		free(member);
	}
	close_out(f, path);
	free(content);
}

/*
 * --check.
 */

static unsigned char *
read_all(FILE *f, const char *name, size_t *len)
{
	unsigned char *data = NULL;
	size_t n = 0, cap = 0, got;

	do {
		if (cap - n < 65536) {
			if (cap > MAX_CHECK_BYTES)
				die("%s: larger than %zu bytes", name, MAX_CHECK_BYTES);
			cap = cap ? cap * 2 : 65536;
			if ((data = realloc(data, cap)) == NULL)
				die("out of memory");
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f))
		die("%s: read error: %s", name, strerror(errno));
	*len = n;
	return data;
}

/* Inflates every gzip member of in; returns NULL with a message when it cannot. */
static unsigned char *
gunzip_all(const unsigned char *in, size_t len, size_t *outlen, const char **why)
{
	z_stream zs;
	unsigned char *out = NULL;
	size_t cap = 0;
	int rc = Z_OK;

	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 31) != Z_OK)
		die("zlib: inflateInit2 failed");
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	for (;;) {
		if (zs.total_out == cap) {
			if (cap >= MAX_CHECK_BYTES) {
				*why = "decompresses to more than 256 MiB";
				break;
			}
			cap = cap ? cap * 2 : 1 << 16;
			if ((out = realloc(out, cap)) == NULL)
				die("out of memory");
		}
		zs.next_out = out + zs.total_out;
		zs.avail_out = (uInt)(cap - zs.total_out);
		rc = inflate(&zs, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			if (zs.avail_in == 0) {
				*outlen = zs.total_out;
				inflateEnd(&zs);
				return out;
			}
			/* another member follows; total_out survives inflateReset */
			{
				uLong total = zs.total_out;

				inflateReset(&zs);
				zs.total_out = total;
			}
			continue;
		}
		if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
			*why = "gzip data is truncated";
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			*why = zs.msg ? zs.msg : "gzip data is corrupt";
			break;
		}
	}
	inflateEnd(&zs);
	free(out);
	return NULL;
}

static int
check_profile(const char *path)
{
	const char *name = path && strcmp(path, "-") != 0 ? path : "<stdin>";
	const char *why = NULL;
	FILE *f = stdin;
	unsigned char *data, *raw;
	size_t len, rawlen;
	pb_profile *p;

	if (path != NULL && strcmp(path, "-") != 0 && (f = fopen(path, "rb")) == NULL)
		die("%s: %s", name, strerror(errno));
	data = read_all(f, name, &len);
	if (f != stdin)
		fclose(f);
	raw = data;
	rawlen = len;
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		raw = gunzip_all(data, len, &rawlen, &why);
		free(data);
		if (raw == NULL) {
			fprintf(stderr, "%s: %s: %s\n", progname, name, why);
			return 1;
		}
	}
	p = perftools__profiles__profile__unpack(NULL, rawlen, raw);
	free(raw);
	if (p == NULL) {
		fprintf(stderr, "%s: %s: not a valid profile (protobuf-c cannot unpack it)\n",
		    progname, name);
		return 1;
	}
	printf("sample_types=%zu samples=%zu mappings=%zu locations=%zu "
	    "functions=%zu strings=%zu\n", p->n_sample_type, p->n_sample,
	    p->n_mapping, p->n_location, p->n_function, p->n_string_table);
	perftools__profiles__profile__free_unpacked(p, NULL);
	close_out(stdout, NULL);
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s [-z] [-o file] [spec]\n"
	    "       %s --bomb size [--bomb-content zeros|fields] [-o file]\n"
	    "       %s --check [file]\n", progname, progname, progname);
}

enum { OPT_BOMB = 256, OPT_BOMB_CONTENT, OPT_CHECK, OPT_VERSION };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "gzip", no_argument, NULL, 'z' },
		{ "bomb", required_argument, NULL, OPT_BOMB },
		{ "bomb-content", required_argument, NULL, OPT_BOMB_CONTENT },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct builder b;
	const char *out = NULL, *bomb = NULL;
	int c, gzip = 0, fields = 0, check = 0;

	argv[0] = progname;	/* getopt's messages speak with our name */
	while ((c = getopt_long(argc, argv, "ho:z", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'z':
			gzip = 1;
			break;
		case OPT_BOMB:
			bomb = optarg;
			break;
		case OPT_BOMB_CONTENT:
			if (strcmp(optarg, "zeros") == 0)
				fields = 0;
			else if (strcmp(optarg, "fields") == 0)
				fields = 1;
			else
				die("--bomb-content must be zeros or fields");
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("mkprof (%s) %s\n", "gomemviz", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (bomb != NULL && (argc > 0 || check))) {
		usage(stderr);
		return 2;
	}
	if (check)
		return check_profile(argc ? argv[0] : NULL);
	if (bomb != NULL) {
		write_bomb(out, parse_size(bomb), fields);
		return 0;
	}

	builder_init(&b);
	if (argc == 0 || strcmp(argv[0], "-") == 0) {
		read_spec(&b, stdin, "<stdin>");
	} else {
		FILE *f = fopen(argv[0], "r");

		if (f == NULL)
			die("%s: %s", argv[0], strerror(errno));
		read_spec(&b, f, argv[0]);
		fclose(f);
	}
	write_profile(&b, out, gzip);
	builder_free(&b);
	return 0;
}
