/*
 * unit: TAP tests of libgomemviz's small pieces against known answers.
 *
 * The numbers here are go tool pprof's (formatting, colours, name
 * shortening) or Go's (math.Log2, from tests/expected/log2.txt, written
 * by tests/fixtures/log2 with a real Go), so a port that drifts from the
 * reference fails here before it shows up as a different graph.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "diag.h"
#include "dotio.h"
#include "graph.h"
#include "load.h"
#include "hmap.h"
#include "marks.h"
#include "mem.h"
#include "pbdecode.h"
#include "retention.h"
#include "strtab.h"
#include "style.h"
#include "trim.h"
#include "units.h"

static int n_tests, n_failed;

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	if (!cond)
		n_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
is_str(const char *got, const char *want, const char *what)
{
	ok(strcmp(got, want) == 0, "%s: \"%s\"", what, want);
	if (strcmp(got, want) != 0)
		printf("# got \"%s\"\n", got);
}

static void
test_units(void)
{
	static const struct {
		int64_t v;
		const char *from, *to, *want;
	} cases[] = {
		{ 1536, "bytes", "minimum", "1.50kB" },
		{ 17979564, "bytes", "kB", "17558.17kB" },
		{ 0, "bytes", "minimum", "0" },
		{ -1536, "bytes", "minimum", "-1.50kB" },
		{ 1023, "bytes", "minimum", "1023B" },
		{ 5LL << 30, "bytes", "auto", "5GB" },
		{ 1500000000, "nanoseconds", "minimum", "1.50s" },
		{ 1500000000, "nanoseconds", "ms", "1500ms" },
		{ 610000000, "nanoseconds", "ns", "610000000ns" },
		{ 7200000000000LL, "nanoseconds", "auto", "2hrs" },
		{ 1234, "count", "minimum", "1234" },
		{ 1234, "count", "count", "1234" },
		{ 12, "contentions", "minimum", "12" },
		{ 3, "bytes", "B", "3B" },
		{ 1, "bytes", "minimum", "1B" },
		{ 4, "bytes", "count", "4B" },
	};
	static const struct {
		int64_t v, total;
		const char *want;
	} pcts[] = {
		{ 100, 100, "100%" },
		{ 9406, 10000, "94.06%" },
		{ 22, 100000, "0.022%" },
		{ 12, 1000000000, "1.2e-06%" },
		{ -5, 100, "5.00%" },
		{ 1, 0, "0%" },
		{ 9996, 10000, "100%" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char what[96];

		units_scaled_label(buf, sizeof buf, cases[i].v, cases[i].from,
		    cases[i].to);
		snprintf(what, sizeof what, "ScaledLabel(%" PRId64 ", %s, %s)",
		    cases[i].v, cases[i].from, cases[i].to);
		is_str(buf, cases[i].want, what);
	}
	for (i = 0; i < sizeof pcts / sizeof *pcts; i++) {
		char what[96];

		units_percentage(buf, sizeof buf, pcts[i].v, pcts[i].total);
		snprintf(what, sizeof what, "Percentage(%" PRId64 ", %" PRId64
		    ")", pcts[i].v, pcts[i].total);
		is_str(buf, pcts[i].want, what);
	}
}

static void
test_colors(void)
{
	char c[8];

	style_color(c, 1.0, false);
	is_str(c, "#b20000", "dotColor(1, fg)");
	style_color(c, 1.0, true);
	is_str(c, "#edd5d5", "dotColor(1, bg)");
	style_color(c, 0.0, false);
	is_str(c, "#b2b2b2", "dotColor(0, fg)");
	style_color(c, 0.9455, false);
	is_str(c, "#b20200", "dotColor(0.9455, fg)");
	style_color(c, 0.0234, false);
	is_str(c, "#b2ab9d", "dotColor(0.0234, fg)");
	style_color(c, -1.0, false);
	is_str(c, "#00b200", "dotColor(-1, fg): green");
	style_color(c, 7.0, false);
	is_str(c, "#b20000", "dotColor clamps");
}

static void
test_short_names(void)
{
	static const char *const cases[][2] = {
		{ "main.(*Cache).fill", "main.(*Cache).fill" },
		{ "github.com/acme/svc/pkg.(*T).Method", "pkg.(*T).Method" },
		{ "github.com/acme/svc/v2/pkg.F", "pkg.F" },
		{ "runtime/pprof.writeHeapProto", "pprof.writeHeapProto" },
		{ "main.process[...]", "main.process[...]" },
		{ "std::vector<int>::push_back", "std::vector<int>::push_back" },
		{ "(anonymous namespace)::foo::Bar::baz", "Bar::baz" },
		{ "java.util.HashMap.put(Ljava/lang/Object;)", "HashMap.put" },
		{ "", "" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char what[300];

		snprintf(what, sizeof what, "ShortenFunctionName(%s)",
		    cases[i][0]);
		if (style_short_name(cases[i][0], out, sizeof out, NULL) != 0)
			strcpy(out, "(error)");
		is_str(out, cases[i][1], what);
	}
}

/* trim_log2 against Go's math.Log2, bit for bit. */
static void
test_log2(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long long xb, yb;
	size_t n = 0, bad = 0;

	if (f == NULL) {
		ok(0, "open %s", path);
		return;
	}
	while (fscanf(f, "%llx %llx", &xb, &yb) == 2) {
		double x, y;
		uint64_t got;
		uint64_t xbits = xb;

		memcpy(&x, &xbits, sizeof x);
		y = trim_log2(x);
		memcpy(&got, &y, sizeof got);
		if (got != yb) {
			if (bad < 5)
				printf("# log2(%a): got %016" PRIx64 ", Go "
				    "%016llx\n", x, got, yb);
			bad++;
		}
		n++;
	}
	fclose(f);
	ok(n > 5000 && bad == 0, "log2 equals Go's math.Log2 on %zu "
	    "arguments (%zu differ)", n, bad);
}

