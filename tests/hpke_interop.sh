#!/bin/sh
# web/hpke.js against RFC 9180's A.1.1 vectors and against the C module
# (src/lib/hpke.c through tests/hpke_tool.c), both ways and for both
# suites: runs node's test runner on tests/web/hpke.test.mjs with the
# tool's path in PNYX_HPKE_TOOL.
#
# Usage: hpke_interop.sh HPKE_TOOL  (run by meson test with
# PNYX_SOURCE_ROOT set). Exit 0 if every test passes, 1 otherwise (also if
# node is not installed: the test command installs it).
set -u

TOOL=${1:?usage: hpke_interop.sh HPKE_TOOL}
SRC=${PNYX_SOURCE_ROOT:?}

if ! command -v node >/dev/null 2>&1; then
	echo "node is not installed (Node 18 or later is needed)"
	exit 1
fi
case $TOOL in
/*) ;;
*) TOOL=$(pwd)/$TOOL ;; # meson passes it relative to the build directory
esac
if [ ! -x "$TOOL" ]; then
	echo "hpke_tool not found at $TOOL"
	exit 1
fi
PNYX_HPKE_TOOL=$TOOL
export PNYX_HPKE_TOOL
cd "$SRC" || exit 1
node --test tests/web/hpke.test.mjs || exit 1
