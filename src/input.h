/*
 * input: a byte stream from a file or standard input, gunzipped on the
 * fly when it starts with the gzip magic (never decided by file name),
 * with a hard limit on how many bytes it will ever produce.
 *
 * The limit is what makes a gzip bomb harmless: the reader stops with
 * an error as soon as the decompressed stream passes it, and nothing
 * downstream ever holds more than the parser's own window.
 */
#ifndef GMV_INPUT_H
#define GMV_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

/* Default decompressed-size limit: 1 GiB. */
#define INPUT_DEFAULT_MAX ((uint64_t)1 << 30)

struct input;

/*
 * Open path ("-" is standard input) for reading at most max_bytes of
 * decompressed data.  Returns NULL with a message in d on failure.
 * Until input_close, input_read tells src/progress.h how far into the
 * file (as stored) it is, out of its size when it is a regular file.
 */
struct input *input_open(const char *path, uint64_t max_bytes,
    struct diag *d);

/* Close and free; input_close(NULL) is a no-op. */
void input_close(struct input *in);

/*
 * Read up to n decompressed bytes into buf.  Returns the count, 0 at
 * the end of the stream, or -1 with a message in d ("NAME: what").
 */
ssize_t input_read(struct input *in, void *buf, size_t n, struct diag *d);

/*
 * The first n decompressed bytes (fewer when the stream is shorter),
 * without consuming them: input_read hands them out again.  Call it
 * before the first input_read, with the same n each time.  *got is set
 * to the count; NULL with a message in d on error.
 */
const unsigned char *input_peek(struct input *in, size_t n, size_t *got,
    struct diag *d);

/* The name used in messages: the path, or "<stdin>". */
const char *input_name(const struct input *in);

/* Was the stream gzip-compressed? (Known after the first read.) */
bool input_is_gzip(const struct input *in);

/* Decompressed bytes produced so far. */
uint64_t input_offset(const struct input *in);

#endif
