/*
 * graphdiff: what changed between DOT graphs of snapshots, and what
 * keeps changing across a series of them.
 *
 * Every graph of every input is read in order and added to a diff
 * (src/diff.c), then closed: two graphs give their diff, more give a
 * trend (--trend), and --stream writes the diff of each consecutive
 * pair as soon as the second one is read.  --fail-if turns the result
 * into an exit status for CI, as diff(1)'s: 0 nothing to report, 1 a
 * condition held, 2 trouble.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "diff.h"
#include "dotimport.h"
#include "dotio.h"

static const char *prog = "graphdiff";

enum {
	OPT_NORMALIZE = 256,
	OPT_THRESHOLD,
	OPT_HIGHLIGHT,
	OPT_TREND,
	OPT_TOLERANCE,
	OPT_STREAM,
	OPT_FAIL_IF,
};

static const struct option long_opts[] = {
	{ "match", required_argument, NULL, 'm' },
	{ "sample-type", required_argument, NULL, 'i' },
	{ "sample-index", required_argument, NULL, 'i' },
	{ "normalize", no_argument, NULL, OPT_NORMALIZE },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "highlight-depth", required_argument, NULL, OPT_HIGHLIGHT },
	{ "trend", no_argument, NULL, OPT_TREND },
	{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "fail-if", required_argument, NULL, OPT_FAIL_IF },
	CLI_COMMON_LONG_OPTS,
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [options] OLD NEW\n"
"       %s --trend [options] FILE...\n"
"       %s --stream [options] [FILE...]\n"
"\n"
"Compare DOT graphs of snapshots: the union of their nodes and edges with\n"
"base_*, delta_* and diff=added|removed|grown|shrunk|same; with --trend,\n"
"each node's series and trend across all the graphs given.  Graphs are\n"
"read from every file in turn (a file may hold several); - or no file\n"
"reads standard input.\n"
"\n"
"  -m, --match id|func|label  match nodes by ID (default), func, or the\n"
"                             name lines of their label\n"
"  -i, --sample-type TYPE     compare TYPE (default: the graphs' own)\n"
"      --normalize            scale each graph to the last one's total\n"
"      --threshold X%%         changes below X%% of the total count as none\n"
"      --highlight-depth N    grey the nodes more than N calls away from\n"
"                             any change\n"
"      --trend                compare a series of graphs (more than two)\n"
"      --tolerance K          --trend: a growing node may miss K intervals\n"
"      --stream               write the diff of each consecutive pair\n"
"      --fail-if EXPR         exit 1 when EXPR holds for a node or the\n"
"                             total, e.g. 'delta_cum > 10MB', 'delta_total\n"
"                             > +20%%'; may be repeated\n"
"  -n, --nodecount N          keep at most N nodes (default 80, 0 = all)\n"
"      --node-fraction F      drop nodes whose |delta| is below F of the\n"
"                             total (default 0.005)\n"
"      --edge-fraction F      drop edges below F of it (default 0.001)\n"
"      --no-legend            leave out the legend box\n"
"  -o, --output FILE          write to FILE instead of standard output\n"
"  -h, --help                 show this help\n"
"      --version              show the version\n"
"\n"
"Exit status: 0 done (no --fail-if held), 1 a --fail-if held, 2 trouble.\n",
	    prog, prog, prog);
}

static int
bad_arg(const char *opt, const char *arg, const char *why)
{
	diag_printf(prog, "%s %s: %s", opt, arg, why);
	return 2;
}

/* "5%" or a fraction "0.05". */
static int
parse_threshold(const char *s, double *out)
{
	size_t n = strlen(s);
	char *end;
	double v;

	if (n < 2 || s[n - 1] != '%')
		return cli_fraction(s, out);
	v = strtod(s, &end);
	if (end != s + n - 1 || !(v >= 0 && v <= 100))
		return -1;
	*out = v / 100;
	return 0;
}

struct out {
	const char *path;	/* NULL: stdout */
	const char *name;
	FILE *f;
};

