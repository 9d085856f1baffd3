#!/bin/sh
# Benchmark of `pnyx mirror` (docs/PERFORMANCE.md, "Mirrors"): the time for
# a new mirror to catch up on a log of BENCH_N (default 1,000,000) entries
# of 300 bytes served by `pnyx serve` on loopback, and the time to hash the
# same bytes (every tile and entry bundle it copied) with SHA-256 in the
# same run (OpenSSL's command line, which uses the CPU's SHA extensions),
# then a catch-up of 1,000 more entries.
#
#   bench/bench_mirror.sh [BUILD_DIR]
#
# Needs about 1 GB of disk in BUILD_DIR/bench-mirror (removed at the end).
# The server and the mirror share the machine. Exits 1 if a step fails or
# the copy's checkpoint is not the server's.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
N=${BENCH_N:-1000000}
case $N in '' | *[!0-9]*) echo "bench_mirror: BENCH_N must be a number" >&2; exit 2 ;; esac
[ "$N" -ge 1000 ] || { echo "bench_mirror: BENCH_N must be at least 1000" >&2; exit 2; }
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" >/dev/null
ninja -C "$build" pnyx >/dev/null

PNYX=$build/pnyx
data=$build/bench-mirror
out=$build/bench-results/mirror
rm -rf "$data" "$out"
mkdir -p "$data" "$out"
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
calc() {
	e=$1
	shift
	awk "$@" "BEGIN { printf \"%.2f\", $e }"
}
# entries FIRST COUNT: COUNT lines of 300 bytes (299 and a newline)
entries() {
	awk -v f="$1" -v n="$2" 'BEGIN {
		pad = sprintf("%280s", ""); gsub(/ /, "x", pad)
		for (i = f; i < f + n; i++) printf "entry %012d %s\n", i, pad }'
}

echo "bench_mirror: a log of $N entries of 300 bytes..." >&2
"$PNYX" keygen bench.example/log -o "$data/log.key" >"$data/log.vkey" 2>/dev/null
"$PNYX" log init --db "$data/log.db" --key "$data/log.key" >/dev/null 2>&1
entries 0 "$N" | "$PNYX" log append --db "$data/log.db" --batch 10000 >/dev/null
"$PNYX" log checkpoint --db "$data/log.db" --key "$data/log.key" >/dev/null

# start: `pnyx serve` (read-only) in the background; sets pid and U
start() {
	rm -f "$data/ready"
	"$PNYX" serve --db "$data/log.db" --listen 127.0.0.1:0 --web-dir none \
		--ready-file "$data/ready" >>"$out/server.out" 2>>"$out/server.err" &
	pid=$!
	while [ ! -s "$data/ready" ]; do
		kill -0 "$pid" 2>/dev/null || { echo "bench_mirror: the server died" >&2; exit 1; }
		sleep 0.01
	done
	U=$(cat "$data/ready")
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=""; }

start
echo "bench_mirror: the mirror catches up..." >&2
# the mirror's own CPU time too (GNU time), apart from the server's
timer=""
[ -x /usr/bin/time ] && timer="/usr/bin/time -o $out/cpu.txt -f %U,%S"
t0=$(now)
$timer "$PNYX" mirror --dir "$data/copy" --from "$U" --log-key "@$data/log.vkey" --once >"$out/catchup.txt"
catchup=$(since "$t0")
cpu=$(tail -1 "$out/cpu.txt" 2>/dev/null | awk -F, '{ printf "user %s s, system %s s", $1, $2 }')
[ "$(sed -n 2p "$data/copy/checkpoint")" = "$N" ] || { echo "bench_mirror: the copy is not at $N" >&2; exit 1; }
bytes=$(sed -n 's/.*, \([0-9]*\) bytes, in .*/\1/p' "$out/catchup.txt")

echo "bench_mirror: SHA-256 of the same bytes..." >&2
find "$data/copy/tile" -type f | sort | xargs cat >"$data/all.bin"
t0=$(now)
openssl dgst -sha256 "$data/all.bin" >/dev/null
sha=$(since "$t0")
rm -f "$data/all.bin"

stop
entries "$N" 1000 | "$PNYX" log append --db "$data/log.db" >/dev/null
"$PNYX" log checkpoint --db "$data/log.db" --key "$data/log.key" >/dev/null
start
t0=$(now)
"$PNYX" mirror --dir "$data/copy" --from "$U" --once >"$out/more.txt"
more=$(since "$t0")
stop
[ "$(sed -n 2p "$data/copy/checkpoint")" = "$((N + 1000))" ] ||
	{ echo "bench_mirror: the copy is not at $((N + 1000))" >&2; exit 1; }

echo
echo "== mirror catch-up: $N entries of 300 bytes over loopback HTTP =="
echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "fetched:   $bytes bytes ($(sed -n 's/.*; \([0-9]*\) tiles and \([0-9]*\) entry bundles.*/\1 tiles, \2 entry bundles/p' "$out/catchup.txt"))"
echo "catch-up:  $catchup s   ($(calc 'n / t' -v n="$N" -v t="$catchup") entries/s, $(calc 'b / t / 1e6' -v b="$bytes" -v t="$catchup") MB/s)"
echo "the mirror's own CPU: ${cpu:-not measured (no /usr/bin/time)}; the rest is the server and the network"
echo "SHA-256 of the same bytes (openssl dgst): $sha s ($(calc 'b / t / 1e6' -v b="$bytes" -v t="$sha") MB/s)"
echo "catch-up time / SHA-256 time: $(calc 'a / b' -v a="$catchup" -v b="$sha")"
echo "then 1,000 more entries: $more s (the whole command, process start included)"
echo "reproduce: BENCH_N=$N sh $src/bench/bench_mirror.sh $build"
