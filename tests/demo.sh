#!/bin/sh
# End-to-end test of the demo forum (`pnyx demo`, docs/DEMO.md): it is
# created through the real sequencer, replays with `pnyx verify`, is served
# by the real `pnyx serve` on a free loopback port, its read API shows the
# outcomes the script produced and the training notice, the printed
# command acts as a member through `pnyx act`, a second run keeps the
# forum, the same seed draws the same cast, and a taken port, a folder
# left half-made and a bad command line are refused.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin demo

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

get() { # get PATH: body in g.json, status in $code
	code=$(curl -s -o g.json -w '%{http_code}' "$U$1")
}
jqg() { jq -r "$1" g.json 2>/dev/null; }

NOTICE="Training simulation (like a Model UN): the positions shown were chosen at random and are not those of any government."

# ---- a new forum ----
"$PNYX" demo --dir d1 --seed 7 >demo1.out 2>demo1.err
rc=$?
[ $rc -eq 0 ] && ok "demo creates a forum" || bad "demo exit $rc: $(cat demo1.err)"
grep -qF "$NOTICE" demo1.out && ok "demo output carries the training notice" ||
	bad "no notice in: $(head -3 demo1.out)"
grep -q "^Created the demo forum in d1/ with seed 7" demo1.out && ok "says it created the forum" ||
	bad "creation line missing"
for f in forum.db log.key log.vkey keys/secretariat.key keys/chair.1.key \
	keys/sh.standards.key; do
	[ -f "d1/$f" ] || bad "d1/$f missing"
done
[ ! -e d1/forum.db.part ] && ok "no half-made log left" || bad "forum.db.part left behind"
missing=0
for code in $(grep -v '^#' "$PNYX_SOURCE_ROOT/data/un-members.txt"); do
	[ -f "d1/keys/$code.key" ] || missing=$((missing + 1))
done
[ $missing -eq 0 ] && ok "a key file for each of the 193 members" || bad "$missing member keys missing"
[ "$(stat -c %a d1/keys/KEN.key)" = 600 ] && [ "$(stat -c %a d1/log.key)" = 600 ] &&
	ok "private keys are mode 0600" || bad "key file modes"
grep -q '^PRIVATE+KEY+pnyx.demo/KEN+[0-9a-f]\{8\}+' d1/keys/KEN.key &&
	ok "key files in the form pnyx keygen writes" || bad "key file form"
leaves=$(sed -n 's/.*), \([0-9]*\) actions on the record$/\1/p' demo1.out)
[ -n "$leaves" ] && [ "$leaves" -ge 40 ] && ok "the forum has $leaves actions" ||
	bad "actions on the record: '$leaves'"

# ---- pnyx verify replays it ----
"$PNYX" verify --db d1/forum.db --vkey @d1/log.vkey >verify1.out 2>verify1.err
rc=$?
[ $rc -eq 0 ] && ok "pnyx verify replays the demo forum" || bad "verify exit $rc: $(tail -3 verify1.err)"
digest=$(sed -n 's/^state digest: //p' verify1.out)
grep -q 'adopt-norms' verify1.out && grep -q 'outcome: adopted by consensus' verify1.out &&
	ok "verify: the norms were adopted by consensus" || bad "verify: no adopted decision"
grep -q 'status: open' verify1.out && ok "verify: a decision is open" || bad "verify: no open decision"
grep -q "^members: 193" verify1.out && ok "verify: 193 members" || bad "verify: member count"

# ---- served by the real server ----
if serve_start --db d1/forum.db --key d1/log.key \
	--cooperation-db d1/cooperation.db --cooperation-key d1/cooperation.key; then
	ok "pnyx serve starts on the demo forum"
else
	bad "pnyx serve does not start: $(cat server.err)"
	echo "demo: $passes passed, $fails failed"
	exit 1
fi
get /v1/state/digest
[ "$code" = 200 ] && [ "$(jqg .digest)" = "$digest" ] && [ "$(jqg .leaves)" = "$leaves" ] &&
	ok "the server's state digest is verify's" || bad "digest: $code $(cat g.json) vs $digest"
