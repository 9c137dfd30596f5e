/*
 * diag: the one place messages are formatted and printed.  See diag.h.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"

void
diag_set(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL || d->set)
		return;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	d->set = true;
}

void
diag_nomem(struct diag *d)
{
	if (d == NULL || d->set)
		return;
	strcpy(d->msg, "out of memory");
	d->set = true;
}

void
diag_clear(struct diag *d)
{
	if (d != NULL) {
		d->set = false;
		d->msg[0] = '\0';
	}
}

void
diag_prefix(struct diag *d, const char *name)
{
	char msg[DIAG_MSG_MAX];

	if (d == NULL || strncmp(d->msg, name, strlen(name)) == 0)
		return;
	snprintf(msg, sizeof msg, "%s", d->msg);
	diag_clear(d);
	diag_set(d, "%s: %s", name, msg);
}

void
diag_print(const char *prog, const struct diag *d)
{
	progress_clear();
	fprintf(stderr, "%s: %s\n", prog,
	    d != NULL && d->set ? d->msg : "unknown error");
}

void
diag_printf(const char *prog, const char *fmt, ...)
{
	va_list ap;

	progress_clear();
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
