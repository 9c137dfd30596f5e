/*
 * units: numbers as go tool pprof prints them.
 *
 * Values keep their profile unit (bytes, nanoseconds, count) in the
 * DOT data attributes; only labels are scaled, and they are scaled
 * exactly as pprof's measurement package does (1.50kB, 2.10s, 0.016%),
 * so a reader moving between the two tools sees the same figures.
 * Graphs go tool pprof wrote itself are read back with the inverse,
 * units_parse_value.
 */
#ifndef GMV_UNITS_H
#define GMV_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Scale value from unit from to unit to ("minimum"/"auto" pick the
 * largest unit that keeps the value >= 1).  *out_unit is the canonical
 * name of the unit chosen ("kB", "ms"), "" for plain counts, or to
 * itself when the units are unknown.
 */
double units_scale(int64_t value, const char *from, const char *to,
    const char **out_unit);

/* "%.2f" of the scaled value, ".00" dropped, unit appended; "0" for 0. */
void units_scaled_label(char *buf, size_t n, int64_t value, const char *from,
    const char *to);

/* The same with to = "auto". */
void units_label(char *buf, size_t n, int64_t value, const char *unit);

/* |value|/total as pprof prints it ("100%", "12.34%", "0.016%"). */
void units_percentage(char *buf, size_t n, int64_t value, int64_t total);

/*
 * The parsing side, for graphs go tool pprof wrote: what a printed
 * value is made of.  pprof scales every value of a graph to one unit
 * and prints it with "%.2f", ".00" dropped, so a figure is exact to
 * within half a unit of its last digit.
 */
enum units_kind {
	UNITS_ZERO,		/* "0": zero, or too small to show, any unit */
	UNITS_COUNT,		/* no unit: counts (pprof does not scale them) */
	UNITS_BYTES,		/* B, kB, MB, GB, TB, PB (powers of 1024) */
	UNITS_TIME,		/* ns, us, ms, s, hrs */
};

struct units_value {
	int64_t value;		/* in bytes, nanoseconds or counts */
	enum units_kind kind;
	int64_t factor;		/* base units in one printed unit: 1024 for kB */
	const char *unit;	/* as printed: "kB", "" for counts and "0" */
};

/*
 * Parse s[0..n), one value exactly as measurement.ScaledLabel prints
 * it: an optional '-', an integer part without leading zeros, '.' and
 * two digits unless they were ".00", then one of pprof's canonical unit
 * names or none; zero is "0" alone.  out->value is the figure times the
 * unit's factor, rounded half away from zero: within factor/200 + 1/2
 * of the value pprof formatted.  Returns 0, or -1 (out untouched) when
 * s is not such a value, names a unit pprof would not print for bytes
 * or time (GCU units, an unknown profile unit, "1.5kB", "0B"), or the
 * value does not fit in 64 bits.
 */
int units_parse_value(const char *s, size_t n, struct units_value *out);

/*
 * The unit name a kind's values are counted in, as profiles (and the
 * DOT schema's unit attribute) spell it: "count", "bytes",
 * "nanoseconds"; NULL for UNITS_ZERO.
 */
const char *units_kind_name(enum units_kind k);

#endif
