#!/bin/sh
# The sequential read of the log (pnyx_log_scan) where the CLI and the
# server read every entry: `pnyx log verify`, `pnyx verify --db`, the start
# of `pnyx serve` (the replay) and the C2SP entry bundle it serves, on a
# real forum log (tests/forum_writer). On the good log all agree with it;
# with an entry deleted from the middle of the SQLite file, or emptied
# (opening the log checks only its tail, so only the full read finds
# these), each fails with exit 1 naming that entry, and the server
# refuses to start, saying why. $1: tests/forum_writer.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
FW=${1:?forum_writer}
case $FW in /*) ;; *) FW="$PWD/$FW" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin log_scan_cli
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

# expect CODE DESCRIPTION CMD...: runs CMD, checks its exit code
expect() {
	code=$1 desc=$2
	shift 2
	"$@" >out.txt 2>err.txt
	got=$?
	if [ "$got" -eq "$code" ]; then ok "$desc"; else
		bad "$desc (exit $got, wanted $code): $(head -c 600 err.txt)"; fi
}
has() { # has FILE TEXT DESCRIPTION: FILE holds the fixed string TEXT
	if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no '$2' in $(head -c 2000 "$1")"; fi
}

command -v sqlite3 >/dev/null 2>&1 || {
	echo "FAIL - sqlite3 CLI missing (scripts/install-deps.sh test installs it)"
	exit 1
}

expect 0 "forum_writer creates a forum" "$FW" create f
leaves=$(awk '$1 == "leaves" { print $2 }' out.txt)
digest=$(awk '$1 == "digest" { print $2 }' out.txt)
[ "${leaves:-0}" -gt 8 ] && ok "the forum has $leaves leaves" || bad "forum_writer: $(cat out.txt)"

# ---- the good log ----
expect 0 "pnyx log verify reads every entry" "$PNYX" log verify --db f/forum.db
has out.txt "entries: $leaves" "pnyx log verify counts every entry"
expect 0 "pnyx verify --db replays every entry" "$PNYX" verify --db f/forum.db
has out.txt "state digest: $digest" "the replay reaches the digest computed live"
if serve_start --db f/forum.db --key f/keys/log.key; then
	ok "pnyx serve starts on the log"
	curl -sf "$U/v1/state/digest" >digest.json 2>/dev/null
	has digest.json "$digest" "the server's replay reaches the same digest"
	# the entry bundle of the partial tile holds every entry, each
	# with its two-byte length: as many bytes as the entries plus 2 each
	curl -sf -o bundle "$U/tile/entries/000.p/$leaves" &&
		ok "the entry bundle is served" || bad "GET /tile/entries/000.p/$leaves"
	want=$(sqlite3 f/forum.db "SELECT sum(length(data)) + 2 * count(*) FROM entries;")
	[ "$(wc -c <bundle)" = "$want" ] && ok "the bundle holds the $leaves entries" ||
		bad "the bundle has $(wc -c <bundle) bytes, wanted $want"
	serve_stop "good log"
else
	bad "pnyx serve on the good log: $(cat server.err)"
fi

# ---- a hole, then an empty entry, in the middle ----
broken() { # broken SQL NAME: each reader fails naming entry 4
	rm -rf g && cp -r f g
	sqlite3 g/forum.db "$1" || bad "sqlite3: $1"
	expect 1 "$2: pnyx log verify fails" "$PNYX" log verify --db g/forum.db
	has err.txt "entry 4 cannot be read (corrupt)" "$2: pnyx log verify names entry 4"
	expect 1 "$2: pnyx verify --db fails" "$PNYX" verify --db g/forum.db
	has err.txt "entry 4 cannot be read (corrupt)" "$2: pnyx verify names entry 4"
	if serve_start --db g/forum.db --key f/keys/log.key; then
		bad "$2: pnyx serve started"
		serve_stop "$2"
	else
		[ "$(cat server.rc)" = 1 ] && ok "$2: pnyx serve exits 1" ||
			bad "$2: pnyx serve exit $(cat server.rc)"
		has server.err "cannot read entry 4 of the log" "$2: pnyx serve names entry 4"
	fi
}
broken "DELETE FROM entries WHERE idx = 4;" "a missing entry"
broken "UPDATE entries SET data = x'' WHERE idx = 4;" "an empty entry"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
