/*
 * dotcanon: print DOT graphs in a canonical, line-oriented text form.
 *
 * Golden tests compare what the filters write after canonicalising it, so
 * that the order of statements, attribute defaults (node [shape=box]) and
 * the way a value was quoted do not matter, only the graph.  Each graph of
 * each input (files, - or none for stdin) is read with cgraph and printed:
 *
 *   graph "G" directed strict        directed|undirected, strict if strict
 *     graph.rankdir="LR"             root attributes that are not empty
 *   subgraph "cluster_a"             subgraphs, sorted by name, anonymous
 *     graph.label="A"                ones last; attributes that differ from
 *     member "a"                     the enclosing graph's; member nodes
 *   subgraph "cluster_a"/"inner"     nested subgraphs by path
 *   subgraph (anonymous)
 *     graph.rank="same"
 *     member "d"
 *   node "a"                         nodes sorted by name, each followed by
 *     cum="100"                      its attributes sorted by name: the
 *     label=<<b>a</b>>               effective value, printed when it is
 *   edge "a" -> "b" key "k"          not empty or differs from the default
 *     color="red"                    edges sorted by tail, head, key, then
 *                                    attributes; -- in undirected graphs,
 *                                    where the smaller name is put first
 *                                    (tailport and headport swap with it)
 *
 * One attribute per line, so a diff names the attribute that changed.
 * Names and values are "quoted"; HTML-like values (label=<...>) are
 * printed <...> instead.  Inside them \ " newline and tab are written
 * \\ \" \n \t, other control bytes \xNN (and = in attribute names \x3d),
 * so every line is one item and no value can be mistaken for another.
 * Bytes from 0x80 up are copied as they are.
 *
 * -t prints one tab-separated line per item instead, for awk:
 *
 *   G  name  directed|undirected  strict|nonstrict  attr=value ...
 *   S  path  attr=value ...               (path elements joined by /)
 *   M  path  node
 *   N  name  attr=value ...
 *   E  tail  head  key  attr=value ...    (key empty when there is none)
 *
 * with the same escapes (tab is \t, so fields never contain one; / in a
 * path element is \x2f), values not quoted, an HTML-like value written
 * <...> and a plain value starting with < written \x3c...; anonymous
 * graphs are named (anonymous) in both forms.
 *
 * -k a,b,c keeps only those attributes, -x a,b,c drops them (both may be
 * repeated; -x applies after -k), for every kind of object.
 *
 * Exit 0, or 2 on a usage, I/O or syntax error (dotcanon: FILE[:LINE]:
 * message).  Complete graphs read before a syntax error are printed.
 * Note that cgraph (2.42, 2.43) refuses a quoted string or ID longer than
 * 16384 bytes as a syntax error; "..." + "..." pieces are fine.
 */

#define _POSIX_C_SOURCE 200809L

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define ANONYMOUS "(anonymous)"

enum {
	ESC_EQUALS = 1,		/* = as \x3d (attribute names) */
	ESC_SLASH = 2,		/* / as \x2f (-t path elements) */
	ESC_LT = 4		/* a leading < as \x3c (-t plain values) */
};

/* A growable string; s is NUL-terminated once anything was added. */
struct sbuf {
	char *s;
	size_t len, cap;
};

/* A list of attribute names (-k, -x). */
struct names {
	char **v;
	size_t n, cap;
};

/* One attribute to print. */
struct attr {
	const char *name;
	char *value;		/* cgraph's string, for aghtmlstr() */
};

/* A rendered edge, sorted by tail, head, key, then its text. */
struct edge_item {
	const char *tail, *head, *key;
	char *text;
};

/* A rendered subgraph (with its descendants), sorted by name, anonymous last. */
struct subg_item {
	char *name;		/* NULL when anonymous */
	char *text;
};

static char progname[] = "dotcanon";
static char stdin_name[] = "<stdin>";
static char *input_name = stdin_name;
static struct names keep, drop;
static int tabs;
static struct sbuf errline;

static void
die_nomem(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die_nomem();
	return p;
}

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		die_nomem();
	p = realloc(p, n != 0 && size != 0 ? n * size : 1);
	if (p == NULL)
		die_nomem();
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;

		while (ncap < b->len + n + 1) {
			if (ncap > SIZE_MAX / 2)
				die_nomem();
			ncap *= 2;
		}
		b->s = xreallocarray(b->s, ncap, 1);
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_putc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

