/*
 * pprof2graph: pprof profiles in, one annotated call graph in DOT out.
 *
 * Reads every input (merging them), builds the graph of the selected
 * sample type at the chosen granularity, trims it as go tool pprof
 * does, writes the data attributes, derives the look, and only then
 * writes anything.  The logic lives in libgomemviz; this file is
 * options, the order of the steps, and exit statuses.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "graph.h"
#include "load.h"
#include "prof.h"
#include "style.h"
#include "todot.h"
#include "trim.h"
#include "dotio.h"
#include "input.h"

static const char *prog = "pprof2graph";

enum {
	OPT_NODE_FRACTION = 256,
	OPT_EDGE_FRACTION,
	OPT_NO_LEGEND,
	OPT_MAX_INPUT,
	OPT_MAX_DEPTH,
	OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "sample-index", required_argument, NULL, 'i' },
	{ "granularity", required_argument, NULL, 'g' },
	{ "nodecount", required_argument, NULL, 'n' },
	{ "node-fraction", required_argument, NULL, OPT_NODE_FRACTION },
	{ "edge-fraction", required_argument, NULL, OPT_EDGE_FRACTION },
	{ "output", required_argument, NULL, 'o' },
	{ "no-legend", no_argument, NULL, OPT_NO_LEGEND },
	{ "max-input-size", required_argument, NULL, OPT_MAX_INPUT },
	{ "max-stack-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-i type] [-g granularity] [-n count] [--node-fraction f]\n"
"                   [--edge-fraction f] [--no-legend] [--max-input-size size]\n"
"                   [--max-stack-depth n] [-o file] [file ...]\n"
"\n"
"Turn pprof profiles (protobuf, gzipped or not) into an annotated DOT call\n"
"graph.  Several files are merged; none or - reads standard input.\n"
"\n"
"  -i, --sample-index TYPE    sample type to graph, by name or number\n"
"                             (default: the profile's default, else the last)\n"
"  -g, --granularity G        functions (default), filefunctions, files,\n"
"                             lines or addresses\n"
"  -n, --nodecount N          keep at most N nodes (default 80, 0 = all)\n"
"      --node-fraction F      drop nodes below F of the total (default 0.005)\n"
"      --edge-fraction F      drop edges below F of the total (default 0.001)\n"
"  -o, --output FILE          write to FILE instead of standard output\n"
"      --no-legend            leave out the legend box\n"
"      --max-input-size SIZE  refuse inputs that decompress past SIZE bytes\n"
"                             (K, M, G suffixes; default 1G)\n"
"      --max-stack-depth N    refuse samples deeper than N frames (default %d)\n"
"  -h, --help                 show this help\n"
"      --version              show the version\n", prog, PROF_DEFAULT_MAX_DEPTH);
}

static int
bad_arg(const char *opt, const char *arg, const char *why)
{
	diag_printf(prog, "%s %s: %s", opt, arg, why);
	return 2;
}

/* A non-negative integer with an optional K/M/G (binary) suffix. */
static int
parse_size(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
parse_fraction(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0 && v <= 1))
		return -1;
	*out = v;
	return 0;
}

/*
 * Prefix a message about the profile as a whole with the inputs' names,
 * the "FILE: " of the tools' one voice.
 */
static void
name_inputs(const struct prof *p, struct diag *d)
{
	char msg[DIAG_MSG_MAX], names[512] = "";
	size_t i, len = 0;

	for (i = 0; i < p->nsources && len < sizeof names; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
		    i > 0 ? ", " : "", p->sources[i]);
	snprintf(msg, sizeof msg, "%s", d->msg);
	diag_clear(d);
	diag_set(d, "%s: %s", names, msg);
}

struct rebuild_ctx {
	const struct prof *p;
	const struct graph_space *s;
	struct graph_build_opts bo;
	unsigned char *kept;		/* per info */
};

/* trim's rebuild step: replay the stacks with only the kept nodes. */
static struct graph *
rebuild(void *vctx, const struct graph *g, const unsigned char *keep,
    bool tags, struct diag *d)
{
	struct rebuild_ctx *c = vctx;
	size_t i;

	memset(c->kept, 0, c->s->ninfos);
	for (i = 0; i < g->nnodes; i++)
		if (keep[i])
			c->kept[g->info[i]] = 1;
	c->bo.kept = c->kept;
	c->bo.tags = tags;
	c->bo.nodes_only = false;
	return graph_build(c->p, c->s, &c->bo, d);
}

