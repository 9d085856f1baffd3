#!/bin/sh
# Sessions, statements and the capacity-building board through the real
# CLI and server: every action type built by `pnyx act` from the engine's
# tables (a session scheduled with its agenda from a file, opened, its
# agenda adopted by a decision, delegations registered, statements in two
# languages, a right of reply, the stakeholder segment, needs, offers, a
# pledge accepted and completed); refused actions give one line, exit 1 and
# change nothing; `pnyx show sessions|session|statements|board` print the
# record in the chosen language; `pnyx verify URL` replays the log and
# reaches the server's digest.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin sessions_cli

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

# ---- keys, an empty log, the server ----
"$PNYX" keygen sessions.test/log -o log.key >log.vkey 2>/dev/null
for id in secretariat chair.1 FRA KEN FJI CHN sh.cpi; do
	"$PNYX" keygen "sessions.test/$id" -o "$id.key" >"$id.vkey" 2>/dev/null
done
"$PNYX" log init --db forum.db --key log.key >/dev/null
serve_start --db forum.db --key log.key --checkpoint-interval-ms 100 ||
	{ bad "server did not start: $(cat server.err)"; exit 1; }

"$PNYX" act --help >help.txt 2>&1
for t in session.schedule session.open session.close session.register segment.open \
	segment.close statement.deliver need.post offer.post pledge.make pledge.accept \
	pledge.progress pledge.complete; do
	grep -q "^  $t " help.txt || bad "act --help does not list $t"
done
ok "act --help lists the session and board types"

# ---- the forum ----
cat >forum.json <<EOF
{"title":"Sessions test forum","languages":["en","fr"],
 "rules":{"important_majority":"two-thirds","majority":"simple","objection_window_hours":336,
  "procedures":["consensus","silence","vote"],"quorum_percent":50,"silence_min_hours":72,
  "vote_on_request":true},
 "secretariat_key":"$(cat secretariat.vkey)",
 "chairs":[{"id":"chair.1","key":"$(cat chair.1.vkey)","name":"The Chair"}],
 "consultative_list":["Cyber Peace Institute"],
 "members":[{"code":"FRA","key":"$(cat FRA.vkey)"},{"code":"KEN","key":"$(cat KEN.vkey)"},
  {"code":"FJI","key":"$(cat FJI.vkey)"},{"code":"CHN","key":"$(cat CHN.vkey)"}]}
EOF
act "forum.create" secretariat --forum oewg forum.create --json forum.json
act "stakeholder.apply (on the consultative list)" sh.cpi stakeholder.apply \
	--key @sh.cpi.vkey --name "Cyber Peace Institute" --category ngo

# ---- a session ----
cat >agenda.json <<'EOF'
[{"id":"1","title":{"en":"Opening of the session","fr":"Ouverture de la session"}},
 {"id":"5","title":{"en":"Capacity building","fr":"Renforcement des capacités"}}]
EOF
act "session.schedule, agenda from @FILE" secretariat session.schedule --id s1 \
	--kind substantive --title "First substantive session" \
	--title.fr "Première session de fond" --start_ms +1h --end_ms +50h \
	--venue "Conference Room 4" --online true --agenda @agenda.json
act "session.register before the opening" FRA session.register --session s1
act "session.open" chair.1 session.open --session s1
act "session.register" KEN session.register --session s1
refused "a statement before the agenda is adopted" conflict FRA statement.deliver \
	--id st0 --session s1 --item 1 --mode oral --text "Too early."
act "decision.open on the agenda" chair.1 decision.open --id s1-agenda \
	--procedure consensus --subject.kind agenda --subject.session s1
act "consensus.join" KEN consensus.join --decision s1-agenda
act "decision.close: the agenda is adopted" chair.1 decision.close --decision s1-agenda
act "statement.deliver in two languages" FRA statement.deliver --id st-fra \
	--session s1 --item 1 --mode oral --text "France thanks the Chair." \
	--text.fr "La France remercie le Président."
act "statement.deliver, a right of reply" KEN statement.deliver --id st-ken \
	--session s1 --item 1 --mode oral --reply_to st-fra --text "Kenya replies."
act "statement.deliver in writing" FJI statement.deliver --id st-fji --session s1 \
	--item 5 --mode written --text "Fiji submits its views in writing." \
	--attachment sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
refused "a stakeholder outside the segment" not-permitted sh.cpi statement.deliver \
	--id st-cpi --session s1 --item 5 --mode oral --text "Civil society."
refused "a statement off the agenda" unknown-object FRA statement.deliver \
	--id st-x --session s1 --item 9 --mode oral --text "Elsewhere."
act "segment.open" chair.1 segment.open --session s1 --item 5
act "a stakeholder in the segment" sh.cpi statement.deliver --id st-cpi --session s1 \
	--item 5 --mode oral --text "Civil society supports the programme."
