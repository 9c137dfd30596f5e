/*
 * marks: structural hints on a call graph — suspicious nodes and
 * clusters per Go package.
 *
 * A "fan-out" node calls many more functions than call it: a hub
 * whose callees' memory all flows through it (a dispatcher, a
 * constructor of many parts).  A "flat-heavy" node allocates much by
 * itself although it also calls others: its own allocations, not its
 * callees', are the story.  Both are hints for where to look, not
 * verdicts.
 */
#ifndef GMV_MARKS_H
#define GMV_MARKS_H

#include <stddef.h>

#include <graphviz/cgraph.h>

#include "diag.h"

#define MARKS_DEFAULT_FAN_OUT 3.0
#define MARKS_DEFAULT_FLAT_SHARE 0.4
#define MARKS_CLUSTER_PREFIX "cluster_pkg "

/*
 * Set suspicious on every data node of g: "fan-out" when its number of
 * callees exceeds fan_out times its number of callers (counted as at
 * least 1, so a root with a few calls is no hub), "flat-heavy" when it
 * has callees and |flat| > flat_share * |cum|, "fan-out,flat-heavy"
 * when both, "" otherwise.  Only edges between data nodes count.
 * Returns the number of nodes marked, or -1 with a message in d.
 */
long marks_suspicious(Agraph_t *g, double fan_out, double flat_share,
    struct diag *d);

/*
 * Put every data node of g into a cluster subgraph of its Go package
 * (named MARKS_CLUSTER_PREFIX and the package, labelled with it).
 * Nodes without func stay outside.  Returns 0, or -1 with a message.
 */
int marks_cluster_package(Agraph_t *g, struct diag *d);

/*
 * The length of the Go package of function name s[0..n): "main" of
 * main.(*Cache).fill, "compress/gzip" of compress/gzip.(*Writer).Write;
 * 0 when s has no package.
 */
size_t marks_package(const char *s, size_t n);

#endif
