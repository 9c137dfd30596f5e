/*
 * marks: suspicious nodes and package clusters.  See marks.h.
 */
#include "marks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dotio.h"

static int64_t
abs64(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

long
marks_suspicious(Agraph_t *g, double fan_out, double flat_share,
    struct diag *d)
{
	Agsym_t *cum = dotio_sym(g, AGNODE, "cum", false);
	Agsym_t *flat = dotio_sym(g, AGNODE, "flat", false);
	Agsym_t *sus;
	Agnode_t *n;
	Agedge_t *e;
	long count = 0;

	if (cum == NULL)
		return 0;
	if ((sus = dotio_sym(g, AGNODE, "suspicious", true)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		size_t in = 0, out = 0;
		int64_t f = 0, c = 0;
		bool fo, fh;

		if (dotio_xget(n, cum) == NULL)
			continue;
		for (e = agfstout(g, n); e != NULL; e = agnxtout(g, e))
			if (dotio_xget(aghead(e), cum) != NULL)
				out++;
		for (e = agfstin(g, n); e != NULL; e = agnxtin(g, e))
			if (dotio_xget(agtail(e), cum) != NULL)
				in++;
		dotio_xget_int(n, flat, &f);
		dotio_xget_int(n, cum, &c);
		fo = (double)out > fan_out * (double)(in > 0 ? in : 1);
		fh = out > 0 && (double)abs64(f) > flat_share *
		    (double)abs64(c);
		if (dotio_xset(n, sus, fo && fh ? "fan-out,flat-heavy" : fo ?
		    "fan-out" : fh ? "flat-heavy" : "") != 0) {
			diag_nomem(d);
			return -1;
		}
		count += fo || fh;
	}
	return count;
}

/*
 * The package ends at the first dot after the last slash: Go import
 * paths have slashes and dots, but the linker writes a dot in the last
 * element as %2e ("gopkg.in/yaml%2ev3.Unmarshal"), and what follows the
 * package is the function, a method's receiver in parentheses or a
 * type.
 */
size_t
marks_package(const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '/')
			start = i + 1;
		else if (s[i] == '(' || s[i] == '[' || s[i] == ' ')
			break;
	}
	for (i = start; i < n; i++)
		if (s[i] == '.')
			return i;
	return 0;
}

int
marks_cluster_package(Agraph_t *g, struct diag *d)
{
	struct dotio_buf b = { NULL, 0, 0 }, name = { NULL, 0, 0 };
	Agsym_t *cum = dotio_sym(g, AGNODE, "cum", false);
	Agsym_t *func = dotio_sym(g, AGNODE, "func", false);
	Agnode_t *n;
	int rc = -1;

	if (cum == NULL || func == NULL)
		return 0;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		const char *v = dotio_xget(n, func);
		Agraph_t *sg;
		size_t len;

		if (v == NULL || dotio_xget(n, cum) == NULL)
			continue;
		/* The escaped form: cluster names stay plain DOT strings. */
		if ((len = marks_package(v, strlen(v))) == 0)
			continue;
		dotio_buf_reset(&name);
		dotio_buf_reset(&b);
		if (dotio_buf_addf(&name, "%s%.*s", MARKS_CLUSTER_PREFIX,
		    (int)len, v) != 0 ||
		    dotio_decode(&b, name.s + strlen(MARKS_CLUSTER_PREFIX)) !=
		    0 || dotio_buf_add(&b, "", 0) != 0)
			goto out;
		if ((sg = agsubg(g, name.s, 0)) == NULL) {
			if ((sg = agsubg(g, name.s, 1)) == NULL ||
			    agsafeset(sg, "label", b.s, "") != 0 ||
			    agsafeset(sg, "style", "rounded", "") != 0 ||
			    agsafeset(sg, "color", "#b0b0b0", "") != 0)
				goto out;
		}
		if (agsubnode(sg, n, 1) == NULL)
			goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		diag_nomem(d);
	dotio_buf_free(&b);
	dotio_buf_free(&name);
	return rc;
}
