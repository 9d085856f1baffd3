#!/bin/sh
# Fails if library or tool code calls a function the project bans
# (docs/HACKING.md): unbounded string functions, atoi-style parsing, strtok,
# and variable-length arrays are caught by the compiler (-Wvla).
set -u
root=${PNYX_SOURCE_ROOT:-$(dirname "$0")/..}
pattern='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atoll|atof|strncpy|strncat|alloca)[[:space:]]*\('
if grep -nE "$pattern" "$root"/src/lib/*.c "$root"/src/cli/*.c "$root"/src/server/*.c "$root"/src/witness/*.c "$root"/include/pnyx/*.h; then
	echo "banned functions found (see docs/HACKING.md)"
	exit 1
fi
echo "no banned functions in src/lib, src/cli, src/server, src/witness and include/"