/* Hands over the buffer's string (never NULL) and empties the buffer. */
static char *
sb_take(struct sbuf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static void
sb_escaped(struct sbuf *b, const char *s, int flags)
{
	static const char hex[] = "0123456789abcdef";

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned char c = *p;

		if (c == '\\')
			sb_puts(b, "\\\\");
		else if (c == '"')
			sb_puts(b, "\\\"");
		else if (c == '\n')
			sb_puts(b, "\\n");
		else if (c == '\t')
			sb_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7f ||
		    (c == '=' && (flags & ESC_EQUALS)) ||
		    (c == '/' && (flags & ESC_SLASH)) ||
		    (c == '<' && (flags & ESC_LT) && p == (const unsigned char *)s)) {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

			sb_add(b, e, 4);
		} else {
			sb_putc(b, (char)c);
		}
	}
}

/* A name: "quoted", or escaped as it is in the tab form. */
static void
sb_name(struct sbuf *b, const char *s, int flags)
{
	if (tabs) {
		sb_escaped(b, s, flags);
		return;
	}
	sb_putc(b, '"');
	sb_escaped(b, s, flags);
	sb_putc(b, '"');
}

/* An attribute value; HTML-like strings as <...>. */
static void
sb_value(struct sbuf *b, char *v)
{
	if (aghtmlstr(v)) {
		sb_putc(b, '<');
		sb_escaped(b, v, 0);
		sb_putc(b, '>');
	} else if (tabs) {
		sb_escaped(b, v, ESC_LT);
	} else {
		sb_name(b, v, 0);
	}
}

static int
in_names(const struct names *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 1;
	return 0;
}

static int
wanted(const char *name)
{
	if (keep.n > 0 && !in_names(&keep, name))
		return 0;
	return !in_names(&drop, name);
}

static int
attr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct attr *)a)->name, ((const struct attr *)b)->name);
}

/*
 * Appends obj's attributes that are worth printing: the root graph's
 * non-empty ones, a subgraph's that differ from its parent's, a node's or
 * edge's that are non-empty or differ from the declared default.  swap
 * exchanges tailport and headport (an undirected edge printed reversed).
 */
