/*
 * floor -- the physical floor of pprof2graph's job, for the benchmark:
 * read a profile, gunzip it (zlib's gzread also passes an uncompressed
 * file through) and unpack the whole Profile message with protobuf-c's
 * generated code, as any program using the library plainly would.
 * Nothing else: no graph, no output but one line of counts on stderr
 * with -v.  bench/run.sh times it next to pprof2graph and go tool
 * pprof -dot.  The whole decompressed message and the whole unpacked
 * tree are in memory at once, which is what pprof2graph's streaming
 * decode avoids.
 *
 *	floor [-v] PROFILE
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"

static int
fail(const char *path, const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", path, what);
	return 2;
}

int
main(int argc, char **argv)
{
	Perftools__Profiles__Profile *p;
	unsigned char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	const char *path;
	int verbose = 0, n;
	gzFile gz;

	if (argc == 3 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		path = argv[2];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: floor [-v] PROFILE\n");
		return 2;
	}
	if ((gz = gzopen(path, "rb")) == NULL)
		return fail(path, "cannot open");
	gzbuffer(gz, 1 << 17);
	for (;;) {
		if (cap - len < (1 << 20)) {
			cap = cap != 0 ? cap * 2 : 1 << 22;
			if ((nb = realloc(buf, cap)) == NULL) {
				gzclose(gz);
				free(buf);
				return fail(path, "out of memory");
			}
			buf = nb;
		}
		n = gzread(gz, buf + len, (unsigned)(cap - len));
		if (n < 0) {
			gzclose(gz);
			free(buf);
			return fail(path, "gzip error");
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	gzclose(gz);
	p = perftools__profiles__profile__unpack(NULL, len, buf);
	free(buf);
	if (p == NULL)
		return fail(path, "not a pprof protobuf");
	if (verbose)
		fprintf(stderr, "floor: %zu bytes, %zu samples, %zu locations, "
		    "%zu functions, %zu strings\n", len, p->n_sample,
		    p->n_location, p->n_function, p->n_string_table);
	perftools__profiles__profile__free_unpacked(p, NULL);
	return 0;
}
