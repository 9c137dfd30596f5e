/*
 * classes: semantic classes of allocations from function names.
 *
 * A rules file maps PCRE2 patterns on function names to class names
 * (map growth, slice growth, reflect, sync.Pool, string building,
 * goroutine stacks...).  The format, one rule a line:
 *
 *	# a comment
 *	map	^runtime\.mapassign
 *
 * a class name (letters, digits, "_" and "-"), blanks, and the pattern
 * up to the end of the line without trailing blanks.  The first rule
 * that matches a node's function name (its func attribute, or its ID
 * when it has none) gives the node its class attribute.  The defaults
 * are installed as $(pkgdatadir)/classes.rules (data/classes.rules) and
 * compiled in, so the tools work uninstalled.
 */
#ifndef GMV_CLASSES_H
#define GMV_CLASSES_H

#include <graphviz/cgraph.h>

#include "diag.h"

struct classes;

/*
 * Compile the rules in text (NUL-terminated); name says where they come
 * from in messages ("NAME:LINE: message").  NULL with a message in d.
 */
struct classes *classes_parse(const char *text, const char *name,
    struct diag *d);

/* Read and compile a rules file; NULL with "FILE[:LINE]: ..." in d. */
struct classes *classes_load(const char *path, struct diag *d);

/*
 * The default rules: the installed file when it can be read, else the
 * compiled-in copy.  NULL with a message in d.
 */
struct classes *classes_default(struct diag *d);

/* The compiled-in default rules. */
extern const char classes_builtin[];

/* Free; classes_free(NULL) is a no-op. */
void classes_free(struct classes *c);

/*
 * Set the class attribute of every data node (one with cum) of g that a
 * rule matches, and clear it on the others.  Returns the number of
 * nodes classed, or -1 with a message in d.
 */
long classes_apply(const struct classes *c, Agraph_t *g, struct diag *d);

/* The node shape badge of a class; "box" for classes without one. */
const char *classes_shape(const char *cls);

#endif
