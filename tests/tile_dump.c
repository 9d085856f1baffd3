/*
 * tile_dump: the pnyx side of the tile interop test with Go's
 * golang.org/x/mod/sumdb/tlog (tests/interop_tile.sh).
 *
 *   tile_dump log DIR SIZE...   builds a log in DIR/log.db, growing it to
 *                               each SIZE in turn (increasing); at each it
 *                               signs a checkpoint (DIR/checkpoint.SIZE) and
 *                               writes every tile and entry bundle the tree
 *                               has at that size under DIR/tile/ as a static
 *                               server would (full tiles once; the partial
 *                               tiles of every size are kept). DIR/vkey is
 *                               the log's verifier key.
 *   tile_dump paths OUT         writes tile paths for Go to check:
 *                                 ok <L> <N> <W> <path>
 *                               for pseudo-random tiles (L is -1 for entry
 *                               bundles, W 256 for full tiles), and
 *                                 mut <V> <L> <N> <W> <path>
 *                               for every one-byte mutation (deletion,
 *                               replacement, insertion) of some of them,
 *                               V 1 if pnyx_tile_path_parse accepts it (then
 *                               L N W are what it parsed) and 0 if not.
 *   tile_dump parse FILE        reads "<L> <N> <W> <path>" lines (Go's
 *                               tiles, paths mapped to C2SP) and checks that
 *                               pnyx parses each path to that tile and
 *                               formats the tile to that path.
 *
 * Entry i is 1 to 64 pseudo-random bytes from splitmix64 seeded with i.
 * Exit 0 on success, 1 with a message on stderr otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pnyx/log.h"
#include "pnyx/text.h"
#include "pnyx/tile.h"

#define ORIGIN "example.org/pnyx-tile-interop"
#define MAX_SIZE 1000000

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int die(const char *what, const char *detail)
{
	fprintf(stderr, "tile_dump: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	return 1;
}

/* Creates the directories above a file path (like mkdir -p dirname). */
static int make_parents(const char *path)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return -1;
	for (char *s = strchr(tmp + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	if (make_parents(path) != 0)
		return -1;
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	size_t put = fwrite(p, 1, n, f);
	return (fclose(f) == 0 && put == n) ? 0 : -1;
}

/* Appends entries up to size, in batches of at most BATCH. */
static int grow(pnyx_log *log, uint64_t size)
{
	enum { BATCH = 1024 };
	static uint8_t bytes[BATCH][64];
	pnyx_entry e[BATCH];
	while (pnyx_log_size(log) < size) {
		uint64_t base = pnyx_log_size(log);
		size_t n = size - base < BATCH ? (size_t)(size - base) : BATCH;
		for (size_t i = 0; i < n; i++) {
			uint64_t state = base + i;
			e[i].n = 1 + (size_t)(splitmix64(&state) % 64);
			for (size_t k = 0; k < e[i].n; k++)
				bytes[i][k] = (uint8_t)splitmix64(&state);
			e[i].p = bytes[i];
		}
		if (pnyx_log_append(log, e, n, NULL, NULL) != PNYX_OK)
			return -1;
	}
	return 0;
}

/* Writes one tile or bundle unless it is a full one already written. */
static int write_tile(pnyx_log *log, const char *dir, const pnyx_tile *t)
{
	char rel[PNYX_TILE_PATH_MAX], path[4200];
	pnyx_tile_path_format(t, rel);
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	struct stat st;
	if (t->width == PNYX_TILE_WIDTH && stat(path, &st) == 0)
		return 0;
	pnyx_buf b;
	pnyx_buf_init(&b, 256 * 65537);
	int rc = -1;
	if (pnyx_log_tile_resource(log, t, &b) == PNYX_OK && b.len > 0)
		rc = write_file(path, b.data, b.len);
	pnyx_buf_clear(&b);
	return rc;
}

static int write_tiles(pnyx_log *log, const char *dir)
{
	uint64_t size = pnyx_log_size(log);
	for (unsigned l = 0; l < pnyx_tile_levels(size); l++) {
		for (uint64_t n = 0; n < pnyx_tile_count(size, l); n++) {
			pnyx_tile t = {PNYX_TILE_HASHES, l, n,
				       pnyx_tile_width(size, l, n)};
			if (write_tile(log, dir, &t) != 0)
				return -1;
			t.kind = PNYX_TILE_ENTRIES;
			if (l == 0 && write_tile(log, dir, &t) != 0)
				return -1;
		}
	}
	return 0;
}

static int write_checkpoint(pnyx_log *log, const pnyx_signer *signer,
			    const char *dir)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 16);
	char path[4200];
	snprintf(path, sizeof path, "%s/checkpoint.%" PRIu64, dir,
		 pnyx_log_size(log));
	int rc = -1;
	if (pnyx_log_checkpoint(log, signer, &b, NULL) == PNYX_OK)
		rc = write_file(path, b.data, b.len);
	pnyx_buf_clear(&b);
	return rc;
}

static int write_vkey(const pnyx_signer *signer, const char *dir)
{
	pnyx_verifier v;
	pnyx_signer_verifier(signer, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	char path[4200];
	snprintf(path, sizeof path, "%s/vkey", dir);
	int rc = -1;
	if (pnyx_verifier_encode(&v, &b) == PNYX_OK)
		rc = write_file(path, b.data, b.len);
	pnyx_buf_clear(&b);
	return rc;
}

static pnyx_log *create_log(const char *dir, const pnyx_signer *signer)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/log.db", dir);
	pnyx_verifier v;
	pnyx_signer_verifier(signer, &v);
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	if (pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &s, &diag) !=
		    PNYX_OK ||
	    pnyx_log_create(s, &v, &log, &diag) != PNYX_OK) {
		die("cannot create the log", diag.msg);
		return NULL;
	}
	return log;
}

