#!/bin/sh
# The page's signing modules, web/keys.js and web/sign.js
# (docs/WEB-SIGNING.md), tested with node's own test runner: key files of
# `pnyx keygen` and actions signed in JavaScript against the real CLI
# (tests/web/keys.test.mjs, tests/web/sign.test.mjs), then against the real
# `pnyx serve` holding the demo forum (tests/web/sign_server.mjs): a signed
# consensus.join accepted, a forged and an altered one refused; and, where
# Chromium and playwright-core are installed, the same with a key kept in
# IndexedDB in the browser (tests/web/sign_browser.mjs); and web/verify.js
# (checkpoint signature, entry bundles, inclusion proofs, and their
# alterations refused) against the same server (tests/web/verify_server.mjs).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP - node is not installed (scripts/install-deps.sh test installs it)"
	exit 77
fi
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin web_sign

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
W="$PNYX_SOURCE_ROOT/tests/web"
export PNYX_TEST_TMP="$T"

# run NAME FILE: node's test runner on FILE, its report in NAME.tap
run() {
	if node --test --test-reporter=tap "$2" >"$1.tap" 2>&1; then
		ok "$1: $(grep -c '^ok ' "$1.tap") tests pass"
	else
		bad "$1: $(grep -A12 '^not ok' "$1.tap" | head -40)"
	fi
}

echo "# node $(node --version)"
run keys "$W/keys.test.mjs"
run sign "$W/sign.test.mjs"

# ---- against the real server holding the demo forum ----
if "$PNYX" demo --dir demo >demo.out 2>demo.err &&
   serve_start --db demo/forum.db --key demo/log.key --checkpoint-interval-ms 100; then
	ok "the demo forum is served at $U"
	WEB_SIGN_URL=$U WEB_SIGN_DEMO=$T/demo run server "$W/sign_server.mjs"
	# web/verify.js: the checkpoint, entries and inclusion proofs of this log
	WEB_SIGN_URL=$U run verify "$W/verify_server.mjs"
	# the same in Chromium, with the key kept in IndexedDB
	if [ -x /usr/bin/chromium ] && [ -d "$W/node_modules/playwright-core" ]; then
		WEB_SIGN_URL=$U WEB_SIGN_DEMO=$T/demo run browser "$W/sign_browser.mjs"
	else
		echo "# browser check not run: it needs /usr/bin/chromium and playwright-core in tests/web/node_modules"
	fi
	grep -h '^# \(accepted\|forged\|altered\|browser\):' server.tap browser.tap 2>/dev/null
	serve_stop web-sign
else
	bad "the demo forum could not be served: $(cat demo.err server.err 2>/dev/null | tail -5)"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] && rm -rf "$T"
[ "$fails" -eq 0 ]