static int
out_write(struct out *o, Agraph_t *g, struct diag *d)
{
	if (o->f == NULL) {
		if (o->path == NULL) {
			o->f = stdout;
		} else if ((o->f = fopen(o->path, "w")) == NULL) {
			diag_set(d, "%s: %s", o->path, strerror(errno));
			return -1;
		}
	}
	return dotio_write(g, o->f, o->name, d);
}

struct run {
	const struct diff_opts *o;
	struct diff_cond **conds;
	size_t nconds;
	bool stream, trend;
	struct out out;
	struct diff *df;
	Agraph_t *prev;		/* --stream: the graph before */
	char *prev_name;
	char *last_file;	/* the last file read, for messages */
	size_t ngraphs;
	bool held;		/* a --fail-if held */
};

/* Check every --fail-if against the diff just made. */
static int
check_conds(struct run *r, struct diag *d)
{
	size_t i;

	for (i = 0; i < r->nconds; i++) {
		int h = diff_cond_check(r->df, r->conds[i], stderr, prog, d);

		if (h < 0)
			return -1;
		if (h > 0)
			r->held = true;
	}
	return 0;
}

/* The diff of what r->df holds, checked and written. */
static int
emit(struct run *r, struct diag *d)
{
	Agraph_t *res = diff_result(r->df, d);
	int rc;

	if (res == NULL)
		return -1;
	rc = check_conds(r, d) != 0 || out_write(&r->out, res, d) != 0 ?
	    -1 : 0;
	agclose(res);
	return rc;
}