int
main(int argc, char **argv)
{
	const char *sample_index = NULL, *output = NULL;
	enum graph_gran gran = GRAN_FUNCTIONS;
	struct trim_opts topts = { TRIM_DEFAULT_NODECOUNT,
	    TRIM_DEFAULT_NODE_FRACTION, TRIM_DEFAULT_EDGE_FRACTION, true };
	struct style_opts sopts = { STYLE_PPROF, true };
	struct prof_limits limits = { INPUT_DEFAULT_MAX,
	    PROF_DEFAULT_MAX_DEPTH };
	struct trim_result tr;
	struct rebuild_ctx rc;
	struct todot_opts to;
	struct diag d = { false, "" };
	struct prof *p = NULL;
	struct graph_space *space = NULL;
	struct graph *g = NULL;
	Agraph_t *dg = NULL;
	FILE *out = stdout;
	const char *stdin_only[] = { "-" };
	const char *const *files;
	int nfiles, sel, c, i, status = 2;
	uint64_t u;

	while ((c = getopt_long(argc, argv, "i:g:n:o:h", long_opts,
	    NULL)) != -1) {
		switch (c) {
		case 'i':
			sample_index = optarg;
			break;
		case 'g':
			if ((i = graph_gran_parse(optarg)) < 0)
				return bad_arg("-g", optarg, "not one of "
				    "functions, filefunctions, files, lines, "
				    "addresses");
			gran = (enum graph_gran)i;
			break;
		case 'n':
			if (parse_size(optarg, UINT32_MAX, &u) != 0 ||
			    strpbrk(optarg, "kKmMgGbB") != NULL)
				return bad_arg("-n", optarg,
				    "not a node count");
			topts.nodecount = (size_t)u;
			break;
		case OPT_NODE_FRACTION:
			if (parse_fraction(optarg, &topts.node_fraction) != 0)
				return bad_arg("--node-fraction", optarg,
				    "not a fraction between 0 and 1");
			break;
		case OPT_EDGE_FRACTION:
			if (parse_fraction(optarg, &topts.edge_fraction) != 0)
				return bad_arg("--edge-fraction", optarg,
				    "not a fraction between 0 and 1");
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_NO_LEGEND:
			sopts.legend = false;
			break;
		case OPT_MAX_INPUT:
			if (parse_size(optarg, UINT64_MAX / 2, &u) != 0 ||
			    u == 0)
				return bad_arg("--max-input-size", optarg,
				    "not a size");
			limits.max_input = u;
			break;
		case OPT_MAX_DEPTH:
			if (parse_size(optarg, UINT32_MAX - 1, &u) != 0 ||
			    u == 0 || strpbrk(optarg, "kKmMgGbB") != NULL)
				return bad_arg("--max-stack-depth", optarg,
				    "not a frame count");
			limits.max_depth = (uint32_t)u;
			break;
		case 'h':
			usage(stdout);
			return ferror(stdout) || fclose(stdout) != 0 ? 2 : 0;
		case OPT_VERSION:
			printf("%s %s\n", prog, PACKAGE_VERSION);
			return ferror(stdout) || fclose(stdout) != 0 ? 2 : 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	files = optind < argc ? (const char *const *)argv + optind :
	    stdin_only;
	nfiles = optind < argc ? argc - optind : 1;

	if ((p = prof_new(&limits, PROF_NO_BASE)) == NULL) {
		diag_nomem(&d);
		goto fail;
	}
	for (i = 0; i < nfiles; i++)
		if (load_profile(p, files[i], &d) != 0)
			goto fail;
	if ((sel = prof_sample_index(p, sample_index, &d)) < 0) {
		name_inputs(p, &d);
		goto fail;
	}
	if ((space = graph_space_new(p, gran, &d)) == NULL)
		goto fail;
	memset(&rc, 0, sizeof rc);
	rc.p = p;
	rc.s = space;
	rc.bo.sel = (size_t)sel;
	rc.bo.nodes_only = true;	/* the first pass needs only cum */
	if ((rc.kept = calloc(space->ninfos + 1, 1)) == NULL) {
		diag_nomem(&d);
		goto fail;
	}
	if ((g = graph_build(p, space, &rc.bo, &d)) == NULL ||
	    trim_run(&g, &topts, rebuild, &rc, &tr, &d) != 0) {
		name_inputs(p, &d);
		goto fail_rc;
	}
	to.tool = PACKAGE_NAME " pprof2graph " PACKAGE_VERSION;
	to.sel = (size_t)sel;
	to.gran = gran;
	to.trim = &topts;
	to.trimmed = &tr;
	if ((dg = todot_graph(p, space, g, &to, &d)) == NULL ||
	    style_apply(dg, &sopts, &d) != 0) {
		name_inputs(p, &d);
		goto fail_rc;
	}

	/* The graph is complete: only now is anything written. */
	if (output != NULL && (out = fopen(output, "w")) == NULL) {
		diag_set(&d, "%s: %s", output, strerror(errno));
		goto fail_rc;
	}
	if (dotio_write(dg, out, output != NULL ? output : "<stdout>",
	    &d) != 0 || fclose(out) != 0) {
		if (!d.set)
			diag_set(&d, "%s: %s", output != NULL ? output :
			    "<stdout>", strerror(errno));
		out = NULL;
		goto fail_rc;
	}
	out = NULL;
	status = 0;
fail_rc:
	free(rc.kept);
fail:
	if (status != 0)
		diag_print(prog, &d);
	if (out != NULL && out != stdout)
		fclose(out);
	if (dg != NULL)
		agclose(dg);
	graph_free(g);
	graph_space_free(space);
	prof_free(p);
	return status;
}