act "segment.close" chair.1 segment.close --session s1
act "session.close" chair.1 session.close --session s1

# ---- the board ----
act "need.post" FJI need.post --id fji-cert --area cert-maturity \
	--title "A national CERT" --description "Procedures and training." \
	--languages en --languages fr
refused "a stakeholder posts a need" not-permitted sh.cpi need.post --id n2 \
	--area legislation --title "A law" --description "Help." --languages en
act "offer.post by a member" FRA offer.post --id fra-cert --area cert-maturity \
	--title "CERT mentoring" --description "Two experts." --languages fr
act "offer.post by a stakeholder" sh.cpi offer.post --id cpi-cert --area cert-maturity \
	--title "Training courses" --description "Online courses." --languages en
act "pledge.make" FRA pledge.make --id p1 --offer fra-cert --need fji-cert \
	--note "Starting next quarter."
refused "only the member in need accepts" not-permitted KEN pledge.accept --pledge p1
act "pledge.accept" FJI pledge.accept --pledge p1
act "pledge.progress" FRA pledge.progress --pledge p1 --note "First week held."
act "pledge.complete" FJI pledge.complete --pledge p1 --note "The CERT is running."

# ---- pnyx show ----
"$PNYX" show --server "$U" sessions >view.txt 2>&1
grep -q '^  s1: First substantive session' view.txt &&
	grep -q 'substantive, closed, .* 2 delegations registered' view.txt &&
	ok "show sessions" || bad "show sessions: $(cat view.txt)"
"$PNYX" show --server "$U" --lang fr session s1 >view.txt 2>&1
grep -q '^session s1: Première session de fond' view.txt &&
	grep -q '^  substantive, closed, Conference Room 4, online$' view.txt &&
	grep -q '^registered delegations (2): FRA KEN' view.txt &&
	grep -q '^agenda (adopted by decision s1-agenda):' view.txt &&
	grep -q '^  item 1: Ouverture de la session (2 statements)' view.txt &&
	grep -q '^    FRA France \[st-fra\]: La France remercie le Président.' view.txt &&
	grep -q '^    KEN Kenya, in reply to st-fra \[st-ken\]: \[en\] Kenya replies.' view.txt &&
	grep -q '^    FJI Fidji (in writing) \[st-fji\]' view.txt &&
	grep -q '^      attachment sha256:9f86' view.txt &&
	grep -q '^    sh.cpi Cyber Peace Institute \[st-cpi\]' view.txt &&
	ok "show session: the agenda with the statements under each item, in French" ||
	bad "show session: $(cat view.txt)"
"$PNYX" show --server "$U" statements FRA >view.txt 2>&1
grep -q '^statements by FRA: 1$' view.txt && grep -q 'session s1, item 1' view.txt &&
	ok "show statements ACTOR" || bad "show statements: $(cat view.txt)"
"$PNYX" show --server "$U" board >view.txt 2>&1
grep -q '^capacity-building needs: 1$' view.txt &&
	grep -q '^  fji-cert (cert-maturity, completed) asked by Fiji: A national CERT' view.txt &&
	grep -q '^      pledge p1 by FRA (offer fra-cert): completed' view.txt &&
	ok "show board: the need, its pledge and status" || bad "show board: $(cat view.txt)"
"$PNYX" show --server "$U" board legislation >view.txt 2>&1
grep -q '^capacity-building needs: 0$' view.txt && ok "show board AREA" ||
	bad "show board legislation: $(cat view.txt)"
"$PNYX" show --server "$U" session nowhere >/dev/null 2>err.txt
[ $? = 1 ] && grep -q '(not-found)' err.txt && ok "show of a missing session: exit 1" ||
	bad "missing session: $(cat err.txt)"
"$PNYX" show --server "$U" board 'CERT!' >/dev/null 2>err.txt
[ $? = 2 ] && ok "show board with a bad area: exit 2" || bad "bad area: $(cat err.txt)"
for what in session statements; do
	"$PNYX" show --server "$U" $what 'a b' >out.txt 2>err.txt
	[ $? = 2 ] && [ ! -s out.txt ] && grep -q 'not an identifier' err.txt &&
		ok "show $what with a bad id: exit 2" || bad "show $what 'a b': $(cat err.txt)"
done

# ---- pnyx verify URL replays it all ----
wait_checkpoint "$(curl -s "$U/v1/log" | jq -r .size)" || bad "no checkpoint covers the log"
"$PNYX" verify "$U" --vkey @log.vkey >verify.txt 2>verify.err
rc=$?
[ $rc = 0 ] && grep -q '^state digest: the server.s is the same' verify.txt &&
	ok "verify URL: the replay reaches the server's digest" ||
	bad "verify URL: rc $rc $(cat verify.err verify.txt)"
serve_stop "sessions"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
