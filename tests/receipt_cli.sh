#!/bin/sh
# End-to-end test of `pnyx receipt check`: a forum log and receipts written
# by tests/receipt_writer.c ($1); genuine receipts pass, and a receipt for
# another index, an altered one, one signed by another key, one for an entry
# the log does not hold (past its end, or another entry at that index), with
# the wrong time or forum, or against another log all fail with exit 1 and
# one line on stderr.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}"
writer=${1:?usage: receipt_cli.sh RECEIPT_WRITER}
case $writer in /*) ;; *) writer="$PWD/$writer" ;; esac
T="$PNYX_BUILD_ROOT/test-tmp/receipt_cli.$$"
rm -rf "$T" && mkdir -p "$T/a" "$T/b" && cd "$T" || exit 1
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
		bad "$desc (exit $got, wanted $code): $(head -c 300 err.txt)"; fi
}
# refused DESCRIPTION CODE FILE: the receipt FILE fails against log a with
# one line on stderr naming FILE and the error code, nothing on stdout
refused() {
	expect 1 "$1" "$PNYX" receipt check --db a/log.db "$3"
	if [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "^pnyx: $3: .*($2)\$" err.txt &&
		[ ! -s out.txt ]; then
		ok "$1: one line, code $2"
	else
		bad "$1: wanted one line with ($2), got: $(cat err.txt)"
	fi
}

"$writer" a || { echo "FAIL - receipt_writer"; exit 1; }
"$writer" b || { echo "FAIL - receipt_writer"; exit 1; }

# genuine receipts
expect 0 "three genuine receipts check" "$PNYX" receipt check --db a/log.db \
	a/r0.txt a/r1.txt a/r2.txt
[ "$(grep -c ': ok: entry [0-2] of forum oewg, accepted 2026-01-01 09:0[0-2]:00.000 UTC$' out.txt)" -eq 3 ] &&
	ok "one ok line per receipt" || bad "ok lines: $(cat out.txt)"
[ ! -s err.txt ] && ok "nothing on stderr" || bad "stderr: $(cat err.txt)"
expect 0 "with the log's key pinned" "$PNYX" receipt check --db a/log.db \
	--vkey @a/log.vkey a/r1.txt
expect 0 "pinned key given as text" "$PNYX" receipt check --db a/log.db \
	--vkey "$(cat a/log.vkey)" a/r2.txt

# refused receipts
refused "receipt for another index" mismatch a/other-index.txt
refused "receipt of a leaf the log never held" mismatch a/forged.txt
refused "receipt for an entry past the end" out-of-range a/future.txt
refused "receipt with another time" mismatch a/wrong-time.txt
refused "receipt with another forum" mismatch a/other-forum.txt
refused "receipt signed by another key" unverified a/other-key.txt
sed 's/^1$/2/' a/r1.txt >tampered-index.txt
cmp -s tampered-index.txt a/r1.txt && bad "tampering changed nothing"
refused "tampered index" bad-signature tampered-index.txt
sed 's/^1767258060000$/1767258000000/' a/r1.txt >tampered-time.txt
refused "tampered time" bad-signature tampered-time.txt
refused "receipt of another log" unverified b/r1.txt
printf 'not a receipt\n' >junk.txt
refused "a file that is not a receipt" malformed junk.txt
head -c 100 a/r1.txt >truncated.txt
refused "a truncated receipt" malformed truncated.txt

# a mix: every receipt checked, exit 1, one line per failure
expect 1 "a mix of good and bad" "$PNYX" receipt check --db a/log.db \
	a/r0.txt a/future.txt a/r2.txt a/other-key.txt
[ "$(wc -l <out.txt)" -eq 2 ] && [ "$(wc -l <err.txt)" -eq 2 ] &&
	ok "mix: two ok lines, two error lines" ||
	bad "mix: out $(cat out.txt) err $(cat err.txt)"

# the log's own key against a pinned one
expect 1 "log key differs from --vkey" "$PNYX" receipt check --db a/log.db \
	--vkey @b/log.vkey a/r1.txt
[ "$(wc -l <err.txt)" -eq 1 ] && grep -q -- '--vkey' err.txt &&
	ok "pinned key: one line" || bad "pinned key message: $(cat err.txt)"
expect 1 "missing log" "$PNYX" receipt check --db nothing.db a/r1.txt
[ "$(wc -l <err.txt)" -eq 1 ] && ok "missing log: one line" ||
	bad "missing log message: $(cat err.txt)"
expect 1 "missing receipt file" "$PNYX" receipt check --db a/log.db none.txt
[ "$(wc -l <err.txt)" -eq 1 ] && ok "missing receipt: one line" ||
	bad "missing receipt message: $(cat err.txt)"

# the command line
expect 2 "no receipt file" "$PNYX" receipt check --db a/log.db
expect 2 "no --db" "$PNYX" receipt check a/r1.txt
expect 2 "unknown subcommand" "$PNYX" receipt show a/r1.txt
expect 2 "unknown option" "$PNYX" receipt check --db a/log.db --nope a/r1.txt
expect 0 "help" "$PNYX" receipt --help
grep -q '^Usage: pnyx receipt check' out.txt && ok "help text" || bad "help text"
expect 0 "help through pnyx help" "$PNYX" help receipt
expect 0 "check --help" "$PNYX" receipt check --help
"$PNYX" --help | grep -q 'receipt check' && ok "listed in pnyx --help" ||
	bad "not listed in pnyx --help"

cd / && rm -rf "$T"
echo "$fails failed"
[ "$fails" -eq 0 ]
