/*
 * dotio: reading and writing DOT through Graphviz's cgraph, safely.
 *
 * Names from profiles are arbitrary bytes; DOT text is UTF-8 and
 * cgraph's writer (Graphviz 2.43) emits backslashes verbatim, so an odd
 * run of backslashes before a closing quote, or a backslash before a
 * newline, would come back changed or as a syntax error.  Every string
 * that comes from a profile is therefore stored in the DOT in an
 * escaped form: a backslash is doubled, and control bytes and bytes
 * that are not valid UTF-8 become \xNN.  The encoding is injective, so
 * IDs stay stable keys, and dotio_decode gives the original bytes back.
 * doc/dot-schema.md documents it for users' scripts.
 */
#ifndef GMV_DOTIO_H
#define GMV_DOTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <graphviz/cgraph.h>

#include "diag.h"

/* A growable string for building attribute values. */
struct dotio_buf {
	char *s;
	size_t len, cap;
};

void dotio_buf_free(struct dotio_buf *b);
void dotio_buf_reset(struct dotio_buf *b);
int dotio_buf_add(struct dotio_buf *b, const char *s, size_t n);
int dotio_buf_addf(struct dotio_buf *b, const char *fmt, ...)
    DIAG_PRINTF(2, 3);

/* Append the escaped form of s[0..n) to b; 0 or -1 (no memory). */
int dotio_encode(struct dotio_buf *b, const char *s, size_t n);

/* Append the bytes an escaped string stands for; 0 or -1. */
int dotio_decode(struct dotio_buf *b, const char *s);

/* Is s[0..n) valid UTF-8 (no overlongs, no surrogates)? */
bool dotio_valid_utf8(const char *s, size_t n);

/*
 * Set attribute name of obj (declaring it on the root graph with
 * default "" if needed) to value.  Returns 0 or -1.
 */
int dotio_set(void *obj, const char *name, const char *value);

/* Integer and boolean shorthands. */
int dotio_set_int(void *obj, const char *name, int64_t v);

/* A double in the shortest form that reads back as the same value. */
int dotio_set_double(void *obj, const char *name, double v);

/*
 * The symbol of attribute name for objects of kind (AGRAPH, AGNODE,
 * AGEDGE) of g's root, declared with default "" when create is set and
 * it does not exist yet; NULL when absent (or out of memory).  Setting
 * and reading through a symbol skips the name lookup of dotio_set and
 * dotio_get, which matters for graphs of 100 000 nodes.
 */
Agsym_t *dotio_sym(Agraph_t *g, int kind, const char *name, bool create);

/* Set through a symbol; 0 or -1. */
int dotio_xset(void *obj, Agsym_t *sym, const char *value);
int dotio_xset_int(void *obj, Agsym_t *sym, int64_t v);

/* Read through a symbol (NULL sym allowed): NULL when unset or empty. */
const char *dotio_xget(void *obj, Agsym_t *sym);

/* Parse through a symbol as dotio_get_int does. */
int dotio_xget_int(void *obj, Agsym_t *sym, int64_t *v);

/* Attribute value or NULL when unset or empty. */
const char *dotio_get(void *obj, const char *name);

/*
 * Parse an integer attribute.  Returns 1 and *v when present and valid,
 * 0 when absent or empty, -1 when present but not an integer.
 */
int dotio_get_int(void *obj, const char *name, int64_t *v);

/*
 * The cgraph discipline every tool opens and reads graphs with.  Its
 * writer splits a quoted string longer than Graphviz's lexer accepts
 * (16 kB in Graphviz 2.43) into "..." + "..." pieces, which DOT joins
 * back, so even a 70 kB function name survives a round trip.
 */
extern Agdisc_t dotio_disc;

/* Is name how cgraph names an anonymous graph ("%N")? */
bool dotio_anonymous(const char *name);

/* agopen (directed) and agread with dotio_disc; a name that
 * dotio_anonymous calls anonymous opens a new anonymous graph. */
Agraph_t *dotio_open(const char *name);
Agraph_t *dotio_read(FILE *f);

/*
 * Reading a stream of graphs: every graph of a file (or stdin) in
 * turn, with cgraph's syntax errors turned into "NAME:LINE: message".
 */
struct dotio_in {
	const char *name;	/* for messages: the path or "<stdin>" */
	FILE *f;
	bool own;		/* close f at the end */
	bool done;
	bool started;		/* cgraph told the file's name */
};

/* Open path ("-" is stdin) for reading graphs; 0, or -1 with a message. */
int dotio_in_open(struct dotio_in *in, const char *path, struct diag *d);
void dotio_in_close(struct dotio_in *in);

/*
 * The next graph: 1 with *g set (free it with agclose), 0 at the end of
 * the stream, -1 with a message on a syntax or read error.
 */
int dotio_in_next(struct dotio_in *in, Agraph_t **g, struct diag *d);

/*
 * Write g to f; returns 0, or -1 with "NAME: message" in d (NAME names
 * the output).  Checks cgraph's error count and the stream's state.
 */
int dotio_write(Agraph_t *g, FILE *f, const char *name, struct diag *d);

/*
 * What a filter does to each graph of an input: 0, or -1 with a message
 * in d (dotio_each puts the input's name before it).  in names the input.
 */
typedef int dotio_graph_fn(void *ctx, Agraph_t *g, const struct dotio_in *in,
    struct diag *d);

/*
 * Every graph of path ("-" is stdin) through fn, then written to out
 * (named outname) and closed: a filter's loop.  0, or -1 with "INPUT:
 * message" (or "OUTPUT: message" for a write error) in d at the first
 * trouble; graphs before it were written whole.
 */
int dotio_each(const char *path, dotio_graph_fn *fn, void *ctx, FILE *out,
    const char *outname, struct diag *d);

#endif
