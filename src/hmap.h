/*
 * hmap: an open-addressing hash index from keys to dense uint32 ids.
 *
 * The table stores only (hash, id) pairs; the keys live in the caller's
 * own arrays, and lookups ask the caller whether id matches the key
 * being searched for.  That keeps every table in the project 8 bytes a
 * slot and lets strings, stacks and edges share one implementation.
 */
#ifndef GMV_HMAP_H
#define GMV_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HMAP_NONE UINT32_MAX

struct hmap_slot {
	uint32_t hash;		/* low 32 bits of the key's hash */
	uint32_t id1;		/* id + 1; 0 marks an empty slot */
};

struct hmap {
	struct hmap_slot *slots;
	size_t mask;		/* capacity - 1; capacity is a power of 2 */
	size_t len;
};

/* Does id hold the key being looked up? */
typedef bool hmap_eq_fn(const void *ctx, uint32_t id, const void *key);

/* An empty table; hmap_free of it is a no-op. */
#define HMAP_INIT { NULL, 0, 0 }

void hmap_free(struct hmap *h);

/* Forget all entries, keep the memory. */
void hmap_clear(struct hmap *h);

/* The id whose key equals key (by eq), or HMAP_NONE. */
uint32_t hmap_find(const struct hmap *h, uint64_t hash, hmap_eq_fn *eq,
    const void *ctx, const void *key);

/*
 * Add id under hash; the caller has checked it is absent.  Returns 0,
 * or -1 when memory runs out (the table is unchanged).
 */
int hmap_add(struct hmap *h, uint64_t hash, uint32_t id);

/* Make room for n entries without rehashing; 0 or -1. */
int hmap_reserve(struct hmap *h, size_t n);


/*
 * hmap64: the same idea for keys that fit in 64 bits (pairs of ids),
 * with the key stored in the slot, so a lookup is one probe sequence
 * and no callback.  Used on the hot path of graph building.
 */
struct hmap64 {
	uint64_t *keys;		/* key + 1; 0 marks an empty slot */
	uint32_t *ids;
	size_t mask, len;
};

#define HMAP64_INIT { NULL, NULL, 0, 0 }

void hmap64_free(struct hmap64 *h);

static inline size_t
hmap64_slot(uint64_t key, size_t mask)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & mask;
}

/* The id stored under key, or HMAP_NONE (always for UINT64_MAX). */
static inline uint32_t
hmap64_find(const struct hmap64 *h, uint64_t key)
{
	size_t i;

	if (h->keys == NULL || key == UINT64_MAX)
		return HMAP_NONE;
	for (i = hmap64_slot(key, h->mask);; i = (i + 1) & h->mask) {
		if (h->keys[i] == key + 1)
			return h->ids[i];
		if (h->keys[i] == 0)
			return HMAP_NONE;
	}
}

/* Add key -> id (key absent, not UINT64_MAX); 0, or -1 (no memory). */
int hmap64_add(struct hmap64 *h, uint64_t key, uint32_t id);

#endif
