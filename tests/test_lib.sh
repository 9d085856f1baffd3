# The start every scripted test shares. Usage, after the test has checked
# its environment (PNYX, PNYX_BUILD_ROOT, PNYX_SOURCE_ROOT):
#   . "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
#   test_begin NAME
# test_begin makes a fresh directory $T under $PNYX_BUILD_ROOT/test-tmp
# and enters it. ok and bad print one TAP-like line each and count into
# $passes and $fails; the test ends with
#   echo "$passes passed, $fails failed"; [ "$fails" = 0 ]
# (or its own equivalent).

test_begin() {
	T="$PNYX_BUILD_ROOT/test-tmp/$1.$$"
	rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
	fails=0
	passes=0
}

ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "FAIL - $1"; fails=$((fails + 1)); }