static void
roundtrip(const char *s, size_t n, const char *what)
{
	struct dotio_buf enc = { NULL, 0, 0 }, dec = { NULL, 0, 0 };
	int r = dotio_encode(&enc, s, n);

	r |= dotio_decode(&dec, enc.s);
	ok(r == 0 && dec.len == n && memcmp(dec.s, s, n) == 0 &&
	    dotio_valid_utf8(enc.s, enc.len) && strchr(enc.s, '\n') == NULL,
	    "escape round trip: %s", what);
	dotio_buf_free(&enc);
	dotio_buf_free(&dec);
}

static void
test_escapes(void)
{
	struct dotio_buf b = { NULL, 0, 0 };

	roundtrip("main.main", 9, "plain");
	roundtrip("a\\", 2, "trailing backslash");
	roundtrip("a\\\"b", 4, "backslash quote");
	roundtrip("x\ny\tz", 5, "control bytes");
	roundtrip("\xff\xc3\x28\xe2\x82", 5, "invalid UTF-8");
	roundtrip("caf\xc3\xa9 \xe2\x80\xa6", 9, "valid UTF-8 kept");
	roundtrip("nul\0byte", 8, "NUL byte");
	roundtrip("\\x41", 4, "text that looks like an escape");
	dotio_encode(&b, "a\\b\n\xff", 5);
	is_str(b.s, "a\\\\b\\x0a\\xff", "escaped form");
	dotio_buf_free(&b);
	ok(!dotio_valid_utf8("\xed\xa0\x80", 3), "surrogates are invalid");
	ok(!dotio_valid_utf8("\xc0\xaf", 2), "overlongs are invalid");
	ok(dotio_valid_utf8("\xf0\x9f\x98\x80", 4), "4-byte sequences are valid");
}

static bool
u32_eq(const void *ctx, uint32_t id, const void *key)
{
	return ((const uint32_t *)ctx)[id] == *(const uint32_t *)key;
}

static void
test_tables(void)
{
	struct strtab t;
	struct hmap h = HMAP_INIT;
	uint32_t *keys = calloc(100000, sizeof *keys), i, bad = 0;
	uint32_t a, b;

	ok(strtab_init(&t) == 0 && t.n == 1 && strtab_len(&t, 0) == 0,
	    "string 0 is the empty string");
	a = strtab_intern(&t, "main.main", 9);
	b = strtab_intern(&t, "main.main", 9);
	ok(a == b && a != 0, "interning is idempotent");
	ok(strtab_intern(&t, "x\0y", 3) != strtab_intern(&t, "x", 1),
	    "strings may hold NUL bytes");
	for (i = 0; i < 50000; i++) {
		char s[32];

		snprintf(s, sizeof s, "f%u", i);
		if (strtab_intern_cstr(&t, s) == STRTAB_NONE)
			bad++;
	}
	ok(bad == 0 && strtab_find(&t, "f49999", 6) != STRTAB_NONE &&
	    strcmp(strtab_str(&t, strtab_find(&t, "f123", 4)), "f123") == 0,
	    "50000 strings interned and found");
	strtab_free(&t);

	for (i = 0, bad = 0; keys != NULL && i < 100000; i++) {
		keys[i] = i * 2654435761u;
		if (hmap_find(&h, mem_hash(&keys[i], 4, 1), u32_eq, keys,
		    &keys[i]) != HMAP_NONE ||
		    hmap_add(&h, mem_hash(&keys[i], 4, 1), i) != 0)
			bad++;
	}
	for (i = 0; keys != NULL && i < 100000; i++)
		if (hmap_find(&h, mem_hash(&keys[i], 4, 1), u32_eq, keys,
		    &keys[i]) != i)
			bad++;
	ok(keys != NULL && bad == 0 && h.len == 100000,
	    "hmap: 100000 ids added and found");
	hmap_free(&h);
	free(keys);
}

