/*
 * A witness's durable state: one file per log, replaced by write-temp,
 * fsync, rename, fsync of the directory (pnyx/witness_store.h). Every file
 * operation is relative to the directory's descriptor, opened once.
 */
#include "pnyx/witness_store.h"

#include "pnyx/checkpoint.h"
#include "pnyx/hash.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STRIPES 16          /* mutexes, chosen by a byte of the origin's hash */
#define NAME_MAX_LEN 80     /* "log-<32 hex>.checkpoint", "<64 hex>.txt" */
#define FILE_MAX (PNYX_WITNESS_BODY_MAX + 4096u) /* a stored note */
#define EVIDENCE_MAX (2u * FILE_MAX + 512u)

struct pnyx_witness_store {
	int dirfd;
	int lockfd;
	int evfd;   /* DIR/evidence */
	pthread_mutex_t stripes[STRIPES];
	pthread_mutex_t evidence;
};

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = 0;
}

/* The file name of origin's checkpoint (suffix ".checkpoint" or ".tmp")
 * and the stripe that guards it. */
static size_t log_file(const char *origin, const char *suffix,
		       char name[NAME_MAX_LEN])
{
	pnyx_hash h;
	pnyx_sha256(origin, strlen(origin), &h);
	char hx[33];
	hex(h.b, 16, hx);
	snprintf(name, NAME_MAX_LEN, "log-%s%s", hx, suffix);
	return h.b[0] % STRIPES;
}

static pnyx_err io_error(pnyx_diag *diag, const char *what)
{
	return pnyx_diag_set(diag, PNYX_ERR_IO, "%s: %s", what,
			     strerror(errno));
}

/* Opens (creating if needed) dir and takes its lock. */
static pnyx_err open_dir(const char *dir, int *dirfd, int *lockfd,
			 int *evfd, pnyx_diag *diag)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return io_error(diag, "cannot create the state directory");
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return io_error(diag, "cannot open the state directory");
	int l = openat(d, "LOCK", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (l < 0) {
		pnyx_err err = io_error(diag, "cannot open DIR/LOCK");
		close(d);
		return err;
	}
	if (flock(l, LOCK_EX | LOCK_NB) != 0) {
		pnyx_err err = errno == EWOULDBLOCK
				       ? pnyx_diag_set(diag, PNYX_ERR_EXISTS,
						       "another witness is "
						       "using this state "
						       "directory")
				       : io_error(diag, "cannot lock DIR/LOCK");
		close(l);
		close(d);
		return err;
	}
	int e = -1;
	if ((mkdirat(d, "evidence", 0700) != 0 && errno != EEXIST) ||
	    (e = openat(d, "evidence", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		pnyx_err err = io_error(diag, "cannot create DIR/evidence");
		close(l);
		close(d);
		return err;
	}
	*evfd = e;
	*dirfd = d;
	*lockfd = l;
	return PNYX_OK;
}

pnyx_err pnyx_witness_store_open(const char *dir, pnyx_witness_store **out,
				 pnyx_diag *diag)
{
	assert(dir != NULL && out != NULL);
	pnyx_witness_store *s = pnyx_malloc(sizeof *s);
	if (s == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	pnyx_err err = open_dir(dir, &s->dirfd, &s->lockfd, &s->evfd, diag);
	if (err != PNYX_OK) {
		pnyx_free(s);
		return err;
	}
	for (size_t i = 0; i < STRIPES; i++)
		pthread_mutex_init(&s->stripes[i], NULL);
	pthread_mutex_init(&s->evidence, NULL);
	*out = s;
	return PNYX_OK;
}

void pnyx_witness_store_close(pnyx_witness_store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&s->stripes[i]);
	pthread_mutex_destroy(&s->evidence);
	close(s->evfd);
	close(s->lockfd); /* releases the lock */
	close(s->dirfd);
	pnyx_free(s);
}

/* Reads the file name under dirfd into out (at most FILE_MAX bytes).
 * PNYX_ERR_NOT_FOUND if it does not exist. */
static pnyx_err read_file(int dirfd, const char *name, pnyx_buf *out,
			  pnyx_diag *diag)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? PNYX_ERR_NOT_FOUND
				       : io_error(diag, "cannot read a "
						  "checkpoint file");
	uint8_t chunk[4096];
	pnyx_err err = PNYX_OK;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = io_error(diag, "cannot read a checkpoint file");
			break;
		}
		if (got == 0)
			break;
		err = pnyx_buf_append(out, chunk, (size_t)got);
		if (err != PNYX_OK)
			break;
	}
	close(fd);
	return err;
}

/* Parses a stored (or about to be stored) note of origin. */
static pnyx_err parse_note(const char *origin, const uint8_t *p, size_t n,
			   pnyx_witness_latest *out)
{
	size_t text_len = 0;
	pnyx_checkpoint cp;
	if (pnyx_note_text_len(p, n, &text_len) != PNYX_OK ||
	    pnyx_checkpoint_parse(p, text_len, &cp, NULL) != PNYX_OK ||
	    strcmp(cp.origin, origin) != 0)
		return PNYX_ERR_MALFORMED;
	out->present = true;
	out->size = cp.size;
	out->root = cp.root;
	return PNYX_OK;
}

