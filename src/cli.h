/*
 * cli: what every tool's command line shares — numbers parsed with
 * range checks, the same way everywhere, so an option means the same
 * in every tool (STYLE.md).
 */
#ifndef GMV_CLI_H
#define GMV_CLI_H

#include <stdint.h>

/* A count: decimal digits only, at most max.  0 or -1. */
int cli_count(const char *s, uint64_t max, uint64_t *out);

/* A size: digits with an optional K, M or G (binary) and B.  0 or -1. */
int cli_size(const char *s, uint64_t max, uint64_t *out);

/* A fraction between 0 and 1.  0 or -1. */
int cli_fraction(const char *s, double *out);

#endif
