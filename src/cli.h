/*
 * cli: what every tool's command line shares — numbers parsed with
 * range checks, the same way everywhere, so an option means the same
 * in every tool (STYLE.md).
 */
#ifndef GMV_CLI_H
#define GMV_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trim.h"

/* A count: decimal digits only, at most max.  0 or -1. */
int cli_count(const char *s, uint64_t max, uint64_t *out);

/* A size: digits with an optional K, M or G (binary) and B.  0 or -1. */
int cli_size(const char *s, uint64_t max, uint64_t *out);

/* A fraction between 0 and 1.  0 or -1. */
int cli_fraction(const char *s, double *out);

/*
 * The options every graph tool shares: -n, --node-fraction,
 * --edge-fraction, --no-legend, -o, -h and --version.  A tool puts
 * CLI_COMMON_LONG_OPTS in its getopt_long table, "n:o:h" in its short
 * options, numbers its own long-only options below CLI_OPT_FIRST, and
 * hands every option to cli_common before its own switch.
 */
enum {
	CLI_OPT_FIRST = 1000,
	CLI_OPT_NODE_FRACTION = CLI_OPT_FIRST,
	CLI_OPT_EDGE_FRACTION,
	CLI_OPT_NO_LEGEND,
	CLI_OPT_VERSION,
	CLI_OPT_REGEX_MATCH_LIMIT,
	CLI_OPT_REGEX_DEPTH_LIMIT,
};

#define CLI_COMMON_LONG_OPTS \
	{ "nodecount", required_argument, NULL, 'n' }, \
	{ "node-fraction", required_argument, NULL, CLI_OPT_NODE_FRACTION }, \
	{ "edge-fraction", required_argument, NULL, CLI_OPT_EDGE_FRACTION }, \
	{ "no-legend", no_argument, NULL, CLI_OPT_NO_LEGEND }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, CLI_OPT_VERSION }

/*
 * The PCRE2 limits, for the tools that match patterns the user gives:
 * they add CLI_REGEX_LONG_OPTS to their table, and cli_common takes
 * them (rx_set_limits).
 */
#define CLI_REGEX_LONG_OPTS \
	{ "regex-match-limit", required_argument, NULL, \
	    CLI_OPT_REGEX_MATCH_LIMIT }, \
	{ "regex-depth-limit", required_argument, NULL, \
	    CLI_OPT_REGEX_DEPTH_LIMIT }

/* Where the shared options go. */
struct cli_common {
	const char *prog;
	void (*usage)(FILE *f);	/* -h writes it to stdout */
	struct trim_opts *trim;
	bool *legend;
	const char **output;
};

/* cli_common's answer: the option is not shared (the tool's own), or
 * taken, or the tool exits with CLI_EXIT_OK (help or version written)
 * or CLI_EXIT_FAIL (a bad value, said on stderr; stdout not written). */
enum cli_result {
	CLI_NOT_COMMON = -1,
	CLI_DONE = -2,
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 2,
};

/* Take option c (getopt_long's answer) with argument arg if shared. */
enum cli_result cli_common(const struct cli_common *cc, int c,
    const char *arg);

#endif
