#!/bin/sh
# Installs the Debian 12 packages Pnyx needs to build, test and benchmark.
# Usage: scripts/install-deps.sh [build|test|bench]
# As root, it runs apt-get for whatever is missing; otherwise it lists the
# packages to install and exits non-zero. For test, it also installs the
# browser tests' npm packages (tests/web/package-lock.json) with `npm ci`
# when tests/web/node_modules is missing (Node.js 20 or later is needed).
set -eu

what=${1:-build}
build_pkgs="build-essential meson ninja-build pkg-config libsodium-dev libsqlite3-dev libssl-dev libjansson-dev libmicrohttpd-dev libcmocka-dev libcurl4-openssl-dev iso-codes"
test_pkgs="clang libclang-rt-14-dev golang-go golang-golang-x-mod-dev sqlite3 curl jq python3 chromium nodejs"
bench_pkgs="wrk openssl time"

pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$build_pkgs $test_pkgs"
[ "$what" = bench ] && pkgs="$build_pkgs $test_pkgs $bench_pkgs"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# The browser tests' packages (playwright-core, axe-core), exactly as
# locked; never a browser download (Debian's chromium is used).
npm_deps() {
	[ "$what" = build ] && return 0
	web=$(dirname "$0")/../tests/web
	[ -d "$web/node_modules" ] && return 0
	if ! command -v npm >/dev/null 2>&1; then
		# Debian's nodejs comes without npm (a package of its own); a
		# Node.js from elsewhere brings its own npm and is left alone
		if [ "$(id -u)" -ne 0 ]; then
			echo "pnyx: the browser tests need npm: apt-get install -y npm" >&2
			return 1
		fi
		echo "pnyx: installing npm"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
	fi
	echo "pnyx: installing the browser tests' npm packages (tests/web)"
	(cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
}

[ -z "$missing" ] && { npm_deps; exit $?; }

if [ "$(id -u)" -ne 0 ]; then
	echo "pnyx: these Debian packages are missing:$missing" >&2
	echo "pnyx: install them as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "pnyx: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
npm_deps
