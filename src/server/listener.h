/*
 * What a long-running pnyx command that listens shares (`pnyx serve`,
 * `pnyx witness`, `pnyx mirror --serve`): the stop signals, the
 * announcement of where it listens, the ready file, and the drain of the
 * requests in flight at a stop.
 */
#ifndef PNYX_SERVER_LISTENER_H
#define PNYX_SERVER_LISTENER_H

#include "server.h"

#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

/* Blocks SIGTERM and SIGINT (the stop signals, returned in *stop, to wait
 * for with srv_wait_stop) and SIGPIPE in the calling thread. Call before
 * any other thread starts, so that every thread inherits the mask. */
void srv_block_stop_signals(sigset_t *stop);

/* Prints "listening on http://HOST:PORT" for mhd listening at l (the real
 * port when l asked for port 0), writes the same URL to ready_file (NULL
 * or "": none) atomically, and puts the URL in url (cap bytes). False,
 * with the reason on stderr, if the ready file cannot be written. */
bool srv_announce(struct MHD_Daemon *mhd, const struct srv_listen *l,
		  const char *ready_file, char *url, size_t cap);

/* Waits for one of the stop signals; returns it. */
int srv_wait_stop(const sigset_t *stop);

/* Stops mhd accepting connections (new ones are refused from now on),
 * waits while *in_flight > 0 for up to timeout seconds, and past them as
 * long as *held > 0 too (requests MHD cannot stop, such as suspended
 * connections; held NULL: none), then stops mhd, closing idle keep-alive
 * connections. */
void srv_drain(struct MHD_Daemon *mhd, const atomic_uint_fast64_t *in_flight,
	       const atomic_uint_fast64_t *held, unsigned timeout);

#endif
