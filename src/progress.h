/*
 * progress: a one-line progress indicator on standard error, for runs
 * long enough to make a user wonder.
 *
 * A tool turns it on once (progress_enable); it stays off unless
 * standard error is a terminal, so scripts, pipes and logs never see it.
 * The reader of the inputs (src/input.c) says which input it is on and
 * how far it got; the line appears only once the run has taken about a
 * second, is redrawn in place with '\r' a few times a second, and is
 * erased when the input ends and before anything else is written to
 * standard error (diag_print and diag_printf call progress_clear), so
 * it never mixes with a message.
 *
 * The state is the process's: there is one standard error.  Only the
 * thread that calls input_read (the tool's) draws.  Library code that
 * never calls progress_enable (the Graphviz plugin) prints nothing.
 */
#ifndef GMV_PROGRESS_H
#define GMV_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* The delay before the first line, in ms; the environment variable
 * GMV_PROGRESS_DELAY_MS overrides it (0 draws at the first read). */
#define PROGRESS_DEFAULT_DELAY_MS 1000

/*
 * Turn the line on for the rest of the run when on is set and standard
 * error is a terminal; prog begins the line.  The delay counts from
 * here.
 */
void progress_enable(const char *prog, bool on);

/* Is the line on? */
bool progress_enabled(void);

/*
 * A new input named name (copied) of total bytes as stored (compressed,
 * for a gzip file), 0 when unknown (a pipe).
 */
void progress_begin(const char *name, uint64_t total);

/*
 * The current input has been read up to byte pos (as stored).  Cheap:
 * the clock is looked at only every few calls, and the line redrawn at
 * most a few times a second.
 */
void progress_advance(uint64_t pos);

/* The current input is done: erase the line. */
void progress_end(void);

/* Erase the line if it is shown (before other output to stderr). */
void progress_clear(void);

#endif
