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

#include "cli.h"
#include "diag.h"
#include "dotio.h"
#include "input.h"
#include "pipeline.h"
#include "progress.h"
#include "rx.h"

static const char *prog = "pprof2graph";

enum {
	OPT_MAX_INPUT = 256,
	OPT_MAX_DEPTH,
	OPT_MAX_SAMPLES,
	OPT_MAX_LOCATIONS,
	OPT_MAX_STRING,
	OPT_FOCUS,
	OPT_IGNORE,
	OPT_HIDE,
	OPT_SHOW,
	OPT_SHOW_FROM,
	OPT_PRUNE_FROM,
	OPT_TAGFOCUS,
	OPT_TAGIGNORE,
	OPT_RELATIVE,
	OPT_BASE,
	OPT_DIFF_BASE,
	OPT_NORMALIZE,
	OPT_DROP_NEGATIVE,
	OPT_TAGS,
};

/* Short options: the shared ones and pprof2graph's own. */
#define SHORT_OPTS "i:g:n:o:hq"

static const struct option long_opts[] = {
	{ "sample-index", required_argument, NULL, 'i' },
	{ "granularity", required_argument, NULL, 'g' },
	{ "max-input-size", required_argument, NULL, OPT_MAX_INPUT },
	{ "max-stack-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-samples", required_argument, NULL, OPT_MAX_SAMPLES },
	{ "max-locations", required_argument, NULL, OPT_MAX_LOCATIONS },
	{ "max-string-length", required_argument, NULL, OPT_MAX_STRING },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "hide", required_argument, NULL, OPT_HIDE },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "show-from", required_argument, NULL, OPT_SHOW_FROM },
	{ "prune-from", required_argument, NULL, OPT_PRUNE_FROM },
	{ "tagfocus", required_argument, NULL, OPT_TAGFOCUS },
	{ "tagignore", required_argument, NULL, OPT_TAGIGNORE },
	{ "relative-percentages", no_argument, NULL, OPT_RELATIVE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "diff-base", required_argument, NULL, OPT_DIFF_BASE },
	{ "normalize", no_argument, NULL, OPT_NORMALIZE },
	{ "drop-negative", no_argument, NULL, OPT_DROP_NEGATIVE },
	{ "tags", no_argument, NULL, OPT_TAGS },
	{ "quiet", no_argument, NULL, 'q' },
	CLI_COMMON_LONG_OPTS,
	CLI_REGEX_LONG_OPTS,
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-q] [-i type] [-g granularity] [-n count]\n"
"                   [--node-fraction f] [--edge-fraction f] [--focus re]\n"
"                   [--ignore re] [--hide re] [--show re] [--show-from re]\n"
"                   [--prune-from re] [--tagfocus spec] [--tagignore spec]\n"
"                   [--relative-percentages] [--base file | --diff-base file]\n"
"                   [--normalize] [--drop-negative] [--tags] [--no-legend]\n"
"                   [--max-input-size size] [--max-stack-depth n]\n"
"                   [--max-samples n] [--max-locations n]\n"
"                   [--max-string-length size] [--regex-match-limit n]\n"
"                   [--regex-depth-limit n] [-o file] [file ...]\n"
"\n"
"Turn profiles (pprof protobuf, gzipped or not; Go's debug=1 text; folded\n"
"stacks) into an annotated DOT call graph.  Several files are merged; none\n"
"or - reads standard input.\n"
"\n"
"  -i, --sample-index TYPE    sample type to graph, by name or number\n"
"                             (default: the profile's default, else the last)\n"
"  -g, --granularity G        functions (default), filefunctions, files,\n"
"                             lines or addresses\n"
"  -n, --nodecount N          keep at most N nodes (default 80, 0 = all)\n"
"      --node-fraction F      drop nodes below F of the total (default 0.005)\n"
"      --edge-fraction F      drop edges below F of the total (default 0.001)\n"
"      --focus RE             keep samples with a frame matching RE\n"
"      --ignore RE            drop samples with a frame matching RE\n"
"      --hide RE              remove frames matching RE\n"
"      --show RE              keep only frames matching RE\n"
"      --show-from RE         drop frames above the root-most match of RE\n"
"      --prune-from RE        drop frames below the leaf-most match of RE\n"
"      --tagfocus SPEC        keep samples whose labels match SPEC\n"
"      --tagignore SPEC       drop samples whose labels match SPEC\n"
"      --relative-percentages percentages of what the filters keep\n"
"      --base FILE            subtract the profile FILE (repeatable)\n"
"      --diff-base FILE       compare with FILE, percentages of it (repeatable)\n"
"      --normalize            scale the profile to the base's total first\n"
"      --drop-negative        leave out nodes that only shrank\n"
"      --tags                 draw the allocation-size and label boxes\n"
"  -o, --output FILE          write to FILE instead of standard output\n"
"  -q, --quiet                no progress line on a terminal\n"
"      --no-legend            leave out the legend box\n"
"      --max-input-size SIZE  refuse inputs that decompress past SIZE bytes\n"
"                             (K, M, G suffixes; default 1G)\n"
"      --max-stack-depth N    refuse samples deeper than N frames (default %d)\n"
"      --max-samples N        refuse inputs of more than N samples\n"
"                             (default %llu)\n"
"      --max-locations N      refuse inputs of more than N locations (or\n"
"                             functions, or mappings; default %llu)\n"
"      --max-string-length SIZE\n"
"                             refuse names and other strings longer than SIZE\n"
"                             bytes (K, M, G suffixes; default 1M)\n"
"      --regex-match-limit N  stop a pattern after N steps of matching one\n"
"                             name (PCRE2's match limit; default %u)\n"
"      --regex-depth-limit N  PCRE2's backtracking depth limit (default %u)\n"
"  -h, --help                 show this help\n"
"      --version              show the version\n", prog, PROF_DEFAULT_MAX_DEPTH,
	    (unsigned long long)PROF_DEFAULT_MAX_SAMPLES,
	    (unsigned long long)PROF_DEFAULT_MAX_LOCATIONS,
	    RX_DEFAULT_MATCH_LIMIT, RX_DEFAULT_DEPTH_LIMIT);
}

