#!/bin/sh
# End-to-end test of the pnyx command-line tool: every subcommand of the
# foundation, its outputs, its exit codes, and that refused input changes
# nothing. Uses the real binary ($PNYX) and real SQLite files.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}"
T="$PNYX_BUILD_ROOT/test-tmp/cli.$$"
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
		bad "$desc (exit $got, wanted $code): $(head -c 300 err.txt)"; fi
}
# one_line_error: the last command printed exactly one line on stderr
one_line_error() {
	if [ "$(wc -l <err.txt)" -eq 1 ] && grep -q '^pnyx: ' err.txt; then
		ok "$1: one-line message"; else bad "$1: message was: $(cat err.txt)"; fi
}

# keygen
expect 0 "keygen writes a key" "$PNYX" keygen log.example/test -o log.key
cp out.txt log.vkey
grep -q '^log.example/test+[0-9a-f]\{8\}+' log.vkey && ok "verifier key printed" || bad "verifier key form"
grep -q '^PRIVATE+KEY+log.example/test+[0-9a-f]\{8\}+' log.key && ok "private key form" || bad "private key form"
[ "$(stat -c %a log.key)" = 600 ] && ok "key file mode 0600" || bad "key file mode $(stat -c %a log.key)"
cp log.key log.key.orig
expect 1 "keygen refuses to overwrite" "$PNYX" keygen other -o log.key
one_line_error "keygen overwrite"
cmp -s log.key log.key.orig && ok "existing key untouched" || bad "existing key changed"
expect 1 "keygen refuses a name with a space" "$PNYX" keygen "bad name" -o x.key
expect 1 "keygen refuses a name with +" "$PNYX" keygen "bad+name" -o x.key
[ ! -e x.key ] && ok "no file for a refused name" || bad "file written for a refused name"
expect 2 "keygen without a name" "$PNYX" keygen
expect 0 "keygen default file name" "$PNYX" keygen member.example/FRA
[ -f member.example_FRA.key ] && ok "default key file name" || bad "default key file name"
cp out.txt member.vkey

# note sign / verify
printf 'We propose paragraph 3.\n' >text.txt
expect 0 "note sign" sh -c "'$PNYX' note sign --key member.example_FRA.key <text.txt >note.txt"
expect 0 "note verify" sh -c "'$PNYX' note verify --vkey \"\$(cat member.vkey)\" <note.txt >verified.txt"
cmp -s verified.txt text.txt && ok "verify prints the text" || bad "verify output"
expect 0 "note verify with @file" sh -c "'$PNYX' note verify --vkey @member.vkey <note.txt"
sed 's/paragraph 3/paragraph 4/' note.txt >tampered.txt
expect 1 "tampered note refused" sh -c "'$PNYX' note verify --vkey @member.vkey <tampered.txt"
one_line_error "tampered note"
grep -q 'bad-signature' err.txt && ok "tampered: bad-signature code" || bad "tampered code: $(cat err.txt)"
expect 1 "note by another key refused" sh -c "'$PNYX' note verify --vkey @log.vkey <note.txt"
grep -q 'unverified' err.txt && ok "unknown signer: unverified code" || bad "unknown signer code: $(cat err.txt)"
printf 'no final newline' >nonl.txt
expect 1 "text without final newline cannot be signed" sh -c "'$PNYX' note sign --key log.key <nonl.txt"
printf 'bad \377 utf8\n' >badutf.txt
expect 1 "invalid UTF-8 cannot be signed" sh -c "'$PNYX' note sign --key log.key <badutf.txt"
expect 1 "garbage is not a note" sh -c "printf 'hello\n' | '$PNYX' note verify --vkey @log.vkey"
expect 1 "not a verifier key" "$PNYX" note verify --vkey "nonsense"
one_line_error "bad verifier key"
printf 'PRIVATE+KEY+broken\n' >broken.key
expect 1 "broken private key refused" sh -c "'$PNYX' note sign --key broken.key <text.txt"
one_line_error "broken key"

