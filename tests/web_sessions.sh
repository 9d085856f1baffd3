#!/bin/sh
# Browser tests of the sessions and the capacity-building board on the web
# page (docs/WEB.md, "Sessions and the board"): the demo forum (`pnyx
# demo`) served by the real `pnyx serve` on a free loopback port, then
# tests/web/e2e_sessions.mjs drives Debian's Chromium with playwright-core:
# the open session's agenda and statements read in Arabic and in Chinese;
# the sessions, a delegation's statements and the board in English; with
# keys imported in the page, a member is refused an oral statement before
# registering, registers, delivers a statement and a right of reply and
# posts a need, a stakeholder speaks in the segment the chair opened with
# `pnyx act`, posts an offer and pledges it, the member accepts it and
# records progress and completion,
# each checked through the read API too; axe-core on every view;
# screenshots in $PNYX_BUILD_ROOT/web-screenshots/sessions/. Then `pnyx
# verify` replays the log, browser actions included, to the server's
# state digest.
# Needs node, /usr/bin/chromium and tests/web/node_modules
# (scripts/install-deps.sh test installs them).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin web_sessions

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
. "$PNYX_SOURCE_ROOT/tests/web_lib.sh"
web_need node curl jq

# ---- the demo forum, served ----
web_demo_serve
# the chair opens the stakeholder segment under item 4, with the CLI
"$PNYX" act --server "$U" --key demo/keys/chair.1.key --as chair.1 --yes \
	segment.open --session sub-1 --item 4 >segment.out 2>segment.err &&
	ok "the chair opens the stakeholder segment of sub-1 with pnyx act" ||
	bad "segment.open: $(cat segment.err)"
before=$(curl -s "$U/v1/state/digest" | jq -r .leaves)

# ---- the browser ----
shots="$PNYX_BUILD_ROOT/web-screenshots/sessions"
rm -rf "$shots"
PNYX_CHROMIUM=$CHROMIUM node "$WEB/e2e_sessions.mjs" "$U" "$shots" "$T/demo/keys" >e2e.out 2>e2e.err
rc=$?
cat e2e.out
[ $rc -eq 0 ] && ok "the browser tests pass" || bad "the browser tests failed (exit $rc): $(tail -5 e2e.err)"

# ---- the record replays, browser actions included ----
curl -s "$U/v1/state/digest" >digest.json
leaves=$(jq -r .leaves digest.json)
[ "$leaves" -ge $((before + 10)) ] && ok "the page's actions are on the record ($before to $leaves leaves)" ||
	bad "leaves: $before before, $leaves after"
serve_stop "web sessions"
"$PNYX" verify --db demo/forum.db --vkey @demo/log.vkey >verify.out 2>verify.err &&
	[ "$(sed -n 's/^state digest: //p' verify.out)" = "$(jq -r .digest digest.json)" ] &&
	ok "pnyx verify replays the $leaves leaves to the server's state digest" ||
	bad "verify: $(tail -3 verify.err verify.out)"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
