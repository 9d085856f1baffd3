# Sourced by the scripted tests that run a real `pnyx serve` on a free
# loopback port: . "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
# Needs PNYX, a working directory of the test's own (the files ready,
# server.out, server.err, server.pid and server.rc are written there) and,
# for serve_stop, act and refused, the test's ok and bad functions. The test
# installs its own EXIT trap that kills "$pid" when it is not empty.
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

# The helpers of the tests that drive the server with `pnyx act` (key
# files ACTOR.key in the working directory; act.out and act.err are written
# there); a test may define its own after sourcing this file.

# snapshot: the state digest and the tree size, as one line
snapshot() {
	d=$(curl -s "$U/v1/state/digest" | jq -r '"\(.leaves) \(.digest)"')
	echo "$d $(curl -s "$U/v1/log" | jq -r .size)"
}

# act NAME ACTOR [OPTIONS] TYPE FIELDS...: an action that must be accepted
act() {
	name=$1
	who=$2
	shift 2
	if "$PNYX" act --server "$U" --key "$who.key" --as "$who" --yes "$@" \
		>act.out 2>act.err && grep -q '^accepted: entry [0-9]*' act.out &&
	   grep -q '^pnyx-receipt v1$' act.out; then
		ok "$name"
	else
		bad "$name: $(cat act.err act.out)"
	fi
}

# refused NAME CODE ACTOR [OPTIONS] TYPE FIELDS...: exit 1, one line ending
# in (CODE), state and log unchanged
refused() {
	name=$1
	code=$2
	who=$3
	shift 3
	before=$(snapshot)
	"$PNYX" act --server "$U" --key "$who.key" --as "$who" --yes "$@" \
		>act.out 2>act.err
	rc=$?
	last=$(grep '^pnyx: ' act.err)
	if [ $rc = 1 ] && [ "$(grep -c '^pnyx: ' act.err)" = 1 ] &&
	   echo "$last" | grep -q "($code)\$" && [ ! -s act.out ]; then
		ok "$name: exit 1, '$last'"
	else
		bad "$name: rc $rc: $(cat act.err)"
	fi
	[ "$before" = "$(snapshot)" ] && ok "$name: nothing changed" ||
		bad "$name: the state or log changed"
}