# log
expect 1 "open a missing log" "$PNYX" log verify --db missing.db
one_line_error "missing log"
[ ! -e missing.db ] && ok "no file created for a missing log" || bad "missing.db created"
expect 0 "log init" "$PNYX" log init --db log.db --vkey @log.vkey
expect 1 "log init refuses an existing file" "$PNYX" log init --db log.db --vkey @log.vkey
seq 1 2500 | sed 's/^/entry number /' >entries.txt
expect 0 "append 2500 lines" sh -c "'$PNYX' log append --db log.db --batch 700 <entries.txt"
grep -q 'the log now has 2500 entries' out.txt && ok "size reported" || bad "size: $(cat out.txt)"
expect 0 "log checkpoint signs" "$PNYX" log checkpoint --db log.db --key log.key
cp out.txt cp1.txt
sed -n 2p cp1.txt | grep -qx 2500 && ok "checkpoint size line" || bad "checkpoint: $(cat cp1.txt)"
expect 0 "checkpoint verifies as a note" sh -c "'$PNYX' note verify --vkey @log.vkey <cp1.txt"
expect 1 "checkpoint with a wrong key refused" "$PNYX" log checkpoint --db log.db --key member.example_FRA.key
one_line_error "wrong checkpoint key"
expect 0 "log verify" "$PNYX" log verify --db log.db --vkey @log.vkey
grep -q 'verified' out.txt && ok "verify says verified" || bad "verify output: $(cat out.txt)"
cp out.txt state-before.txt

# refused input changes nothing
head -c 65536 /dev/zero | tr '\0' 'x' >big.bin
cp log.db log.db.before
expect 1 "entry over 65,535 bytes refused" "$PNYX" log append --db log.db big.bin
one_line_error "oversized entry"
: >empty.bin
expect 1 "empty entry refused" "$PNYX" log append --db log.db text.txt empty.bin
"$PNYX" log verify --db log.db >state-after.txt 2>&1
grep -q 'entries: 2500' state-after.txt && grep -F "$(grep root: state-before.txt)" state-after.txt >/dev/null \
	&& ok "refused appends changed nothing" || bad "state changed: $(cat state-after.txt)"
head -c 65535 /dev/zero | tr '\0' 'y' >max.bin
expect 0 "entry of exactly 65,535 bytes accepted" "$PNYX" log append --db log.db max.bin text.txt

# proofs
expect 0 "checkpoint 2" "$PNYX" log checkpoint --db log.db --key log.key
cp out.txt cp2.txt
expect 0 "inclusion proof" "$PNYX" log prove --db log.db --index 2500
cp out.txt incl.txt
head -1 incl.txt | grep -qx inclusion && ok "inclusion proof form" || bad "proof: $(cat incl.txt)"
expect 0 "check inclusion proof" "$PNYX" log check-proof --vkey @log.vkey --checkpoint cp2.txt --proof incl.txt --entry max.bin
expect 1 "inclusion proof for another entry fails" "$PNYX" log check-proof --vkey @log.vkey --checkpoint cp2.txt --proof incl.txt --entry text.txt
one_line_error "wrong entry"
expect 1 "inclusion proof against an older checkpoint fails" "$PNYX" log check-proof --vkey @log.vkey --checkpoint cp1.txt --proof incl.txt --entry max.bin
expect 0 "consistency proof" "$PNYX" log prove --db log.db --old 2500
cp out.txt cons.txt
expect 0 "check consistency proof" "$PNYX" log check-proof --vkey @log.vkey --checkpoint cp2.txt --old-checkpoint cp1.txt --proof cons.txt
awk 'NR==4{ $0 = (substr($0,1,1)=="A" ? "B" : "A") substr($0,2) } {print}' cons.txt >cons-bad.txt
expect 1 "tampered consistency proof fails" "$PNYX" log check-proof --vkey @log.vkey --checkpoint cp2.txt --old-checkpoint cp1.txt --proof cons-bad.txt
printf 'inclusion\nindex 01\nsize 3\n' >malformed-proof.txt
expect 1 "malformed proof refused" "$PNYX" log check-proof --vkey @log.vkey --checkpoint cp2.txt --proof malformed-proof.txt --entry text.txt
one_line_error "malformed proof"
expect 1 "proof past the end refused" "$PNYX" log prove --db log.db --index 2502
expect 2 "prove needs --index or --old" "$PNYX" log prove --db log.db
expect 2 "unknown subcommand" "$PNYX" log frobnicate --db log.db
expect 2 "no command" "$PNYX"
expect 0 "help" "$PNYX" help log

# the demo forum itself is tested by tests/demo.sh
expect 0 "demo help" "$PNYX" demo --help
expect 2 "demo with an unknown option" "$PNYX" demo --frobnicate

echo "cli: $fails failed"
[ "$fails" -eq 0 ] && rm -rf "$T"
[ "$fails" -eq 0 ]
