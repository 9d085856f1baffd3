#!/bin/sh
# Cooperation between members with the real CLI against the real server
# (docs/COOPERATION.md): `pnyx serve` with a cooperation log; three
# members register points of contact (`pnyx keygen --contact`, `pnyx act
# poc.register`); KEN sends FRA an incident notification with a marker
# string and an attachment; FRA's inbox shows it decrypted, BRA's does not,
# and a key that is not FRA's cannot read it; no SQLite file and no API
# answer holds the marker; FRA acknowledges and answers, KEN reads the
# answer; a ciphertext altered before signing is accepted by the server
# but refused on decryption with the clear sentence; a data request
# without a legal basis is refused by the CLI and by the server; a
# decline on grounds is recorded and counted in the public figures;
# unsigned and wrongly signed reads get 401, another member's entry is
# refused (403, or 404 that does not tell whether it exists); `pnyx act
# --help` says who may take each cooperation action, and `pnyx inbox`
# refuses a wrong command line (exit 2) or a file that is not a contact key.
#
# Usage: coop_cli.sh COOP_GET ACTION_TOOL (run by meson test with PNYX,
# PNYX_BUILD_ROOT and PNYX_SOURCE_ROOT set).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
GET=${1:?usage: coop_cli.sh COOP_GET ACTION_TOOL}
TOOL=${2:?usage: coop_cli.sh COOP_GET ACTION_TOOL}
case $GET in /*) ;; *) GET=$(pwd)/$GET ;; esac
case $TOOL in /*) ;; *) TOOL=$(pwd)/$TOOL ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin coop_cli

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

MARK=MARKER-7f3a9c2e-incident
ANSWER=ANSWER-5b1d0e44-indicators
SECRET=SECRET-c0ffee-tampered
mkdir -p responses

# act NAME ACTOR [OPTIONS] TYPE FIELDS...: an action that must be accepted
act() {
	name=$1
	who=$2
	shift 2
	if "$PNYX" act --server "$U" --key "$who.key" --as "$who" --yes "$@" \
		>act.out 2>act.err && grep -q '^accepted: entry [0-9]*' act.out; then
		ok "$name"
	else
		bad "$name: $(cat act.err act.out)"
	fi
}

# get NAME ACTOR TARGET: a signed GET, the body kept in responses/NAME
get() {
	"$GET" "$U" "$2.key" "$2" "$3" >"responses/$1" 2>get.err
	sed -n 's/^HTTP //p' get.err
}

# ---- who may take each action (the engine's table, not a list of names) ----
"$PNYX" act --help >act-help.txt 2>&1 &&
	grep -q '^  ping.start  *the secretariat (cooperation log)$' act-help.txt &&
	grep -q '^  ping.ack  *a member (cooperation log)$' act-help.txt &&
	grep -q '^  request.send  *a member (cooperation log)$' act-help.txt &&
	ok "act --help: who may take each cooperation action" ||
	bad "act --help: $(grep 'cooperation log)' act-help.txt)"

# ---- keys, logs, the server ----
"$PNYX" keygen coop.test/log -o log.key >log.vkey 2>/dev/null
"$PNYX" keygen coop.test/log/cooperation -o coop.key >coop.vkey 2>/dev/null
for id in secretariat chair.1 FRA KEN BRA DEU; do
	"$PNYX" keygen "coop.test/$id" -o "$id.key" >"$id.vkey" 2>/dev/null
done
"$PNYX" log init --db forum.db --key log.key >/dev/null
"$PNYX" log init --db coop.db --key coop.key >/dev/null
serve_start --db forum.db --key log.key --cooperation-db coop.db \
	--cooperation-key coop.key --checkpoint-interval-ms 100 ||
	{ bad "server did not start: $(cat server.err)"; exit 1; }

cat >forum.json <<EOF
{"title":"Cooperation test forum","languages":["en","fr"],
 "rules":{"important_majority":"two-thirds","majority":"simple","objection_window_hours":336,
  "procedures":["consensus","silence","vote"],"quorum_percent":50,"silence_min_hours":72,
  "vote_on_request":true},
 "secretariat_key":"$(cat secretariat.vkey)",
 "chairs":[{"id":"chair.1","key":"$(cat chair.1.vkey)","name":"The Chair"}],
 "members":[{"code":"FRA","key":"$(cat FRA.vkey)"},{"code":"KEN","key":"$(cat KEN.vkey)"},
  {"code":"BRA","key":"$(cat BRA.vkey)"},{"code":"DEU","key":"$(cat DEU.vkey)"}]}
EOF
act "forum.create" secretariat --forum oewg forum.create --json forum.json
act "cooperation.open on the public log" secretariat cooperation.open \
	--log_key "$(cat coop.vkey)" --rules '{"ack_hours":{"low":72,"medium":24,"high":4,"critical":1},"ping_window_hours":24,"publish":["per_member","data_requests","pings"]}'

# ---- points of contact ----
for m in FRA KEN BRA; do
	"$PNYX" keygen --contact "$m/cert" -o "$m.contact.key" >"$m.contact.pub" 2>/dev/null
done
"$PNYX" keygen --contact FRA/other -o other.contact.key >/dev/null 2>&1
grep -q '^PRIVATE+X25519+FRA/cert+' FRA.contact.key &&
	[ "$(stat -c %a FRA.contact.key)" = 600 ] &&
	[ "$(wc -c <FRA.contact.pub)" = 45 ] &&
	ok "keygen --contact: a 0600 key file and the base64 public key" ||
	bad "keygen --contact: $(cat FRA.contact.pub)"
contacts() { # contacts MEMBER: a contacts file with a key_file
	cat >"$1.contacts.json" <<EOF
[{"id":"cert","function":"technical","name":"$1 CERT duty officer",
  "email":"cert@$1.example","phone":"+1 555 0100","hours":"24/7",
  "time_zone":"Europe/Paris","languages":["en","fr"],"key_file":"$1.contact.key"}]
EOF
}
for m in FRA KEN BRA; do
	contacts $m
	act "$m registers its point of contact (key from its key file)" $m \
		poc.register --contacts "$m.contacts.json"
done
[ "$(get directory FRA /v1/cooperation/directory)" = 200 ] &&
	[ "$(jq -r '.items[] | select(.member=="FRA") | .contacts[0].key' responses/directory)" = "$(cat FRA.contact.pub)" ] &&
	[ "$(jq -r '.items[] | select(.member=="FRA") | .salt | length' responses/directory)" = 44 ] &&
	ok "the directory holds the public keys and a salt" ||
	bad "directory: $(cat responses/directory)"

# ---- pnyx inbox: a wrong command line (exit 2), not a contact key (exit 1) ----
# inbox_rc RC PATTERN ARGS...: pnyx inbox exits RC with PATTERN on stderr
inbox_rc() {
	want=$1
	p=$2
	shift 2
	"$PNYX" inbox "$@" >inbox-cl.out 2>inbox-cl.err
	rc=$?
	[ $rc = "$want" ] && grep -q -- "$p" inbox-cl.err && ok "inbox: $p (exit $rc)" ||
		bad "inbox $*: rc $rc $(cat inbox-cl.err)"
}
inbox_rc 2 "--contact-key FILE is required" --server "$U" --key FRA.key --as FRA
inbox_rc 2 "at most 8 --contact-key" --server "$U" --key FRA.key --as FRA \
	$(for i in 1 2 3 4 5 6 7 8 9; do printf -- '--contact-key FRA.contact.key '; done)
inbox_rc 2 "unexpected argument 'extra'" --server "$U" --key FRA.key --as FRA \
	--contact-key FRA.contact.key extra
inbox_rc 1 "FRA.key: not a contact key file" --server "$U" --key FRA.key --as FRA \
	--contact-key FRA.key
inbox_rc 2 "cooperation needs the forum's server (http:// or https://)" \
	--server "file://$(pwd)" --key FRA.key --as FRA --contact-key FRA.contact.key

# ---- KEN notifies FRA of an incident ----
printf 'indicator 192.0.2.7 %s\n' "$MARK" >ioc.txt
act "KEN sends FRA an incident notification (sealed)" KEN request.send --to FRA \
	--kind incident --severity high --tlp AMBER \
	--text "Ransomware at the grid operator. $MARK" --attach ioc.txt
grep -q 'Encrypted to: FRA/cert, KEN/cert' act.err &&
	ok "act shows who the message is encrypted to" || bad "act: $(cat act.err)"
REQ=KEN:2 # KEN's seq 1 was its poc.register
"$PNYX" inbox --server "$U" --key FRA.key --as FRA --contact-key FRA.contact.key \
	>inbox.txt 2>inbox.err
rc=$?
[ $rc = 0 ] && grep -q "^$REQ  incident from KEN to FRA, severity high, TLP:AMBER" inbox.txt &&
	grep -q "Ransomware at the grid operator. $MARK" inbox.txt &&
	grep -q "attachment: ioc.txt (text/plain, $(wc -c <ioc.txt) bytes)" inbox.txt &&
	grep -q 'request.send by KEN, .*, signed by coop.test/KEN, proved in the log of [0-9]* entries:' inbox.txt &&
	grep -q 'status: sent' inbox.txt &&
	ok "FRA's inbox shows the notification decrypted" ||
	bad "FRA's inbox (rc $rc): $(cat inbox.txt inbox.err)"
"$PNYX" inbox --server "$U" --key FRA.key --as FRA --contact-key FRA.contact.key \
	--json >inbox.json 2>/dev/null &&
	[ "$(jq -r '.items[0].steps[0].message.attachments[0].data' inbox.json | base64 -d)" = "$(cat ioc.txt)" ] &&
	[ "$(jq -r '.items[0].steps[0].signed_by' inbox.json)" = coop.test/KEN ] &&
	[ "$(jq -r '.items[0].steps[0].included_in' inbox.json)" -ge 4 ] &&
	ok "inbox --json: the attachment's bytes and the author's key" ||
	bad "inbox --json: $(cat inbox.json)"
mkdir saved
"$PNYX" inbox --server "$U" --key KEN.key --as KEN --contact-key KEN.contact.key \
	--outbox --save saved >outbox.txt 2>&1 && grep -q "$MARK" outbox.txt &&
	cmp -s saved/KEN_2-3-ioc.txt ioc.txt &&
	grep -q 'attachment: ioc.txt (text/plain, [0-9]* bytes) saved to saved/KEN_2-3-ioc.txt' outbox.txt &&
	ok "KEN's outbox shows what KEN sent (sealed to KEN's contact too); --save writes the attachment" ||
	bad "KEN's outbox: $(cat outbox.txt)"
"$PNYX" inbox --server "$U" --key BRA.key --as BRA --contact-key BRA.contact.key \
	--all >bra.txt 2>&1 && grep -q '^Requests of BRA: 0 requests' bra.txt &&
	! grep -q "$MARK" bra.txt &&
	ok "BRA's inbox and outbox do not list it" || bad "BRA: $(cat bra.txt)"
"$PNYX" inbox --server "$U" --key FRA.key --as FRA --contact-key other.contact.key \
	>other.txt 2>other.err
rc=$?
[ $rc = 1 ] && grep -q 'request.send by KEN, .*: cannot be read: the encrypted message does not authenticate: it was changed, or it is not addressed to this key' other.txt &&
	! grep -q "$MARK" other.txt &&
	ok "another contact key cannot read it: one line, exit 1" ||
	bad "other key (rc $rc): $(cat other.txt other.err)"

# ---- refused before anything is sent ----
# fails NAME PATTERN ARGS...: pnyx act as KEN exits 1 with one line
fails() {
	n=$1
	p=$2
	shift 2
	"$PNYX" act --server "$U" --key KEN.key --as KEN --yes "$@" >act.out 2>act.err
	rc=$?
	[ $rc = 1 ] && [ "$(grep -c '^pnyx: ' act.err)" = 1 ] && grep -q -- "$p" act.err &&
		! grep -q '^accepted' act.out && ok "$n: exit 1, $(grep '^pnyx: ' act.err)" ||
		bad "$n: rc $rc $(cat act.err)"
}
fails "a member without points of contact" "DEU has no points of contact" \
	request.send --to DEU --kind incident --severity low --tlp CLEAR --text hello
head -c 40000 /dev/urandom >big.bin
fails "a message over 40,000 bytes" "larger than 40000 bytes once encoded" \
	request.send --to FRA --kind incident --severity low --tlp CLEAR --text x --attach big.bin
echo '[{"id":"cert","function":"technical"}]' >nokey.json
fails "a contact without a key" "contact 1 has neither \"key_file\" nor \"key\"" \
	poc.register --contacts nokey.json
"$PNYX" act --server "$U" --key KEN.key --as KEN --yes request.answer \
	--request KEN:2 >act.out 2>act.err
[ $? = 2 ] && grep -q 'request.answer needs the message: --text TEXT or --text-file FILE' act.err &&
	ok "an answer without a message: exit 2" || bad "answer without text: $(cat act.err)"

# ---- who may read what ----
[ "$(curl -s -o responses/unsigned -w '%{http_code}' "$U/v1/cooperation/me")" = 401 ] &&
	ok "an unsigned read is 401" || bad "unsigned: $(cat responses/unsigned)"
[ "$("$GET" "$U" KEN.key BRA /v1/cooperation/me 2>&1 >responses/wrongkey | sed -n 's/^HTTP //p')" = 401 ] &&
	ok "a read signed with another member's key is 401" ||
	bad "wrong key: $(cat responses/wrongkey)"
N=$(jq -r '.items[0].steps[0].index' inbox.json)
code=$(get bra-entry BRA "/v1/cooperation/entries/$N")
{ [ "$code" = 403 ] || [ "$code" = 404 ]; } && ! grep -q leaf responses/bra-entry &&
	ok "BRA may not read the entry of KEN's request ($code)" ||
	bad "BRA entry $N: $(cat responses/bra-entry)"
[ "$(get fra-entry FRA "/v1/cooperation/entries/$N")" = 200 ] &&
	[ "$(jq -r .index responses/fra-entry)" = "$N" ] &&
	jq -e '.proof | type == "array"' responses/fra-entry >/dev/null &&
	ok "FRA reads it with an inclusion proof" || bad "FRA entry: $(cat responses/fra-entry)"

# ---- FRA acknowledges and answers ----
act "FRA acknowledges" FRA request.ack --request $REQ
act "FRA answers (sealed)" FRA request.answer --request $REQ --text "Contained. $ANSWER"
"$PNYX" inbox --server "$U" --key KEN.key --as KEN --contact-key KEN.contact.key \
	--outbox >outbox.txt 2>&1 && grep -q "Contained. $ANSWER" outbox.txt &&
	grep -q 'status: answered' outbox.txt && grep -q 'request.ack by FRA' outbox.txt &&
	grep -q '; acknowledged [0-9]' outbox.txt && ! grep -q '(late)' outbox.txt &&
	ok "KEN reads FRA's answer" || bad "KEN's outbox: $(cat outbox.txt)"

# ---- a data request ----
"$PNYX" act --server "$U" --key KEN.key --as KEN --yes request.send --to FRA \
	--kind data --severity medium --tlp RED --text "Subscriber data" \
	--offence fraud --need "identify the operator" >act.out 2>act.err
rc=$?
[ $rc = 2 ] && grep -q 'a data request needs --legal-basis' act.err &&
	ok "the CLI refuses a data request without --legal-basis (exit 2)" ||
	bad "data request without legal basis (rc $rc): $(cat act.err)"
"$PNYX" act --server "$U" --key KEN.key --as KEN --yes --dry-run request.send --to FRA \
	--kind data --severity medium --tlp RED --legal-basis "Budapest Convention, art. 31" \
	--text "Subscriber data" --offence fraud --need "identify the operator" \
	>data.note 2>act.err || bad "dry-run data request: $(cat act.err)"
sed -n 2p data.note | jq -c -S 'del(.legal_basis)' >nobasis.json
"$TOOL" sign KEN.key <nobasis.json >nobasis.note
code=$(curl -s -o responses/nobasis -w '%{http_code}' --data-binary @nobasis.note \
	"$U/v1/cooperation/actions")
[ "$code" = 422 ] || [ "$code" = 400 ] && grep -q 'legal_basis' responses/nobasis &&
	ok "the server refuses a data request without legal_basis ($code)" ||
	bad "server, data request without legal_basis: $code $(cat responses/nobasis)"
act "KEN sends a data request with its legal basis" KEN request.send --to FRA \
	--kind data --severity medium --tlp RED --legal-basis "Budapest Convention, art. 31" \
	--text "Subscriber data" --offence fraud --need "identify the operator"
act "FRA declines it on grounds" FRA request.decline --request KEN:3 \
	--grounds not-in-jurisdiction --text "The operator is not in our jurisdiction."
curl -s "$U/v1/cooperation/figures" >responses/figures
jq -e '[.. | objects | select(has("refused"))] | any(.refused == 1)' responses/figures >/dev/null &&
	grep -q 'not-in-jurisdiction' responses/figures &&
	ok "the decline is counted in the public figures, with its grounds" ||
	bad "figures: $(cat responses/figures)"
"$PNYX" inbox --server "$U" --key KEN.key --as KEN --contact-key KEN.contact.key \
	--outbox >outbox.txt 2>&1 && grep -q 'declined on the grounds: not-in-jurisdiction' outbox.txt &&
	grep -q 'The operator is not in our jurisdiction.' outbox.txt &&
	ok "KEN sees the grounds and the explanation" || bad "decline: $(cat outbox.txt)"

# ---- a ciphertext altered before signing (then: the body itself) ----
"$PNYX" act --server "$U" --key KEN.key --as KEN --yes --dry-run request.send --to FRA \
	--kind assistance --severity low --tlp GREEN --text "$SECRET" \
	>tamper.note 2>act.err || bad "dry-run: $(cat act.err)"
# FRA's copy of the content key changed (the body is shared: KEN's copy
# still opens)
sed -n 2p tamper.note | jq -c -S '.sealed.recipients[0].key |= (if startswith("A") then "B" + .[1:] else "A" + .[1:] end)' >tamper.json
"$TOOL" sign KEN.key <tamper.json >tamper.signed
code=$(curl -s -o responses/tamper -w '%{http_code}' --data-binary @tamper.signed \
	"$U/v1/cooperation/actions")
[ "$code" = 201 ] && ok "the server accepts an altered ciphertext (it cannot read it)" ||
	bad "tampered: $code $(cat responses/tamper)"
"$PNYX" inbox --server "$U" --key FRA.key --as FRA --contact-key FRA.contact.key \
	>inbox.txt 2>inbox.err
rc=$?
[ $rc = 1 ] && grep -q 'request.send by KEN, .*: cannot be read: the encrypted message does not authenticate: it was changed, or it is not addressed to this key' inbox.txt &&
	! grep -q "$SECRET" inbox.txt && grep -q "$MARK" inbox.txt &&
	grep -q 'some steps could not be read' inbox.err &&
	ok "FRA's inbox refuses the altered ciphertext in one line, exit 1" ||
	bad "tampered inbox (rc $rc): $(cat inbox.txt inbox.err)"
"$PNYX" inbox --server "$U" --key KEN.key --as KEN --contact-key KEN.contact.key \
	--outbox >outbox.txt 2>&1 && grep -q "$SECRET" outbox.txt &&
	ok "KEN's own copy of it still opens" || bad "KEN's copy: $(cat outbox.txt)"
"$PNYX" act --server "$U" --key KEN.key --as KEN --yes --dry-run request.send --to FRA \
	--kind assistance --severity low --tlp GREEN --text "$SECRET" \
	>tamper.note 2>act.err || bad "dry-run: $(cat act.err)"
sed -n 2p tamper.note | jq -c -S '.sealed.ct |= (if startswith("A") then "B" + .[1:] else "A" + .[1:] end)' >tamper.json
"$TOOL" sign KEN.key <tamper.json >tamper.signed
curl -s -o responses/tamper2 --data-binary @tamper.signed "$U/v1/cooperation/actions"
"$PNYX" inbox --server "$U" --key KEN.key --as KEN --contact-key KEN.contact.key \
	--outbox >outbox.txt 2>&1
rc=$?
[ $rc = 1 ] && [ "$(grep -c 'cannot be read: the encrypted message does not authenticate' outbox.txt)" = 1 ] &&
	ok "an altered body is refused for every recipient (here the sender's own copy)" ||
	bad "altered body (rc $rc): $(cat outbox.txt)"

# ---- no marker at rest or on the wire ----
for who in FRA KEN BRA; do
	get "me-$who" $who /v1/cooperation/me >/dev/null
	get "requests-$who" $who "/v1/cooperation/requests?box=all" >/dev/null
	get "entries-$who" $who "/v1/cooperation/entries?after=0&limit=100" >/dev/null
	get "pings-$who" $who /v1/cooperation/pings >/dev/null
	get "checkpoint-$who" $who /v1/cooperation/checkpoint >/dev/null
done
size=$(sed -n 2p responses/checkpoint-KEN)
for i in $(seq 0 $((size - 1))); do
	get "entry-$i" KEN "/v1/cooperation/entries/$i" >/dev/null
done
for p in /v1/forum /v1/actors/KEN /v1/actors/KEN/actions /v1/state/digest /checkpoint; do
	curl -s "$U$p" >"responses/public$(echo "$p" | tr / _)"
done
n=0
for f in forum.db* coop.db* responses/*; do
	[ -e "$f" ] || continue
	c=$(grep -c -a -e "$MARK" -e "$ANSWER" -e "$SECRET" -e "Ransomware" "$f")
	[ "$c" = 0 ] || bad "$f holds the content ($c lines)"
	n=$((n + 1))
done
[ "$(ls responses | wc -l)" -ge 20 ] && ok "no SQLite file and none of $n saved answers holds any content" ||
	bad "too few answers saved"
grep -c -a 'request.send' coop.db* >/dev/null 2>&1 &&
	ok "(the cooperation log is where the requests are)" || bad "coop.db holds no request"

serve_stop "coop"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
