#!/bin/sh
# Builds Pnyx twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer)
# and runs the whole test suite in both builds. Prints per-build summaries and,
# as its last line, "N passed, N failed". Exits non-zero if any test failed.
set -u
cd "$(dirname "$0")/.."
scripts/install-deps.sh test || exit 1

passed=0
failed=0
failures=""

# The last lines a failed test printed, indented, from meson's full log, so
# that the end of the output (all a CI summary may show) names what failed.
last_lines_of() { # builddir testname
	awk -v t="$2" '
		/^==+ [0-9]+\/[0-9]+ =+/ { inside = 0 }
		$0 ~ "^test: *" t "$" { inside = 1 }
		inside { buf[n++ % 12] = $0 }
		END { for (i = (n > 12 ? n - 12 : 0); i < n; i++) print "    " buf[i % 12] }
	' "$1/meson-logs/testlog.txt"
}

run_suite() { # name builddir meson-options...
	name=$1 dir=$2
	shift 2
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null || { failed=$((failed + 1)); return; }
	fi
	if ! ninja -C "$dir" >"$dir.buildlog" 2>&1; then
		cat "$dir.buildlog"
		echo "pnyx: the $name build failed"
		failed=$((failed + 1))
		return
	fi
	meson test -C "$dir" --print-errorlogs --num-processes 2 >"$dir.testlog" 2>&1
	grep -E '^ *[0-9]+/[0-9]+ ' "$dir.testlog" | sed "s/^/[$name] /"
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir.testlog")
	bad=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$dir.testlog")
	to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$dir.testlog")
	if [ -z "$ok" ]; then
		cat "$dir.testlog"
		failed=$((failed + 1))
		return
	fi
	if [ "${bad:-0}" -gt 0 ] || [ "${to:-0}" -gt 0 ]; then
		sed -n '/^Summary of Failures/,$p' "$dir.testlog"
		grep -B2 -A40 -E '^-+ (stdout|stderr)' "$dir.testlog" | tail -200
		failures="$failures$(grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT) ' "$dir.testlog" |
			sed "s/^ */[$name] /")
"
		for t in $(grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT) ' "$dir.testlog" | awk '{print $2}'); do
			failures="$failures$(last_lines_of "$dir" "$t")
"
		done
	fi
	echo "[$name] $ok passed, $((${bad:-0} + ${to:-0})) failed"
	passed=$((passed + ok))
	failed=$((failed + ${bad:-0} + ${to:-0}))
}

run_suite plain build
run_suite asan+ubsan build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

if [ -n "$failures" ]; then
	echo "What failed (whole logs in build*/meson-logs/testlog.txt):"
	printf '%s' "$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
