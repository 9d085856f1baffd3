#!/bin/sh
# Benchmarks of `pnyx serve` (docs/PERFORMANCE.md, "The server"):
#   writes    signed actions acknowledged durably (201) per second with 1,
#             16 and 64 concurrent clients, each a different member with
#             its own key (tests/load_gen), with p50/p99 latency and the
#             batch sizes the sequencer took (from /metrics);
#   reads     wrk against /checkpoint and a decision page, with 16 and 64
#             connections: requests per second and p99;
#   start-up  a log of BENCH_SERVE_N (default 1,000,000) actions written
#             straight into a store (load_gen fill), then the time from
#             starting `pnyx serve --key` to /healthz answering, and the
#             server's resident memory.
#
#   bench/bench_serve.sh [BUILD_DIR]
#
# BENCH_SERVE_SECONDS (default 10) is the length of each write and read
# run; BENCH_SERVE_THREADS (default: the server's own, one per CPU) its
# --threads. Needs wrk (scripts/install-deps.sh bench) and about 1 GB of
# disk in BUILD_DIR/bench-serve (removed at the end). The load generator,
# wrk and the server share the machine. Exits 1 if a run fails.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
SECONDS_EACH=${BENCH_SERVE_SECONDS:-10}
N=${BENCH_SERVE_N:-1000000}
THREADS=${BENCH_SERVE_THREADS:-0}
for v in "$SECONDS_EACH" "$N" "$THREADS"; do
	case $v in '' | *[!0-9]*) echo "bench_serve: settings must be numbers" >&2; exit 2 ;; esac
done
command -v wrk >/dev/null 2>&1 && command -v jq >/dev/null 2>&1 ||
	"$src/scripts/install-deps.sh" bench
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" >/dev/null
ninja -C "$build" pnyx tests/load_gen >/dev/null

PNYX=$build/pnyx
LG=$build/tests/load_gen
data=$build/bench-serve
out=$build/bench-results/serve
rm -rf "$data" "$out"
mkdir -p "$data" "$out"
pid=""
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start DB KEY: `pnyx serve` in the background; sets pid and U once the
# ready file names the URL (the state is rebuilt by then).
start() {
	rm -f "$data/ready"
	"$PNYX" serve --db "$1" --key "$2" --listen 127.0.0.1:0 \
		--ready-file "$data/ready" --threads "$THREADS" \
		>>"$out/server.out" 2>>"$out/server.err" &
	pid=$!
	while [ ! -s "$data/ready" ]; do
		kill -0 "$pid" 2>/dev/null || { echo "bench_serve: the server died: $(tail -3 "$out/server.err")" >&2; exit 1; }
		sleep 0.01
	done
	U=$(cat "$data/ready")
}
stop() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=""
}
# get FILE KEY: the value of KEY in a "key value" file ("-" if absent).
get() {
	awk -v k="$2" '$1 == k { v = $2 } END { print (v == "" ? "-" : v) }' "$1"
}
# batches FILE: "count sum max" of pnyx_batch_size in a /metrics dump;
# max is the upper bound of the highest bucket that has a batch.
batches() {
	awk '/^pnyx_batch_size_bucket/ {
		split($1, a, "\""); le = a[2]; if ($2 > prev) max = le; prev = $2 }
	     /^pnyx_batch_size_sum/ { s = $2 } /^pnyx_batch_size_count/ { c = $2 }
	     END { print c + 0, s + 0, max }' "$1"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- writes ----
echo "bench_serve: writes, $SECONDS_EACH s each with 1, 16, 64 clients..." >&2
"$PNYX" keygen bench.pnyx/serve-log -o "$data/log.key" >/dev/null 2>&1
"$PNYX" log init --db "$data/w.db" --key "$data/log.key" >/dev/null
start "$data/w.db" "$data/log.key"
"$LG" setup "$data/ready" 193 >"$out/setup.txt"
first=0
for c in 1 16 64; do
	curl -s "$U/metrics" >"$out/metrics.before.$c"
	"$LG" run "$data/ready" "$first" "$c" "$SECONDS_EACH" "$out/acked.$c" >"$out/write.$c.txt"
	curl -s "$U/metrics" >"$out/metrics.after.$c"
	first=$((first + c))
done

# ---- reads ----
# the decision page once the read API has it, the state digest until then
if grep -q '"/v1/decisions/' "$src/src/server/route.c"; then
	page=/v1/decisions/load-decision
else
	page=/v1/state/digest
