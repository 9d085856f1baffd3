/*
 * The directory of a mirror's copy (mirror.h): files are written into
 * DIR/.incoming under a flat name, then renamed into place once a
 * catch-up is verified, so that the copy never shows a file it has not
 * checked, and the checkpoint goes last.
 */
#include "cli.h"
#include "mirror.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The staged name of rel: every '/' becomes '_' (tile paths hold no '_'). */
static bool stage_name(const char *rel, char out[PATH_MAX])
{
	size_t n = strlen(rel);
	if (n == 0 || n >= PATH_MAX)
		return false;
	for (size_t i = 0; i <= n; i++)
		out[i] = rel[i] == '/' ? '_' : rel[i];
	return true;
}

/* Prints "cannot VERB DIR/rel: reason" (errno) and returns false. */
static bool sys_fail(const struct mirror_dir *d, const char *verb,
		     const char *rel)
{
	cli_fail("cannot %s %s/%s: %s", verb, d->path, rel, strerror(errno));
	return false;
}

void mirror_stage_discard(struct mirror_dir *d)
{
	int fd = dup(d->stage_fd);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	if (dir == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(dir); /* the duplicate shares stage_fd's offset */
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			(void)unlinkat(d->stage_fd, e->d_name, 0);
	closedir(dir);
}

bool mirror_dir_open(const char *path, struct mirror_dir *d)
{
	*d = (struct mirror_dir){.fd = -1, .stage_fd = -1};
	if (strlen(path) >= sizeof d->path) {
		cli_fail("the directory name %s is too long", path);
		return false;
	}
	memcpy(d->path, path, strlen(path) + 1);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return sys_fail(d, "create", ".");
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0)
		return sys_fail(d, "open", ".");
	bool ok = mkdirat(d->fd, MIRROR_STAGE, 0755) == 0 || errno == EEXIST;
	if (ok)
		d->stage_fd = openat(d->fd, MIRROR_STAGE,
				     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!ok || d->stage_fd < 0) {
		sys_fail(d, "create", MIRROR_STAGE);
		mirror_dir_close(d);
		return false;
	}
	return true;
}

bool mirror_dir_lock(struct mirror_dir *d)
{
	if (flock(d->stage_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			cli_fail("another pnyx mirror is copying into %s", d->path);
		else
			sys_fail(d, "lock", MIRROR_STAGE);
		return false;
	}
	mirror_stage_discard(d);
	return true;
}

void mirror_dir_close(struct mirror_dir *d)
{
	if (d->stage_fd >= 0)
		close(d->stage_fd);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	d->stage_fd = -1;
}

/* Writes the staged file; fsync'd when durable. */
static bool stage_file(struct mirror_dir *d, const char *rel, const uint8_t *p,
		       size_t n, bool durable)
{
	char name[PATH_MAX];
	if (!stage_name(rel, name))
		return false;
	int fd = openat(d->stage_fd, name,
			O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return sys_fail(d, "create the staged copy of", rel);
	bool ok = cli_write_all(fd, p, n) && (!durable || fsync(fd) == 0);
	if (close(fd) != 0)
		ok = false;
	return ok || sys_fail(d, "write the staged copy of", rel);
}

bool mirror_stage(struct mirror_dir *d, const char *rel, const uint8_t *p,
		  size_t n)
{
	return stage_file(d, rel, p, n, false);
}

/* Creates every directory above rel below DIR. */
static bool make_parents(struct mirror_dir *d, const char *rel)
{
	char dir[PATH_MAX];
	size_t n = strlen(rel);
	if (n >= sizeof dir)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (rel[i] != '/')
			continue;
		memcpy(dir, rel, i);
		dir[i] = 0;
		if (mkdirat(d->fd, dir, 0755) != 0 && errno != EEXIST)
			return sys_fail(d, "create", dir);
	}
	return true;
}

bool mirror_publish(struct mirror_dir *d, const char *rel)
{
	char name[PATH_MAX];
	if (!stage_name(rel, name) || !make_parents(d, rel))
		return false;
	return renameat(d->stage_fd, name, d->fd, rel) == 0 ||
	       sys_fail(d, "move into place", rel);
}

bool mirror_flush(struct mirror_dir *d)
{
	return syncfs(d->fd) == 0 || sys_fail(d, "flush to disk", ".");
}

bool mirror_replace(struct mirror_dir *d, const char *rel, const uint8_t *p,
		    size_t n)
{
	if (!stage_file(d, rel, p, n, true) || !mirror_publish(d, rel))
		return false;
	return fsync(d->fd) == 0 || sys_fail(d, "flush to disk", ".");
}

int mirror_read(struct mirror_dir *d, const char *rel, size_t max,
		pnyx_buf *out)
{
	pnyx_buf_init(out, max);
	int fd = openat(d->fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return sys_fail(d, "open", rel) ? 1 : -1;
	uint8_t chunk[65536];
	int rc = 1;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			sys_fail(d, "read", rel);
			rc = -1;
		} else if (got > 0 &&
			   pnyx_buf_append(out, chunk, (size_t)got) != PNYX_OK) {
			cli_fail("%s/%s is larger than %zu bytes", d->path, rel, max);
			rc = -1;
		}
		if (got <= 0 || rc < 0)
			break;
	}
	close(fd);
	return rc;
}
