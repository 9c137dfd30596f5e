/*
 * rx: the project's regular expressions, on PCRE2.
 *
 * Patterns are compiled once and matched with hard match and depth
 * limits, so a catastrophic pattern stops with an error instead of
 * hanging a pipeline.  Compile errors carry PCRE2's message and the
 * offset in the pattern.
 */
#ifndef GMV_RX_H
#define GMV_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define RX_CASELESS 0x1
#define RX_DOLLAR_ENDONLY 0x2	/* "$" only at the very end, as RE2 */

#define RX_DEFAULT_MATCH_LIMIT 10000000u
#define RX_DEFAULT_DEPTH_LIMIT 100000u

struct rx;

/*
 * The match and depth limits of every pattern compiled from now on
 * (0 keeps the current one); the tools' --regex-match-limit and
 * --regex-depth-limit.  The process has one pair.
 */
void rx_set_limits(uint32_t match, uint32_t depth);

/* Compile pattern; NULL with "pattern: message at offset N" in d. */
struct rx *rx_new(const char *pattern, unsigned flags, struct diag *d);

/* Free; rx_free(NULL) is a no-op. */
void rx_free(struct rx *r);

/*
 * Match against s[0..n).  Returns 1 on a match, filling groups[2*i],
 * groups[2*i+1] with the start and end of group i for i < ngroups
 * (SIZE_MAX for a group that did not take part), 0 on no match, and -1
 * with a message in d when a limit was hit or matching failed.
 */
int rx_match(const struct rx *r, const char *s, size_t n, size_t *groups,
    size_t ngroups, struct diag *d);

/* The pattern text. */
const char *rx_pattern(const struct rx *r);

#endif
