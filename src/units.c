/*
 * units: pprof's unit tables, its formatting rules and their inverse.
 * See units.h.
 */
#include "units.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct unit_type {
	struct unit def;
	struct unit units[10];
	size_t n;
};

static const struct unit_type unit_types[] = {
	{ { "B", { "b", "byte" }, 1 }, {
		{ "B", { "b", "byte" }, 1 },
		{ "kB", { "kb", "kbyte", "kilobyte" }, 1024.0 },
		{ "MB", { "mb", "mbyte", "megabyte" }, 1048576.0 },
		{ "GB", { "gb", "gbyte", "gigabyte" }, 1073741824.0 },
		{ "TB", { "tb", "tbyte", "terabyte" }, 1099511627776.0 },
		{ "PB", { "pb", "pbyte", "petabyte" }, 1125899906842624.0 },
	}, 6 },
	{ { "s", { NULL }, 1e9 }, {
		{ "ns", { "ns", "nanosecond" }, 1 },
		{ "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
		{ "ms", { "ms", "millisecond" }, 1e6 },
		{ "s", { "s", "sec", "second" }, 1e9 },
		{ "hrs", { "hour", "hr" }, 3600e9 },
	}, 5 },
	{ { "GCU", { NULL }, 1 }, {
		{ "n*GCU", { "nanogcu" }, 1e-9 },
		{ "u*GCU", { "microgcu" }, 1e-6 },
		{ "m*GCU", { "milligcu" }, 1e-3 },
		{ "GCU", { "gcu" }, 1 },
		{ "k*GCU", { "kilogcu" }, 1e3 },
		{ "M*GCU", { "megagcu" }, 1e6 },
		{ "G*GCU", { "gigagcu" }, 1e9 },
		{ "T*GCU", { "teragcu" }, 1e12 },
		{ "P*GCU", { "petagcu" }, 1e15 },
	}, 9 },
};

/* pprof's sniffUnit: lower-case, drop one trailing "s" past 2 chars. */
static const struct unit *
sniff(const struct unit_type *ut, const char *name)
{
	char buf[64];
	size_t len = strlen(name), i, j;

	if (len >= sizeof buf)
		return NULL;
	for (i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[len] = '\0';
	if (len > 2 && buf[len - 1] == 's')
		buf[len - 1] = '\0';
	for (i = 0; i < ut->n; i++)
		for (j = 0; j < 4 && ut->units[i].aliases[j] != NULL; j++)
			if (strcmp(ut->units[i].aliases[j], buf) == 0)
				return &ut->units[i];
	return NULL;
}

static bool
convert(const struct unit_type *ut, int64_t value, const char *from,
    const char *to, double *out, const char **out_unit)
{
	const struct unit *fu = sniff(ut, from), *tu;
	double v, f = 0;
	const char *un = NULL;
	size_t i;

	if (fu == NULL)
		return false;
	v = (double)value * fu->factor;
	if (strcmp(to, "minimum") == 0 || strcmp(to, "auto") == 0) {
		for (i = 0; i < ut->n; i++)
			if (ut->units[i].factor >= f &&
			    v / ut->units[i].factor >= 1.0) {
				f = ut->units[i].factor;
				un = ut->units[i].name;
			}
		if (f == 0) {
			*out = v / ut->def.factor;
			*out_unit = ut->def.name;
		} else {
			*out = v / f;
			*out_unit = un;
		}
		return true;
	}
	if ((tu = sniff(ut, to)) == NULL) {
		*out = v / ut->def.factor;
		*out_unit = ut->def.name;
		return true;
	}
	*out = v / tu->factor;
	*out_unit = tu->name;
	return true;
}

double
units_scale(int64_t value, const char *from, const char *to,
    const char **out_unit)
{
	double v;
	size_t i;

	if (value < 0 && value != INT64_MIN)
		return -units_scale(-value, from, to, out_unit);
	for (i = 0; i < sizeof unit_types / sizeof *unit_types; i++)
		if (convert(&unit_types[i], value, from, to, &v, out_unit))
			return v;
	if (strcmp(to, "count") == 0 || strcmp(to, "sample") == 0 ||
	    strcmp(to, "unit") == 0 || strcmp(to, "minimum") == 0 ||
	    strcmp(to, "auto") == 0)
		*out_unit = "";
	else
		*out_unit = to;
	return (double)value;
}

void
units_scaled_label(char *buf, size_t n, int64_t value, const char *from,
    const char *to)
{
	const char *u;
	double v = units_scale(value, from, to, &u);
	size_t len;

	snprintf(buf, n, "%.2f", v);
	len = strlen(buf);
	if (len >= 3 && strcmp(buf + len - 3, ".00") == 0)
		buf[len - 3] = '\0';
	if (strcmp(buf, "0") == 0 || strcmp(buf, "-0") == 0) {
		snprintf(buf, n, "0");
		return;
	}
	len = strlen(buf);
	snprintf(buf + len, n - len, "%s", u);
}

void
units_label(char *buf, size_t n, int64_t value, const char *unit)
{
	units_scaled_label(buf, n, value, unit, "auto");
}

void
units_percentage(char *buf, size_t n, int64_t value, int64_t total)
{
	double ratio = 0;

	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(buf, n, "100%%");
	else if (ratio >= 1.0)
		snprintf(buf, n, "%.2f%%", ratio);
	else
		snprintf(buf, n, "%.2g%%", ratio);
}

/* ---------------------------------------------------------------- */
/* Parsing what pprof printed. */

/* The families a printed unit can belong to, in unit_types order. */
static const enum units_kind type_kinds[] = { UNITS_BYTES, UNITS_TIME };

/*
 * The canonical unit name at s[0..n) (ScaledLabel only ever prints
 * those), its family and its factor; false for anything else, GCU
 * units included: their values have no integer base unit to go back
 * to.
 */
static bool
find_unit(const char *s, size_t n, enum units_kind *kind, int64_t *factor,
    const char **name)
{
	size_t t, i;

	for (t = 0; t < sizeof type_kinds / sizeof *type_kinds; t++)
		for (i = 0; i < unit_types[t].n; i++) {
			const struct unit *u = &unit_types[t].units[i];

			if (strlen(u->name) == n && memcmp(u->name, s, n) == 0) {
				*kind = type_kinds[t];
				*factor = (int64_t)u->factor;
				*name = u->name;
				return true;
			}
		}
	return false;
}

int
units_parse_value(const char *s, size_t n, struct units_value *out)
{
	struct units_value v;
	bool neg = false;
	size_t i = 0, start;
	int64_t ip = 0, frac = 0, whole, rest;

	if (n == 1 && s[0] == '0') {
		v.value = 0;
		v.kind = UNITS_ZERO;
		v.factor = 1;
		v.unit = "";
		*out = v;
		return 0;
	}
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	start = i;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (__builtin_mul_overflow(ip, 10, &ip) ||
		    __builtin_add_overflow(ip, s[i] - '0', &ip))
			return -1;
	/* Digits, and no leading zero but the one before a point. */
	if (i == start || (s[start] == '0' && i - start > 1))
		return -1;
	if (i < n && s[i] == '.') {
		if (n - i < 3 || s[i + 1] < '0' || s[i + 1] > '9' ||
		    s[i + 2] < '0' || s[i + 2] > '9')
			return -1;
		frac = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
		/* pprof drops ".00". */
		if (frac == 0)
			return -1;
		i += 3;
	} else if (ip == 0) {
		/* "0" with a sign or a unit: never printed. */
		return -1;
	}
	v.unit = "";
	v.kind = UNITS_COUNT;
	v.factor = 1;
	if (i < n && !find_unit(s + i, n - i, &v.kind, &v.factor, &v.unit))
		return -1;
	/*
	 * (ip + frac/100) * factor, exactly: factors are integers, and
	 * frac * factor stays below 100 * 2^50.
	 */
	rest = frac * v.factor;
	if (__builtin_mul_overflow(ip, v.factor, &whole) ||
	    __builtin_add_overflow(whole, rest / 100 + (rest % 100 >= 50),
	    &whole))
		return -1;
	v.value = neg ? -whole : whole;
	*out = v;
	return 0;
}

const char *
units_kind_name(enum units_kind k)
{
	switch (k) {
	case UNITS_COUNT:
		return "count";
	case UNITS_BYTES:
		return "bytes";
	case UNITS_TIME:
		return "nanoseconds";
	case UNITS_ZERO:
		break;
	}
	return NULL;
}
