#!/bin/sh
# Installs the Debian 12 packages Pnyx needs to build, test and benchmark.
# Usage: scripts/install-deps.sh [build|test|bench]
# As root, it runs apt-get for whatever is missing; otherwise it lists the
# packages to install and exits non-zero.
set -eu

what=${1:-build}
build_pkgs="build-essential meson ninja-build pkg-config libsodium-dev libsqlite3-dev libssl-dev libjansson-dev libmicrohttpd-dev libcmocka-dev libcurl4-openssl-dev iso-codes"
test_pkgs="clang libclang-rt-14-dev golang-go golang-golang-x-mod-dev sqlite3 curl jq python3"
bench_pkgs="wrk"

pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$build_pkgs $test_pkgs"
[ "$what" = bench ] && pkgs="$build_pkgs $test_pkgs $bench_pkgs"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

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
