#!/bin/sh
# Benchmark of `pnyx witness` (docs/WITNESS.md): checkpoints cosigned per
# second by one witness, each request a new checkpoint one entry larger
# than the last with its consistency proof, over HTTP keep-alive
# (bench/bench_witness.c). Every cosignature is stored durably (temporary
# file, fsync, rename, fsync of the directory) before the answer, so one
# log is bound by the disk's fsync latency; several logs are judged and
# stored in parallel.
#
#   bench/bench_witness.sh [BUILD_DIR]
#
# BENCH_WITNESS_COUNT (default 2000) checkpoints per log; BENCH_WITNESS_LOGS
# (default "1 4 16") the numbers of logs (one client thread each) to try.
# Prints each command it runs and the figures. Exits 1 if a run fails.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
COUNT=${BENCH_WITNESS_COUNT:-2000}
LOGS=${BENCH_WITNESS_LOGS:-1 4 16}
for v in $COUNT $LOGS; do
	case $v in '' | *[!0-9]*) echo "bench_witness: settings must be numbers" >&2; exit 2 ;; esac
done
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" >/dev/null
ninja -C "$build" pnyx bench/bench_witness >/dev/null

PNYX=$build/pnyx
BW=$build/bench/bench_witness
data=$build/bench-witness
rm -rf "$data"
mkdir -p "$data"
pid=""
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$PNYX" keygen bench.pnyx.example/witness -o "$data/witness.key" >/dev/null 2>&1
for n in $LOGS; do
	rm -rf "$data/state" "$data/logs" "$data/ready"
	mkdir -p "$data/logs"
	"$BW" prepare "$data/logs" "$n"
	echo "+ pnyx witness --key witness.key --state state --logs logs.txt --listen 127.0.0.1:0"
	"$PNYX" witness --key "$data/witness.key" --state "$data/state" \
		--logs "$data/logs/logs.txt" --listen 127.0.0.1:0 \
		--ready-file "$data/ready" >"$data/out" 2>"$data/err" &
	pid=$!
	i=0
	while [ ! -s "$data/ready" ]; do
		kill -0 "$pid" 2>/dev/null || { echo "bench_witness: the witness died: $(cat "$data/err")" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "bench_witness: the witness does not start" >&2; exit 1; }
		sleep 0.05
	done
	echo "+ bench_witness run $(cat "$data/ready") logs $n $COUNT"
	"$BW" run "$(cat "$data/ready")" "$data/logs" "$n" "$COUNT"
	kill -TERM "$pid"
	wait "$pid" || true
	pid=""
done
