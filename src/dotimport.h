/*
 * dotimport: the numbers of a graph that go tool pprof -dot wrote, as
 * the data attributes of doc/dot-schema.md.
 *
 * pprof's DOT carries a profile's figures only as formatted text: node
 * IDs N1, N2... by position, labels such as
 * "main\n(*Cache)\nfill\n5676.68kB (89.32%)\nof 5696.72kB (89.63%)",
 * tooltips "main.(*Cache).fill (5696.72kB)", edge labels " 4081.17kB"
 * (and "\n (inline)"), dotted residual edges, tag boxes (N1_0, NN1_0,
 * NN1_0_0, shape box3d) and a legend in subgraph cluster_L.  Importing
 * reads that text back, so the graph can go through graphfocus,
 * graphdiff and the styling like one pprof2graph wrote for a single
 * sample type.  Every figure is pprof's two-decimal rounding of the
 * real value, so every number imported is exact only to half a unit of
 * its last printed digit (5 bytes in kB, 5 ms in s); the root attribute
 * imported="go tool pprof -dot" says so.  src/dotimport.c tells what is
 * read and what cannot be.
 */
#ifndef GMV_DOTIMPORT_H
#define GMV_DOTIMPORT_H

#include <stdbool.h>

#include <graphviz/cgraph.h>

#include "diag.h"

/*
 * Is g (a root graph) go tool pprof -dot's output without our data
 * attributes?  True when no node has a cum attribute and either a node
 * N<k> carries pprof's id="node<k>" or a subgraph cluster_L holds a
 * legend with a "Type: " line (pprof's graph of an empty profile).
 */
bool dotimport_is_pprof(Agraph_t *g);

/*
 * Give g the data attributes of our schema, parsed from pprof's text:
 * data nodes are renamed to their stable keys (pprof's full names),
 * tag boxes become ours, pprof's legend is removed; the visual
 * attributes are left as pprof wrote them (style_apply replaces them).
 * Returns 0, or -1 with a message in d ("go tool pprof graph: node N3:
 * cannot read the value 'x'") when the text cannot be read; then g is
 * unchanged, unless memory ran out.
 */
int dotimport_pprof(Agraph_t *g, struct diag *d);

#endif
