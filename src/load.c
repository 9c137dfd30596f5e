/*
 * load: open, sniff, decode.  See load.h.
 */
#include "load.h"

#include "folded.h"
#include "input.h"
#include "pbdecode.h"

int
load_profile(struct prof *p, const char *path, struct diag *d)
{
	struct input *in = input_open(path, p->limits.max_input != 0 ?
	    p->limits.max_input : INPUT_DEFAULT_MAX, d);
	int rc;
	const unsigned char *head;
	size_t n;

	if (in == NULL)
		return -1;
	/* One look at the first bytes decides the format. */
	if ((head = input_peek(in, FOLDED_SNIFF_BYTES, &n, d)) == NULL)
		rc = -1;
	else if (folded_sniff(head, n))
		rc = folded_read(p, in, d);
	else
		rc = pbdecode_read(p, in, d);
	input_close(in);
	return rc;
}
