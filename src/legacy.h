/*
 * legacy: Go's legacy text profiles into the model.
 *
 * These are what pprof.Lookup(name).WriteTo(w, 1) and net/http/pprof's
 * ?debug=1 print: the heap and allocs profiles ("heap profile: ..."),
 * goroutine, threadcreate and custom count profiles ("NAME profile:
 * total N"), and the mutex and block profiles ("--- mutex:", "---
 * contention:").  Sample types, periods and values come out as pprof's
 * own legacy parser makes them (heap values unsampled bit for bit as Go
 * does it), so a text profile gives go tool pprof's numbers.
 *
 * Unlike pprof, the profile is symbolized from the "#\t0xPC\tfunc+0xOFF
 * \tfile:line" lines Go prints under each record, and inlined calls are
 * folded into one location as Go's own protobuf writer folds them, so
 * the text and the .pb.gz written at the same moment give the same
 * graph.  See legacy.c for what is decided where the two can differ.
 */
#ifndef GMV_LEGACY_H
#define GMV_LEGACY_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "input.h"
#include "prof.h"

/* How many leading bytes legacy_sniff wants to see (it takes fewer). */
#define LEGACY_SNIFF_BYTES 4096

/*
 * Does head[0..n), the start of a (decompressed) input, look like a Go
 * text profile?  True for the headers above, and also for text that is
 * evidently meant as one (a record or a debug=2 goroutine dump first),
 * so that legacy_read can say what is wrong with it.  Leading blank and
 * '#' lines are skipped, as pprof skips them.
 */
bool legacy_sniff(const unsigned char *head, size_t n);

/*
 * Read all of in as one text profile and merge it into p (one input:
 * prof_begin_input .. prof_end_input).  Returns 0, or -1 with
 * "NAME:LINE: what is wrong" (or "NAME: ...") in d; p is then unusable
 * and should be freed.
 */
int legacy_read(struct prof *p, struct input *in, struct diag *d);

#endif
