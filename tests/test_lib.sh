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

# flip_byte FILE OFFSET: changes the byte at OFFSET of FILE to another
# value (its low bit flipped), so that a tampering test never writes the
# byte that was already there.
flip_byte() {
	flip_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((flip_b ^ 1)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