static void
put_attrs(struct sbuf *b, void *obj, Agraph_t *parent, int swap)
{
	Agraph_t *root = agroot(obj);
	int kind = AGTYPE(obj) == AGINEDGE ? AGEDGE : AGTYPE(obj);
	struct attr *list = NULL;
	size_t n = 0, cap = 0;
	Agsym_t *sym = NULL;

	while ((sym = agnxtattr(root, kind, sym)) != NULL) {
		char *v = agxget(obj, sym);
		const char *name = sym->name;
		int show;

		if (kind == AGRAPH && parent != NULL)
			show = strcmp(v, agxget(parent, sym)) != 0;
		else if (kind == AGRAPH)
			show = *v != '\0';
		else
			show = *v != '\0' || strcmp(v, sym->defval) != 0;
		if (swap && strcmp(name, "tailport") == 0)
			name = "headport";
		else if (swap && strcmp(name, "headport") == 0)
			name = "tailport";
		if (!show || !wanted(name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = xreallocarray(list, cap, sizeof *list);
		}
		list[n].name = name;
		list[n].value = v;
		n++;
	}
	if (n > 1)
		qsort(list, n, sizeof *list, attr_cmp);
	for (size_t i = 0; i < n; i++) {
		sb_puts(b, tabs ? "\t" : kind == AGRAPH ? "  graph." : "  ");
		sb_escaped(b, list[i].name, ESC_EQUALS);
		sb_putc(b, '=');
		sb_value(b, list[i].value);
		if (!tabs)
			sb_putc(b, '\n');
	}
	free(list);
}

static int
node_cmp(const void *a, const void *b)
{
	return strcmp(agnameof(*(Agnode_t *const *)a), agnameof(*(Agnode_t *const *)b));
}

/* Returns g's nodes sorted by name; *n is their number.  The caller frees. */
static Agnode_t **
sorted_nodes(Agraph_t *g, size_t *n)
{
	Agnode_t **v = xreallocarray(NULL, (size_t)agnnodes(g), sizeof *v);
	size_t i = 0;

	for (Agnode_t *nd = agfstnode(g); nd != NULL; nd = agnxtnode(g, nd))
		v[i++] = nd;
	if (i > 1)
		qsort(v, i, sizeof *v, node_cmp);
	*n = i;
	return v;
}

static int
is_anonymous(const char *name)
{
	return name == NULL || name[0] == '%';
}

static int
subg_cmp(const void *a, const void *b)
{
	const struct subg_item *x = a, *y = b;
	int c;

	if ((x->name == NULL) != (y->name == NULL))
		return x->name == NULL ? 1 : -1;
	if (x->name != NULL && (c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->text, y->text);
}

/* Appends the subgraphs of g, sorted, each after its path prefix. */
static void
put_subgraphs(struct sbuf *out, Agraph_t *g, const char *prefix)
{
	struct subg_item *items = NULL;
	size_t n = 0, cap = 0;

	for (Agraph_t *s = agfstsubg(g); s != NULL; s = agnxtsubg(s)) {
		const char *name = agnameof(s);
		struct sbuf path = { NULL, 0, 0 }, b = { NULL, 0, 0 };
		Agnode_t **nodes;
		size_t nn;

		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			items = xreallocarray(items, cap, sizeof *items);
		}
		items[n].name = is_anonymous(name) ? NULL : xstrdup(name);
		sb_puts(&path, prefix);
		if (*prefix != '\0')
			sb_putc(&path, '/');
		if (items[n].name == NULL)
			sb_puts(&path, ANONYMOUS);
		else
			sb_name(&path, items[n].name, tabs ? ESC_SLASH : 0);

		sb_puts(&b, tabs ? "S\t" : "subgraph ");
		sb_puts(&b, path.s);
		if (!tabs)
			sb_putc(&b, '\n');
		put_attrs(&b, s, g, 0);
		if (tabs)
			sb_putc(&b, '\n');
		nodes = sorted_nodes(s, &nn);
		for (size_t i = 0; i < nn; i++) {
			if (tabs) {
				sb_puts(&b, "M\t");
				sb_puts(&b, path.s);
				sb_putc(&b, '\t');
			} else {
				sb_puts(&b, "  member ");
			}
			sb_name(&b, agnameof(nodes[i]), 0);
			sb_putc(&b, '\n');
		}
		free(nodes);
		put_subgraphs(&b, s, path.s);
		items[n].text = sb_take(&b);
		free(path.s);
		n++;
	}
	if (n > 1)
		qsort(items, n, sizeof *items, subg_cmp);
	for (size_t i = 0; i < n; i++) {
		sb_puts(out, items[i].text);
		free(items[i].text);
		free(items[i].name);
	}
	free(items);
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct edge_item *x = a, *y = b;
	int c;

	if ((c = strcmp(x->tail, y->tail)) != 0 || (c = strcmp(x->head, y->head)) != 0)
		return c;
	if ((x->key == NULL) != (y->key == NULL))
		return x->key == NULL ? -1 : 1;
	if (x->key != NULL && (c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->text, y->text);
}

static void
put_edges(struct sbuf *out, Agraph_t *g)
{
	struct edge_item *items = xreallocarray(NULL, (size_t)agnedges(g), sizeof *items);
	int directed = agisdirected(g);
	size_t n = 0;

	for (Agnode_t *nd = agfstnode(g); nd != NULL; nd = agnxtnode(g, nd)) {
		for (Agedge_t *e = agfstout(g, nd); e != NULL; e = agnxtout(g, e)) {
			struct edge_item *it = &items[n++];
			struct sbuf b = { NULL, 0, 0 };
			int swap;

			it->tail = agnameof(agtail(e));
			it->head = agnameof(aghead(e));
			it->key = agnameof(e);
			swap = !directed && strcmp(it->tail, it->head) > 0;
			if (swap) {
				const char *t = it->tail;

				it->tail = it->head;
				it->head = t;
			}
			put_attrs(&b, e, NULL, swap);
			it->text = sb_take(&b);
		}
	}
	if (n > 1)
		qsort(items, n, sizeof *items, edge_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct edge_item *it = &items[i];

		sb_puts(out, tabs ? "E\t" : "edge ");
		sb_name(out, it->tail, 0);
		sb_puts(out, tabs ? "\t" : directed ? " -> " : " -- ");
		sb_name(out, it->head, 0);
		if (tabs) {
			sb_putc(out, '\t');
			if (it->key != NULL)
				sb_escaped(out, it->key, 0);
		} else if (it->key != NULL) {
			sb_puts(out, " key ");
			sb_name(out, it->key, 0);
		}
		if (!tabs)
			sb_putc(out, '\n');
		sb_puts(out, it->text);
		if (tabs)
			sb_putc(out, '\n');
		free(it->text);
	}
	free(items);
}

static void
put_graph(struct sbuf *out, Agraph_t *g)
{
	const char *name = agnameof(g);
	Agnode_t **nodes;
	size_t n;

	sb_puts(out, tabs ? "G\t" : "graph ");
	if (is_anonymous(name))
		sb_puts(out, ANONYMOUS);
	else
		sb_name(out, name, 0);
	sb_puts(out, agisdirected(g) ? (tabs ? "\tdirected" : " directed")
	    : (tabs ? "\tundirected" : " undirected"));
	if (tabs)
		sb_puts(out, agisstrict(g) ? "\tstrict" : "\tnonstrict");
	else if (agisstrict(g))
		sb_puts(out, " strict");
	if (!tabs)
		sb_putc(out, '\n');
	put_attrs(out, g, NULL, 0);
	if (tabs)
		sb_putc(out, '\n');

	put_subgraphs(out, g, "");

	nodes = sorted_nodes(g, &n);
	for (size_t i = 0; i < n; i++) {
		sb_puts(out, tabs ? "N\t" : "node ");
		sb_name(out, agnameof(nodes[i]), 0);
		if (!tabs)
			sb_putc(out, '\n');
		put_attrs(out, nodes[i], NULL, 0);
		if (tabs)
			sb_putc(out, '\n');
	}
	free(nodes);

	put_edges(out, g);
}

/*
 * cgraph reports errors through a callback, in pieces ("Error", ": ",
 * "file: syntax error in line 3 near 'x'\n").  Collect a line, then say
 * it once in our voice: dotcanon: file:3: syntax error near 'x'.
 */
static void
flush_errline(void)
{
	const char *m, *at;
	size_t n = strlen(input_name);
	long line = 0;
	int warning = 0;

	if (errline.len == 0)
		return;
	m = errline.s;
	if (strncmp(m, "Error: ", 7) == 0) {
		m += 7;
	} else if (strncmp(m, "Warning: ", 9) == 0) {
		m += 9;
		warning = 1;
	}
	if (strncmp(m, input_name, n) == 0 && m[n] == ':')
		m += n + 1 + (m[n + 1] == ' ');
	fprintf(stderr, "%s: %s", progname, input_name);
	if ((at = strstr(m, " in line ")) != NULL &&
	    sscanf(at, " in line %ld", &line) == 1 && line > 0) {
		at += strlen(" in line ");
		while (*at >= '0' && *at <= '9')
			at++;
		fprintf(stderr, ":%ld: %s%.*s%s\n", line, warning ? "warning: " : "",
		    (int)(strstr(m, " in line ") - m), m, at);
	} else {
		fprintf(stderr, ": %s%s\n", warning ? "warning: " : "", m);
	}
	errline.len = 0;
	errline.s[0] = '\0';
}

static int
on_cgraph_error(char *msg)
{
	for (; *msg != '\0'; msg++) {
		if (*msg == '\n')
			flush_errline();
		else
			sb_putc(&errline, *msg);
	}
	return 0;
}

/* Prints every graph of one input; returns 0, or 2 on trouble. */
static int
canon_input(char *path)
{
	struct sbuf out = { NULL, 0, 0 };
	FILE *f = stdin;
	Agraph_t *g;
	int rc = 0;

	input_name = stdin_name;
	if (path != NULL && strcmp(path, "-") != 0) {
		input_name = path;
		if ((f = fopen(path, "r")) == NULL) {
			fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
			return 2;
		}
	}
	agsetfile(input_name);
	agreseterrors();
	while ((g = agread(f, NULL)) != NULL) {
		if (agerrors() > 0) {
			agclose(g);
			break;
		}
		put_graph(&out, g);
		agclose(g);
		if (out.len > 0 && fwrite(out.s, 1, out.len, stdout) != out.len)
			break;
		out.len = 0;
	}
	flush_errline();
	if (agerrors() > 0)
		rc = 2;
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", progname, input_name);
		rc = 2;
	}
	if (f != stdin)
		fclose(f);
	else
		clearerr(stdin);
	free(out.s);
	return rc;
}

static void
add_names(struct names *l, const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		char *name;

		if (len > 0) {
			if (l->n == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 8;
				l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
			}
			name = xmalloc(len + 1);
			memcpy(name, p, len);
			name[len] = '\0';
			l->v[l->n++] = name;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
}

static void
free_names(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-t] [-k attr,...] [-x attr,...] [file ...]\n", progname);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keep", required_argument, NULL, 'k' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "tabs", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc = 0;

	argv[0] = progname;	/* getopt's messages speak with our name */
	while ((c = getopt_long(argc, argv, "hk:tx:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			add_names(&keep, optarg);
			break;
		case 'x':
			add_names(&drop, optarg);
			break;
		case 't':
			tabs = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("dotcanon (gomemviz) %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	agseterrf(on_cgraph_error);
	if (optind == argc) {
		rc = canon_input(NULL);
	} else {
		for (int i = optind; i < argc; i++)
			if (canon_input(argv[i]) != 0)
				rc = 2;
	}
	free_names(&keep);
	free_names(&drop);
	free(errline.s);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "%s: write error: %s\n", progname, strerror(errno));
		rc = 2;
	}
	return rc;
}
