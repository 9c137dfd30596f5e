/*
 * graphstyle: draw DOT graphs with one of the looks of src/style.c.
 *
 * The retention look (in-use bytes, coloured by how much of what was
 * allocated is still in use, classes and suspicious nodes marked) is
 * also a Graphviz layout plugin (plugins/); this filter gives the same
 * picture in any pipeline, without installing anything and without a
 * layout.  Every graph of every input is styled and written as soon as
 * it is complete, so a stream of snapshots stays a stream.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "cli.h"
#include "diag.h"
#include "dotio.h"
#include "marks.h"
#include "retention.h"
#include "rx.h"
#include "style.h"

static const char *prog = "graphstyle";

enum {
	OPT_RULES = 256,
	OPT_FAN_OUT,
	OPT_FLAT_SHARE,
	OPT_CLUSTER,
};

static const struct option long_opts[] = {
	{ "scheme", required_argument, NULL, 's' },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "fan-out", required_argument, NULL, OPT_FAN_OUT },
	{ "flat-share", required_argument, NULL, OPT_FLAT_SHARE },
	{ "cluster", required_argument, NULL, OPT_CLUSTER },
	{ "no-legend", no_argument, NULL, CLI_OPT_NO_LEGEND },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CLI_OPT_VERSION },
	CLI_REGEX_LONG_OPTS,
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-s pprof|diff|retention|none] [--rules file] [--fan-out k]\n"
"                  [--flat-share f] [--cluster package] [--no-legend]\n"
"                  [--regex-match-limit n] [--regex-depth-limit n]\n"
"                  [-o file] [file ...]\n"
"\n"
"Restyle DOT graphs written by the gomemviz tools from their data\n"
"attributes.  Every graph of every file is styled; none or - reads\n"
"standard input.\n"
"\n"
"  -s, --scheme NAME          pprof (default), diff, retention or none\n"
"      --rules FILE           class rules for the retention scheme\n"
"                             (default: the installed classes.rules)\n"
"      --fan-out K            suspicious when callees > K x callers\n"
"                             (default 3)\n"
"      --flat-share F         suspicious when flat > F x cum, for nodes\n"
"                             with callees (default 0.4)\n"
"      --cluster package      group nodes into a cluster per Go package\n"
"      --no-legend            leave out the legend box\n"
"      --regex-match-limit N  stop a rule after N steps of matching one\n"
"                             name (PCRE2's match limit; default %u)\n"
"      --regex-depth-limit N  PCRE2's backtracking depth limit (default %u)\n"
"  -o, --output FILE          write to FILE instead of standard output\n"
"  -h, --help                 show this help\n"
"      --version              show the version\n"
"\n"
"Exit status: 0 on success, 2 on trouble.\n",
	    prog, RX_DEFAULT_MATCH_LIMIT, RX_DEFAULT_DEPTH_LIMIT);
}

static int
bad_arg(const char *opt, const char *arg, const char *why)
{
	diag_printf(prog, "%s %s: %s", opt, arg, why);
	return 2;
}

/* A positive number up to max; 0 or -1. */
static int
parse_positive(const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v <= 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

struct run {
	const struct style_opts *o;
	bool warned;		/* the fallback scheme was said for this input */
};

/* Style one graph (dotio_each's step), saying once per input when the
 * retention scheme cannot be drawn. */
static int
style_one(void *ctx, Agraph_t *g, const struct dotio_in *in, struct diag *d)
{
	struct run *r = ctx;
	const char *why, *dm;

	if (r->o->scheme == STYLE_RETENTION && !r->warned &&
	    dotio_sym(g, AGNODE, "cum", false) != NULL &&
	    (why = retention_unusable(g)) != NULL) {
		dm = dotio_get(g, "diff_mode");
		diag_printf(prog, "%s: %s: drawn with the %s scheme", in->name,
		    why, dm != NULL && (strcmp(dm, "graphs") == 0 ||
		    strcmp(dm, "trend") == 0) ? "diff" : "pprof");
		r->warned = true;
	}
	return style_apply(g, r->o, d);
}

int
main(int argc, char **argv)
{
	struct style_opts o;
	struct trim_opts unused;
	struct diag d = { false, "" };
	struct cli_common cc;
	enum cli_result cr;
	struct classes *classes = NULL;
	const char *output = NULL, *outname = "<stdout>", *rules = NULL;
	FILE *out = stdout;
	int c, i, s, status = 2;

	memset(&o, 0, sizeof o);
	memset(&unused, 0, sizeof unused);
	o.scheme = STYLE_PPROF;
	o.legend = true;
	o.tags = true;
	o.fan_out = MARKS_DEFAULT_FAN_OUT;
	o.flat_share = MARKS_DEFAULT_FLAT_SHARE;
	cc = (struct cli_common){ prog, usage, &unused, &o.legend, &output };

	while ((c = getopt_long(argc, argv, "s:o:h", long_opts, NULL)) != -1) {
		if ((cr = cli_common(&cc, c, optarg)) == CLI_DONE)
			continue;
		if (cr != CLI_NOT_COMMON)
			return (int)cr;
		switch (c) {
		case 's':
			if ((s = style_scheme_parse(optarg)) < 0)
				return bad_arg("--scheme", optarg, "not pprof, "
				    "diff, retention or none");
			o.scheme = (enum style_scheme)s;
			break;
		case OPT_RULES:
			rules = optarg;
			break;
		case OPT_FAN_OUT:
			if (parse_positive(optarg, 1e6, &o.fan_out) != 0)
				return bad_arg("--fan-out", optarg, "not a "
				    "number above 0");
			break;
		case OPT_FLAT_SHARE:
			if (cli_fraction(optarg, &o.flat_share) != 0 ||
			    o.flat_share <= 0)
				return bad_arg("--flat-share", optarg, "not a "
				    "fraction above 0, at most 1");
			break;
		case OPT_CLUSTER:
			if (strcmp(optarg, "package") != 0)
				return bad_arg("--cluster", optarg, "not "
				    "package");
			o.cluster_package = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (rules != NULL)
		classes = classes_load(rules, &d);
	else if (o.scheme == STYLE_RETENTION)
		classes = classes_default(&d);
	if ((rules != NULL || o.scheme == STYLE_RETENTION) && classes == NULL)
		goto fail;
	o.classes = classes;
	if (output != NULL) {
		if ((out = fopen(output, "w")) == NULL) {
			diag_set(&d, "%s: %s", output, strerror(errno));
			goto fail;
		}
		outname = output;
	}
	if (optind >= argc) {
		if (dotio_each("-", style_one, &(struct run){ &o, false },
		    out, outname, &d) != 0)
			goto fail;
	} else {
		for (i = optind; i < argc; i++)
			if (dotio_each(argv[i], style_one,
			    &(struct run){ &o, false }, out, outname, &d) != 0)
				goto fail;
	}
	if (fclose(out) != 0) {
		out = NULL;
		diag_set(&d, "%s: %s", outname, strerror(errno));
		goto fail;
	}
	out = NULL;
	status = 0;
	goto done;
fail:
	diag_print(prog, &d);
done:
	if (out != NULL && out != stdout)
		fclose(out);
	classes_free(classes);
	return status;
}
