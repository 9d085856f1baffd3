#!/bin/sh
# The cooperation log of a real `pnyx serve` (docs/COOPERATION.md, docs/API.md
# "Cooperation"): opened on the forum's log, anchored there, its actions
# sequenced, its reads signed with RFC 9421 and refused to whoever may not
# read them (no signature, a bad, stale, replayed or revoked one, a
# stakeholder, a chair, the secretariat for requests, a third member for
# another pair's entries), its figures public, and all of it kept across a
# restart and a SIGKILL.
# $1: tests/forum_writer, $2: tests/action_tool, $3: tests/sign_request.
set -u
: "${PNYX:?}" "${PNYX_SOURCE_ROOT:?}"
FW=${1:?forum_writer}
AT=${2:?action_tool}
SR=${3:?sign_request}
for v in FW AT SR; do
	eval "p=\$$v"
	case $p in /*) ;; *) eval "$v=\$PWD/\$p" ;; esac
done
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin coop-serve
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

"$FW" create fw >/dev/null || { bad "forum_writer"; exit 1; }
K=fw/keys
"$PNYX" keygen coop.test/cooperation -o coop.key >coop.vkey 2>/dev/null &&
	"$PNYX" log init --db coop.db --key coop.key >/dev/null ||
	{ bad "cooperation log init"; exit 1; }
start() {
	serve_start --db fw/forum.db --key $K/log.key --cooperation-db coop.db \
		--cooperation-key coop.key --checkpoint-interval-ms 100
}

# ---- the settings, and a server without a cooperation log ----
"$PNYX" serve --db fw/forum.db --key $K/log.key --cooperation-db coop.db \
	--listen 127.0.0.1:0 >/dev/null 2>cfg.err
[ $? -ne 0 ] && grep -q 'needs both its file (--cooperation-db) and its key' cfg.err &&
	ok "a cooperation log without its key is refused at start-up" || bad "no coop key: $(cat cfg.err)"
"$PNYX" serve --db fw/forum.db --cooperation-db coop.db --cooperation-key coop.key \
	--listen 127.0.0.1:0 >/dev/null 2>cfg.err
[ $? -ne 0 ] && grep -q "needs the forum's sequencer" cfg.err &&
	ok "a cooperation log without the forum's key is refused at start-up" || bad "no forum key: $(cat cfg.err)"
serve_start --db fw/forum.db --key $K/log.key || { bad "serve: $(cat server.err)"; exit 1; }
code=$(curl -s -o p.json -w '%{http_code}' "$U/v1/cooperation/figures")
[ "$code" = 404 ] && [ "$(jq -r .code p.json)" = no-cooperation ] &&
	code=$(curl -s -o p.json -w '%{http_code}' --data-binary x "$U/v1/cooperation/actions") &&
	[ "$code" = 404 ] && [ "$(jq -r .code p.json)" = no-cooperation ] &&
	ok "a server without a cooperation log: 404 no-cooperation, for reads and actions" ||
	bad "no cooperation: $code $(cat p.json)"
serve_stop "without cooperation"

start || { bad "serve: $(cat server.err)"; exit 1; }
ok "the server starts with a cooperation log"
FORUM=$(curl -s "$U/v1/forum" | jq -r .forum.id)

# post FILE: POST a note to the cooperation log; sets code, body in p.json
post() {
	code=$(curl -s -o p.json -w '%{http_code}' --data-binary "@$1" \
		"$U/v1/cooperation/actions")
}
# coop ACTOR SEQ TYPE FIELDS...: a signed cooperation action in ACTOR.SEQ.note
coop() {
	a=$1 s=$2 t=$3
	shift 3
	printf '{"actor":"%s","forum":"%s","seq":%s,"type":"%s"%s}' \
		"$a" "$FORUM" "$s" "$t" "$*" | "$AT" sign "$K/$a.key" >"$a.$s.note"
}
# sget ACTOR PATH [KEYFILE [NONCE [CREATED]]]: a signed GET; code, g.json
sget() {
	"$SR" "${3:-$K/$1.key}" "$1" GET "$U$2" ${4:+"$4"} ${5:+"$5"} >sig.txt ||
		{ code=000; return; }
	code=$(curl -s -o g.json -D g.hdr -w '%{http_code}' \
		-H "$(sed -n 1p sig.txt)" -H "$(sed -n 2p sig.txt)" "$U$2")
}
b64() { head -c "$1" /dev/urandom | base64 -w0; }

# ---- before cooperation.open ----
coop KEN 1 poc.register ',"contacts":[],"salt":"x"'
post KEN.1.note
[ "$code" = 409 ] && [ "$(jq -r .code p.json)" = no-forum ] &&
	ok "before cooperation.open every cooperation action is refused (no-forum)" ||
	bad "before open: $code $(cat p.json)"

"$PNYX" act --server "$U" --key $K/secretariat.key --as secretariat --yes \
	cooperation.open --log_key "$(cat coop.vkey)" --rules \
	'{"ack_hours":{"critical":1,"high":4,"low":72,"medium":24},"ping_window_hours":24,"publish":["data_requests","per_member","pings"]}' \
	>open.out 2>open.err && ok "the secretariat opens cooperation on the forum's log" ||
	bad "cooperation.open: $(cat open.err)"

# ---- the directory ----
contact() { # ID FUNCTION
	printf '{"email":"cert@%s.example","function":"%s","hours":"24/7","id":"%s","key":"%s","languages":["en","fr"],"name":"Duty officer %s","phone":"+1 555 0100","time_zone":"Europe/Paris"}' \
		"$1" "$2" "$1" "$(b64 32)" "$1"
}
for m in KEN FRA NOR; do
	coop $m 1 poc.register ",\"contacts\":[$(contact tech-$m technical),$(contact dip-$m diplomatic)],\"salt\":\"$(b64 32)\""
	post $m.1.note
	[ "$code" = 201 ] || bad "poc.register $m: $code $(cat p.json)"
done
ok "KEN, FRA and NOR register their points of contact"

# ---- a request from KEN to FRA ----
recip() { printf '{"contact":"%s","enc":"%s","key":"%s","member":"%s"}' "$1" "$(b64 32)" "$(b64 48)" "$2"; }
sealed() { printf ',"sealed":{"ct":"%s","recipients":[%s,%s]}' "$(b64 80)" "$(recip "$1" "$2")" "$(recip "$3" "$4")"; }
coop KEN 2 request.send ',"kind":"incident","severity":"high","tlp":"AMBER","to":"FRA"'"$(sealed tech-FRA FRA tech-KEN KEN)"
post KEN.2.note
[ "$code" = 201 ] && ok "KEN sends FRA an incident notification" ||
	bad "request.send: $code $(cat p.json)"
req_index=$(jq -r .index p.json)
coop KEN 3 request.send ',"kind":"data","severity":"low","tlp":"RED","to":"FRA"'"$(sealed tech-FRA FRA tech-KEN KEN)"
post KEN.3.note
[ "$code" = 422 ] && [ "$(jq -r .code p.json)" = invalid-field ] &&
	ok "a data request without a legal basis is refused (invalid-field)" ||
	bad "data request without legal basis: $code $(cat p.json)"
coop NOR 2 request.ack ',"request":"KEN:2"'
post NOR.2.note
nor_msg=$(jq -r .detail p.json)
coop NOR 2 request.ack ',"request":"KEN:99"'
post NOR.2.note
[ "$code" = 422 ] && [ "$nor_msg" = "$(jq -r .detail p.json | sed 's/KEN:99/KEN:2/')" ] &&
	ok "a third member acting on the request gets the same answer as for one that does not exist" ||
	bad "third member: $code '$nor_msg' vs '$(jq -r .detail p.json)'"

# ---- signed reads ----
code=$(curl -s -o g.json -D g.hdr -w '%{http_code}' "$U/v1/cooperation/requests")
[ "$code" = 401 ] && [ "$(jq -r .code g.json)" = signature-required ] &&
	grep -qi '^Accept-Signature: pnyx=("@method" "@authority" "@path" "@query")' g.hdr &&
	ok "an unsigned read: 401 signature-required with Accept-Signature" ||
	bad "unsigned: $code $(cat g.json)"
sget FRA "/v1/cooperation/requests?box=inbox"
[ "$code" = 200 ] && [ "$(jq -r '.items[0].id' g.json)" = KEN:2 ] &&
	[ "$(jq -r '.items[0].status' g.json)" = sent ] &&
	grep -qi '^Cache-Control: private, no-store' g.hdr &&
	ok "FRA's signed inbox holds KEN:2 (private, no-store)" || bad "FRA inbox: $code $(cat g.json)"
sget KEN "/v1/cooperation/requests?box=outbox"
[ "$(jq -r '.items | length' g.json)" = 1 ] && ok "KEN's outbox holds it" || bad "KEN outbox: $(cat g.json)"
sget NOR "/v1/cooperation/requests"
[ "$code" = 200 ] && [ "$(jq -r '.items | length' g.json)" = 0 ] &&
	ok "NOR sees no request of the pair" || bad "NOR requests: $code $(cat g.json)"
sget NOR "/v1/cooperation/entries?limit=1000"
[ "$code" = 200 ] && ! jq -e ".items[] | select(.index == $req_index)" g.json >/dev/null &&
	[ "$(jq -r '.items | length' g.json)" = 3 ] &&
	ok "NOR's entries: the three directory entries, not KEN's request" ||
	bad "NOR entries: $code $(jq -c '[.items[].index]' g.json)"
sget NOR "/v1/cooperation/entries/$req_index"
[ "$code" = 404 ] && ok "NOR asking for KEN's request entry by index: 404" || bad "NOR entry: $code"
sget FRA "/v1/cooperation/entries/$req_index"
if [ "$code" = 200 ] && [ "$(jq -r .index g.json)" = "$req_index" ]; then
	jq -r .leaf g.json | base64 -d >leaf.bin
	jq -r .checkpoint g.json >cp.txt
	grep -q '"type":"request.send"' leaf.bin &&
		ok "FRA reads the entry with its proof and the checkpoint" ||
		bad "entry leaf: $(head -c 200 leaf.bin)"
else
	bad "FRA entry: $code $(cat g.json)"
fi
sget FRA "/v1/cooperation/checkpoint"
[ "$code" = 200 ] && head -1 g.json | grep -q '^coop.test/cooperation$' &&
	ok "the cooperation checkpoint is served to a member" || bad "coop checkpoint: $code"

# refusals
sget FRA "/v1/cooperation/requests" "" fixed-nonce-1234567890
sget FRA "/v1/cooperation/requests" "" fixed-nonce-1234567890
[ "$code" = 401 ] && jq -r .detail g.json | grep -q 'nonce was used' &&
	ok "a replayed signature (same nonce): 401" || bad "replay: $code $(cat g.json)"
sget FRA "/v1/cooperation/requests" "" "" "$(($(date +%s) - 1000))"
[ "$code" = 401 ] && [ "$(jq -r .code g.json)" = bad-request-signature ] &&
	ok "a signature created 1000 s ago: 401" || bad "stale: $code $(cat g.json)"
sget FRA "/v1/cooperation/requests" "$K/KEN.key"
[ "$code" = 401 ] && ok "FRA's keyid with KEN's key: 401" || bad "wrong key: $code"
sget sh.acme "/v1/cooperation/directory"
[ "$code" = 403 ] && [ "$(jq -r .code g.json)" = forbidden ] &&
	ok "a stakeholder: 403" || bad "stakeholder: $code $(cat g.json)"
sget chair.1 "/v1/cooperation/directory"
[ "$code" = 403 ] && ok "a chair: 403" || bad "chair: $code"
sget secretariat "/v1/cooperation/directory"
[ "$code" = 200 ] && [ "$(jq -r '.items | length' g.json)" = 3 ] &&
	ok "the secretariat reads the directory" || bad "secretariat directory: $code"
sget secretariat "/v1/cooperation/requests"
[ "$code" = 403 ] && ok "the secretariat may not read requests: 403" || bad "secretariat requests: $code"
"$PNYX" keygen coop.test/USA2 -o usa2.key >usa2.vkey 2>/dev/null
"$PNYX" act --server "$U" --key $K/USA.key --as USA --yes key.add \
	--key "$(cat usa2.vkey)" >/dev/null 2>&1 &&
	"$PNYX" act --server "$U" --key usa2.key --as USA --yes key.revoke \
		--key "$(cat $K/USA.vkey)" >/dev/null 2>act.err ||
	bad "USA key rotation: $(cat act.err)"
sget USA "/v1/cooperation/directory"
[ "$code" = 401 ] && ok "a revoked key: 401" || bad "revoked key: $code"
sget USA "/v1/cooperation/directory" usa2.key
[ "$code" = 200 ] && ok "the new key: 200" || bad "new key: $code $(cat g.json)"

# ---- lifecycle and figures ----
coop FRA 2 request.ack ',"request":"KEN:2"'
post FRA.2.note
[ "$code" = 201 ] && ok "FRA acknowledges" || bad "ack: $code $(cat p.json)"
coop KEN 3 request.send ',"kind":"data","legal_basis":"Mutual legal assistance treaty, art. 12 (test)","severity":"medium","tlp":"RED","to":"FRA"'"$(sealed tech-FRA FRA tech-KEN KEN)"
post KEN.3.note
[ "$code" = 201 ] && ok "a data request with its legal basis is accepted" ||
	bad "data request: $code $(cat p.json)"
coop FRA 3 request.decline ',"grounds":"political-offence","request":"KEN:3"'
post FRA.3.note
[ "$code" = 201 ] && ok "FRA refuses it on stated grounds (political offence)" ||
	bad "decline data request: $code $(cat p.json)"
code=$(curl -s -o f.json -w '%{http_code}' "$U/v1/cooperation/figures")
[ "$code" = 200 ] && [ "$(jq -r '.figures.per_member.FRA.received' f.json)" = 2 ] &&
	[ "$(jq -r '.figures.per_member.FRA.acknowledged' f.json)" = 2 ] &&
	ok "the public figures: FRA received 2, answered both (an acknowledgement and a refusal)" || bad "figures: $code $(cat f.json)"
[ "$(jq -c '.figures.data_requests.KEN.FRA' f.json)" = '{"granted":0,"made":1,"refusals":{"political-offence":1},"refused":1}' ] &&
	ok "the refusal is counted in the published data-request figures, by grounds" ||
	bad "data request figures: $(jq -c .figures.data_requests f.json)"
grep -q 'Duty officer\|KEN:2\|AMBER' f.json && bad "figures leak the directory or a request" ||
	ok "the public figures name no contact and no request"
# the anchor follows the cooperation log's next checkpoint
i=0
while [ $i -lt 100 ]; do
	curl -s "$U/v1/cooperation/figures" >f.json
	a=$(jq -r '.last_anchor.size // 0' f.json)
	[ "$a" = 7 ] && [ "$(jq -r .tree_size f.json)" = 7 ] && break
	sleep 0.1
	i=$((i + 1))
done
sget FRA "/v1/cooperation/checkpoint"
[ "$a" = 7 ] && [ "$(sed -n 3p g.json)" = "$(jq -r .last_anchor.root f.json)" ] &&
	ok "the forum's log anchors all 7 entries, with the root of the cooperation checkpoint" ||
	bad "anchor: size $a, $(cat f.json)"
curl -s "$U/v1/actors/cooperation/actions" | jq -e '.items[0].type == "cooperation.anchor"' >/dev/null &&
	ok "the anchors are cooperation.anchor actions of the actor cooperation" ||
	bad "anchor actions: $(curl -s "$U/v1/actors/cooperation/actions")"

# ---- pnyx verify: a member's view, and the whole log ----
"$PNYX" verify "$U" --vkey @$K/log.vkey --cooperation $K/FRA.key --as FRA \
	>v.out 2>v.err
[ $? = 0 ] && grep -q '^figures: the 3 published groups agree with the replay of your 7 entries' v.out &&
	grep -q '^anchors: the cooperation log (7 entries) extends the forum.s last anchor (7 entries)' v.out &&
	ok "pnyx verify --cooperation: FRA's 7 entries, proofs, anchor and figures agree" ||
	bad "verify FRA: $(cat v.err v.out | tail -5)"
"$PNYX" verify "$U" --vkey @$K/log.vkey --cooperation $K/NOR.key --as NOR \
	>v.out 2>v.err && grep -q 'replay of your 3 entries' v.out &&
	ok "pnyx verify --cooperation: NOR checks its 3 entries" || bad "verify NOR: $(tail -3 v.err)"
"$PNYX" verify --db fw/forum.db --vkey @$K/log.vkey --cooperation-db coop.db >vd.out 2>&1 &&
	grep -q '^  FRA: sent 0, received 2, acknowledged 2' vd.out &&
	grep -q '^anchors: the forum.s log holds [0-9]* anchors\? of the cooperation log' vd.out &&
	ok "pnyx verify --cooperation-db: the whole log replays to the same figures" ||
	bad "verify --cooperation-db: $(tail -5 vd.out)"
cp coop.db forged.db
sqlite3 forged.db "update entries set data = replace(data, 'AMBER', 'GREEN') where idx = $req_index"
"$PNYX" verify --db fw/forum.db --vkey @$K/log.vkey --cooperation-db forged.db >vd.out 2>&1
[ $? = 1 ] && ok "a cooperation log altered in a copy fails verification" ||
	bad "forged coop log: $(tail -3 vd.out)"

# ---- bad input changes nothing ----
before=$(sqlite3 coop.db 'select count(*) from entries' 2>/dev/null)
head -c 70000 /dev/zero | tr '\0' 'a' >big.bin
post big.bin
[ "$code" = 413 ] && ok "a body over 65000 bytes: 413" || bad "big: $code"
printf 'not a note' >junk.bin
post junk.bin
[ "$code" = 400 ] && ok "a malformed note: 400" || bad "junk: $code"
printf '{"actor":"KEN","forum":"%s","key":"x","seq":3,"type":"key.add"}' "$FORUM" |
	"$AT" sign $K/KEN.key >pub.note
post pub.note
[ "$code" = 400 ] && [ "$(jq -r .code p.json)" = unknown-action-type ] &&
	ok "a forum action posted to the cooperation log: unknown-action-type" ||
	bad "public action on coop log: $code $(cat p.json)"
code=$(curl -s -o p.json -w '%{http_code}' --data-binary @FRA.2.note "$U/v1/actions")
[ "$code" = 400 ] && ok "a cooperation action posted to the forum's log: 400" ||
	bad "coop action on forum log: $code $(cat p.json)"
post FRA.2.note
[ "$code" = 409 ] && ok "a replayed cooperation action: 409" || bad "replay action: $code"
[ "$(sqlite3 coop.db 'select count(*) from entries' 2>/dev/null)" = "$before" ] &&
	ok "the refused input appended nothing" || bad "the cooperation log grew"

# ---- metrics ----
curl -s "$U/metrics" >m.txt
grep -q '^pnyx_cooperation_actions_accepted_total [1-9]' m.txt &&
	grep -q '^pnyx_cooperation_actions_refused_total{code="invalid-field"} [1-9]' m.txt &&
	grep -q '^pnyx_actions_accepted_total [1-9]' m.txt &&
	ok "/metrics counts the cooperation log's actions apart from the forum's" ||
	bad "metrics: $(grep cooperation m.txt | head -5)"

# ---- restart and SIGKILL ----
sget FRA "/v1/cooperation/requests"
jq -S .items g.json >before.json
serve_stop "cooperation"
start || { bad "restart: $(cat server.err)"; exit 1; }
sget FRA "/v1/cooperation/requests"
jq -S .items g.json >after.json
cmp -s before.json after.json &&
	[ "$(jq -r '.[] | select(.id == "KEN:2") | .status' after.json)" = acknowledged ] &&
	ok "after a restart the replayed requests are the same" || bad "restart: $(diff before.json after.json)"
coop FRA 4 request.decline ',"grounds":"human-rights","request":"KEN:2"'
post FRA.4.note
[ "$code" = 201 ] || bad "decline: $code $(cat p.json)"
kill -9 "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
pid=""
start || { bad "restart after SIGKILL: $(cat server.err)"; exit 1; }
sget KEN "/v1/cooperation/requests?box=outbox"
[ "$(jq -r '.items[] | select(.id == "KEN:2") | .status' g.json)" = declined ] &&
	[ "$(jq -r '.items[] | select(.id == "KEN:2") | .grounds' g.json)" = human-rights ] &&
	ok "the acknowledged decline survives SIGKILL" || bad "after kill: $(cat g.json)"

# ---- another cooperation log than the one the forum opened ----
anchored=$(curl -s "$U/v1/cooperation/figures" | jq -c .last_anchor)
serve_stop "before the other log"
"$PNYX" keygen coop.test/other -o other.key >/dev/null 2>&1 &&
	"$PNYX" log init --db other.db --key other.key >/dev/null || bad "other log init"
serve_start --db fw/forum.db --key $K/log.key --cooperation-db other.db \
	--cooperation-key other.key || bad "serve other: $(cat server.err)"
grep -q "names the cooperation log key .*, not this log's" server.err &&
	ok "a cooperation log whose key the forum did not name is reported at start-up" ||
	bad "no warning: $(cat server.err)"
coop KEN 1 poc.register ",\"contacts\":[$(contact tech-KEN technical)],\"salt\":\"$(b64 32)\""
post KEN.1.note
[ "$code" = 201 ] || bad "an entry on the other log: $code $(cat p.json)"
i=0 # its checkpoint, after which the log would be anchored
while sget KEN /v1/cooperation/checkpoint && [ "$(sed -n 2p g.json)" != 1 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ "$(sed -n 2p g.json)" = 1 ] &&
	[ "$(curl -s "$U/v1/cooperation/figures" | jq -c .last_anchor)" = "$anchored" ] &&
	ok "and its checkpoint is not anchored on the forum's log" || bad "other log anchored: $(cat g.json)"
serve_stop "other log"
start || { bad "restart: $(cat server.err)"; exit 1; }

# ---- a ping round ----
coop secretariat 1 ping.start ',"round":"r1"'
post secretariat.1.note
[ "$code" = 201 ] || bad "ping.start: $code $(cat p.json)"
coop FRA 5 ping.ack ',"contact":"tech-FRA","round":"r1"'
post FRA.5.note
coop FRA 6 ping.ack ',"contact":"dip-FRA","round":"r1"'
post FRA.6.note
[ "$code" = 201 ] || bad "ping.ack: $code $(cat p.json)"
sget secretariat "/v1/cooperation/pings"
[ "$(jq -c '.items[0].results' g.json)" = '{"FRA":"answered","KEN":"pending","NOR":"pending"}' ] &&
	ok "the ping round: FRA answered for both contacts, KEN and NOR not yet" ||
	bad "pings: $(cat g.json)"
serve_stop "cooperation after SIGKILL"
rm -rf "$T"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