/* load without the stripe's mutex (the caller holds it or needs none). */
static pnyx_err load(pnyx_witness_store *s, const char *origin,
		     pnyx_witness_latest *latest, pnyx_buf *note,
		     pnyx_diag *diag)
{
	char name[NAME_MAX_LEN];
	log_file(origin, ".checkpoint", name);
	pnyx_buf b;
	pnyx_buf_init(&b, FILE_MAX);
	pnyx_err err = read_file(s->dirfd, name, &b, diag);
	pnyx_witness_latest l = {0};
	if (err == PNYX_ERR_NOT_FOUND)
		err = PNYX_OK;
	else if (err == PNYX_OK && parse_note(origin, b.data, b.len, &l) != PNYX_OK)
		err = pnyx_diag_set(diag, PNYX_ERR_CORRUPT, "the state file %s "
				    "does not hold a checkpoint of this log",
				    name);
	if (err == PNYX_OK && note != NULL && l.present)
		err = pnyx_buf_append(note, b.data, b.len);
	if (err == PNYX_OK)
		*latest = l;
	pnyx_buf_clear(&b);
	return err;
}

pnyx_err pnyx_witness_store_load(pnyx_witness_store *s, const char *origin,
				 pnyx_witness_latest *latest, pnyx_buf *note,
				 pnyx_diag *diag)
{
	assert(s != NULL && origin != NULL && latest != NULL);
	/* A rename replaces the file atomically: no lock is needed to read. */
	return load(s, origin, latest, note, diag);
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Replaces dir/name with n bytes: temporary file, fsync, rename, fsync of
 * the directory. On failure the old file is as it was. */
static pnyx_err replace_file(int dirfd, const char *tmp, const char *name,
			     const uint8_t *p, size_t n, pnyx_diag *diag)
{
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0600);
	if (fd < 0)
		return io_error(diag, "cannot write the state");
	bool ok = write_all(fd, p, n) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || renameat(dirfd, tmp, dirfd, name) != 0) {
		pnyx_err err = io_error(diag, "cannot write the state");
		unlinkat(dirfd, tmp, 0);
		return err;
	}
	if (fsync(dirfd) != 0)
		return io_error(diag, "cannot sync the state directory");
	return PNYX_OK;
}

static bool same_latest(const pnyx_witness_latest *a,
			const pnyx_witness_latest *b)
{
	if (a->present != b->present)
		return false;
	return !a->present ||
	       (a->size == b->size && pnyx_hash_eq(&a->root, &b->root));
}

pnyx_err pnyx_witness_store_swap(pnyx_witness_store *s, const char *origin,
				 const pnyx_witness_latest *expected,
				 const uint8_t *note, size_t n,
				 pnyx_diag *diag)
{
	assert(s != NULL && origin != NULL && expected != NULL);
	pnyx_witness_latest next;
	if (n > FILE_MAX || parse_note(origin, note, n, &next) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "not a "
				     "checkpoint note of this log");
	char name[NAME_MAX_LEN], tmp[NAME_MAX_LEN];
	size_t stripe = log_file(origin, ".checkpoint", name);
	log_file(origin, ".tmp", tmp);
	pthread_mutex_lock(&s->stripes[stripe]);
	pnyx_witness_latest held;
	pnyx_err err = load(s, origin, &held, NULL, diag);
	if (err == PNYX_OK && !same_latest(&held, expected))
		err = pnyx_diag_set(diag, PNYX_ERR_MISMATCH, "the held "
				    "checkpoint changed meanwhile");
	if (err == PNYX_OK)
		err = replace_file(s->dirfd, tmp, name, note, n, diag);
	pthread_mutex_unlock(&s->stripes[stripe]);
	return err;
}

/* The evidence file's text. */
static pnyx_err evidence_text(const char *code, uint64_t now,
			      const uint8_t *held, size_t held_len,
			      const uint8_t *sub, size_t sub_len,
			      pnyx_buf *out)
{
	pnyx_buf_printf(out, "pnyx witness evidence: %s\ntime %" PRIu64
			"\n\nheld checkpoint (%zu bytes):\n", code, now,
			held_len);
	pnyx_buf_append(out, held, held_len);
	pnyx_buf_printf(out, "\nsubmitted request (%zu bytes):\n", sub_len);
	return pnyx_buf_append(out, sub, sub_len);
}

pnyx_err pnyx_witness_store_evidence(pnyx_witness_store *s, const char *code,
				     uint64_t now, const uint8_t *held,
				     size_t held_len, const uint8_t *submitted,
				     size_t submitted_len, char name[72],
				     pnyx_diag *diag)
{
	assert(s != NULL && code != NULL && name != NULL);
	pnyx_hash h;
	pnyx_sha256(submitted, submitted_len, &h);
	char hx[65], path[NAME_MAX_LEN], tmp[NAME_MAX_LEN];
	hex(h.b, sizeof h.b, hx);
	snprintf(path, sizeof path, "%s.txt", hx);
	snprintf(tmp, sizeof tmp, "%s.tmp", hx);
	pnyx_buf b;
	pnyx_buf_init(&b, EVIDENCE_MAX);
	pnyx_err err = evidence_text(code, now, held, held_len, submitted,
				     submitted_len, &b);
	pthread_mutex_lock(&s->evidence);
	if (err == PNYX_OK && faccessat(s->evfd, path, F_OK, 0) != 0)
		err = replace_file(s->evfd, tmp, path, b.data, b.len, diag);
	pthread_mutex_unlock(&s->evidence);
	pnyx_buf_clear(&b);
	if (err == PNYX_OK)
		snprintf(name, 72, "%s.txt", hx);
	return err;
}
