#!/bin/sh
# Crash test of the durable log: log_crasher appends random batches and
# reports every commit; this script kills it with SIGKILL after a random
# delay (0-300 ms), at least 20 times, reopening the log after each kill,
# then has log_crasher verify that every reported commit survived, that the
# stored root is the root of the stored entries, and that every root seen
# along the way is consistent with the final tree. Bounded to about 30 s.
# Usage: crash_log.sh LOG_CRASHER
set -u
: "${PNYX_BUILD_ROOT:?}"
CRASHER=${1:?usage: crash_log.sh LOG_CRASHER}
T="$PNYX_BUILD_ROOT/test-tmp/crash-log.$$"
rm -rf "$T" && mkdir -p "$T" || exit 1
DB="$T/log.db"
KEY="$T/log.key"

fail() {
	echo "FAIL - $1"
	exit 1
}

# A random integer in [0, $1).
random_below() {
	n=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((n % $1))
}

"$CRASHER" create "$DB" "$KEY" || fail "create"
"$CRASHER" observe "$DB" >"$T/report.0" || fail "first observation"
reports="$T/report.0"

start=$(date +%s)
kills=0
i=1
# at least 20 kills; up to 30 while the first 10 seconds last
while [ "$kills" -lt 20 ] || { [ "$kills" -lt 30 ] &&
	[ $(($(date +%s) - start)) -lt 10 ]; }; do
	"$CRASHER" run "$DB" "$KEY" "$i" >"$T/run.$i" 2>"$T/err.$i" &
	pid=$!
	ms=$(random_below 301)
	sleep "$(printf '0.%03d' "$ms")"
	if ! kill -9 "$pid" 2>/dev/null; then
		wait "$pid"
		fail "run $i ended by itself (exit $?): $(cat "$T/err.$i")"
	fi
	wait "$pid" 2>/dev/null
	kills=$((kills + 1))
	"$CRASHER" observe "$DB" >"$T/obs.$i" 2>"$T/err.$i" ||
		fail "reopening after kill $kills: $(cat "$T/err.$i")"
	reports="$reports $T/run.$i $T/obs.$i"
	i=$((i + 1))
done

committed=$(cat $reports | grep -c '^committed ')
echo "ok - $kills kills after random delays, $committed batches reported"
# shellcheck disable=SC2086
out=$("$CRASHER" verify "$DB" "$KEY" $reports 2>&1) || fail "verify: $out"
echo "ok - $out"
rm -rf "$T"
echo "1 passed, 0 failed"
