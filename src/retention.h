/*
 * retention: what a heap profile says about memory that stays alive.
 *
 * A Go heap profile counts, per stack, the bytes allocated since the
 * program started (alloc_space) and the bytes of those still live at
 * the last GC (inuse_space).  Their ratio R = inuse_space / alloc_space
 * tells accumulation from churn: R near 1 with many bytes in use is
 * leak-shaped (everything allocated stayed), R near 0 with many bytes
 * allocated is garbage the collector keeps busy with, not a leak.  This
 * module computes R per node (cum, and flat) and per edge, writes it as
 * the data attributes retention and retention_flat, and gives the
 * colour of the retention scheme: blue for transient (R = 0) through
 * grey (R = 0.5) to red for retained (R = 1).  How much memory a node
 * keeps alive through pointers (its dominated size) needs a core dump
 * and is not something a profile can tell; nothing here pretends to.
 */
#ifndef GMV_RETENTION_H
#define GMV_RETENTION_H

#include <stdbool.h>

#include <graphviz/cgraph.h>

#include "diag.h"

/* Decimals of the retention attributes. */
#define RETENTION_DECIMALS 3

/* The legend's key to the scheme. */
#define RETENTION_LEGEND_KEY \
	"Size: bytes in use; colour: retention R = inuse/alloc, blue " \
	"R=0 transient (churn), grey 0.5, red R=1 retained"
#define RETENTION_LEGEND_NOTE \
	"Retained size through pointers needs a core dump: not shown"

/*
 * NULL when g (a root graph) can be drawn with the retention scheme,
 * otherwise why not ("no alloc_space and inuse_space", "a diff of
 * profiles": changes have no retention), for a message
 * such as "FILE: no alloc_space and inuse_space: drawn with the pprof
 * scheme".
 */
const char *retention_unusable(Agraph_t *g);


struct classes;

/*
 * The retention scheme's other data attributes, on any graph with data
 * nodes: class from the rules c (NULL: classes_default()), suspicious
 * from marks_suspicious with the thresholds fan_out and flat_share (0:
 * the defaults).  Returns 0, or -1 with a message in d.
 */
int retention_annotate(Agraph_t *g, const struct classes *c,
    double fan_out, double flat_share, struct diag *d);

/* The per-graph state: the symbols read and written. */
struct retention;

/*
 * Look up g's symbols and declare retention and retention_flat.  NULL
 * with a message in d when out of memory or when retention_unusable.
 */
struct retention *retention_new(Agraph_t *g, struct diag *d);

/* The symbols of the in-use values (NULL when absent). */
Agsym_t *retention_inuse_sym(const struct retention *r, int kind,
    bool flat);

/* Free; retention_free(NULL) is a no-op. */
void retention_free(struct retention *r);

/*
 * Compute R for node n, write retention (and retention_flat when the
 * node's own bytes have another R, as formatted) and give them in
 * *cum_r and *flat_r (NAN when nothing was allocated, or for *flat_r
 * when it is not written).  Returns 0, or -1 when out of memory.
 */
int retention_node(struct retention *r, Agnode_t *n, double *cum_r,
    double *flat_r);

/* R of an edge's in-use over allocated flow; NAN when unknown. */
double retention_edge(const struct retention *r, Agedge_t *e);

/*
 * The scheme's colour for R (clamped to [0, 1]; NAN is grey); bg gives
 * the pale fill variant.  buf gets "#rrggbb".
 */
void retention_color(char buf[8], double r, bool bg);

#endif
