/*
 * fuzz_profile: one profile reader, then all of pprof2graph's work on
 * what it read.  Built three times, GMV_FUZZ_FORMAT choosing the reader:
 *
 *	1  pprof's protobuf format (pbdecode)
 *	2  Go's legacy text formats (legacy)
 *	3  folded stacks (folded)
 *
 * The reader is called directly, not through the format sniffing, so
 * every input reaches the parser the harness is about.  When the input
 * is accepted, the graph is built, filtered, trimmed, styled and written
 * (to /dev/null) with options picked from a hash of the input: the
 * granularity, trimming or none, tag boxes, the styling scheme, a
 * filter, reading the input a second time as a --diff-base, and (one
 * run in eight) tiny --max-* limits.
 * The protobuf harness also reads the input as one Sample message with
 * both Sample decoders and checks they agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "classes.h"
#include "dotio.h"
#include "folded.h"
#include "fuzz.h"
#include "input.h"
#include "legacy.h"
#include "pbdecode.h"
#include "pipeline.h"

#ifndef GMV_FUZZ_FORMAT
#error "GMV_FUZZ_FORMAT must be 1 (pprof), 2 (legacy) or 3 (folded)"
#endif

#define FUZZ_MAX_INPUT ((uint64_t)64 << 20)

#if GMV_FUZZ_FORMAT == 1
#include "profile.pb-c.h"

/*
 * The fast Sample reader against protobuf-c's, on the input taken as
 * one Sample message: whatever the fast one accepts, protobuf-c must
 * read the same way.
 */
static void
check_fast_sample(const uint8_t *data, size_t size)
{
	static struct pbdecode_sample fs;
	Perftools__Profiles__Sample *s;
	size_t i;
	int r = pbdecode_sample_fast(&fs, data, size);

	if (r < 0)
		abort();
	if (r == 0)
		return;
	s = perftools__profiles__sample__unpack(NULL, size, data);
	if (s == NULL || s->n_label != fs.nlabels ||
	    s->n_location_id != fs.nlocs || s->n_value != fs.nvals)
		abort();
	for (i = 0; i < fs.nlabels; i++)
		if (s->label[i]->key != fs.labels[i].key ||
		    s->label[i]->str != fs.labels[i].str ||
		    s->label[i]->num != fs.labels[i].num ||
		    s->label[i]->num_unit != fs.labels[i].num_unit)
			abort();
	for (i = 0; i < fs.nlocs; i++)
		if (s->location_id[i] != fs.locs[i])
			abort();
	for (i = 0; i < fs.nvals; i++)
		if ((uint64_t)s->value[i] != fs.vals[i])
			abort();
	perftools__profiles__sample__free_unpacked(s, NULL);
}
#endif

static int
read_one(struct prof *p, const char *path, struct diag *d)
{
	struct input *in = input_open(path, FUZZ_MAX_INPUT, d);
	int rc;

	if (in == NULL)
		return -1;
#if GMV_FUZZ_FORMAT == 1
	rc = pbdecode_read(p, in, d);
#elif GMV_FUZZ_FORMAT == 2
	rc = legacy_read(p, in, d);
#else
	rc = folded_read(p, in, d);
#endif
	input_close(in);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct classes *classes;
	static FILE *sink;
	static const enum graph_gran grans[] = { GRAN_FUNCTIONS,
	    GRAN_FILEFUNCTIONS, GRAN_FILES, GRAN_LINES, GRAN_ADDRESSES };
	static const enum style_scheme schemes[] = { STYLE_PPROF, STYLE_NONE,
	    STYLE_DIFF, STYLE_RETENTION };
	static const char *const base_names[] = { "fuzz-base" };
	struct pipeline_opts o;
	struct prof *p;
	struct diag d = { 0 };
	const char *path;
	uint32_t h = fuzz_hash(data, size);
	Agraph_t *g;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	if (classes == NULL &&
	    (classes = classes_parse(classes_builtin, "builtin", &d)) == NULL)
		abort();
#if GMV_FUZZ_FORMAT == 1
	check_fast_sample(data, size);
#endif
	if ((path = fuzz_file(data, size)) == NULL)
		return 0;

	memset(&o, 0, sizeof o);
	o.limits.max_input = FUZZ_MAX_INPUT;
	o.limits.max_depth = PROF_DEFAULT_MAX_DEPTH;
	if (((h >> 19) & 7) == 0) {
		/* Tiny limits, to reach every refusal. */
		o.limits.max_depth = 4;
		o.limits.max_samples = 5;
		o.limits.max_locations = 5;
		o.limits.max_string = 16;
	}
	o.gran = grans[h % 5];
	if ((h >> 3) & 1) {
		o.trim.nodecount = TRIM_DEFAULT_NODECOUNT;
		o.trim.node_fraction = TRIM_DEFAULT_NODE_FRACTION;
		o.trim.edge_fraction = TRIM_DEFAULT_EDGE_FRACTION;
	}
	o.trim.count_tags = true;
	o.style.tags = (h >> 4) & 1;
	o.style.scheme = schemes[(h >> 5) & 3];
	o.style.legend = (h >> 7) & 1;
	o.style.classes = classes;
	o.style.cluster_package = ((h >> 8) & 7) == 0;
	switch ((h >> 11) & 7) {
	case 1:
		o.filters.focus = "main";
		break;
	case 2:
		o.filters.ignore = "runtime";
		break;
	case 3:
		o.filters.hide = "^runtime\\.";
		o.filters.show_from = "main";
		break;
	case 4:
		o.filters.prune_from = "alloc";
		break;
	}
	o.drop_negative = ((h >> 14) & 3) == 0;
	if (((h >> 16) & 3) == 0) {
		o.base_mode = PROF_BASE_DIFF;
		o.bases = base_names;
		o.nbases = 1;
		o.normalize = (h >> 18) & 1;
	}
	o.tool = "fuzz";
	/* The threads' ways (background folding, two-thread builds)
	 * on small inputs too. */
	pbdecode_background_samples = (h >> 22) & 1 ? 1 : 8192;
	graph_parallel_entries = (h >> 23) & 1 ? 0 : (size_t)1 << 20;

	if ((p = prof_new(&o.limits, o.nbases > 0 ? o.base_mode :
	    PROF_NO_BASE)) == NULL)
		abort();
	if (read_one(p, path, &d) == 0) {
		p->loading_base = o.nbases > 0;
		if (o.nbases == 0 || read_one(p, path, &d) == 0) {
			p->loading_base = false;
			if ((g = pipeline_graph(p, &o, NULL, NULL, &d)) != NULL) {
				if (dotio_write(g, sink, "fuzz", &d) == 0)
					fuzz_graphs++;
				agclose(g);
			}
		}
	}
	prof_free(p);
	return 0;
}
