/*
 * cli: option values.  See cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>

#include "config.h"
#include "diag.h"
#include "rx.h"

int
cli_size(const char *s, uint64_t max, uint64_t *out)
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

int
cli_count(const char *s, uint64_t max, uint64_t *out)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return p == s ? -1 : cli_size(s, max, out);
}

int
cli_fraction(const char *s, double *out)
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

static enum cli_result
bad(const struct cli_common *cc, const char *opt, const char *arg,
    const char *why)
{
	diag_printf(cc->prog, "%s %s: %s", opt, arg, why);
	return CLI_EXIT_FAIL;
}

enum cli_result
cli_common(const struct cli_common *cc, int c, const char *arg)
{
	uint64_t u;

	switch (c) {
	case 'n':
		if (cli_count(arg, UINT32_MAX, &u) != 0)
			return bad(cc, "-n", arg, "not a node count");
		cc->trim->nodecount = (size_t)u;
		return CLI_DONE;
	case CLI_OPT_NODE_FRACTION:
		if (cli_fraction(arg, &cc->trim->node_fraction) != 0)
			return bad(cc, "--node-fraction", arg,
			    "not a fraction between 0 and 1");
		return CLI_DONE;
	case CLI_OPT_EDGE_FRACTION:
		if (cli_fraction(arg, &cc->trim->edge_fraction) != 0)
			return bad(cc, "--edge-fraction", arg,
			    "not a fraction between 0 and 1");
		return CLI_DONE;
	case CLI_OPT_NO_LEGEND:
		*cc->legend = false;
		return CLI_DONE;
	case CLI_OPT_REGEX_MATCH_LIMIT:
	case CLI_OPT_REGEX_DEPTH_LIMIT:
		if (cli_count(arg, UINT32_MAX, &u) != 0 || u == 0)
			return bad(cc, c == CLI_OPT_REGEX_MATCH_LIMIT ?
			    "--regex-match-limit" : "--regex-depth-limit", arg,
			    "not a count from 1 to 4294967295");
		if (c == CLI_OPT_REGEX_MATCH_LIMIT)
			rx_set_limits((uint32_t)u, 0);
		else
			rx_set_limits(0, (uint32_t)u);
		return CLI_DONE;
	case 'o':
		*cc->output = arg;
		return CLI_DONE;
	case 'h':
		cc->usage(stdout);
		break;
	case CLI_OPT_VERSION:
		printf("%s %s\n", cc->prog, PACKAGE_VERSION);
		break;
	default:
		return CLI_NOT_COMMON;
	}
	return ferror(stdout) || fclose(stdout) != 0 ? CLI_EXIT_FAIL :
	    CLI_EXIT_OK;
}
