/*
 * style: visual attributes from data attributes.  See style.h.
 */
#include "style.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "dotio.h"
#include "marks.h"
#include "mem.h"
#include "retention.h"
#include "rx.h"
#include "units.h"

#define LEGEND_CLUSTER "cluster_legend"
#define LABEL_NAME_MAX 200	/* bytes of a name shown in a label */
#define LEGEND_HELP "\\lSee pprof2graph(1) for how to read the graph\\l"
#define LEGEND_KEY_DIFF "Red: grew, green: shrank; double border: added, " \
	"dashed grey: removed"
#define LEGEND_KEY_TREND "Red: grew, green: shrank; thick border: growing " \
	"or shrinking throughout; double border: new, dashed grey: gone"
#define GREY_LINE "#c8c8c8"	/* context (--highlight-depth) */
#define GREY_GONE "#a0a0a0"	/* removed */
#define GREY_TEXT "#909090"
#define LEGEND_HELP_DIFF "\\lSee graphdiff(1) for how to read the graph\\l"

static const char *const scheme_names[] = {
	"pprof", "none", "diff", "retention",
};

/* Visual attributes this module owns; "none" removes them. */
static const char *const node_visuals[] = {
	"label", "fontsize", "shape", "tooltip", "color", "fillcolor",
	"style", "peripheries", "fontcolor", "penwidth", NULL,
};
static const char *const edge_visuals[] = {
	"label", "weight", "penwidth", "color", "tooltip", "labeltooltip",
	"style", "minlen", NULL,
};

int
style_scheme_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof scheme_names / sizeof *scheme_names; i++)
		if (strcmp(name, scheme_names[i]) == 0)
			return (int)i;
	return -1;
}

void
style_color(char buf[8], double score, bool bg)
{
	const double shift = 0.7;
	double sat = bg ? 0.1 : 1.0, val = bg ? 0.93 : 0.7;
	double r, g, b;

	if (isnan(score))
		score = 0;
	score = fmax(-1.0, fmin(1.0, score));
	if (fabs(score) < 0.2)
		sat *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 1.0 - shift);
	if (score < 0.0)
		score = -pow(-score, 1.0 - shift);
	if (score < 0.0) {
		g = val;
		r = val * (1 + sat * score);
	} else {
		r = val;
		g = val * (1 - sat * score);
	}
	b = val * (1 - sat);
	snprintf(buf, 8, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0),
	    (unsigned)(uint8_t)(g * 255.0), (unsigned)(uint8_t)(b * 255.0));
}

/* ---------------------------------------------------------------- */
/* Names. */

/*
 * pprof's ShortenFunctionName: drop a C++ anonymous namespace prefix
 * and a Go module version, then keep what the Go, Java or C++ pattern
 * says is the short name.
 */
static const char *const short_patterns[] = {
	/* Go: drop the package path. */
	"^(?:[\\w\\-\\.]+\\/)+(.+)",
	/* Java: drop the package and the argument list. */
	"^(?:[a-z]\\w*\\.)*([A-Z][\\w\\$]*\\.(?:<init>|[a-z][\\w\\$]*"
	    "(?:\\$\\d+)?))(?:(?:\\()|$)",
	/* C++: drop namespaces, keep Class::method<templates>. */
	"^(?:[_a-zA-Z]\\w*::)+(_*[A-Z]\\w*::~?[_a-zA-Z]\\w*(?:<.*>)?)",
};

struct shortener {
	struct rx *anon, *gover, *pat[3];
};

static void
shortener_free(struct shortener *s)
{
	size_t i;

	rx_free(s->anon);
	rx_free(s->gover);
	for (i = 0; i < 3; i++)
		rx_free(s->pat[i]);
}

static int
shortener_init(struct shortener *s, struct diag *d)
{
	size_t i;

	memset(s, 0, sizeof *s);
	s->anon = rx_new("^\\(anonymous namespace\\)::", RX_DOLLAR_ENDONLY, d);
	s->gover = rx_new("^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$",
	    RX_DOLLAR_ENDONLY, d);
	for (i = 0; i < 3; i++)
		s->pat[i] = rx_new(short_patterns[i], RX_DOLLAR_ENDONLY, d);
	if (s->anon == NULL || s->gover == NULL || s->pat[0] == NULL ||
	    s->pat[1] == NULL || s->pat[2] == NULL) {
		shortener_free(s);
		return -1;
	}
	return 0;
}

/*
 * Names past this length are shown as they are: pprof's patterns can
 * backtrack for a long time on them, and nobody reads a 64 kB label.
 */
#define SHORTEN_MAX 4096

static int
shorten(const struct shortener *s, const char *name, size_t n,
    struct dotio_buf *out, struct diag *d)
{
	struct dotio_buf tmp = { NULL, 0, 0 };
	size_t g[6], i;
	int r;

	dotio_buf_reset(out);
	if (n > SHORTEN_MAX)
		return dotio_buf_add(out, name, n);
	if ((r = rx_match(s->anon, name, n, g, 1, d)) < 0)
		return -1;
	if (r > 0) {
		name += g[1];
		n -= g[1];
	}
	if ((r = rx_match(s->gover, name, n, g, 3, d)) < 0)
		return -1;
	if (r > 0) {
		if (dotio_buf_add(&tmp, name + g[2], g[3] - g[2]) != 0 ||
		    dotio_buf_add(&tmp, name + g[4], g[5] - g[4]) != 0) {
			dotio_buf_free(&tmp);
			diag_nomem(d);
			return -1;
		}
		name = tmp.s;
		n = tmp.len;
	}
	for (i = 0; i < 3; i++) {
		if ((r = rx_match(s->pat[i], name, n, g, 2, d)) < 0) {
			dotio_buf_free(&tmp);
			return -1;
		}
		if (r > 0 && g[2] != SIZE_MAX) {
			r = dotio_buf_add(out, name + g[2], g[3] - g[2]);
			dotio_buf_free(&tmp);
			return r;
		}
		if (r > 0) {
			dotio_buf_free(&tmp);
			return dotio_buf_add(out, "", 0);
		}
	}
	r = dotio_buf_add(out, name, n);
	dotio_buf_free(&tmp);
	return r;
}

int
style_short_name(const char *name, char *out, size_t n, struct diag *d)
{
	struct shortener s;
	struct dotio_buf b = { NULL, 0, 0 };
	int r;

	if (shortener_init(&s, d) != 0)
		return -1;
	r = shorten(&s, name, strlen(name), &b, d);
	if (r == 0)
		snprintf(out, n, "%s", b.s != NULL ? b.s : "");
	dotio_buf_free(&b);
	shortener_free(&s);
	return r;
}

/*
 * Append raw bytes as text for a Graphviz escString (label, tooltip):
 * a backslash is doubled so Graphviz shows it instead of reading an
 * escape, a newline becomes "\l" (pprof's choice), a tab a space, other
 * control bytes and bytes that are not UTF-8 become U+FFFD.  With max > 0 at most
 * max bytes of s are shown, then "…".
 */
