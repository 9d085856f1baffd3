/* Helpers shared by the unit tests. */
#ifndef PNYX_TEST_SUPPORT_H
#define PNYX_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* Creates a fresh empty directory for one test and returns its path
 * (static storage, valid until the next call). Aborts on failure. */
const char *test_tmpdir(const char *name);

/* Reads a whole file into a malloc'd NUL-terminated buffer; aborts on
 * failure. *n receives the length (may be NULL). */
uint8_t *test_read_file(const char *path, size_t *n);

/* Path of a file under the source tree (static storage, valid until the
 * next call). */
const char *test_source_path(const char *rel);

#endif
