/*
 * retention: in-use over allocated bytes.  See retention.h.
 */
#include "retention.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "dotio.h"
#include "marks.h"

struct retention {
	Agsym_t *cum_alloc, *cum_inuse, *flat_alloc, *flat_inuse;
	Agsym_t *ecum_alloc, *ecum_inuse;
	Agsym_t *ret, *ret_flat;
};

const char *
retention_unusable(Agraph_t *g)
{
	if (dotio_sym(g, AGNODE, "cum_alloc_space", false) == NULL ||
	    dotio_sym(g, AGNODE, "cum_inuse_space", false) == NULL)
		return "no alloc_space and inuse_space";
	if (dotio_get(g, "diff_mode") != NULL)
		return "a diff of profiles";
	return NULL;
}

Agsym_t *
retention_inuse_sym(const struct retention *r, int kind, bool flat)
{
	if (kind == AGEDGE)
		return r->ecum_inuse;
	return flat ? r->flat_inuse : r->cum_inuse;
}

struct retention *
retention_new(Agraph_t *g, struct diag *d)
{
	struct retention *r;
	const char *why;

	if ((why = retention_unusable(g)) != NULL) {
		diag_set(d, "%s", why);
		return NULL;
	}
	if ((r = calloc(1, sizeof *r)) == NULL) {
		diag_nomem(d);
		return NULL;
	}
	r->cum_alloc = dotio_sym(g, AGNODE, "cum_alloc_space", false);
	r->cum_inuse = dotio_sym(g, AGNODE, "cum_inuse_space", false);
	r->flat_alloc = dotio_sym(g, AGNODE, "flat_alloc_space", false);
	r->flat_inuse = dotio_sym(g, AGNODE, "flat_inuse_space", false);
	r->ecum_alloc = dotio_sym(g, AGEDGE, "cum_alloc_space", false);
	r->ecum_inuse = dotio_sym(g, AGEDGE, "cum_inuse_space", false);
	if ((r->ret = dotio_sym(g, AGNODE, "retention", true)) == NULL ||
	    (r->ret_flat = dotio_sym(g, AGNODE, "retention_flat",
	    true)) == NULL) {
		free(r);
		diag_nomem(d);
		return NULL;
	}
	return r;
}

void
retention_free(struct retention *r)
{
	free(r);
}

/* inuse/alloc from two attributes; NAN without bytes allocated. */
static double
ratio(void *obj, Agsym_t *inuse, Agsym_t *alloc)
{
	int64_t in = 0, al = 0;

	if (dotio_xget_int(obj, alloc, &al) != 1 || al == 0)
		return NAN;
	if (dotio_xget_int(obj, inuse, &in) != 1)
		in = 0;
	return (double)in / (double)al;
}

int
retention_node(struct retention *r, Agnode_t *n, double *cum_r,
    double *flat_r)
{
	char a[32], b[32];
	double c = ratio(n, r->cum_inuse, r->cum_alloc);
	double f = ratio(n, r->flat_inuse, r->flat_alloc);

	*cum_r = c;
	a[0] = b[0] = '\0';
	if (!isnan(c))
		snprintf(a, sizeof a, "%.*f", RETENTION_DECIMALS, c);
	if (!isnan(f))
		snprintf(b, sizeof b, "%.*f", RETENTION_DECIMALS, f);
	if (strcmp(a, b) == 0)
		b[0] = '\0';
	*flat_r = b[0] != '\0' ? f : NAN;
	return dotio_xset(n, r->ret, a) != 0 ||
	    dotio_xset(n, r->ret_flat, b) != 0 ? -1 : 0;
}

double
retention_edge(const struct retention *r, Agedge_t *e)
{
	return ratio(e, r->ecum_inuse, r->ecum_alloc);
}

/*
 * The scale goes from a muted blue through grey to pprof's red, in
 * straight lines between the three: the eye reads "how red" as "how
 * much stayed", and blue is clearly not a warning.  The fill is the
 * same colour mixed with 85% white so labels stay readable.
 */
void
retention_color(char buf[8], double r, bool bg)
{
	static const double stops[3][3] = {
		{ 0x3a, 0x6e, 0xb4 },	/* transient */
		{ 0x9a, 0x9a, 0x9a },	/* half */
		{ 0xc8, 0x1e, 0x1e },	/* retained */
	};
	double rgb[3], t;
	int i, k;

	if (isnan(r))
		r = 0.5;
	r = fmax(0.0, fmin(1.0, r));
	k = r < 0.5 ? 0 : 1;
	t = r < 0.5 ? r * 2 : (r - 0.5) * 2;
	for (i = 0; i < 3; i++) {
		rgb[i] = stops[k][i] + (stops[k + 1][i] - stops[k][i]) * t;
		if (bg)
			rgb[i] = rgb[i] * 0.15 + 255 * 0.85;
	}
	snprintf(buf, 8, "#%02x%02x%02x", (unsigned)lround(rgb[0]),
	    (unsigned)lround(rgb[1]), (unsigned)lround(rgb[2]));
}

int
retention_annotate(Agraph_t *g, const struct classes *c, double fan_out,
    double flat_share, struct diag *d)
{
	struct classes *own = NULL;
	long r;

	if (c == NULL && (c = own = classes_default(d)) == NULL)
		return -1;
	r = classes_apply(c, g, d);
	classes_free(own);
	if (r < 0)
		return -1;
	return marks_suspicious(g, fan_out > 0 ? fan_out :
	    MARKS_DEFAULT_FAN_OUT, flat_share > 0 ? flat_share :
	    MARKS_DEFAULT_FLAT_SHARE, d) < 0 ? -1 : 0;
}