static int cmd_log(const char *dir, int argc, char **argv)
{
	pnyx_signer signer;
	if (pnyx_signer_generate(ORIGIN, &signer) != PNYX_OK)
		return die("cannot make a key", NULL);
	pnyx_log *log = create_log(dir, &signer);
	int rc = log == NULL || write_vkey(&signer, dir) != 0;
	for (int i = 0; i < argc && rc == 0; i++) {
		uint64_t size;
		if (pnyx_parse_u64((const uint8_t *)argv[i], strlen(argv[i]),
				   &size) != PNYX_OK ||
		    size > MAX_SIZE || size < pnyx_log_size(log))
			rc = die("bad size", argv[i]);
		else if (grow(log, size) != 0 || write_tiles(log, dir) != 0 ||
			 write_checkpoint(log, &signer, dir) != 0)
			rc = die("cannot write the tiles of size", argv[i]);
	}
	pnyx_log_close(log);
	pnyx_signer_clear(&signer);
	return rc;
}

static void print_tile(FILE *f, const pnyx_tile *t)
{
	fprintf(f, "%d %" PRIu64 " %u", t->kind == PNYX_TILE_ENTRIES
						? -1 : (int)t->level,
		t->index, t->width);
}

static void print_mutant(FILE *f, const char *m, size_t k)
{
	pnyx_tile t = {PNYX_TILE_HASHES, 0, 0, 0};
	bool ok = pnyx_tile_path_parse((const uint8_t *)m, k, &t) == PNYX_OK;
	fprintf(f, "mut %d ", ok);
	print_tile(f, &t);
	fprintf(f, " %.*s\n", (int)k, m);
}

/* The one-byte mutations of path (each byte deleted, each byte replaced by
 * and each position given one of a few bytes), each with pnyx's verdict. */
static void print_mutants(FILE *f, const char *path)
{
	static const char alphabet[] = "09x/.pe-";
	size_t n = strlen(path);
	char m[PNYX_TILE_PATH_MAX + 2];
	for (size_t i = 0; i <= n; i++) {
		memcpy(m, path, i);
		if (i < n) {
			memcpy(m + i, path + i + 1, n - i - 1);
			print_mutant(f, m, n - 1);
		}
		for (size_t a = 0; a < sizeof alphabet - 1; a++) {
			m[i] = alphabet[a];
			if (i < n) {
				memcpy(m + i + 1, path + i + 1, n - i - 1);
				print_mutant(f, m, n);
			}
			memcpy(m + i + 1, path + i, n - i);
			print_mutant(f, m, n + 1);
		}
	}
}

static int cmd_paths(const char *out)
{
	FILE *f = fopen(out, "w");
	if (f == NULL)
		return die("cannot write", out);
	uint64_t seed = 2024;
	for (unsigned i = 0; i < 600; i++) {
		uint64_t r = splitmix64(&seed);
		pnyx_tile t = {
			.kind = (r & 3) == 0 ? PNYX_TILE_ENTRIES
					     : PNYX_TILE_HASHES,
			.level = (r & 3) == 0 ? 0 : (unsigned)(r >> 2) % 64,
			/* within Go's int64, and its mutants too */
			.index = (splitmix64(&seed) >> 14) >> (r >> 8) % 50,
			.width = (r >> 16) % 3 == 0 ? 256
						    : (unsigned)(r >> 20) % 255 + 1,
		};
		char path[PNYX_TILE_PATH_MAX];
		pnyx_tile_path_format(&t, path);
		fprintf(f, "ok ");
		print_tile(f, &t);
		fprintf(f, " %s\n", path);
		if (i % 12 == 0)
			print_mutants(f, path);
	}
	return fclose(f) == 0 ? 0 : die("cannot write", out);
}

static int check_line(char *line)
{
	long long l;
	unsigned long long n;
	unsigned w;
	char path[256];
	if (sscanf(line, "%lld %llu %u %255s", &l, &n, &w, path) != 4)
		return die("bad line", line);
	pnyx_tile t;
	if (pnyx_tile_path_parse((const uint8_t *)path, strlen(path), &t) !=
	    PNYX_OK)
		return die("pnyx refuses Go's path", path);
	int got_l = t.kind == PNYX_TILE_ENTRIES ? -1 : (int)t.level;
	if (got_l != l || t.index != n || t.width != w)
		return die("pnyx parses Go's path to another tile", path);
	char back[PNYX_TILE_PATH_MAX];
	pnyx_tile_path_format(&t, back);
	if (strcmp(back, path) != 0)
		return die("pnyx formats Go's tile differently", path);
	return 0;
}

static int cmd_parse(const char *file)
{
	FILE *f = fopen(file, "r");
	if (f == NULL)
		return die("cannot read", file);
	char line[512];
	unsigned count = 0;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
		rc = check_line(line);
		count++;
	}
	fclose(f);
	if (rc == 0 && count == 0)
		rc = die("no paths in", file);
	if (rc == 0)
		printf("pnyx parsed %u paths of Go's\n", count);
	return rc;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		return die("cannot initialise", NULL);
	if (argc >= 4 && strcmp(argv[1], "log") == 0)
		return cmd_log(argv[2], argc - 3, argv + 3);
	if (argc == 3 && strcmp(argv[1], "paths") == 0)
		return cmd_paths(argv[2]);
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return cmd_parse(argv[2]);
	fprintf(stderr, "usage: tile_dump log DIR SIZE... | paths OUT | "
			"parse FILE\n");
	return 2;
}
