#!/bin/sh
# The read API of `pnyx serve` (docs/API.md) against the real server on a
# free loopback port, driven with curl: the scripted forum of forum_writer
# (decisions with positions, tally and outcome, names in French and
# Arabic, pagination), ETag and 304, next_seq then accepted by a POST, the
# ETag after it, the list of actions by actor across a restart, 400 and 404,
# 503 without the key, and the notice of a training forum.
# $1: tests/forum_writer, $2: tests/action_tool.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
FW=${1:?forum_writer}
AT=${2:?action_tool}
case $FW in /*) ;; *) FW="$PWD/$FW" ;; esac
case $AT in /*) ;; *) AT="$PWD/$AT" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin read_api
# check NAME COMMAND...: ok if the command succeeds
check() { n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

# get PATH [CURL ARGS...]: $code, body in g.txt, headers in h.txt
get() {
	p=$1
	shift
	rm -f g.txt h.txt # curl writes no file for an answer without content
	code=$(curl -s -D h.txt -o g.txt -w '%{http_code}' "$@" "$U$p")
}
# is PATH JQ-FILTER: GET answers 200 and the filter holds
is() {
	get "$1"
	[ "$code" = 200 ] && jq -e "$2" g.txt >/dev/null
}
# problem PATH STATUS CODE
problem() {
	get "$1"
	[ "$code" = "$2" ] && [ "$(jq -r .code g.txt)" = "$3" ]
}
etag() { tr -d '\r' <h.txt | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'; }

"$FW" create f >/dev/null || { bad "forum_writer"; exit 1; }
serve_start --db f/forum.db --key f/keys/log.key || { bad "start: $(cat server.err)"; exit 1; }

# ---- decisions ----
check "consensus: positions, tally, outcome, not_spoken" is /v1/decisions/dec-report '
  .decision.status == "adopted" and .decision.outcome_code == "consensus" and
  .decision.tally.joined == ["BRA","FRA","KEN"] and
  .decision.positions.BRA.dissociate == ["p3"] and
  .decision.positions.RUS.position == "objection-withdrawn" and
  .not_spoken == ["CHN","EGY","FJI","IND","JPN","MEX","NOR","USA"] and
  .tree_size == 59 and .forum.id == "oewg" and (has("notice") | not)'
check "vote: yes, no, abstain, two-thirds" is /v1/decisions/dec-admit-nzl '
  .decision.tally.yes == ["BRA","FRA","JPN","KEN","MEX","NOR","USA"] and
  .decision.tally.no == ["RUS"] and .decision.tally.abstain == ["CHN"] and
  .decision.tally.majority == "two-thirds" and .decision.status == "adopted"'
check "decisions: 4 closed, none open" is '/v1/decisions?status=closed' \
	'[.items[].id] == ["dec-admit-nzl","dec-cbm","dec-norms","dec-report"] and .next == null'
check "no open decision" is '/v1/decisions?status=open' '.items == [] and .next == null'

# ---- members, names, pagination ----
check "FRA in French and Arabic" is '/v1/members/FRA?lang=fr' \
	'.member.name == "France" and .member.names.ar == "فرنسا" and .member.names.zh == "法国"'
check "members in Arabic" is '/v1/members?lang=ar&limit=1&after=EGY' \
	'.items[0].code == "FJI" and .items[0].name == "فيجي" and .next == "FJI"'
seen=""
cursor=""
pages=0
while :; do
	get "/v1/members?limit=4${cursor:+&after=$cursor}"
	[ "$code" = 200 ] || break
	seen="$seen $(jq -r '[.items[].code] | join(" ")' g.txt)"
	cursor=$(jq -r '.next // empty' g.txt)
	pages=$((pages + 1))
	[ -n "$cursor" ] && [ $pages -lt 10 ] || break
done
want=" BRA CHN EGY FJI FRA IND JPN KEN MEX NOR NZL RUS USA"
[ "$seen" = "$want" ] &&
	[ $pages = 4 ] && ok "pagination: 13 members once each in 4 pages" ||
	bad "pagination: '$seen' in $pages pages"

# ---- ETag, 304, next_seq, and the ETag after a new action ----
get /v1/decisions/dec-report
tag=$(etag)
get /v1/decisions/dec-report -H "If-None-Match: $tag"
[ "$code" = 304 ] && [ ! -s g.txt ] && [ "$(etag)" = "$tag" ] && ok "If-None-Match: 304 without a body" ||
	bad "If-None-Match: $code"
code=$(curl -s -I -o /dev/null -w '%{http_code}' "$U/v1/forum")
[ "$code" = 200 ] && ok "HEAD /v1/forum: 200" || bad "HEAD: $code"
get /v1/actors/FJI
seq=$(jq -r .actor.next_seq g.txt)
size=$(jq -r .tree_size g.txt)
[ "$seq" = 1 ] && ok "FJI has next_seq 1" || bad "FJI next_seq $seq"
printf '{"actor":"FJI","decision":"dec-report","forum":"oewg","seq":%s,"text":{"en":"We join."},"type":"position.explain","when":"after"}' \
	"$seq" | "$AT" sign f/keys/FJI.key >fji.note
code=$(curl -s -o p.txt -w '%{http_code}' --data-binary @fji.note "$U/v1/actions")
index=$(jq -r .index p.txt)
[ "$code" = 201 ] && [ "$index" = "$size" ] && ok "POST with next_seq: 201 at index $index" ||
	bad "POST with next_seq: $code $(cat p.txt)"
get /v1/decisions/dec-report -H "If-None-Match: $tag"
[ "$code" = 200 ] && [ "$(etag)" != "$tag" ] &&
	jq -e '.decision.explanations[1].member == "FJI" and .tree_size == 60' g.txt >/dev/null &&
	ok "after the action: 200, a new ETag, the explanation" || bad "after the action: $code"
check "FJI's actions: the new leaf" is /v1/actors/FJI/actions \
	"[.items[].index] == [$index] and .items[0].action.seq == 1 and .next == null"
check "FJI's next_seq is now 2" is /v1/actors/FJI '.actor.next_seq == 2'

# ---- refusals ----
check "unknown language: 400" problem '/v1/members?lang=xx' 400 unsupported-language
check "unknown decision: 404" problem /v1/decisions/dec-none 404 not-found
check "unknown actor: 404" problem /v1/actors/nobody 404 not-found
check "limit 0: 400" problem '/v1/members?limit=0' 400 bad-parameter
check "limit 1001: 400" problem '/v1/stakeholders?limit=1001' 400 bad-parameter
check "bad cursor: 400" problem '/v1/actors/KEN/actions?after=x' 400 bad-parameter
check "revision 9: 404" problem /v1/documents/draft-norms/revisions/9 404 not-found
check "diff" is '/v1/documents/draft-norms/diff?from=1&to=2' \
	'[.paragraphs[].change] == ["changed","unchanged","unchanged"]'
serve_stop "with the key"

# ---- without the key: no state; with it again: the index rebuilt ----
serve_start --db f/forum.db || { bad "read-only start"; exit 1; }
check "without --key: 503 unavailable" problem /v1/forum 503 unavailable
serve_stop "read-only"
serve_start --db f/forum.db --key f/keys/log.key || { bad "restart"; exit 1; }
check "after a restart: FJI's actions rebuilt from the log" is /v1/actors/FJI/actions \
	"[.items[].index] == [$index]"
check "after a restart: KEN's six actions in order" is '/v1/actors/KEN/actions?limit=1000' \
	'[.items[].seq] == [1,2,3,4,5,6] and ([.items[].index] | . == sort)'
serve_stop "restart"

# ---- a training forum carries the notice ----
"$PNYX" keygen log.example/training -o t.key >/dev/null 2>&1
"$PNYX" keygen pnyx.test/secretariat -o s.key >s.vkey 2>/dev/null
"$PNYX" keygen pnyx.test/KEN -o k.key >k.vkey 2>/dev/null
"$PNYX" log init --db t.db --key t.key >/dev/null
serve_start --db t.db --key t.key || { bad "training start"; exit 1; }
printf '{"actor":"secretariat","chairs":[],"forum":"sim","languages":["en"],"members":[{"code":"KEN","key":"%s"}],"rules":{"important_majority":"two-thirds","majority":"simple","objection_window_hours":336,"procedures":["consensus"],"quorum_percent":50,"silence_min_hours":72,"vote_on_request":false},"secretariat_key":"%s","seq":1,"title":"Simulation","training":true,"type":"forum.create"}' \
	"$(cat k.vkey)" "$(cat s.vkey)" | "$AT" sign s.key >create.note
code=$(curl -s -o p.txt -w '%{http_code}' --data-binary @create.note "$U/v1/actions")
[ "$code" = 201 ] || bad "training forum.create: $code $(cat p.txt)"
check "training forum: the notice" is /v1/forum \
	'.forum.training == true and (.notice | startswith("Training simulation (like a Model UN)"))'
check "training forum: the notice on every answer" is /v1/members/KEN \
	'.notice != null and .member.name == "Kenya"'
serve_stop "training"

# ---- the data-dir setting: the UN member list from another folder ----
mkdir -p data && cp "$PNYX_SOURCE_ROOT/data/un-members.txt" data/
serve_start --db t.db --key t.key --data-dir data || { bad "data-dir start"; exit 1; }
check "--data-dir: names from the list in another folder" is '/v1/members/KEN?lang=fr' \
	'.member.name == "Kenya"'
serve_stop "data-dir"
serve_start --db t.db --key t.key --data-dir "$T/nowhere" || { bad "missing data-dir start"; exit 1; }
check "--data-dir without the list: the server runs, names are null" is /v1/members/KEN \
	'.member.name == null'
grep -q "names of states are not available" server.err &&
	ok "--data-dir without the list: said at start-up" || bad "no warning: $(cat server.err)"
serve_stop "missing data-dir"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
