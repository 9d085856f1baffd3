# Sourced by the interop tests: go_build NAME OUT builds
# tests/interop/NAME.go into OUT against Debian's golang.org/x/mod, in GOPATH
# mode with no network (see ../shared/ENVIRONMENT.md), or prints FAIL and
# exits 1. The test command installs Go and x/mod (scripts/install-deps.sh
# test), so a missing one is a broken setup, not a reason to skip.
# Needs SRC (the source root) and BUILD (the build root).
GOPATH_DIR=/usr/share/gocode

go_build() {
	if ! command -v go >/dev/null 2>&1 ||
	   [ ! -d "$GOPATH_DIR/src/golang.org/x/mod/sumdb/tlog" ]; then
		echo "FAIL: go or golang-golang-x-mod-dev is not installed"
		exit 1
	fi
	if ! env -i PATH=/usr/bin:/bin GO111MODULE=off GOPATH="$GOPATH_DIR" \
		GOCACHE="$BUILD/gocache" \
		go build -o "$2" "$SRC/tests/interop/$1.go"; then
		echo "FAIL: cannot build tests/interop/$1.go"
		exit 1
	fi
}
