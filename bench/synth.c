/*
 * synth -- write a large synthetic Go-like heap profile for benchmarks.
 *
 * The gomemviz benchmark compares pprof2graph with `go tool pprof -dot`
 * on big heap profiles, and real ones of that size cannot be shipped.
 * This program writes one instead: a gzipped pprof protobuf shaped like
 * what Go's runtime/pprof writes for a large server (four sample types
 * alloc_objects/alloc_space/inuse_objects/inuse_space, period_type
 * space/bytes, a `bytes` numeric label on every sample, one mapping,
 * Go-style function and file names, locations with inlined frames).
 * Stacks come from random walks over a generated call graph with
 * locality: a few front ends (net/http, gRPC, workers) dispatch into
 * services whose packages call deeper into themselves, into shared
 * libraries (encoding/json, fmt, bytes, ...) and into runtime
 * allocators; callees are Zipf-weighted so there are hot paths, shared
 * prefixes and a long tail, plus some recursion, and every generated
 * function appears in at least one stack.  `-r` instead draws every
 * frame uniformly from a pool of locations, the pessimistic case with
 * no locality.  Output is deterministic for a given seed and set of
 * options.  Samples are packed and compressed one at a time, so memory
 * follows the size of the call graph plus two hash-set entries per
 * sample (unique stacks and (stack, size) buckets), not the output.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "profile.pb-c.h"

/* ---------------------------------------------------------------- */
/* Errors and memory                                                 */

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("synth: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *
xmalloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		die("out of memory");
	p = malloc(n * size != 0 ? n * size : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xrealloc(void *old, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		die("out of memory");
	p = realloc(old, n * size != 0 ? n * size : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

/* Grow *arr (of *cap elements of size size) so that index need fits. */
static void
grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **pp = arr;
	size_t ncap = *cap ? *cap : 16;

	if (need < *cap)
		return;
	while (ncap <= need)
		ncap *= 2;
	*pp = xrealloc(*pp, ncap, size);
	*cap = ncap;
}

static char *
xsprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xsprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("formatting failed");
	s = xmalloc((size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* ---------------------------------------------------------------- */
/* Deterministic random numbers: xoshiro256** seeded by splitmix64   */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
mix64(uint64_t x)
{
	return splitmix64(&x);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n); n > 0. */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* Index into cum[0..n) (cumulative weights, cum[n-1] > 0). */
static uint32_t
pick_cum(struct rng *r, const double *cum, uint32_t n)
{
	double x = rng_unit(r) * cum[n - 1];
	uint32_t lo = 0, hi = n - 1;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---------------------------------------------------------------- */
/* The call graph                                                    */

/* Level ranges keep the graph acyclic apart from deliberate recursion:
 * every function has a caller at a strictly lower level (except the
 * roots), which lets coverage walks climb to a root. */
#define LEVEL_SVC 10	/* service entry points; deeper service levels above */
#define LEVEL_LIB 100	/* shared libraries */
#define LEVEL_RT 200	/* runtime allocators */

#define LINES_PER_FUNC 64	/* call sites lie within start_line + 1..63 */
#define MAX_INLINE 3		/* Line entries per location at most */

enum func_kind { FK_ROOT, FK_SERVICE, FK_LIB, FK_RUNTIME };

struct func {
	char *name;
	const char *file;	/* shared, owned by gen.files */
	uint32_t start_line;
	int32_t level;
	uint8_t kind;
	uint8_t inlinable;	/* small: inlined where service or library code calls it */
	uint32_t group;		/* service, or library chain */
	uint32_t pkg;		/* package within the service */
	uint32_t edge_off;	/* outgoing edges, after finish_graph */
	uint32_t n_edges;
	uint32_t in_off;	/* incoming edges from lower levels */
	uint32_t n_in;
	double stop_w;		/* weight of allocating in this function */
	double sum_w;		/* stop_w + outgoing edge weights */
	uint32_t site_off;	/* its allocation sites in gen.sites */
	uint32_t n_sites;
	uint32_t out_id;	/* id in the written profile, 0 = unused */
	uint64_t addr;
};

/* A call from caller to callee at a line of caller. */
struct edge {
	uint32_t caller;
	uint32_t callee;
	uint32_t line;
	uint8_t inl;		/* the callee is inlined at this call */
	double w;
};

/* A leaf frame: an allocation at a line of func (or, with -r, any
 * frame of the random location pool). */
struct site {
	uint32_t func;
	uint32_t line;
};

/* A location is the list of items that produced it: the physical
 * caller's item first, then one per inlined frame.  Items below
 * n_edges are edges, the rest are sites. */
struct loc {
	uint32_t item[MAX_INLINE];
	uint8_t n;
	uint32_t out_id;	/* id in the written profile, 0 = unused */
};

struct pkg_info {
	uint32_t first, n;	/* functions, ordered by level */
	uint32_t lo, hi;	/* level window, relative to LEVEL_SVC */
};

struct gen {
	struct rng rng;
	/* options */
	uint64_t n_samples;
	uint32_t n_funcs_wanted;
	uint32_t max_depth;
	int random_stacks;

	struct func *funcs;
	size_t n_funcs, cap_funcs;
	struct edge *edges;
	size_t n_edges, cap_edges;
	uint32_t *in_edges;	/* edge indexes, grouped by callee */
	struct site *sites;
	size_t n_sites, cap_sites;
	char **files;		/* owned file name strings */
	size_t n_files, cap_files;

	/* roots: fixed stack prefixes (goroutine start, framework and
	 * middleware frames) ending in a dispatcher; functions, then
	 * edges once the graph is finished, and cumulative weights */
	uint32_t *pfx_fn;
	size_t n_pfx_fn, cap_pfx_fn;
	uint32_t *pfx_edge;	/* parallel to pfx_fn; the last one unused */
	size_t *pfx_off;	/* n_roots + 1 offsets into pfx_fn */
	double *root_cum;
	size_t n_roots, cap_roots;
	/* library entry points, cumulative popularity */
	uint32_t *lib_entries;
	double *lib_cum;
	size_t n_lib_entries, cap_lib_entries;
	/* runtime allocator entry points, cumulative popularity */
	uint32_t rt_entries[16];
	double rt_cum[16];
	uint32_t n_rt_entries;

	/* services: functions by (service, level) */
	uint32_t n_services;
	uint32_t svc_levels;	/* levels per service */
	uint32_t *svc_lvl_off;	/* [svc * svc_levels + l] into svc_lvl_fn */
	uint32_t *svc_lvl_fn;
	uint32_t *svc_root;	/* per-service goroutine root */
	uint32_t *entries;	/* all service functions at LEVEL_SVC */
	size_t n_entries, cap_entries;
	struct pkg_info *pkgs;	/* service packages */
	size_t n_pkgs;
	uint32_t svc_first, svc_n;	/* service functions are contiguous */

	/* locations */
	struct loc *locs;
	size_t n_locs, cap_locs;
	uint32_t *loc_tab;	/* open addressing, loc index + 1 */
	size_t loc_tab_cap;
	/*
	 * Written locations in id order: as Go's profile builder does,
	 * a location gets the next id when a written sample first refers
	 * to it, reading the sample's frames leaf first.
	 */
	uint32_t *loc_order;
	size_t n_out_locs;
};

static uint32_t
add_file(struct gen *g, char *name)
{
	grow(&g->files, &g->cap_files, g->n_files, sizeof *g->files);
	g->files[g->n_files] = name;
	return (uint32_t)g->n_files++;
}

static uint32_t
add_func(struct gen *g, char *name, const char *file, enum func_kind kind,
    int32_t level, uint32_t group)
{
	struct func *f;

	grow(&g->funcs, &g->cap_funcs, g->n_funcs, sizeof *g->funcs);
	f = &g->funcs[g->n_funcs];
	memset(f, 0, sizeof *f);
	f->name = name;
	f->file = file;
	f->kind = (uint8_t)kind;
	f->level = level;
	f->group = group;
	f->start_line = rng_range(&g->rng, 12, 1800);
	return (uint32_t)g->n_funcs++;
}

static uint32_t
func_line(struct gen *g, uint32_t f)
{
	return g->funcs[f].start_line + rng_range(&g->rng, 1, LINES_PER_FUNC - 1);
}

static void
add_edge(struct gen *g, uint32_t caller, uint32_t callee, double w)
{
	struct edge *e;

	grow(&g->edges, &g->cap_edges, g->n_edges, sizeof *g->edges);
	e = &g->edges[g->n_edges++];
	e->caller = caller;
	e->callee = callee;
	e->line = func_line(g, caller);
	e->w = w;
	e->inl = 0;
}

static uint32_t
add_site(struct gen *g, uint32_t f, uint32_t line)
{
	grow(&g->sites, &g->cap_sites, g->n_sites, sizeof *g->sites);
	g->sites[g->n_sites].func = f;
	g->sites[g->n_sites].line = line;
	return (uint32_t)g->n_sites++;
}

/* Start a new root prefix of weight w; add_pfx_fn appends to it. */
static void
add_root(struct gen *g, double w)
{
	grow(&g->root_cum, &g->cap_roots, g->n_roots + 1, sizeof *g->root_cum);
	g->pfx_off = xrealloc(g->pfx_off, g->cap_roots, sizeof *g->pfx_off);
	g->root_cum[g->n_roots] = (g->n_roots ? g->root_cum[g->n_roots - 1] : 0) + w;
	g->pfx_off[g->n_roots] = g->n_pfx_fn;
	g->n_roots++;
	g->pfx_off[g->n_roots] = g->n_pfx_fn;
}

static void
add_pfx_fn(struct gen *g, uint32_t f)
{
	grow(&g->pfx_fn, &g->cap_pfx_fn, g->n_pfx_fn, sizeof *g->pfx_fn);
	g->pfx_fn[g->n_pfx_fn++] = f;
	g->pfx_off[g->n_roots] = g->n_pfx_fn;
}

static void
add_lib_entry(struct gen *g, uint32_t f, double w)
{
	size_t n = g->n_lib_entries;

	grow(&g->lib_entries, &g->cap_lib_entries, n, sizeof *g->lib_entries);
	g->lib_cum = xrealloc(g->lib_cum, g->cap_lib_entries, sizeof *g->lib_cum);
	g->lib_entries[n] = f;
	g->lib_cum[n] = (n ? g->lib_cum[n - 1] : 0) + w;
	g->n_lib_entries++;
}

/* True if caller already calls callee. Edges of a function being built
 * are contiguous at the end of g->edges, starting at from. */
static int
has_edge(const struct gen *g, size_t from, uint32_t callee)
{
	size_t i;

	for (i = from; i < g->n_edges; i++)
		if (g->edges[i].callee == callee)
			return 1;
	return 0;
}

/* ---- runtime allocators --------------------------------------------- */

struct rt_spec {
	const char *name;
	const char *file;
	int level;		/* relative to LEVEL_RT */
	const char *callee[2];	/* by name, with weights */
	double w[2];
	double entry_w;		/* popularity as a target of user code */
};

static const struct rt_spec rt_specs[] = {
	{ "runtime.mallocgc", "malloc.go", 50, { NULL, NULL }, { 0, 0 }, 0 },
	{ "runtime.newobject", "malloc.go", 40, { "runtime.mallocgc", NULL }, { 1, 0 }, 0.36 },
	{ "runtime.makeslice", "slice.go", 40, { "runtime.mallocgc", NULL }, { 1, 0 }, 0.20 },
	{ "runtime.growslice", "slice.go", 40, { "runtime.mallocgc", NULL }, { 1, 0 }, 0.18 },
	{ "runtime.newarray", "malloc.go", 35, { "runtime.mallocgc", NULL }, { 1, 0 }, 0 },
	{ "runtime.makeBucketArray", "map.go", 30, { "runtime.newarray", NULL }, { 1, 0 }, 0 },
	{ "runtime.hashGrow", "map.go", 25, { "runtime.makeBucketArray", NULL }, { 1, 0 }, 0 },
	{ "runtime.makemap", "map.go", 20, { "runtime.makeBucketArray", "runtime.newobject" }, { 0.6, 0.4 }, 0.05 },
	{ "runtime.mapassign_faststr", "map_faststr.go", 20, { "runtime.hashGrow", "runtime.newobject" }, { 0.5, 0.5 }, 0.06 },
	{ "runtime.rawstring", "string.go", 40, { "runtime.mallocgc", NULL }, { 1, 0 }, 0 },
	{ "runtime.rawstringtmp", "string.go", 35, { "runtime.rawstring", NULL }, { 1, 0 }, 0 },
	{ "runtime.concatstrings", "string.go", 30, { "runtime.rawstringtmp", NULL }, { 1, 0 }, 0.06 },
	{ "runtime.slicebytetostring", "string.go", 40, { "runtime.mallocgc", NULL }, { 1, 0 }, 0.05 },
	{ "runtime.convTstring", "iface.go", 40, { "runtime.mallocgc", NULL }, { 1, 0 }, 0.04 },
};

#define N_RT (sizeof rt_specs / sizeof rt_specs[0])

static uint32_t
find_func(const struct gen *g, size_t from, const char *name)
{
	size_t i;

	for (i = from; i < g->n_funcs; i++)
		if (strcmp(g->funcs[i].name, name) == 0)
			return (uint32_t)i;
	die("internal error: no function %s", name);
}

static void
build_runtime(struct gen *g)
{
	size_t first = g->n_funcs, i;
	int j;

	for (i = 0; i < N_RT; i++) {
		uint32_t fi = add_file(g,
		    xsprintf("/usr/local/go/src/runtime/%s", rt_specs[i].file));
		const char *file = g->files[fi];
		uint32_t f = add_func(g, xsprintf("%s", rt_specs[i].name), file,
		    FK_RUNTIME, LEVEL_RT + rt_specs[i].level, 0);

		if (rt_specs[i].callee[0] == NULL)
			g->funcs[f].stop_w = 1;	/* mallocgc: the leaf */
		if (rt_specs[i].entry_w > 0) {
			g->rt_entries[g->n_rt_entries] = f;
			g->rt_cum[g->n_rt_entries] = rt_specs[i].entry_w +
			    (g->n_rt_entries ? g->rt_cum[g->n_rt_entries - 1] : 0);
			g->n_rt_entries++;
		}
	}
	for (i = 0; i < N_RT; i++)
		for (j = 0; j < 2; j++)
			if (rt_specs[i].callee[j] != NULL)
				add_edge(g, (uint32_t)(first + i),
				    find_func(g, first, rt_specs[i].callee[j]),
				    rt_specs[i].w[j]);
}

/* ---- shared libraries -------------------------------------------------- */

/* Curated chains of real library functions.  A chain's functions call
 * the chain's next level; recursive chains also call back up one
 * level (json value -> object -> value). */
struct lib_spec {
	uint8_t chain;
	uint8_t level;
	uint8_t inlinable;
	const char *name;
	const char *file;
};

static const struct lib_spec lib_specs[] = {
	{ 0, 0, 0, "encoding/json.Unmarshal", "encoding/json/decode.go" },
	{ 0, 1, 0, "encoding/json.(*decodeState).unmarshal", "encoding/json/decode.go" },
	{ 0, 2, 0, "encoding/json.(*decodeState).value", "encoding/json/decode.go" },
	{ 0, 3, 0, "encoding/json.(*decodeState).object", "encoding/json/decode.go" },
	{ 0, 3, 0, "encoding/json.(*decodeState).array", "encoding/json/decode.go" },
	{ 0, 4, 0, "encoding/json.(*decodeState).literalStore", "encoding/json/decode.go" },
	{ 0, 4, 0, "encoding/json.(*decodeState).objectInterface", "encoding/json/decode.go" },
	{ 0, 5, 0, "encoding/json.unquote", "encoding/json/decode.go" },
	{ 1, 0, 0, "encoding/json.Marshal", "encoding/json/encode.go" },
	{ 1, 1, 0, "encoding/json.(*encodeState).marshal", "encoding/json/encode.go" },
	{ 1, 2, 1, "encoding/json.(*encodeState).reflectValue", "encoding/json/encode.go" },
	{ 1, 3, 0, "encoding/json.structEncoder.encode", "encoding/json/encode.go" },
	{ 1, 3, 0, "encoding/json.mapEncoder.encode", "encoding/json/encode.go" },
	{ 1, 3, 0, "encoding/json.arrayEncoder.encode", "encoding/json/encode.go" },
	{ 1, 4, 0, "encoding/json.(*encodeState).string", "encoding/json/encode.go" },
	{ 2, 0, 0, "bytes.(*Buffer).Write", "bytes/buffer.go" },
	{ 2, 0, 0, "bytes.(*Buffer).WriteString", "bytes/buffer.go" },
	{ 2, 0, 0, "bytes.(*Buffer).ReadFrom", "bytes/buffer.go" },
	{ 2, 1, 0, "bytes.(*Buffer).grow", "bytes/buffer.go" },
	{ 2, 2, 0, "bytes.growSlice", "bytes/buffer.go" },
	{ 3, 0, 0, "strings.(*Builder).WriteString", "strings/builder.go" },
	{ 3, 0, 0, "strings.(*Builder).WriteByte", "strings/builder.go" },
	{ 3, 1, 1, "strings.(*Builder).grow", "strings/builder.go" },
	{ 4, 0, 0, "strings.Split", "strings/strings.go" },
	{ 4, 0, 0, "strings.Fields", "strings/strings.go" },
	{ 4, 0, 0, "strings.Join", "strings/strings.go" },
	{ 4, 0, 0, "strings.Repeat", "strings/strings.go" },
	{ 4, 1, 0, "strings.genSplit", "strings/strings.go" },
	{ 5, 0, 0, "fmt.Sprintf", "fmt/print.go" },
	{ 5, 0, 0, "fmt.Errorf", "fmt/errors.go" },
	{ 5, 0, 0, "fmt.Fprintf", "fmt/print.go" },
	{ 5, 1, 1, "fmt.newPrinter", "fmt/print.go" },
	{ 5, 1, 0, "fmt.(*pp).doPrintf", "fmt/print.go" },
	{ 5, 2, 0, "fmt.(*pp).printArg", "fmt/print.go" },
	{ 5, 3, 0, "fmt.(*pp).handleMethods", "fmt/print.go" },
	{ 5, 3, 0, "fmt.(*pp).printValue", "fmt/print.go" },
	{ 6, 0, 0, "strconv.Quote", "strconv/quote.go" },
	{ 6, 0, 0, "strconv.FormatInt", "strconv/itoa.go" },
	{ 6, 1, 0, "strconv.appendQuotedWith", "strconv/quote.go" },
	{ 6, 1, 0, "strconv.formatBits", "strconv/itoa.go" },
	{ 7, 0, 0, "bufio.NewReaderSize", "bufio/bufio.go" },
	{ 7, 0, 0, "bufio.NewWriterSize", "bufio/bufio.go" },
	{ 7, 0, 0, "bufio.(*Reader).ReadString", "bufio/bufio.go" },
	{ 7, 1, 0, "bufio.(*Reader).collectFragments", "bufio/bufio.go" },
	{ 7, 2, 0, "bufio.(*Reader).ReadSlice", "bufio/bufio.go" },
	{ 8, 0, 0, "net/http.ReadResponse", "net/http/response.go" },
	{ 8, 0, 0, "net/http.(*Request).ParseForm", "net/http/request.go" },
	{ 8, 1, 0, "net/textproto.(*Reader).ReadMIMEHeader", "net/textproto/reader.go" },
	{ 8, 1, 0, "net/url.ParseQuery", "net/url/url.go" },
	{ 8, 2, 0, "net/textproto.(*Reader).readContinuedLineSlice", "net/textproto/reader.go" },
	{ 8, 2, 0, "net/url.parseQuery", "net/url/url.go" },
	{ 8, 3, 0, "net/textproto.canonicalMIMEHeaderKey", "net/textproto/reader.go" },
	{ 9, 0, 0, "google.golang.org/protobuf/proto.Unmarshal", "google.golang.org/protobuf@v1.28.1/proto/decode.go" },
	{ 9, 1, 0, "google.golang.org/protobuf/proto.UnmarshalOptions.unmarshal", "google.golang.org/protobuf@v1.28.1/proto/decode.go" },
	{ 9, 2, 0, "google.golang.org/protobuf/internal/impl.(*MessageInfo).unmarshalPointer", "google.golang.org/protobuf@v1.28.1/internal/impl/decode.go" },
	{ 9, 3, 0, "google.golang.org/protobuf/internal/impl.consumeMessageInfo", "google.golang.org/protobuf@v1.28.1/internal/impl/codec_field.go" },
	{ 9, 3, 0, "google.golang.org/protobuf/internal/impl.consumeBytes", "google.golang.org/protobuf@v1.28.1/internal/impl/codec_gen.go" },
	{ 9, 3, 0, "google.golang.org/protobuf/internal/impl.consumeStringSliceValidateUTF8", "google.golang.org/protobuf@v1.28.1/internal/impl/codec_gen.go" },
	{ 9, 4, 0, "google.golang.org/protobuf/internal/impl.pointer.Elem", "google.golang.org/protobuf@v1.28.1/internal/impl/pointer_unsafe.go" },
	{ 10, 0, 0, "google.golang.org/grpc.(*serverStream).SendMsg", "google.golang.org/grpc@v1.50.1/stream.go" },
	{ 10, 1, 0, "google.golang.org/grpc.encode", "google.golang.org/grpc@v1.50.1/rpc_util.go" },
	{ 10, 2, 0, "google.golang.org/grpc/encoding/proto.codec.Marshal", "google.golang.org/grpc@v1.50.1/encoding/proto/proto.go" },
	{ 10, 3, 0, "google.golang.org/protobuf/proto.MarshalOptions.marshal", "google.golang.org/protobuf@v1.28.1/proto/encode.go" },
	{ 11, 0, 0, "database/sql.(*DB).QueryContext", "database/sql/sql.go" },
	{ 11, 0, 0, "database/sql.(*Rows).Scan", "database/sql/sql.go" },
	{ 11, 1, 0, "database/sql.(*DB).query", "database/sql/sql.go" },
	{ 11, 1, 0, "database/sql.convertAssignRows", "database/sql/convert.go" },
	{ 11, 2, 0, "database/sql.(*DB).queryDC", "database/sql/sql.go" },
	{ 11, 3, 0, "github.com/lib/pq.(*conn).query", "github.com/lib/pq@v1.10.7/conn.go" },
	{ 11, 4, 0, "github.com/lib/pq.(*conn).recv1Buf", "github.com/lib/pq@v1.10.7/conn.go" },
	{ 11, 5, 1, "github.com/lib/pq.(*readBuf).string", "github.com/lib/pq@v1.10.7/buf.go" },
	{ 12, 0, 0, "go.uber.org/zap.(*Logger).Info", "go.uber.org/zap@v1.23.0/logger.go" },
	{ 12, 0, 0, "go.uber.org/zap.(*Logger).Error", "go.uber.org/zap@v1.23.0/logger.go" },
	{ 12, 1, 0, "go.uber.org/zap.(*Logger).check", "go.uber.org/zap@v1.23.0/logger.go" },
	{ 12, 1, 0, "go.uber.org/zap/zapcore.(*CheckedEntry).Write", "go.uber.org/zap@v1.23.0/zapcore/entry.go" },
	{ 12, 2, 0, "go.uber.org/zap/zapcore.(*ioCore).Write", "go.uber.org/zap@v1.23.0/zapcore/core.go" },
	{ 12, 3, 0, "go.uber.org/zap/zapcore.(*jsonEncoder).EncodeEntry", "go.uber.org/zap@v1.23.0/zapcore/json_encoder.go" },
	{ 12, 4, 0, "go.uber.org/zap/zapcore.(*jsonEncoder).clone", "go.uber.org/zap@v1.23.0/zapcore/json_encoder.go" },
	{ 13, 0, 0, "regexp.MustCompile", "regexp/regexp.go" },
	{ 13, 0, 0, "regexp.(*Regexp).FindAllString", "regexp/regexp.go" },
	{ 13, 1, 0, "regexp.compile", "regexp/regexp.go" },
	{ 13, 1, 0, "regexp.(*Regexp).allMatches", "regexp/regexp.go" },
	{ 13, 2, 0, "regexp/syntax.Parse", "regexp/syntax/parse.go" },
	{ 13, 2, 0, "regexp.(*Regexp).doExecute", "regexp/exec.go" },
	{ 13, 3, 0, "regexp/syntax.(*parser).push", "regexp/syntax/parse.go" },
	{ 14, 0, 0, "compress/gzip.NewReader", "compress/gzip/gunzip.go" },
	{ 14, 0, 0, "compress/gzip.NewWriterLevel", "compress/gzip/gzip.go" },
	{ 14, 1, 0, "compress/flate.NewReader", "compress/flate/inflate.go" },
	{ 14, 1, 0, "compress/flate.NewWriter", "compress/flate/deflate.go" },
	{ 14, 2, 0, "compress/flate.(*compressor).init", "compress/flate/deflate.go" },
	{ 14, 3, 0, "compress/flate.newDeflateFast", "compress/flate/deflatefast.go" },
	{ 15, 0, 0, "text/template.(*Template).Execute", "text/template/exec.go" },
	{ 15, 1, 0, "text/template.(*state).walk", "text/template/exec.go" },
	{ 15, 2, 0, "text/template.(*state).walkRange", "text/template/exec.go" },
	{ 15, 2, 0, "text/template.(*state).evalPipeline", "text/template/exec.go" },
	{ 15, 3, 0, "text/template.(*state).evalCommand", "text/template/exec.go" },
	{ 15, 4, 0, "text/template.(*state).evalField", "text/template/exec.go" },
	{ 16, 0, 0, "context.WithTimeout", "context/context.go" },
	{ 16, 0, 0, "context.WithCancel", "context/context.go" },
	{ 16, 1, 0, "context.WithDeadline", "context/context.go" },
	{ 16, 1, 1, "context.newCancelCtx", "context/context.go" },
	{ 16, 2, 0, "time.AfterFunc", "time/sleep.go" },
	{ 17, 0, 0, "io.ReadAll", "io/io.go" },
	{ 18, 0, 0, "reflect.New", "reflect/value.go" },
	{ 18, 0, 0, "reflect.MakeSlice", "reflect/value.go" },
	{ 18, 0, 0, "reflect.MakeMapWithSize", "reflect/value.go" },
	{ 18, 1, 1, "reflect.unsafe_New", "runtime/malloc.go" },
	{ 19, 0, 0, "sort.Slice", "sort/slice.go" },
	{ 19, 1, 1, "internal/reflectlite.Swapper", "internal/reflectlite/swapper.go" },
};

#define N_LIB_SPECS (sizeof lib_specs / sizeof lib_specs[0])

/* Popularity of each curated chain as a callee of service code, and
 * whether it recurses. */
static const struct {
	double pop;
	int recursive;
} lib_chains[] = {
	{ 8, 1 }, { 6, 0 }, { 7, 0 }, { 5, 0 }, { 4, 0 }, { 9, 0 }, { 3, 0 },
	{ 2, 0 }, { 2, 0 }, { 5, 0 }, { 3, 0 }, { 3, 0 }, { 4, 0 }, { 1, 0 },
	{ 1, 0 }, { 1, 1 }, { 3, 0 }, { 2, 0 }, { 1, 0 }, { 1, 0 },
};

#define N_LIB_CHAINS (sizeof lib_chains / sizeof lib_chains[0])

static const char *const type_words[] = {
	"Server", "Handler", "Cache", "Store", "Client", "Decoder", "Encoder",
	"Pool", "Queue", "Index", "Session", "Router", "Batch", "Writer",
	"Reader", "Registry", "Tracker", "Builder", "Resolver", "Scheduler",
	"Ledger", "Snapshot", "Stream", "Window",
};

static const char *const method_words[] = {
	"Get", "Put", "Load", "Save", "Handle", "Process", "Decode", "Encode",
	"Build", "Flush", "Apply", "Resolve", "Lookup", "Insert", "Merge",
	"Scan", "Parse", "Render", "Fetch", "Update", "Refresh", "Compact",
	"Validate", "Serialize",
};

#define N_TYPE_WORDS (sizeof type_words / sizeof type_words[0])
#define N_METHOD_WORDS (sizeof method_words / sizeof method_words[0])

static const char *const kit_words[] = {
	"codec", "cache", "rpc", "log", "sqlx", "metrics", "auth", "queue",
};

/* Copy of s with the first letter in lower case. */
static char *
lower_first(const char *s)
{
	char *t = xsprintf("%s", s);

	if (t[0] >= 'A' && t[0] <= 'Z')
		t[0] = (char)(t[0] - 'A' + 'a');
	return t;
}

/*
 * Name of function j of a package whose types start at word toff and
 * number ntypes: (type, method word, number) is unique per j, so names
 * are unique within the package.  Sets *type to the type index, which
 * also picks the file.
 */
static char *
go_func_name(struct gen *g, const char *pkg, uint32_t j, uint32_t toff,
    uint32_t ntypes, uint32_t *type)
{
	uint32_t t = j % ntypes, m = j / ntypes;
	const char *tw = type_words[(toff + t) % N_TYPE_WORDS];
	const char *mw = method_words[m % N_METHOD_WORDS];
	char num[16] = "";
	double u = rng_unit(&g->rng);
	char *name, *low;

	*type = t;
	if (m / N_METHOD_WORDS > 0)
		snprintf(num, sizeof num, "%u", (unsigned)(m / N_METHOD_WORDS + 1));
	if (u < 0.68)
		return xsprintf("%s.(*%s).%s%s", pkg, tw, mw, num);
	if (u < 0.78)
		return xsprintf("%s.%s.%s%s", pkg, tw, mw, num);
	if (u < 0.92) {
		low = lower_first(mw);
		name = xsprintf("%s.%s%s%s", pkg, low, tw, num);
		free(low);
		return name;
	}
	return xsprintf("%s.(*%s).%s%s.func%u", pkg, tw, mw, num,
	    (unsigned)rng_range(&g->rng, 1, 3));
}

/* Edges of the library functions [first, first + n), one chain or kit:
 * each calls the chain's functions one level deeper (recursive chains
 * also call back one level), sometimes a runtime allocator, and
 * allocates itself; leaves only allocate. */
static void
chain_edges(struct gen *g, uint32_t first, uint32_t n, int recursive)
{
	uint32_t i, j;

	for (i = first; i < first + n; i++) {
		struct func *f = &g->funcs[i];
		size_t from = g->n_edges;
		uint32_t k = 0, n_rt;
		double rest;

		for (j = first; j < first + n; j++)
			if (g->funcs[j].level == f->level + 1 &&
			    g->funcs[j].group == f->group) {
				add_edge(g, i, j, 1.0 / (k + 1));
				k++;
			}
		if (recursive && f->level >= LEVEL_LIB + 3)
			for (j = first; j < first + n; j++)
				if (g->funcs[j].level == f->level - 1 &&
				    g->funcs[j].group == f->group &&
				    rng_unit(&g->rng) < 0.7)
					add_edge(g, i, j, 0.5);
		/* allocations: runtime allocators and in-line sites */
		n_rt = k ? rng_below(&g->rng, 2) : rng_range(&g->rng, 1, 2);
		for (j = 0; j < n_rt; j++) {
			uint32_t rt = g->rt_entries[pick_cum(&g->rng, g->rt_cum,
			    g->n_rt_entries)];

			if (!has_edge(g, from, rt))
				add_edge(g, i, rt, k ? 0.2 : 0.5);
		}
		rest = 0;
		for (j = (uint32_t)from; j < g->n_edges; j++)
			rest += g->edges[j].w;
		f->stop_w = rest * (k ? 0.25 : 1.5);
	}
}

static void
build_libs(struct gen *g, uint32_t n_kit_funcs)
{
	uint32_t c, i, first = (uint32_t)g->n_funcs;

	for (i = 0; i < N_LIB_SPECS; i++) {
		const struct lib_spec *s = &lib_specs[i];
		const char *slash = strchr(s->file, '/');
		const char *dot = strchr(s->file, '.');
		int third_party = dot != NULL && slash != NULL && dot < slash;
		char *file = xsprintf("%s/%s",
		    third_party ? "/root/go/pkg/mod" : "/usr/local/go/src", s->file);
		uint32_t f;

		add_file(g, file);
		f = add_func(g, xsprintf("%s", s->name), file, FK_LIB,
		    LEVEL_LIB + s->level, s->chain);
		g->funcs[f].inlinable = s->inlinable;
	}
	/* edges chain by chain; level-0 functions are entry points */
	for (c = 0; c < N_LIB_CHAINS; c++) {
		uint32_t lo = first, n = 0;

		while (lo < g->n_funcs && g->funcs[lo].group != c)
			lo++;
		while (lo + n < g->n_funcs && g->funcs[lo + n].group == c)
			n++;
		chain_edges(g, lo, n, lib_chains[c].recursive);
		for (i = lo; i < lo + n; i++)
			if (g->funcs[i].level == LEVEL_LIB)
				add_lib_entry(g, i, lib_chains[c].pop);
	}

	/* generated third-party kits fill up the library share */
	for (c = 0; n_kit_funcs > 0; c++) {
		uint32_t n = n_kit_funcs < 40 ? n_kit_funcs : rng_range(&g->rng, 20, 40);
		uint32_t levels = rng_range(&g->rng, 3, 6), toff, group;
		char *pkg = xsprintf("github.com/vendorco/kit%02u/%s", (unsigned)c,
		    kit_words[c % (sizeof kit_words / sizeof kit_words[0])]);
		char *files[3];
		uint32_t lo = (uint32_t)g->n_funcs;

		group = (uint32_t)(N_LIB_CHAINS + c);
		toff = rng_below(&g->rng, N_TYPE_WORDS);
		for (i = 0; i < 3; i++) {
			char *low = lower_first(type_words[(toff + i) % N_TYPE_WORDS]);

			files[i] = xsprintf("/root/go/pkg/mod/%s@v1.%u.0/%s.go", pkg,
			    (unsigned)(c % 9 + 1), low);
			add_file(g, files[i]);
			free(low);
		}
		for (i = 0; i < n; i++) {
			uint32_t t, f;
			char *name = go_func_name(g, pkg, i, toff, 3, &t);

			/* level grows with i so every level is populated */
			f = add_func(g, name, files[t], FK_LIB,
			    (int32_t)(LEVEL_LIB + (i * levels) / n), group);
			g->funcs[f].inlinable = i > 0 && rng_unit(&g->rng) < 0.08;
		}
		chain_edges(g, lo, n, 0);
		for (i = lo; i < lo + n; i++)
			if (g->funcs[i].level == LEVEL_LIB)
				add_lib_entry(g, i, 0.3);
		free(pkg);
		n_kit_funcs -= n;
	}
}

/* ---- services ------------------------------------------------------------ */

/* A random service function with level in [lo, hi] (absolute), from
 * service s; or UINT32_MAX if there is none. */
static uint32_t
svc_func_at(struct gen *g, uint32_t s, int32_t lo, int32_t hi)
{
	uint32_t a, b;

	if (lo < LEVEL_SVC)
		lo = LEVEL_SVC;
	if (hi > (int32_t)(LEVEL_SVC + g->svc_levels - 1))
		hi = (int32_t)(LEVEL_SVC + g->svc_levels - 1);
	if (lo > hi)
		return UINT32_MAX;
	a = g->svc_lvl_off[s * g->svc_levels + (uint32_t)(lo - LEVEL_SVC)];
	b = g->svc_lvl_off[s * g->svc_levels + (uint32_t)(hi - LEVEL_SVC) + 1];
	if (a == b)
		return UINT32_MAX;
	return g->svc_lvl_fn[a + rng_below(&g->rng, b - a)];
}

/* A random function of package p with level in [lo, hi]. */
static uint32_t
pkg_func_at(struct gen *g, const struct pkg_info *p, int32_t lo, int32_t hi)
{
	uint32_t a = p->n, b = 0, i;

	for (i = 0; i < p->n; i++) {
		int32_t l = g->funcs[p->first + i].level;

		if (l >= lo && l <= hi) {
			if (a == p->n)
				a = i;
			b = i + 1;
		}
	}
	if (a >= b)
		return UINT32_MAX;
	return p->first + a + rng_below(&g->rng, b - a);
}

/*
 * Shape of service walks.  At each service function a walk stops and
 * allocates (STOP), leaves for a library or the runtime (LEAVE), or
 * goes on inside the services; both grow towards the deepest level so
 * depth stays bounded.  With these values stacks average about 19
 * locations and end about 45% in service code, 30% in libraries and
 * 25% in runtime allocators.
 */
#define STOP_P(rel) (0.004 + 0.25 * (rel) * (rel))
#define LEAVE_P(rel) (0.008 + 0.35 * (rel) * (rel))

/* Outgoing edges of service function f of package p. */
static void
service_edges(struct gen *g, uint32_t f, const struct pkg_info *p)
{
	int32_t l = g->funcs[f].level;
	uint32_t s = g->funcs[f].group, k, k_out, j, tries;
	size_t from = g->n_edges, first_out, i;
	double u = rng_unit(&g->rng), rel, sum_in = 0, sum_out = 0;

	/* calls within the services: most functions call a few, some
	 * dispatch to many */
	if (u < 0.55)
		k = rng_range(&g->rng, 1, 2);
	else if (u < 0.85)
		k = rng_range(&g->rng, 2, 4);
	else if (u < 0.97)
		k = rng_range(&g->rng, 5, 10);
	else
		k = rng_range(&g->rng, 12, 30);
	for (j = 0, tries = 0; j < k && tries < 4 * k; tries++) {
		uint32_t callee;
		double w;

		u = rng_unit(&g->rng);
		if (u < 0.93) {
			/* same package, next level or two; else (or when the
			 * package ends here) another package of the service */
			callee = u < 0.70 ? pkg_func_at(g, p, l + 1,
			    l + 1 + (rng_unit(&g->rng) < 0.3)) : UINT32_MAX;
			if (callee == UINT32_MAX)
				callee = svc_func_at(g, s, l + 1, l + 2);
		} else if (u < 0.97) {	/* a client of another service */
			callee = svc_func_at(g, rng_below(&g->rng, g->n_services),
			    l + 1, l + 3);
		} else if (u < 0.985) {	/* direct recursion */
			callee = f;
		} else {		/* mutual recursion, back up */
			callee = pkg_func_at(g, p, l - 3, l);
		}
		if (callee == UINT32_MAX || has_edge(g, from, callee))
			continue;
		/* Zipf-like weights over the callee list: hot paths */
		w = 1.0 / pow(j + 1, 1.2);
		if (callee == f || g->funcs[callee].level <= l)
			w *= 0.3;
		else if (g->funcs[callee].group != s)
			w *= 0.5;
		add_edge(g, f, callee, w);
		sum_in += w;
		j++;
	}

	/* calls into libraries and runtime allocators */
	first_out = g->n_edges;
	u = rng_unit(&g->rng);
	k_out = u < 0.15 ? 0 : u < 0.55 ? 1 : u < 0.85 ? 2 : 3;
	for (j = 0, tries = 0; j < k_out && tries < 4 * k_out; tries++) {
		uint32_t callee = rng_unit(&g->rng) < 0.75 ?
		    g->lib_entries[pick_cum(&g->rng, g->lib_cum,
		    (uint32_t)g->n_lib_entries)] :
		    g->rt_entries[pick_cum(&g->rng, g->rt_cum, g->n_rt_entries)];

		if (has_edge(g, from, callee))
			continue;
		add_edge(g, f, callee, 1.0 / (j + 1));
		sum_out += 1.0 / (j + 1);
		j++;
	}

	/* normalise: inside (1 - stop - leave), leave, stop */
	rel = (double)(l - LEVEL_SVC) / g->svc_levels;
	for (i = from; i < first_out; i++)
		g->edges[i].w *= (1 - STOP_P(rel) - LEAVE_P(rel)) / sum_in;
	for (i = first_out; i < g->n_edges; i++)
		g->edges[i].w *= LEAVE_P(rel) / sum_out;
	g->funcs[f].stop_w = STOP_P(rel);
}

static void
build_services(struct gen *g, uint32_t n_svc_funcs)
{
	uint32_t n_svc = n_svc_funcs / 450 ? n_svc_funcs / 450 : 1;
	uint32_t s, p, i, per_svc;
	struct pkg_info *pkgs = NULL;
	size_t n_pkgs = 0, cap_pkgs = 0, pk;
	uint32_t *count;

	g->n_services = n_svc;
	g->svc_first = (uint32_t)g->n_funcs;
	g->svc_n = n_svc_funcs;
	g->svc_levels = g->max_depth * 2 / 3 > 4 ? g->max_depth * 2 / 3 : 4;
	per_svc = n_svc_funcs / n_svc;
	for (s = 0; s < n_svc; s++) {
		uint32_t n_here = s + 1 < n_svc ? per_svc :
		    n_svc_funcs - per_svc * (n_svc - 1);
		uint32_t n_pk = rng_range(&g->rng, 6, 16), left = n_here;

		if (n_pk > n_here)
			n_pk = n_here;
		for (p = 0; p < n_pk; p++) {
			struct pkg_info *pi;
			uint32_t n = p + 1 < n_pk ?
			    rng_range(&g->rng, left / (n_pk - p) / 2 + 1,
			    left / (n_pk - p) * 3 / 2) : left;
			uint32_t toff, ntypes, t;
			char *pkg, *files[6];

			if (n > left - (n_pk - p - 1))
				n = left - (n_pk - p - 1);
			left -= n;
			grow(&pkgs, &cap_pkgs, n_pkgs, sizeof *pkgs);
			pi = &pkgs[n_pkgs++];
			pi->first = (uint32_t)g->n_funcs;
			pi->n = n;
			/* package 0 holds the entry points at level 0 */
			pi->lo = p == 0 ? 0 : rng_range(&g->rng, 1, g->svc_levels / 2);
			pi->hi = pi->lo + (p == 0 ? 4 : rng_range(&g->rng, 6, 16));
			if (pi->hi >= g->svc_levels)
				pi->hi = g->svc_levels - 1;
			pkg = xsprintf("github.com/acme/svc%02u/pkg%02u",
			    (unsigned)s, (unsigned)p);
			toff = rng_below(&g->rng, N_TYPE_WORDS);
			ntypes = rng_range(&g->rng, 2, 6);
			for (t = 0; t < ntypes; t++) {
				char *low = lower_first(type_words[(toff + t) % N_TYPE_WORDS]);

				files[t] = xsprintf("/src/%s/%s.go", pkg, low);
				add_file(g, files[t]);
				free(low);
			}
			for (i = 0; i < n; i++) {
				uint32_t f;
				char *name = go_func_name(g, pkg, i, toff, ntypes, &t);
				/* first function of package 0 is an entry; the
				 * rest spread evenly over the window */
				uint32_t rl = pi->lo + (uint32_t)((uint64_t)i *
				    (pi->hi - pi->lo + 1) / n);

				f = add_func(g, name, files[t], FK_SERVICE,
				    (int32_t)(LEVEL_SVC + rl), s);
				g->funcs[f].pkg = (uint32_t)(n_pkgs - 1);
				g->funcs[f].inlinable = rl > 0 &&
				    rng_unit(&g->rng) < 0.10;
			}
			free(pkg);
		}
	}

	/* index service functions by (service, level) */
	g->svc_lvl_off = xcalloc((size_t)n_svc * g->svc_levels + 1,
	    sizeof *g->svc_lvl_off);
	count = xcalloc((size_t)n_svc * g->svc_levels + 1, sizeof *count);
	for (pk = 0; pk < n_pkgs; pk++)
		for (i = 0; i < pkgs[pk].n; i++) {
			const struct func *f = &g->funcs[pkgs[pk].first + i];

			count[f->group * g->svc_levels + (uint32_t)(f->level - LEVEL_SVC)]++;
		}
	for (i = 0; i < n_svc * g->svc_levels; i++)
		g->svc_lvl_off[i + 1] = g->svc_lvl_off[i] + count[i];
	g->svc_lvl_fn = xmalloc(g->svc_lvl_off[n_svc * g->svc_levels] + 1,
	    sizeof *g->svc_lvl_fn);
	memset(count, 0, ((size_t)n_svc * g->svc_levels + 1) * sizeof *count);
	for (pk = 0; pk < n_pkgs; pk++)
		for (i = 0; i < pkgs[pk].n; i++) {
			uint32_t f = pkgs[pk].first + i;
			uint32_t slot = g->funcs[f].group * g->svc_levels +
			    (uint32_t)(g->funcs[f].level - LEVEL_SVC);

			g->svc_lvl_fn[g->svc_lvl_off[slot] + count[slot]++] = f;
			if (g->funcs[f].level == LEVEL_SVC) {
				grow(&g->entries, &g->cap_entries, g->n_entries,
				    sizeof *g->entries);
				g->entries[g->n_entries++] = f;
			}
		}
	free(count);

	for (pk = 0; pk < n_pkgs; pk++)
		for (i = 0; i < pkgs[pk].n; i++)
			service_edges(g, pkgs[pk].first + i, &pkgs[pk]);
	g->pkgs = pkgs;
	g->n_pkgs = n_pkgs;
}

/* ---- goroutine roots ------------------------------------------------------ */

struct frame_spec {
	const char *name;
	const char *file;
};

/* Add a root: a fixed prefix of frames from the goroutine's start to a
 * dispatcher (the last frame), of weight w.  Frames may repeat, as
 * net/http.HandlerFunc.ServeHTTP does between middlewares; a frame's
 * level is its first position, so each has a caller below it. */
static uint32_t
root_chain(struct gen *g, const struct frame_spec *fs, double w)
{
	uint32_t i, f = UINT32_MAX, prev = UINT32_MAX;
	size_t e;

	add_root(g, w);
	for (i = 0; fs[i].name != NULL; i++) {
		for (f = 0; f < g->n_funcs; f++)
			if (g->funcs[f].kind == FK_ROOT &&
			    strcmp(g->funcs[f].name, fs[i].name) == 0)
				break;
		if (f == g->n_funcs) {
			uint32_t fi = add_file(g, xsprintf("%s", fs[i].file));

			f = add_func(g, xsprintf("%s", fs[i].name), g->files[fi],
			    FK_ROOT, (int32_t)i, 0);
		}
		if (prev != UINT32_MAX) {
			for (e = 0; e < g->n_edges; e++)
				if (g->edges[e].caller == prev &&
				    g->edges[e].callee == f)
					break;
			if (e == g->n_edges)
				add_edge(g, prev, f, 1);
		}
		add_pfx_fn(g, f);
		prev = f;
	}
	return f;
}

/* Let dispatcher d call up to n distinct functions of list[0..len),
 * with Zipf weights of exponent a. */
static void
dispatch(struct gen *g, uint32_t d, const uint32_t *list, size_t len,
    uint32_t n, double a)
{
	size_t from = g->n_edges;
	uint32_t j = 0, tries;

	if (n > len)
		n = (uint32_t)len;
	for (tries = 0; j < n && tries < 4 * n; tries++) {
		uint32_t callee = list[rng_below(&g->rng, (uint32_t)len)];

		if (has_edge(g, from, callee))
			continue;
		add_edge(g, d, callee, 1.0 / pow(j + 1, a));
		j++;
	}
}

#define GOSRC "/usr/local/go/src/"
#define MODSRC "/root/go/pkg/mod/"
#define APPSRC "/src/github.com/acme/server/"

static const struct frame_spec http_full[] = {
	{ "net/http.(*conn).serve", GOSRC "net/http/server.go" },
	{ "net/http.serverHandler.ServeHTTP", GOSRC "net/http/server.go" },
	{ "github.com/acme/server/mw.Recover.func1", APPSRC "mw/recover.go" },
	{ "net/http.HandlerFunc.ServeHTTP", GOSRC "net/http/server.go" },
	{ "github.com/acme/server/mw.Logging.func1", APPSRC "mw/logging.go" },
	{ "net/http.HandlerFunc.ServeHTTP", NULL },
	{ "github.com/acme/server/mw.Auth.func1", APPSRC "mw/auth.go" },
	{ "net/http.HandlerFunc.ServeHTTP", NULL },
	{ "github.com/gorilla/mux.(*Router).ServeHTTP",
	    MODSRC "github.com/gorilla/mux@v1.8.0/mux.go" },
	{ "net/http.HandlerFunc.ServeHTTP", NULL },
	{ NULL, NULL },
};

static const struct frame_spec http_public[] = {
	{ "net/http.(*conn).serve", NULL },
	{ "net/http.serverHandler.ServeHTTP", NULL },
	{ "github.com/acme/server/mw.Recover.func1", NULL },
	{ "net/http.HandlerFunc.ServeHTTP", NULL },
	{ "github.com/acme/server/mw.Logging.func1", NULL },
	{ "net/http.HandlerFunc.ServeHTTP", NULL },
	{ "github.com/gorilla/mux.(*Router).ServeHTTP", NULL },
	{ "net/http.HandlerFunc.ServeHTTP", NULL },
	{ NULL, NULL },
};

static const struct frame_spec grpc_unary[] = {
	{ "google.golang.org/grpc.(*Server).serveStreams.func1.2",
	    MODSRC "google.golang.org/grpc@v1.50.1/server.go" },
	{ "google.golang.org/grpc.(*Server).handleStream",
	    MODSRC "google.golang.org/grpc@v1.50.1/server.go" },
	{ "google.golang.org/grpc.(*Server).processUnaryRPC",
	    MODSRC "google.golang.org/grpc@v1.50.1/server.go" },
	{ "github.com/acme/server/rpc._Gateway_Call_Handler",
	    APPSRC "rpc/gateway.pb.go" },
	{ "github.com/grpc-ecosystem/go-grpc-middleware.ChainUnaryServer.func1",
	    MODSRC "github.com/grpc-ecosystem/go-grpc-middleware@v1.3.0/chain.go" },
	{ "github.com/acme/server/mw.UnaryLogging.func1", APPSRC "mw/grpc.go" },
	{ "github.com/grpc-ecosystem/go-grpc-middleware.getChainUnaryHandler.func1",
	    MODSRC "github.com/grpc-ecosystem/go-grpc-middleware@v1.3.0/chain.go" },
	{ "github.com/acme/server/mw.UnaryAuth.func1", APPSRC "mw/grpc.go" },
	{ "github.com/grpc-ecosystem/go-grpc-middleware.getChainUnaryHandler.func1",
	    NULL },
	{ "github.com/acme/server/rpc._Gateway_Call_Handler.func1",
	    APPSRC "rpc/gateway.pb.go" },
	{ NULL, NULL },
};

static const struct frame_spec worker[] = {
	{ "main.worker", APPSRC "worker.go" },
	{ "github.com/acme/server/jobs.(*Runner).Run", APPSRC "jobs/runner.go" },
	{ "github.com/acme/server/jobs.(*Runner).runOne", APPSRC "jobs/runner.go" },
	{ NULL, NULL },
};

static const struct frame_spec rtmain[] = {
	{ "runtime.main", GOSRC "runtime/proc.go" },
	{ "main.main", APPSRC "main.go" },
	{ "main.run", APPSRC "main.go" },
	{ NULL, NULL },
};

static const struct frame_spec readloop[] = {
	{ "net/http.(*persistConn).readLoop", GOSRC "net/http/transport.go" },
	{ NULL, NULL },
};

static const struct frame_spec gofunc[] = {
	{ "time.goFunc", GOSRC "time/sleep.go" },
	{ NULL, NULL },
};

static void
build_roots(struct gen *g)
{
	uint32_t d, s, i, *mine;
	size_t n_mine;

	d = root_chain(g, http_full, 0.22);
	root_chain(g, http_public, 0.10);
	dispatch(g, d, g->entries, g->n_entries, 400, 0.9);
	d = root_chain(g, grpc_unary, 0.22);
	dispatch(g, d, g->entries, g->n_entries, 300, 0.9);
	d = root_chain(g, worker, 0.14);
	dispatch(g, d, g->entries, g->n_entries, 100, 1.0);
	d = root_chain(g, rtmain, 0.02);
	dispatch(g, d, g->entries, g->n_entries, g->n_services, 0.5);
	d = root_chain(g, readloop, 0.04);
	dispatch(g, d, g->lib_entries, g->n_lib_entries, 4, 1.0);
	d = root_chain(g, gofunc, 0.04);
	dispatch(g, d, g->svc_lvl_fn, g->svc_n, 60, 1.0);

	/* one background goroutine per service, Zipf over services */
	g->svc_root = xmalloc(g->n_services, sizeof *g->svc_root);
	mine = xmalloc(g->n_entries, sizeof *mine);
	for (s = 0; s < g->n_services; s++) {
		char *name = xsprintf(
		    "github.com/acme/svc%02u/pkg00.(*Consumer).run.func1",
		    (unsigned)s);
		char *file = xsprintf("/src/github.com/acme/svc%02u/pkg00/consumer.go",
		    (unsigned)s);
		uint32_t f;

		add_file(g, file);
		f = add_func(g, name, file, FK_ROOT, 0, s);
		add_root(g, 0.22 / (s + 1) / 4.5);
		add_pfx_fn(g, f);
		g->svc_root[s] = f;
		n_mine = 0;
		for (i = 0; i < g->n_entries; i++)
			if (g->funcs[g->entries[i]].group == s)
				mine[n_mine++] = g->entries[i];
		dispatch(g, f, mine, n_mine, (uint32_t)n_mine, 1.0);
	}
	free(mine);
}

/* ---- finishing the graph ---------------------------------------------------- */

/* Give every function but the root heads a caller at a lower level, so
 * each is reachable and coverage walks can climb to a root. */
static void
fix_callers(struct gen *g)
{
	uint8_t *has = xcalloc(g->n_funcs, 1);
	size_t i, n = g->n_funcs;

	for (i = 0; i < g->n_edges; i++)
		if (g->funcs[g->edges[i].caller].level <
		    g->funcs[g->edges[i].callee].level)
			has[g->edges[i].callee] = 1;
	for (i = 0; i < n; i++) {
		const struct func *f = &g->funcs[i];
		uint32_t caller = UINT32_MAX, j;
		int32_t d;

		if (has[i] || (f->kind == FK_ROOT && f->level == 0))
			continue;
		switch (f->kind) {
		case FK_SERVICE:
			if (f->level == LEVEL_SVC) {
				caller = g->svc_root[f->group];
				break;
			}
			caller = pkg_func_at(g, &g->pkgs[f->pkg], f->level - 2,
			    f->level - 1);
			for (d = 1; caller == UINT32_MAX && d <= f->level - LEVEL_SVC; d++)
				caller = svc_func_at(g, f->group, f->level - d,
				    f->level - 1);
			break;
		case FK_LIB:
			if (f->level > LEVEL_LIB)
				for (j = 0; j < n && caller == UINT32_MAX; j++) {
					uint32_t c = rng_below(&g->rng, (uint32_t)n);

					if (g->funcs[c].kind == FK_LIB &&
					    g->funcs[c].group == f->group &&
					    g->funcs[c].level == f->level - 1)
						caller = c;
				}
			break;
		default:
			break;
		}
		if (caller == UINT32_MAX)	/* any service function */
			caller = g->svc_first + rng_below(&g->rng, g->svc_n);
		add_edge(g, caller, (uint32_t)i, 0.02);
	}
	free(has);
}

/* Sort edges by caller, index incoming lower-level edges by callee, set
 * inline flags, allocation sites and addresses. */
static void
finish_graph(struct gen *g)
{
	size_t n = g->n_funcs, i;
	struct edge *sorted = xmalloc(g->n_edges, sizeof *sorted);
	uint32_t *pos = xcalloc(n + 1, sizeof *pos);
	uint64_t addr = 0x401000;

	for (i = 0; i < g->n_edges; i++)
		pos[g->edges[i].caller + 1]++;
	for (i = 0; i < n; i++) {
		g->funcs[i].edge_off = pos[i];
		g->funcs[i].n_edges = pos[i + 1];
		pos[i + 1] += pos[i];
	}
	for (i = 0; i < g->n_edges; i++)
		sorted[pos[g->edges[i].caller]++] = g->edges[i];
	free(g->edges);
	g->edges = sorted;

	memset(pos, 0, (n + 1) * sizeof *pos);
	for (i = 0; i < g->n_edges; i++) {
		struct edge *e = &g->edges[i];
		const struct func *caller = &g->funcs[e->caller];
		const struct func *callee = &g->funcs[e->callee];

		/* dispatchers call through function values: no inlining */
		e->inl = callee->inlinable && caller->kind != FK_RUNTIME &&
		    caller->kind != FK_ROOT && e->caller != e->callee;
		if (caller->level < callee->level)
			pos[e->callee + 1]++;
	}
	for (i = 0; i < n; i++) {
		struct func *f = &g->funcs[i];
		uint32_t j, k;

		f->in_off = pos[i];
		f->n_in = pos[i + 1];
		pos[i + 1] += pos[i];
		f->sum_w = f->stop_w;
		for (j = 0; j < f->n_edges; j++)
			f->sum_w += g->edges[f->edge_off + j].w;
		if (f->sum_w <= 0)
			f->sum_w = f->stop_w = 1;
		f->site_off = (uint32_t)g->n_sites;
		f->n_sites = rng_range(&g->rng, 1, 3);
		for (k = 0; k < f->n_sites; k++)
			add_site(g, (uint32_t)i, func_line(g, (uint32_t)i));
		f->addr = addr;
		addr += 16 * LINES_PER_FUNC + 0x40;
	}
	/* prefixes as edges */
	g->pfx_edge = xmalloc(g->n_pfx_fn, sizeof *g->pfx_edge);
	for (i = 0; i + 1 < g->n_pfx_fn; i++) {
		/* from a root's last frame to the next root's first: no
		 * such edge, and never used */
		const struct func *f = &g->funcs[g->pfx_fn[i]];
		uint32_t j = 0;

		while (j < f->n_edges &&
		    g->edges[f->edge_off + j].callee != g->pfx_fn[i + 1])
			j++;
		g->pfx_edge[i] = f->edge_off + j;
	}
	g->in_edges = xmalloc(g->n_edges + 1, sizeof *g->in_edges);
	for (i = 0; i < g->n_edges; i++)
		if (g->funcs[g->edges[i].caller].level <
		    g->funcs[g->edges[i].callee].level)
			g->in_edges[pos[g->edges[i].callee]++] = (uint32_t)i;
	free(pos);
}

static void
build_graph(struct gen *g)
{
	uint32_t n_lib, n_rest;

	build_runtime(g);
	n_lib = g->n_funcs_wanted / 25;	/* about 4% library code */
	n_lib = n_lib > N_LIB_SPECS ? n_lib - (uint32_t)N_LIB_SPECS : 0;
	build_libs(g, n_lib);
	/* services get the rest, less the roots (23 fixed, one per
	 * service): the total lands within a few dozen of -f */
	n_rest = g->n_funcs_wanted - (uint32_t)g->n_funcs - 10;
	n_rest -= n_rest / 450;
	build_services(g, n_rest);
	build_roots(g);
	fix_callers(g);
	finish_graph(g);
}

/* ---------------------------------------------------------------- */
/* Stacks and locations                                              */

struct path {
	uint32_t *item;
	size_t n, cap;
};

static void
path_push(struct path *p, uint32_t item)
{
	grow(&p->item, &p->cap, p->n, sizeof *p->item);
	p->item[p->n++] = item;
}

/* The item of a site (an index into g->sites). */
static uint32_t
site_item(const struct gen *g, uint32_t site)
{
	return (uint32_t)g->n_edges + site;
}

/* Function and line of an item. */
static void
item_frame(const struct gen *g, uint32_t item, uint32_t *func, uint32_t *line)
{
	if (item < g->n_edges) {
		*func = g->edges[item].caller;
		*line = g->edges[item].line;
	} else {
		*func = g->sites[item - g->n_edges].func;
		*line = g->sites[item - g->n_edges].line;
	}
}

/* The next step from a root frame.  A dispatcher (a root's last
 * frame) picks a callee past the roots by weight, although it may also
 * call the next middleware of a chain; other root frames (reached only
 * by coverage walks) go to their deepest callee, towards a dispatcher. */
static uint32_t
root_step(struct gen *g, const struct func *fn)
{
	double sum = 0, x;
	uint32_t i, e, last = UINT32_MAX;

	for (i = 0; i < fn->n_edges; i++) {
		e = fn->edge_off + i;
		if (g->funcs[g->edges[e].callee].level >= LEVEL_SVC)
			sum += g->edges[e].w;
		else if (last == UINT32_MAX || g->funcs[g->edges[e].callee].level >
		    g->funcs[g->edges[last].callee].level)
			last = e;
	}
	if (sum == 0) {
		if (last == UINT32_MAX)
			die("internal error: root frame %s calls nothing", fn->name);
		return last;
	}
	x = rng_unit(&g->rng) * sum;
	for (i = 0; i < fn->n_edges; i++) {
		e = fn->edge_off + i;
		if (g->funcs[g->edges[e].callee].level >= LEVEL_SVC) {
			last = e;
			x -= g->edges[e].w;
			if (x < 0)
				break;
		}
	}
	return last;
}

/* Walk down from f, choosing callees by weight, until an allocation
 * site ends the path or it has limit items. */
static void
walk_down(struct gen *g, uint32_t f, struct path *p, size_t limit)
{
	for (;;) {
		const struct func *fn = &g->funcs[f];
		double x = rng_unit(&g->rng) * fn->sum_w;
		uint32_t i;

		if (fn->kind == FK_ROOT && p->n + 1 < limit) {
			uint32_t e = root_step(g, fn);

			path_push(p, e);
			f = g->edges[e].callee;
			continue;
		}
		if (p->n + 1 >= limit || fn->n_edges == 0 || x < fn->stop_w) {
			path_push(p, site_item(g, fn->site_off +
			    rng_below(&g->rng, fn->n_sites)));
			return;
		}
		x -= fn->stop_w;
		for (i = 0; i + 1 < fn->n_edges; i++) {
			x -= g->edges[fn->edge_off + i].w;
			if (x < 0)
				break;
		}
		path_push(p, fn->edge_off + i);
		f = g->edges[fn->edge_off + i].callee;
	}
}

/* A stack through function t: climb to a root by random lower-level
 * callers, then walk down from t. */
static void
walk_through(struct gen *g, uint32_t t, struct path *p, struct path *up)
{
	uint32_t f = t;
	size_t i;

	up->n = 0;
	while (g->funcs[f].n_in > 0 && up->n < 4 * (size_t)g->max_depth) {
		const struct func *fn = &g->funcs[f];
		uint32_t e = g->in_edges[fn->in_off +
		    rng_below(&g->rng, fn->n_in)];

		path_push(up, e);
		f = g->edges[e].caller;
	}
	for (i = up->n; i > 0; i--)
		path_push(p, up->item[i - 1]);
	walk_down(g, t, p, p->n + 2 * (size_t)g->max_depth);
}

/* Hash of a stack (location ids). */
static uint64_t
ids_hash(const uint64_t *id, size_t n)
{
	uint64_t h = n;
	size_t i;

	for (i = 0; i < n; i++)
		h = mix64(h ^ id[i]);
	return h;
}

static uint64_t
loc_hash(const uint32_t *item, size_t n)
{
	uint64_t h = n;
	size_t i;

	for (i = 0; i < n; i++)
		h = mix64(h ^ ((uint64_t)item[i] << 8));
	return h;
}

/* The index of the location made of items, added on first use (so
 * location ids follow first appearance, as Go writes them). */
static uint32_t
intern_loc(struct gen *g, const uint32_t *item, size_t n)
{
	size_t mask, i;
	uint32_t slot;

	if (2 * (g->n_locs + 1) > g->loc_tab_cap) {
		size_t ncap = g->loc_tab_cap ? 2 * g->loc_tab_cap : 1024;
		uint32_t *tab = xcalloc(ncap, sizeof *tab);

		for (i = 0; i < g->n_locs; i++) {
			size_t h = (size_t)loc_hash(g->locs[i].item, g->locs[i].n);

			while (tab[h & (ncap - 1)] != 0)
				h++;
			tab[h & (ncap - 1)] = (uint32_t)i + 1;
		}
		free(g->loc_tab);
		g->loc_tab = tab;
		g->loc_tab_cap = ncap;
	}
	mask = g->loc_tab_cap - 1;
	for (i = (size_t)loc_hash(item, n); (slot = g->loc_tab[i & mask]) != 0; i++) {
		const struct loc *l = &g->locs[slot - 1];

		if (l->n == n && memcmp(l->item, item, n * sizeof *item) == 0)
			return slot - 1;
	}
	grow(&g->locs, &g->cap_locs, g->n_locs, sizeof *g->locs);
	memset(&g->locs[g->n_locs], 0, sizeof g->locs[0]);
	memcpy(g->locs[g->n_locs].item, item, n * sizeof *item);
	g->locs[g->n_locs].n = (uint8_t)n;
	g->loc_tab[i & mask] = (uint32_t)g->n_locs + 1;
	return (uint32_t)g->n_locs++;
}

/* Turn a path into locations, root first: a call into an inlinable
 * function shares its caller's location, up to MAX_INLINE lines. */
static size_t
path_locs(struct gen *g, const struct path *p, struct path *locs)
{
	uint32_t pend[MAX_INLINE];
	size_t n_pend = 0, i;

	locs->n = 0;
	for (i = 0; i < p->n; i++) {
		uint32_t it = p->item[i];

		pend[n_pend++] = it;
		if (it < g->n_edges && g->edges[it].inl && n_pend < MAX_INLINE)
			continue;
		path_push(locs, intern_loc(g, pend, n_pend));
		n_pend = 0;
	}
	if (n_pend > 0)
		path_push(locs, intern_loc(g, pend, n_pend));
	return locs->n;
}

/* ---------------------------------------------------------------- */
/* Sets of 64-bit keys, for statistics                               */

struct set64 {
	uint64_t *k;	/* 0 = empty; keys are stored + 1 */
	size_t n, cap;
};

/* Add key; returns 1 if it was new. */
static int
set64_add(struct set64 *s, uint64_t key)
{
	size_t i;

	key++;
	if (key == 0)
		key = 1;
	if (2 * (s->n + 1) > s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 4096, j;
		uint64_t *k = xcalloc(ncap, sizeof *k);

		for (j = 0; j < s->cap; j++)
			if (s->k[j] != 0) {
				for (i = (size_t)mix64(s->k[j]); k[i & (ncap - 1)] != 0; i++)
					;
				k[i & (ncap - 1)] = s->k[j];
			}
		free(s->k);
		s->k = k;
		s->cap = ncap;
	}
	for (i = (size_t)mix64(key); s->k[i & (s->cap - 1)] != 0; i++)
		if (s->k[i & (s->cap - 1)] == key)
			return 0;
	s->k[i & (s->cap - 1)] = key;
	s->n++;
	return 1;
}

struct stats {
	uint64_t samples;
	struct set64 stacks;	/* hashes of location id sequences */
	struct set64 fedges;	/* caller<<32|callee at function level */
	struct set64 buckets;	/* (stack, size) pairs */
	uint64_t inuse_samples;	/* samples with inuse values */
	uint64_t depth_sum;
	uint32_t depth_max;
	uint64_t truncated;
	uint64_t cover_samples;
	size_t inline_locs;
	size_t funcs_used;
};

/* ---------------------------------------------------------------- */
/* Output: the wire format, written through one deflate stream       */

struct out {
	FILE *fp;
	const char *path;
	z_stream zs;
	unsigned char in[1 << 16];
	size_t n_in;
	unsigned char zbuf[1 << 16];
	uint64_t raw, gz;
	uint8_t *msg;		/* packing buffer */
	size_t msg_cap;
};

static void
out_flush(struct out *o, int finish)
{
	int rc;

	o->zs.next_in = o->in;
	o->zs.avail_in = (uInt)o->n_in;
	for (;;) {
		size_t have;

		o->zs.next_out = o->zbuf;
		o->zs.avail_out = sizeof o->zbuf;
		rc = deflate(&o->zs, finish ? Z_FINISH : Z_NO_FLUSH);
		if (rc == Z_STREAM_ERROR)
			die("deflate failed");
		have = sizeof o->zbuf - o->zs.avail_out;
		if (have > 0 && fwrite(o->zbuf, 1, have, o->fp) != have)
			die("write %s: %s", o->path, strerror(errno));
		o->gz += have;
		if (finish ? rc == Z_STREAM_END : o->zs.avail_out != 0)
			break;
	}
	o->n_in = 0;
}

static void
out_bytes(struct out *o, const void *p, size_t n)
{
	const unsigned char *b = p;

	o->raw += n;
	while (n > 0) {
		size_t k = sizeof o->in - o->n_in;

		if (k > n)
			k = n;
		memcpy(o->in + o->n_in, b, k);
		o->n_in += k;
		b += k;
		n -= k;
		if (o->n_in == sizeof o->in)
			out_flush(o, 0);
	}
}

static void
out_varint(struct out *o, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	out_bytes(o, b, n);
}

/* A length-delimited top-level field (wire type 2). */
static void
out_field_bytes(struct out *o, uint32_t field, const void *p, size_t n)
{
	out_varint(o, (uint64_t)field << 3 | 2);
	out_varint(o, n);
	out_bytes(o, p, n);
}

/* A varint top-level field (wire type 0), omitted when zero as proto3 does. */
static void
out_field_varint(struct out *o, uint32_t field, uint64_t v)
{
	if (v == 0)
		return;
	out_varint(o, (uint64_t)field << 3);
	out_varint(o, v);
}

/* Pack one submessage and write it as a top-level field. */
static void
out_message(struct out *o, uint32_t field, const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);

	grow(&o->msg, &o->msg_cap, n, 1);
	if (protobuf_c_message_pack(m, o->msg) != n)
		die("internal error: packed size mismatch");
	out_field_bytes(o, field, o->msg, n);
}

static void
out_open(struct out *o, const char *path, int level)
{
	memset(&o->zs, 0, sizeof o->zs);
	o->n_in = 0;
	o->raw = o->gz = 0;
	o->msg = NULL;
	o->msg_cap = 0;
	if (path == NULL || strcmp(path, "-") == 0) {
		if (isatty(STDOUT_FILENO))
			die("refusing to write a gzipped profile to a terminal; use -o FILE");
		o->fp = stdout;
		o->path = "standard output";
	} else {
		o->fp = fopen(path, "wb");
		if (o->fp == NULL)
			die("%s: %s", path, strerror(errno));
		o->path = path;
	}
	/* windowBits 15 + 16: gzip header and trailer */
	if (deflateInit2(&o->zs, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit2 failed");
}

static void
out_close(struct out *o)
{
	out_flush(o, 1);
	deflateEnd(&o->zs);
	if (fflush(o->fp) != 0 || ferror(o->fp))
		die("write %s: %s", o->path, strerror(errno));
	if (o->fp != stdout && fclose(o->fp) != 0)
		die("close %s: %s", o->path, strerror(errno));
	free(o->msg);
}

/* ---- string table ------------------------------------------------------- */

struct strtab {
	const char **s;
	size_t n, cap;
	uint32_t *tab;	/* index + 1 */
	size_t tab_cap;
};

static uint64_t
str_hash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	while (*s)
		h = (h ^ (unsigned char)*s++) * UINT64_C(0x100000001b3);
	return h;
}

/* Index of s in the string table (s must outlive the table). */
static int64_t
intern_str(struct strtab *t, const char *s)
{
	size_t i;
	uint32_t slot;

	if (2 * (t->n + 1) > t->tab_cap) {
		size_t ncap = t->tab_cap ? 2 * t->tab_cap : 1024, j;
		uint32_t *tab = xcalloc(ncap, sizeof *tab);

		for (j = 0; j < t->n; j++) {
			for (i = (size_t)str_hash(t->s[j]); tab[i & (ncap - 1)] != 0; i++)
				;
			tab[i & (ncap - 1)] = (uint32_t)j + 1;
		}
		free(t->tab);
		t->tab = tab;
		t->tab_cap = ncap;
	}
	for (i = (size_t)str_hash(s); (slot = t->tab[i & (t->tab_cap - 1)]) != 0; i++)
		if (strcmp(t->s[slot - 1], s) == 0)
			return slot - 1;
	grow(&t->s, &t->cap, t->n, sizeof *t->s);
	t->s[t->n] = s;
	t->tab[i & (t->tab_cap - 1)] = (uint32_t)t->n + 1;
	return (int64_t)t->n++;
}

/* ---------------------------------------------------------------- */
/* Samples                                                           */

#define HEAP_RATE 524288	/* runtime.MemProfileRate default */

/*
 * Values of one sample, as Go's runtime writes them: a sampled count of
 * allocations of one size, the part still in use, both unsampled with
 * scale = 1 / (1 - exp(-size / rate)).  The allocation size and how
 * much of it is retained are traits of the allocation site (location
 * id site), as they are of a Go type or make() call: a few
 * sites accumulate, most churn.  Variable-size sites (slices, strings)
 * draw a size per sample, and no two samples share stack (hash stack)
 * and size; the count always varies per sample.
 */
static void
sample_values(struct gen *g, struct stats *st, uint64_t stack, uint64_t site,
    int64_t v[4], int64_t *bytes)
{
	uint64_t t = mix64(site ^ UINT64_C(0x5eedf00d));
	uint32_t c = (uint32_t)(t % 100), e, rc = (uint32_t)((t >> 40) % 100);
	double size, r, n, m, scale, u;

	if (c < 45)
		e = 3 + (uint32_t)((t >> 8) % 4);	/* 8..64 B */
	else if (c < 80)
		e = 7 + (uint32_t)((t >> 8) % 4);	/* 128 B..1 KiB */
	else if (c < 96)
		e = 11 + (uint32_t)((t >> 8) % 4);	/* 2..16 KiB */
	else
		e = 15 + (uint32_t)((t >> 8) % 6);	/* 32 KiB..1 MiB */
	size = (double)(UINT64_C(1) << e);
	if (((t >> 16) & 3) == 0)	/* variable-size site: slices, strings */
		size += 8.0 * rng_below(&g->rng, (uint32_t)(size / 8) + 1);
	else
		size += 8.0 * (double)((t >> 24) % ((uint64_t)size / 8));
	/* Go writes one sample per (stack, size) bucket */
	while (!set64_add(&st->buckets, mix64(stack ^ (uint64_t)size << 20)))
		size += 8;
	if (rc < 45)
		r = 0.02 * rng_unit(&g->rng);		/* churn */
	else if (rc < 80)
		r = 0.05 + 0.45 * rng_unit(&g->rng);	/* steady state */
	else if (rc < 95)
		r = 0.6 + 0.4 * rng_unit(&g->rng);	/* accumulating */
	else
		r = 0;					/* all freed */
	u = rng_unit(&g->rng);
	n = floor(1.0 / pow(1.0 - u, 1.0 / 1.8));	/* Pareto, >= 1 */
	if (n > 5000)
		n = 5000;
	m = floor(n * r + rng_unit(&g->rng));
	if (m > n)
		m = n;
	scale = 1.0 / (1.0 - exp(-size / HEAP_RATE));
	v[0] = (int64_t)(n * scale);
	v[1] = (int64_t)(n * size * scale);
	v[2] = (int64_t)(m * scale);
	v[3] = (int64_t)(m * size * scale);
	*bytes = (int64_t)size;
	st->inuse_samples += m > 0;
}

/* Record statistics of one sample: h hashes its n_ids location ids,
 * locs[first..] are its locations, root first. */
static void
sample_stats(struct gen *g, struct stats *st, uint64_t h,
    const struct path *locs, size_t first, size_t n_ids, uint8_t *covered)
{
	uint32_t prev = UINT32_MAX;
	size_t i, j;
	int is_new;

	st->samples++;
	st->depth_sum += n_ids;
	if (n_ids > st->depth_max)
		st->depth_max = (uint32_t)n_ids;
	is_new = set64_add(&st->stacks, h);
	for (i = first; i < locs->n; i++) {
		const struct loc *l = &g->locs[locs->item[i]];

		for (j = 0; j < l->n; j++) {
			uint32_t f, line;

			item_frame(g, l->item[j], &f, &line);
			covered[f] = 1;
			if (is_new && prev != UINT32_MAX && prev != f)
				set64_add(&st->fedges, (uint64_t)prev << 32 | f);
			prev = f;
		}
	}
}

/* Generate and write all samples (top-level field 2). */
static void
write_samples(struct gen *g, struct out *o, struct stats *st, int64_t bytes_key)
{
	struct path p = { NULL, 0, 0 }, up = { NULL, 0, 0 }, locs = { NULL, 0, 0 };
	uint64_t *ids = xmalloc(g->max_depth, sizeof *ids);
	uint64_t *out_ids = xmalloc(g->max_depth, sizeof *out_ids);
	uint8_t *covered = xcalloc(g->n_funcs, 1);
	uint32_t *order = xmalloc(g->n_funcs, sizeof *order);
	uint64_t i, cover_every;
	size_t cover_pos = 0, pool_off = 0, pool_n = 0, k, cap_order = 0;
	Perftools__Profiles__Sample s = PERFTOOLS__PROFILES__SAMPLE__INIT;
	Perftools__Profiles__Label label = PERFTOOLS__PROFILES__LABEL__INIT;
	Perftools__Profiles__Label *labels[1] = { &label };
	int64_t v[4];

	/* coverage stacks visit every function once, in random order */
	for (k = 0; k < g->n_funcs; k++)
		order[k] = (uint32_t)k;
	for (k = g->n_funcs; k > 1; k--) {
		uint32_t j = rng_below(&g->rng, (uint32_t)k), t = order[k - 1];

		order[k - 1] = order[j];
		order[j] = t;
	}
	cover_every = g->n_samples / g->n_funcs;
	if (cover_every < 2)
		cover_every = 2;

	if (g->random_stacks) {
		/* a pool of one-line locations, samples/2 of them */
		pool_n = g->n_samples / 2 ? g->n_samples / 2 : 1;
		pool_off = g->n_sites;
		for (k = 0; k < pool_n; k++) {
			uint32_t f = rng_below(&g->rng, (uint32_t)g->n_funcs);

			add_site(g, f, func_line(g, f));
		}
	}

	s.location_id = out_ids;
	s.n_value = 4;
	s.value = v;
	s.n_label = 1;
	s.label = labels;
	label.key = bytes_key;

	for (i = 0; i < g->n_samples; i++) {
		size_t n, first;
		uint64_t h;

		p.n = 0;
		if (g->random_stacks) {
			uint32_t d = rng_range(&g->rng,
			    g->max_depth < 10 ? g->max_depth : 10, g->max_depth);

			locs.n = 0;
			for (k = 0; k < d; k++) {
				uint32_t it = site_item(g, (uint32_t)(pool_off +
				    rng_below(&g->rng, (uint32_t)pool_n)));

				path_push(&locs, intern_loc(g, &it, 1));
			}
		} else {
			/* every cover_every-th stack goes through the next
			 * function that no stack has shown yet */
			int cover = i % cover_every == cover_every - 1;

			while (cover && cover_pos < g->n_funcs &&
			    covered[order[cover_pos]])
				cover_pos++;
			if (cover && cover_pos < g->n_funcs) {
				walk_through(g, order[cover_pos++], &p, &up);
				st->cover_samples++;
			} else {
				uint32_t r = pick_cum(&g->rng, g->root_cum,
				    (uint32_t)g->n_roots);

				for (k = g->pfx_off[r]; k + 1 < g->pfx_off[r + 1]; k++)
					path_push(&p, g->pfx_edge[k]);
				walk_down(g, g->pfx_fn[k], &p,
				    2 * (size_t)g->max_depth + 8);
			}
			path_locs(g, &p, &locs);
		}
		/* Go keeps the innermost frames of a too-deep stack */
		n = locs.n;
		first = 0;
		if (n > g->max_depth) {
			first = n - g->max_depth;
			n = g->max_depth;
			st->truncated++;
		}
		for (k = 0; k < n; k++)
			ids[k] = (uint64_t)locs.item[locs.n - 1 - k] + 1;
		s.n_location_id = n;
		h = ids_hash(ids, n);
		sample_stats(g, st, h, &locs, first, n, covered);
		/* the allocation site is the innermost non-runtime frame,
		 * where the program called new, make or append */
		for (k = 0; k + 1 < n; k++) {
			uint32_t f, line;

			item_frame(g, g->locs[ids[k] - 1].item[0], &f, &line);
			if (g->funcs[f].kind != FK_RUNTIME)
				break;
		}
		sample_values(g, st, h, ids[k], v, &label.num);
		for (k = 0; k < n; k++) {
			struct loc *l = &g->locs[ids[k] - 1];

			if (l->out_id == 0) {
				grow(&g->loc_order, &cap_order, g->n_out_locs,
				    sizeof *g->loc_order);
				g->loc_order[g->n_out_locs++] =
				    (uint32_t)(ids[k] - 1);
				l->out_id = (uint32_t)g->n_out_locs;
			}
			out_ids[k] = l->out_id;
		}
		out_message(o, 2, &s.base);
	}
	free(out_ids);
	free(p.item);
	free(up.item);
	free(locs.item);
	free(ids);
	free(covered);
	free(order);
}

/* ---------------------------------------------------------------- */
/* The whole profile                                                 */

static void
write_profile(struct gen *g, struct out *o, struct stats *st, uint64_t seed)
{
	static const char *const types[4][2] = {
		{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
		{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
	};
	struct strtab t = { NULL, 0, 0, NULL, 0 };
	Perftools__Profiles__ValueType vt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	Perftools__Profiles__Mapping mp = PERFTOOLS__PROFILES__MAPPING__INIT;
	Perftools__Profiles__Location lo = PERFTOOLS__PROFILES__LOCATION__INIT;
	Perftools__Profiles__Function fn = PERFTOOLS__PROFILES__FUNCTION__INIT;
	Perftools__Profiles__Line lines[MAX_INLINE];
	Perftools__Profiles__Line *line_ptrs[MAX_INLINE];
	uint32_t *func_order = xmalloc(g->n_funcs, sizeof *func_order);
	char build_id[41];
	size_t i, j, n_used = 0;
	uint64_t end = g->funcs[g->n_funcs - 1].addr + 16 * LINES_PER_FUNC + 0x40;
	uint64_t bid = seed;
	int64_t space, bytes;

	intern_str(&t, "");
	for (i = 0; i < 4; i++) {
		vt.type = intern_str(&t, types[i][0]);
		vt.unit = intern_str(&t, types[i][1]);
		out_message(o, 1, &vt.base);
	}
	/* period_type is written last, after the string table */
	space = intern_str(&t, "space");
	bytes = intern_str(&t, "bytes");

	write_samples(g, o, st, bytes);

	for (i = 0; i < 5; i++)
		snprintf(build_id + 8 * i, 9, "%08" PRIx32,
		    (uint32_t)splitmix64(&bid));
	mp.id = 1;
	mp.memory_start = 0x400000;
	mp.memory_limit = (end + 0xfff) & ~(uint64_t)0xfff;
	mp.file_offset = 0;
	mp.filename = intern_str(&t, "/usr/local/bin/server");
	mp.build_id = intern_str(&t, build_id);
	mp.has_functions = mp.has_filenames = 1;
	mp.has_line_numbers = mp.has_inline_frames = 1;
	out_message(o, 3, &mp.base);

	/* the locations samples refer to, in id order, lines innermost
	 * first; functions get ids as they first appear */
	for (i = 0; i < MAX_INLINE; i++) {
		Perftools__Profiles__Line init = PERFTOOLS__PROFILES__LINE__INIT;

		lines[i] = init;
		line_ptrs[i] = &lines[i];
	}
	lo.line = line_ptrs;
	lo.mapping_id = 1;
	for (i = 0; i < g->n_out_locs; i++) {
		const struct loc *l = &g->locs[g->loc_order[i]];
		uint32_t f0, line0;

		if (l->n > 1)
			st->inline_locs++;
		/* lines as written, innermost first: a function gets the
		 * next id at its first line, as Go numbers them */
		for (j = l->n; j-- > 0;) {
			uint32_t f, line;

			item_frame(g, l->item[j], &f, &line);
			if (g->funcs[f].out_id == 0) {
				func_order[n_used++] = f;
				g->funcs[f].out_id = (uint32_t)n_used;
			}
			lines[l->n - 1 - j].function_id = g->funcs[f].out_id;
			lines[l->n - 1 - j].line = line;
		}
		item_frame(g, l->item[0], &f0, &line0);
		lo.id = i + 1;
		/* return address inside the physical function; inlined
		 * tails shift it a little so addresses stay distinct */
		lo.address = g->funcs[f0].addr + 16 * (line0 - g->funcs[f0].start_line) +
		    5 + (l->n > 1 ? 2 * (loc_hash(l->item + 1, l->n - 1) % 6 + 1) : 0);
		lo.n_line = l->n;
		out_message(o, 4, &lo.base);
	}
	st->funcs_used = n_used;

	for (i = 0; i < n_used; i++) {
		const struct func *f = &g->funcs[func_order[i]];

		fn.id = f->out_id;
		fn.name = fn.system_name = intern_str(&t, f->name);
		fn.filename = intern_str(&t, f->file);
		fn.start_line = f->start_line;
		out_message(o, 5, &fn.base);
	}

	for (i = 0; i < t.n; i++)
		out_field_bytes(o, 6, t.s[i], strlen(t.s[i]));

	/* a fixed collection time keeps the output deterministic */
	out_field_varint(o, 9, UINT64_C(1700000000000000000));
	vt.type = space;
	vt.unit = bytes;
	out_message(o, 11, &vt.base);
	out_field_varint(o, 12, HEAP_RATE);

	free(t.s);
	free(t.tab);
	free(func_order);
}

/* ---------------------------------------------------------------- */
/* Command line                                                      */

static void
usage(FILE *fp)
{
	fputs(
"usage: synth [-rv] [-s samples] [-f functions] [-d depth] [-S seed]\n"
"             [-x scale] [-c level] [-o file]\n"
"Write a synthetic Go-like heap profile (gzipped pprof protobuf).\n"
"  -s N   samples (default 200k; k and M suffixes allowed)\n"
"  -f N   functions in the generated program (default 20k)\n"
"  -d N   maximum stack depth in locations (default 45)\n"
"  -S N   random seed (default 1); same seed and options, same bytes\n"
"  -x N   multiply samples by N and functions by sqrt(N) (-x 10: the\n"
"         2M-sample variant, about 63k functions)\n"
"  -r     pessimistic case: every frame drawn uniformly from a pool of\n"
"         samples/2 locations, depth uniform in 10..depth\n"
"  -c N   gzip level 1-9 (default 1, like runtime/pprof)\n"
"  -o F   output file (default standard output)\n"
"  -v     print statistics of the generated profile to standard error\n",
	    fp);
}

/* Parse a positive count, with optional k (1e3) or M (1e6) suffix. */
static uint64_t
parse_count(const char *s, int opt, uint64_t max)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'k' || *end == 'K')
		mul = 1000, end++;
	else if (*end == 'M')
		mul = 1000000, end++;
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v > max / mul || v * mul == 0)
		die("-%c: bad value '%s' (1..%" PRIu64 ")", opt, s, max);
	return (uint64_t)v * mul;
}

static void
free_gen(struct gen *g)
{
	size_t i;

	for (i = 0; i < g->n_funcs; i++)
		free(g->funcs[i].name);
	for (i = 0; i < g->n_files; i++)
		free(g->files[i]);
	free(g->funcs);
	free(g->files);
	free(g->edges);
	free(g->in_edges);
	free(g->sites);
	free(g->pfx_fn);
	free(g->pfx_edge);
	free(g->pfx_off);
	free(g->root_cum);
	free(g->lib_entries);
	free(g->lib_cum);
	free(g->svc_lvl_off);
	free(g->svc_lvl_fn);
	free(g->svc_root);
	free(g->entries);
	free(g->pkgs);
	free(g->locs);
	free(g->loc_order);
	free(g->loc_tab);
}

int
main(int argc, char **argv)
{
	struct gen g;
	struct stats st;
	static struct out o;	/* large buffers: not on the stack */
	const char *path = NULL;
	uint64_t seed = 1, scale = 1, samples = 200000;
	int c, level = 1, verbose = 0;

	memset(&g, 0, sizeof g);
	memset(&st, 0, sizeof st);
	g.n_funcs_wanted = 20000;
	g.max_depth = 45;
	while ((c = getopt(argc, argv, "s:f:d:S:x:c:o:rvh")) != -1) {
		switch (c) {
		case 's':
			samples = parse_count(optarg, c, UINT64_C(1) << 40);
			break;
		case 'f':
			g.n_funcs_wanted = (uint32_t)parse_count(optarg, c, 20000000);
			break;
		case 'd':
			g.max_depth = (uint32_t)parse_count(optarg, c, 1000);
			break;
		case 'S': {
			char *end;

			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (errno != 0 || end == optarg || *end != '\0')
				die("-S: bad seed '%s'", optarg);
			break;
		}
		case 'x':
			scale = parse_count(optarg, c, 100000);
			break;
		case 'c':
			level = (int)parse_count(optarg, c, 9);
			break;
		case 'o':
			path = optarg;
			break;
		case 'r':
			g.random_stacks = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (g.n_funcs_wanted < 1000)
		die("-f: at least 1000 functions");
	if (g.max_depth < 4)
		die("-d: at least 4");
	if (samples > (UINT64_C(1) << 40) / scale)
		die("-x: too many samples");
	g.n_samples = samples * scale;
	/* a bigger profile comes from more code: functions grow by sqrt */
	if (scale > 1) {
		double nf = g.n_funcs_wanted * sqrt((double)scale);

		if (nf > 20000000)
			die("-x: too many functions");
		g.n_funcs_wanted = (uint32_t)(nf + 0.5);
	}
	rng_seed(&g.rng, seed);

	build_graph(&g);
	out_open(&o, path, level);
	write_profile(&g, &o, &st, seed);
	out_close(&o);

	if (verbose) {
		fprintf(stderr,
		    "synth: seed %" PRIu64 "%s: %" PRIu64 " samples, %zu unique stacks "
		    "(%.1f%%), %zu locations (%zu inline), %zu functions "
		    "(of %zu generated), %zu function edges\n",
		    seed, g.random_stacks ? " random stacks" : "", st.samples,
		    st.stacks.n, 100.0 * (double)st.stacks.n / (double)st.samples,
		    g.n_out_locs, st.inline_locs, st.funcs_used, g.n_funcs,
		    st.fedges.n);
		fprintf(stderr,
		    "synth: depth mean %.1f max %u (%" PRIu64 " truncated), "
		    "%" PRIu64 " coverage stacks, %" PRIu64 " samples in use "
		    "(%.1f%%); raw %" PRIu64 " bytes, gzip %" PRIu64 " bytes\n",
		    (double)st.depth_sum / (double)st.samples, st.depth_max,
		    st.truncated, st.cover_samples, st.inuse_samples,
		    100.0 * (double)st.inuse_samples / (double)st.samples,
		    o.raw, o.gz);
	}
	free(st.stacks.k);
	free(st.buckets.k);
	free(st.fedges.k);
	free_gen(&g);
	return 0;
}
