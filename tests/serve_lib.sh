# Sourced by the scripted tests that run a real `pnyx serve` on a free
# loopback port: . "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
# Needs PNYX, a working directory of the test's own (the files ready,
# server.out, server.err, server.pid and server.rc are written there) and,
# for serve_stop, the test's ok and bad functions. The test installs its own
# EXIT trap that kills "$pid" when it is not empty.
pid=""

# serve_start ARGS...: `pnyx serve ARGS` in the background, listening on
# 127.0.0.1 port 0; waits up to 30 s for the ready file. Sets U (the base
# URL) and pid, or returns 1 with pid empty (server.rc holds the exit status
# when the server stopped).
serve_start() {
	rm -f ready server.rc server.pid
	("$PNYX" serve --listen 127.0.0.1:0 --ready-file ready "$@" \
		>server.out 2>server.err &
	 echo $! >server.pid
	 wait $!
	 echo $? >server.rc) &
	serve_i=0
	while [ ! -s ready ] && [ ! -e server.rc ] && [ $serve_i -lt 600 ]; do
		sleep 0.05
		serve_i=$((serve_i + 1))
	done
	pid=$(cat server.pid)
	if [ ! -s ready ]; then
		serve_i=0
		while [ ! -e server.rc ] && [ $serve_i -lt 100 ]; do
			sleep 0.05
			serve_i=$((serve_i + 1))
		done
		pid=""
		return 1
	fi
	U=$(cat ready)
}

# serve_stop NAME: SIGTERM to the server, waits up to 10 s for it to end and
# reports with ok (exit 0) or bad (anything else), NAME first; sets
# serve_rc to its exit status and empties pid.
serve_stop() {
	kill -TERM "$pid"
	serve_i=0
	while [ ! -e server.rc ] && [ $serve_i -lt 200 ]; do
		sleep 0.05
		serve_i=$((serve_i + 1))
	done
	serve_rc=$(cat server.rc 2>/dev/null)
	pid=""
	if [ "$serve_rc" = 0 ]; then
		ok "$1: the server stops on SIGTERM with exit 0"
	else
		bad "$1: exit '$serve_rc' after SIGTERM: $(cat server.err)"
	fi
}

# wait_checkpoint SIZE: polls $U/checkpoint (up to 10 s) until the tree size
# it signs is at least SIZE: the interval's checkpoint comes when the
# machine gets to it, so tests wait for it rather than sleep a fixed time.
# Returns 1 if it never comes.
wait_checkpoint() {
	serve_i=0
	while [ $serve_i -lt 200 ]; do
		serve_s=$(curl -s "$U/checkpoint" | sed -n 2p)
		case $serve_s in
		'' | *[!0-9]*) ;;
		*) [ "$serve_s" -ge "$1" ] && return 0 ;;
		esac
		sleep 0.05
		serve_i=$((serve_i + 1))
	done
	return 1
}
