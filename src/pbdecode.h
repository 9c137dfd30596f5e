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

/*
 * From this sample of an input on (8192), its samples are folded in the
 * background (prof_fold_in_background); tests lower it to check both
 * ways give the same model.
 */
extern uint64_t pbdecode_background_samples;

/*
 * A Sample message read without protobuf-c: a pass over its bytes and
 * no allocation once the arrays have grown.
 */
struct pbdecode_label {
	int64_t key, str, num, num_unit;	/* raw string indexes, number */
};

struct pbdecode_sample {
	struct pbdecode_label *labels;
	size_t nlabels, caplabels;
	uint64_t *locs;
	size_t nlocs, caplocs;
	uint64_t *vals;		/* int64 values, as their bits */
	size_t nvals, capvals;
};

/*
 * Read buf[0..len) as a Sample: location ids and values (packed or not,
 * in any order and number of runs, as protobuf-c reads them) and labels
 * (key, str, num, num_unit; the last of a repeated field wins).
 * 1: read into s; 0: the message holds something else (other fields,
 * encodings that are unusual or wrong) and protobuf-c's decoder must
 * judge it; -1: out of memory.
 */
int pbdecode_sample_fast(struct pbdecode_sample *s, const unsigned char *buf,
    size_t len);
void pbdecode_sample_free(struct pbdecode_sample *s);

#endif
