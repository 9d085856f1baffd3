/* Helpers shared by the unit tests. */
#include "support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
	fprintf(stderr, "test support: %s %s: %s\n", what, path,
		strerror(errno));
	abort();
}

const char *test_tmpdir(const char *name)
{
	static char path[4096];
	const char *base = getenv("PNYX_BUILD_ROOT");
	snprintf(path, sizeof path, "%s/test-tmp/%s.%ld", base ? base : "/tmp",
		 name, (long)getpid());
	char cmd[8300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", path, path);
	if (system(cmd) != 0)
		die("cannot make", path);
	return path;
}

uint8_t *test_read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		die("cannot open", path);
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		if (got == 0)
			break;
		len += got;
	}
	fclose(f);
	buf[len] = 0;
	if (n != NULL)
		*n = len;
	return buf;
}

const char *test_source_path(const char *rel)
{
	static char path[4096];
	const char *root = getenv("PNYX_SOURCE_ROOT");
	snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
	return path;
}
