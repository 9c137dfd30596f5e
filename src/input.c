/*
 * input: file or stdin, gzip sniffed from the first two bytes,
 * multi-member gzip accepted (as gzip(1) does), trailing garbage and
 * truncation reported, decompressed size capped.  See input.h.
 *
 * A gzipped stream is inflated by a second thread into a small ring of
 * buffers while the caller parses the previous ones, so decompression
 * and decoding overlap on a machine with two cores; the bytes, their
 * order and where an error shows up are exactly those of inflating in
 * line (which is what happens when the thread cannot be started).
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "progress.h"

#define RAW_BUF (256 * 1024)
#define RING 4			/* inflated buffers in flight */
#define CHUNK (256 * 1024)	/* bytes per inflated buffer */

struct chunk {
	unsigned char *data;
	size_t len;
	uint64_t raw_end;	/* compressed bytes read when it was full */
};

struct input {
	char *name;
	int fd;
	bool own_fd;
	bool started;		/* first bytes inspected */
	bool gz;
	bool zinit;
	bool zend;		/* current gzip member finished */
	bool raw_eof;
	z_stream z;
	unsigned char *raw;
	size_t raw_len, raw_pos;
	uint64_t raw_consumed;	/* compressed bytes before raw[0] */
	uint64_t out;		/* decompressed bytes produced */
	uint64_t max;
	uint64_t size;		/* a regular file's, for progress; or 0 */

	/* The inflating thread and its ring (gzip only). */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	struct chunk ring[RING];
	size_t head, count;	/* next chunk to read; chunks ready */
	size_t pos;		/* read offset in ring[head] */
	bool done;		/* the thread has finished: end or error */
	bool stop;		/* the reader is closing */
	struct diag err;	/* the thread's error, if any */
	uint64_t consumed;	/* bytes handed to the reader */
	uint64_t ring_raw;	/* raw_end of the chunk being read */

	/* Bytes looked at by input_peek, handed out again first. */
	unsigned char *peek;
	size_t npeek, peekpos;
};

const char *
input_name(const struct input *in)
{
	return in->name;
}

bool
input_is_gzip(const struct input *in)
{
	return in->gz;
}

uint64_t
input_offset(const struct input *in)
{
	return in->threaded ? in->consumed : in->out;
}

struct input *
input_open(const char *path, uint64_t max_bytes, struct diag *d)
{
	struct input *in = calloc(1, sizeof *in);
	bool is_stdin = strcmp(path, "-") == 0;

	if (in == NULL || (in->raw = malloc(RAW_BUF)) == NULL ||
	    (in->name = strdup(is_stdin ? "<stdin>" : path)) == NULL) {
		diag_nomem(d);
		if (in != NULL) {
			free(in->raw);
			free(in);
		}
		return NULL;
	}
	in->max = max_bytes;
	if (is_stdin) {
		in->fd = STDIN_FILENO;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			diag_set(d, "%s: %s", path, strerror(errno));
			input_close(in);
			return NULL;
		}
		in->own_fd = true;
	}
	{
		struct stat st;

		if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0)
			in->size = (uint64_t)st.st_size;
	}
	progress_begin(in->name, in->size);
	return in;
}

static void stop_thread(struct input *in);

void
input_close(struct input *in)
{
	size_t i;

	if (in == NULL)
		return;
	progress_end();
	stop_thread(in);
	for (i = 0; i < RING; i++)
		free(in->ring[i].data);
	if (in->zinit)
		inflateEnd(&in->z);
	if (in->own_fd)
		close(in->fd);
	free(in->raw);
	free(in->peek);
	free(in->name);
	free(in);
}

/* Top up the raw buffer; returns bytes available, or -1 on error. */
static ssize_t
fill_raw(struct input *in, struct diag *d)
{
	ssize_t r;

	if (in->raw_pos > 0 && in->raw_pos == in->raw_len) {
		in->raw_consumed += in->raw_len;
		in->raw_pos = in->raw_len = 0;
	}
	while (!in->raw_eof && in->raw_len < RAW_BUF) {
		if (in->raw_pos > 0) {
			memmove(in->raw, in->raw + in->raw_pos,
			    in->raw_len - in->raw_pos);
			in->raw_consumed += in->raw_pos;
			in->raw_len -= in->raw_pos;
			in->raw_pos = 0;
		}
		r = read(in->fd, in->raw + in->raw_len, RAW_BUF - in->raw_len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			diag_set(d, "%s: %s", in->name, strerror(errno));
			return -1;
		}
		if (r == 0)
			in->raw_eof = true;
		in->raw_len += (size_t)r;
		if (in->raw_len - in->raw_pos >= 2)
			break;
	}
	return (ssize_t)(in->raw_len - in->raw_pos);
}

