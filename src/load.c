/*
 * load: open, sniff, decode.  See load.h.
 */
#include "load.h"

#include "input.h"
#include "pbdecode.h"

int
load_profile(struct prof *p, const char *path, struct diag *d)
{
	struct input *in = input_open(path, p->limits.max_input != 0 ?
	    p->limits.max_input : INPUT_DEFAULT_MAX, d);
	int rc;

	if (in == NULL)
		return -1;
	rc = pbdecode_read(p, in, d);
	input_close(in);
	return rc;
}
