/*
 * load: open, sniff, decode.  See load.h.
 */
#include "load.h"

#include <stdbool.h>

#include "folded.h"
#include "input.h"
#include "legacy.h"
#include "pbdecode.h"

#define PEEK (LEGACY_SNIFF_BYTES > FOLDED_SNIFF_BYTES ? \
	LEGACY_SNIFF_BYTES : FOLDED_SNIFF_BYTES)

/*
 * Text: the first bytes are printable characters and line breaks (a
 * protobuf profile soon has field tags and lengths, control bytes).
 */
static bool
looks_like_text(const unsigned char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n && i < 256; i++)
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n') || s[i] == 0x7f)
			return false;
	return true;
}

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
	if ((head = input_peek(in, PEEK, &n, d)) == NULL)
		rc = -1;
	else if (legacy_sniff(head, n))
		rc = legacy_read(p, in, d);
	else if (folded_sniff(head, n))
		rc = folded_read(p, in, d);
	else if (looks_like_text(head, n)) {
		diag_set(d, "%s: not a profile: text that is neither Go's "
		    "text profile format nor folded stacks", input_name(in));
		rc = -1;
	} else
		rc = pbdecode_read(p, in, d);
	input_close(in);
	return rc;
}
