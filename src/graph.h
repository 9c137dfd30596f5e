/*
 * graph: call graphs built from a profile's unique stacks, with go tool
 * pprof's semantics.
 *
 * A node stands for whatever the granularity makes of a frame (a
 * function, a function in a file, a file, a source line, an address)
 * and is identified by a stable key: pprof's printable name for it
 * ("main.fill", "main.fill /src/main.go:42", ...), so the same function
 * has the same key in every graph.  Building follows pprof exactly:
 * frames are walked from the root; each node gains a sample's value in
 * cum once however often it appears (recursion is not double counted);
 * each caller->callee pair once; no self edges; flat goes to the leaf
 * frame only if that node is kept; an edge is inline when every call it
 * stands for was an inlined one, and residual when any of them skipped
 * nodes that were not kept.
 *
 * Values are kept for every sample type; which nodes and edges exist,
 * and their flags, follow the selected type alone (as the graph pprof
 * draws for -sample_index=T does).
 */
#ifndef GMV_GRAPH_H
#define GMV_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "filter.h"
#include "hmap.h"
#include "prof.h"

enum graph_gran {
	GRAN_FUNCTIONS,
	GRAN_FILEFUNCTIONS,
	GRAN_FILES,
	GRAN_LINES,
	GRAN_ADDRESSES,
};

/* Parse a granularity name; -1 when unknown. */
int graph_gran_parse(const char *name);
const char *graph_gran_name(enum graph_gran g);

/* What a node key stands for. */
struct graph_info {
	uint32_t key;		/* string id of the printable name */
	uint32_t func;		/* string id of the function name, 0 if none */
	uint32_t file;		/* string id of the (cleaned) file, 0 if none */
	int64_t line;		/* 0 if none */
	uint64_t address;	/* 0 if none */
	uint32_t objfile;	/* string id of the mapping file, if unsymbolized */
};

/*
 * The node keys of a profile at one granularity, and for every location
 * the keys of its frames (innermost first, one per line; one for a
 * location without lines).  Tag keys (pprof's nodelets: string label
 * sets and "bytes" sizes) are derived here too, per label set.
 */
struct graph_space {
	enum graph_gran gran;
	struct graph_info *infos;
	size_t ninfos, capinfos;
	struct hmap info_index;
	uint32_t *loc_node0;	/* per location: first entry in lnodes */
	uint32_t *loc_nnodes;	/* per location: entry count */
	uint32_t *lnodes;
	size_t nlnodes;

	/*
	 * Every stack spelled out as node keys, root first, so that each
	 * build pass reads one array front to back instead of chasing
	 * locations: seq[seq0[s] .. seq0[s + 1]) is stack s, and an entry
	 * has SEQ_INLINE set when the call into it was inlined.
	 */
	uint32_t *seq;
	size_t nseq;
	uint32_t *seq0;		/* nstacks + 1 entries */

	/*
	 * Per node key: is it the leaf of a stack with tags?  Only such
	 * nodes can get flat tags, and only flat tags count when nodes are
	 * chosen, so cum tags are summed for these nodes alone.
	 */
	unsigned char *leaf_tagged;

	/* Tags: (kind, labels string, name), interned. */
	struct graph_tagkey {
		uint32_t labels;	/* string id of the joined labels */
		uint32_t name;		/* string id of the tag's label */
		bool numeric;
		int64_t value;		/* numeric tags: the raw value */
		uint32_t unit;		/* numeric tags: unit string id */
	} *tagkeys;
	size_t ntagkeys, captagkeys;
	struct hmap tagkey_index;
	uint32_t *ls_tag0, *ls_ntags;	/* per label set */
	uint32_t *ls_tags;
	size_t nls_tags;
};

#define SEQ_INLINE 0x80000000u
#define SEQ_INFO 0x7fffffffu

/*
 * Build the space; with a filter view, stacks are spelled as the view
 * leaves them (dropped stacks spell as nothing).  NULL with a message
 * on failure.
 */
