/*
 * strtab: interned byte strings with dense uint32 ids.
 *
 * Every name in a profile (functions, files, sample types, labels) is
 * interned once, so the rest of the program compares ids, not bytes.
 * Id 0 is always the empty string.  Strings may hold any bytes,
 * including NUL; each is stored NUL-terminated for convenience.
 */
#ifndef GMV_STRTAB_H
#define GMV_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

#define STRTAB_NONE UINT32_MAX

struct strtab {
	char *bytes;		/* all strings, each followed by NUL */
	size_t nbytes, capbytes;
	struct strtab_ent {
		uint64_t off;	/* into bytes */
		uint64_t len;
	} *ents;		/* by id */
	size_t n, cap;
	struct hmap index;
};

/* Set up an empty table holding "" as id 0; 0 or -1 (no memory). */
int strtab_init(struct strtab *t);
void strtab_free(struct strtab *t);

/* The id of s[0..len), adding it if new; STRTAB_NONE when out of memory. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);

/* The id of a NUL-terminated string, adding it if new. */
uint32_t strtab_intern_cstr(struct strtab *t, const char *s);

/* The id of s[0..len) if present, else STRTAB_NONE. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t len);

static inline const char *
strtab_str(const struct strtab *t, uint32_t id)
{
	return t->bytes + t->ents[id].off;
}

static inline size_t
strtab_len(const struct strtab *t, uint32_t id)
{
	return (size_t)t->ents[id].len;
}

#endif
