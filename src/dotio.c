/*
 * dotio: escaped names and attribute helpers over cgraph.  See dotio.h.
 */
#include "dotio.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

void
dotio_buf_free(struct dotio_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
dotio_buf_reset(struct dotio_buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

int
dotio_buf_add(struct dotio_buf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX - b->len - 1 ||
	    mem_reserve(&b->s, &b->cap, b->len + n + 1, 1) != 0)
		return -1;
	if (n > 0)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
dotio_buf_addf(struct dotio_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || mem_reserve(&b->s, &b->cap, b->len + (size_t)n + 1,
	    1) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

bool
dotio_valid_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if ((k = utf8_seq(u + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

int
dotio_encode(struct dotio_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;

	while (i < n) {
		size_t k;

		/* Copy the longest stretch that needs no escaping. */
		for (run = i; run < n; run += k) {
			if (u[run] < 0x20 || u[run] == 0x7f || u[run] == '\\')
				break;
			if ((k = utf8_seq(u + run, n - run)) == 0)
				break;
		}
		if (run > i && dotio_buf_add(b, s + i, run - i) != 0)
			return -1;
		if (run == n)
			break;
		if (u[run] == '\\') {
			if (dotio_buf_add(b, "\\\\", 2) != 0)
				return -1;
		} else if (dotio_buf_addf(b, "\\x%02x", u[run]) != 0) {
			return -1;
		}
		i = run + 1;
	}
	return dotio_buf_add(b, "", 0);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
dotio_decode(struct dotio_buf *b, const char *s)
{
	while (*s != '\0') {
		const char *bs = strchr(s, '\\');
		size_t n = bs != NULL ? (size_t)(bs - s) : strlen(s);

		if (dotio_buf_add(b, s, n) != 0)
			return -1;
		s += n;
		if (*s == '\0')
			break;
		/* s is at a backslash. */
		if (s[1] == '\\') {
			if (dotio_buf_add(b, "\\", 1) != 0)
				return -1;
			s += 2;
		} else if (s[1] == 'x' && hexval(s[2]) >= 0 &&
		    hexval(s[3]) >= 0) {
			char c = (char)(hexval(s[2]) << 4 | hexval(s[3]));

			if (dotio_buf_add(b, &c, 1) != 0)
				return -1;
			s += 4;
		} else {
			/* Not our escape: keep it as written. */
			if (dotio_buf_add(b, s, 1) != 0)
				return -1;
			s++;
		}
	}
	return dotio_buf_add(b, "", 0);
}

int
dotio_set(void *obj, const char *name, const char *value)
{
	Agraph_t *root = agroot(obj);
	int kind = agobjkind(obj);
	Agsym_t *sym = agattr(root, kind, (char *)name, NULL);

	if (sym == NULL &&
	    (sym = agattr(root, kind, (char *)name, "")) == NULL)
		return -1;
	return agxset(obj, sym, (char *)value);
}

int
dotio_set_int(void *obj, const char *name, int64_t v)
{
	return dotio_xset_int(obj, dotio_sym(agroot(obj), agobjkind(obj), name,
	    true), v);
}

int
dotio_set_double(void *obj, const char *name, double v)
{
	char buf[40];
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof buf, "%.17g", v);
	return dotio_set(obj, name, buf);
}

Agsym_t *
dotio_sym(Agraph_t *g, int kind, const char *name, bool create)
{
	Agraph_t *root = agroot(g);
	Agsym_t *sym = agattr(root, kind, (char *)name, NULL);

	if (sym == NULL && create)
		sym = agattr(root, kind, (char *)name, "");
	return sym;
}

int
dotio_xset(void *obj, Agsym_t *sym, const char *value)
{
	return sym == NULL ? -1 : agxset(obj, sym, (char *)value);
}

int
dotio_xset_int(void *obj, Agsym_t *sym, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return dotio_xset(obj, sym, p);
}

const char *
dotio_xget(void *obj, Agsym_t *sym)
{
	const char *v;

	if (sym == NULL)
		return NULL;
	v = agxget(obj, sym);
	return v != NULL && *v != '\0' ? v : NULL;
}

static int
parse_int(const char *s, int64_t *v)
{
	char *end;
	long long n;

	if (s == NULL)
		return 0;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*v = n;
	return 1;
}

int
dotio_xget_int(void *obj, Agsym_t *sym, int64_t *v)
{
	return parse_int(dotio_xget(obj, sym), v);
}

const char *
dotio_get(void *obj, const char *name)
{
	Agsym_t *sym = agattr(agroot(obj), agobjkind(obj), (char *)name,
	    NULL);
	const char *v;

	if (sym == NULL)
		return NULL;
	v = agxget(obj, sym);
	return v != NULL && *v != '\0' ? v : NULL;
}

int
dotio_get_int(void *obj, const char *name, int64_t *v)
{
	return parse_int(dotio_get(obj, name), v);
}

/* Longest piece of a quoted string written in one go. */
#define PIECE_MAX 8192

/*
 * cgraph hands each quoted string to putstr whole, quotes included.
 * A long one is cut into pieces joined by DOT's '+', never right after
 * a backslash (which would split an escape or a line continuation) nor
 * inside a UTF-8 sequence.
 */
static int
split_putstr(void *chan, const char *str)
{
	FILE *f = chan;
	size_t n = strlen(str), i, end, first = 1, stop;

	if (n <= PIECE_MAX || str[0] == '<')
		return fputs(str, f) == EOF ? EOF : 0;
	if (str[0] == '"' && str[n - 1] == '"') {
		stop = n - 1;	/* between the quotes */
	} else {
		/* A long unquoted ID (letters, digits, _): quote it too. */
		first = 0;
		stop = n;
	}
	for (i = first; i < stop; i = end) {
		end = i + PIECE_MAX < stop ? i + PIECE_MAX : stop;
		while (end < stop && end > i + 1 &&
		    (str[end - 1] == '\\' ||
		    ((unsigned char)str[end] & 0xc0) == 0x80))
			end--;
		if (fputs(i == first ? "\"" : " + \"", f) == EOF ||
		    fwrite(str + i, 1, end - i, f) != end - i ||
		    fputc('"', f) == EOF)
			return EOF;
	}
	return 0;
}

static Agiodisc_t split_io = { NULL, split_putstr, NULL };

Agdisc_t dotio_disc = { NULL, NULL, &split_io };

/* The rest of the discipline is cgraph's own, filled in on first use. */
static void
init_disc(void)
{
	if (dotio_disc.mem == NULL) {
		dotio_disc.mem = &AgMemDisc;
		dotio_disc.id = &AgIdDisc;
		split_io.afread = AgIoDisc.afread;
		split_io.flush = AgIoDisc.flush;
	}
}

bool
dotio_anonymous(const char *name)
{
	return name != NULL && name[0] == '%';
}

Agraph_t *
dotio_open(const char *name)
{
	init_disc();
	/* Opened by its "%N" name, an anonymous graph would be a named
	 * one whose internal map entry agclose leaks. */
	if (dotio_anonymous(name))
		name = NULL;
	return agopen((char *)name, Agdirected, &dotio_disc);
}

Agraph_t *
dotio_read(FILE *f)
{
	init_disc();
	return agread(f, &dotio_disc);
}

int
dotio_write(Agraph_t *g, FILE *f, const char *name, struct diag *d)
{
	int before = agerrors();

	if (agwrite(g, f) != 0 || agerrors() != before) {
		diag_set(d, "%s: cannot write the graph", name);
		return -1;
	}
	if (fflush(f) != 0 || ferror(f)) {
		diag_set(d, "%s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Reading streams of graphs. */

/* cgraph hands its messages over in pieces: collect them. */
static char err_buf[1024];
static size_t err_len;

static int
collect_err(char *s)
{
	size_t n = strlen(s);

	if (n > sizeof err_buf - 1 - err_len)
		n = sizeof err_buf - 1 - err_len;
	memcpy(err_buf + err_len, s, n);
	err_len += n;
	err_buf[err_len] = '\0';
	return 0;
}

int
dotio_in_open(struct dotio_in *in, const char *path, struct diag *d)
{
	memset(in, 0, sizeof *in);
	if (strcmp(path, "-") == 0) {
		in->name = "<stdin>";
		in->f = stdin;
		return 0;
	}
	in->name = path;
	if ((in->f = fopen(path, "r")) == NULL) {
		diag_set(d, "%s: %s", path, strerror(errno));
		return -1;
	}
	in->own = true;
	return 0;
}

/* cgraph counts lines from agsetfile on: once per file. */
static void
start_file(struct dotio_in *in)
{
	if (!in->started) {
		agsetfile((char *)in->name);
		in->started = true;
	}
}

void
dotio_in_close(struct dotio_in *in)
{
	if (in->own && in->f != NULL)
		fclose(in->f);
	in->f = NULL;
}

/*
 * Turn "Error: NAME: syntax error in line N near 'x'" into
 * "NAME:N: syntax error near 'x'".
 */
static void
syntax_error(const struct dotio_in *in, struct diag *d)
{
	const char *m = strstr(err_buf, "syntax error in line ");
	char *end;
	size_t n;

	n = strcspn(err_buf, "\n");
	err_buf[n] = '\0';
	if (m != NULL) {
		long line = strtol(m + 21, &end, 10);

		diag_set(d, "%s:%ld: syntax error%s", in->name, line, end);
		return;
	}
	m = err_buf;
	if (strncmp(m, "Error: ", 7) == 0)
		m += 7;
	diag_set(d, "%s: %s", in->name, *m != '\0' ? m : "cannot read the "
	    "graph");
}

int
dotio_in_next(struct dotio_in *in, Agraph_t **g, struct diag *d)
{
	int before = agerrors();
	agusererrf old;

	*g = NULL;
	if (in->done)
		return 0;
	init_disc();
	err_len = 0;
	err_buf[0] = '\0';
	old = agseterrf(collect_err);
	start_file(in);
	*g = agread(in->f, &dotio_disc);
	agseterrf(old);
	if (*g == NULL) {
		in->done = true;
		if (agerrors() != before) {
			syntax_error(in, d);
			return -1;
		}
		if (ferror(in->f)) {
			diag_set(d, "%s: %s", in->name, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (agerrors() != before) {
		syntax_error(in, d);
		agclose(*g);
		*g = NULL;
		in->done = true;
		return -1;
	}
	return 1;
}

int
dotio_each(const char *path, dotio_graph_fn *fn, void *ctx, FILE *out,
    const char *outname, struct diag *d)
{
	struct dotio_in in;
	Agraph_t *g;
	int r;

	if (dotio_in_open(&in, path, d) != 0)
		return -1;
	while ((r = dotio_in_next(&in, &g, d)) > 0) {
		if (fn(ctx, g, &in, d) != 0) {
			diag_prefix(d, in.name);
			r = -1;
		} else if (dotio_write(g, out, outname, d) != 0) {
			r = -1;
		}
		agclose(g);
		if (r < 0)
			break;
	}
	dotio_in_close(&in);
	return r < 0 ? -1 : 0;
}
