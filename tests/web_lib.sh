# Sourced by the browser tests after serve_lib.sh:
# . "$PNYX_SOURCE_ROOT/tests/web_lib.sh"
# Sets WEB (tests/web) and CHROMIUM (PNYX_CHROMIUM, else Debian's).
WEB="$PNYX_SOURCE_ROOT/tests/web"
CHROMIUM=${PNYX_CHROMIUM:-/usr/bin/chromium}

# web_need TOOLS...: ends the test (a FAIL line, exit 1) unless every tool,
# Chromium and tests/web/node_modules (playwright-core, axe-core) are here.
web_need() {
	for need in "$@"; do
		command -v "$need" >/dev/null 2>&1 ||
			{ echo "FAIL - $need is missing: run scripts/install-deps.sh test"; exit 1; }
	done
	[ -x "$CHROMIUM" ] || { echo "FAIL - $CHROMIUM is missing: run scripts/install-deps.sh test"; exit 1; }
	[ -d "$WEB/node_modules/playwright-core" ] && [ -d "$WEB/node_modules/axe-core" ] ||
		{ echo "FAIL - tests/web/node_modules is missing: run scripts/install-deps.sh test"; exit 1; }
}

# web_demo_serve: the demo forum (`pnyx demo` into ./demo, its link on a
# free loopback port) served with the page and its cooperation log by
# `pnyx serve` (serve_start sets U); ends the test if either fails, else
# reports with ok.
web_demo_serve() {
	port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
	"$PNYX" demo --dir demo --listen "127.0.0.1:$port" >demo.out 2>demo.err ||
		{ echo "FAIL - pnyx demo: $(cat demo.err)"; exit 1; }
	serve_start --db demo/forum.db --key demo/log.key --web-dir "$PNYX_SOURCE_ROOT/web" \
		--cooperation-db demo/cooperation.db --cooperation-key demo/cooperation.key ||
		{ echo "FAIL - pnyx serve did not start: $(cat server.err)"; exit 1; }
	ok "the demo forum is served at $U"
}
