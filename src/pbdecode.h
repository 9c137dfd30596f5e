/*
 * pbdecode: pprof protobuf profiles (profile.proto) into the model.
 *
 * The top-level Profile message is walked by hand, one field at a time,
 * from a small sliding window over the (decompressed) input; each
 * Sample, Location, Function and Mapping is unpacked on its own with the
 * protobuf-c code generated from src/profile.proto and folded into the
 * model at once.  Peak memory therefore follows the model (unique
 * stacks, names), not the size of the file, and a file that lies about
 * a length can not make us allocate more than the bytes it really has.
 *
 * Everything a profile refers to is checked: string indexes, location,
 * function and mapping ids, value counts, stack depth, value sums.
 */
#ifndef GMV_PBDECODE_H
#define GMV_PBDECODE_H

#include "diag.h"
#include "input.h"
#include "prof.h"

/*
 * Decode the rest of in as one protobuf profile and merge it into p.
 * Returns 0, or -1 with "NAME: what is wrong [at byte N]" in d; p is
 * then unusable and should be freed.
 */
int pbdecode_read(struct prof *p, struct input *in, struct diag *d);

#endif
