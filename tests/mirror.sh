#!/bin/sh
# Static mirroring: a forum's checkpoint and C2SP tiles copied from the real
# server into a plain directory, served by another HTTP server (Debian's
# python3 -m http.server) and read as file://. `pnyx verify URL` against the
# copy replays the forum and reaches the live server's digest; against a
# tampered copy (an entry, a hash tile, the checkpoint, a missing tile,
# another log's checkpoint) it fails with one reason and exit 1.
# $1: tests/forum_writer (a scripted forum with real keys).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
FW=${1:?forum_writer}
case $FW in /*) ;; *) FW="$PWD/$FW" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin mirror
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

pid=""
hpid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$hpid" ] && kill "$hpid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

# tile_index N: N in 3-digit groups, all but the last prefixed with x
tile_index() {
	n=$1
	s=$(printf '%03d' $((n % 1000)))
	n=$((n / 1000))
	while [ $n -gt 0 ]; do
		s="x$(printf '%03d' $((n % 1000)))/$s"
		n=$((n / 1000))
	done
	echo "$s"
}

# tile_paths SIZE: every tile and entry bundle of the tree of SIZE leaves
tile_paths() {
	level=0
	while :; do
		n=$(($1 >> (8 * level)))
		[ $n -eq 0 ] && break
		i=0
		while [ $i -lt $((n / 256)) ]; do
			echo "tile/$level/$(tile_index $i)"
			[ $level = 0 ] && echo "tile/entries/$(tile_index $i)"
			i=$((i + 1))
		done
		if [ $((n % 256)) -ne 0 ]; then
			echo "tile/$level/$(tile_index $i).p/$((n % 256))"
			[ $level = 0 ] && echo "tile/entries/$(tile_index $i).p/$((n % 256))"
		fi
		level=$((level + 1))
	done
}

# mirror DIR: copies the checkpoint and every tile it needs from the server
mirror() {
	mkdir -p "$1"
	curl -sf -o "$1/checkpoint" "$U/checkpoint" || return 1
	size=$(sed -n 2p "$1/checkpoint")
	for p in $(tile_paths "$size"); do
		mkdir -p "$1/$(dirname "$p")"
		curl -sf -o "$1/$p" "$U/$p" || return 1
	done
}

# verify_fails NAME PATTERN URL: exit 1 with PATTERN in the reason
verify_fails() {
	"$PNYX" verify "$3" --vkey @fw/keys/log.vkey >out.txt 2>err.txt
	rc=$?
	[ $rc = 1 ] && grep -q -- "$2" err.txt && ok "$1: exit 1" ||
		bad "$1: rc $rc: $(cat err.txt)"
}

# ---- a forum of more than 256 entries on the real server ----
"$FW" create fw >fw.out 2>&1 || { bad "forum_writer: $(cat fw.out)"; exit 1; }
serve_start --db fw/forum.db --key fw/keys/log.key --checkpoint-interval-ms 100 ||
	{ bad "server did not start: $(cat server.err)"; exit 1; }
i=0
while [ $i -lt 200 ]; do
	"$PNYX" act --server "$U" --key fw/keys/secretariat.key --as secretariat \
		--yes credentials.record --member FRA --text "Credentials no. $i" \
		>act.out 2>act.err || { bad "act $i: $(cat act.err)"; break; }
	i=$((i + 1))
done
sed -n '/^pnyx-receipt v1$/,$p' act.out >last.receipt
"$PNYX" act --server "$U" --key fw/keys/KEN.key --as KEN --yes \
	--receipt ken.receipt key.add --key "$("$PNYX" keygen mirror.test/KEN2 \
	-o ken2.key 2>/dev/null)" >/dev/null 2>act.err || bad "KEN key.add: $(cat act.err)"
wait_checkpoint "$(curl -s "$U/v1/log" | jq -r .size)" || bad "no checkpoint covers the log"
live=$(curl -s "$U/v1/state/digest" | jq -r .digest)
size=$(curl -s "$U/v1/log" | jq -r .size)
[ "$size" -gt 256 ] && ok "the forum has $size entries (more than one tile)" ||
	bad "only $size entries"

mirror m && ok "checkpoint and $(tile_paths "$size" | wc -l) tiles copied to a directory" ||
	bad "mirroring failed"
[ "$(sed -n 2p m/checkpoint)" = "$size" ] || bad "the checkpoint lags: $(sed -n 2p m/checkpoint)"
[ -f m/tile/1/000.p/1 ] && ok "the copy has a level-1 tile" || bad "no level-1 tile"

# ---- the copy, served by another web server ----
"$PY" -u -m http.server 0 --bind 127.0.0.1 --directory "$T" >http.out 2>http.err &
hpid=$!
i=0
while ! grep -q 'port [0-9]' http.out 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' http.out | head -1)
H="http://127.0.0.1:$port"
M="$H/m"
[ -n "$port" ] && ok "python3 -m http.server serves the copy at $M" ||
	bad "http.server did not start: $(cat http.err)"

"$PNYX" verify "$M" --vkey @fw/keys/log.vkey --receipt ken.receipt \
	--receipt last.receipt >v.txt 2>v.err
rc=$?
d=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' v.txt)
[ $rc = 0 ] && [ "$d" = "$live" ] && grep -q 'publishes no forum state' v.txt &&
	[ "$(grep -c ': ok: entry' v.txt)" = 2 ] &&
	ok "verify of the mirror: the live server's digest, receipts checked" ||
	bad "verify mirror: rc $rc $(cat v.err) $(tail -5 v.txt)"
"$PNYX" verify "$M" >/dev/null 2>err.txt
[ $? = 1 ] && grep -q 'give it with --vkey' err.txt &&
	ok "a mirror without --vkey: the key must be given" || bad "no vkey: $(cat err.txt)"

"$PNYX" verify "file://$T/m" --vkey @fw/keys/log.vkey >f.txt 2>f.err
rc=$?
d=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' f.txt)
[ $rc = 0 ] && [ "$d" = "$live" ] && ok "verify of file:// copy: the same digest" ||
	bad "file://: rc $rc $(cat f.err)"
"$PNYX" verify "$U" --vkey @fw/keys/log.vkey >l.txt 2>l.err &&
	grep -q '^decisions: the server shows all' l.txt &&
	ok "verify of the live server agrees with it" || bad "live: $(cat l.err)"

# ---- tampered copies ----
tamper() { rm -rf t && cp -r m t; }
tamper
# one byte of the first entry (inside the forum.create action's text)
flip_byte t/tile/entries/000 40
verify_fails "an altered entry" "entry bundle 0: .*(mismatch)" "file://$T/t"
tamper
flip_byte t/tile/0/000 100
verify_fails "an altered hash tile" "(mismatch)" "file://$T/t"
tamper
rm "t/tile/entries/001.p/$((size % 256))"
verify_fails "a missing entry bundle" "HTTP 404" "file://$T/t"
tamper
# the root's first character, changed whatever it was
sed -i '3{/^A/{s/^A/B/;b};s/^./A/}' t/checkpoint
verify_fails "an altered checkpoint" "checkpoint" "file://$T/t"
tamper
"$PNYX" keygen "$(sed -n 1p m/checkpoint)" -o fake.key >/dev/null 2>&1
{ sed -n 1,3p m/checkpoint; } | "$PNYX" note sign --key fake.key >t/checkpoint 2>/dev/null
verify_fails "a checkpoint signed by another key of the same name" "checkpoint" "file://$T/t"
tamper
flip_byte t/tile/entries/000 40
verify_fails "an altered entry served over HTTP" "(mismatch)" "$H/t"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