/* Go packages, the retention scale's ends, and rules files. */
static void
test_retention(void)
{
	static const struct {
		const char *name, *pkg;
	} pk[] = {
		{ "main.(*Cache).fill", "main" },
		{ "compress/gzip.(*Writer).Write", "compress/gzip" },
		{ "gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml%2ev3" },
		{ "github.com/a/b/c.F[...]", "github.com/a/b/c" },
		{ "runtime/pprof.(*profileBuilder).build", "runtime/pprof" },
		{ "[binary]", "" },
		{ "noDot", "" },
	};
	static const struct {
		const char *text;
		int line;	/* of the error; 0: fine */
	} rules[] = {
		{ "# only a comment\n\n", 0 },
		{ "map\t^runtime\\.mapassign  \r\n  pool   sync\n", 0 },
		{ "map\n", 1 },
		{ "ok x\nbad!name x\n", 2 },
		{ "ok x\n\nbroken (\n", 3 },
	};
	struct diag d = { false, "" };
	struct classes *c;
	char buf[8], want[64];
	size_t i, n;

	for (i = 0; i < sizeof pk / sizeof *pk; i++) {
		n = marks_package(pk[i].name, strlen(pk[i].name));
		ok(n == strlen(pk[i].pkg) && strncmp(pk[i].name, pk[i].pkg,
		    n) == 0, "marks_package(%s) = \"%.*s\"", pk[i].name,
		    (int)n, pk[i].name);
	}
	retention_color(buf, 0, false);
	ok(strcmp(buf, "#3a6eb4") == 0, "retention_color(0) is blue: %s", buf);
	retention_color(buf, 1, false);
	ok(strcmp(buf, "#c81e1e") == 0, "retention_color(1) is red: %s", buf);
	retention_color(buf, 7, false);
	ok(strcmp(buf, "#c81e1e") == 0, "retention_color clamps: %s", buf);
	retention_color(buf, NAN, false);
	ok(strcmp(buf, "#9a9a9a") == 0, "retention_color(NAN) is grey: %s",
	    buf);
	for (i = 0; i < sizeof rules / sizeof *rules; i++) {
		diag_clear(&d);
		c = classes_parse(rules[i].text, "r", &d);
		snprintf(want, sizeof want, "r:%d: ", rules[i].line);
		ok(rules[i].line == 0 ? c != NULL : c == NULL &&
		    strncmp(d.msg, want, strlen(want)) == 0,
		    "classes_parse case %zu: %s", i, c != NULL ? "ok" : d.msg);
		classes_free(c);
	}
	diag_clear(&d);
	c = classes_parse(classes_builtin, "builtin", &d);
	ok(c != NULL, "the built-in rules compile");
	classes_free(c);
	ok(strcmp(classes_shape("map"), "folder") == 0 &&
	    strcmp(classes_shape("mine"), "box") == 0, "classes_shape");
}

