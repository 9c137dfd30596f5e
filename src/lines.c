/*
 * lines: a growable buffer refilled from the input.  See lines.h.
 */
#include "lines.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define CHUNK (64 * 1024)

struct lines {
	struct input *in;
	char *buf;
	size_t cap;
	size_t start, end;	/* unread bytes are buf[start..end) */
	size_t max;
	uint64_t number;
	int eof;
};

struct lines *
lines_new(struct input *in, size_t max_len)
{
	struct lines *l = calloc(1, sizeof *l);

	if (l == NULL)
		return NULL;
	l->in = in;
	l->max = max_len > 0 ? max_len : LINES_DEFAULT_MAX;
	return l;
}

void
lines_free(struct lines *l)
{
	if (l == NULL)
		return;
	free(l->buf);
	free(l);
}

uint64_t
lines_number(const struct lines *l)
{
	return l->number;
}

int
lines_next(struct lines *l, char **line, size_t *len, struct diag *d)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = l->end > l->start + scanned ?
		    memchr(l->buf + l->start + scanned, '\n',
		    l->end - l->start - scanned) : NULL;
		ssize_t r;

		if (nl != NULL || (l->eof && l->end > l->start)) {
			size_t n = nl != NULL ? (size_t)(nl - (l->buf +
			    l->start)) : l->end - l->start;
			char *s = l->buf + l->start;

			if (n > l->max) {
				diag_set(d, "%s:%" PRIu64 ": a line longer "
				    "than %zu bytes", input_name(l->in),
				    l->number + 1, l->max);
				return -1;
			}

			l->start += n + (nl != NULL);
			if (n > 0 && s[n - 1] == '\r')
				n--;
			s[n] = '\0';
			l->number++;
			*line = s;
			*len = n;
			return 1;
		}
		if (l->eof)
			return 0;
		scanned = l->end - l->start;
		if (scanned > l->max) {
			diag_set(d, "%s:%" PRIu64 ": a line longer than %zu "
			    "bytes", input_name(l->in), l->number + 1, l->max);
			return -1;
		}
		/* Make room: move the partial line to the front, grow. */
		if (l->start > 0) {
			memmove(l->buf, l->buf + l->start, scanned);
			l->end = scanned;
			l->start = 0;
		}
		if (mem_reserve(&l->buf, &l->cap, l->end + CHUNK + 1, 1) != 0) {
			diag_nomem(d);
			return -1;
		}
		r = input_read(l->in, l->buf + l->end, l->cap - l->end - 1, d);
		if (r < 0)
			return -1;
		if (r == 0)
			l->eof = 1;
		l->end += (size_t)r;
	}
}