static int
start(struct input *in, struct diag *d)
{
	ssize_t avail = fill_raw(in, d);

	if (avail < 0)
		return -1;
	in->started = true;
	if (avail >= 2 && in->raw[in->raw_pos] == 0x1f &&
	    in->raw[in->raw_pos + 1] == 0x8b) {
		in->gz = true;
		if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK) {
			diag_nomem(d);
			return -1;
		}
		in->zinit = true;
	}
	return 0;
}

static int
over_limit(struct input *in, struct diag *d)
{
	diag_set(d, "%s: %s more than %" PRIu64 " bytes; refusing it "
	    "(the limit is set with --max-input-size)", in->name,
	    in->gz ? "decompresses to" : "holds", in->max);
	return -1;
}

static ssize_t
read_plain(struct input *in, unsigned char *buf, size_t n, struct diag *d)
{
	ssize_t avail;
	size_t k;

	if (in->raw_pos == in->raw_len) {
		if (in->raw_eof)
			return 0;
		if ((avail = fill_raw(in, d)) <= 0)
			return avail;
	}
	k = in->raw_len - in->raw_pos;
	if (k > n)
		k = n;
	if (in->out + k > in->max)
		return over_limit(in, d);
	memcpy(buf, in->raw + in->raw_pos, k);
	in->raw_pos += k;
	in->out += k;
	return (ssize_t)k;
}

/*
 * After a gzip member ends: another member may follow (concatenated
 * gzip files are one stream), otherwise only the end of input is fine.
 */
static int
next_member(struct input *in, struct diag *d)
{
	ssize_t avail = fill_raw(in, d);

	if (avail < 0)
		return -1;
	if (avail == 0)
		return 0;	/* clean end */
	if (avail >= 2 && in->raw[in->raw_pos] == 0x1f &&
	    in->raw[in->raw_pos + 1] == 0x8b) {
		if (inflateReset(&in->z) != Z_OK) {
			diag_set(d, "%s: cannot restart gzip decoder", in->name);
			return -1;
		}
		in->zend = false;
		return 1;
	}
	diag_set(d, "%s: trailing garbage after gzip data at byte %" PRIu64,
	    in->name, in->raw_consumed + in->raw_pos);
	return -1;
}

static ssize_t
read_gzip(struct input *in, unsigned char *buf, size_t n, struct diag *d)
{
	uint64_t room = in->max - in->out;
	int zr;

	/* Ask for one byte past the limit so crossing it is detected. */
	if (n > room + 1)
		n = (size_t)(room + 1);
	for (;;) {
		size_t produced;

		if (in->zend) {
			int r = next_member(in, d);

			if (r <= 0)
				return r;
		}
		if (in->raw_pos == in->raw_len) {
			ssize_t avail = fill_raw(in, d);

			if (avail < 0)
				return -1;
			if (avail == 0) {
				diag_set(d, "%s: truncated gzip data (the "
				    "compressed stream ends at byte %" PRIu64
				    ")", in->name, in->raw_consumed +
				    in->raw_pos);
				return -1;
			}
		}
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
		in->z.next_out = buf;
		in->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
		zr = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		produced = (size_t)(in->z.next_out - buf);
		if (zr == Z_STREAM_END) {
			in->zend = true;
		} else if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR ||
		    zr == Z_STREAM_ERROR) {
			diag_set(d, "%s: corrupt gzip data near compressed "
			    "byte %" PRIu64 ": %s", in->name,
			    in->raw_consumed + in->raw_pos,
			    in->z.msg != NULL ? in->z.msg : "invalid data");
			return -1;
		} else if (zr == Z_MEM_ERROR) {
			diag_nomem(d);
			return -1;
		}
		if (produced > 0) {
			if (produced > room)
				return over_limit(in, d);
			in->out += produced;
			return (ssize_t)produced;
		}
		/* Z_BUF_ERROR or no progress: loop to refill input. */
	}
}

/* ---------------------------------------------------------------- */
/* The inflating thread. */

/* Fill one chunk; its length, 0 at the end, -1 on error (in in->err). */
static ssize_t
fill_chunk(struct input *in, struct chunk *c)
{
	c->len = 0;
	while (c->len < CHUNK) {
		ssize_t r = read_gzip(in, c->data + c->len, CHUNK - c->len,
		    &in->err);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		c->len += (size_t)r;
	}
	/* Handed over under the lock with the chunk: no race. */
	c->raw_end = in->raw_consumed + in->raw_pos;
	return (ssize_t)c->len;
}

