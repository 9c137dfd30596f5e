/*
 * legacy: Go's legacy text profiles, read line by line.  See legacy.h.
 *
 * What pprof's own parser (profile/legacy_profile.go) decides, this
 * reader decides the same way:
 *
 *  - heap and allocs ("heap profile: A: B [C: D] @ heap/R"): sample
 *    types alloc_objects/count, alloc_space/bytes, inuse_objects/count,
 *    inuse_space/bytes when the header's alloc totals C, D differ from
 *    the in-use totals A, B (compared as digit strings, a 0 counting as
 *    equal), else objects/count, space/bytes with the in-use columns
 *    only.  Period type space/bytes.  "heap/R" means a sampling rate of
 *    R/2 (Go prints twice MemProfileRate), "heap_v2/R" and "heapz_v2/R"
 *    a rate of R, "heapprofile" no sampling (period 1).  Every count/
 *    size pair is unsampled with scaleHeapSample: zero when either is
 *    zero, unchanged when the rate is at most 1, else both multiplied
 *    by 1/(1-exp(-(size/count)/rate)) and truncated, in Go's double
 *    arithmetic with Go's own exp (amd64), so that the numbers are
 *    those of Go's protobuf writer to the unit.  Each sample carries the
 *    numeric label bytes = size/count (the in-use pair's, else the
 *    alloc pair's, else 0).  No default sample type: the allocs profile
 *    prints the same header as the heap profile, so neither pprof nor
 *    we can tell them apart; the last type (inuse_space) is the default
 *    for both, and -i alloc_space selects what Go's allocs .pb.gz would
 *    show by default.
 *  - goroutine, threadcreate and custom profiles ("NAME profile: total
 *    N"): one type NAME/count, period 1; a record count with a leading
 *    0 is octal, as strconv.ParseInt(s, 0, 64) has it in pprof.
 *  - mutex and block ("--- mutex:", "--- contention:"): types
 *    contentions/count and delay/nanoseconds, period the "sampling
 *    period" (default 1).  A record "CYCLES COUNT @ ..." gives
 *    contentions = COUNT*period and delay = int64(CYCLES*period/GHz)
 *    with GHz = cycles/second / 1e9 (no cycles/second: delay stays in
 *    cycles), as parseContention computes them.
 *  - No drop_frames/keep_frames: pprof sets its legacy malloc and lock
 *    patterns (runtime\..* among them), but they prune by function
 *    name, which pprof never sees in a text profile; applied to our
 *    symbolized frames they would cut runtime frames that Go's protobuf
 *    writer keeps.
 *
 * Where pprof shows a single <unknown> node, this reader symbolizes:
 *
 *  - A record's stack addresses are return addresses; Go prints one
 *    "#\t0xPC\tname+0xOFF\tfile:line" line per frame, innermost first,
 *    with PC = address - 1 (or the address itself when it is the
 *    function's entry).  Those lines name the frames.  Since Go 1.12 an
 *    inlined call has its own (fake) stack address; Go's protobuf writer
 *    folds such runs into one Location whose lines go innermost first,
 *    and so do we, with the writer's own test: a frame joins the one
 *    before it when that one is an inlined frame (it does not belong to
 *    the function that owns its entry point), both have the same entry
 *    point (PC - OFF) and their names differ.  Several lines for one
 *    address (an older writer, or a cgo symbolizer) are one Location.
 *    The Location's address is its first line's PC, as in the proto.
 *  - Addresses without a line are left out.  Go's text writer leaves
 *    out exactly runtime.goexit, the runtime.* frames at the leaf end of
 *    the stack (unless nothing else would be left; not in mutex and
 *    block profiles) and PCs it cannot symbolize.  Go's protobuf writer
 *    drops runtime.goexit too and, for heap and allocs, the same leading
 *    runtime frames, so heap, allocs, mutex and block graphs equal those
 *    of the .pb.gz.  Its goroutine (and threadcreate) profiles keep the
 *    leading runtime frames (runtime.gopark, runtime.chanrecv ...), which
 *    the text does not name: there the text's flat goes to the innermost
 *    frame Go printed, and every other frame's cum and every edge between
 *    printed frames equal the proto's.  One more difference is possible
 *    (the fixtures have none): a stack cut at Go's depth limit (32
 *    addresses) inside an inlined call, whose last address the protobuf
 *    writer expands into its callers too; the text does not name them.
 *  - A record with no symbol lines at all (a text with the '#' lines
 *    stripped, or "#\t0x0", Go's mark for a stack it cannot symbolize)
 *    keeps its addresses, each minus 1, as bare locations: pprof's view.
 *  - Goroutine records' "# labels: {"k":"v", ...}" lines become string
 *    labels, as in the proto (pprof ignores them).
 *  - One function per name and file (system name = name, start line 0,
 *    as Go writes them); no mapping: the text does not name the binary.
 *
 * Refused, each as "FILE:LINE: what is wrong": a record without a stack
 * ("5 @": Go writes threadcreate profiles so, golang.org/issue/6104;
 * pprof refuses them in count profiles, and there is no call graph to
 * draw), records or symbol lines before the header, symbol lines outside
 * a record or naming an address the record's stack does not have,
 * numbers that do not parse or do not fit in 64 bits (also after
 * unsampling or scaling), addresses that do not parse, stacks deeper
 * than --max-stack-depth, NUL bytes, a second header, lines that are
 * none of the above.  Blank lines, other '#' lines (the MemStats trailer)
 * and anything after a memory map sentinel or, in count and contention
 * profiles, a "---" line are skipped, as pprof skips them.
 */
#include "legacy.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "lines.h"
#include "mem.h"
#include "strtab.h"

#define LOC_SEED 0xbb67ae8584caa73bULL
#define NO_ADDR SIZE_MAX

/* ---------------------------------------------------------------- */
/* Go's arithmetic, bit for bit. */

/*
 * Go's math.Exp on amd64 (Go 1.19, math/exp_amd64.s): Shibata's method,
 * a reduction by ln 2 (split in two), a further reduction by 16, a
 * Taylor polynomial and four squarings, evaluated with fused
 * multiply-adds when the CPU has AVX and FMA, else with plain SSE2
 * operations.  The two give different last bits, and int64(count *
 * scale) turns a last bit into a different number of objects, so both
 * are here and cpu_fma picks the one Go would run on this machine.
 * Every step is one rounded operation (the build uses
 * -ffp-contract=off), in the assembly's order.
 */
