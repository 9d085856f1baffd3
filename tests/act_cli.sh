#!/bin/sh
# pnyx act, pnyx show and pnyx verify URL against the real server: a forum
# created and driven entirely through `pnyx act` with key files (consensus
# with a reservation and an objection, a recorded vote, explanations,
# commitments, a stakeholder's application and an objection to it);
# refused actions give one line, exit 1 and change nothing; `pnyx show`
# prints every view with the training line; `pnyx verify URL` replays the
# log from its tiles and agrees with the server, checks receipts, and
# reaches the digest `pnyx verify --db` reaches.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin act_cli

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

# ---- keys, an empty log, the server ----
"$PNYX" keygen act.test/log -o log.key >log.vkey 2>/dev/null
for id in secretariat chair.1 FRA KEN BRA CHN sh.ngo; do
	"$PNYX" keygen "act.test/$id" -o "$id.key" >"$id.vkey" 2>/dev/null
done
"$PNYX" log init --db forum.db --key log.key >/dev/null
serve_start --db forum.db --key log.key --checkpoint-interval-ms 100 ||
	{ bad "server did not start: $(cat server.err)"; exit 1; }

# ---- the command line ----
"$PNYX" act --help >help.txt 2>&1 && grep -q 'consensus.object' help.txt &&
	grep -q 'a member' help.txt && grep -q -- '--json FILE' help.txt &&
	ok "act --help lists every type, who may take it, how to write values" ||
	bad "act --help: $(head -5 help.txt)"
n=$(grep -c '^  [a-z_]*\.[a-z_]* ' help.txt)
[ "$n" -ge 25 ] && ok "act --help lists $n action types" || bad "only $n types"
"$PNYX" act consensus.join --help >help.txt 2>&1 &&
	grep -q -- '--decision .*required' help.txt &&
	grep -q -- '--dissociate .*optional, list' help.txt &&
	grep -q 'docs/actions/decisions.md' help.txt &&
	ok "act TYPE --help: fields from the engine's table, and the doc page" ||
	bad "act consensus.join --help: $(cat help.txt)"
usage() { # usage NAME PATTERN ARGS...: exit 2 and the pattern on stderr
	n=$1
	p=$2
	shift 2
	"$PNYX" act "$@" >/dev/null 2>err.txt
	rc=$?
	[ $rc = 2 ] && grep -q -- "$p" err.txt && ok "$n: exit 2" ||
		bad "$n: rc $rc $(cat err.txt)"
}
usage "unknown type" "no action type 'consensus.nod'" \
	--server "$U" --key KEN.key --as KEN consensus.nod
usage "missing field" "needs --decision" \
	--server "$U" --key KEN.key --as KEN consensus.join
usage "unknown field" "has no field --colour" \
	--server "$U" --key KEN.key --as KEN consensus.join --decision d --colour red
usage "integer field" "--revision needs a whole number" --server "$U" \
	--key KEN.key --as KEN amendment.table --id a --document d --revision two \
	--paragraph p --op delete
usage "no --as" "--as ACTOR is required" --server "$U" --key KEN.key vote.request --decision d
usage "forum.create without --forum" "needs --forum" \
	--server "$U" --key secretariat.key --as secretariat forum.create --title x

# ---- the forum, created through pnyx act ----
cat >forum.json <<EOF
{"title":"Act test forum","languages":["en","fr"],
 "rules":{"important_majority":"two-thirds","majority":"simple","objection_window_hours":336,
  "procedures":["consensus","silence","vote"],"quorum_percent":50,"silence_min_hours":72,
  "vote_on_request":true},
 "secretariat_key":"$(cat secretariat.vkey)",
 "chairs":[{"id":"chair.1","key":"$(cat chair.1.vkey)","name":"The Chair"}],
 "members":[{"code":"FRA","key":"$(cat FRA.vkey)"},{"code":"KEN","key":"$(cat KEN.vkey)"},
  {"code":"BRA","key":"$(cat BRA.vkey)"},{"code":"CHN","key":"$(cat CHN.vkey)"}]}
EOF
act "forum.create from a JSON file, --training" secretariat --forum oewg forum.create \
	--json forum.json --training true
cat >paras.json <<'EOF'
[{"id":"p1","text":{"en":"The Group met in three sessions.","fr":"Le Groupe a tenu trois sessions."}},
 {"id":"p2","norm":true,"text":{"en":"States should not damage critical infrastructure."}}]
EOF
act "document.create, paragraphs from @FILE" chair.1 document.create --id report \
	--title "Progress report" --title.fr "Rapport" --paragraphs @paras.json