static void
bad_arg(const char *opt, const char *arg, const char *why)
{
	diag_printf(prog, "%s %s: %s", opt, arg, why);
}

/*
 * A --max-* option's value arg: a size (with a unit suffix) or a count,
 * from 1 to max; false after saying it is "notone".
 */
static bool
limit_arg(const char *opt, const char *arg, const char *notone, bool size,
    uint64_t max, uint64_t *out)
{
	uint64_t u;

	if ((size ? cli_size(arg, max, &u) : cli_count(arg, max, &u)) != 0 ||
	    u == 0) {
		bad_arg(opt, arg, notone);
		return false;
	}
	*out = u;
	return true;
}

static void
warn(void *ctx, const char *opt, const char *pattern)
{
	(void)ctx;
	diag_printf(prog, "warning: --%s %s matched nothing", opt, pattern);
}

/* Add a file to a growing list; exits on no memory (a tool may). */
static void
push(const char ***list, size_t *n, const char *s)
{
	const char **nl = realloc(*list, (*n + 1) * sizeof **list);

	if (nl == NULL) {
		diag_printf(prog, "out of memory");
		exit(2);
	}
	nl[(*n)++] = s;
	*list = nl;
}

int
main(int argc, char **argv)
{
	struct pipeline_opts o;
	struct diag d = { false, "" };
	struct cli_common cc;
	enum cli_result cr;
	const char *output = NULL, **bases = NULL;
	const char *stdin_only[] = { "-" };
	size_t nbases = 0;
	Agraph_t *dg;
	FILE *out = stdout;
	int c, i, status = 2;
	bool base = false, diff_base = false, quiet = false;
	uint64_t u;

	memset(&o, 0, sizeof o);
	o.gran = GRAN_FUNCTIONS;
	o.trim.nodecount = TRIM_DEFAULT_NODECOUNT;
	o.trim.node_fraction = TRIM_DEFAULT_NODE_FRACTION;
	o.trim.edge_fraction = TRIM_DEFAULT_EDGE_FRACTION;
	o.trim.count_tags = true;
	o.style.scheme = STYLE_PPROF;
	o.style.legend = true;
	cc = (struct cli_common){ prog, usage, &o.trim, &o.style.legend,
	    &output };
	o.limits.max_input = INPUT_DEFAULT_MAX;
	o.limits.max_depth = PROF_DEFAULT_MAX_DEPTH;
	o.limits.max_samples = PROF_DEFAULT_MAX_SAMPLES;
	o.limits.max_locations = PROF_DEFAULT_MAX_LOCATIONS;
	o.limits.max_string = PROF_DEFAULT_MAX_STRING;
	o.tool = PACKAGE_NAME " pprof2graph " PACKAGE_VERSION;

	while ((c = getopt_long(argc, argv, SHORT_OPTS, long_opts,
	    NULL)) != -1) {
		if ((cr = cli_common(&cc, c, optarg)) == CLI_DONE)
			continue;
		if (cr != CLI_NOT_COMMON) {
			status = (int)cr;
			goto done;
		}
		switch (c) {
		case 'i':
			o.sample_index = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'g':
			if ((i = graph_gran_parse(optarg)) < 0) {
				bad_arg("-g", optarg, "not one of "
				    "functions, filefunctions, files, lines, "
				    "addresses");
				goto done;
			}
			o.gran = (enum graph_gran)i;
			break;
		case OPT_MAX_INPUT:
			if (!limit_arg("--max-input-size", optarg,
			    "not a size", true, UINT64_MAX / 2,
			    &o.limits.max_input))
				goto done;
			break;
		case OPT_MAX_DEPTH:
			if (!limit_arg("--max-stack-depth", optarg,
			    "not a frame count", false, UINT32_MAX - 1, &u))
				goto done;
			o.limits.max_depth = (uint32_t)u;
			break;
		case OPT_MAX_SAMPLES:
			if (!limit_arg("--max-samples", optarg,
			    "not a sample count", false, UINT64_MAX / 2,
			    &o.limits.max_samples))
				goto done;
			break;
		case OPT_MAX_LOCATIONS:
			if (!limit_arg("--max-locations", optarg,
			    "not a location count", false, UINT32_MAX - 2,
			    &o.limits.max_locations))
				goto done;
			break;
		case OPT_MAX_STRING:
			if (!limit_arg("--max-string-length", optarg, "not a size",
			    true, UINT32_MAX, &o.limits.max_string))
				goto done;
			break;
		case OPT_FOCUS:
			o.filters.focus = optarg;
			break;
		case OPT_IGNORE:
			o.filters.ignore = optarg;
			break;
		case OPT_HIDE:
			o.filters.hide = optarg;
			break;
		case OPT_SHOW:
			o.filters.show = optarg;
			break;
		case OPT_SHOW_FROM:
			o.filters.show_from = optarg;
			break;
		case OPT_PRUNE_FROM:
			o.filters.prune_from = optarg;
			break;
		case OPT_TAGFOCUS:
			o.filters.tagfocus = optarg;
			break;
		case OPT_TAGIGNORE:
			o.filters.tagignore = optarg;
			break;
		case OPT_RELATIVE:
			o.relative = true;
			break;
		case OPT_BASE:
		case OPT_DIFF_BASE:
			if (c == OPT_BASE)
				base = true;
			else
				diff_base = true;
			push(&bases, &nbases, optarg);
			break;
		case OPT_NORMALIZE:
			o.normalize = true;
			break;
		case OPT_DROP_NEGATIVE:
			o.drop_negative = true;
			break;
		case OPT_TAGS:
			o.style.tags = true;
			break;
		default:
			usage(stderr);
			goto done;
		}
	}
	if (base && diff_base) {
		diag_printf(prog, "--base and --diff-base cannot be combined");
		goto done;
	}
	if (o.normalize && nbases == 0) {
		diag_printf(prog, "--normalize needs --base or --diff-base");
		goto done;
	}
	o.inputs = optind < argc ? (const char *const *)argv + optind :
	    stdin_only;
	o.ninputs = optind < argc ? (size_t)(argc - optind) : 1;
	o.bases = bases;
	o.nbases = nbases;
	o.base_mode = diff_base ? PROF_BASE_DIFF : PROF_BASE_SUBTRACT;

	/* Reading a big profile takes seconds: say how far it got, on a
	 * terminal only. */
	progress_enable(prog, !quiet);
	if ((dg = pipeline_run(&o, warn, NULL, &d)) == NULL)
		goto fail;
	/* The graph is complete: only now is anything written. */
	if (output != NULL && (out = fopen(output, "w")) == NULL) {
		diag_set(&d, "%s: %s", output, strerror(errno));
		goto fail;
	}
	if (dotio_write(dg, out, output != NULL ? output : "<stdout>",
	    &d) != 0 || fclose(out) != 0) {
		if (!d.set)
			diag_set(&d, "%s: %s", output != NULL ? output :
			    "<stdout>", strerror(errno));
		out = NULL;
		goto fail;
	}
	out = NULL;
	status = 0;
fail:
	if (status != 0)
		diag_print(prog, &d);
	if (out != NULL && out != stdout)
		fclose(out);
	if (dg != NULL)
		agclose(dg);
done:
	free(bases);
	return status;
}
