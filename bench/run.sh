#!/bin/sh
# Pnyx benchmarks (docs/PERFORMANCE.md): raw SHA-256, in-memory tree hashing
# and proofs against Go's golang.org/x/mod/sumdb/tlog on the same leaves,
# then durable appends to a SQLite log and reads from it.
#
#   bench/run.sh [BUILD_DIR]      (make bench runs it on ./build)
#
# BUILD_DIR (default: build, set up with Meson if missing) must hold the
# bench programs; they are built with ninja first. BENCH_N (default
# 1000000) is the number of entries; BENCH_REPEAT (default 3) how often each
# in-memory phase runs (the fastest run counts). The Go program is built in
# GOPATH mode against Debian's golang-golang-x-mod-dev. Exits 1 if pnyx and
# Go disagree on any root, chain or proof digest.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
N=${BENCH_N:-1000000}
REPEAT=${BENCH_REPEAT:-3}
case $N in '' | *[!0-9]*) echo "bench: BENCH_N must be a number" >&2; exit 2 ;; esac
case $REPEAT in '' | *[!0-9]*) echo "bench: BENCH_REPEAT must be a number" >&2; exit 2 ;; esac
[ "$N" -ge 1000 ] || { echo "bench: BENCH_N must be at least 1000" >&2; exit 2; }
[ "$REPEAT" -ge 1 ] || REPEAT=1

PROOFS=$((N / 5))       # in-memory proofs of each kind
STORE_PROOFS=$((N / 50)) # proofs and roots of each kind from the store
SMALL=$((N < 100000 ? N : 100000)) # entries for the batch-size runs
SHA_ROUNDS=$((N < 1000000 ? 2 * N : 2000000)) # per SHA-256 implementation

if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/golang.org/x/mod ]; then
	"$src/scripts/install-deps.sh" test
fi

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" >/dev/null
fi
ninja -C "$build" bench/bench_sha bench/bench_tree bench/bench_log >/dev/null

out=$build/bench-results
data=$build/bench-data
rm -rf "$out" "$data"
mkdir -p "$out" "$data"
trap 'rm -rf "$data"' EXIT
trap 'exit 130' INT TERM