act "decision.open (consensus)" chair.1 decision.open --id d1 --procedure consensus \
	--document report --revision 1 --title "Adoption of the report"
act "consensus.join with a reservation" FRA consensus.join --decision d1 --dissociate p1
act "consensus.object, receipt kept" KEN --receipt ken.receipt consensus.object \
	--decision d1 --reason "Paragraph 2 prejudges the negotiations."
[ -s ken.receipt ] && head -1 ken.receipt | grep -q '^pnyx-receipt v1$' &&
	ok "--receipt FILE writes the signed receipt" || bad "no receipt file"

# the consensus board while open
"$PNYX" show --server "$U" decision d1 >board.txt 2>&1
grep -q '^Training simulation' board.txt && grep -A1 'joined the consensus (1)' board.txt |
	grep -q 'FRA France, dissociating from p1' &&
	grep -A1 'objected (1)' board.txt | grep -q 'KEN Kenya: "Paragraph 2' &&
	grep -A2 'have not spoken (2)' board.txt | grep -q 'BRA' &&
	grep -q 'outcome: none yet' board.txt &&
	ok "show decision: the consensus board (joined, objected, not spoken)" ||
	bad "show decision: $(cat board.txt)"
"$PNYX" show --server "$U" --lang fr decision d1 | grep -q 'BRA Brésil' &&
	ok "show --lang fr: state names in French" || bad "show --lang fr"

act "decision.close" chair.1 decision.close --decision d1
refused "joining a closed decision" decision-closed BRA consensus.join --decision d1
refused "a member opening a decision" not-permitted KEN decision.open --id d9 \
	--procedure consensus --document report --revision 1
refused "a replayed sequence number" seq-replayed FRA --seq 1 vote.request --decision d1
refused "an unknown decision" unknown-object CHN consensus.join --decision nowhere
cp FRA.key wrong.key
before=$(snapshot)
"$PNYX" act --server "$U" --key wrong.key --as KEN --yes vote.request --decision d1 \
	>act.out 2>act.err
[ $? = 1 ] && grep -q 'is not an active key of KEN' act.err &&
	[ "$before" = "$(snapshot)" ] &&
	ok "another actor's key: refused before sending, nothing changed" ||
	bad "wrong key: $(cat act.err)"
"$PNYX" act --server "$U" --key BRA.key --as BRA vote.request --decision d1 \
	</dev/null >act.out 2>act.err
[ $? = 1 ] && grep -q 'confirm with --yes' act.err && [ "$before" = "$(snapshot)" ] &&
	ok "without --yes and no terminal: not sent" || bad "no --yes: $(cat act.err)"

# ---- a recorded vote, explanations, commitments ----
act "decision.open (vote)" chair.1 decision.open --id d2 --procedure vote \
	--document report --revision 1 --important false
act "vote.cast yes" FRA vote.cast --decision d2 --vote yes
act "vote.cast no" KEN vote.cast --decision d2 --vote no
act "vote.cast yes" BRA vote.cast --decision d2 --vote yes
act "position.explain before" CHN position.explain --decision d2 --when before \
	--text "We abstain pending consultations." --text.fr "Nous nous abstenons."
act "vote.cast abstain" CHN vote.cast --decision d2 --vote abstain
act "decision.close (vote)" chair.1 decision.close --decision d2
act "commitment.subscribe" FRA commitment.subscribe --decision d2 --norm p2
act "report.file" FRA report.file --decision d2 --norm p2 --status in-progress \
	--text "A point of contact was designated."

# ---- a stakeholder (a newcomer: sequence 1, forum from /v1/forum) ----
act "stakeholder.apply by a newcomer" sh.ngo stakeholder.apply --key @sh.ngo.vkey \
	--name "Example NGO" --category ngo --country KEN --description "Digital rights"
act "stakeholder.object" CHN stakeholder.object --stakeholder sh.ngo --reason "Not relevant"

# ---- a membership question under the silence procedure ----
"$PNYX" keygen act.test/DEU -o DEU.key >DEU.vkey 2>/dev/null
act "decision.open (silence, admit, +73h, --subject.KEY)" secretariat decision.open \
	--id admit-deu --procedure silence --deadline_ms +73h --subject.kind admit \
	--subject.member DEU --subject.key @DEU.vkey
