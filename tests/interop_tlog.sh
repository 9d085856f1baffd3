#!/bin/sh
# Interop of Pnyx's Merkle trees and proofs (RFC 6962 / RFC 9162) with Go's
# golang.org/x/mod/sumdb/tlog:
#  1. tlog_dump prints a tree of N pseudo-random leaves: every root of sizes
#     0..N and, for each size, inclusion and consistency proofs of a handful
#     of questions (edges, powers of two, pseudo-random ones);
#  2. tests/interop/tlog_interop.go rebuilds the tree from the leaves and
#     checks every root with tlog.TreeHash, every inclusion proof with
#     tlog.CheckRecord and every consistency proof with tlog.CheckTree (and
#     that Go's ProveRecord/ProveTree give the same hashes, and that flipped
#     proofs fail), then writes Go's own proofs for those and more questions;
#  3. tlog_dump verify checks Go's proofs with pnyx_merkle_verify_*.
# The line format is documented at the top of tests/tlog_dump.c.
#
# Usage: interop_tlog.sh TLOG_DUMP [N]  (run by meson test with
# PNYX_SOURCE_ROOT and PNYX_BUILD_ROOT set; N defaults to 3000). Exit 0 if
# every check passes, 1 otherwise (also if Go or its x/mod sources are not
# installed: the test command installs both).
set -u

DUMP=${1:?usage: interop_tlog.sh TLOG_DUMP [N]}
N=${2:-3000}
SRC=${PNYX_SOURCE_ROOT:?}
BUILD=${PNYX_BUILD_ROOT:?}
. "$SRC/tests/go_build.sh"
W="$BUILD/interop-tlog.$$"


rm -rf "$W"
mkdir -p "$W" || exit 1
trap 'rm -rf "$W"' EXIT

go_build tlog_interop "$W/tlog_interop"

if ! "$DUMP" dump "$N" >"$W/pnyx.txt"; then
	echo "FAIL: tlog_dump dump $N"
	exit 1
fi
echo "pnyx: $(grep -c '^root ' "$W/pnyx.txt") roots," \
	"$(grep -c '^incl ' "$W/pnyx.txt") inclusion and" \
	"$(grep -c '^cons ' "$W/pnyx.txt") consistency proofs"

if ! "$W/tlog_interop" "$W/pnyx.txt" "$W/go.txt"; then
	echo "FAIL: Go's tlog rejects pnyx's roots or proofs"
	exit 1
fi

if ! "$DUMP" verify "$N" "$W/go.txt"; then
	echo "FAIL: pnyx rejects Go's proofs"
	exit 1
fi

# A tampered Go proof must be refused (the check is not vacuous): change
# the last hex digit of the first proof that has hashes.
awk '$4 > 0 { c = substr($0, length($0)); r = (c == "0") ? "1" : "0";
	print substr($0, 1, length($0) - 1) r; exit }' "$W/go.txt" >"$W/bad.txt"
if [ ! -s "$W/bad.txt" ] || "$DUMP" verify "$N" "$W/bad.txt" 2>/dev/null; then
	echo "FAIL: pnyx accepts a tampered Go proof"
	exit 1
fi

echo "interop-tlog: all checks passed"
exit 0
