#!/bin/sh
# make run: the demo forum (docs/DEMO.md), a training simulation, served on
# this machine. `pnyx demo` creates demo/ the first time (or keeps the
# forum already there), checks that the port is free and prints how to act
# as a member; then `pnyx serve` runs in the foreground until Ctrl-C.
#   PNYX_PORT   the port on 127.0.0.1 (default 8080)
#   PNYX_SEED   the seed of the random draw of a new forum (default 1)
set -eu
cd "$(dirname "$0")/.."
port=${PNYX_PORT:-8080}
seed=${PNYX_SEED:-1}
case $port in
'' | *[!0-9]* | 0*)
	echo "run.sh: PNYX_PORT must be a port number from 1 to 65535, not '$port'" >&2
	exit 2 ;;
esac
if [ "$port" -gt 65535 ]; then
	echo "run.sh: PNYX_PORT must be a port number from 1 to 65535, not '$port'" >&2
	exit 2
fi
build/pnyx demo --dir demo --seed "$seed" --listen "127.0.0.1:$port"
echo
echo "Starting the server (Ctrl-C stops it; the forum stays in demo/ and"
echo "'make run' serves it again):"
if [ -f demo/cooperation.db ]; then
	exec build/pnyx serve --db demo/forum.db --key demo/log.key \
		--cooperation-db demo/cooperation.db \
		--cooperation-key demo/cooperation.key --listen "127.0.0.1:$port"
fi
# a demo folder made before cooperation existed: the forum alone
exec build/pnyx serve --db demo/forum.db --key demo/log.key \
	--listen "127.0.0.1:$port"
