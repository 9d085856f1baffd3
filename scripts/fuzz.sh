#!/bin/sh
# Builds the libFuzzer targets with clang and fuzzes each for a while.
# Usage: scripts/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]   (default 60 s, all)
# New inputs that increase coverage are written to fuzz/corpus/<target>/;
# commit the useful ones, and any crash input (crash-*) once fixed.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
secs=${1:-60}
[ $# -gt 0 ] && shift
# The library is instrumented for coverage too (fuzzer-no-link), not only
# the targets: otherwise libFuzzer sees a hundred edges instead of thousands.
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzer=true \
	-Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fsanitize=fuzzer-no-link >/dev/null
ninja -C build-fuzz
targets=${*:-$(ls build-fuzz/fuzz/ | sed -n 's/^fuzz_\([a-z_]*\)$/\1/p')}
for t in $targets; do
	echo "== fuzzing $t for $secs s"
	build-fuzz/fuzz/fuzz_"$t" -max_total_time="$secs" -max_len=70000 \
		-artifact_prefix=build-fuzz/crash-"$t"- fuzz/corpus/"$t"
done
