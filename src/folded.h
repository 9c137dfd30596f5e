/*
 * folded: folded stacks into the model.
 *
 * Folded stacks are what FlameGraph's stackcollapse-* scripts, py-spy
 * (record -f raw), async-profiler (-o collapsed), inferno and pprofutils
 * write: one stack per line, frames root first separated by ';', then
 * blanks and a count:
 *
 *	main;serve;handle;alloc 123
 *
 * Three forms are read, told apart by the first line that is not blank
 * or a '#' comment:
 *
 *   plain       "STACK COUNT": one sample type, samples/count.
 *   two-column  "STACK OLD NEW", as difffolded.pl writes: a base and a
 *               new profile in one file.  Read as a base
 *               (p->loading_base) it gives its old counts, read as a
 *               profile its new ones, so "--diff-base F F" graphs the
 *               change it records.  Without base mode there is nowhere
 *               for the old counts to go, and the file is refused.
 *   header      a first line of TYPE/UNIT words ("alloc_space/bytes
 *               inuse_space/bytes"), as pprofutils folded -headers
 *               writes, then "STACK V1 V2 ..." with one value per type.
 *
 * Counts are whole numbers (a fraction of zeros, "12.0", is allowed);
 * negative ones only in the header form, which converts pprof profiles
 * whose values may be negative.  Frames are trimmed of blanks, an
 * annotation suffix (_[k] _[j] _[i] _[w] _[0] _[1], perf's and
 * async-profiler's kernel/JIT/inline/... marks) is dropped so a function
 * is one node whatever its frames were marked, and empty frames are
 * skipped.  A frame "NAME (FILE:LINE)", py-spy's form, becomes function
 * NAME of FILE at LINE, so -g lines and -g filefunctions mean what they
 * say; any other frame is a function by its whole text.  Each distinct
 * frame is one location of one line; identical stacks are summed.
 */
#ifndef GMV_FOLDED_H
#define GMV_FOLDED_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "input.h"
#include "prof.h"

/* How many leading bytes folded_sniff wants to see (it takes fewer). */
#define FOLDED_SNIFF_BYTES 4096

/*
 * Does head[0..n), the start of a (decompressed) input, look like folded
 * stacks?  Its first line that is not blank or a '#' comment must be
 * text without NUL or control bytes, not the header of one of Go's
 * legacy text profiles ("heap profile:", "NAME profile: total N",
 * "--- mutex:", ...), and either a header line, or end in a number, or
 * hold a ';' (so that folded_read can say what is wrong with an almost
 * folded file).  Blank and comment lines alone pass too (folded_read
 * then says there are no stacks); an empty head does not.  A protobuf
 * profile never passes: its first bytes are control bytes.
 */
bool folded_sniff(const unsigned char *head, size_t n);

/*
 * Read all of in as folded stacks and merge it into p (one input:
 * prof_begin_input .. prof_end_input), into the half of the rows that
 * p->loading_base says.  Returns 0, or -1 with "NAME:LINE: what is
 * wrong" (or "NAME: ...") in d; p is then unusable and should be
 * freed.
 */
int folded_read(struct prof *p, struct input *in, struct diag *d);

#endif
