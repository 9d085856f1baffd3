#!/bin/sh
# Sealed cooperation bodies between the C library (src/lib/coop_seal.c,
# through tests/coop_seal_tool.c) and web/hpke.js, both ways, with contact
# key files from `pnyx keygen --contact`: runs node's test runner on
# tests/web/coop_seal.test.mjs.
#
# Usage: coop_seal_interop.sh COOP_SEAL_TOOL (run by meson test with PNYX
# and PNYX_SOURCE_ROOT set). Exit 0 if every test passes, 1 otherwise (also
# if node is not installed: the test command installs it).
set -u

TOOL=${1:?usage: coop_seal_interop.sh COOP_SEAL_TOOL}
SRC=${PNYX_SOURCE_ROOT:?}
: "${PNYX:?}"

if ! command -v node >/dev/null 2>&1; then
	echo "node is not installed (Node 18 or later is needed)"
	exit 1
fi
case $TOOL in
/*) ;;
*) TOOL=$(pwd)/$TOOL ;; # meson passes it relative to the build directory
esac
if [ ! -x "$TOOL" ]; then
	echo "coop_seal_tool not found at $TOOL"
	exit 1
fi
PNYX_COOP_SEAL_TOOL=$TOOL
export PNYX_COOP_SEAL_TOOL PNYX
cd "$SRC" || exit 1
node --test tests/web/coop_seal.test.mjs || exit 1