act "silence.break" KEN silence.break --decision admit-deu --reason "We need time."
"$PNYX" show --server "$U" decision admit-deu >view.txt
grep -q 'about: admit DEU' view.txt && grep -A1 'broke silence (1)' view.txt |
	grep -q 'KEN Kenya: "We need time."' && grep -q '^outcome: silence broken by KEN' view.txt &&
	ok "show decision: a broken silence" || bad "silence board: $(cat view.txt)"

# ---- dry run ----
"$PNYX" act --key KEN.key --as KEN --forum oewg --seq 99 --dry-run \
	vote.request --decision d2 >dry.note 2>dry.err &&
	head -1 dry.note | grep -q '^pnyx-action v1$' &&
	"$PNYX" note verify --vkey "$(cat KEN.vkey)" <dry.note >/dev/null 2>&1 &&
	ok "--dry-run offline: prints the signed action, which verifies" ||
	bad "dry run: $(cat dry.err)"

# ---- pnyx show ----
for view in forum members "member KEN" documents "document report" "document report 1" \
	decisions "decisions closed" "decision d2" stakeholders commitments "actor KEN"; do
	# shellcheck disable=SC2086
	"$PNYX" show --server "$U" $view >view.txt 2>&1
	rc=$?
	[ $rc = 0 ] && [ "$(grep -c '^Training simulation (like a Model UN)' view.txt)" = 1 ] &&
		ok "show $view: training line" || bad "show $view: rc $rc $(head -3 view.txt)"
done
"$PNYX" show --server "$U" decision d2 >view.txt
grep -q 'voted yes (2)' view.txt && grep -q 'abstained (1)' view.txt &&
	grep -q 'CHN China (before the decision): "We abstain' view.txt &&
	grep -q '^outcome: adopted' view.txt &&
	ok "show decision: votes, explanation, outcome" || bad "vote board: $(cat view.txt)"
"$PNYX" show --server "$U" stakeholders | grep -q 'objection by China' &&
	ok "show stakeholders: the objection on the record" || bad "show stakeholders"
"$PNYX" show --server "$U" decision nowhere >/dev/null 2>err.txt
[ $? = 1 ] && grep -q '(not-found)' err.txt && ok "show of a missing decision: exit 1" ||
	bad "missing decision: $(cat err.txt)"

# ---- pnyx verify URL ----
wait_checkpoint "$(curl -s "$U/v1/log" | jq -r .size)" || bad "no checkpoint covers the log"
"$PNYX" verify "$U" --vkey @log.vkey --receipt ken.receipt >verify.txt 2>verify.err
rc=$?
if [ $rc = 0 ] && grep -q "^ken.receipt: ok: entry" verify.txt &&
   grep -q '^state digest: the server.s is the same' verify.txt &&
   grep -q '^decisions: the server shows all 3 ' verify.txt &&
   grep -q '^Training simulation' verify.txt; then
	ok "verify URL: tiles, replay, receipt, digest and decisions agree"
else
	bad "verify URL: rc $rc $(cat verify.err verify.txt)"
fi
url_digest=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' verify.txt)
"$PNYX" verify --db forum.db --vkey @log.vkey >db.txt 2>&1
db_digest=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' db.txt)
[ -n "$url_digest" ] && [ "$url_digest" = "$db_digest" ] &&
	ok "verify URL and verify --db reach the same digest" ||
	bad "digests: url '$url_digest' db '$db_digest'"
"$PNYX" verify "$U" --json >v.json 2>/dev/null && jq -e '.digest | length == 64' v.json >/dev/null &&
	ok "verify URL --json (the server's key, printed)" || bad "verify --json"
sed 's/^oewg$/oewh/' ken.receipt >forged.receipt
"$PNYX" verify "$U" --vkey @log.vkey --receipt forged.receipt >/dev/null 2>err.txt
[ $? = 1 ] && grep -q 'forged.receipt: .*(bad-signature)' err.txt &&
	ok "verify URL: an altered receipt fails (bad-signature)" || bad "forged: $(cat err.txt)"
"$PNYX" keygen act.test/other -o other.key >other.vkey 2>/dev/null
"$PNYX" verify "$U" --vkey @other.vkey >/dev/null 2>err.txt
[ $? = 1 ] && grep -q 'checkpoint' err.txt &&
	ok "verify URL with another log key: exit 1" || bad "other key: $(cat err.txt)"
"$PNYX" verify http://127.0.0.1:1 --vkey @log.vkey >/dev/null 2>err.txt
[ $? = 1 ] && [ "$(wc -l <err.txt)" = 1 ] && grep -q 'no answer from' err.txt &&
	ok "verify URL with no server: one line, exit 1" || bad "no server: $(cat err.txt)"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
