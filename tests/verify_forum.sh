#!/bin/sh
# `pnyx verify` on real forum logs written by tests/forum_writer (real keys,
# every leaf applied live with signature checks): the replay reaches the
# digest forum_writer computed live; the summary shows the forum, decisions
# with their tallies, stakeholders; --vkey pins the log key; --json; a
# forged signature, a replayed sequence number and a byte changed in the
# SQLite file each make it fail with exit 1, and the first two name the
# leaf. Usage: verify_forum.sh FORUM_WRITER
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}"
FW=${1:?usage: verify_forum.sh FORUM_WRITER}
case $FW in /*) ;; *) FW=$(pwd)/$FW ;; esac
T="$PNYX_BUILD_ROOT/test-tmp/verify_forum.$$"
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL - $1"; fails=$((fails + 1)); }
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
one_line_error() {
	if [ "$(wc -l <err.txt)" -eq 1 ] && grep -q '^pnyx: ' err.txt; then
		ok "$1: one-line message"; else bad "$1: message was: $(cat err.txt)"; fi
}
# copy_forum FROM TO: a copy of a forum directory (the log is closed)
copy_forum() { rm -rf "$2" && cp -r "$1" "$2"; }

# a forum with random keys, built live
expect 0 "forum_writer creates a forum" "$FW" create f
leaves=$(awk '$1 == "leaves" { print $2 }' out.txt)
digest=$(awk '$1 == "digest" { print $2 }' out.txt)
[ -n "$leaves" ] && [ "${#digest}" -eq 64 ] && ok "forum_writer prints leaves and digest" \
	|| bad "forum_writer output: $(cat out.txt)"
[ -f f/keys/FRA.key ] && [ -f f/keys/log.vkey ] && ok "key files written" || bad "key files"
[ "$(stat -c %a f/keys/FRA.key)" = 600 ] && ok "private key mode 0600" || bad "key mode"

expect 0 "verify succeeds" "$PNYX" verify --db f/forum.db
cp out.txt summary.txt
has summary.txt "state digest: $digest" "the digest equals the one computed live"
has summary.txt "entries: $leaves" "the log check counts every entry"
has summary.txt "verified: every entry hashes to the stored tree" "the log itself is checked"
has summary.txt "latest checkpoint: $leaves entries, signature valid" "the checkpoint is checked"
has summary.txt "leaves: $leaves," "the replay counts every leaf"
has summary.txt "forum: oewg \"Open-ended working group" "forum id and title"
has summary.txt "members: 13" "twelve founders and one admitted member"
has summary.txt "active: BRA CHN EGY FJI FRA IND JPN KEN MEX NOR NZL RUS USA" "members by status"
has summary.txt "dec-report: Adoption of the annual progress report" "a decision and its title"
has summary.txt "about: document report-2026, Rev.1" "what the decision is about"
has summary.txt "about: admit NZL, key pnyx.test/NZL+" "a membership question"
has summary.txt "procedure: consensus, status: adopted (closed" "procedure and status"
has summary.txt "reservations 1 (BRA)" "a dissociation on the record"
has summary.txt "procedure: vote (important question), status: adopted" "a recorded vote"
has summary.txt "procedure: silence, status: adopted" "the silence procedure settled at its deadline"
has summary.txt "tally:" "tallies are printed"
has summary.txt "yes 7 (BRA, FRA, JPN, KEN, MEX, NOR, USA)" "who voted yes"
has summary.txt "sh.icrc \"International Committee of the Red Cross\": accredited on notification" \
	"a stakeholder accredited on notification"
has summary.txt "sh.digital-rights \"Digital Rights Watch\": accredited by non-objection" \
	"a stakeholder accredited by non-objection"
has summary.txt ": not-accredited by non-objection; standing objections (EGY)" "a stakeholder refused, and who objected"
has summary.txt "dec-norms norm p2: NOR subscribed (1 report)" "commitments and reports"
has summary.txt "verified: replaying all $leaves leaves" "closing line"
grep -q "$(printf '\033')" summary.txt && bad "escape character in the output" || ok "no escape characters"
has summary.txt 'norms \x1b[31mURGENT\x1b[0m \xe2\x80\xae"' "control characters and bidi overrides from the log are escaped"

expect 0 "verify with the log key pinned" "$PNYX" verify --db f/forum.db --vkey @f/keys/log.vkey
grep -q "pin it with --vkey" out.txt && bad "pinned run still says the key is unpinned" || ok "pinned key reported"
expect 1 "verify with another log key" "$PNYX" verify --db f/forum.db --vkey @f/keys/FRA.vkey
one_line_error "wrong log key"
has err.txt "not the one given with --vkey" "says the key differs"
expect 1 "verify with a malformed key" "$PNYX" verify --db f/forum.db --vkey nonsense

expect 0 "verify --json" "$PNYX" verify --db f/forum.db --json
[ "$(wc -l <out.txt)" -eq 1 ] && ok "one JSON line on stdout" || bad "json output has $(wc -l <out.txt) lines"
has out.txt "\"digest\":\"$digest\"" "JSON digest"
has out.txt "\"leaves\":$leaves," "JSON leaf count"
has out.txt "\"dec-report\":{" "JSON decisions"
has err.txt "verified: every entry hashes to the stored tree" "JSON mode: log report on stderr"
if [ -x /usr/bin/python3 ]; then
	/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["decisions"]["dec-report"]["status"] == "adopted" else 1)' <out.txt \
		&& ok "JSON parses" || bad "JSON does not parse: $(head -c 300 out.txt)"
fi

# the same seed gives the same keys, the same leaves, the same digest
expect 0 "seeded forum" "$FW" create s1 "verify-forum-seed"
d1=$(awk '$1 == "digest" { print $2 }' out.txt)
expect 0 "seeded forum again" "$FW" create s2 "verify-forum-seed"
d2=$(awk '$1 == "digest" { print $2 }' out.txt)
[ "$d1" = "$d2" ] && ok "same seed, same digest" || bad "seeded digests differ: $d1 $d2"
[ "$d1" != "$digest" ] && ok "other keys, other digest" || bad "random and seeded digests are equal"
expect 0 "verify the seeded forum" "$PNYX" verify --db s2/forum.db
has out.txt "state digest: $d1" "seeded digest replayed"

# a forged signature
copy_forum f b1
expect 0 "append a leaf with a forged signature" "$FW" bad b1 signature
has out.txt "bad-leaf $leaves" "the bad leaf follows the forum"
expect 1 "verify refuses a forged signature" "$PNYX" verify --db b1/forum.db
one_line_error "forged signature"
has err.txt "pnyx: leaf $leaves is refused: bad-signature: " "names the leaf and the verdict"
grep -q "state digest" out.txt && bad "a digest printed after a refusal" || ok "no digest after a refusal"
expect 1 "verify --json refuses it too" "$PNYX" verify --db b1/forum.db --json
[ -s out.txt ] && bad "JSON printed after a refusal" || ok "nothing on stdout"

# a replayed sequence number
copy_forum f b2
expect 0 "append a leaf with a replayed seq" "$FW" bad b2 seq
expect 1 "verify refuses a replayed seq" "$PNYX" verify --db b2/forum.db
has err.txt "pnyx: leaf $leaves is refused: seq-replayed: " "names the leaf and seq-replayed"

# one byte of an entry changed in the SQLite file
copy_forum f t
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 t/forum.db "UPDATE entries SET data = CAST(substr(data, 1, 59) || 'Z' || substr(data, 61) AS BLOB) WHERE idx = 3;" \
		&& ok "tampered with entry 3" || bad "sqlite3 update failed"
	sqlite3 t/forum.db "SELECT length(data) FROM entries WHERE idx = 3;" >len_t.txt
	sqlite3 f/forum.db "SELECT length(data) FROM entries WHERE idx = 3;" >len_f.txt
	cmp -s len_t.txt len_f.txt && ok "same length, one byte changed" || bad "length changed"
	expect 1 "verify refuses a tampered entry" "$PNYX" verify --db t/forum.db
	has err.txt "does not match the stored tree" "the tree check catches it"
	grep -q "state digest" out.txt && bad "digest printed for a tampered log" || ok "no digest for a tampered log"
else
	bad "sqlite3 CLI missing (scripts/install-deps.sh test installs it)"
fi

# logs that are not forums
expect 0 "an empty log" "$PNYX" log init --db e.db --vkey @f/keys/log.vkey
expect 1 "verify refuses an empty log" "$PNYX" verify --db e.db
has err.txt "no leaf" "says there is no leaf"
printf 'hello\n' >hello.txt
expect 0 "a log of something else" "$PNYX" log append --db e.db hello.txt
expect 1 "verify refuses a non-leaf" "$PNYX" verify --db e.db
has err.txt "pnyx: leaf 0 is refused: malformed-leaf: " "names leaf 0"

# the command line
expect 2 "verify without --db" "$PNYX" verify
expect 2 "verify with an unknown option" "$PNYX" verify --db f/forum.db --frobnicate
expect 2 "verify with an operand" "$PNYX" verify --db f/forum.db extra
expect 1 "verify a missing file" "$PNYX" verify --db missing.db
one_line_error "missing file"
expect 0 "verify --help" "$PNYX" verify --help
has out.txt "Usage: pnyx verify --db FILE" "help text"
expect 0 "help verify" "$PNYX" help verify
expect 0 "usage lists verify" "$PNYX" help
has out.txt "verify --db FILE" "verify in the command list"

echo "verify_forum: $fails failed"
[ "$fails" -eq 0 ] && cd / && rm -rf "$T"
[ "$fails" -eq 0 ]