fi
code=$(curl -s -o "$out/page.json" -w '%{http_code}' "$U$page")
[ "$code" = 200 ] || { echo "bench_serve: GET $page: $code" >&2; exit 1; }
echo "bench_serve: reads, wrk on /checkpoint and $page..." >&2
for c in 16 64; do
	wrk -t2 -c"$c" -d"${SECONDS_EACH}s" --latency "$U/checkpoint" >"$out/wrk.checkpoint.$c.txt"
	wrk -t2 -c"$c" -d"${SECONDS_EACH}s" --latency "$U$page" >"$out/wrk.page.$c.txt"
done
stop

# ---- start-up ----
echo "bench_serve: writing a log of $N actions..." >&2
mkdir "$data/big"
"$LG" fill "$data/big" "$N" 193 >"$out/fill.txt"
dbmb=$(du -m "$data/big/forum.db" | cut -f1)
echo "bench_serve: starting pnyx serve on it..." >&2
t0=$(date +%s.%N)
start "$data/big/forum.db" "$data/big/log.key"
until curl -sf "$U/healthz" >/dev/null; do sleep 0.01; done
t1=$(date +%s.%N)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
stop

# ---- report ----
wrk_rate() { awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$1"; }
wrk_p99() { awk '$1 == "99%" { print $2 }' "$1"; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "== machine =="
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $load"
echo "cpu:    $cpu, $(nproc) cores; disk: $(df -PT "$build" | awk 'NR == 2 { print $2 }')"
echo "server: --threads $THREADS (0: one per CPU); clients on the same machine"
echo
echo "== writes: signed input.submit actions acknowledged (201), durable =="
printf '%-8s %10s %10s %10s %10s %12s %10s\n' clients "actions/s" "p50 ms" "p99 ms" "max ms" "mean batch" "max batch"
for c in 1 16 64; do
	f=$out/write.$c.txt
	set -- $(batches "$out/metrics.before.$c") $(batches "$out/metrics.after.$c")
	mean=$(awk -v c0="$1" -v s0="$2" -v c1="$4" -v s1="$5" \
		'BEGIN { printf "%.1f", (c1 > c0) ? (s1 - s0) / (c1 - c0) : 0 }')
	printf '%-8s %10s %10s %10s %10s %12s %10s\n' "$c" "$(get "$f" per_s)" \
		"$(get "$f" lat.p50_ms)" "$(get "$f" lat.p99_ms)" "$(get "$f" lat.max_ms)" \
		"$mean" "<= $6"
	[ "$(get "$f" errors)" = 0 ] || { echo "bench_serve: refusals in $f" >&2; exit 1; }
done
echo
echo "== reads: wrk -t2, $SECONDS_EACH s =="
printf '%-40s %12s %12s %10s\n' target connections "requests/s" "p99"
for c in 16 64; do
	printf '%-40s %12s %12s %10s\n' "/checkpoint" "$c" \
		"$(wrk_rate "$out/wrk.checkpoint.$c.txt")" "$(wrk_p99 "$out/wrk.checkpoint.$c.txt")"
	printf '%-40s %12s %12s %10s\n' "$page ($(wc -c <"$out/page.json") B)" "$c" \
		"$(wrk_rate "$out/wrk.page.$c.txt")" "$(wrk_p99 "$out/wrk.page.$c.txt")"
done
echo
echo "== start-up with $(get "$out/fill.txt" leaves) actions in the log ($dbmb MB) =="
startup=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "writing the log (sign + append, load_gen fill): $(get "$out/fill.txt" seconds) s"
echo "start to /healthz answering: $startup s; resident memory $((rss / 1024)) MiB (peak $((hwm / 1024)) MiB)"
echo
echo "== goals (2 cores) =="
goal() {
	if awk -v a="$2" -v b="$3" "BEGIN { exit !($4) }"; then r=met; else r=MISSED; fi
	printf '%-58s %s\n' "$1" "$r"
}
goal "at least 30,000 reads/s (/checkpoint, 64 connections)" "$(wrk_rate "$out/wrk.checkpoint.64.txt")" 30000 'a >= b'
goal "at least 30,000 reads/s ($page, 64 connections)" "$(wrk_rate "$out/wrk.page.64.txt")" 30000 'a >= b'
goal "at least 5,000 durable signed actions/s with 64 clients" "$(get "$out/write.64.txt" per_s)" 5000 'a >= b'
goal "start-up under 10 s with 1,000,000 actions" "$startup" 10 "a < b && $N >= 1000000"
echo
echo "raw figures: $out/"
echo "reproduce:   BENCH_SERVE_SECONDS=$SECONDS_EACH BENCH_SERVE_N=$N BENCH_SERVE_THREADS=$THREADS $src/bench/bench_serve.sh $build"