static int
add_text(struct dotio_buf *b, const char *s, size_t n, size_t max)
{
	static const char repl[] = "\xef\xbf\xbd";
	size_t i = 0;
	bool cut = false;

	if (max > 0 && n > max) {
		n = max;
		cut = true;
	}
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = 1;

		if (c == '\\') {
			if (dotio_buf_add(b, "\\\\", 2) != 0)
				return -1;
		} else if (c == '\n') {
			if (dotio_buf_add(b, "\\l", 2) != 0)
				return -1;
		} else if (c == '\t') {
			if (dotio_buf_add(b, " ", 1) != 0)
				return -1;
		} else if (c < 0x20 || c == 0x7f) {
			if (dotio_buf_add(b, repl, 3) != 0)
				return -1;
		} else if (c < 0x80) {
			if (dotio_buf_add(b, s + i, 1) != 0)
				return -1;
		} else {
			for (k = 2; k <= 4 && i + k <= n; k++)
				if (dotio_valid_utf8(s + i, k))
					break;
			if (k > 4 || i + k > n) {
				/* A sequence cut by max is dropped. */
				if (cut && n - i < 4)
					break;
				k = 1;
				if (dotio_buf_add(b, repl, 3) != 0)
					return -1;
			} else if (dotio_buf_add(b, s + i, k) != 0) {
				return -1;
			}
		}
		i += k;
	}
	if (cut && dotio_buf_add(b, "\xe2\x80\xa6", 3) != 0)
		return -1;
	return 0;
}

/* Replace every occurrence of from by to in b (from is not empty). */
static int
replace_all(struct dotio_buf *b, const char *from, const char *to)
{
	struct dotio_buf out = { NULL, 0, 0 };
	size_t fl = strlen(from), i = 0;
	const char *hit;

	if (b->s == NULL || strstr(b->s, from) == NULL)
		return 0;
	while ((hit = strstr(b->s + i, from)) != NULL) {
		if (dotio_buf_add(&out, b->s + i, (size_t)(hit - b->s) - i) ||
		    dotio_buf_add(&out, to, strlen(to))) {
			dotio_buf_free(&out);
			return -1;
		}
		i = (size_t)(hit - b->s) + fl;
	}
	if (dotio_buf_add(&out, b->s + i, b->len - i) != 0) {
		dotio_buf_free(&out);
		return -1;
	}
	dotio_buf_free(b);
	*b = out;
	return 0;
}

/* The last path element (a trailing slash is kept, as it is rare). */
static void
base_of(const char *p, const char **bp)
{
	const char *slash = strrchr(p, '/');

	*bp = slash != NULL && slash[1] != '\0' ? slash + 1 : p;
}

/* ---------------------------------------------------------------- */
/* The pprof scheme. */

/* Attribute symbols, looked up once per graph. */
struct syms {
	Agsym_t *cum, *flat, *func, *file, *line, *address;
	/* graphdiff's: absent elsewhere */
	Agsym_t *bcum, *diff, *trend, *grew, *slope, *context, *ediff;
	Agsym_t *peripheries, *fontcolor, *npenwidth, *nstyle;
	Agsym_t *vcum, *vflat, *evcum;	/* the values shown: delta_* if any */
	Agsym_t *label, *fontsize, *shape, *tooltip, *color, *fillcolor;
	Agsym_t *ecum, *einline, *eresidual;
	Agsym_t *elabel, *eweight, *epenwidth, *ecolor, *etooltip,
	    *elabeltooltip, *estyle;
	Agsym_t *cls, *sus;	/* classes and marks: absent elsewhere */
};

/*
 * The visual attributes (node_visuals or edge_visuals) a graph has, and
 * which of them styling the current object set.  Restyling sets only
 * what changes and then puts back the default of what it did not set,
 * instead of resetting everything first: a graph styled before (every
 * graph pprof2graph writes) mostly keeps its strings.
 */
struct visuals {
	Agsym_t *sym[16];
	size_t n;
	unsigned touched;	/* bit i: sym[i] set for this object */
};

struct ctx {
	Agraph_t *g;
	struct diag *d;
	struct syms s;
	struct shortener sh;
	char unit[64];		/* the profile's unit, lower-case */
	char out_unit[64];	/* the unit labels are scaled to */
	int64_t total;
	bool gd;		/* graphdiff's diff or trend: its look */
	int64_t scale_total;	/* the larger |total| of a graphdiff diff */
	int64_t snapshots;
	struct retention *ret;	/* the retention scheme's, when drawn */
	struct dotio_buf a, b, c;	/* scratch */
	struct visuals nv, ev;	/* data nodes' and edges' visuals */
};

static void
fmt_value(const struct ctx *x, char *buf, size_t n, int64_t v)
{
	units_scaled_label(buf, n, v, x->unit, x->out_unit);
}

/* A node with a cum value is a data node; its shown values. */
static bool
data_node(const struct ctx *x, Agnode_t *n, int64_t *flat, int64_t *cum)
{
	if (dotio_xget(n, x->s.cum) == NULL)
		return false;
	if (dotio_xget_int(n, x->s.vcum, cum) != 1)
		*cum = 0;
	if (dotio_xget_int(n, x->s.vflat, flat) != 1)
		*flat = 0;
	return true;
}

static void
visuals_init(struct visuals *v, Agraph_t *g, int kind,
    const char *const *names)
{
	size_t i;

	v->n = 0;
	v->touched = 0;
	for (i = 0; names[i] != NULL && v->n < 16; i++)
		if ((v->sym[v->n] = agattr(g, kind, (char *)names[i],
		    NULL)) != NULL)
			v->n++;
}

/* Set a visual attribute of a data node or edge, when it changes. */
static int
vset(struct ctx *x, void *obj, Agsym_t *sym, const char *value)
{
	struct visuals *v = AGTYPE(obj) == AGNODE ? &x->nv : &x->ev;
	const char *cur;
	size_t i;

	if (sym == NULL)
		return -1;
	for (i = 0; i < v->n; i++)
		if (v->sym[i] == sym) {
			v->touched |= 1u << i;
			break;
		}
	cur = agxget(obj, sym);
	if (cur != NULL && strcmp(cur, value) == 0)
		return 0;
	return agxset(obj, sym, (char *)value);
}

static int
vset_int(struct ctx *x, void *obj, Agsym_t *sym, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	return vset(x, obj, sym, buf);
}

/* The visuals styling obj did not set go back to their defaults. */
static int
vfinish(struct ctx *x, void *obj)
{
	struct visuals *v = AGTYPE(obj) == AGNODE ? &x->nv : &x->ev;
	size_t i;
	int rc = 0;

	for (i = 0; i < v->n; i++)
		if (!(v->touched & (1u << i)) &&
		    strcmp(agxget(obj, v->sym[i]), v->sym[i]->defval) != 0 &&
		    agxset(obj, v->sym[i], v->sym[i]->defval) != 0)
			rc = -1;
	v->touched = 0;
	return rc;
}

