#!/bin/sh
# Browser tests of the web page (web/, docs/WEB.md): the demo forum
# (`pnyx demo`) served by the real `pnyx serve` on a free loopback port,
# then tests/web/e2e.mjs drives Debian's Chromium with playwright-core:
# the forum, a document, the difference of two revisions, the decision
# board, the commitments; acting with a demo member's key (object,
# withdraw, join; break silence on a silence procedure the chair opens with
# the CLI, explain a position; a stakeholder's key; a forged key refused); the record
# with inclusion proofs checked in the browser (and a tampered one
# failing); the Content-Security-Policy; Arabic (right to left), Chinese and back;
# axe-core on every view; the first view's bytes; screenshots in
# $PNYX_BUILD_ROOT/web-screenshots/. Also checks the static route with
# curl: media types, ETag and 304, traversal refused.
# Needs node, /usr/bin/chromium and tests/web/node_modules
# (scripts/install-deps.sh test installs them).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin web_e2e

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
. "$PNYX_SOURCE_ROOT/tests/web_lib.sh"
web_need node curl

# ---- the demo forum, served ----
web_demo_serve

# ---- a silence procedure, opened by the chair with the CLI ----
# On norms-2015 Rev.3: its decision (adopt-norms) is closed, while the
# open consensus decision on poc-directory Rev.2 would make this a conflict.
SILENCE=silence-norms-e2e
"$PNYX" act --server "$U" --key demo/keys/chair.1.key --as chair.1 --yes decision.open --id "$SILENCE" \
	--procedure silence --document norms-2015 --revision 3 --deadline_ms +73h >open.out 2>open.err &&
	curl -s "$U/v1/decisions/$SILENCE" | grep -q '"status": *"open"' &&
	ok "the chair opens the silence procedure $SILENCE with the CLI" ||
	bad "decision.open $SILENCE: $(cat open.err)"

# ---- the static route, with curl ----
head_of() { # head_of PATH [IF-NONE-MATCH]: status, type and ETag of GET PATH
	rm -f body headers
	curl -s -o body -D headers -H "If-None-Match: ${2:-}" "$U$1" >/dev/null
	status=$(sed -n '1s/^HTTP\/1.1 \([0-9]*\).*/\1/p' headers)
	ctype=$(sed -n 's/^Content-Type: \(.*\)\r$/\1/Ip' headers)
	etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' headers)
}
head_of /
[ "$status" = 200 ] && [ "$ctype" = "text/html; charset=utf-8" ] && cmp -s body "$PNYX_SOURCE_ROOT/web/index.html" &&
	ok "GET / is web/index.html as text/html" || bad "GET /: $status $ctype"
grep -qi "^Content-Security-Policy: default-src 'self'; script-src 'self';.* frame-ancestors 'none'" headers &&
	ok "the page comes with its Content-Security-Policy header (no framing)" ||
	bad "no CSP header: $(cat headers)"
head_of /web/app.js
[ "$status" = 200 ] && [ "$ctype" = "text/javascript; charset=utf-8" ] &&
	ok "app.js is text/javascript" || bad "app.js: $status $ctype"
app_etag=$etag
head_of /web/style.css
[ "$ctype" = "text/css; charset=utf-8" ] && ok "style.css is text/css" || bad "style.css: $ctype"
head_of /web/app.js "$app_etag"
[ "$status" = 304 ] && [ ! -s body ] && ok "If-None-Match with the ETag: 304, no body" || bad "revalidation: $status"
for p in /web/../demo/log.key /web/%2e%2e/demo/log.key /web/%2E%2E%2Fdemo%2Flog.key \
	'/web/..%5cdemo%5clog.key' /web/app.js%00.html /web/ /web/.hidden.js /web/nothing.js; do
	rm -f body
	code=$(curl -s --path-as-is -o body -w '%{http_code}' "$U$p")
	case $code in
	400 | 404) ok "$p refused ($code)" ;;
	*) bad "$p answered $code" ;;
	esac
	[ -f body ] && grep -q PRIVATE body && bad "$p leaked a key"
done

# ---- the browser ----
shots="$PNYX_BUILD_ROOT/web-screenshots/forum"
rm -rf "$shots"
PNYX_CHROMIUM=$CHROMIUM node "$WEB/e2e.mjs" "$U" "$shots" "$T/demo/keys" "$SILENCE" >e2e.out 2>e2e.err
rc=$?
cat e2e.out
[ $rc -eq 0 ] && ok "the browser tests pass" || bad "the browser tests failed (exit $rc): $(tail -5 e2e.err)"
nshots=$(ls "$shots"/*.png 2>/dev/null | wc -l)
[ "$nshots" -ge 10 ] && ok "$nshots screenshots in $shots" || bad "only $nshots screenshots"

serve_stop "web"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