static void *
inflater(void *arg)
{
	struct input *in = arg;

	for (;;) {
		size_t slot;
		ssize_t r;

		pthread_mutex_lock(&in->mu);
		while (in->count == RING && !in->stop)
			pthread_cond_wait(&in->emptied, &in->mu);
		if (in->stop) {
			pthread_mutex_unlock(&in->mu);
			return NULL;
		}
		slot = (in->head + in->count) % RING;
		pthread_mutex_unlock(&in->mu);

		/* The slot is free: only this thread touches it now. */
		r = fill_chunk(in, &in->ring[slot]);

		pthread_mutex_lock(&in->mu);
		if (r > 0)
			in->count++;
		if (r <= 0)
			in->done = true;
		pthread_cond_signal(&in->filled);
		pthread_mutex_unlock(&in->mu);
		if (r <= 0)
			return NULL;
	}
}

static void
start_thread(struct input *in)
{
	size_t i;

	for (i = 0; i < RING; i++)
		if ((in->ring[i].data = malloc(CHUNK)) == NULL)
			return;		/* inflate in line instead */
	if (pthread_mutex_init(&in->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&in->filled, NULL) != 0) {
		pthread_mutex_destroy(&in->mu);
		return;
	}
	if (pthread_cond_init(&in->emptied, NULL) != 0) {
		pthread_cond_destroy(&in->filled);
		pthread_mutex_destroy(&in->mu);
		return;
	}
	if (pthread_create(&in->thread, NULL, inflater, in) != 0) {
		pthread_cond_destroy(&in->emptied);
		pthread_cond_destroy(&in->filled);
		pthread_mutex_destroy(&in->mu);
		return;
	}
	in->threaded = true;
}

static void
stop_thread(struct input *in)
{
	if (!in->threaded)
		return;
	pthread_mutex_lock(&in->mu);
	in->stop = true;
	pthread_cond_signal(&in->emptied);
	pthread_mutex_unlock(&in->mu);
	pthread_join(in->thread, NULL);
	pthread_cond_destroy(&in->emptied);
	pthread_cond_destroy(&in->filled);
	pthread_mutex_destroy(&in->mu);
	in->threaded = false;
}

static ssize_t
read_ring(struct input *in, unsigned char *buf, size_t n, struct diag *d)
{
	struct chunk *c;
	size_t k;

	pthread_mutex_lock(&in->mu);
	while (in->count == 0 && !in->done)
		pthread_cond_wait(&in->filled, &in->mu);
	if (in->count == 0) {
		/* Finished: cleanly, or with an error after the last byte. */
		pthread_mutex_unlock(&in->mu);
		if (in->err.set) {
			diag_set(d, "%s", in->err.msg);
			return -1;
		}
		return 0;
	}
	pthread_mutex_unlock(&in->mu);

	/* ring[head] is full and only this thread reads it. */
	c = &in->ring[in->head];
	in->ring_raw = c->raw_end;
	k = c->len - in->pos;
	if (k > n)
		k = n;
	memcpy(buf, c->data + in->pos, k);
	in->pos += k;
	in->consumed += k;
	if (in->pos == c->len) {
		pthread_mutex_lock(&in->mu);
		in->head = (in->head + 1) % RING;
		in->count--;
		in->pos = 0;
		pthread_cond_signal(&in->emptied);
		pthread_mutex_unlock(&in->mu);
	}
	return (ssize_t)k;
}

/* Read past the peeked bytes. */
static ssize_t
read_stream(struct input *in, void *buf, size_t n, struct diag *d)
{
	if (!in->started) {
		if (start(in, d) != 0)
			return -1;
		if (in->gz)
			start_thread(in);
	}
	if (in->threaded)
		return read_ring(in, buf, n, d);
	return in->gz ? read_gzip(in, buf, n, d) : read_plain(in, buf, n, d);
}

ssize_t
input_read(struct input *in, void *buf, size_t n, struct diag *d)
{
	ssize_t r;

	if (n == 0)
		return 0;
	if (in->peekpos < in->npeek) {
		size_t k = in->npeek - in->peekpos;

		if (k > n)
			k = n;
		memcpy(buf, in->peek + in->peekpos, k);
		in->peekpos += k;
		r = (ssize_t)k;
	} else {
		r = read_stream(in, buf, n, d);
	}
	/* How far into the file, as stored (compressed for gzip). */
	if (r > 0)
		progress_advance(in->threaded ? in->ring_raw :
		    in->raw_consumed + in->raw_pos);
	return r;
}

const unsigned char *
input_peek(struct input *in, size_t n, size_t *got, struct diag *d)
{
	if (in->peek == NULL && (in->peek = malloc(n > 0 ? n : 1)) == NULL) {
		diag_nomem(d);
		return NULL;
	}
	while (in->npeek < n) {
		ssize_t r = read_stream(in, in->peek + in->npeek,
		    n - in->npeek, d);

		if (r < 0)
			return NULL;
		if (r == 0)
			break;
		in->npeek += (size_t)r;
	}
	*got = in->npeek;
	return in->peek;
}