static int
syms_init(struct ctx *x)
{
	Agraph_t *g = x->g;
	struct syms *s = &x->s;

	/* What is read may be absent; what is written is declared. */
	s->cum = dotio_sym(g, AGNODE, "cum", false);
	s->flat = dotio_sym(g, AGNODE, "flat", false);
	s->func = dotio_sym(g, AGNODE, "func", false);
	s->file = dotio_sym(g, AGNODE, "file", false);
	s->line = dotio_sym(g, AGNODE, "line", false);
	s->address = dotio_sym(g, AGNODE, "address", false);
	s->ecum = dotio_sym(g, AGEDGE, "cum", false);
	/* A diff shows what changed, as pprof does with -base. */
	s->vcum = dotio_sym(g, AGNODE, "delta_cum", false);
	s->vflat = dotio_sym(g, AGNODE, "delta_flat", false);
	s->evcum = dotio_sym(g, AGEDGE, "delta_cum", false);
	if (s->vcum == NULL || s->vflat == NULL) {
		s->vcum = s->cum;
		s->vflat = s->flat;
	}
	if (s->evcum == NULL)
		s->evcum = s->ecum;
	s->einline = dotio_sym(g, AGEDGE, "inline", false);
	s->bcum = dotio_sym(g, AGNODE, "base_cum", false);
	s->diff = dotio_sym(g, AGNODE, "diff", false);
	s->trend = dotio_sym(g, AGNODE, "trend", false);
	s->grew = dotio_sym(g, AGNODE, "grew", false);
	s->slope = dotio_sym(g, AGNODE, "slope", false);
	s->context = dotio_sym(g, AGNODE, "context", false);
	s->ediff = dotio_sym(g, AGEDGE, "diff", false);
	s->eresidual = dotio_sym(g, AGEDGE, "residual", false);
	return (s->label = dotio_sym(g, AGNODE, "label", true)) == NULL ||
	    (s->fontsize = dotio_sym(g, AGNODE, "fontsize", true)) == NULL ||
	    (s->shape = dotio_sym(g, AGNODE, "shape", true)) == NULL ||
	    (s->tooltip = dotio_sym(g, AGNODE, "tooltip", true)) == NULL ||
	    (s->color = dotio_sym(g, AGNODE, "color", true)) == NULL ||
	    (s->fillcolor = dotio_sym(g, AGNODE, "fillcolor", true)) == NULL ||
	    (s->elabel = dotio_sym(g, AGEDGE, "label", true)) == NULL ||
	    (s->eweight = dotio_sym(g, AGEDGE, "weight", true)) == NULL ||
	    (s->epenwidth = dotio_sym(g, AGEDGE, "penwidth", true)) == NULL ||
	    (s->ecolor = dotio_sym(g, AGEDGE, "color", true)) == NULL ||
	    (s->etooltip = dotio_sym(g, AGEDGE, "tooltip", true)) == NULL ||
	    (s->elabeltooltip = dotio_sym(g, AGEDGE, "labeltooltip",
	    true)) == NULL ||
	    (s->estyle = dotio_sym(g, AGEDGE, "style", true)) == NULL ? -1 : 0;
}

/* The symbols only graphdiff's look writes. */
static int
syms_init_diff(struct ctx *x)
{
	struct syms *s = &x->s;

	return (s->peripheries = dotio_sym(x->g, AGNODE, "peripheries",
	    true)) == NULL ||
	    (s->fontcolor = dotio_sym(x->g, AGNODE, "fontcolor", true)) ==
	    NULL ||
	    (s->npenwidth = dotio_sym(x->g, AGNODE, "penwidth", true)) ==
	    NULL ||
	    (s->nstyle = dotio_sym(x->g, AGNODE, "style", true)) == NULL ?
	    -1 : 0;
}