get /checkpoint
[ "$code" = 200 ] && [ "$(sed -n 2p g.json)" = "$leaves" ] && head -1 g.json | grep -q '^pnyx.demo/log$' &&
	ok "a signed checkpoint covers every action" || bad "checkpoint: $code $(cat g.json)"
"$PNYX" note verify --vkey @d1/log.vkey <g.json >/dev/null 2>&1 &&
	ok "the checkpoint verifies with d1/log.vkey" || bad "checkpoint signature"

# the read API (docs/API.md): outcomes, members, the training notice
get /v1/forum
[ "$code" = 200 ] && [ "$(jqg .forum.training)" = true ] && [ "$(jqg .notice)" = "$NOTICE" ] &&
	jqg .forum.title | grep -q '^Training simulation' &&
	ok "/v1/forum: a training simulation, with the notice" || bad "/v1/forum: $code $(head -c 300 g.json)"
get '/v1/members?limit=1000'
[ "$code" = 200 ] && [ "$(jqg '.items | length')" = 193 ] && [ "$(jqg .notice)" = "$NOTICE" ] &&
	[ "$(jqg '[.items[] | select(.status == "active")] | length')" = 193 ] &&
	ok "/v1/members: 193 active members, with the notice" || bad "/v1/members: $code $(head -c 300 g.json)"
get /v1/members/KEN
[ "$code" = 200 ] && [ "$(jqg .notice)" = "$NOTICE" ] && ok "/v1/members/KEN carries the notice" ||
	bad "/v1/members/KEN: $code $(head -c 300 g.json)"
get /v1/decisions/adopt-norms
[ "$code" = 200 ] && [ "$(jqg .decision.status)" = adopted ] &&
	[ "$(jqg .decision.outcome_code)" = consensus ] &&
	[ "$(jqg '.decision.tally.joined | length')" -ge 5 ] &&
	[ "$(jqg '.decision.tally.reservations | length')" = 1 ] &&
	[ "$(jqg '.decision.explanations | length')" = 2 ] &&
	ok "/v1/decisions/adopt-norms: adopted by consensus, a reservation, 2 explanations" ||
	bad "adopt-norms: $code $(head -c 400 g.json)"
get /v1/decisions/adopt-poc-directory
[ "$code" = 200 ] && [ "$(jqg .decision.status)" = open ] && [ "$(jqg .notice)" = "$NOTICE" ] &&
	[ "$(jqg '[.decision.positions[] | select(.position == "joined")] | length')" = 4 ] &&
	[ "$(jqg '[.decision.positions[] | select(.position == "objected")] | length')" = 1 ] &&
	[ "$(jqg '.not_spoken | length')" = 188 ] &&
	ok "/v1/decisions/adopt-poc-directory: open, 4 joined, 1 objection, 188 not spoken" ||
	bad "adopt-poc-directory: $code $(head -c 400 g.json)"
get /v1/documents/norms-2015
[ "$code" = 200 ] && [ "$(jqg '.document.revisions | length')" = 3 ] &&
	[ "$(jqg '.document.amendments | length')" = 5 ] &&
	ok "/v1/documents/norms-2015: Rev.3, 5 amendments" || bad "norms-2015: $code $(head -c 400 g.json)"
get /v1/documents/norms-2015/revisions/1
[ "$code" = 200 ] && [ "$(jqg '[.. | objects | select(.norm == true)] | length')" = 11 ] &&
	ok "Rev.1 holds the eleven norms" || bad "Rev.1: $code $(head -c 400 g.json)"
get /v1/stakeholders
st=$(jq -r '[.items[] | .status] | sort | join(",")' g.json 2>/dev/null)
[ "$code" = 200 ] && [ "$st" = "accredited,accredited,pending,pending" ] &&
	ok "/v1/stakeholders: 2 accredited, 2 pending" || bad "stakeholders: $code '$st' $(head -c 300 g.json)"
get /v1/stakeholders/sh.security
[ "$code" = 200 ] &&
	[ "$(jq '[.. | objects | select(has("withdrawn_ms") and .withdrawn_ms == null)] | length' g.json)" = 1 ] &&
	ok "sh.security: an objection stands on the record" || bad "sh.security: $code $(head -c 400 g.json)"
