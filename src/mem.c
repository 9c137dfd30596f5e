/*
 * mem: growable arrays and hashing.  See mem.h.
 */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

int
mem_reserve(void *arr, size_t *cap, size_t need, size_t elsize)
{
	void **pp = arr;
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap < 16 ? 16 : *cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elsize)
		return -1;
	np = realloc(*pp, ncap * elsize);
	if (np == NULL)
		return -1;
	*pp = np;
	*cap = ncap;
	return 0;
}

void *
mem_calloc(size_t n, size_t elsize)
{
	if (n == 0)
		n = 1;
	return calloc(n, elsize);
}

void *
mem_realloc_array(void *p, size_t n, size_t elsize)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / elsize)
		return NULL;
	return realloc(p, n * elsize);
}

static inline uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/*
 * A multiply-xorshift hash over 8-byte words with a murmur-style final
 * avalanche.  Fast on long keys (stacks, long C++ names), good enough
 * distribution for open addressing.
 */
uint64_t
mem_hash(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
	uint64_t w;

	while (len >= 8) {
		w = rd64(s) * 0x87c37b91114253d5ULL;
		w = (w << 31) | (w >> 33);
		h ^= w * 0x4cf5ad432745937fULL;
		h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
		s += 8;
		len -= 8;
	}
	w = 0;
	switch (len) {
	case 7: w |= (uint64_t)s[6] << 48; /* FALLTHROUGH */
	case 6: w |= (uint64_t)s[5] << 40; /* FALLTHROUGH */
	case 5: w |= (uint64_t)s[4] << 32; /* FALLTHROUGH */
	case 4: w |= (uint64_t)s[3] << 24; /* FALLTHROUGH */
	case 3: w |= (uint64_t)s[2] << 16; /* FALLTHROUGH */
	case 2: w |= (uint64_t)s[1] << 8; /* FALLTHROUGH */
	case 1: w |= (uint64_t)s[0];
		w *= 0x87c37b91114253d5ULL;
		w = (w << 31) | (w >> 33);
		h ^= w * 0x4cf5ad432745937fULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}
