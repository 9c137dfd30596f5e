/*
 * load: read one profile file (or stdin) into the model, whatever its
 * format.  The format is decided from the content, never from the name:
 * gzip is undone first (input), then the decoder that recognises the
 * bytes takes over.  Today that is pprof's protobuf format.
 */
#ifndef GMV_LOAD_H
#define GMV_LOAD_H

#include "diag.h"
#include "prof.h"

/*
 * Read path ("-" is standard input) and merge it into p.  Returns 0, or
 * -1 with "PATH: what is wrong" in d.
 */
int load_profile(struct prof *p, const char *path, struct diag *d);

#endif