get /v1/commitments
[ "$code" = 200 ] && ok "/v1/commitments answers" || bad "/v1/commitments: $code"

# the sessions and the board (docs/actions/sessions.md, board.md)
get /v1/sessions
[ "$code" = 200 ] && [ "$(jqg '[.items[] | .id + ":" + .kind + ":" + .status + ":" + .agenda.status] | join(",")')" = \
	"org-1:organisational:closed:adopted,sub-1:substantive:open:adopted" ] &&
	ok "/v1/sessions: an organisational session closed, a substantive one open, agendas adopted" ||
	bad "/v1/sessions: $code $(head -c 400 g.json)"
get /v1/sessions/sub-1
gen='.session.agenda.items[] | select(.id == "3") | .statements'
[ "$code" = 200 ] && [ "$(jqg "[$gen[] | .by] | unique | length")" -ge 20 ] &&
	[ "$(jqg "[$gen[] | .text | keys[]] | unique | length")" = 6 ] &&
	[ "$(jqg "[$gen[] | select(.reply_to != null)] | length")" = 1 ] &&
	[ "$(jqg "[$gen[] | select(.mode == \"written\" and .attachment != null)] | length")" = 1 ] &&
	ok "sub-1: the general exchange of views, 20+ delegations in the six languages, a right of reply, a written statement" ||
	bad "sub-1 general exchange: $code $(jqg "[$gen[] | .by] | length") statements"
[ "$(jqg '[.session.agenda.items[].statements[] | select(.as == "stakeholder")] | length')" = 2 ] &&
	[ "$(jqg '[.session.segments[] | select(.closed_ms != null)] | length')" = 1 ] &&
	[ "$(jqg '.session.participants | length')" -ge 20 ] &&
	ok "sub-1: two stakeholders spoke in the segment, now closed; 20+ delegations registered" ||
	bad "sub-1 segment: $(jqg .session.segments)"
[ "$(jqg '[.session.agenda.items[].statements[] | .text[] | select(test("simulation|simulación|محاكاة|симуляция|模拟"; "i") | not)] | length')" = 0 ] &&
	ok "every statement says it is a training simulation" || bad "a statement without the training mark"
get '/v1/board?limit=1000'
[ "$code" = 200 ] && [ "$(jqg '[.items[] | .status] | sort | join(",")')" = "completed,in-progress,open,open,open" ] &&
	[ "$(jqg '[.items[].pledges[] | .status] | sort | join(",")')" = "accepted,completed,pledged" ] &&
	ok "/v1/board: a need completed, one in progress, three open; pledges completed, accepted, pledged" ||
	bad "/v1/board: $code $(head -c 400 g.json)"
get /v1/board/offers
[ "$(jqg '[.items[] | select(.as == "stakeholder")] | length')" = 2 ] &&
	[ "$(jqg '[.items[] | select(.as == "member")] | length')" = 2 ] &&
	ok "/v1/board/offers: offers by members and by stakeholders" || bad "offers: $(head -c 400 g.json)"

# ---- the printed command acts as a member ----
line=$(grep -m1 'pnyx act --server.*consensus.join' demo1.out)
who=$(echo "$line" | sed -n 's/.* --as \([A-Z]*\) .*/\1/p')
dec=$(echo "$line" | sed -n 's/.* --decision \([A-Za-z0-9._:-]*\)$/\1/p')
[ -n "$who" ] && [ "$dec" = adopt-poc-directory ] && ok "demo prints how to act as $who" ||
	bad "no act command in the output: $line"
"$PNYX" act --server "$U" --key "d1/keys/$who.key" --as "$who" --yes \
	consensus.join --decision "$dec" >act.out 2>act.err
rc=$?
[ $rc -eq 0 ] && ok "pnyx act as $who with the printed key is accepted" ||
	bad "pnyx act exit $rc: $(cat act.err)"
get "/v1/decisions/$dec"
[ "$(jqg ".decision.positions.$who.position")" = joined ] && ok "$who's position is on the record" ||
	bad "$who's position: $(head -c 400 g.json)"
get /v1/state/digest
after=$(jqg .digest)
[ "$(jqg .leaves)" = $((leaves + 1)) ] && ok "one more action on the record" || bad "leaves after act: $(cat g.json)"

# the printed commands: a newcomer registers and speaks in the open session
printed() { # printed PATTERN: the demo's printed command, for this server
	grep -m1 "$1" demo1.out | sed 's|^ *build/pnyx|"$PNYX"|; s| act | act --yes |; s|http://127.0.0.1:8080|"$U"|'
}
reg=$(printed 'pnyx act --server.*session.register')
say=$(printed 'pnyx act --server.*statement.deliver')
speaker=$(echo "$reg" | sed -n 's/.* --as \([A-Z]*\) .*/\1/p')
get /v1/sessions/sub-1
[ -n "$speaker" ] && [ -n "$say" ] && [ "$(jqg "[.session.participants[].code] | index(\"$speaker\")")" = null ] &&
	ok "demo prints how $speaker, not registered, speaks in sub-1" || bad "no session commands: $reg / $say"
eval "$reg" >reg.out 2>reg.err && eval "$say" >st.out 2>st.err &&
	ok "$speaker registers for sub-1 and delivers a statement with the printed pnyx act" ||
	bad "pnyx act in the session: $(cat reg.err st.err)"
get "/v1/statements?by=$speaker"
[ "$(jqg '.items | length')" = 1 ] && [ "$(jqg '.items[0].item')" = 3 ] && [ "$(jqg '.items[0].session')" = sub-1 ] &&
	ok "the statement is on the record under item 3 of sub-1" || bad "statements of $speaker: $(head -c 300 g.json)"

# ---- the printed cooperation commands ----
inbox=$(grep -m1 'pnyx inbox --server' demo1.out |
	sed 's|^ *build/pnyx|"$PNYX"|; s|http://127.0.0.1:8080|"$U"|')
ack=$(grep -m1 'pnyx act --server.*request.ack' demo1.out |
	sed 's|^ *build/pnyx|"$PNYX"|; s| act | act --yes |; s|http://127.0.0.1:8080|"$U"|')
[ -n "$inbox" ] && [ -n "$ack" ] && ok "the demo prints how to read an inbox and acknowledge" ||
	bad "no cooperation commands: $(grep -A3 Cooperation demo1.out)"
eval "$inbox" >inbox.out 2>inbox.err &&
	grep -q 'Training exercise: we ask for help to assess a ransomware sample' inbox.out &&
	grep -q 'status: sent' inbox.out &&
	ok "the printed pnyx inbox decrypts the waiting request" ||
	bad "inbox: $(cat inbox.err inbox.out | tail -5)"
eval "$ack" >ack.out 2>ack.err && ok "the printed request.ack is accepted" ||
	bad "ack: $(cat ack.err)"
eval "$inbox" >inbox.out 2>inbox.err && grep -q 'status: acknowledged' inbox.out &&
	ok "the inbox shows it acknowledged" || bad "inbox after ack: $(tail -5 inbox.out)"
"$PNYX" verify --db d1/forum.db --cooperation-db d1/cooperation.db >vc.out 2>&1 &&
	grep -q '^  ping-1:.* silent\|pending' vc.out &&
	ok "pnyx verify replays the demo's cooperation log" || bad "verify coop: $(tail -5 vc.out)"
# the acknowledgement's anchor reaches the forum's log within a checkpoint
i=0
while [ $i -lt 100 ]; do
	curl -s "$U/v1/cooperation/figures" >f.json
	[ "$(jq -r .last_anchor.size f.json)" = "$(jq -r .tree_size f.json)" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 100 ] && ok "the forum's log anchors the cooperation log after the acknowledgement" ||
	bad "no anchor: $(cat f.json)"
get /v1/state/digest
after=$(jqg .digest)
final=$(jqg .leaves)
serve_stop "demo server"

# ---- a second run keeps the forum ----
sum1=$(cat d1/keys/*.key d1/log.key | sha256sum)
"$PNYX" demo --dir d1 --seed 7 >demo2.out 2>demo2.err
rc=$?
[ $rc -eq 0 ] && grep -q '^Reopened the demo forum in d1/' demo2.out &&
	ok "a second run reopens the forum" || bad "second run exit $rc: $(cat demo2.err)"
[ "$(cat d1/keys/*.key d1/log.key | sha256sum)" = "$sum1" ] && ok "the keys are kept" || bad "keys changed"
grep -q "$final actions on the record" demo2.out && ok "the member's actions are kept" ||
	bad "second run: $(grep 'actions on the record' demo2.out)"
grep -q -- "--as $who " demo2.out && bad "suggests $who again, who has spoken" ||
	ok "suggests a member that has not spoken"
"$PNYX" verify --db d1/forum.db --vkey @d1/log.vkey >verify2.out 2>&1 &&
	[ "$(sed -n 's/^state digest: //p' verify2.out)" = "$after" ] &&
	ok "the reopened forum replays to the served digest" || bad "verify after reopen: $(tail -3 verify2.out)"

# ---- the same seed draws the same cast; another seed another ----
cast() { # the tallies and positions, without times, keys or leaf numbers
	"$PNYX" verify --db "$1/forum.db" 2>/dev/null | grep -E 'tally:|subscribed'
}
"$PNYX" demo --dir r7 --seed 7 >r7.out 2>&1 && "$PNYX" demo --dir r8 --seed 8 >r8.out 2>&1 ||
	bad "demo with seeds 7 and 8"
[ -n "$(cast r7)" ] && [ "$(cast r7)" = "$(cast d1)" ] && ok "the same seed draws the same cast" ||
	bad "seed 7 twice differs: $(cast r7) / $(cast d1)"
[ "$(cast r8)" != "$(cast r7)" ] && ok "another seed draws another cast" || bad "seeds 7 and 8 alike"
! cmp -s r7/log.vkey d1/log.vkey && ! cmp -s r7/keys/KEN.key d1/keys/KEN.key &&
	ok "every new forum has fresh keys" || bad "keys repeat across forums"
[ "$(grep -c 'pnyx act --server.*consensus.join' r7.out)" = 1 ] &&
	[ "$(grep 'pnyx act --server.*consensus.join' r7.out | sed 's/r7/d1/g')" = "$line" ] &&
	ok "the same seed suggests the same member" ||
	bad "suggestion differs: $(grep 'pnyx act --server.*consensus.join' r7.out)"

# ---- refusals ----
serve_start --db d1/forum.db || bad "server for the port test"
port=${U##*:}
"$PNYX" demo --dir taken --listen "127.0.0.1:$port" >taken.out 2>taken.err
rc=$?
[ $rc -eq 1 ] && grep -q "127.0.0.1:$port is already in use" taken.err && [ ! -e taken ] &&
	ok "a taken port is refused before anything is made" || bad "taken port: exit $rc: $(cat taken.err)"
serve_stop "server for the port test"
mkdir -p half/keys
"$PNYX" demo --dir half >half.out 2>half.err
rc=$?
[ $rc -eq 1 ] && grep -q 'holds keys but no forum.db' half.err && [ ! -e half/forum.db ] &&
	ok "a half-made folder is refused" || bad "half-made folder: exit $rc: $(cat half.err)"
"$PNYX" demo --dir x --seed -1 >/dev/null 2>&1
[ $? -eq 2 ] && ok "a bad seed is a usage error" || bad "bad seed"
"$PNYX" demo --dir x extra >/dev/null 2>&1
[ $? -eq 2 ] && ok "an extra argument is a usage error" || bad "extra argument"
"$PNYX" demo --dir x --listen localhost:80 >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e x ] && ok "a non-numeric address is a usage error" || bad "bad --listen"
PNYX_PORT=80x sh "$PNYX_SOURCE_ROOT/scripts/run.sh" >/dev/null 2>run.err
[ $? -eq 2 ] && grep -q 'PNYX_PORT must be a port number' run.err &&
	ok "run.sh refuses a bad PNYX_PORT" || bad "run.sh PNYX_PORT: $(cat run.err)"

echo "demo: $passes passed, $fails failed"
[ "$fails" -eq 0 ] && cd / && rm -rf "$T"
[ "$fails" -eq 0 ]