/* The fast Sample reader: what it reads, and what it leaves to protobuf-c. */
static void
test_fast_sample(void)
{
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
		int want;
		size_t nlocs, nvals;
		uint64_t loc0, val0;
	} cases[] = {
		{ "packed ids and values", "\x0a\x02\x01\x02\x12\x02\x05\x06",
		    8, 1, 2, 2, 1, 5 },
		{ "unpacked ids and values", "\x08\x01\x08\x02\x10\x05",
		    6, 1, 2, 1, 1, 5 },
		{ "runs of both forms appended", "\x0a\x01\x07\x08\x09\x10\x01",
		    7, 1, 2, 1, 7, 1 },
		{ "values before ids", "\x12\x01\x03\x0a\x01\x04", 6, 1, 1, 1,
		    4, 3 },
		{ "a negative value (10 bytes)",
		    "\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11, 1, 0, 1,
		    0, UINT64_MAX },
		{ "an empty message", "", 0, 1, 0, 0, 0, 0 },
		{ "a label", "\x08\x01\x1a\x04\x08\x01\x18\x07", 8, 1, 1, 0,
		    1, 0 },
		{ "a label with an unknown field: protobuf-c's",
		    "\x1a\x02\x28\x01", 4, 0, 0, 0, 0, 0 },
		{ "a label past the end: protobuf-c's", "\x1a\x04\x08\x01", 4,
		    0, 0, 0, 0, 0 },
		{ "an unknown field: protobuf-c's", "\x08\x01\x20\x01", 4, 0, 0,
		    0, 0, 0 },
		{ "a truncated varint: protobuf-c's", "\x08\x81", 2, 0, 0, 0, 0,
		    0 },
		{ "a packed run past the end: protobuf-c's", "\x0a\x05\x01", 3,
		    0, 0, 0, 0, 0 },
		{ "a varint over 64 bits: protobuf-c's",
		    "\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11, 0, 0,
		    0, 0, 0 },
		{ "a two-byte tag: protobuf-c's", "\x88\x00\x01", 3, 0, 0, 0,
		    0, 0 },
	};
	struct pbdecode_sample fs;
	size_t i;

	memset(&fs, 0, sizeof fs);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r = pbdecode_sample_fast(&fs,
		    (const unsigned char *)cases[i].bytes, cases[i].len);
		bool same = r == cases[i].want;

		if (same && r == 1)
			same = fs.nlocs == cases[i].nlocs &&
			    fs.nvals == cases[i].nvals &&
			    (fs.nlocs == 0 || fs.locs[0] == cases[i].loc0) &&
			    (fs.nvals == 0 || fs.vals[0] == cases[i].val0);
		if (same && i == 6)	/* the label case */
			same = fs.nlabels == 1 && fs.labels[0].key == 1 &&
			    fs.labels[0].num == 7 && fs.labels[0].str == 0;
		ok(same, "fast sample reader: %s", cases[i].what);
	}
	pbdecode_sample_free(&fs);
}

/* Stacks spelled by one thread and by two give the same space. */
static void
test_spell_threads(const char *srcdir)
{
	static const char *const fixtures[] = { "heap3.pb.gz", "cpu.pb.gz",
	    "allocs.txt" };
	struct prof_limits lim = { .max_input = INPUT_DEFAULT_MAX,
	    .max_depth = PROF_DEFAULT_MAX_DEPTH };
	size_t i, saved = graph_parallel_entries;
	char path[4096];

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		struct prof *p = prof_new(&lim, PROF_NO_BASE);
		struct graph_space *one = NULL, *two = NULL;
		struct diag d = { 0 };
		bool same = false;

		snprintf(path, sizeof path, "%s/tests/fixtures/%s", srcdir,
		    fixtures[i]);
		if (p != NULL && load_profile(p, path, &d) == 0) {
			graph_parallel_entries = SIZE_MAX;
			one = graph_space_new(p, GRAN_LINES, NULL, &d);
			graph_parallel_entries = 0;
			two = graph_space_new(p, GRAN_LINES, NULL, &d);
			same = one != NULL && two != NULL && one->nseq > 0 &&
			    one->nseq == two->nseq &&
			    memcmp(one->seq, two->seq,
			    one->nseq * sizeof *one->seq) == 0 &&
			    memcmp(one->seq0, two->seq0,
			    (p->nstacks + 1) * sizeof *one->seq0) == 0;
		}
		ok(same, "stacks spelled by two threads as by one: %s",
		    fixtures[i]);
		graph_space_free(one);
		graph_space_free(two);
		prof_free(p);
	}
	graph_parallel_entries = saved;
}

/* Load inputs (a NULL-ended list) into a new model; NULL on failure. */
static struct prof *
load_all(const char *srcdir, const char *const *names, bool base)
{
	struct prof_limits lim = { .max_input = INPUT_DEFAULT_MAX,
	    .max_depth = PROF_DEFAULT_MAX_DEPTH };
	struct prof *p = prof_new(&lim, base ? PROF_BASE_DIFF : PROF_NO_BASE);
	char path[4096];
	size_t i;

	for (i = 0; p != NULL && names[i] != NULL; i++) {
		struct diag d = { 0 };

		snprintf(path, sizeof path, "%s/tests/fixtures/%s", srcdir,
		    names[i]);
		p->loading_base = base && i > 0;
		if (load_profile(p, path, &d) != 0) {
			printf("# %s\n", d.msg);
			prof_free(p);
			return NULL;
		}
	}
	return p;
}

