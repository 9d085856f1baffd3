/* What listening commands share (see listener.h). */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void srv_block_stop_signals(sigset_t *stop)
{
	sigset_t blocked;
	sigemptyset(stop);
	sigaddset(stop, SIGTERM);
	sigaddset(stop, SIGINT);
	blocked = *stop;
	sigaddset(&blocked, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &blocked, NULL);
}

/* Writes the URL to path atomically (a temporary file renamed). */
static bool write_ready_file(const char *path, const char *url)
{
	char tmp[SRV_PATH_MAX + 8];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return false;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	size_t n = strlen(url);
	bool ok = write(fd, url, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
	ok = close(fd) == 0 && ok;
	if (ok && rename(tmp, path) == 0)
		return true;
	unlink(tmp);
	return false;
}

bool srv_announce(struct MHD_Daemon *mhd, const struct srv_listen *l,
		  const char *ready_file, char *url, size_t cap)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(url, cap, "http://%s:%u", l->host,
		 info != NULL ? (unsigned)info->port : (unsigned)l->port);
	printf("listening on %s\n", url);
	fflush(stdout);
	if (ready_file == NULL || ready_file[0] == 0 ||
	    write_ready_file(ready_file, url))
		return true;
	fprintf(stderr, "pnyx: cannot write %s: %s\n", ready_file,
		strerror(errno));
	return false;
}

int srv_wait_stop(const sigset_t *stop)
{
	int sig = 0;
	while (sigwait(stop, &sig) != 0)
		;
	return sig;
}
