#!/bin/sh
# Interop of Pnyx's C2SP tiles (tlog-tiles v0.1.0) with Go's
# golang.org/x/mod/sumdb/tlog:
#  1. tile_dump log: a pnyx log grown through sizes at every tile boundary
#     up to 70,000 entries (so level-2 tiles exist), with a signed
#     checkpoint and the tiles and entry bundles written as static files at
#     each size;
#  2. tile_dump paths: tile paths and one-byte mutants with pnyx's verdicts;
#  3. tests/interop/tile_interop.go verifies the checkpoints with Go's note,
#     reads the tiles through tlog.TileHashReader (which authenticates
#     them against each checkpoint's root), checks every entry of every
#     bundle, proofs, tampered tiles, the file set, and agrees with every
#     path verdict; it writes paths of its own tiles;
#  4. tile_dump parse checks pnyx parses and formats Go's paths the same.
#
# Usage: interop_tile.sh TILE_DUMP  (run by meson test with
# PNYX_SOURCE_ROOT and PNYX_BUILD_ROOT set). Exit 0 if every check passes,
# 1 otherwise (also if Go or its x/mod sources are not installed: the test
# command installs both).
set -u

DUMP=${1:?usage: interop_tile.sh TILE_DUMP}
SRC=${PNYX_SOURCE_ROOT:?}
BUILD=${PNYX_BUILD_ROOT:?}
. "$SRC/tests/go_build.sh"
W="$BUILD/interop-tile.$$"
SIZES="1 2 255 256 257 511 512 513 1000 65279 65280 65535 65536 65537 65792 70000"


rm -rf "$W"
mkdir -p "$W/log" || exit 1
trap 'rm -rf "$W"' EXIT

go_build tile_interop "$W/tile_interop"

# shellcheck disable=SC2086 # SIZES is a list
if ! "$DUMP" log "$W/log" $SIZES; then
	echo "FAIL: tile_dump log"
	exit 1
fi
if ! "$DUMP" paths "$W/log/paths.txt"; then
	echo "FAIL: tile_dump paths"
	exit 1
fi
echo "pnyx: $(find "$W/log/tile" -type f | wc -l) tile files," \
	"$(ls "$W/log" | grep -c '^checkpoint\.') checkpoints"

if ! "$W/tile_interop" "$W/log"; then
	echo "FAIL: Go's tlog rejects pnyx's tiles or paths"
	exit 1
fi
if ! "$DUMP" parse "$W/log/gopaths.txt"; then
	echo "FAIL: pnyx rejects Go's tile paths"
	exit 1
fi

# The Go check is not vacuous: a tile changed on disk is refused.
T="$W/log/tile/0/000"
b=$(od -An -tu1 -j100 -N1 "$T" | tr -d ' ')   # flip a bit: never a no-op
printf "\\$(printf '%03o' $((b ^ 1)))" | dd of="$T" bs=1 seek=100 conv=notrunc 2>/dev/null
if "$W/tile_interop" "$W/log" >/dev/null 2>&1; then
	echo "FAIL: Go accepts a changed tile"
	exit 1
fi

echo "interop-tile: all checks passed"
exit 0
