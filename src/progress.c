/*
 * progress: the line, its clock and its erasing.  See progress.h.
 */
#include "progress.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define EVERY 8			/* calls per look at the clock */
#define INTERVAL_MS 250		/* between redraws */
#define NAME_MAX_SHOWN 256	/* bytes of an input's name kept */
#define LINE_MAX_SHOWN 512

static struct {
	bool on;
	const char *prog;
	uint64_t start_ms, delay_ms, last_ms;
	unsigned calls;
	bool active;			/* between begin and end */
	char name[NAME_MAX_SHOWN + 1];
	size_t name_len;
	uint64_t total, pos;
	size_t shown;			/* columns shown; 0: none */
	size_t cols;			/* the terminal's width */
} pg;

static uint64_t
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The delay: GMV_PROGRESS_DELAY_MS if it is a number of ms, else 1 s. */
static uint64_t
delay_ms(void)
{
	const char *s = getenv("GMV_PROGRESS_DELAY_MS");
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return PROGRESS_DEFAULT_DELAY_MS;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 3600000)
		return PROGRESS_DEFAULT_DELAY_MS;
	return v;
}

void
progress_enable(const char *prog, bool on)
{
	struct winsize ws;

	memset(&pg, 0, sizeof pg);
	pg.on = on && isatty(STDERR_FILENO);
	if (!pg.on)
		return;
	pg.prog = prog;
	pg.delay_ms = delay_ms();
	pg.start_ms = now_ms();
	pg.cols = 80;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		pg.cols = ws.ws_col;
}

bool
progress_enabled(void)
{
	return pg.on;
}

void
progress_begin(const char *name, uint64_t total)
{
	if (!pg.on)
		return;
	progress_clear();
	pg.name_len = strlen(name);
	if (pg.name_len > NAME_MAX_SHOWN) {
		/* The end of a long path says the most. */
		name += pg.name_len - NAME_MAX_SHOWN;
		pg.name_len = NAME_MAX_SHOWN;
	}
	memcpy(pg.name, name, pg.name_len);
	pg.name[pg.name_len] = '\0';
	pg.total = total;
	pg.pos = 0;
	pg.calls = 0;
	pg.active = true;
}

/* n bytes as "123 B", "12.3 KiB", "1.2 MiB", "4.0 GiB". */
static void
bytes_text(char *buf, size_t size, uint64_t n)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = -1;

	if (n < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", n);
		return;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f %s", v, unit[u]);
}

static void
draw(void)
{
	char line[LINE_MAX_SHOWN + 1], done[32], all[32];
	const char *name = pg.name;
	size_t len, name_len = pg.name_len, fixed, room;
	int pct = 0;

	bytes_text(done, sizeof done, pg.pos);
	if (pg.total > 0) {
		bytes_text(all, sizeof all, pg.total);
		pct = pg.pos >= pg.total ? 100 :
		    (int)(pg.pos * 100.0 / (double)pg.total);
	}
	/* What the line holds besides the name; the name is cut from the
	 * left so the line fits the terminal (a wrapped line could not be
	 * redrawn in place). */
	fixed = (size_t)snprintf(NULL, 0, "%s: reading : %s of %s (100%%)",
	    pg.prog, done, pg.total > 0 ? all : "");
	room = pg.cols - 1 > fixed + 3 ? pg.cols - 1 - fixed : 3;
	if (name_len > room) {
		name += name_len - (room - 3);
		name_len = room - 3;
	}
	if (pg.total > 0)
		snprintf(line, sizeof line, "%s: reading %s%.*s: %s of %s "
		    "(%d%%)", pg.prog, name != pg.name ? "..." : "",
		    (int)name_len, name, done, all, pct);
	else
		snprintf(line, sizeof line, "%s: reading %s%.*s: %s",
		    pg.prog, name != pg.name ? "..." : "", (int)name_len, name,
		    done);
	len = strlen(line);
	/* Cover what a longer line left, then come back to its end. */
	fprintf(stderr, "\r%s%*s", line,
	    pg.shown > len ? (int)(pg.shown - len) : 0, "");
	if (pg.shown > len)
		fprintf(stderr, "\r%s", line);
	fflush(stderr);
	pg.shown = len;
}

void
progress_advance(uint64_t pos)
{
	uint64_t t;

	if (!pg.on || !pg.active)
		return;
	pg.pos = pos;
	if (pg.calls++ % EVERY != 0)
		return;
	t = now_ms();
	if (t - pg.start_ms < pg.delay_ms ||
	    (pg.shown > 0 && t - pg.last_ms < INTERVAL_MS))
		return;
	pg.last_ms = t;
	draw();
}

void
progress_end(void)
{
	if (!pg.on)
		return;
	progress_clear();
	pg.active = false;
}

void
progress_clear(void)
{
	if (!pg.on || pg.shown == 0)
		return;
	fprintf(stderr, "\r%*s\r", (int)pg.shown, "");
	fflush(stderr);
	pg.shown = 0;
}