/*
 * Stacks of at least this many frames in all (1 << 20) are spelled, and
 * walked by each graph_build, by two threads; tests change it to check
 * both ways give the same space and the same graphs.
 */
extern size_t graph_parallel_entries;

struct graph_space *graph_space_new(struct prof *p, enum graph_gran gran,
    const struct filter_view *view, struct diag *d);
void graph_space_free(struct graph_space *s);

#define GRAPH_INLINE 0x1
#define GRAPH_RESIDUAL 0x2

struct graph_edge {
	uint32_t src, dst;	/* node indexes */
	uint8_t flags;
	bool removed;		/* trimmed away */
};

/* A tag of a node (for nodelet counting): sums of the selected type. */
struct graph_tag {
	uint32_t node, key;
	int64_t flat, cum;
	bool removed;
};

/*
 * A graph's values: for every node and edge a row of ntypes values
 * (the model's row: one per sample type, then as many base values when
 * bases were loaded), and the selected value, net of its base, which is
 * what pprof's graph shows and what trimming and ordering use.
 */
struct graph {
	size_t ntypes, sel;
	size_t nin;		/* sample types; ntypes == 2 * nin with a base */

	/*
	 * Nodes 0..nnodes-1 are the graph's; after them come nghost nodes
	 * whose selected values cancelled out (or --drop-negative dropped).
	 * pprof leaves such nodes out of its node list but not out of its
	 * edge maps, so their edges still weigh in node ordering and edge
	 * trimming; they are never drawn.
	 */
	size_t nnodes, nghost;
	const char **names;	/* node -> key (not owned), for ordering */
	uint32_t *info;		/* node -> info index, for the builder */
	int64_t *flat, *cum;	/* nnodes x ntypes */
	int64_t *sflat, *scum;	/* nnodes: selected, net */

	size_t nedges;
	struct graph_edge *edges;
	int64_t *ew;		/* nedges x ntypes */
	int64_t *sew;		/* nedges: selected, net */

	/* Adjacency (edge indexes), built by graph_index. */
	uint32_t *out0, *outn, *in0, *inn, *adj;

	struct graph_tag *tags;
	size_t ntags;

	uint32_t *order;	/* display order of the nodes (trim sets it) */
	bool nodes_only;	/* built without edges and tags, with the
				 * selected type's values only */
};

struct graph_build_opts {
	size_t sel;			/* selected sample type */
	const unsigned char *kept;	/* per info: keep? NULL keeps all */
	bool tags;			/* collect tag sums */
	bool nodes_only;		/* flat and cum of the selected type (and
				 * its base) only: no edges, no tags */
	bool drop_negative;		/* pprof's -drop_negative */
	bool all_tags;			/* cum tags of every node, to draw */
};

/*
 * Build the graph of p's stacks at s's granularity.  Nodes whose
 * selected flat and cum are both 0 are left out, as in pprof.  Returns
 * NULL with a message (value overflow, no memory) on failure.
 */
struct graph *graph_build(const struct prof *p, const struct graph_space *s,
    const struct graph_build_opts *o, struct diag *d);

void graph_free(struct graph *g);

/* The selected (net) values. */
static inline int64_t
graph_flat(const struct graph *g, size_t n)
{
	return g->sflat[n];
}

static inline int64_t
graph_cum(const struct graph *g, size_t n)
{
	return g->scum[n];
}

static inline int64_t
graph_ew(const struct graph *g, size_t e)
{
	return g->sew[e];
}

/*
 * Empty graph with room for nn nodes and ne edges and ntypes values
 * each, nin of them sample types (for graphs built from other sources
 * than profiles too); NULL when out of memory.
 */
struct graph *graph_new(size_t ntypes, size_t nin, size_t sel, size_t nn,
    size_t ne);

/*
 * (Re)build the adjacency lists from edges[], skipping removed edges.
 * Returns 0 or -1 (no memory).
 */
int graph_index(struct graph *g);

#endif