env -i PATH=/usr/bin:/bin GO111MODULE=off GOPATH=/usr/share/gocode \
	GOCACHE="$build/gocache" \
	go build -o "$build/bench/tlog_bench" "$src/bench/go/tlog_bench.go"

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "pnyx bench: N=$N entries of 300 bytes, best of $REPEAT in-memory runs" >&2
echo "  SHA-256 implementations..." >&2
"$build/bench/bench_sha" "$SHA_ROUNDS" "$REPEAT" >"$out/sha.txt"
echo "  pnyx in-memory tree and proofs..." >&2
"$build/bench/bench_tree" "$N" "$PROOFS" "$REPEAT" >"$out/tree.txt"
echo "  Go x/mod/sumdb/tlog, same work..." >&2
"$build/bench/tlog_bench" "$N" "$PROOFS" "$REPEAT" >"$out/go.txt"
echo "  durable appends of $N entries, batches of 1000..." >&2
"$build/bench/bench_log" "$N" 1000 "$STORE_PROOFS" "$data" >"$out/log.txt"
rm -f "$data"/*
for b in 100 1000 10000; do
	[ "$b" -le "$SMALL" ] || continue
	echo "  durable appends of $SMALL entries, batches of $b..." >&2
	"$build/bench/bench_log" "$SMALL" "$b" 0 "$data" >"$out/batch$b.txt"
	rm -f "$data"/*
done

# get FILE KEY: the value of KEY in a results file ("-" if absent).
get() {
	awk -v k="$2" '$1 == k { v = $2 } END { print (v == "" ? "-" : v) }' "$out/$1"
}
# calc EXPR VAR=VALUE...: an awk expression of numbers.
calc() {
	e=$1
	shift
	awk "$@" "BEGIN { printf \"%.2f\", $e }"
}
# row LABEL PNYX GO: one line of the comparison table with pnyx/Go.
row() {
	if [ "$3" = "-" ]; then
		printf '%-34s %14s %14s %8s\n' "$1" "$2" "" ""
	else
		printf '%-34s %14s %14s %8s\n' "$1" "$2" "$3" "$(calc 'a / b' -v a="$2" -v b="$3")"
	fi
}

status=0
check_equal() {
	if [ "$2" != "$3" ]; then
		echo "MISMATCH: $1: $2 != $3" >&2
		status=1
	fi
}
check_equal "SHA-256 chain (OpenSSL EVP vs pnyx)" "$(get sha.txt evp.final)" "$(get sha.txt pnyx.final)"
check_equal "SHA-256 chain (libsodium vs pnyx)" "$(get sha.txt sodium.final)" "$(get sha.txt pnyx.final)"
check_equal "SHA-256 chain (pnyx vs Go)" "$(get tree.txt sha.final)" "$(get go.txt sha.final)"
check_equal "tree root (pnyx vs Go)" "$(get tree.txt tree.root)" "$(get go.txt tree.root)"
check_equal "tree root (store vs memory)" "$(get log.txt log.root)" "$(get tree.txt tree.root)"
check_equal "proof digest (pnyx vs Go)" "$(get tree.txt proof.digest)" "$(get go.txt proof.digest)"
check_equal "proof digest (store vs memory)" "$(get log.txt proof.digest)" "$(get tree.txt proof.digest)"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
shani=no
grep -qw sha_ni /proc/cpuinfo && shani=yes
fs=$(df -PT "$build" | awk 'NR == 2 { print $2 }')

echo
echo "== machine =="
echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:       $cpu, $(nproc) cores, SHA extensions: $shani"
echo "system:    $(uname -sr), data on $fs, load average before the run: $load"
echo "libraries: OpenSSL $(pkg-config --modversion libcrypto), SQLite $(pkg-config --modversion sqlite3), $(go version | awk '{ print $3 }'), $(cc --version | head -n 1)"
echo
echo "== in memory: $N leaves of 300 bytes (per second; ratio = pnyx / Go) =="
printf '%-34s %14s %14s %8s\n' "" "pnyx" "Go tlog" "ratio"
row "SHA-256 of 65 bytes" "$(get tree.txt sha.per_s)" "$(get go.txt sha.per_s)"
row "tree build (leaves)" "$(get tree.txt tree.leaves_per_s)" "$(get go.txt tree.leaves_per_s)"
row "  leaf hashes alone" "$(get tree.txt leaf.per_s)" "$(get go.txt leaf.per_s)"
row "  interior node hashes alone" "$(get tree.txt node.per_s)" "$(get go.txt node.per_s)"
row "inclusion proofs" "$(get tree.txt incl.per_s)" "$(get go.txt incl.per_s)"
row "consistency proofs" "$(get tree.txt cons.per_s)" "$(get go.txt cons.per_s)"
row "peak RSS (KiB, lower is better)" "$(get tree.txt rss_kb)" "$(get go.txt rss_kb)"
vs_raw=$(calc 'a / b' -v a="$(get tree.txt sha.per_s)" -v b="$(get tree.txt node.per_s)")
go_vs_raw=$(calc 'a / b' -v a="$(get go.txt sha.per_s)" -v b="$(get go.txt node.per_s)")
echo "node hash time / raw SHA-256 time:  pnyx $vs_raw   Go $go_vs_raw   (1.00 = no overhead)"
echo "root $(get tree.txt tree.root)"

echo
echo "== SHA-256 of 65 bytes, one core, $SHA_ROUNDS chained hashes (per second) =="
echo "pnyx_sha256 (OpenSSL SHA256_*):  $(get sha.txt pnyx.per_s)"
echo "OpenSSL EVP_Digest*:             $(get sha.txt evp.per_s)"
echo "libsodium crypto_hash_sha256:    $(get sha.txt sodium.per_s)"

echo
echo "== durable: SQLite log (WAL, synchronous=FULL), 300-byte entries =="
printf '%-8s %8s %12s %8s %10s %10s %12s\n' entries batch "entries/s" "MB/s" "mean ms" "max ms" "RSS KiB"
for f in log.txt batch100.txt batch1000.txt batch10000.txt; do
	[ -f "$out/$f" ] || continue
	printf '%-8s %8s %12s %8s %10s %10s %12s\n' "$(get "$f" append.count)" \
		"$(get "$f" append.batch)" "$(get "$f" append.per_s)" \
		"$(get "$f" append.mb_per_s)" "$(get "$f" batch.mean_ms)" \
		"$(get "$f" batch.max_ms)" "$(get "$f" rss_kb)"
done
dbmb=$(calc 'a / 1e6' -v a="$(get log.txt file.db_bytes)")
walmb=$(calc 'a / 1e6' -v a="$(get log.txt file.wal_bytes)")
echo "file after $N entries: $dbmb MB (+ $walmb MB WAL); reopen $(get log.txt reopen.ms) ms"
echo "from the store: root_at $(get log.txt root_at.per_s)/s, inclusion proofs $(get log.txt incl.per_s)/s, consistency proofs $(get log.txt cons.per_s)/s ($(get log.txt incl.count) of each)"

echo
echo "== cross-checks =="
echo "same SHA-256 chains, roots and proof digests in pnyx (memory and store) and Go: $([ $status -eq 0 ] && echo yes || echo NO)"

echo
echo "== goals =="
goal() {
	if awk -v a="$2" -v b="$3" "BEGIN { exit !($4) }"; then r=met; else r=MISSED; fi
	printf '%-58s %s\n' "$1" "$r"
}
goal "tree hashing at least as fast as Go" "$(get tree.txt tree.leaves_per_s)" "$(get go.txt tree.leaves_per_s)" 'a >= b'
goal "interior node hashing at least as fast as Go" "$(get tree.txt node.per_s)" "$(get go.txt node.per_s)" 'a >= b'
goal "inclusion proofs at least as fast as Go" "$(get tree.txt incl.per_s)" "$(get go.txt incl.per_s)" 'a >= b'
goal "consistency proofs at least as fast as Go" "$(get tree.txt cons.per_s)" "$(get go.txt cons.per_s)" 'a >= b'
goal "node hashing within 1.5x of raw SHA-256 ($vs_raw)" "$vs_raw" 1.5 'a <= b'

echo
echo "raw figures: $out/"
echo "reproduce:   BENCH_N=$N BENCH_REPEAT=$REPEAT $src/bench/run.sh $build"

# ==== engine replay (bench/bench_engine.c; docs/PERFORMANCE.md "Engine replay") ====
# A generated forum of 193 members and BENCH_ENGINE_N (default BENCH_N)
# signed leaves, replayed trusting and checking signatures, against the raw
# libsodium Ed25519 verification rate on the same texts. Every replay must
# accept every leaf and reach the same digest (exit 1 otherwise).
EN=${BENCH_ENGINE_N:-$N}
case $EN in '' | *[!0-9]*) echo "bench: BENCH_ENGINE_N must be a number" >&2; exit 2 ;; esac
ninja -C "$build" bench/bench_engine >/dev/null
echo "  engine replay of $EN leaves (193 members; the replay slows down as the" >&2
echo "  log grows, see docs/PERFORMANCE.md: 1,000,000 leaves take 40 min or more," >&2
echo "  BENCH_ENGINE_N=200000 about 1 min)..." >&2
if "$build/bench/bench_engine" "$EN" 193 >"$out/engine.txt"; then
	check_ratio=$(calc 'a / b' -v a="$(get engine.txt verify.per_s)" -v b="$(get engine.txt check.per_s)")
	echo
	echo "== engine replay: $EN leaves of a 193-member forum, one core (per second) =="
	echo "generate and sign:                  $(get engine.txt gen.per_s)"
	echo "replay trusting signatures:         $(get engine.txt trust.per_s)"
	echo "replay checking signatures:         $(get engine.txt check.per_s)"
	echo "raw Ed25519 verify, same texts:     $(get engine.txt verify.per_s)"
	echo "checked replay time / verify time:  $check_ratio   (1.00 = the engine adds nothing)"
	echo "state: $(get engine.txt state.decisions) decisions, $(get engine.txt state.documents) documents; peak RSS $(get engine.txt rss_kb) KiB; digest $(get engine.txt digest)"
	goal "replay with signatures within 1.3x of raw verification" "$check_ratio" 1.3 'a <= b'
	goal "replay without signatures at least 500,000 leaves/s" "$(get engine.txt trust.per_s)" 500000 'a >= b'
	echo "reproduce:   BENCH_ENGINE_N=$EN $src/bench/run.sh $build   (or: $build/bench/bench_engine $EN 193)"
else
	echo "MISMATCH or failure in bench_engine (see $out/engine.txt)" >&2
	status=1
fi

# ==== the server (bench/bench_serve.sh; docs/PERFORMANCE.md "The server") ====
# Writes with 1, 16 and 64 clients, wrk reads, start-up with BENCH_SERVE_N
# (default 1,000,000) actions in the log.
echo >&2
sh "$src/bench/bench_serve.sh" "$build" || status=1

# ==== mirrors (bench/bench_mirror.sh; docs/PERFORMANCE.md "Mirrors") ====
# A new mirror's catch-up on BENCH_N entries, against SHA-256 of the bytes.
echo >&2
BENCH_N=$N sh "$src/bench/bench_mirror.sh" "$build" || status=1
exit $status
