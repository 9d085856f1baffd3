#!/bin/sh
# The cooperation pages of the web page (docs/WEB.md "Cooperation"):
# web/httpsig.js against RFC 9421 B.2.6 and against the real server,
# web/coop_seal.js, coop_api.js and coop_verify.js in node
# (tests/web/httpsig.test.mjs, coop_seal_web.test.mjs, coop_api.test.mjs,
# httpsig_server.mjs); then the demo forum with its
# cooperation log served by the real `pnyx serve`, and
# tests/web/e2e_coop.mjs in Debian's Chromium: a member registers its
# points of contact and sends an encrypted incident notification, another
# reads, acknowledges and answers it, a third sees neither, a ciphertext
# altered before signing is refused with the clear sentence, the
# secretariat's ping dashboard lists the member that stayed silent. Then:
# the markers of those messages are in no file of the server (the SQLite
# databases and their WAL), and the CLI (`pnyx inbox`) reads what the
# browser sealed and refuses the altered one. Screenshots in
# $PNYX_BUILD_ROOT/web-screenshots/coop-*.png.
# Needs node, /usr/bin/chromium and tests/web/node_modules
# (scripts/install-deps.sh test installs them).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin web_coop

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

. "$PNYX_SOURCE_ROOT/tests/web_lib.sh"
W=$WEB
web_need node

# run NAME FILE: node's test runner on FILE, its report in NAME.tap
run() {
	if node --test --test-reporter=tap "$2" >"$1.tap" 2>&1; then
		ok "$1: $(grep -c '^ok ' "$1.tap") tests pass"
	else
		bad "$1: $(grep -A12 '^not ok' "$1.tap" | head -40)"
	fi
}
echo "# node $(node --version)"
run httpsig "$W/httpsig.test.mjs"
run coop_seal_web "$W/coop_seal_web.test.mjs"
run coop_api "$W/coop_api.test.mjs"

# ---- the demo forum and its cooperation log, served ----
web_demo_serve

WEB_COOP_URL=$U WEB_COOP_DEMO=$T/demo run httpsig_server "$W/httpsig_server.mjs"

# A's contact key, made with the CLI; the page registers it
"$PNYX" keygen --contact FRA/cert -o FRA.cert.key >FRA.cert.pub 2>keygen.err ||
	bad "pnyx keygen --contact: $(cat keygen.err)"

shots="$PNYX_BUILD_ROOT/web-screenshots/coop"
rm -rf "$shots" && mkdir -p "$shots"
PNYX_CHROMIUM=$CHROMIUM node "$W/e2e_coop.mjs" "$U" "$shots" "$T/demo" "$T/FRA.cert.key" "$T" >e2e.out 2>e2e.err
rc=$?
cat e2e.out
[ $rc -eq 0 ] && ok "the browser tests pass" || bad "the browser tests failed (exit $rc): $(tail -5 e2e.err)"
nshots=$(ls "$shots"/coop-*.png 2>/dev/null | wc -l)
[ "$nshots" -ge 6 ] && ok "$nshots screenshots in $shots" || bad "only $nshots screenshots"

# ---- no plaintext on the server ----
if [ -s markers ]; then
	for f in demo/*.db*; do
		c=$(grep -a -c -F -f markers "$f")
		[ "$c" = 0 ] && ok "no marker in the server's $f" || bad "$c lines of $f hold a marker"
	done
	# the search can see the log's text: the actions are there, in clear
	c=$(cat demo/cooperation.db* | grep -a -c '"type":"request.answer"')
	[ "$c" -gt 0 ] && ok "the same search finds the actions themselves in the server's files ($c)" ||
		bad "the search finds no action in the server's files: it proves nothing"
	# ---- the CLI reads what the browser sealed ----
	INCIDENT=$(sed -n 1p markers)
	ANSWER=$(sed -n 2p markers)
	"$PNYX" inbox --server "$U" --key demo/keys/KEN.key --as KEN --contact-key demo/contacts/KEN.cert.key \
		>inbox.out 2>inbox.err
	grep -q -F "$INCIDENT" inbox.out && grep -q -F "$ANSWER" inbox.out &&
		ok "pnyx inbox (KEN) decrypts the request and the answer sealed in the browsers" ||
		bad "pnyx inbox (KEN): $(tail -5 inbox.out inbox.err)"
	grep -q 'does not authenticate: it was changed, or it is not addressed to this key' inbox.out &&
		ok "pnyx inbox refuses the request whose ciphertext was altered" || bad "pnyx inbox did not refuse the altered request"
	"$PNYX" inbox --server "$U" --key demo/keys/FRA.key --as FRA --contact-key FRA.cert.key --outbox >outbox.out 2>&1
	grep -q -F "$INCIDENT" outbox.out && grep -q -F "$ANSWER" outbox.out &&
		ok "pnyx inbox --outbox (FRA) with the contact key the page registered reads both" ||
		bad "pnyx inbox --outbox (FRA): $(tail -5 outbox.out)"
	"$PNYX" inbox --server "$U" --key demo/keys/MEX.key --as MEX --contact-key demo/contacts/MEX.cert.key --all \
		>third.out 2>&1
	grep -q -F -f markers third.out && bad "a third member's pnyx inbox shows a marker" ||
		ok "a third member's pnyx inbox (MEX) shows neither"
else
	bad "the browser tests wrote no markers"
fi

serve_stop web-coop
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] && rm -rf "$T"
[ "$fails" -eq 0 ]