static double
go_exp(double x, bool use_fma)
{
	static const double c[9] = {
		0.5, 1.0, 2.0,
		1.6666666666666666667e-1, 4.1666666666666666667e-2,
		8.3333333333333333333e-3, 1.3888888888888888889e-3,
		1.9841269841269841270e-4, 2.4801587301587301587e-5,
	};
	const double log2e = 1.4426950408889634073599246810018920;
	const double ln2u = 0.69314718055966295651160180568695068359375;
	const double ln2l =
	    0.28235290563031577122588448175013436025525412068e-12;
	uint64_t bits;
	double r, k, x0, x1, z;
	int32_t e;
	int i;

	memcpy(&bits, &x, sizeof bits);
	if ((bits & ~(UINT64_C(1) << 63)) >= UINT64_C(0x7ff0000000000000))
		return bits == UINT64_C(0xfff0000000000000) ? 0.0 : x;
	if (x > 7.09782712893384e+02)
		return INFINITY;
	/* CVTSD2SL: round to nearest even; out of range is INT32_MIN. */
	r = nearbyint(log2e * x);
	e = r >= -2147483648.0 && r <= 2147483647.0 ? (int32_t)r : INT32_MIN;
	k = (double)e;
	x0 = x;
	if (use_fma) {
		x0 = fma(-ln2u, k, x0);
		x0 = fma(-ln2l, k, x0);
		x0 *= 0.0625;
		x1 = c[8];
		for (i = 7; i >= 3; i--)
			x1 = fma(x1, x0, c[i]);
		x1 = fma(x1, x0, c[0]);
		x1 = fma(x1, x0, c[1]);
		x0 *= x1;
		for (i = 0; i < 3; i++) {
			x1 = x0 + c[2];
			x0 *= x1;
		}
		x1 = x0 + c[2];
		x0 = fma(x0, x1, c[1]);
	} else {
		z = ln2u * k;
		x0 -= z;
		z = ln2l * k;
		x0 -= z;
		x0 *= 0.0625;
		x1 = c[8] * x0;
		for (i = 7; i >= 3; i--) {
			x1 += c[i];
			x1 *= x0;
		}
		x1 += c[0];
		x1 *= x0;
		x1 += c[1];
		x0 *= x1;
		for (i = 0; i < 4; i++) {
			x1 = c[2] + x0;
			x0 *= x1;
		}
		x0 += c[1];
	}
	/* x0 * 2**e, with the assembly's denormal and overflow steps. */
	e += 0x3ff;
	if (e <= 0) {
		if (e < -52)
			return 0.0;
		e += 0x3fe;
		bits = (uint64_t)e << 52;
		memcpy(&z, &bits, sizeof z);
		x0 *= z;
		e = 1;
	} else if (e >= 0x7ff) {
		return INFINITY;
	}
	bits = (uint64_t)e << 52;
	memcpy(&z, &bits, sizeof z);
	return x0 * z;
}

/* Does Go's math package use FMA here?  (cpu.X86.HasAVX && HasFMA) */
static bool
cpu_fma(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	return __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
#else
	return false;
#endif
}

/* Go's int64(x), where it is defined: false when x is out of range. */
static bool
to_int64(double x, int64_t *out)
{
	if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
		return false;
	*out = (int64_t)x;
	return true;
}

/*
 * pprof's (and runtime/pprof's) scaleHeapSample on one count/size pair;
 * false when a result does not fit in int64 (Go would wrap it).
 */
static bool
scale_heap(int64_t *count, int64_t *size, int64_t rate, bool use_fma)
{
	double avg, scale;

	if (*count == 0 || *size == 0) {
		*count = *size = 0;
		return true;
	}
	if (rate <= 1)
		return true;
	avg = (double)*size / (double)*count;
	scale = 1 / (1 - go_exp(-avg / (double)rate, use_fma));
	return to_int64((double)*count * scale, count) &&
	    to_int64((double)*size * scale, size);
}

/* Go's size / count for int64 (INT64_MIN / -1 wraps). */
static int64_t
go_div(int64_t a, int64_t b)
{
	if (b == -1)
		return (int64_t)(0 - (uint64_t)a);
	return a / b;
}

enum num { NUM_OK, NUM_SYNTAX, NUM_RANGE };

/*
 * strconv.ParseInt(s, base, 64) for base 10 or 0.  With base 0 a 0x,
 * 0o or 0b prefix or a leading 0 (octal) picks the base, and single
 * underscores may separate digits.
 */
static enum num
go_parse_int(const char *s, size_t n, int base, int64_t *out)
{
	const char *p = s, *e = s + n;
	bool neg = false, base0 = base == 0;
	uint64_t v = 0, max;
	char saw = '^';		/* '0' after a digit or prefix, '_' after _ */

	if (p < e && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p == e)
		return NUM_SYNTAX;
	if (base0) {
		base = 10;
		if (*p == '0') {
			char b = e - p >= 3 ? (char)(p[1] | 0x20) : 0;

			base = b == 'b' ? 2 : b == 'x' ? 16 : 8;
			p += b == 'b' || b == 'o' || b == 'x' ? 2 : 1;
			saw = '0';
		}
	}
	max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < e; p++) {
		char c = (char)(*p | 0x20);
		unsigned d;

		if (*p == '_' && base0) {
			if (saw != '0')
				return NUM_SYNTAX;
			saw = '_';
			continue;
		}
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (c >= 'a' && c <= 'z')
			d = (unsigned)(c - 'a') + 10;
		else
			return NUM_SYNTAX;
		if (d >= (unsigned)base)
			return NUM_SYNTAX;
		saw = '0';
		if (v > (max - d) / (unsigned)base)
			return NUM_RANGE;
		v = v * (unsigned)base + d;
	}
	if (saw != '0')
		return NUM_SYNTAX;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return NUM_OK;
}

/* ---------------------------------------------------------------- */
/* Text helpers. */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
trim(const char **b, const char **e)
{
	while (*b < *e && is_blank(**b))
		(*b)++;
	while (*e > *b && is_blank((*e)[-1]))
		(*e)--;
}

static bool
has_prefix(const char *b, const char *e, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(e - b) >= n && memcmp(b, s, n) == 0;
}

/* Is b..e exactly s? */
static bool
is_word(const char *b, const char *e, const char *s)
{
	return (size_t)(e - b) == strlen(s) && memcmp(b, s, strlen(s)) == 0;
}

static bool
contains(const char *b, const char *e, const char *s)
{
	size_t n = strlen(s);

	for (; (size_t)(e - b) >= n; b++)
		if (memcmp(b, s, n) == 0)
			return true;
	return false;
}

