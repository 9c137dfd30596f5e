/*
 * lines: an input read one text line at a time, for the text formats
 * (Go's legacy profiles, folded stacks).  A line is handed out without
 * its newline (and without a "\r" before it), NUL-terminated, in a
 * buffer that the next call reuses.  Lines longer than a limit are an
 * error, so a file without newlines can not make us buffer all of it.
 */
#ifndef GMV_LINES_H
#define GMV_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "input.h"

#define LINES_DEFAULT_MAX (16u << 20)	/* 16 MiB */

/*
 * The longest line a text reader takes when strings may be max_string
 * bytes long: 16 MiB, or room for two such strings (a symbol line's
 * function and file name) when that is more.
 */
static inline size_t
lines_max_for(uint64_t max_string)
{
	uint64_t n = max_string < ((uint64_t)1 << 40) ?
	    2 * max_string + 4096 : (uint64_t)1 << 41;

	return n > LINES_DEFAULT_MAX && n < SIZE_MAX / 2 ? (size_t)n :
	    LINES_DEFAULT_MAX;
}

struct lines;

/* A reader over in (not owned); NULL when out of memory. */
struct lines *lines_new(struct input *in, size_t max_len);

/* Free; lines_free(NULL) is a no-op. */
void lines_free(struct lines *l);

/*
 * The next line: 1 with *line and *len set, 0 at the end of the input,
 * -1 with "NAME:LINE: ..." (or the input's own message) in d.  A last
 * line without a newline is still a line.
 */
int lines_next(struct lines *l, char **line, size_t *len, struct diag *d);

/* The 1-based number of the line last returned (0 before the first). */
uint64_t lines_number(const struct lines *l);

#endif