static int64_t
abs64(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

/* pprof's selectOutputUnit. */
static void
select_unit(struct ctx *x, int64_t min_value)
{
	const char *min_unit, *max_unit, *u;
	int64_t max_value = x->total;

	if (min_value == 0)
		min_value = max_value;
	units_scale(min_value, x->unit, "minimum", &min_unit);
	units_scale(max_value, x->unit, "minimum", &max_unit);
	u = min_unit;
	if (strcmp(min_unit, max_unit) != 0 &&
	    (int64_t)((uint64_t)min_value * 100) < max_value)
		units_scale((int64_t)((uint64_t)min_value * 100), x->unit,
		    "minimum", &u);
	snprintf(x->out_unit, sizeof x->out_unit, "%s",
	    *u != '\0' ? u : x->unit);
}

/* pprof's multilinePrintableName, from the node's data attributes. */
static int
node_name_lines(struct ctx *x, Agnode_t *n, struct dotio_buf *out)
{
	const char *func = dotio_xget(n, x->s.func);
	const char *file = dotio_xget(n, x->s.file);
	const char *addr = dotio_xget(n, x->s.address);
	int64_t line = 0;
	bool have_line = dotio_xget_int(n, x->s.line, &line) == 1 && line != 0;
	struct dotio_buf *raw = &x->a, *sh = &x->b;

	dotio_buf_reset(out);
	if (addr != NULL) {
		uint64_t a = strtoull(addr, NULL, 0);

		if (dotio_buf_addf(out, "%016" PRIx64 "\\n", a) != 0)
			return -1;
	}
	if (func != NULL) {
		dotio_buf_reset(raw);
		if (dotio_decode(raw, func) != 0 ||
		    shorten(&x->sh, raw->s, raw->len, sh, x->d) != 0)
			return -1;
		dotio_buf_reset(raw);
		if (add_text(raw, sh->s, sh->len, LABEL_NAME_MAX) != 0 ||
		    replace_all(raw, "::", "\\n") != 0 ||
		    replace_all(raw, "[...]", "[\xe2\x80\xa6]") != 0 ||
		    replace_all(raw, ".", "\\n") != 0 ||
		    dotio_buf_add(out, raw->s, raw->len) != 0 ||
		    dotio_buf_add(out, "\\n", 2) != 0)
			return -1;
	}
	if (file != NULL) {
		const char *bp;

		dotio_buf_reset(raw);
		if (dotio_decode(raw, file) != 0)
			return -1;
		base_of(raw->s, &bp);
		if (add_text(out, bp, strlen(bp), LABEL_NAME_MAX) != 0 ||
		    (have_line && dotio_buf_addf(out, ":%" PRId64, line)) ||
		    dotio_buf_add(out, "\\n", 2) != 0)
			return -1;
	} else if (func == NULL) {
		/* [binary] or <unknown>: the node's own name says it. */
		dotio_buf_reset(raw);
		if (dotio_decode(raw, agnameof(n)) != 0 ||
		    add_text(out, raw->s, raw->len, LABEL_NAME_MAX) != 0 ||
		    dotio_buf_add(out, "\\n", 2) != 0)
			return -1;
	}
	return 0;
}

static int
style_node(struct ctx *x, Agnode_t *n, int64_t flat, int64_t cum,
    int64_t max_flat)
{
	char fv[64], cv[64], pct[32], col[8];
	struct dotio_buf *label = &x->c;
	int fontsize = 8;
	double score;

	if (node_name_lines(x, n, label) != 0)
		return -1;
	fmt_value(x, fv, sizeof fv, flat);
	if (flat != 0) {
		units_percentage(pct, sizeof pct, flat, x->total);
		if (dotio_buf_addf(label, "%s (%s)", fv, pct) != 0)
			return -1;
	} else if (dotio_buf_add(label, "0", 1) != 0) {
		return -1;
	}
	snprintf(cv, sizeof cv, "%s", fv);
	if (cum != flat) {
		fmt_value(x, cv, sizeof cv, cum);
		units_percentage(pct, sizeof pct, cum, x->total);
		if (dotio_buf_addf(label, "%sof %s (%s)",
		    flat != 0 ? "\\n" : " ", cv, pct) != 0)
			return -1;
	}
	if (max_flat != 0 && flat != 0 && abs64(flat) <= max_flat)
		fontsize += (int)ceil(16.0 * sqrt((double)abs64(flat) /
		    (double)max_flat));
	if (vset(x, n, x->s.label, label->s) != 0 ||
	    vset_int(x, n, x->s.fontsize, fontsize) != 0 ||
	    vset(x, n, x->s.shape, "box") != 0)
		return -1;
	/* tooltip: the full name and cum */
	dotio_buf_reset(&x->a);
	dotio_buf_reset(label);
	if (dotio_decode(&x->a, agnameof(n)) != 0 ||
	    add_text(label, x->a.s, x->a.len, 0) != 0 ||
	    dotio_buf_addf(label, " (%s)", cv) != 0 ||
	    vset(x, n, x->s.tooltip, label->s) != 0)
		return -1;
	score = (double)cum / (double)abs64(x->total);
	style_color(col, score, false);
	if (vset(x, n, x->s.color, col) != 0)
		return -1;
	style_color(col, score, true);
	return vset(x, n, x->s.fillcolor, col);
}

/* A value with its sign: "+1.50MB", "-20kB", "0". */
static void
fmt_signed(const struct ctx *x, char *buf, size_t n, int64_t v)
{
	fmt_value(x, buf + 1, n - 1, v);
	if (v > 0)
		buf[0] = '+';
	else
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
}

/* A node graphdiff shows for context only (--highlight-depth). */
static bool
is_context(const struct ctx *x, Agnode_t *n)
{
	const char *c = dotio_xget(n, x->s.context);

	return c != NULL && strcmp(c, "true") == 0;
}

static int
style_edge(struct ctx *x, Agedge_t *e)
{
	int64_t w = 0, weight, width;
	char wv[64], col[8];
	const char *res = dotio_xget(e, x->s.eresidual);
	const char *inl = dotio_xget(e, x->s.einline);
	bool residual = res != NULL && strcmp(res, "true") == 0;
	struct dotio_buf *t = &x->c;
	int64_t total = x->gd ? x->scale_total : x->total;

	if (dotio_xget_int(e, x->s.evcum, &w) != 1)
		return 0;
	if (x->gd)
		fmt_signed(x, wv, sizeof wv, w);
	else
		fmt_value(x, wv, sizeof wv, w);
	dotio_buf_reset(t);
	if (dotio_buf_addf(t, " %s%s", wv, inl != NULL &&
	    strcmp(inl, "true") == 0 ? "\\n (inline)" : "") != 0 ||
	    vset(x, e, x->s.elabel, t->s) != 0)
		return -1;
	if (total != 0) {
		/* Integer arithmetic as pprof's (wrapping on overflow). */
		int64_t q = (int64_t)((uint64_t)w * 100) / total;

		weight = 1 + (abs64(q) < 100 ? abs64(q) : 100);
		q = (int64_t)((uint64_t)w * 5) / total;
		width = 1 + (abs64(q) < 5 ? abs64(q) : 5);
		if (weight > 1 && vset_int(x, e, x->s.eweight, weight) != 0)
			return -1;
		if (width > 1 && vset_int(x, e, x->s.epenwidth, width) != 0)
			return -1;
		style_color(col, (double)w / (double)abs64(total), false);
		if (vset(x, e, x->s.ecolor, col) != 0)
			return -1;
	}
	dotio_buf_reset(t);
	dotio_buf_reset(&x->a);
	if (dotio_decode(&x->a, agnameof(agtail(e))) != 0 ||
	    add_text(t, x->a.s, x->a.len, 0) != 0 ||
	    dotio_buf_addf(t, " %s ", residual ? "..." : "->") != 0)
		return -1;
	dotio_buf_reset(&x->a);
	if (dotio_decode(&x->a, agnameof(aghead(e))) != 0 ||
	    add_text(t, x->a.s, x->a.len, 0) != 0 ||
	    dotio_buf_addf(t, " (%s)", wv) != 0 ||
	    vset(x, e, x->s.etooltip, t->s) != 0 ||
	    vset(x, e, x->s.elabeltooltip, t->s) != 0)
		return -1;
	if (residual && vset(x, e, x->s.estyle, "dotted") != 0)
		return -1;
	if (x->ret != NULL) {
		retention_color(col, retention_edge(x->ret, e), false);
		if (vset(x, e, x->s.ecolor, col) != 0)
			return -1;
	}
	if (x->gd) {
		const char *c = dotio_xget(e, x->s.ediff);

		if (is_context(x, agtail(e)) || is_context(x, aghead(e))) {
			if (vset(x, e, x->s.ecolor, GREY_LINE) != 0)
				return -1;
		} else if (c != NULL && strcmp(c, "removed") == 0) {
			if (vset(x, e, x->s.ecolor, GREY_GONE) != 0 ||
			    (!residual && vset(x, e, x->s.estyle,
			    "dashed") != 0))
				return -1;
		} else if (c != NULL && strcmp(c, "added") == 0 && !residual &&
		    vset(x, e, x->s.estyle, "bold") != 0) {
			return -1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* graphdiff's look. */


/* The change from b to v relative to b: "+25%", "new", "gone". */
static void
fmt_change(char *buf, size_t n, int64_t b, int64_t v, const char *cls)
{
	if (cls != NULL && strcmp(cls, "added") == 0)
		snprintf(buf, n, "new");
	else if (cls != NULL && strcmp(cls, "removed") == 0)
		snprintf(buf, n, "gone");
	else if (b == 0)
		snprintf(buf, n, v != 0 ? "from 0" : "0%%");
	else
		snprintf(buf, n, "%+.3g%%", ((double)v - (double)b) /
		    fabs((double)b) * 100);
}

/*
 * A node of a graphdiff diff or trend: its name, the change of cum and
 * how big it is relative to before, the values before and after, the
 * change of flat when it differs, and the trend; coloured by the change
 * (red growth, green shrinkage) relative to the larger total, sized by
 * the change of flat.  Added nodes have a double border, removed ones
 * are dashed and grey; a growing trend is drawn thick; context nodes
 * (--highlight-depth) are grey.
 */
static int
style_diff_node(struct ctx *x, Agnode_t *n, int64_t dflat, int64_t dcum,
    int64_t max_flat)
{
	char a[64], b[64], c[64], col[8];
	struct dotio_buf *label = &x->c;
	const char *cls = dotio_xget(n, x->s.diff);
	const char *tr = dotio_xget(n, x->s.trend);
	int64_t bcum = 0, ncum = 0, grew = 0, slope = 0;
	int fontsize = 8;
	double score;

	dotio_xget_int(n, x->s.bcum, &bcum);
	dotio_xget_int(n, x->s.cum, &ncum);
	if (node_name_lines(x, n, label) != 0)
		return -1;
	fmt_signed(x, a, sizeof a, dcum);
	fmt_change(b, sizeof b, bcum, ncum, cls);
	if (dcum == 0 && (cls == NULL || strcmp(cls, "same") == 0)) {
		if (dotio_buf_add(label, "no change", 9) != 0)
			return -1;
	} else if (dotio_buf_addf(label, "%s (%s)", a, b) != 0) {
		return -1;
	}
	fmt_value(x, a, sizeof a, bcum);
	fmt_value(x, b, sizeof b, ncum);
	if (dotio_buf_addf(label, "\\n%s \xe2\x86\x92 %s", a, b) != 0)
		return -1;
	if (dflat != 0 && dflat != dcum) {
		fmt_signed(x, c, sizeof c, dflat);
		if (dotio_buf_addf(label, "\\nflat %s", c) != 0)
			return -1;
	}
	if (tr != NULL) {
		dotio_xget_int(n, x->s.grew, &grew);
		dotio_xget_int(n, x->s.slope, &slope);
		fmt_signed(x, c, sizeof c, slope);
		if (dotio_buf_addf(label, "\\n%s, up %" PRId64 " of %" PRId64
		    ", %s/snapshot", tr, grew, x->snapshots > 1 ?
		    x->snapshots - 1 : 0, c) != 0)
			return -1;
	}
	if (max_flat != 0 && dflat != 0 && abs64(dflat) <= max_flat)
		fontsize += (int)ceil(16.0 * sqrt((double)abs64(dflat) /
		    (double)max_flat));
	if (vset(x, n, x->s.label, label->s) != 0 ||
	    vset_int(x, n, x->s.fontsize, fontsize) != 0 ||
	    vset(x, n, x->s.shape, "box") != 0)
		return -1;
	dotio_buf_reset(&x->a);
	dotio_buf_reset(label);
	fmt_signed(x, c, sizeof c, dcum);
	if (dotio_decode(&x->a, agnameof(n)) != 0 ||
	    add_text(label, x->a.s, x->a.len, 0) != 0 ||
	    dotio_buf_addf(label, ": %s \xe2\x86\x92 %s (%s)", a, b, c) != 0 ||
	    vset(x, n, x->s.tooltip, label->s) != 0)
		return -1;
	score = x->scale_total != 0 ? (double)dcum / (double)x->scale_total : 0;
	if (is_context(x, n))
		return vset(x, n, x->s.color, GREY_LINE) != 0 ||
		    vset(x, n, x->s.fillcolor, "#f8f8f8") != 0 ||
		    vset(x, n, x->s.fontcolor, GREY_TEXT) != 0 ? -1 : 0;
	if ((cls != NULL && strcmp(cls, "removed") == 0) ||
	    (tr != NULL && strcmp(tr, "gone") == 0))
		return vset(x, n, x->s.color, GREY_GONE) != 0 ||
		    vset(x, n, x->s.fillcolor, "#f4f4f4") != 0 ||
		    vset(x, n, x->s.fontcolor, GREY_TEXT) != 0 ||
		    vset(x, n, x->s.nstyle, "filled,dashed") != 0 ? -1 : 0;
	style_color(col, score, false);
	if (vset(x, n, x->s.color, col) != 0)
		return -1;
	style_color(col, score, true);
	if (vset(x, n, x->s.fillcolor, col) != 0)
		return -1;
	if (((cls != NULL && strcmp(cls, "added") == 0) ||
	    (tr != NULL && strcmp(tr, "new") == 0)) &&
	    vset(x, n, x->s.peripheries, "2") != 0)
		return -1;
	if (tr != NULL && (strcmp(tr, "growing") == 0 ||
	    strcmp(tr, "shrinking") == 0)) {
		style_color(col, strcmp(tr, "growing") == 0 ? 1 : -1, false);
		if (vset(x, n, x->s.color, col) != 0 ||
		    vset(x, n, x->s.npenwidth, "4") != 0 ||
		    vset(x, n, x->s.nstyle, "filled,bold") != 0)
			return -1;
	}
	return 0;
}

/* A node of a diff of graphs without values: added or removed. */
static int
style_diff_plain(struct ctx *x, Agnode_t *n)
{
	const char *cls = dotio_xget(n, x->s.diff);

	if (cls == NULL)
		return 0;
	if (strcmp(cls, "added") == 0)
		return dotio_xset(n, x->s.peripheries, "2");
	if (strcmp(cls, "removed") == 0)
		return dotio_xset(n, x->s.color, GREY_GONE) != 0 ||
		    dotio_xset(n, x->s.fontcolor, GREY_TEXT) != 0 ||
		    dotio_xset(n, x->s.nstyle, "dashed") != 0 ? -1 : 0;
	return 0;
}

/* An edge of a diff of graphs without values: added bold, removed
 * dashed and grey, as on graphs with values. */
static int
style_diff_plain_edge(struct ctx *x, Agedge_t *e)
{
	const char *cls = dotio_xget(e, x->s.ediff);

	if (cls == NULL)
		return 0;
	if (strcmp(cls, "added") == 0)
		return dotio_xset(e, x->s.estyle, "bold");
	if (strcmp(cls, "removed") == 0)
		return dotio_xset(e, x->s.ecolor, GREY_GONE) != 0 ||
		    dotio_xset(e, x->s.estyle, "dashed") != 0 ? -1 : 0;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Tag boxes. */

/*
 * A tag box (a node with tag_of): its text in a small 3D box, its value
 * on the edge from its owner, dotted when only the cum value fits
 * (pprof's nodelets).  Label sets keep their "\n" line breaks.
 */
static int
style_tag(struct ctx *x, Agnode_t *t, Agsym_t *text, Agsym_t *value,
    Agsym_t *cum_only)
{
	struct dotio_buf *lb = &x->c;
	const char *v = dotio_xget(t, text);
	const char *co = dotio_xget(t, cum_only);
	int64_t w = 0;
	char wv[64];
	Agedge_t *e;
	const char *s;

	dotio_buf_reset(&x->a);
	dotio_buf_reset(lb);
	if (v != NULL && dotio_decode(&x->a, v) != 0)
		return -1;
	/* The joined labels separate "key:value" pairs with "\n". */
	for (s = x->a.s != NULL ? x->a.s : ""; *s != '\0';) {
		const char *nl = strstr(s, "\\n");
		size_t n = nl != NULL ? (size_t)(nl - s) : strlen(s);

		if (add_text(lb, s, n, LABEL_NAME_MAX) != 0)
			return -1;
		if (nl == NULL)
			break;
		if (dotio_buf_add(lb, "\\n", 2) != 0)
			return -1;
		s = nl + 2;
	}
	dotio_xget_int(t, value, &w);
	fmt_value(x, wv, sizeof wv, w);
	if (dotio_xset(t, x->s.label, lb->s != NULL ? lb->s : "") != 0 ||
	    dotio_xset(t, x->s.fontsize, "8") != 0 ||
	    dotio_xset(t, x->s.shape, "box3d") != 0 ||
	    dotio_xset(t, x->s.tooltip, wv) != 0 ||
	    dotio_xset(t, x->s.fillcolor, "#f8f8f8") != 0)
		return -1;
	for (e = agfstin(x->g, t); e != NULL; e = agnxtin(x->g, e)) {
		dotio_buf_reset(lb);
		if (dotio_buf_addf(lb, " %s", wv) != 0 ||
		    dotio_xset(e, x->s.elabel, lb->s) != 0 ||
		    dotio_xset(e, x->s.eweight, "100") != 0 ||
		    dotio_xset(e, x->s.etooltip, wv) != 0 ||
		    dotio_xset(e, x->s.elabeltooltip, wv) != 0 ||
		    (co != NULL && strcmp(co, "true") == 0 &&
		    dotio_xset(e, x->s.estyle, "dotted") != 0))
			return -1;
	}
	return 0;
}

static int
style_tags(struct ctx *x)
{
	Agsym_t *of = dotio_sym(x->g, AGNODE, "tag_of", false);
	Agsym_t *text = dotio_sym(x->g, AGNODE, "tag", false);
	Agsym_t *value = dotio_sym(x->g, AGNODE, "tag_value", false);
	Agsym_t *cum_only = dotio_sym(x->g, AGNODE, "tag_cum", false);
	Agsym_t *minlen;
	Agnode_t *n;
	Agedge_t *e;

	if (of == NULL)
		return 0;
	if ((minlen = dotio_sym(x->g, AGEDGE, "minlen", true)) == NULL)
		return -1;
	for (n = agfstnode(x->g); n != NULL; n = agnxtnode(x->g, n)) {
		bool has_tags = false;

		if (dotio_xget(n, of) != NULL) {
			if (style_tag(x, n, text, value, cum_only) != 0)
				return -1;
			continue;
		}
		/* pprof spaces out the calls of a node that has tags. */
		for (e = agfstout(x->g, n); e != NULL && !has_tags;
		    e = agnxtout(x->g, e))
			has_tags = dotio_xget(aghead(e), of) != NULL;
		if (has_tags)
			for (e = agfstout(x->g, n); e != NULL;
			    e = agnxtout(x->g, e))
				if (dotio_xget(aghead(e), of) == NULL &&
				    dotio_xset(e, minlen, "2") != 0)
					return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* The legend. */

static void
drop_legend(Agraph_t *g)
{
	Agraph_t *sg = agsubg(g, LEGEND_CLUSTER, 0);
	Agnode_t *n, *next;

	if (sg == NULL)
		return;
	for (n = agfstnode(sg); n != NULL; n = next) {
		next = agnxtnode(sg, n);
		agdelnode(g, n);
	}
	/* agclose: Graphviz 2.43's agdelsubg only unlinks a subgraph. */
	agclose(sg);
}

static int
add_line(struct dotio_buf *lines, const char *text, size_t n)
{
	return add_text(lines, text, n, 0) != 0 ||
	    dotio_buf_add(lines, "\\l", 2) != 0 ? -1 : 0;
}

static int
add_linef(struct dotio_buf *lines, const char *fmt, ...) DIAG_PRINTF(2, 3);

static int
add_linef(struct dotio_buf *lines, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return add_line(lines, buf, strlen(buf));
}

/* An attribute of the root, decoded; NULL when absent. */
static const char *
root_text(struct ctx *x, const char *name, struct dotio_buf *b)
{
	const char *v = dotio_get(x->g, name);

	if (v == NULL)
		return NULL;
	dotio_buf_reset(b);
	if (dotio_decode(b, v) != 0)
		return NULL;
	return b->s;
}

/* graphdiff's legend lines: what was compared, and the totals. */
static int
legend_diff(struct ctx *x, struct dotio_buf *lines)
{
	const char *v, *bp;
	char a[64], b[64], c[64], pct[32];
	int64_t t = 0, bt = 0;
	bool normalized;

	if ((v = root_text(x, "base_source", &x->a)) != NULL) {
		base_of(v, &bp);
		snprintf(a, sizeof a, "%s", bp);
	} else {
		snprintf(a, sizeof a, "?");
	}
	if ((v = root_text(x, "source", &x->a)) != NULL) {
		base_of(v, &bp);
		snprintf(b, sizeof b, "%s", bp);
	} else {
		snprintf(b, sizeof b, "?");
	}
	if (x->snapshots > 2) {
		if (add_linef(lines, "Trend over %" PRId64 " snapshots: %s "
		    "\xe2\x80\xa6 %s", x->snapshots, a, b) != 0)
			return -1;
	} else if (add_linef(lines, "Diff: %s \xe2\x86\x92 %s", a, b) != 0) {
		return -1;
	}
	dotio_get_int(x->g, "total", &t);
	dotio_get_int(x->g, "base_total", &bt);
	fmt_value(x, a, sizeof a, bt);
	fmt_value(x, b, sizeof b, t);
	fmt_signed(x, c, sizeof c, (int64_t)((uint64_t)t - (uint64_t)bt));
	fmt_change(pct, sizeof pct, bt, t, NULL);
	normalized = (v = dotio_get(x->g, "normalized")) != NULL &&
	    strcmp(v, "true") == 0;
	if (add_linef(lines, "Total: %s \xe2\x86\x92 %s (%s, %s)%s", a, b,
	    c, pct, normalized ? ", normalized" : "") != 0)
		return -1;
	return 0;
}

/* graphdiff's counts of the nodes shown, by diff and by trend. */
static int
legend_counts(struct ctx *x, struct dotio_buf *lines)
{
	static const char *const cls[] = {
		"added", "removed", "grown", "shrunk", "same",
	};
	static const char *const trends[] = {
		"growing", "shrinking", "mixed", "flat", "new", "gone",
	};
	size_t nc[5] = { 0 }, ntr[6] = { 0 }, total = 0, i;
	char buf[256];
	size_t len = 0;
	Agnode_t *n;

	for (n = agfstnode(x->g); n != NULL; n = agnxtnode(x->g, n)) {
		const char *c = dotio_xget(n, x->s.diff);
		const char *t = dotio_xget(n, x->s.trend);

		if (dotio_xget(n, x->s.cum) == NULL)
			continue;
		total++;
		for (i = 0; c != NULL && i < 5; i++)
			if (strcmp(c, cls[i]) == 0)
				nc[i]++;
		for (i = 0; t != NULL && i < 6; i++)
			if (strcmp(t, trends[i]) == 0)
				ntr[i]++;
	}
	len = (size_t)snprintf(buf, sizeof buf, "Showing %zu node%s:", total,
	    total == 1 ? "" : "s");
	for (i = 0; i < 5; i++)
		if (nc[i] > 0 && len < sizeof buf)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    " %zu %s,", nc[i], cls[i]);
	if (buf[len - 1] == ',' || buf[len - 1] == ':')
		buf[--len] = '\0';
	if (add_line(lines, buf, len) != 0)
		return -1;
	if (x->snapshots <= 2)
		return 0;
	len = (size_t)snprintf(buf, sizeof buf, "Trends:");
	for (i = 0; i < 6; i++)
		if (ntr[i] > 0 && len < sizeof buf)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    " %zu %s,", ntr[i], trends[i]);
	if (buf[len - 1] == ',' || buf[len - 1] == ':')
		buf[--len] = '\0';
	return add_line(lines, buf, len);
}

static int
legend(struct ctx *x, int64_t flat_sum, size_t nnodes)
{
	struct dotio_buf lines = { NULL, 0, 0 };
	const char *v, *title = agnameof(x->g);
	char a[64], b[64], pct[32];
	int64_t iv, dropped, cand;
	Agraph_t *sg;
	Agnode_t *n;
	char id[32];
	int i, rc = -1;

	if (title == NULL || dotio_anonymous(title))
		title = "";
	if ((v = root_text(x, "binary", &x->a)) != NULL) {
		const char *bp;

		base_of(v, &bp);
		if (add_linef(&lines, "File: %s", bp) != 0)
			goto out;
	}
	if ((v = root_text(x, "build_id", &x->a)) != NULL &&
	    add_linef(&lines, "Build ID: %s", v) != 0)
		goto out;
	if ((v = root_text(x, "comments", &x->a)) != NULL) {
		while (*v != '\0') {
			size_t len = strcspn(v, "\n");

			if (*v != '#' && add_line(&lines, v, len) != 0)
				goto out;
			v += len;
			if (*v == '\n')
				v++;
		}
	}
	if ((v = root_text(x, "sample_type", &x->a)) != NULL &&
	    add_linef(&lines, "Type: %s%s", v, x->ret != NULL &&
	    strcmp(v, "inuse_space") != 0 ? " (shown: inuse_space)" : "") != 0)
		goto out;
	if (x->gd) {
		if (legend_diff(x, &lines) != 0)
			goto out;
	} else if ((v = dotio_get(x->g, "time")) != NULL && strlen(v) >= 19 &&
	    add_linef(&lines, "Time: %.10s %.8s UTC", v, v + 11) != 0)
		goto out;
	if (!x->gd && dotio_get_int(x->g, "duration_ns", &iv) == 1 &&
	    iv != 0) {
		const char *tu;
		double tn = units_scale(x->total, x->unit, "nanoseconds", &tu);

		units_label(a, sizeof a, iv, "nanoseconds");
		fmt_value(x, b, sizeof b, x->total);
		pct[0] = '\0';
		if (strcmp(tu, "ns") == 0 && tn != 0) {
			char p[24];

			units_percentage(p, sizeof p, (int64_t)tn, iv);
			snprintf(pct, sizeof pct, " (%s)", p);
		}
		if (add_linef(&lines, "Duration: %s, Total samples = %s%s",
		    a, b, pct) != 0)
			goto out;
	}
	if ((v = root_text(x, "filters", &x->a)) != NULL) {
		if (add_line(&lines, "Active filters:", 15) != 0)
			goto out;
		while (*v != '\0') {
			size_t len = strcspn(v, "\n");

			if (add_linef(&lines, "   %.*s%s", len > 80 ? 80 :
			    (int)len, v, len > 80 ? "\xe2\x80\xa6" : "") != 0)
				goto out;
			v += len;
			if (*v == '\n')
				v++;
		}
	}
	if (x->gd) {
		if (legend_counts(x, &lines) != 0)
			goto out;
	} else {
		fmt_value(x, a, sizeof a, flat_sum);
		fmt_value(x, b, sizeof b, x->total);
		units_percentage(pct, sizeof pct, flat_sum, x->total);
		if (add_linef(&lines, "Showing nodes accounting for %s, %s "
		    "of %s total", a, pct, b) != 0)
			goto out;
	}
	if (x->total != 0) {
		static const char *const what[2][2] = {
			{ "node", "cum" }, { "edge", "freq" },
		};

		for (i = 0; i < 2; i++) {
			const char *fr = dotio_get(x->g, i == 0 ?
			    "node_fraction" : "edge_fraction");

			if (dotio_get_int(x->g, i == 0 ? "dropped_nodes" :
			    "dropped_edges", &dropped) != 1 || dropped <= 0 ||
			    fr == NULL)
				continue;
			/* graphdiff trims by |change|: it gives the cutoff. */
			if (x->gd && dotio_get_int(x->g, i == 0 ?
			    "node_cutoff" : "edge_cutoff", &iv) == 1)
				fmt_value(x, a, sizeof a, iv);
			/* Trimmed by the selected type, not the in-use
			 * values the retention scheme shows. */
			else if (x->ret != NULL && dotio_get_int(x->g,
			    "total", &iv) == 1 && (v = dotio_get(x->g,
			    "unit")) != NULL)
				units_label(a, sizeof a, abs64((int64_t)(
				    (double)iv * strtod(fr, NULL))), v);
			else
				fmt_value(x, a, sizeof a, abs64((int64_t)(
				    (double)x->total * strtod(fr, NULL))));
			if (add_linef(&lines, "Dropped %" PRId64 " %s%s (%s "
			    "<= %s)", dropped, what[i][0], dropped > 1 ? "s" :
			    "", x->gd ? "|change|" : what[i][1], a) != 0)
				goto out;
		}
		if (dotio_get_int(x->g, "candidate_nodes", &cand) == 1 &&
		    nnodes > 0 && (int64_t)nnodes < cand &&
		    add_linef(&lines, "Showing top %zu nodes out of %" PRId64,
		    nnodes, cand) != 0)
			goto out;
	}
	if (x->ret != NULL && (add_line(&lines, RETENTION_LEGEND_KEY,
	    strlen(RETENTION_LEGEND_KEY)) != 0 || add_line(&lines,
	    RETENTION_LEGEND_NOTE, strlen(RETENTION_LEGEND_NOTE)) != 0))
		goto out;
	if (x->gd && add_line(&lines, x->snapshots > 2 ? LEGEND_KEY_TREND :
	    LEGEND_KEY_DIFF, strlen(x->snapshots > 2 ? LEGEND_KEY_TREND :
	    LEGEND_KEY_DIFF)) != 0)
		goto out;
	if (dotio_buf_add(&lines, x->gd ? LEGEND_HELP_DIFF : LEGEND_HELP,
	    strlen(x->gd ? LEGEND_HELP_DIFF : LEGEND_HELP)) != 0)
		goto out;

	/* A node id no data node uses. */
	snprintf(id, sizeof id, "legend");
	for (i = 1; agnode(x->g, id, 0) != NULL; i++)
		snprintf(id, sizeof id, "legend_%d", i);
	if ((sg = agsubg(x->g, LEGEND_CLUSTER, 1)) == NULL ||
	    (n = agnode(sg, id, 1)) == NULL ||
	    dotio_set(n, "shape", "box") != 0 ||
	    dotio_set(n, "fontsize", "16") != 0 ||
	    dotio_set(n, "label", lines.s) != 0 ||
	    dotio_set(n, "tooltip", title) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		diag_nomem(x->d);
	dotio_buf_free(&lines);
	return rc;
}

/* ---------------------------------------------------------------- */
/* The retention scheme's colours, classes and marks. */

/* Recolour a data node by its retention and say R in its label. */
static int
retention_look(struct ctx *x, Agnode_t *n)
{
	struct dotio_buf *lb = &x->c;
	const char *v = dotio_xget(n, x->s.label);
	double r, rf;
	char col[8], rs[32], rfs[32];

	if (retention_node(x->ret, n, &r, &rf) != 0)
		return -1;
	dotio_buf_reset(lb);
	if (v != NULL && dotio_buf_add(lb, v, strlen(v)) != 0)
		return -1;
	/* Two decimals in the label; flat's only when they differ. */
	snprintf(rs, sizeof rs, "%.2f", r);
	snprintf(rfs, sizeof rfs, "%.2f", rf);
	if (isnan(r) ? dotio_buf_add(lb, "\\nR n/a", 7) :
	    isnan(rf) || strcmp(rs, rfs) == 0 ?
	    dotio_buf_addf(lb, "\\nR %s", rs) :
	    dotio_buf_addf(lb, "\\nR %s (flat %s)", rs, rfs))
		return -1;
	if (vset(x, n, x->s.label, lb->s) != 0)
		return -1;
	retention_color(col, r, false);
	if (vset(x, n, x->s.color, col) != 0)
		return -1;
	retention_color(col, r, true);
	return vset(x, n, x->s.fillcolor, col);
}

/* A class's badge (a shape and a "[class]" first line) and a thick
 * dashed border on a suspicious node. */
static int
decorate(struct ctx *x, Agnode_t *n)
{
	const char *c = dotio_xget(n, x->s.cls);
	const char *m = dotio_xget(n, x->s.sus);
	struct dotio_buf *lb = &x->c;
	const char *v;

	if (c != NULL) {
		dotio_buf_reset(lb);
		v = dotio_xget(n, x->s.label);
		if (dotio_buf_add(lb, "[", 1) != 0 ||
		    add_text(lb, c, strlen(c), 40) != 0 ||
		    dotio_buf_add(lb, "]\\n", 3) != 0 ||
		    (v != NULL && dotio_buf_add(lb, v, strlen(v)) != 0) ||
		    vset(x, n, x->s.label, lb->s) != 0 ||
		    vset(x, n, x->s.shape, classes_shape(c)) != 0)
			return -1;
	}
	if (m != NULL) {
		dotio_buf_reset(lb);
		v = dotio_xget(n, x->s.tooltip);
		if ((v != NULL && dotio_buf_add(lb, v, strlen(v)) != 0) ||
		    dotio_buf_add(lb, " [", 2) != 0 ||
		    add_text(lb, m, strlen(m), 40) != 0 ||
		    dotio_buf_add(lb, "]", 1) != 0 ||
		    vset(x, n, x->s.tooltip, lb->s) != 0 ||
		    vset(x, n, x->s.npenwidth, "3") != 0 ||
		    vset(x, n, x->s.nstyle, "filled,dashed") != 0)
			return -1;
	}
	return 0;
}

/* Reset the visual attributes this module owns on data nodes and edges. */
static void
strip(Agraph_t *g)
{
	Agsym_t *ns[16], *es[16], *cum = agattr(g, AGNODE, "cum", NULL);
	size_t nn = 0, ne = 0, i;
	Agnode_t *n;
	Agedge_t *e;

	if (cum == NULL)
		return;
	for (i = 0; node_visuals[i] != NULL; i++)
		if ((ns[nn] = agattr(g, AGNODE, (char *)node_visuals[i],
		    NULL)) != NULL)
			nn++;
	for (i = 0; edge_visuals[i] != NULL; i++)
		if ((es[ne] = agattr(g, AGEDGE, (char *)edge_visuals[i],
		    NULL)) != NULL)
			ne++;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		if (dotio_xget(n, cum) == NULL)
			continue;
		for (i = 0; i < nn; i++)
			if (strcmp(agxget(n, ns[i]), ns[i]->defval) != 0)
				agxset(n, ns[i], ns[i]->defval);
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e))
			for (i = 0; i < ne; i++)
				if (strcmp(agxget(e, es[i]), es[i]->defval) != 0)
					agxset(e, es[i], es[i]->defval);
	}
}

int
style_apply(Agraph_t *g, const struct style_opts *o, struct diag *d)
{
	struct ctx x;
	Agnode_t *n;
	Agedge_t *e;
	int64_t flat, cum, max_flat = 0, min_value = 0, flat_sum = 0;
	size_t nnodes = 0;
	const char *u;
	int rc = -1;

	drop_legend(g);
	if (o->scheme == STYLE_NONE) {
		strip(g);
		return 0;
	}

	memset(&x, 0, sizeof x);
	x.g = g;
	x.d = d;
	if (o->scheme == STYLE_RETENTION && retention_annotate(g, o->classes,
	    o->fan_out, o->flat_share, d) != 0)
		return -1;
	if (syms_init(&x) != 0) {
		diag_nomem(d);
		return -1;
	}
	x.s.cls = dotio_sym(g, AGNODE, "class", false);
	x.s.sus = dotio_sym(g, AGNODE, "suspicious", false);
	if (o->scheme == STYLE_RETENTION && retention_unusable(g) == NULL) {
		if ((x.ret = retention_new(g, d)) == NULL)
			return -1;
		x.s.vcum = retention_inuse_sym(x.ret, AGNODE, false);
		x.s.vflat = retention_inuse_sym(x.ret, AGNODE, true);
		if (retention_inuse_sym(x.ret, AGEDGE, false) != NULL)
			x.s.evcum = retention_inuse_sym(x.ret, AGEDGE, false);
	}
	if (shortener_init(&x.sh, d) != 0) {
		retention_free(x.ret);
		return -1;
	}
	u = dotio_get(g, x.ret != NULL ? "unit_inuse_space" : "unit");
	snprintf(x.unit, sizeof x.unit, "%s", u != NULL ? u :
	    x.ret != NULL ? "bytes" : "count");
	for (char *c = x.unit; *c != '\0'; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		int64_t m;

		if (!data_node(&x, n, &flat, &cum))
			continue;
		nnodes++;
		flat_sum = (int64_t)((uint64_t)flat_sum + (uint64_t)flat);
		if (abs64(flat) > max_flat)
			max_flat = abs64(flat);
		m = flat != 0 ? abs64(flat) : abs64(cum);
		if (m > 0 && (min_value == 0 || m < min_value))
			min_value = m;
	}
	if (dotio_get_int(g, x.ret != NULL ? "total_inuse_space" : "total",
	    &x.total) != 1)
		x.total = flat_sum;
	if ((u = dotio_get(g, "diff_mode")) != NULL &&
	    (strcmp(u, "graphs") == 0 || strcmp(u, "trend") == 0)) {
		int64_t bt = 0;

		x.gd = true;
		dotio_get_int(g, "base_total", &bt);
		if (dotio_get_int(g, "snapshots", &x.snapshots) != 1)
			x.snapshots = 2;
		/* Changes are measured against the larger total. */
		x.scale_total = abs64(x.total) > abs64(bt) ? abs64(x.total) :
		    abs64(bt);
		if (nnodes == 0 && dotio_get(g, "total") == NULL) {
			/* Graphs without values: added and removed only. */
			strip(g);
			if (syms_init_diff(&x) != 0)
				goto nomem;
			for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
				if (style_diff_plain(&x, n) != 0)
					goto nomem;
				for (e = agfstout(g, n); e != NULL;
				    e = agnxtout(g, e))
					if (style_diff_plain_edge(&x, e) != 0)
						goto nomem;
			}
			rc = 0;
			goto out;
		}
	}
	select_unit(&x, min_value);
	if (agattr(g, AGNODE, "style", "filled") == NULL ||
	    agattr(g, AGNODE, "fillcolor", "#f8f8f8") == NULL)
		goto nomem;
	/* After the defaults: a symbol made with the default "" would pin
	 * "" on every node, and the nodes would not be filled. */
	if ((x.gd || x.s.cls != NULL || x.s.sus != NULL) &&
	    syms_init_diff(&x) != 0)
		goto nomem;
	visuals_init(&x.nv, g, AGNODE, node_visuals);
	visuals_init(&x.ev, g, AGEDGE, edge_visuals);
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		if (!data_node(&x, n, &flat, &cum))
			continue;
		if ((x.gd ? style_diff_node(&x, n, flat, cum, max_flat) :
		    style_node(&x, n, flat, cum, max_flat)) != 0 ||
		    (x.ret != NULL && retention_look(&x, n) != 0) ||
		    (!x.gd && decorate(&x, n) != 0) || vfinish(&x, n) != 0)
			goto fail;
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e))
			if (style_edge(&x, e) != 0 || vfinish(&x, e) != 0)
				goto fail;
	}
	if (style_tags(&x) != 0)
		goto fail;
	if (o->legend && legend(&x, flat_sum, nnodes) != 0)
		goto fail;
	if (o->cluster_package && marks_cluster_package(g, d) != 0)
		goto out;
	rc = 0;
	goto out;
nomem:
	diag_nomem(d);
	goto out;
fail:
	diag_nomem(d);
out:
	retention_free(x.ret);
	shortener_free(&x.sh);
	dotio_buf_free(&x.a);
	dotio_buf_free(&x.b);
	dotio_buf_free(&x.c);
	return rc;
}
