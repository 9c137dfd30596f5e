/*
 * cli: option values.  See cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>

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
