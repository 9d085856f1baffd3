#!/bin/sh
# pnyx mirror against real processes: a forum's server (pnyx serve --key),
# a mirror catching up once, then in a loop while more actions flow, served
# with --serve; `pnyx verify` of the mirror's URL reaches the live digest.
# A mirror of the mirror (file://) is the same copy. Sources signed by the
# same key that went back, forked, or serve tiles that do not match their
# checkpoint are refused, with both checkpoints, and the copy is unchanged.
# $1: tests/forum_writer (a scripted forum with real keys).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
FW=${1:?forum_writer}
case $FW in /*) ;; *) FW="$PWD/$FW" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin mirror_sync

pid=""
mpid=""
others=""
trap 'for p in $pid $mpid $others; do kill "$p" 2>/dev/null; done' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
. "$PNYX_SOURCE_ROOT/tests/forum_lib.sh"

VK=@fw/keys/log.vkey

# snap DIR: one line naming every file of a copy and its contents
snap() { (cd "$1" && find . -path ./.incoming -prune -o -type f -print |
	sort | xargs md5sum | md5sum); }

# other NAME ARGS...: another `pnyx serve ARGS` on a free port; sets URL
other() {
	n=$1
	shift
	rm -f "$n.ready"
	"$PNYX" serve --listen 127.0.0.1:0 --ready-file "$n.ready" --web-dir none \
		"$@" >"$n.out" 2>"$n.err" &
	others="$others $!"
	i=0
	while [ ! -s "$n.ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	URL=$(cat "$n.ready" 2>/dev/null)
	[ -n "$URL" ]
}

# fork NAME N: a log of N entries of its own, signed by the forum's log key
fork() {
	"$PNYX" log init --db "$1.db" --key fw/keys/log.key >/dev/null 2>&1 &&
	seq 1 "$2" | sed "s/^/$1 entry /" | "$PNYX" log append --db "$1.db" \
		>/dev/null 2>&1 &&
	"$PNYX" log checkpoint --db "$1.db" --key fw/keys/log.key >/dev/null 2>&1
}

# refused NAME URL PATTERN: the mirror of m refuses URL's checkpoint with
# PATTERN and both checkpoints, exit 1, and m is unchanged
refused() {
	before=$(snap m)
	"$PNYX" mirror --dir m --from "$2" --once >r.out 2>r.err
	rc=$?
	if [ $rc = 1 ] && grep -q -- "$3" r.err && grep -q "^the copy's checkpoint:" r.err &&
	   grep -q "^the source's checkpoint:" r.err &&
	   [ "$(grep -c '^    — ' r.err)" -ge 2 ]; then
		ok "$1: refused, both checkpoints printed"
	else
		bad "$1: rc $rc: $(cat r.err)"
	fi
	[ "$(snap m)" = "$before" ] && ok "$1: the copy is unchanged" ||
		bad "$1: the copy changed"
}

# ---- a forum on the real server, copied once ----
"$FW" create fw >fw.out 2>&1 || { bad "forum_writer: $(cat fw.out)"; exit 1; }
serve_start --db fw/forum.db --key fw/keys/log.key --checkpoint-interval-ms 100 \
	--web-dir none || { bad "server did not start: $(cat server.err)"; exit 1; }
acts 10
checkpoint_now
size=$(live_size)
"$PNYX" mirror --dir m --from "$U" --log-key $VK --once >o.txt 2>e.txt
rc=$?
[ $rc = 0 ] && grep -q "^copied: $size entries (the copy had 0)" o.txt &&
	[ "$(sed -n 2p m/checkpoint)" = "$size" ] &&
	ok "first copy: $size entries, checkpoint last" ||
	bad "first copy: rc $rc $(cat o.txt e.txt)"
[ "$(cat m/log.vkey)" = "$(cat fw/keys/log.vkey)" ] &&
	ok "the log's key is kept in the copy" || bad "log.vkey: $(cat m/log.vkey)"
"$PNYX" mirror --dir m --from "$U" --once >o.txt 2>e.txt &&
	grep -q "^up to date: $size entries" o.txt &&
	ok "again, without --log-key: up to date" || bad "again: $(cat o.txt e.txt)"

# ---- refusals of the command line and of the key ----
"$PNYX" keygen "$(sed -n 1p m/checkpoint)" -o same-name.key >same-name.vkey 2>/dev/null
"$PNYX" mirror --dir m --from "$U" --log-key @same-name.vkey --once >o.txt 2>e.txt
[ $? = 1 ] && grep -q 'holds a copy of another log' e.txt &&
	ok "another key for the same copy: refused" || bad "other key: $(cat e.txt)"
"$PNYX" mirror --dir fresh --from "$U" --once >o.txt 2>e.txt
[ $? = 1 ] && grep -q 'give the log.s verifier key with --log-key' e.txt &&
	[ ! -e fresh/checkpoint ] && ok "a new copy without --log-key: refused" ||
	bad "no key: $(cat e.txt)"
"$PNYX" mirror --dir fresh2 --from "$U" --log-key @same-name.vkey --once >o.txt 2>e.txt
[ $? = 1 ] && grep -q 'checkpoint' e.txt && [ ! -e fresh2/checkpoint ] &&
	ok "a checkpoint not signed by the given key: refused" || bad "wrong key: $(cat e.txt)"
"$PNYX" mirror --dir m --from "$U" --once --serve 127.0.0.1:0 >/dev/null 2>e.txt
[ $? = 2 ] && ok "--once with --serve: usage error" || bad "--once --serve"
"$PNYX" mirror --dir m --from "$U" --interval 0 >/dev/null 2>e.txt
[ $? = 2 ] && ok "--interval 0: usage error" || bad "--interval 0"
"$PNYX" mirror --from "$U" >/dev/null 2>e.txt
[ $? = 2 ] && ok "no --dir: usage error" || bad "no --dir"

# ---- the mirror in a loop, served, while actions flow ----
rm -f mready mirror.rc
("$PNYX" mirror --dir m --from "$U" --interval 200ms --serve 127.0.0.1:0 \
	--ready-file mready >mirror.out 2>mirror.err &
 echo $! >mirror.pid
 wait $!
 echo $? >mirror.rc) &
i=0
while [ ! -s mready ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
mpid=$(cat mirror.pid)
M=$(cat mready)
[ -n "$M" ] && ok "the mirror serves the copy at $M" || bad "mirror: $(cat mirror.err)"
"$PNYX" mirror --dir m --from "$U" --once >o.txt 2>e.txt
[ $? = 1 ] && grep -q 'another pnyx mirror is copying into m' e.txt &&
	ok "a second mirror of the same copy: refused" || bad "lock: $(cat e.txt)"
acts 260
checkpoint_now
size=$(live_size)
i=0
while [ "$(curl -s "$M/checkpoint" | sed -n 2p)" != "$size" ] && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(curl -s "$M/checkpoint" | sed -n 2p)" = "$size" ] &&
	ok "the mirror caught up with $size entries while actions flowed" ||
	bad "the mirror lags: $(curl -s "$M/checkpoint" | sed -n 2p) of $size: $(cat mirror.err)"
[ "$(grep -c '^copied: ' mirror.out)" -ge 1 ] && ok "its catch-ups: $(grep -c '^copied: ' mirror.out)" ||
	bad "no catch-up line: $(cat mirror.out)"
[ -f m/tile/1/000.p/1 ] && [ -f m/tile/0/000 ] && [ -f m/tile/entries/000 ] &&
	ok "the copy has full tiles and a level-1 tile" || bad "tiles: $(find m/tile | head)"
code=$(curl -s -o t0 -w '%{http_code}' "$M/tile/0/000")
[ "$code" = 200 ] && cmp -s t0 m/tile/0/000 && ok "GET /tile/0/000 from the mirror" ||
	bad "tile over HTTP: $code"
for p in /log.vkey /tile/0/0000 /tile/0/x000/000 /.incoming /v1/log /tile/../log.vkey; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$M$p")
	[ "$code" = 404 ] || bad "GET $p: $code, not 404"
done
ok "the mirror serves nothing but the checkpoint and canonical tile paths"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$M/checkpoint")
[ "$code" = 405 ] && ok "POST: 405" || bad "POST: $code"

live=$(live_digest)
"$PNYX" verify "$M" --vkey $VK >v.txt 2>v.err
rc=$?
d=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' v.txt)
[ $rc = 0 ] && [ "$d" = "$live" ] &&
	ok "pnyx verify of the mirror's URL reaches the live digest" ||
	bad "verify mirror: rc $rc $(cat v.err) $(tail -3 v.txt)"

kill -TERM "$mpid"
i=0
while [ ! -e mirror.rc ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(cat mirror.rc 2>/dev/null)" = 0 ] && [ ! -e mready ] &&
	ok "the mirror stops on SIGTERM with exit 0" || bad "mirror exit: $(cat mirror.rc)"
mpid=""

# ---- a mirror of the mirror, read as file:// ----
# (m also keeps the partial tiles of every size it copied before)
"$PNYX" mirror --dir m2 --from "file://$T/m" --log-key $VK --once >o.txt 2>e.txt &&
	cmp -s m/checkpoint m2/checkpoint &&
	[ -z "$(diff -r -x .incoming m m2 | grep -v '^Only in m')" ] &&
	ok "a copy of the copy (file://): the same checkpoint and files" ||
	bad "m2: $(cat e.txt; diff -r -x .incoming m m2 | grep -v '^Only in m' | head -5)"

# ---- sources signed with the same key that do not extend the copy ----
fork back $((size - 10)) && other back --db back.db || bad "log back: $(cat back.err)"
refused "a log that went back" "$URL" "went back to fewer entries"
fork same "$size" && other same --db same.db || bad "log same: $(cat same.err)"
refused "another log of the same size" "$URL" "the same number of entries with another root"
fork longer $((size + 300)) && other longer --db longer.db || bad "log longer: $(cat longer.err)"
refused "a longer log with another history" "$URL" "does not extend the copy's tree of $size entries (a fork"

# ---- a source whose tiles do not match its own checkpoint ----
acts 5
checkpoint_now
size2=$(live_size)
"$PNYX" mirror --dir m3 --from "$U" --log-key $VK --once >/dev/null 2>e.txt ||
	bad "m3: $(cat e.txt)"
last=$(find m3/tile/entries -name "$((size2 % 256))" | head -1)
cp "$last" saved.bundle
flip_byte "$last" 60
before=$(snap m)
"$PNYX" mirror --dir m --from "file://$T/m3" --once >o.txt 2>e.txt
rc=$?
[ $rc = 1 ] && grep -q 'entry bundle' e.txt && ! grep -q "^the copy's checkpoint" e.txt &&
	[ "$(snap m)" = "$before" ] && [ -z "$(ls -A m/.incoming)" ] &&
	ok "an altered entry at the source: a failure, the copy unchanged" ||
	bad "altered entry: rc $rc $(cat e.txt) $(ls -A m/.incoming | head -3)"
cp saved.bundle "$last"
# the last entry altered and its leaf hash in the tile recomputed: the
# bundle matches its tile, but the tiles no longer hash to the checkpoint
tile=$(echo "$last" | sed 's|/tile/entries/|/tile/0/|')
cp "$tile" saved.tile
/usr/bin/python3 - "$last" "$tile" <<'PY'
import hashlib, sys
b = bytearray(open(sys.argv[1], 'rb').read())
off = 0
while True:
    n = b[off] * 256 + b[off + 1]
    if off + 2 + n == len(b):
        break
    off += 2 + n
b[off + 2 + 40] ^= 1
t = bytearray(open(sys.argv[2], 'rb').read())
t[-32:] = hashlib.sha256(b'\0' + bytes(b[off + 2:])).digest()
open(sys.argv[1], 'wb').write(b)
open(sys.argv[2], 'wb').write(t)
PY
"$PNYX" mirror --dir m --from "file://$T/m3" --once >o.txt 2>e.txt
rc=$?
[ $rc = 1 ] && grep -q "the tiles of file://$T/m3 do not match its checkpoint" e.txt &&
	! grep -q "^the copy's checkpoint" e.txt &&
	[ "$(snap m)" = "$before" ] && [ -z "$(ls -A m/.incoming)" ] &&
	ok "a source whose tiles do not hash to its checkpoint: a failure, the copy unchanged" ||
	bad "tiles vs checkpoint: rc $rc $(cat e.txt)"
cp saved.bundle "$last"
cp saved.tile "$tile"
echo junk >m/.incoming/tile_0_999
"$PNYX" mirror --dir m --from "file://$T/m3" --once >o.txt 2>e.txt &&
	grep -q "^copied: $size2 entries (the copy had $size)" o.txt &&
	[ ! -e m/.incoming/tile_0_999 ] &&
	ok "the intact source: copied, leftovers of a crash removed" || bad "m3 intact: $(cat e.txt)"
"$PNYX" verify "file://$T/m" --vkey $VK >v.txt 2>v.err
d=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' v.txt)
[ "$d" = "$(live_digest)" ] && ok "pnyx verify of the copy (file://): the live digest" ||
	bad "verify file: $(cat v.err)"

serve_stop "the forum's server"
echo "$passes passed, $fails failed"
[ $fails = 0 ]
