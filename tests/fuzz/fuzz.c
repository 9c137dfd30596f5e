/*
 * fuzz: the harnesses' shared helpers.  See fuzz.h.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

unsigned long fuzz_graphs;

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t off = 0;
	ssize_t w;

	if (fd < 0) {
		if ((fd = memfd_create("gmv-fuzz", MFD_CLOEXEC)) < 0)
			return NULL;
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0)
		return NULL;
	while (off < size) {
		if ((w = pwrite(fd, data + off, size - off, (off_t)off)) <= 0)
			return NULL;
		off += (size_t)w;
	}
	return path;
}

uint32_t
fuzz_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}
