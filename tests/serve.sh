#!/bin/sh
# End-to-end test of `pnyx serve`: a log built with the CLI, the real
# server on a free loopback port, every endpoint checked with curl (status,
# media type, body; proofs against `pnyx log prove` and `pnyx log
# check-proof`), ETag/304, HEAD, problem documents, limits, settings from a
# file, the environment and options, SIGTERM, and a database left as it was.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}"
T="$PNYX_BUILD_ROOT/test-tmp/serve.$$"
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
command -v curl >/dev/null || { echo "FAIL - curl is not installed"; exit 1; }
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL - $1"; fails=$((fails + 1)); }
# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
	d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi
}

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE

# start READY-FILE ARGS...: starts `pnyx serve ARGS` in the background and
# waits for READY-FILE; sets U (the URL) and pid. A wrapper waits for the
# server and writes its exit status to server.rc (a zombie would still
# answer kill -0).
start() {
	ready=$1
	shift
	rm -f "$ready" server.rc server.pid
	("$PNYX" serve "$@" >server.out 2>server.err &
	 echo $! >server.pid
	 wait $!
	 echo $? >server.rc) &
	i=0
	while [ ! -s "$ready" ] && [ ! -e server.rc ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	pid=$(cat server.pid)
	if [ ! -s "$ready" ]; then
		bad "server did not start: $(cat server.err)"
		kill "$pid" 2>/dev/null
		pid=""
		return 1
	fi
	U=$(cat "$ready")
}

# stop WHAT: SIGTERM; the server must exit 0 within a second.
stop() {
	kill -TERM "$pid"
	i=0
	while [ ! -e server.rc ] && [ $i -lt 20 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if [ ! -e server.rc ]; then
		bad "$1: still running 1 s after SIGTERM"
		kill -KILL "$pid"
		sleep 0.2
	fi
	rc=$(cat server.rc 2>/dev/null)
	pid=""
	[ "$rc" = 0 ] && ok "$1: SIGTERM, exit 0 within 1 s" ||
		bad "$1: exit '$rc' after SIGTERM: $(cat server.err)"
}

# req METHOD PATH [CURL-ARGS...]: one request; $code, h.txt, b.txt.
req() {
	m=$1 p=$2
	shift 2
	if [ "$m" = HEAD ]; then set -- --head "$@"; else set -- -X "$m" "$@"; fi
	rm -f b.txt h.txt
	: >b.txt # curl writes no file for an empty body
	code=$(curl -s --path-as-is -o b.txt -D h.txt -w '%{http_code}' "$@" "$U$p")
}
# hdr NAME: the value of a response header
hdr() { sed -n "s/^$1: *//Ip" h.txt | tr -d '\r'; }
# expect DESC CODE TYPE: the last response's status and media type
expect() {
	t=$(hdr Content-Type)
	if [ "$code" = "$2" ] && [ "$t" = "$3" ]; then ok "$1"; else
		bad "$1: $code '$t', wanted $2 '$3': $(head -c 300 b.txt)"; fi
}
# problem DESC CODE PROBLEM: a problem+json document with that code
problem() {
	expect "$1" "$2" application/problem+json
	grep -q "\"code\":\"$3\"" b.txt && grep -q "\"status\":$2" b.txt &&
		grep -q '"title":"' b.txt && ok "$1: code $3" ||
		bad "$1: wanted code $3: $(head -c 300 b.txt)"
}
# json_to_proof KIND A-NAME B-NAME: b.txt (a proof document) in the text
# form of `pnyx log prove`
json_to_proof() {
	a=$(sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" b.txt)
	b=$(sed -n "s/.*\"$3\":\([0-9]*\).*/\1/p" b.txt)
	if [ "$1" = inclusion ]; then printf 'inclusion\nindex %s\nsize %s\n' "$a" "$b"
	else printf 'consistency\nold %s\nsize %s\n' "$a" "$b"; fi
	grep -o '"[A-Za-z0-9+/=]\{44\}"' b.txt | tr -d '"'
}
db_sum() { for f in "$@"; do [ -e "$f" ] && sha256sum "$f"; done; }

# ---- a log of 300 entries with a checkpoint, and an empty log ----
"$PNYX" keygen log.example/serve -o log.key >log.vkey 2>/dev/null
"$PNYX" log init --db log.db --key log.key >/dev/null
i=0
while [ $i -lt 300 ]; do echo "entry $i"; i=$((i + 1)); done |
	"$PNYX" log append --db log.db >/dev/null
"$PNYX" log checkpoint --db log.db --key log.key >cp.txt
"$PNYX" log init --db empty.db --key log.key >/dev/null
check "logs built with the CLI" test -s cp.txt
before=$(db_sum log.db log.db-wal)

# ---- the server on a free port ----
start ready --db log.db --listen 127.0.0.1:0 --ready-file ready || exit 1
echo "$U" | grep -qx 'http://127\.0\.0\.1:[0-9]*' && ! echo "$U" | grep -q ':0$' &&
	ok "ready file holds the URL ($U)" || bad "ready file: $U"
grep -qx "listening on $U" server.out && ok "prints 'listening on URL'" ||
	bad "stdout: $(cat server.out)"

req GET /checkpoint
expect "GET /checkpoint" 200 "text/plain; charset=utf-8"
check "checkpoint is the log's latest" cmp -s b.txt cp.txt
[ "$(hdr Cache-Control)" = no-cache ] && ok "checkpoint: Cache-Control no-cache" ||
	bad "checkpoint Cache-Control: $(hdr Cache-Control)"
grep -qi '^connection: close' h.txt && bad "reply closes the connection" ||
	ok "connection kept alive"

req GET /v1/log
expect "GET /v1/log" 200 application/json
root=$(sed -n 3p cp.txt)
grep -q '"size":300' b.txt && grep -q '"origin":"log.example/serve"' b.txt &&
	grep -qF "\"root\":\"$root\"" b.txt &&
	grep -qF "\"verifier_key\":\"$(cat log.vkey)\"" b.txt &&
	ok "log: origin, key, size, root" || bad "log body: $(cat b.txt)"

for pair in 0:1 5:300 299:300 7:8 256:257 100:250; do
	idx=${pair%:*} size=${pair#*:}
	req GET "/v1/proof/inclusion?index=$idx&size=$size"
	expect "inclusion $idx in $size" 200 application/json
	json_to_proof inclusion index size >got.txt
	"$PNYX" log prove --db log.db --index "$idx" --size "$size" >want.txt
	check "inclusion $idx in $size equals 'pnyx log prove'" cmp -s got.txt want.txt
	req GET "/v1/proof/consistency?old=$idx&new=$size"
	expect "consistency $idx to $size" 200 application/json
	json_to_proof consistency old new >got.txt
	"$PNYX" log prove --db log.db --old "$idx" --size "$size" >want.txt
	check "consistency $idx to $size equals 'pnyx log prove'" cmp -s got.txt want.txt
done
req GET "/v1/proof/inclusion?size=300&index=42"
json_to_proof inclusion index size >proof.txt
printf 'entry 42' >entry.txt
check "served proof checks against the served checkpoint" \
	"$PNYX" log check-proof --vkey @log.vkey --checkpoint cp.txt \
	--proof proof.txt --entry entry.txt

for q in "index=01&size=5" "index=1" "size=5" "index=1&size=5&x=1" \
	"index=1&size=5&index=1" "index=1&size=" "index=-1&size=5" "index=1&&size=5" \
	"index=1&size=5%FF" "index=1&size=18446744073709551616" "index"; do
	req GET "/v1/proof/inclusion?$q"
	problem "inclusion?$q refused" 400 bad-parameter
done
req GET "/v1/proof/inclusion?index=300&size=300"
problem "inclusion past the end" 400 out-of-range
req GET "/v1/proof/consistency?old=1&new=301"
problem "consistency past the end" 400 out-of-range

req GET /nowhere
problem "unknown path" 404 not-found
req POST /checkpoint -d x
problem "POST /checkpoint" 405 method-not-allowed
[ "$(hdr Allow)" = "GET, HEAD" ] && ok "405 names GET, HEAD in Allow" ||
	bad "Allow: $(hdr Allow)"
req DELETE /v1/log
problem "DELETE /v1/log" 405 method-not-allowed
req GET /v1/actions
problem "GET /v1/actions" 405 method-not-allowed
[ "$(hdr Allow)" = POST ] && ok "Allow: POST" || bad "Allow: $(hdr Allow)"
req GET "/v1/%FFlog"
problem "escaped invalid UTF-8 in the path" 400 bad-target
req GET "/v1/$(printf '\377\376')log"
problem "raw invalid UTF-8 in the path" 400 bad-target
req GET "/v1%2Flog"
problem "escaped '/' in the path" 400 bad-target
req GET "/$(head -c 3000 /dev/zero | tr '\0' a)"
problem "over-long target" 414 target-too-long

# ETag and 304, HEAD
req GET /v1/log
etag=$(hdr ETag)
echo "$etag" | grep -qx '"[0-9a-f]\{32\}"' && ok "strong ETag $etag" || bad "ETag: $etag"
req GET /v1/log -H "If-None-Match: $etag"
[ "$code" = 304 ] && [ ! -s b.txt ] && [ "$(hdr ETag)" = "$etag" ] &&
	ok "If-None-Match: 304, no body, same ETag" || bad "304: $code $(cat b.txt)"
req GET /v1/log -H "If-None-Match: \"abc\", W/$etag"
[ "$code" = 304 ] && ok "weak comparison in a list: 304" || bad "W/ list: $code"
req GET /v1/log -H 'If-None-Match: "0123"'
[ "$code" = 200 ] && ok "other ETag: 200" || bad "other ETag: $code"
req HEAD /checkpoint
[ "$code" = 200 ] &&
	[ "$(hdr Content-Length)" = "$(wc -c <cp.txt | tr -d ' ')" ] &&
	[ "$(hdr Content-Type)" = "text/plain; charset=utf-8" ] &&
	ok "HEAD: headers of the GET" || bad "HEAD: $code $(cat h.txt)"
# Had the HEAD carried a body, the second request on the connection
# would read it as its status line.
[ "$(curl -s --head "$U/checkpoint" "$U/v1/log" | grep -c '^HTTP/1.1 200 OK')" = 2 ] &&
	ok "HEAD: no body (the connection stays in step)" || bad "HEAD sent a body"

# tiles (C2SP tlog-tiles)
req GET /tile/0/000
expect "full tile" 200 application/octet-stream
[ "$(wc -c <b.txt)" -eq 8192 ] && ok "full tile: 8192 bytes" || bad "tile size $(wc -c <b.txt)"
[ "$(hdr Cache-Control)" = "public, max-age=31536000, immutable" ] &&
	ok "tiles are immutable" || bad "tile Cache-Control: $(hdr Cache-Control)"
req GET /tile/entries/001.p/44
expect "partial entry bundle" 200 application/octet-stream
[ "$(wc -c <b.txt)" -eq 484 ] && head -c 11 b.txt | tail -c 9 | grep -qx 'entry 256' &&
	ok "bundle: 44 entries, first is entry 256" || bad "bundle: $(od -c b.txt | head -2)"
req GET /tile/0/001.p/45
problem "tile the log does not hold" 404 not-found
req GET /tile/0/x000/000
problem "non-canonical tile path" 404 not-found

# request bodies
head -c 61441 /dev/zero >big.bin
head -c 70000 /dev/zero >bigger.bin
req POST /v1/actions --data-binary @big.bin
problem "body over 60 KiB" 413 too-large
req POST /v1/actions -H 'Transfer-Encoding: chunked' --data-binary @bigger.bin
problem "chunked body over 60 KiB" 413 too-large
req GET /v1/log --data-binary 'x'
problem "GET with a body" 413 too-large
head -c 61440 /dev/zero >max.bin
req POST /v1/actions --data-binary @max.bin
problem "POST /v1/actions of 60 KiB (no sequencer yet)" 501 not-implemented

req GET /healthz
expect "healthz" 200 "text/plain; charset=utf-8"
check "healthz says ok" grep -qx ok b.txt

# concurrent clients
pids=""
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o "par.$i" "$U/v1/proof/inclusion?index=$i&size=300" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
n=0
for i in 1 2 3 4 5 6 7 8; do grep -q "\"index\":$i," "par.$i" && n=$((n + 1)); done
[ $n -eq 8 ] && ok "8 concurrent requests answered" || bad "concurrent: $n of 8"

req GET /metrics
expect "metrics" 200 "text/plain; version=0.0.4; charset=utf-8"
for line in 'pnyx_tree_size 300' 'pnyx_checkpoint_size 300' \
	'pnyx_http_requests_total{route="/checkpoint",status="200"} [0-9]*' \
	'pnyx_http_requests_total{route="/v1/log",status="304"} 2' \
	'pnyx_http_requests_total{route="unmatched",status="404"} 1' \
	'pnyx_http_requests_total{route="/v1/actions",status="413"} 2' \
	'pnyx_checkpoint_age_seconds [0-9]*'; do
	grep -qx "$line" b.txt && ok "metrics: $line" || bad "metrics lack: $line"
done

stop "first server"
[ ! -e ready ] && ok "ready file removed at exit" || bad "ready file left"
after=$(db_sum log.db log.db-wal)
[ "$before" = "$after" ] && ok "database unchanged" || bad "database changed"
check "log still verifies" "$PNYX" log verify --db log.db

# ---- settings: file < environment < options; an empty log ----
cat >serve.conf <<EOF
# pnyx serve settings for the test
listen = 127.0.0.1:0
ready-file = ready2
timeout = 1
max-body = 2048
EOF
PNYX_DB=empty.db PNYX_MAX_BODY=4096 start ready2 --config serve.conf --max-body 3000 ||
	exit 1
ok "started from a config file and the environment"
# A slow body (1000 bytes at 100 bytes/s, headers included, would take
# 11 s): dropped soon after the 1-second timeout from the config file.
head -c 1000 /dev/zero >slow.bin
curl -s -o /dev/null -w '%{http_code} %{time_total}' --limit-rate 100 \
	--data-binary @slow.bin "$U/v1/actions" >slow.txt &
slow=$!
req GET /checkpoint
problem "no checkpoint yet" 404 no-checkpoint
req GET /v1/log
grep -q '"size":0' b.txt && ok "empty log: size 0" || bad "empty log: $(cat b.txt)"
head -c 3000 /dev/zero >b3000.bin
head -c 3001 /dev/zero >b3001.bin
req POST /v1/actions --data-binary @b3000.bin
[ "$code" = 501 ] && ok "--max-body 3000 wins: 3000 bytes taken" || bad "3000 bytes: $code"
req POST /v1/actions --data-binary @b3001.bin
problem "--max-body 3000 wins: 3001 bytes refused" 413 too-large
port=${U##*:}
"$PNYX" serve --db log.db --listen "127.0.0.1:$port" >/dev/null 2>err.txt
[ $? -eq 1 ] && ok "a port in use: exit 1" || bad "port in use: $(cat err.txt)"
wait $slow
set -- $(cat slow.txt)
[ "$1" = 000 ] && [ "${2%%.*}" -lt 6 ] && ok "slow body dropped after the timeout ($2 s)" ||
	bad "slow body: $(cat slow.txt)"
stop "second server"

# ---- SIGTERM while a request is in flight: it is answered, then exit 0 ----
start ready3 --db log.db --listen 127.0.0.1:0 --ready-file ready3 || exit 1
head -c 1500 /dev/zero >drain.bin
curl -s -o /dev/null -w '%{http_code}' --limit-rate 1000 \
	--data-binary @drain.bin "$U/v1/actions" >drain.txt &
inflight=$!
sleep 0.4
kill -TERM "$pid"
sleep 0.1
curl -s -m 1 -o /dev/null "$U/healthz"
[ $? -eq 7 ] && ok "new connections refused while draining" ||
	bad "a new connection was not refused while draining"
wait $inflight
[ "$(cat drain.txt)" = 501 ] && ok "request in flight at SIGTERM answered" ||
	bad "request in flight: '$(cat drain.txt)'"
i=0
while [ ! -e server.rc ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(cat server.rc 2>/dev/null)" = 0 ] && ok "drained, then exit 0" ||
	bad "drain exit: '$(cat server.rc 2>/dev/null)' $(cat server.err)"
pid=""

# ---- settings refused ----
printf 'db = log.db\nport = 80\n' >bad.conf
"$PNYX" serve --config bad.conf >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q 'line 2' err.txt && ok "unknown setting in the file: line named" ||
	bad "bad config: $(cat err.txt)"
"$PNYX" serve --listen 127.0.0.1:0 >/dev/null 2>err.txt
[ $? -eq 2 ] && ok "no --db: usage error" || bad "no db: $(cat err.txt)"
"$PNYX" serve --db log.db --listen localhost:80 >/dev/null 2>err.txt
[ $? -eq 2 ] && ok "non-numeric listen address: usage error" || bad "listen: $(cat err.txt)"
"$PNYX" serve --db log.db --max-body 10 >/dev/null 2>err.txt
[ $? -eq 2 ] && ok "max-body below 1024: usage error" || bad "max-body: $(cat err.txt)"
PNYX_TIMEOUT=0 "$PNYX" serve --db log.db >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q PNYX_TIMEOUT err.txt && ok "bad PNYX_TIMEOUT named" ||
	bad "env: $(cat err.txt)"
"$PNYX" serve --db missing.db --listen 127.0.0.1:0 >/dev/null 2>err.txt
[ $? -eq 1 ] && ok "missing log: exit 1" || bad "missing log: $(cat err.txt)"
[ ! -e missing.db ] && ok "missing log not created" || bad "missing.db created"
"$PNYX" serve --help | grep -q 'PNYX_LISTEN' && ok "help lists the variables" ||
	bad "help"

echo "$fails failed"
[ $fails -eq 0 ] && rm -rf "$T"
[ $fails -eq 0 ]
