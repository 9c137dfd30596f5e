/*
 * units: numbers as go tool pprof prints them.
 *
 * Values keep their profile unit (bytes, nanoseconds, count) in the
 * DOT data attributes; only labels are scaled, and they are scaled
 * exactly as pprof's measurement package does (1.50kB, 2.10s, 0.016%),
 * so a reader moving between the two tools sees the same figures.
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

#endif