static void
skip_blanks(const char **p, const char *e)
{
	while (*p < e && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/* The end of the run of digits at p. */
static const char *
digits_end(const char *p, const char *e)
{
	while (p < e && is_digit(*p))
		p++;
	return p;
}

/* s[0..n) quoted for a message: escaped, cut at about 60 bytes. */
static const char *
quote(const char *s, size_t n, char *buf, size_t size)
{
	size_t i, o = 0;

	buf[o++] = '"';
	for (i = 0; i < n && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 60) {
			o += (size_t)snprintf(buf + o, size - o, "...");
			break;
		}
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\%c", c);
		else if (c == '\t')
			o += (size_t)snprintf(buf + o, size - o, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* ---------------------------------------------------------------- */
/* Recognising lines. */

static bool
is_heap_header(const char *b, const char *e)
{
	return has_prefix(b, e, "heap profile:");
}

static bool
is_contention_header(const char *b, const char *e)
{
	return has_prefix(b, e, "--- mutex:") ||
	    has_prefix(b, e, "--- contention:") ||
	    has_prefix(b, e, "--- contentionz ");
}

/* "NAME profile: total" with NAME without blanks; *name_end set. */
static bool
is_count_header(const char *b, const char *e, const char **name_end)
{
	const char *p = b;

	while (p < e && *p != ' ' && !is_blank(*p))
		p++;
	if (p == b || !has_prefix(p, e, " profile: total"))
		return false;
	if (name_end != NULL)
		*name_end = p;
	return true;
}

static bool
is_header(const char *b, const char *e)
{
	return is_heap_header(b, e) || is_contention_header(b, e) ||
	    is_count_header(b, e, NULL);
}

/* "goroutine 1 [running]:": a debug=2 dump, not a profile. */
static bool
is_goroutine_dump(const char *b, const char *e)
{
	const char *p;

	if (!has_prefix(b, e, "goroutine "))
		return false;
	p = b + 10;
	if (p == e || !is_digit(*p))
		return false;
	p = digits_end(p, e);
	return has_prefix(p, e, " [");
}

/* Numbers, colons, brackets and blanks, then '@': a legacy record. */
static bool
is_record_like(const char *b, const char *e)
{
	const char *p = b;

	if (p < e && *p == '-')
		p++;
	if (p == e || !is_digit(*p))
		return false;
	for (; p < e && *p != '@'; p++)
		if (!is_digit(*p) && !strchr(" \t:[]-", *p))
			return false;
	return p < e;
}

static bool
is_map_sentinel(const char *b, const char *e)
{
	return contains(b, e, "--- Memory map: ---") ||
	    contains(b, e, "MAPPED_LIBRARIES:");
}

/* "#", blanks, "0x": a symbol line. */
static bool
is_symbol_line(const char *b, const char *e)
{
	const char *p = b + 1;

	if (p >= e || (*p != ' ' && *p != '\t'))
		return false;
	skip_blanks(&p, e);
	return e - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
}

bool
legacy_sniff(const unsigned char *head, size_t n)
{
	const char *p = (const char *)head, *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *b = p, *e = nl != NULL ? nl : end, *q;

		for (q = b; q < e; q++)
			if ((unsigned char)*q < 0x20 && !is_blank(*q))
				return false;	/* binary: a protobuf */
		trim(&b, &e);
		if (b < e && *b != '#')
			return is_header(b, e) || is_goroutine_dump(b, e) ||
			    is_record_like(b, e);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return false;
}

/* ---------------------------------------------------------------- */
/* The reader's state. */

enum kind { KIND_HEAP, KIND_COUNT, KIND_CONTENTION };

/* A symbol line of the record being read. */
struct frame {
	uint64_t pc;		/* the address the line prints */
	uint64_t entry;		/* pc - offset; 0 when unknown */
	uint32_t func;		/* function index; PROF_NONE: no name */
	uint32_t name;		/* string id of the name (inline tests) */
	int64_t line;
	size_t addr;		/* index of its stack address */
	bool physical;		/* not an inlined frame */
};

struct rd {
	struct prof *p;
	struct diag *d;
	const char *name;
	struct lines *lines;
	uint64_t lineno;

	enum kind kind;
	bool header_set;
	size_t nvals;
	uint32_t types[4], units[4];
	uint32_t period_type, period_unit;
	int64_t period, duration;
	bool has_alloc, scaled, use_fma;
	int64_t rate;			/* heap sampling rate */
	int64_t cpu_hz;			/* contention: cycles/second */
	uint32_t str_bytes;		/* "bytes", the heap label key */

	/* The record being read. */
	bool open;
	uint64_t rec_line;
	int64_t vals[4];
	int64_t blocksize;
	uint64_t *addrs;
	size_t naddrs, capaddrs;
	struct frame *frames;
	size_t nframes, capframes;
	size_t cur;			/* stack address of the last frame */
	struct prof_label *labels;
	size_t nlabels, caplabels;

	/* This input's functions and locations, by content. */
	struct hmap64 func_index;
	struct hmap loc_index;
	struct prof_line *lbuf;
	size_t caplbuf;
	uint32_t *locbuf;
	size_t caplocbuf;
	char *sbuf;			/* unquoted label text */
	size_t sbn, capsbuf;
	char *at;			/* "NAME:LINE" for prof_add_sample */
	size_t capat;
};

static int fail(struct rd *r, uint64_t line, const char *fmt, ...)
    DIAG_PRINTF(3, 4);

static int
fail(struct rd *r, uint64_t line, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		diag_set(r->d, "%s:%" PRIu64 ": %s", r->name, line, msg);
	else
		diag_set(r->d, "%s: %s", r->name, msg);
	return -1;
}

static int
nomem(struct rd *r)
{
	diag_nomem(r->d);
	return -1;
}

/*
 * The id of s[0..n), what the text calls it ("a function name"); past
 * --max-string-length, STRTAB_NONE with that message in r->d (the
 * caller's "out of memory" that follows is ignored: the first message
 * wins).
 */
static uint32_t
intern(struct rd *r, const char *s, size_t n, const char *what)
{
	if (n > r->p->limits.max_string) {
		char where[DIAG_MSG_MAX];

		snprintf(where, sizeof where, "%s:%" PRIu64, r->name,
		    r->lineno);
		prof_check_string(r->p, n, where, what, r->d);
		return STRTAB_NONE;
	}
	return strtab_intern(&r->p->strs, s, n);
}

/* The id of a name this reader knows (a type, a unit): no limit. */
static uint32_t
known(struct rd *r, const char *s)
{
	return strtab_intern_cstr(&r->p->strs, s);
}

/* Report a number that did not parse: token s[0..n). */
static int
bad_number(struct rd *r, enum num why, const char *s, size_t n,
    const char *what)
{
	char q[128];

	quote(s, n, q, sizeof q);
	if (why == NUM_RANGE)
		return fail(r, r->lineno, "%s %s does not fit in a 64-bit "
		    "integer", what, q);
	return fail(r, r->lineno, "%s %s is not a number", what, q);
}

/*
 * A hexadecimal address "0x..." at *p, up to a blank or e; *p moves
 * past it.  0, or -1 with a message.
 */
static int
parse_addr(struct rd *r, const char **p, const char *e, uint64_t *out)
{
	const char *tok = *p, *t = tok, *q;
	uint64_t v = 0;
	char buf[128];
	bool big = false;

	while (t < e && *t != ' ' && *t != '\t')
		t++;
	*p = t;
	if (t - tok < 3 || tok[0] != '0' || (tok[1] != 'x' && tok[1] != 'X'))
		return fail(r, r->lineno, "%s is not a hexadecimal address "
		    "(0x...)", quote(tok, (size_t)(t - tok), buf, sizeof buf));
	for (q = tok + 2; q < t; q++) {
		int h = hex_val(*q);

		if (h < 0)
			return fail(r, r->lineno, "%s is not a hexadecimal "
			    "address", quote(tok, (size_t)(t - tok), buf,
			    sizeof buf));
		if (v >> 60 != 0)
			big = true;
		v = v << 4 | (unsigned)h;
	}
	if (big)
		return fail(r, r->lineno, "the address %s does not fit in 64 "
		    "bits", quote(tok, (size_t)(t - tok), buf, sizeof buf));
	*out = v;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Functions and locations, one per content within this input. */

struct loc_key {
	uint64_t address;
	const struct prof_line *lines;
	uint32_t n;
};

static bool
loc_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct prof *p = ctx;
	const struct prof_loc *l = &p->locs[id];
	const struct loc_key *k = key;
	uint32_t i;

	if (l->address != k->address || l->nlines != k->n)
		return false;
	for (i = 0; i < k->n; i++)
		if (p->lines[l->line0 + i].func != k->lines[i].func ||
		    p->lines[l->line0 + i].line != k->lines[i].line)
			return false;
	return true;
}

/* The location at address with lines[0..n); PROF_NONE: no memory. */
static uint32_t
loc_of(struct rd *r, uint64_t address, const struct prof_line *lines,
    uint32_t n)
{
	struct loc_key k = { address, lines, n };
	uint64_t h = mem_hash_mix(mem_hash_mix(LOC_SEED, address), n);
	struct prof_loc l;
	uint32_t i, id;

	for (i = 0; i < n; i++)
		h = mem_hash_mix(mem_hash_mix(h, lines[i].func),
		    (uint64_t)lines[i].line);
	if ((id = hmap_find(&r->loc_index, h, loc_eq, r->p, &k)) != HMAP_NONE)
		return id;
	l.address = address;
	l.mapping = PROF_NONE;
	l.line0 = (uint32_t)r->p->nlines;
	l.nlines = n;
	l.folded = false;
	for (i = 0; i < n; i++)
		if (prof_add_line(r->p, &lines[i]) == PROF_NONE)
			return PROF_NONE;
	id = prof_add_loc(r->p, &l);
	if (id == PROF_NONE || hmap_add(&r->loc_index, h, id) != 0)
		return PROF_NONE;
	return id;
}

/* ---------------------------------------------------------------- */
/* From a record's symbol lines to its locations. */

/*
 * Which frames are inlined?  The runtime knows (an inlined frame has no
 * Func of its own); the text only shows each frame's entry point, PC -
 * OFF, which an inlined frame shares with the function it was inlined
 * into.  Consecutive frames with one entry point are therefore one
 * physical function and the calls inlined into it, and the outermost of
 * them is the physical function itself: a frame is physical when its
 * name is the name of the outermost frame of its run.  (A run can hold
 * that function more than once, when it calls itself through an
 * inlined call.)  Frames with no known entry point count as physical.
 */
static void
mark_physical(struct frame *f, size_t n)
{
	size_t i = 0, j, k;

	while (i < n) {
		if (f[i].entry == 0) {
			f[i++].physical = true;
			continue;
		}
		for (j = i + 1; j < n && f[j].entry == f[i].entry; j++)
			;
		for (k = i; k < j; k++)
			f[k].physical = f[k].name == f[j - 1].name;
		i = j;
	}
}

/*
 * Fold the frames into locations, leaf first, into r->locbuf: the
 * frames of one stack address always share a location, and the next
 * address's frames join them under the test of Go's protobuf writer
 * (runtime/pprof's pcDeck.tryAdd): the last frame so far is inlined,
 * the first new one has the same entry point and another name.
 */
static int
fold_frames(struct rd *r, size_t *depth)
{
	struct frame *f = r->frames;
	size_t n = r->nframes, i = 0;

	mark_physical(f, n);
	if (mem_reserve(&r->lbuf, &r->caplbuf, n, sizeof *r->lbuf) != 0)
		return nomem(r);
	*depth = 0;
	while (i < n) {
		size_t start = i, a = f[i].addr, j;
		uint32_t nl = 0, loc;

		while (i < n && f[i].addr == a)
			i++;
		while (i < n) {
			const struct frame *last = &f[i - 1], *next = &f[i];

			if (last->physical || last->entry == 0 ||
			    next->entry != last->entry ||
			    next->name == last->name)
				break;
			a = next->addr;
			while (i < n && f[i].addr == a)
				i++;
		}
		for (j = start; j < i; j++) {
			if (f[j].func == PROF_NONE)
				continue;
			r->lbuf[nl].func = f[j].func;
			r->lbuf[nl].line = f[j].line;
			r->lbuf[nl].column = 0;
			nl++;
		}
		if ((loc = loc_of(r, f[start].pc, r->lbuf, nl)) == PROF_NONE)
			return nomem(r);
		r->locbuf[(*depth)++] = loc;
	}
	return 0;
}

/* Fold the record being read into the model. */
static int
end_record(struct rd *r)
{
	uint32_t labelset = 0;
	size_t depth = 0, i;
	int rc;

	if (!r->open)
		return 0;
	r->open = false;
	if (mem_reserve(&r->locbuf, &r->caplocbuf, r->naddrs,
	    sizeof *r->locbuf) != 0)
		return nomem(r);
	if (r->nframes == 0) {
		/* Nothing symbolized: pprof's bare addresses, minus 1. */
		for (i = 0; i < r->naddrs; i++) {
			uint32_t l = loc_of(r, r->addrs[i] - 1, NULL, 0);

			if (l == PROF_NONE)
				return nomem(r);
			r->locbuf[depth++] = l;
		}
	} else if (fold_frames(r, &depth) != 0) {
		return -1;
	}
	if (r->kind == KIND_HEAP) {
		struct prof_label l;

		memset(&l, 0, sizeof l);
		l.key = r->str_bytes;
		l.is_num = true;
		l.num = r->blocksize;
		labelset = prof_intern_labelset(r->p, &l, 1);
	} else if (r->nlabels > 0) {
		labelset = prof_intern_labelset(r->p, r->labels, r->nlabels);
	}
	if (labelset == PROF_NONE)
		return nomem(r);
	snprintf(r->at, r->capat, "%s:%" PRIu64, r->name, r->rec_line);
	rc = prof_add_sample(r->p, r->locbuf, depth, labelset, r->vals,
	    r->nvals, r->at, 0, r->d);
	r->naddrs = r->nframes = r->nlabels = 0;
	return rc;
}

/* ---------------------------------------------------------------- */
/* Symbol and label lines. */

/* Does a symbol line's pc name the stack address a? */
static bool
names_addr(uint64_t pc, uint64_t a)
{
	return pc + 1 == a || pc == a;
}

/* "#\t0xPC\tNAME+0xOFF\tFILE:LINE", or "#\t0xPC" alone. */
static int
on_symbol(struct rd *r, const char *b, const char *e)
{
	const char *p = b + 1;
	struct frame fr;
	char q[128];
	size_t g;

	if (!r->open)
		return fail(r, r->lineno, "a symbol line outside a record "
		    "(it must follow the record whose stack it names)");
	memset(&fr, 0, sizeof fr);
	fr.func = PROF_NONE;
	skip_blanks(&p, e);
	if (parse_addr(r, &p, e, &fr.pc) != 0)
		return -1;
	skip_blanks(&p, e);
	if (p == e) {
		/* Go's "#\t0x0": none of the stack could be symbolized. */
		if (fr.pc == 0)
			return 0;
	} else {
		const char *nb = p, *ne, *fb, *colon, *plus = NULL, *t;
		uint64_t off = 0;
		bool has_off = false;
		int64_t line;
		enum num why;
		uint32_t file;

		while (p < e && *p != '\t')
			p++;
		ne = p;
		skip_blanks(&p, e);
		fb = p;
		for (colon = e; colon > fb && colon[-1] != ':'; colon--)
			;
		if (colon == fb || colon == e || digits_end(colon, e) != e)
			return fail(r, r->lineno, "a symbol line without "
			    "FILE:LINE after the function name: %s",
			    quote(b, (size_t)(e - b), q, sizeof q));
		if ((why = go_parse_int(colon, (size_t)(e - colon), 10,
		    &line)) != NUM_OK)
			return bad_number(r, why, colon, (size_t)(e - colon),
			    "the line number");
		/* NAME+0xOFF: the offset gives the entry point. */
		for (t = ne; t > nb; t--)
			if (t[-1] == '+') {
				plus = t - 1;
				break;
			}
		if (plus != NULL && ne - plus >= 4 && plus[1] == '0' &&
		    (plus[2] == 'x' || plus[2] == 'X') && ne - plus <= 19) {
			has_off = true;
			for (t = plus + 3; t < ne && has_off; t++)
				if (hex_val(*t) < 0)
					has_off = false;
				else
					off = off << 4 | (unsigned)hex_val(*t);
		}
		if (!has_off)
			plus = ne;
		fr.name = intern(r, nb, (size_t)(plus - nb),
		    "a function name");
		file = intern(r, fb, (size_t)(colon - 1 - fb),
		    "a file name");
		if (fr.name == STRTAB_NONE || file == STRTAB_NONE ||
		    (fr.func = prof_func_named(r->p, &r->func_index, fr.name,
		    file)) == PROF_NONE)
			return nomem(r);
		fr.line = line;
		fr.entry = has_off && off <= fr.pc ? fr.pc - off : 0;
	}

	/*
	 * The stack address it names: the current one again (several
	 * frames for one address) unless the next one is the same address
	 * (recursion), else the next one it matches; addresses skipped on
	 * the way are frames Go did not print.
	 */
	g = r->cur;
	if (g == NO_ADDR || !names_addr(fr.pc, r->addrs[g]) ||
	    (g + 1 < r->naddrs && names_addr(fr.pc, r->addrs[g + 1]))) {
		size_t j = g == NO_ADDR ? 0 : g + 1;

		while (j < r->naddrs && !names_addr(fr.pc, r->addrs[j]))
			j++;
		if (j == r->naddrs)
			return fail(r, r->lineno, "the symbol line for 0x%"
			    PRIx64 " names no address of the stack of the "
			    "record on line %" PRIu64 " (it should be an "
			    "address there, minus 1, in stack order)", fr.pc,
			    r->rec_line);
		g = j;
	}
	if (r->nframes >= r->p->limits.max_depth)
		return fail(r, r->lineno, "a record with more than %" PRIu32
		    " symbol lines, the limit (--max-stack-depth)",
		    r->p->limits.max_depth);
	if (mem_reserve(&r->frames, &r->capframes, r->nframes + 1,
	    sizeof *r->frames) != 0)
		return nomem(r);
	fr.addr = g;
	r->frames[r->nframes++] = fr;
	r->cur = g;
	return 0;
}

static int
put_byte(struct rd *r, unsigned char c)
{
	if (mem_reserve(&r->sbuf, &r->capsbuf, r->sbn + 1, 1) != 0)
		return -1;
	r->sbuf[r->sbn++] = (char)c;
	return 0;
}

/* Append code point v in UTF-8. */
static int
put_rune(struct rd *r, uint32_t v)
{
	unsigned char u[4];
	int n, i;

	if (v < 0x80)
		return put_byte(r, (unsigned char)v);
	n = v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
	for (i = n - 1; i > 0; i--) {
		u[i] = (unsigned char)(0x80 | (v & 0x3f));
		v >>= 6;
	}
	u[0] = (unsigned char)((0xf00 >> n) | v);
	for (i = 0; i < n; i++)
		if (put_byte(r, u[i]) != 0)
			return -1;
	return 0;
}

/*
 * Decode the Go string literal (strconv.Quote's output) at *pp into
 * r->sbuf[0..sbn).  0; 1 on a syntax error; -1 when out of memory.
 */
static int
unquote(struct rd *r, const char **pp, const char *e)
{
	const char *p = *pp;

	r->sbn = 0;
	if (p == e || *p != '"')
		return 1;
	for (p++;;) {
		uint32_t v = 0;
		int n = 0, i, rc = 0;
		char c;

		if (p == e)
			return 1;
		c = *p++;
		if (c == '"')
			break;
		if (c != '\\') {
			if (put_byte(r, (unsigned char)c) != 0)
				return -1;
			continue;
		}
		if (p == e)
			return 1;
		switch (c = *p++) {
		case 'a': rc = put_byte(r, '\a'); break;
		case 'b': rc = put_byte(r, '\b'); break;
		case 'f': rc = put_byte(r, '\f'); break;
		case 'n': rc = put_byte(r, '\n'); break;
		case 'r': rc = put_byte(r, '\r'); break;
		case 't': rc = put_byte(r, '\t'); break;
		case 'v': rc = put_byte(r, '\v'); break;
		case '\\': rc = put_byte(r, '\\'); break;
		case '"': rc = put_byte(r, '"'); break;
		case 'x': n = 2; break;
		case 'u': n = 4; break;
		case 'U': n = 8; break;
		default:
			if (c < '0' || c > '7' || e - p < 2 || p[0] < '0' ||
			    p[0] > '7' || p[1] < '0' || p[1] > '7')
				return 1;
			v = (uint32_t)(c - '0') << 6 | (uint32_t)(p[0] - '0') <<
			    3 | (uint32_t)(p[1] - '0');
			p += 2;
			if (v > 255)
				return 1;
			rc = put_byte(r, (unsigned char)v);
			break;
		}
		if (rc != 0)
			return -1;
		if (n == 0)
			continue;
		if (e - p < n)
			return 1;
		for (i = 0; i < n; i++) {
			int h = hex_val(*p++);

			if (h < 0)
				return 1;
			v = v << 4 | (uint32_t)h;
		}
		if (c == 'x')
			rc = put_byte(r, (unsigned char)v);
		else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 1;
		else
			rc = put_rune(r, v);
		if (rc != 0)
			return -1;
	}
	*pp = p;
	return 0;
}

/* "# labels: {"key":"value", ...}" of a goroutine record. */
static int
on_labels(struct rd *r, const char *b, const char *e)
{
	const char *p = b + strlen("# labels:");
	char q[128];

	if (!r->open || r->nframes > 0 || r->nlabels > 0)
		return fail(r, r->lineno, "a labels line must come right "
		    "after its record line");
	skip_blanks(&p, e);
	if (p == e || *p++ != '{')
		goto bad;
	skip_blanks(&p, e);
	if (p < e && *p == '}') {
		p++;
	} else {
		for (;;) {
			struct prof_label l;
			int rc;

			memset(&l, 0, sizeof l);
			if ((rc = unquote(r, &p, e)) != 0)
				goto unq;
			if ((l.key = intern(r, r->sbuf, r->sbn,
			    "a label key")) == STRTAB_NONE)
				return nomem(r);
			skip_blanks(&p, e);
			if (p == e || *p++ != ':')
				goto bad;
			skip_blanks(&p, e);
			if ((rc = unquote(r, &p, e)) != 0)
				goto unq;
			if ((l.str = intern(r, r->sbuf, r->sbn,
			    "a label value")) == STRTAB_NONE)
				return nomem(r);
			if (mem_reserve(&r->labels, &r->caplabels,
			    r->nlabels + 1, sizeof *r->labels) != 0)
				return nomem(r);
			r->labels[r->nlabels++] = l;
			skip_blanks(&p, e);
			if (p < e && *p == ',') {
				p++;
				skip_blanks(&p, e);
				continue;
			}
			if (p == e || *p++ != '}')
				goto bad;
			break;
		unq:
			if (rc < 0)
				return nomem(r);
			goto bad;
		}
	}
	skip_blanks(&p, e);
	if (p == e)
		return 0;
bad:
	return fail(r, r->lineno, "a malformed labels line (want "
	    "# labels: {\"key\":\"value\", ...}): %s",
	    quote(b, (size_t)(e - b), q, sizeof q));
}

/* ---------------------------------------------------------------- */
/* Record lines. */

/*
 * A number at *pp: digits with an optional '-' when neg_ok, read by
 * strconv.ParseInt with base (10 or 0).  1 when there are no digits
 * (the caller says what it wanted), 0, or -1 with a message.
 */
static int
take_number(struct rd *r, const char **pp, const char *e, bool neg_ok,
    int base, const char *what, int64_t *out)
{
	const char *p = *pp, *t = p;
	enum num why;

	if (neg_ok && t < e && *t == '-')
		t++;
	if (t == e || !is_digit(*t))
		return 1;
	t = digits_end(t, e);
	if ((why = go_parse_int(p, (size_t)(t - p), base, out)) != NUM_OK) {
		if (why == NUM_SYNTAX && base == 0 && *p == '0')
			return fail(r, r->lineno, "%s %.*s is not an octal "
			    "number (a leading 0 makes it octal, as pprof "
			    "reads it)", what, (int)(t - p), p);
		return bad_number(r, why, p, (size_t)(t - p), what);
	}
	*pp = t;
	return 0;
}

/* Skip blanks, then c; false when c is not there. */
static bool
expect(const char **p, const char *e, char c)
{
	skip_blanks(p, e);
	if (*p == e || **p != c)
		return false;
	(*p)++;
	skip_blanks(p, e);
	return true;
}

static int
heap_values(struct rd *r, const char **pp, const char *e, int64_t *v)
{
	const char *p = *pp;
	int rc;

	if ((rc = take_number(r, &p, e, true, 10, "the in-use count",
	    &v[0])) != 0 || !expect(&p, e, ':') ||
	    (rc = take_number(r, &p, e, true, 10, "the in-use bytes",
	    &v[1])) != 0 || !expect(&p, e, '[') ||
	    (rc = take_number(r, &p, e, false, 10, "the alloc count",
	    &v[2])) != 0 || !expect(&p, e, ':') ||
	    (rc = take_number(r, &p, e, false, 10, "the alloc bytes",
	    &v[3])) != 0 || !expect(&p, e, ']') || !expect(&p, e, '@'))
		return rc < 0 ? -1 : 1;
	*pp = p;
	return 0;
}

/* The heap record's values, unsampled, into r->vals. */
static int
heap_record(struct rd *r, int64_t *v)
{
	static const char *const pair[2] = { "in-use", "alloc" };
	int64_t bs = 0;
	int i;

	for (i = r->has_alloc ? 1 : 0; i >= 0; i--) {
		int64_t *c = &v[2 * i], *s = &v[2 * i + 1];

		if (*c == 0 && *s != 0)
			return fail(r, r->lineno, "the %s count is 0 but the "
			    "%s bytes are %" PRId64, pair[i], pair[i], *s);
		if (*c != 0) {
			bs = go_div(*s, *c);
			if (r->scaled && !scale_heap(c, s, r->rate, r->use_fma))
				return fail(r, r->lineno, "unsampling the %s "
				    "values %" PRId64 ": %" PRId64 " (rate %"
				    PRId64 ") overflows a 64-bit integer",
				    pair[i], *c, *s, r->rate);
		}
	}
	r->blocksize = bs;
	if (r->has_alloc) {
		r->vals[0] = v[2];
		r->vals[1] = v[3];
		r->vals[2] = v[0];
		r->vals[3] = v[1];
	} else {
		r->vals[0] = v[0];
		r->vals[1] = v[1];
	}
	return 0;
}

/* contentions = COUNT * period, delay = CYCLES * period / GHz. */
static int
contention_record(struct rd *r, int64_t cycles, int64_t count)
{
	if (r->period > 0) {
		if (r->cpu_hz > 0) {
			double ghz = (double)r->cpu_hz / 1e9;

			if (!to_int64((double)cycles * (double)r->period / ghz,
			    &cycles))
				return fail(r, r->lineno, "the delay in "
				    "nanoseconds overflows a 64-bit integer");
		}
		if (__builtin_mul_overflow(count, r->period, &count))
			return fail(r, r->lineno, "the count times the "
			    "sampling period overflows a 64-bit integer");
	}
	r->vals[0] = count;
	r->vals[1] = cycles;
	return 0;
}

static int
on_record(struct rd *r, const char *b, const char *e)
{
	static const char *const want[] = {
		"INUSE_COUNT: INUSE_BYTES [ALLOC_COUNT: ALLOC_BYTES] @ 0x...",
		"COUNT @ 0x...",
		"CYCLES COUNT @ 0x...",
	};
	const char *p = b;
	int64_t v[4];
	char q[128];
	int rc;

	if (end_record(r) != 0)
		return -1;
	switch (r->kind) {
	case KIND_HEAP:
		rc = heap_values(r, &p, e, v);
		break;
	case KIND_COUNT:
		if ((rc = take_number(r, &p, e, false, 0, "the count",
		    &v[0])) == 0 && !expect(&p, e, '@'))
			rc = 1;
		break;
	default:
		if ((rc = take_number(r, &p, e, false, 10, "the cycles",
		    &v[0])) == 0) {
			skip_blanks(&p, e);
			if ((rc = take_number(r, &p, e, false, 10,
			    "the count", &v[1])) == 0 && !expect(&p, e, '@'))
				rc = 1;
		}
		break;
	}
	if (rc < 0)
		return -1;
	if (rc > 0)
		return fail(r, r->lineno, "not a record (want \"%s\"): %s",
		    want[r->kind], quote(b, (size_t)(e - b), q, sizeof q));

	r->naddrs = r->nframes = r->nlabels = 0;
	r->cur = NO_ADDR;
	while (skip_blanks(&p, e), p < e) {
		if (r->naddrs >= r->p->limits.max_depth)
			return fail(r, r->lineno, "a record with a stack of "
			    "more than %" PRIu32 " frames, the limit "
			    "(--max-stack-depth)", r->p->limits.max_depth);
		if (mem_reserve(&r->addrs, &r->capaddrs, r->naddrs + 1,
		    sizeof *r->addrs) != 0)
			return nomem(r);
		if (parse_addr(r, &p, e, &r->addrs[r->naddrs]) != 0)
			return -1;
		r->naddrs++;
	}
	if (r->naddrs == 0)
		return fail(r, r->lineno, "a record without a stack (%s): "
		    "there is no call graph to draw (Go writes threadcreate "
		    "profiles so, golang.org/issue/6104)",
		    quote(b, (size_t)(e - b), q, sizeof q));

	if (r->kind == KIND_HEAP)
		rc = heap_record(r, v);
	else if (r->kind == KIND_COUNT) {
		r->vals[0] = v[0];
		rc = 0;
	} else
		rc = contention_record(r, v[0], v[1]);
	if (rc != 0)
		return -1;
	r->open = true;
	r->rec_line = r->lineno;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Headers. */

static int
set_types(struct rd *r, const char *const *names, size_t n,
    const char *ptype, const char *punit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *t = names[2 * i], *u = names[2 * i + 1];

		if ((r->types[i] = known(r, t)) == STRTAB_NONE ||
		    (r->units[i] = known(r, u)) == STRTAB_NONE)
			return nomem(r);
	}
	r->nvals = n;
	if ((r->period_type = known(r, ptype)) == STRTAB_NONE ||
	    (r->period_unit = known(r, punit)) == STRTAB_NONE)
		return nomem(r);
	return 0;
}

/* "heap profile: A: B [C: D] @ heap/R" and its variants. */
static int
heap_header(struct rd *r, const char *b, const char *e)
{
	static const char *const four[] = {
		"alloc_objects", "count", "alloc_space", "bytes",
		"inuse_objects", "count", "inuse_space", "bytes",
	};
	static const char *const two[] = {
		"objects", "count", "space", "bytes",
	};
	static const char sep[5] = { ':', '[', ':', ']', '@' };
	const char *p = b + strlen("heap profile:"), *tot[4][2], *w, *we;
	int64_t rate = 0;
	char q[128];
	int i;

	for (i = 0; i < 4; i++) {
		skip_blanks(&p, e);
		tot[i][0] = p;
		tot[i][1] = p = digits_end(p, e);
		if (tot[i][0] == p || !expect(&p, e, sep[i]))
			break;
	}
	if (i < 4 || !expect(&p, e, sep[4]))
		return fail(r, r->lineno, "a malformed heap profile header "
		    "(want \"heap profile: N: N [N: N] @ heap/RATE\"): %s",
		    quote(b, (size_t)(e - b), q, sizeof q));
	w = p;
	while (p < e && (*p == '_' || is_digit(*p) || (*p >= 'a' &&
	    *p <= 'z')))
		p++;
	we = p;
	r->has_alloc = false;
	r->scaled = false;
	if ((we - w == 7 && memcmp(w, "growthz", 7) == 0) ||
	    (we - w == 6 && memcmp(w, "growth", 6) == 0) ||
	    (we - w == 14 && memcmp(w, "fragmentationz", 14) == 0) ||
	    (we - w == 13 && memcmp(w, "fragmentation", 13) == 0)) {
		/* gperftools' growth and fragmentation profiles. */
		if (p != e)
			goto kind;
		r->period = 1;
	} else if (we - w >= 4 && memcmp(w, "heap", 4) == 0) {
		const char *rb;
		enum num why;

		if (p < e && *p == '/')
			p++;
		rb = p;
		p = digits_end(p, e);
		if (p != e)
			goto kind;
		if (p > rb && (why = go_parse_int(rb, (size_t)(p - rb), 10,
		    &rate)) != NUM_OK)
			return bad_number(r, why, rb, (size_t)(p - rb),
			    "the sampling rate");
		if ((we - w == 7 && memcmp(w, "heap_v2", 7) == 0) ||
		    (we - w == 8 && memcmp(w, "heapz_v2", 8) == 0)) {
			r->period = rate;
			r->scaled = true;
		} else if (we - w == 11 && memcmp(w, "heapprofile", 11) == 0) {
			r->period = 1;
		} else if (we - w == 4) {
			/* Go prints twice MemProfileRate. */
			r->period = rate / 2;
			r->scaled = true;
		} else {
			goto kind;
		}
		/* As pprof: alloc columns when the header's totals differ. */
		for (i = 0; i < 2; i++) {
			size_t ni = (size_t)(tot[i][1] - tot[i][0]);
			size_t na = (size_t)(tot[i + 2][1] - tot[i + 2][0]);

			if ((na != ni || memcmp(tot[i][0], tot[i + 2][0],
			    ni) != 0) && !(na == 1 && *tot[i + 2][0] == '0'))
				r->has_alloc = true;
		}
	} else {
		goto kind;
	}
	r->rate = r->period;
	r->kind = KIND_HEAP;
	if ((r->str_bytes = known(r, "bytes")) == STRTAB_NONE)
		return nomem(r);
	return r->has_alloc ? set_types(r, four, 4, "space", "bytes") :
	    set_types(r, two, 2, "space", "bytes");
kind:
	return fail(r, r->lineno, "unknown heap profile kind %s (want "
	    "heap/RATE, heap_v2/RATE or heapprofile)",
	    quote(w, (size_t)(e - w), q, sizeof q));
}

/* "NAME profile: total N": goroutine, threadcreate, custom profiles. */
static int
count_header(struct rd *r, const char *b, const char *name_end,
    const char *e)
{
	const char *p = name_end + strlen(" profile: total");
	char q[128];

	if (p == e || *p++ != ' ' || p == e || digits_end(p, e) != e)
		return fail(r, r->lineno, "a malformed header (want \"NAME "
		    "profile: total N\"): %s",
		    quote(b, (size_t)(e - b), q, sizeof q));
	r->kind = KIND_COUNT;
	r->period = 1;
	r->nvals = 1;
	if ((r->types[0] = intern(r, b, (size_t)(name_end - b),
	    "the profile name")) == STRTAB_NONE ||
	    (r->units[0] = known(r, "count")) == STRTAB_NONE)
		return nomem(r);
	r->period_type = r->types[0];
	r->period_unit = r->units[0];
	return 0;
}

/* "--- mutex:", "--- contention:" (block), "--- contentionz ". */
static int
contention_header(struct rd *r)
{
	static const char *const types[] = {
		"contentions", "count", "delay", "nanoseconds",
	};

	r->kind = KIND_CONTENTION;
	r->period = 1;
	return set_types(r, types, 2, "contentions", "count");
}

/* "key = value" after a contention header, as parseContention has it. */
static int
on_attribute(struct rd *r, const char *b, const char *e)
{
	const char *eq = memchr(b, '=', (size_t)(e - b));
	const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
	int64_t v = 0;
	enum num why;
	char q[128];

	trim(&kb, &ke);
	trim(&vb, &ve);
	if (is_word(kb, ke, "discarded samples"))
		return 0;
	if (!is_word(kb, ke, "cycles/second") &&
	    !is_word(kb, ke, "sampling period") &&
	    !is_word(kb, ke, "ms since reset"))
		return fail(r, r->lineno, "unknown attribute %s in a "
		    "contention profile header", quote(kb, (size_t)(ke - kb),
		    q, sizeof q));
	if ((why = go_parse_int(vb, (size_t)(ve - vb), 0, &v)) != NUM_OK) {
		char what[160];

		snprintf(what, sizeof what, "the %.*s", (int)(ke - kb), kb);
		return bad_number(r, why, vb, (size_t)(ve - vb), what);
	}
	if (is_word(kb, ke, "cycles/second"))
		r->cpu_hz = v;
	else if (is_word(kb, ke, "sampling period"))
		r->period = v;
	else if (__builtin_mul_overflow(v, (int64_t)1000000, &r->duration))
		return fail(r, r->lineno, "ms since reset: %" PRId64 " ms "
		    "overflows a 64-bit count of nanoseconds", v);
	return 0;
}

static int
on_header(struct rd *r, const char *b, const char *e)
{
	const char *ne;
	char q[128];

	if (is_heap_header(b, e))
		return heap_header(r, b, e);
	if (is_contention_header(b, e))
		return contention_header(r);
	if (is_count_header(b, e, &ne))
		return count_header(r, b, ne, e);
	if (*b == '#')
		return fail(r, r->lineno, "a symbol line before the profile "
		    "header");
	if (is_goroutine_dump(b, e))
		return fail(r, r->lineno, "a goroutine dump (debug=2), not a "
		    "profile: ask for debug=1 to get the goroutine profile");
	if (is_record_like(b, e))
		return fail(r, r->lineno, "a record before the profile header "
		    "(such as \"heap profile: ...\", \"goroutine profile: "
		    "total N\" or \"--- mutex:\")");
	return fail(r, r->lineno, "not a Go text profile: %s",
	    quote(b, (size_t)(e - b), q, sizeof q));
}

/* Give the model this input's header, before its first sample. */
static int
set_header(struct rd *r)
{
	struct prof_header h;

	memset(&h, 0, sizeof h);
	h.types = r->types;
	h.units = r->units;
	h.ntypes = r->nvals;
	h.period_type = r->period_type;
	h.period_unit = r->period_unit;
	h.period = r->period;
	h.duration_nanos = r->duration;
	r->header_set = true;
	return prof_set_header(r->p, &h, r->name, r->d);
}

/* ---------------------------------------------------------------- */
/* The line loop. */

/*
 * One line after the header, blanks trimmed.  0 to go on, 1 at the end
 * of the profile, -1 on error.
 */
static int
on_line(struct rd *r, const char *b, const char *e)
{
	if (b == e)
		return end_record(r);
	if (is_map_sentinel(b, e) ||
	    (r->kind != KIND_HEAP && has_prefix(b, e, "---")))
		return end_record(r) != 0 ? -1 : 1;
	if (*b == '#') {
		if (is_symbol_line(b, e))
			return on_symbol(r, b, e);
		if (r->kind == KIND_COUNT && has_prefix(b, e, "# labels:"))
			return on_labels(r, b, e);
		return 0;	/* a comment, such as the MemStats trailer */
	}
	if (is_header(b, e))
		return fail(r, r->lineno, "a second profile header: give each "
		    "profile as a file of its own (they are merged)");
	return on_record(r, b, e);
}

static int
read_lines(struct rd *r)
{
	enum { HEADER, ATTRIBUTES, RECORDS } state = HEADER;
	char *s;
	size_t n;
	int rc;

	while ((rc = lines_next(r->lines, &s, &n, r->d)) > 0) {
		const char *b = s, *e = s + n;

		r->lineno = lines_number(r->lines);
		if (memchr(s, '\0', n) != NULL)
			return fail(r, r->lineno, "a NUL byte: this is not a "
			    "text profile");
		trim(&b, &e);
		if (state == HEADER) {
			if (b == e || (*b == '#' && !is_symbol_line(b, e)))
				continue;
			if (on_header(r, b, e) != 0)
				return -1;
			if (r->kind == KIND_CONTENTION) {
				state = ATTRIBUTES;
				continue;
			}
			if (set_header(r) != 0)
				return -1;
			state = RECORDS;
			continue;
		}
		if (state == ATTRIBUTES) {
			if (b == e || *b == '#')
				continue;
			if (has_prefix(b, e, "---") || is_map_sentinel(b, e))
				break;
			if (memchr(b, '=', (size_t)(e - b)) != NULL) {
				if (on_attribute(r, b, e) != 0)
					return -1;
				continue;
			}
			if (set_header(r) != 0)
				return -1;
			state = RECORDS;
		}
		if ((rc = on_line(r, b, e)) < 0)
			return -1;
		if (rc > 0)
			break;
	}
	if (rc < 0)
		return -1;
	if (state == HEADER)
		return fail(r, 0, "not a Go text profile: no header line (the "
		    "input is empty or holds only comments)");
	if (!r->header_set && set_header(r) != 0)
		return -1;
	return end_record(r);
}

int
legacy_read(struct prof *p, struct input *in, struct diag *d)
{
	struct rd r;
	int rc = -1;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.d = d;
	r.name = input_name(in);
	r.cur = NO_ADDR;
	r.use_fma = cpu_fma();
	r.capat = strlen(r.name) + 24;
	if (prof_begin_input(p, r.name, d) != 0)
		return -1;
	if ((r.lines = lines_new(in,
	    lines_max_for(p->limits.max_string))) == NULL ||
	    (r.at = malloc(r.capat)) == NULL) {
		diag_nomem(d);
		goto out;
	}
	if (read_lines(&r) == 0)
		rc = prof_end_input(p, d);
out:
	lines_free(r.lines);
	hmap64_free(&r.func_index);
	hmap_free(&r.loc_index);
	free(r.addrs);
	free(r.frames);
	free(r.labels);
	free(r.lbuf);
	free(r.locbuf);
	free(r.sbuf);
	free(r.at);
	return rc;
}