/* One graph read: import it, add it, and in --stream write a pair. */
static int
take(struct run *r, Agraph_t *g, const char *name, struct diag *d)
{
	if (dotimport_is_pprof(g) && dotimport_pprof(g, d) != 0) {
		diag_prefix(d, name);
		agclose(g);
		return -1;
	}
	r->ngraphs++;
	if (!r->stream) {
		int rc = diff_add(r->df, g, name, d);

		agclose(g);
		return rc;
	}
	if (r->prev != NULL) {
		diff_free(r->df);
		if ((r->df = diff_new(r->o, d)) == NULL ||
		    diff_add(r->df, r->prev, r->prev_name, d) != 0 ||
		    diff_add(r->df, g, name, d) != 0 || emit(r, d) != 0) {
			agclose(g);
			return -1;
		}
		agclose(r->prev);
		free(r->prev_name);
	}
	r->prev = g;
	if ((r->prev_name = strdup(name)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	return 0;
}

static int
read_file(struct run *r, const char *path, struct diag *d)
{
	struct dotio_in in;
	Agraph_t *g;
	int rc;

	if (dotio_in_open(&in, path, d) != 0)
		return -1;
	free(r->last_file);
	if ((r->last_file = strdup(in.name)) == NULL) {
		dotio_in_close(&in);
		diag_nomem(d);
		return -1;
	}
	while ((rc = dotio_in_next(&in, &g, d)) > 0)
		if (take(r, g, in.name, d) != 0) {
			rc = -1;
			break;
		}
	dotio_in_close(&in);
	return rc < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct diff_opts o;
	struct run r;
	struct diag d = { false, "" };
	struct cli_common cc;
	enum cli_result cr;
	uint64_t u;
	int c, i, status = 2;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	o.match = DIFF_MATCH_AUTO;
	o.highlight_depth = -1;
	o.trim = true;
	o.trim_opts.nodecount = TRIM_DEFAULT_NODECOUNT;
	o.trim_opts.node_fraction = TRIM_DEFAULT_NODE_FRACTION;
	o.trim_opts.edge_fraction = TRIM_DEFAULT_EDGE_FRACTION;
	o.style.scheme = STYLE_PPROF;
	o.style.legend = true;
	cc = (struct cli_common){ prog, usage, &o.trim_opts, &o.style.legend,
	    &r.out.path };
	r.out.name = "<stdout>";

	while ((c = getopt_long(argc, argv, "m:i:n:o:h", long_opts,
	    NULL)) != -1) {
		if ((cr = cli_common(&cc, c, optarg)) == CLI_DONE)
			continue;
		if (cr != CLI_NOT_COMMON)
			return (int)cr;
		switch (c) {
		case 'm':
			if (strcmp(optarg, "id") == 0)
				o.match = DIFF_MATCH_ID;
			else if (strcmp(optarg, "func") == 0)
				o.match = DIFF_MATCH_FUNC;
			else if (strcmp(optarg, "label") == 0)
				o.match = DIFF_MATCH_LABEL;
			else
				return bad_arg("-m", optarg,
				    "not id, func or label");
			break;
		case 'i':
			o.sample_type = optarg;
			break;
		case OPT_NORMALIZE:
			o.normalize = true;
			break;
		case OPT_THRESHOLD:
			if (parse_threshold(optarg, &o.threshold) != 0)
				return bad_arg("--threshold", optarg,
				    "not a percentage (5%) or a fraction");
			break;
		case OPT_HIGHLIGHT:
			if (cli_count(optarg, 1000000000, &u) != 0)
				return bad_arg("--highlight-depth", optarg,
				    "not a number of calls");
			o.highlight_depth = (long)u;
			break;
		case OPT_TREND:
			r.trend = o.trend = true;
			break;
		case OPT_TOLERANCE:
			if (cli_count(optarg, 1000000000, &u) != 0)
				return bad_arg("--tolerance", optarg,
				    "not a number of intervals");
			o.tolerance = (long)u;
			break;
		case OPT_STREAM:
			r.stream = true;
			break;
		case OPT_FAIL_IF: {
			struct diff_cond *cd, **nc;

			if ((cd = diff_cond_parse(optarg, &d)) == NULL)
				goto fail;
			nc = realloc(r.conds, (r.nconds + 1) * sizeof *nc);
			if (nc == NULL) {
				diff_cond_free(cd);
				diag_nomem(&d);
				goto fail;
			}
			r.conds = nc;
			r.conds[r.nconds++] = cd;
			break;
		}
		default:
			usage(stderr);
			goto done;
		}
	}
	if (r.out.path != NULL)
		r.out.name = r.out.path;
	if (r.stream && r.trend) {
		diag_set(&d, "--stream and --trend do not go together");
		goto fail;
	}
	if (!r.stream && !r.trend && argc - optind > 2) {
		diag_set(&d, "%d files given; two are compared (--trend "
		    "compares a series)", argc - optind);
		goto fail;
	}
	r.o = &o;
	if ((r.df = diff_new(&o, &d)) == NULL)
		goto fail;
	if (optind >= argc) {
		if (read_file(&r, "-", &d) != 0)
			goto fail;
	} else {
		for (i = optind; i < argc; i++)
			if (read_file(&r, argv[i], &d) != 0)
				goto fail;
	}
	if (r.stream) {
		if (r.ngraphs < 2) {
			diag_set(&d, "%s: --stream: %zu graph%s read; a pair "
			    "is needed", r.last_file, r.ngraphs,
			    r.ngraphs == 1 ? "" : "s");
			goto fail;
		}
	} else {
		if (r.trend && r.ngraphs < 2) {
			diag_set(&d, "%s: --trend: %zu graph%s read; a series "
			    "of two or more is compared", r.last_file,
			    r.ngraphs, r.ngraphs == 1 ? "" : "s");
			goto fail;
		}
		if (!r.trend && r.ngraphs != 2) {
			diag_set(&d, "%s: %zu graph%s read; two are "
			    "compared (--trend compares a series, --stream "
			    "pairs)", r.last_file, r.ngraphs,
			    r.ngraphs == 1 ? "" : "s");
			goto fail;
		}
		if (emit(&r, &d) != 0)
			goto fail;
	}
	if (r.out.f != NULL) {
		FILE *f = r.out.f;

		r.out.f = NULL;
		if (fclose(f) != 0) {
			diag_set(&d, "%s: %s", r.out.name, strerror(errno));
			goto fail;
		}
	}
	status = r.held ? 1 : 0;
	goto done;
fail:
	diag_print(prog, &d);
	status = 2;
done:
	if (r.out.f != NULL && r.out.f != stdout)
		fclose(r.out.f);
	if (r.prev != NULL)
		agclose(r.prev);
	free(r.prev_name);
	free(r.last_file);
	diff_free(r.df);
	for (size_t k = 0; k < r.nconds; k++)
		diff_cond_free(r.conds[k]);
	free(r.conds);
	return status;
}