/* Samples folded in the background give the model folded at once. */
static void
test_background_fold(const char *srcdir)
{
	static const char *const sets[][4] = {
		{ "heap3.pb.gz", NULL }, { "cpu.pb.gz", NULL },
		{ "goroutine.pb.gz", NULL },
		{ "heap3.pb.gz", "heap1.pb.gz", "heap2.pb.gz", NULL },
		{ "heap3.pb.gz", "heap1.pb.gz", NULL },
	};
	uint64_t saved = pbdecode_background_samples;
	size_t i, j;

	for (i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		bool base = i == 4;
		struct prof *a, *b;
		bool same;

		pbdecode_background_samples = UINT64_MAX;
		a = load_all(srcdir, sets[i], base);
		pbdecode_background_samples = 1;
		b = load_all(srcdir, sets[i], base);
		same = a != NULL && b != NULL && a->nstacks > 0 &&
		    a->nstacks == b->nstacks && a->nframes == b->nframes &&
		    a->nvalues_per == b->nvalues_per &&
		    memcmp(a->frames, b->frames,
		    a->nframes * sizeof *a->frames) == 0 &&
		    memcmp(a->values, b->values,
		    a->nstacks * a->nvalues_per * sizeof *a->values) == 0;
		for (j = 0; same && j < a->nstacks; j++)
			same = a->stacks[j].frame0 == b->stacks[j].frame0 &&
			    a->stacks[j].depth == b->stacks[j].depth &&
			    a->stacks[j].labelset == b->stacks[j].labelset &&
			    a->stacks[j].base == b->stacks[j].base;
		ok(same, "samples folded in the background as at once: %s%s%s",
		    sets[i][0], sets[i][1] != NULL ? (base ? " with base" :
		    " and more") : "", "");
		prof_free(a);
		prof_free(b);
	}
	pbdecode_background_samples = saved;
}

/* Do a and b hold the same graph (nodes in the same order)? */
static bool
same_graph(const struct graph *a, const struct graph *b)
{
	size_t nt = a->ntypes, nall = a->nnodes + a->nghost, i;

	if (a->ntypes != b->ntypes || a->nnodes != b->nnodes ||
	    a->nghost != b->nghost || a->nedges != b->nedges ||
	    a->ntags != b->ntags)
		return false;
	for (i = 0; i < nall; i++)
		if (a->info[i] != b->info[i])
			return false;
	if (memcmp(a->flat, b->flat, nall * nt * sizeof *a->flat) != 0 ||
	    memcmp(a->cum, b->cum, nall * nt * sizeof *a->cum) != 0 ||
	    memcmp(a->sflat, b->sflat, nall * sizeof *a->sflat) != 0 ||
	    memcmp(a->scum, b->scum, nall * sizeof *a->scum) != 0 ||
	    memcmp(a->ew, b->ew, a->nedges * nt * sizeof *a->ew) != 0 ||
	    memcmp(a->sew, b->sew, a->nedges * sizeof *a->sew) != 0)
		return false;
	for (i = 0; i < a->nedges; i++)
		if (a->edges[i].src != b->edges[i].src ||
		    a->edges[i].dst != b->edges[i].dst ||
		    a->edges[i].flags != b->edges[i].flags)
			return false;
	for (i = 0; i < a->ntags; i++)
		if (a->tags[i].node != b->tags[i].node ||
		    a->tags[i].key != b->tags[i].key ||
		    a->tags[i].flat != b->tags[i].flat ||
		    a->tags[i].cum != b->tags[i].cum)
			return false;
	return true;
}

/*
 * Same nodes (matched by info, in any order) and values of the selected
 * type: the nodes-only first pass against a full walk.
 */
static bool
same_nodes(const struct graph *a, const struct graph *b)
{
	size_t i, j;

	if (a->nnodes != b->nnodes || a->nghost != b->nghost)
		return false;
	for (i = 0; i < a->nnodes + a->nghost; i++) {
		for (j = 0; j < b->nnodes + b->nghost; j++)
			if (b->info[j] == a->info[i])
				break;
		if (j == b->nnodes + b->nghost || (i < a->nnodes) !=
		    (j < b->nnodes) || a->sflat[i] != b->sflat[j] ||
		    a->scum[i] != b->scum[j])
			return false;
	}
	return a->nnodes > 0;
}

