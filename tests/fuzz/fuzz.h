/*
 * What the fuzz harnesses share: the libFuzzer entry point they define,
 * a file holding the fuzzer's bytes (the tools read paths, and this
 * way every byte goes through the same input code as a real run), and
 * a cheap hash of the bytes that picks the options of a run, so that a
 * corpus file always replays with the options it was found with.
 */
#ifndef GMV_FUZZ_H
#define GMV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A path ("/proc/self/fd/N") whose file holds exactly data[0..size);
 * the same file is rewritten on every call.  NULL when the file cannot
 * be made (the harness then skips the input).
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/*
 * Graphs the harness wrote out (inputs that went all the way through),
 * counted so that a replay can show the corpus reaches past the parser.
 */
extern unsigned long fuzz_graphs;

/* FNV-1a of the bytes: the options' dice. */
uint32_t fuzz_hash(const uint8_t *data, size_t size);

#endif
