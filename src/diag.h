/*
 * diag: how library code reports failure.
 *
 * Library code never prints and never exits (the retention plugin runs
 * inside dot(1)).  A function that can fail takes a struct diag, writes
 * one message into it ("FILE: what is wrong", without the program name)
 * and returns its failure value; the tool prefixes its own name and
 * prints it.  The first message wins: later ones describe consequences.
 */
#ifndef GMV_DIAG_H
#define GMV_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#define DIAG_MSG_MAX 1024

struct diag {
	bool set;
	char msg[DIAG_MSG_MAX];
};

#if defined(__GNUC__)
#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIAG_PRINTF(a, b)
#endif

/* Record a message unless one is already recorded.  d may be NULL. */
void diag_set(struct diag *d, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* Record "out of memory" (no allocation needed). */
void diag_nomem(struct diag *d);

/* Forget any recorded message. */
void diag_clear(struct diag *d);

/* Begin the recorded message with "name: " unless it begins with name
 * already (a message about a file names the file first). */
void diag_prefix(struct diag *d, const char *name);

/* Print "prog: message" to stderr; the tools' one voice.  Both erase a
 * progress line first (src/progress.h). */
void diag_print(const char *prog, const struct diag *d);

/* Print "prog: formatted message" to stderr. */
void diag_printf(const char *prog, const char *fmt, ...) DIAG_PRINTF(2, 3);

#endif
