/*
 * classes: class rules on function names.  See classes.h.
 */
#include "config.h"

#include "classes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dotio.h"
#include "rx.h"

#ifndef GMV_PKGDATADIR
#define GMV_PKGDATADIR ""
#endif

#define CLASS_NAME_MAX 32
#define RULES_FILE_MAX (1 << 20)

/* Keep in step with data/classes.rules (tests/graphstyle.sh checks). */
const char classes_builtin[] =
	"map\t^runtime\\.mapassign\n"
	"map\t^runtime\\.hashGrow$\n"
	"map\t^runtime\\.makeBucketArray$\n"
	"map\t^runtime\\.makemap\n"
	"map\t^internal/runtime/maps\\.\n"
	"slice\t^runtime\\.makeslice\n"
	"slice\t^runtime\\.growslice$\n"
	"slice\t^bytes\\.growSlice$\n"
	"slice\t^bytes\\.\\(\\*Buffer\\)\\.grow$\n"
	"slice\t^strings\\.\\(\\*Builder\\)\\.grow\n"
	"reflect\t^reflect\\.\n"
	"pool\t^sync\\.\\(\\*Pool\\)\n"
	"string\t^runtime\\.concatstring\n"
	"string\t^runtime\\.slicebytetostring$\n"
	"string\t^fmt\\.Sprint\n"
	"stack\t^runtime\\.malg$\n"
	"stack\t^runtime\\.newproc\n";

/* The badges: a shape per class (graphstyle(1), doc/dot-schema.md). */
static const char *const shapes[][2] = {
	{ "map", "folder" },
	{ "slice", "tab" },
	{ "reflect", "component" },
	{ "pool", "cylinder" },
	{ "string", "note" },
	{ "stack", "octagon" },
};

struct rule {
	char cls[CLASS_NAME_MAX + 1];
	struct rx *rx;
};

struct classes {
	struct rule *rules;
	size_t n;
};

void
classes_free(struct classes *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		rx_free(c->rules[i].rx);
	free(c->rules);
	free(c);
}

static bool
blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

static bool
name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* One rule line s[0..n) (not blank, not a comment); 0 or -1. */
static int
parse_rule(struct classes *c, const char *s, size_t n, const char *name,
    size_t lineno, struct diag *d)
{
	struct diag rd = { false, "" };
	struct rule *r;
	char *pat;
	size_t k = 0;

	while (k < n && name_char(s[k]))
		k++;
	if (k == 0 || k > CLASS_NAME_MAX || (k < n && !blank(s[k]))) {
		diag_set(d, "%s:%zu: not a class name (letters, digits, _ "
		    "and -, at most %d)", name, lineno, CLASS_NAME_MAX);
		return -1;
	}
	while (n > k && blank(s[n - 1]))
		n--;
	if (k == n) {
		diag_set(d, "%s:%zu: class %.*s has no pattern", name, lineno,
		    (int)k, s);
		return -1;
	}
	r = realloc(c->rules, (c->n + 1) * sizeof *c->rules);
	if (r == NULL) {
		diag_nomem(d);
		return -1;
	}
	c->rules = r;
	r = &c->rules[c->n];
	memcpy(r->cls, s, k);
	r->cls[k] = '\0';
	while (blank(s[k]))
		k++;
	if ((pat = strndup(s + k, n - k)) == NULL) {
		diag_nomem(d);
		return -1;
	}
	r->rx = rx_new(pat, RX_DOLLAR_ENDONLY, &rd);
	free(pat);
	if (r->rx == NULL) {
		diag_set(d, "%s:%zu: %s", name, lineno, rd.msg);
		return -1;
	}
	c->n++;
	return 0;
}

struct classes *
classes_parse(const char *text, const char *name, struct diag *d)
{
	struct classes *c = calloc(1, sizeof *c);
	size_t lineno = 0;

	if (c == NULL) {
		diag_nomem(d);
		return NULL;
	}
	while (*text != '\0') {
		size_t n = strcspn(text, "\n"), i = 0;

		lineno++;
		while (i < n && blank(text[i]))
			i++;
		if (i < n && text[i] != '#' &&
		    parse_rule(c, text + i, n - i, name, lineno, d) != 0) {
			classes_free(c);
			return NULL;
		}
		text += n + (text[n] == '\n');
	}
	return c;
}

struct classes *
classes_load(const char *path, struct diag *d)
{
	struct classes *c = NULL;
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "r")) == NULL) {
		diag_set(d, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(RULES_FILE_MAX + 1)) == NULL) {
		fclose(f);
		diag_nomem(d);
		return NULL;
	}
	n = fread(buf, 1, RULES_FILE_MAX + 1, f);
	if (ferror(f))
		diag_set(d, "%s: %s", path, strerror(errno));
	else if (n > RULES_FILE_MAX)
		diag_set(d, "%s: longer than %d bytes", path, RULES_FILE_MAX);
	else if (memchr(buf, '\0', n) != NULL)
		diag_set(d, "%s: a NUL byte: not a rules file", path);
	else {
		buf[n] = '\0';
		c = classes_parse(buf, path, d);
	}
	fclose(f);
	free(buf);
	return c;
}

struct classes *
classes_default(struct diag *d)
{
	char path[4096];
	FILE *f;

	if (*GMV_PKGDATADIR != '\0') {
		snprintf(path, sizeof path, "%s/classes.rules",
		    GMV_PKGDATADIR);
		if ((f = fopen(path, "r")) != NULL) {
			fclose(f);
			return classes_load(path, d);
		}
	}
	return classes_parse(classes_builtin, "<built-in rules>", d);
}

long
classes_apply(const struct classes *c, Agraph_t *g, struct diag *d)
{
	struct dotio_buf b = { NULL, 0, 0 };
	Agsym_t *cum = dotio_sym(g, AGNODE, "cum", false);
	Agsym_t *func = dotio_sym(g, AGNODE, "func", false);
	Agsym_t *cls;
	Agnode_t *n;
	long count = 0;
	size_t i;

	if (cum == NULL)
		return 0;
	if ((cls = dotio_sym(g, AGNODE, "class", true)) == NULL)
		goto nomem;
	for (n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
		const char *v = dotio_xget(n, func), *hit = "";
		int r;

		if (dotio_xget(n, cum) == NULL)
			continue;
		dotio_buf_reset(&b);
		if (dotio_decode(&b, v != NULL ? v : agnameof(n)) != 0 ||
		    dotio_buf_add(&b, "", 0) != 0)
			goto nomem;
		for (i = 0; i < c->n; i++) {
			if ((r = rx_match(c->rules[i].rx, b.s != NULL ? b.s :
			    "", b.len, NULL, 0, d)) < 0) {
				dotio_buf_free(&b);
				return -1;
			}
			if (r > 0) {
				hit = c->rules[i].cls;
				count++;
				break;
			}
		}
		if (dotio_xset(n, cls, hit) != 0)
			goto nomem;
	}
	dotio_buf_free(&b);
	return count;
nomem:
	dotio_buf_free(&b);
	diag_nomem(d);
	return -1;
}

const char *
classes_shape(const char *cls)
{
	size_t i;

	for (i = 0; i < sizeof shapes / sizeof *shapes; i++)
		if (strcmp(cls, shapes[i][0]) == 0)
			return shapes[i][1];
	return "box";
}
