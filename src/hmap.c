/*
 * hmap: open addressing with linear probing, load factor at most 1/2.
 * The 64-bit hash is folded to 32 bits; those 32 bits are stored, give
 * the probe start, and are compared before the caller's equality test,
 * so growing the table never needs the keys.  See hmap.h.
 */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

static inline uint32_t
fold(uint64_t hash)
{
	return (uint32_t)(hash >> 32 ^ hash);
}

void
hmap_free(struct hmap *h)
{
	free(h->slots);
	h->slots = NULL;
	h->mask = 0;
	h->len = 0;
}

void
hmap_clear(struct hmap *h)
{
	if (h->slots != NULL)
		memset(h->slots, 0, (h->mask + 1) * sizeof *h->slots);
	h->len = 0;
}

uint32_t
hmap_find(const struct hmap *h, uint64_t hash, hmap_eq_fn *eq,
    const void *ctx, const void *key)
{
	uint32_t h32 = fold(hash);
	size_t i;

	if (h->slots == NULL)
		return HMAP_NONE;
	for (i = h32 & h->mask;; i = (i + 1) & h->mask) {
		const struct hmap_slot *s = &h->slots[i];

		if (s->id1 == 0)
			return HMAP_NONE;
		if (s->hash == h32 && eq(ctx, s->id1 - 1, key))
			return s->id1 - 1;
	}
}

static void
put(struct hmap_slot *slots, size_t mask, uint32_t h32, uint32_t id1)
{
	size_t i;

	for (i = h32 & mask; slots[i].id1 != 0; i = (i + 1) & mask)
		;
	slots[i].hash = h32;
	slots[i].id1 = id1;
}

static int
grow(struct hmap *h, size_t want)
{
	size_t cap = h->slots == NULL ? 16 : h->mask + 1;
	struct hmap_slot *ns;
	size_t i;

	while (cap / 2 < want) {
		if (cap > SIZE_MAX / 2 / sizeof *ns)
			return -1;
		cap *= 2;
	}
	if (h->slots != NULL && cap == h->mask + 1)
		return 0;
	ns = calloc(cap, sizeof *ns);
	if (ns == NULL)
		return -1;
	if (h->slots != NULL)
		for (i = 0; i <= h->mask; i++)
			if (h->slots[i].id1 != 0)
				put(ns, cap - 1, h->slots[i].hash,
				    h->slots[i].id1);
	free(h->slots);
	h->slots = ns;
	h->mask = cap - 1;
	return 0;
}

int
hmap_reserve(struct hmap *h, size_t n)
{
	return grow(h, n);
}

int
hmap_add(struct hmap *h, uint64_t hash, uint32_t id)
{
	if (h->slots == NULL || h->len + 1 > (h->mask + 1) / 2)
		if (grow(h, h->len + 1) != 0)
			return -1;
	put(h->slots, h->mask, fold(hash), id + 1);
	h->len++;
	return 0;
}

void
hmap64_free(struct hmap64 *h)
{
	free(h->keys);
	free(h->ids);
	h->keys = NULL;
	h->ids = NULL;
	h->mask = h->len = 0;
}

static void
put64(uint64_t *keys, uint32_t *ids, size_t mask, uint64_t k1, uint32_t id)
{
	size_t i;

	for (i = hmap64_slot(k1 - 1, mask); keys[i] != 0; i = (i + 1) & mask)
		;
	keys[i] = k1;
	ids[i] = id;
}

int
hmap64_add(struct hmap64 *h, uint64_t key, uint32_t id)
{
	if (h->keys == NULL || h->len + 1 > (h->mask + 1) / 2) {
		size_t cap = h->keys == NULL ? 64 : 2 * (h->mask + 1), i;
		uint64_t *nk;
		uint32_t *ni;

		if (cap > SIZE_MAX / sizeof *nk)
			return -1;
		nk = calloc(cap, sizeof *nk);
		ni = calloc(cap, sizeof *ni);
		if (nk == NULL || ni == NULL) {
			free(nk);
			free(ni);
			return -1;
		}
		if (h->keys != NULL)
			for (i = 0; i <= h->mask; i++)
				if (h->keys[i] != 0)
					put64(nk, ni, cap - 1, h->keys[i],
					    h->ids[i]);
		free(h->keys);
		free(h->ids);
		h->keys = nk;
		h->ids = ni;
		h->mask = cap - 1;
	}
	put64(h->keys, h->ids, h->mask, key + 1, id);
	h->len++;
	return 0;
}
