/*
 * graphfocus: keep the part of DOT graphs around the nodes that match a
 * pattern.
 *
 * Every graph of every input is focused (src/focus.c) and written as
 * soon as it is complete, so a stream of snapshots stays a stream.  The
 * exit status says, like grep's, whether anything matched.
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
#include "dotio.h"
#include "focus.h"
#include "rx.h"

static const char *prog = "graphfocus";

enum {
	OPT_DOWN = 256,
	OPT_IGNORE,
	OPT_HIDE,
	OPT_SHOW,
};

static const struct option long_opts[] = {
	{ "ignore-case", no_argument, NULL, 'i' },
	{ "match", required_argument, NULL, 'm' },
	{ "up", required_argument, NULL, 'u' },
	{ "down", required_argument, NULL, OPT_DOWN },
	{ "depth", required_argument, NULL, 'd' },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "hide", required_argument, NULL, OPT_HIDE },
	{ "show", required_argument, NULL, OPT_SHOW },
	CLI_COMMON_LONG_OPTS,
	CLI_REGEX_LONG_OPTS,
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-i] [-m id,func,label] [-u n] [--down n] [-d n] [--ignore re]\n"
"                  [--hide re] [--show re] [-n count] [--node-fraction f]\n"
"                  [--edge-fraction f] [--no-legend] [--regex-match-limit n]\n"
"                  [--regex-depth-limit n] [-o file] pattern [file ...]\n"
"\n"
"Keep the part of DOT graphs around the nodes that match a pattern: the\n"
"matching nodes, their callers and their callees.  Every graph of every\n"
"file is focused; none or - reads standard input.\n"
"\n"
"  -i, --ignore-case          match without regard to case\n"
"  -m, --match LIST           match the node's id, func, label (default all)\n"
"  -u, --up N                 keep callers up to N calls away (default all)\n"
"      --down N               keep callees down to N calls away (default all)\n"
"  -d, --depth N              both\n"
"      --ignore RE            first drop nodes matching RE, and what only\n"
"                             they lead to\n"
"      --hide RE              remove nodes matching RE, joining their callers\n"
"                             to their callees\n"
"      --show RE              keep only nodes matching RE, joined the same way\n"
"  -n, --nodecount N          keep at most N nodes (default 80, 0 = all)\n"
"      --node-fraction F      drop nodes below F of the total (default 0.005)\n"
"      --edge-fraction F      drop edges below F of the total (default 0.001)\n"
"      --no-legend            leave out the legend box\n"
"      --regex-match-limit N  stop a pattern after N steps of matching one\n"
"                             name (PCRE2's match limit; default %u)\n"
"      --regex-depth-limit N  PCRE2's backtracking depth limit (default %u)\n"
"  -o, --output FILE          write to FILE instead of standard output\n"
"  -h, --help                 show this help\n"
"      --version              show the version\n"
"\n"
"Exit status: 0 when a node matched, 1 when none did, 2 on trouble.\n",
	    prog, RX_DEFAULT_MATCH_LIMIT, RX_DEFAULT_DEPTH_LIMIT);
}

static int
bad_arg(const char *opt, const char *arg, const char *why)
{
	diag_printf(prog, "%s %s: %s", opt, arg, why);
	return 2;
}

static int
parse_match(const char *s, unsigned *out)
{
	*out = 0;
	while (*s != '\0') {
		size_t n = strcspn(s, ",");

		if (n == 2 && strncmp(s, "id", 2) == 0)
			*out |= FOCUS_MATCH_ID;
		else if (n == 4 && strncmp(s, "func", 4) == 0)
			*out |= FOCUS_MATCH_FUNC;
		else if (n == 5 && strncmp(s, "label", 5) == 0)
			*out |= FOCUS_MATCH_LABEL;
		else
			return -1;
		s += n + (s[n] == ',');
	}
	return *out != 0 ? 0 : -1;
}

struct run {
	struct focus *f;
	size_t matched;
};

/* Focus one graph (dotio_each's step). */
static int
focus_one(void *ctx, Agraph_t *g, const struct dotio_in *in, struct diag *d)
{
	struct run *r = ctx;
	size_t m;

	(void)in;
	if (focus_graph(r->f, g, &m, d) != 0)
		return -1;
	r->matched += m;
	return 0;
}

int
main(int argc, char **argv)
{
	struct focus_opts o;
	struct diag d = { false, "" };
	struct cli_common cc;
	enum cli_result cr;
	struct focus *f = NULL;
	const char *output = NULL, *outname = "<stdout>";
	FILE *out = stdout;
	struct run r = { NULL, 0 };
	uint64_t u;
	int c, i, status = 2;

	memset(&o, 0, sizeof o);
	o.match = FOCUS_MATCH_ID | FOCUS_MATCH_FUNC | FOCUS_MATCH_LABEL;
	o.up = o.down = -1;
	o.trim.nodecount = TRIM_DEFAULT_NODECOUNT;
	o.trim.node_fraction = TRIM_DEFAULT_NODE_FRACTION;
	o.trim.edge_fraction = TRIM_DEFAULT_EDGE_FRACTION;
	o.style.scheme = STYLE_PPROF;
	o.style.legend = true;
	cc = (struct cli_common){ prog, usage, &o.trim, &o.style.legend,
	    &output };

	while ((c = getopt_long(argc, argv, "im:u:d:n:o:h", long_opts,
	    NULL)) != -1) {
		if ((cr = cli_common(&cc, c, optarg)) == CLI_DONE)
			continue;
		if (cr != CLI_NOT_COMMON)
			return (int)cr;
		switch (c) {
		case 'i':
			o.icase = true;
			break;
		case 'm':
			if (parse_match(optarg, &o.match) != 0)
				return bad_arg("-m", optarg, "not a list of "
				    "id, func, label");
			break;
		case 'u':
		case 'd':
		case OPT_DOWN:
			if (cli_count(optarg, 1000000000, &u) != 0)
				return bad_arg(c == 'u' ? "--up" : c == 'd' ?
				    "--depth" : "--down", optarg,
				    "not a number of calls");
			if (c != OPT_DOWN)
				o.up = (long)u;
			if (c != 'u')
				o.down = (long)u;
			break;
		case OPT_IGNORE:
			o.ignore = optarg;
			break;
		case OPT_HIDE:
			o.hide = optarg;
			break;
		case OPT_SHOW:
			o.show = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	o.pattern = argv[optind++];
	if ((f = focus_new(&o, &d)) == NULL)
		goto fail;
	if (output != NULL) {
		if ((out = fopen(output, "w")) == NULL) {
			diag_set(&d, "%s: %s", output, strerror(errno));
			goto fail;
		}
		outname = output;
	}
	r.f = f;
	if (optind >= argc) {
		if (dotio_each("-", focus_one, &r, out, outname, &d) != 0)
			goto fail;
	} else {
		for (i = optind; i < argc; i++)
			if (dotio_each(argv[i], focus_one, &r, out, outname,
			    &d) != 0)
				goto fail;
	}
	if (fclose(out) != 0) {
		out = NULL;
		diag_set(&d, "%s: %s", outname, strerror(errno));
		goto fail;
	}
	out = NULL;
	if (r.matched == 0) {
		diag_printf(prog, "no node matched %s", o.pattern);
		status = 1;
	} else {
		status = 0;
	}
	goto done;
fail:
	diag_print(prog, &d);
done:
	if (out != NULL && out != stdout)
		fclose(out);
	focus_free(f);
	return status;
}
