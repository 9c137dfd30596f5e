/*
 * strtab: one byte arena, an offset and a length per id, and an hmap
 * index over them.  See strtab.h.
 */
#include "strtab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define STRTAB_SEED 0x5bd1e9955bd1e995ULL

struct key {
	const char *s;
	size_t len;
};

static bool
eq(const void *ctx, uint32_t id, const void *k)
{
	const struct strtab *t = ctx;
	const struct key *key = k;

	/* An empty key may come without a buffer (s NULL). */
	return t->ents[id].len == key->len && (key->len == 0 ||
	    memcmp(strtab_str(t, id), key->s, key->len) == 0);
}

int
strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof *t);
	return strtab_intern(t, "", 0) == 0 ? 0 : -1;
}

void
strtab_free(struct strtab *t)
{
	free(t->bytes);
	free(t->ents);
	hmap_free(&t->index);
	memset(t, 0, sizeof *t);
}

uint32_t
strtab_find(const struct strtab *t, const char *s, size_t len)
{
	struct key k = { s, len };

	return hmap_find(&t->index, mem_hash(s, len, STRTAB_SEED), eq, t, &k);
}

uint32_t
strtab_intern(struct strtab *t, const char *s, size_t len)
{
	struct key k = { s, len };
	uint64_t h = mem_hash(s, len, STRTAB_SEED);
	uint32_t id = hmap_find(&t->index, h, eq, t, &k);
	size_t off = t->nbytes;

	if (id != HMAP_NONE)
		return id;
	if (t->n >= UINT32_MAX - 1 || len > SIZE_MAX - off - 1 ||
	    mem_reserve(&t->bytes, &t->capbytes, off + len + 1, 1) != 0 ||
	    mem_reserve(&t->ents, &t->cap, t->n + 1, sizeof *t->ents) != 0)
		return STRTAB_NONE;
	id = (uint32_t)t->n;
	if (hmap_add(&t->index, h, id) != 0)
		return STRTAB_NONE;
	if (len > 0)
		memcpy(t->bytes + off, s, len);
	t->bytes[off + len] = '\0';
	t->nbytes = off + len + 1;
	t->ents[id].off = off;
	t->ents[id].len = len;
	t->n++;
	return id;
}

uint32_t
strtab_intern_cstr(struct strtab *t, const char *s)
{
	return strtab_intern(t, s, strlen(s));
}
