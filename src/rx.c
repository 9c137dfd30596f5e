/*
 * rx: PCRE2 (8-bit) with limits.  See rx.h.
 */
#include "rx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static uint32_t match_limit = RX_DEFAULT_MATCH_LIMIT;
static uint32_t depth_limit = RX_DEFAULT_DEPTH_LIMIT;

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	char *pattern;
};

struct rx *
rx_new(const char *pattern, unsigned flags, struct diag *d)
{
	struct rx *r = calloc(1, sizeof *r);
	uint32_t opts = 0;
	int err;
	PCRE2_SIZE off;

	if (r == NULL || (r->pattern = strdup(pattern)) == NULL) {
		free(r);
		diag_nomem(d);
		return NULL;
	}
	if (flags & RX_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & RX_DOLLAR_ENDONLY)
		opts |= PCRE2_DOLLAR_ENDONLY;
	r->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    opts, &err, &off, NULL);
	if (r->code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof msg);
		diag_set(d, "bad pattern '%s': %s at offset %zu", pattern,
		    (const char *)msg, (size_t)off);
		rx_free(r);
		return NULL;
	}
	r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
	r->mc = pcre2_match_context_create(NULL);
	if (r->md == NULL || r->mc == NULL) {
		diag_nomem(d);
		rx_free(r);
		return NULL;
	}
	pcre2_set_match_limit(r->mc, match_limit);
	pcre2_set_depth_limit(r->mc, depth_limit);
	return r;
}

void
rx_set_limits(uint32_t match, uint32_t depth)
{
	if (match != 0)
		match_limit = match;
	if (depth != 0)
		depth_limit = depth;
}

void
rx_free(struct rx *r)
{
	if (r == NULL)
		return;
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mc);
	pcre2_code_free(r->code);
	free(r->pattern);
	free(r);
}

const char *
rx_pattern(const struct rx *r)
{
	return r->pattern;
}

int
rx_match(const struct rx *r, const char *s, size_t n, size_t *groups,
    size_t ngroups, struct diag *d)
{
	int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, 0, 0, r->md, r->mc);
	PCRE2_SIZE *ov;
	size_t i, have;

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof msg);
		diag_set(d, "pattern '%s': %s%s", r->pattern,
		    (const char *)msg, rc == PCRE2_ERROR_MATCHLIMIT ?
		    " (the limit is set with --regex-match-limit)" :
		    rc == PCRE2_ERROR_DEPTHLIMIT ?
		    " (the limit is set with --regex-depth-limit)" : "");
		return -1;
	}
	ov = pcre2_get_ovector_pointer(r->md);
	have = pcre2_get_ovector_count(r->md);
	for (i = 0; i < ngroups; i++) {
		if (i < have && i < (size_t)rc &&
		    ov[2 * i] != PCRE2_UNSET) {
			groups[2 * i] = ov[2 * i];
			groups[2 * i + 1] = ov[2 * i + 1];
		} else {
			groups[2 * i] = groups[2 * i + 1] = SIZE_MAX;
		}
	}
	return 1;
}