/* The builds of one space, by one thread and by two. */
static void
check_builds(struct prof *p, const char *what)
{
	struct graph_space *s = graph_space_new(p, GRAN_FUNCTIONS, NULL, NULL);
	struct graph_build_opts o;
	struct graph *g[2][4];
	unsigned char *kept = NULL;
	size_t i, t, saved = graph_parallel_entries;
	struct diag d = { 0 };

	memset(g, 0, sizeof g);
	if (s != NULL && (kept = calloc(s->ninfos + 1, 1)) != NULL) {
		for (i = 0; i < s->ninfos; i++)
			kept[i] = i % 3 != 1;
		for (t = 0; t < 2; t++) {
			graph_parallel_entries = t == 0 ? SIZE_MAX : 0;
			memset(&o, 0, sizeof o);
			o.nodes_only = true;
			g[t][0] = graph_build(p, s, &o, &d);
			o.nodes_only = false;
			o.tags = true;
			o.all_tags = true;
			g[t][1] = graph_build(p, s, &o, &d);
			o.kept = kept;
			o.all_tags = false;
			g[t][2] = graph_build(p, s, &o, &d);
			/* The general walk of the nodes-only pass. */
			memset(kept, 1, s->ninfos);
			o.nodes_only = true;
			g[t][3] = graph_build(p, s, &o, &d);
			for (i = 0; i < s->ninfos; i++)
				kept[i] = i % 3 != 1;
		}
	}
	for (i = 0; i < 3; i++)
		ok(g[0][i] != NULL && g[1][i] != NULL &&
		    same_graph(g[0][i], g[1][i]),
		    "%s: graph %zu built by two threads as by one", what, i);
	ok(g[0][0] != NULL && g[1][3] != NULL && same_nodes(g[0][0], g[1][3]),
	    "%s: the nodes-only sums as a walk gives them", what);
	for (t = 0; t < 2; t++)
		for (i = 0; i < 4; i++)
			graph_free(g[t][i]);
	free(kept);
	graph_space_free(s);
	graph_parallel_entries = saved;
}

/* Graphs built by one thread and by two are the same. */
static void
test_build_threads(const char *srcdir)
{
	static const char *const fixtures[][2] = {
		{ "heap3.pb.gz", NULL }, { "cpu.pb.gz", NULL },
		{ "allocs.txt", NULL }, { "heap3.pb.gz", "heap1.pb.gz" },
	};
	struct prof_limits lim = { .max_input = INPUT_DEFAULT_MAX,
	    .max_depth = PROF_DEFAULT_MAX_DEPTH };
	size_t i;
	char path[4096], what[128];

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		const char *base = fixtures[i][1];
		struct prof *p = prof_new(&lim, base != NULL ? PROF_BASE_DIFF :
		    PROF_NO_BASE);
		struct diag d = { 0 };
		bool loaded;

		snprintf(path, sizeof path, "%s/tests/fixtures/%s", srcdir,
		    fixtures[i][0]);
		loaded = p != NULL && load_profile(p, path, &d) == 0;
		if (loaded && base != NULL) {
			snprintf(path, sizeof path, "%s/tests/fixtures/%s",
			    srcdir, base);
			p->loading_base = true;
			loaded = load_profile(p, path, &d) == 0;
			p->loading_base = false;
		}
		snprintf(what, sizeof what, "%s%s%s", fixtures[i][0],
		    base != NULL ? " with base " : "", base != NULL ? base : "");
		ok(loaded, "%s: loaded", what);
		if (loaded) {
			prof_loaded(p);
			check_builds(p, what);
		}
		prof_free(p);
	}
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("top_srcdir");
	char path[4096];

	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "%s/tests/expected/log2.txt",
	    srcdir != NULL ? srcdir : ".");
	test_units();
	test_colors();
	test_short_names();
	test_log2(path);
	test_escapes();
	test_tables();
	test_retention();
	test_fast_sample();
	test_spell_threads(srcdir != NULL ? srcdir : ".");
	test_build_threads(srcdir != NULL ? srcdir : ".");
	test_background_fold(srcdir != NULL ? srcdir : ".");
	printf("1..%d\n", n_tests);
	return n_failed > 0;
}
