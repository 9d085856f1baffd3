/* What listening commands share (see listener.h). */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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

/* True once the monotonic clock has reached t. */
static bool is_past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

void srv_drain(struct MHD_Daemon *mhd, const atomic_uint_fast64_t *in_flight,
	       const atomic_uint_fast64_t *held, unsigned timeout)
{
	MHD_socket ls = MHD_quiesce_daemon(mhd);
	if (ls != MHD_INVALID_SOCKET)
		close(ls); /* new connections are refused from now on */
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)timeout;
	bool said = false;
	while (atomic_load(in_flight) > 0) {
		if (is_past(&deadline)) {
			if (held == NULL || atomic_load(held) == 0)
				break;
			if (!said)
				fputs("pnyx: waiting past the timeout for the "
				      "requests held in flight\n", stderr);
			said = true;
		}
		struct timespec pause = {.tv_sec = 0, .tv_nsec = 2000000};
		nanosleep(&pause, NULL);
	}
	MHD_stop_daemon(mhd);
}
