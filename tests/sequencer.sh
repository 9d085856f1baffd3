#!/bin/sh
# End-to-end test of the sequencer (`pnyx serve --key`, POST /v1/actions):
# a forum created and driven through the real server with curl, concurrent
# posts from 8 members (group commit), every kind of bad request (each its
# problem code, the state digest and the tree size unchanged), receipts
# checked with `pnyx receipt check`, the digest the server reports equal to
# `pnyx verify`'s, and the start-up checks (wrong key, refused entry).
# $1: tests/action_tool (signs action notes).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
AT=${1:?action_tool}
case $AT in /*) ;; *) AT="$PWD/$AT" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin sequencer

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

# post FILE: POST the file as an action; $code and b.txt.
post() {
	code=$(curl -s -o b.txt -w '%{http_code}' --data-binary "@$1" "$U/v1/actions")
}
get() {
	code=$(curl -s -o g.txt -w '%{http_code}' "$U$1")
}
# the state digest and the tree size, as one line
snapshot() {
	get /v1/state/digest
	d=$(jq -r '"\(.leaves) \(.digest)"' g.txt)
	get /v1/log
	echo "$d $(jq -r .size g.txt)"
}

# sign WHO SEQ TYPE FIELDS [KEYFILE]: an action of forum oewg as note file
# WHO.SEQ.note; FIELDS is the rest of the JSON object (may be empty).
sign() {
	f=${4:+,$4}
	printf '{"actor":"%s","forum":"oewg","seq":%s,"type":"%s"%s}' \
		"$1" "$2" "$3" "$f" | "$AT" sign "${5:-$1.key}" >"$1.$2.note"
}

# expect NAME FILE STATUS CODE: posting FILE is refused with that problem,
# and the state and the log are unchanged.
expect() {
	before=$(snapshot)
	post "$2"
	got=$(jq -r .code b.txt 2>/dev/null)
	if [ "$code" = "$3" ] && [ "$got" = "$4" ]; then
		ok "$1: $3 $4"
	else
		bad "$1: got $code $got, want $3 $4: $(cat b.txt)"
	fi
	after=$(snapshot)
	[ "$before" = "$after" ] && ok "$1: state and log unchanged" ||
		bad "$1: changed from '$before' to '$after'"
}

# accepted NAME: the last post was a 201 with index, hash, time, receipt;
# keeps the receipt as receipt.<index>.
accepted() {
	idx=$(jq -r .index b.txt 2>/dev/null)
	if [ "$code" = 201 ] && [ -n "$idx" ] && [ "$idx" != null ] &&
	   jq -e '(.leaf_hash | length) == 44 and (.time_ms > 1700000000000)
		  and (.receipt | startswith("pnyx-receipt v1\n"))' b.txt >/dev/null; then
		jq -j .receipt b.txt >"receipt.$idx"
		ok "$1: 201 at index $idx"
	else
		bad "$1: $code $(cat b.txt)"
	fi
}

# ---- keys and an empty log ----
members="FRA KEN BRA CHN EGY FJI IND JPN"
"$PNYX" keygen log.example/seq -o log.key >log.vkey 2>/dev/null
"$PNYX" keygen log.example/other -o other-log.key >/dev/null 2>&1
for id in secretariat chair.1 $members stranger; do
	"$PNYX" keygen "pnyx.test/$id" -o "$id.key" >"$id.vkey" 2>/dev/null
done
"$PNYX" log init --db forum.db --key log.key >/dev/null

# ---- start-up checks ----
if serve_start --db forum.db --key other-log.key; then
	bad "a key that is not the log's is refused"
	serve_stop "wrong key"
else
	[ "$(cat server.rc)" = 1 ] && grep -q 'does not match' server.err &&
		ok "a key that is not the log's: exit 1, 'does not match'" ||
		bad "wrong key: rc $(cat server.rc): $(cat server.err)"
fi
"$PNYX" log init --db junk.db --key log.key >/dev/null
echo "not a leaf" | "$PNYX" log append --db junk.db >/dev/null
if serve_start --db junk.db --key log.key; then
	bad "a log with a refused entry is refused"
	serve_stop "junk log"
else
	grep -q 'entry 0 .*malformed-leaf' server.err &&
		ok "a refused entry at start-up: exit 1 with its index and verdict" ||
		bad "junk log: $(cat server.err)"
fi

serve_start --db forum.db --key log.key --checkpoint-interval-ms 200 --threads 8 ||
	{ bad "server did not start: $(cat server.err)"; exit 1; }
get /v1/state/digest
[ "$code" = 200 ] && [ "$(jq -r .leaves g.txt)" = 0 ] &&
	ok "GET /v1/state/digest of an empty log: 0 leaves" || bad "digest: $code $(cat g.txt)"

# ---- before the forum: only forum.create ----
sign FRA 1 key.add "\"key\":\"$(cat stranger.vkey)\""
expect "an action before forum.create" FRA.1.note 409 no-forum

# ---- forum.create and the first actions ----
mlist=""
for m in $members; do
	mlist="$mlist${mlist:+,}{\"code\":\"$m\",\"key\":\"$(cat $m.vkey)\"}"
done
sign secretariat 1 forum.create "\"title\":\"Sequencer test\",\"languages\":[\"en\",\"fr\"],\"rules\":{\"important_majority\":\"two-thirds\",\"majority\":\"simple\",\"objection_window_hours\":336,\"procedures\":[\"consensus\",\"silence\",\"vote\"],\"quorum_percent\":50,\"silence_min_hours\":72,\"vote_on_request\":true},\"secretariat_key\":\"$(cat secretariat.vkey)\",\"chairs\":[{\"id\":\"chair.1\",\"key\":\"$(cat chair.1.vkey)\",\"name\":\"The Chair\"}],\"members\":[$mlist]"
post secretariat.1.note
accepted "forum.create"
[ "$idx" = 0 ] && ok "forum.create is entry 0" || bad "forum.create at $idx"
sign secretariat 2 credentials.record '"member":"FRA","text":"Credentials received"'
post secretariat.2.note
accepted "credentials.record"

# ---- 8 members, 5 actions each, posted concurrently ----
n=1
while [ $n -le 5 ]; do
	for m in $members; do
		"$PNYX" keygen "pnyx.test/$m-$n" -o "$m-$n.key" >"$m-$n.vkey" 2>/dev/null
		sign "$m" "$n" key.add "\"key\":\"$(cat $m-$n.vkey)\""
	done
	n=$((n + 1))
done
for m in $members; do
	(for n in 1 2 3 4 5; do
		curl -s -o "$m.$n.out" -w '%{http_code}\n' \
			--data-binary "@$m.$n.note" "$U/v1/actions"
	 done >"$m.codes") &
	loops="${loops:-} $!"
done
wait $loops # not the server's wrapper
codes=$(cat *.codes | sort | uniq -c | tr -s ' ')
[ "$codes" = " 40 201" ] && ok "40 concurrent actions of 8 members: all 201" ||
	bad "concurrent actions: $codes"
for m in $members; do
	for n in 1 2 3 4 5; do
		cp "$m.$n.out" b.txt
		code=201
		jq -e .index b.txt >/dev/null && jq -j .receipt b.txt >"receipt.$(jq .index b.txt)"
	done
done
nreceipts=$(ls receipt.* | wc -l)
[ "$nreceipts" = 42 ] && ok "42 distinct indices in the 201 bodies" ||
	bad "$nreceipts distinct indices"
seq 0 41 | sed 's/^/receipt./' | sort >want.txt
ls receipt.* | sort >got.txt
cmp -s want.txt got.txt && ok "indices 0 to 41, no gap" || bad "indices have gaps"
get /metrics
grep -q '^pnyx_actions_accepted_total 42$' g.txt &&
	grep -q '^pnyx_actions_refused_total{code="no-forum"} 1$' g.txt &&
	grep -q '^pnyx_batch_size_count ' g.txt &&
	grep -q '^pnyx_append_seconds_bucket{le="+Inf"} ' g.txt &&
	grep -q 'route="/v1/actions",status="201"} 42' g.txt &&
	ok "metrics: accepted, refused by code, batch sizes, append latency" ||
	bad "metrics: $(grep -E 'actions|batch|append' g.txt)"

# ---- every bad request ----
printf 'hello\n' >plain.txt
expect "not a signed note" plain.txt 400 malformed-note
: >empty.txt
expect "an empty body" empty.txt 400 malformed-note
sign FRA 6 key.add "\"key\":\"$(cat stranger.vkey)\""
printf '{"actor":"FRA","forum":"oewg","seq":6,"type":"key.add","key":"%s"}' \
	"$(cat stranger.vkey)" | "$AT" forge FRA.key >forged.note
expect "a signature that does not verify" forged.note 400 bad-signature
printf '{"actor":"FRA","forum":"oewg","seq":6,"type":"key.add","key":"%s"}' \
	"$(cat stranger.vkey)" | "$AT" sign stranger.key >unknown.note
expect "signed by a key FRA does not have" unknown.note 403 unknown-key
sign FRA 5 key.add "\"key\":\"$(cat stranger.vkey)\"" FRA-1.key
expect "a sequence number used before" FRA.5.note 409 seq-replayed
sign FRA 8 key.add "\"key\":\"$(cat stranger.vkey)\""
expect "a sequence number skipped" FRA.8.note 409 seq-skipped
head -c 61441 /dev/zero | tr '\0' 'a' >big.txt
expect "a body over 60 KiB" big.txt 413 too-large
printf 'pnyx-action v1\n{"actor":"FRA","forum":"oewg","seq":6,"type":"key.add","key":"\377"}\n' >utf8.txt
"$AT" text FRA.key <utf8.txt >utf8.note 2>/dev/null || cp utf8.txt utf8.note
expect "invalid UTF-8" utf8.note 400 malformed-note
printf 'pnyx-action v1\n{"actor":"FRA",forum}\n' | "$AT" text FRA.key >json.note
expect "invalid JSON" json.note 400 malformed-action
sign FRA 6 credentials.record '"member":"KEN","text":"Self-made"'
expect "an action FRA's role may not take" FRA.6.note 403 not-permitted
printf '{"actor":"FRA","forum":"other","seq":6,"type":"key.add","key":"%s"}' \
	"$(cat stranger.vkey)" | "$AT" sign FRA.key >other.note
expect "another forum" other.note 422 wrong-forum
sign FRA 6 key.add "\"key\":\"$(cat stranger.vkey)\""
post FRA.6.note
accepted "FRA's next action after the refusals"
[ "$idx" = 42 ] && ok "refusals used no index" || bad "index $idx after refusals"

# ---- checkpoint, digest, restart ----
wait_checkpoint 43
get /checkpoint
[ "$(sed -n 2p g.txt)" = 43 ] && ok "the interval's checkpoint covers the 43 entries" ||
	bad "checkpoint: $(cat g.txt)"
get /v1/state/digest
digest=$(jq -r .digest g.txt)
[ "$(jq -r .leaves g.txt)" = 43 ] && ok "digest after 43 leaves" || bad "digest: $(cat g.txt)"
serve_stop "sequencer"
serve_start --db forum.db --key log.key --checkpoint-interval-ms 3600000 ||
	{ bad "restart: $(cat server.err)"; exit 1; }
get /v1/state/digest
[ "$(jq -r .digest g.txt)" = "$digest" ] && ok "restart: the replayed state has the same digest" ||
	bad "restart digest: $(cat g.txt)"
sign KEN 6 key.add "\"key\":\"$(cat stranger.vkey)\""
post KEN.6.note
accepted "an action after the restart"
# an hour's interval: only a checkpoint on demand covers entry 43 now
get /checkpoint
[ "$(sed -n 2p g.txt)" = 43 ] && ok "with an hour's interval the checkpoint still covers 43" ||
	bad "checkpoint before the demand: $(cat g.txt)"
code=$(curl -s -o c.txt -w '%{http_code}' -X POST "$U/v1/checkpoint")
[ "$code" = 200 ] && [ "$(sed -n 2p c.txt)" = 44 ] &&
	"$PNYX" note verify --vkey "$(cat log.vkey)" <c.txt >/dev/null 2>&1 &&
	ok "POST /v1/checkpoint: a checkpoint of 44 entries, signed by the log key, at once" ||
	bad "checkpoint on demand: $code $(cat c.txt)"
get /checkpoint
cmp -s c.txt g.txt && ok "GET /checkpoint then serves the same checkpoint" ||
	bad "GET /checkpoint after the demand: $(cat g.txt)"
code=$(curl -s -o c2.txt -w '%{http_code}' -X POST "$U/v1/checkpoint")
[ "$code" = 200 ] && cmp -s c.txt c2.txt &&
	ok "POST /v1/checkpoint with nothing new: the same checkpoint, none signed" ||
	bad "second demand: $code"
get /v1/state/digest
digest=$(jq -r .digest g.txt)
serve_stop "restarted sequencer"
"$PNYX" receipt check --db forum.db receipt.* >check.out 2>check.err
[ $? = 0 ] && [ "$(grep -c ': ok: entry' check.out)" = 44 ] &&
	ok "pnyx receipt check: the 44 receipts check against the log" ||
	bad "receipt check: $(head -3 check.err)"
"$PNYX" verify --db forum.db >verify.out 2>&1 &&
	grep -q "state digest: $digest" verify.out &&
	ok "pnyx verify: the same state digest as the server" ||
	bad "pnyx verify: $(tail -3 verify.out), server $digest"

# ---- without --key the server is read-only ----
serve_start --db forum.db || { bad "read-only start: $(cat server.err)"; exit 1; }
post FRA.6.note
[ "$code" = 501 ] && [ "$(jq -r .code b.txt)" = not-implemented ] &&
	ok "without --key: POST /v1/actions is 501" || bad "read-only: $code"
code=$(curl -s -o c.txt -w '%{http_code}' -X POST "$U/v1/checkpoint")
[ "$code" = 501 ] && ok "without --key: POST /v1/checkpoint is 501" || bad "read-only checkpoint: $code"
serve_stop "read-only server"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
