/*
 * dotimport: the test face of src/dotimport.c.
 *
 * Reads every graph of each input (files, - or none for stdin), imports
 * the ones go tool pprof -dot wrote and writes them to stdout.  A graph
 * that dotimport_is_pprof does not recognise is not written: "not
 * pprof" goes to stdout instead and the exit status is 3 (the other
 * graphs are still done).  An import that fails says
 * "dotimport: FILE: message" on stderr and exits 2.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "diag.h"
#include "dotimport.h"
#include "dotio.h"

static const char progname[] = "dotimport";

/* 0, 2 (trouble) or 3 (some graph is not pprof's). */
static int
import_input(const char *path)
{
	struct dotio_in in;
	struct diag d = { false, "" };
	Agraph_t *g;
	int r, rc = 0;

	if (dotio_in_open(&in, path, &d) != 0) {
		diag_print(progname, &d);
		return 2;
	}
	while ((r = dotio_in_next(&in, &g, &d)) > 0) {
		if (!dotimport_is_pprof(g)) {
			printf("not pprof\n");
			rc = 3;
		} else if (dotimport_pprof(g, &d) != 0) {
			diag_printf(progname, "%s: %s", in.name, d.msg);
			agclose(g);
			rc = 2;
			break;
		} else if (dotio_write(g, stdout, "<stdout>", &d) != 0) {
			diag_print(progname, &d);
			agclose(g);
			rc = 2;
			break;
		}
		agclose(g);
	}
	if (r < 0) {
		diag_print(progname, &d);
		rc = 2;
	}
	dotio_in_close(&in);
	return rc;
}

int
main(int argc, char **argv)
{
	int i, r, rc = 0;

	if (argc == 1)
		return import_input("-");
	for (i = 1; i < argc; i++)
		if ((r = import_input(argv[i])) > rc)
			rc = r;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_printf(progname, "write error");
		rc = 2;
	}
	return rc;
}
