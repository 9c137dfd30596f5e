/*
 * mem: growable arrays and hashing, the small tools every module needs.
 *
 * Arrays grow geometrically with overflow-checked sizes; a failed
 * growth leaves the old array intact so the caller can report "out of
 * memory" and free it.  Hashes are 64-bit, seeded, and only ever used
 * for in-memory tables (never written anywhere).
 */
#ifndef GMV_MEM_H
#define GMV_MEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Make room for at least need elements of size elsize in *arr, whose
 * capacity is *cap.  Returns 0, or -1 (array untouched) when the size
 * overflows or memory runs out.
 */
int mem_reserve(void *arr, size_t *cap, size_t need, size_t elsize);

/* Hash len bytes at p. */
uint64_t mem_hash(const void *p, size_t len, uint64_t seed);

/* Mix one 64-bit value into a hash state (order-sensitive). */
static inline uint64_t
mem_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* calloc/realloc with an overflow-checked element count. */
void *mem_calloc(size_t n, size_t elsize);
void *mem_realloc_array(void *p, size_t n, size_t elsize);

#endif
