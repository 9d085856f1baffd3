#!/bin/sh
# Interop of Pnyx's signed notes with Go's golang.org/x/mod/sumdb/note (the
# reference implementation of c2sp.org/signed-note): keys made by either
# side sign notes that the other verifies, both sign the same bytes, both
# reject tampered notes, and both give the same verdict on every note of
# the fuzz seed corpus.
#
# Usage: interop_note.sh NOTE_TOOL  (run by meson test with PNYX_SOURCE_ROOT
# and PNYX_BUILD_ROOT set). Exit 0 if all checks pass, 1 if any fails
# (also if Go or its x/mod sources are not installed).
set -u

TOOL=${1:?usage: interop_note.sh NOTE_TOOL}
SRC=${PNYX_SOURCE_ROOT:?}
BUILD=${PNYX_BUILD_ROOT:?}
. "$SRC/tests/go_build.sh"
W="$BUILD/interop-note.$$"
GONOTE="$W/gonote"

rm -rf "$W"
mkdir -p "$W" || exit 1
trap 'rm -rf "$W"' EXIT

go_build note_interop "$GONOTE"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# expect_verdict WANT(0|1) WHAT TOOL NOTEFILE VKEY...
expect_verdict() {
	ev_want=$1 ev_what=$2 ev_cmd=$3 ev_file=$4
	shift 4
	"$ev_cmd" verify "$@" <"$ev_file" >"$W/out" 2>"$W/err"
	ev_got=$?
	if [ "$ev_got" = "$ev_want" ]; then
		ok "$ev_what"
	else
		bad "$ev_what (exit $ev_got, want $ev_want): $(head -c 300 "$W/err")"
	fi
}

# both WANT(0|1) WHAT NOTEFILE TEXTFILE|"" VKEY...: Pnyx and Go both verify
# (or both reject) a note; when they verify, both print the same text,
# equal to TEXTFILE if given. Pnyx's message is left in $W/err.pnyx.
both() {
	b_want=$1 b_what=$2 b_file=$3 b_text=$4
	shift 4
	expect_verdict "$b_want" "pnyx: $b_what" "$TOOL" "$b_file" "$@"
	cp "$W/out" "$W/out.pnyx"
	cp "$W/err" "$W/err.pnyx"
	expect_verdict "$b_want" "go:   $b_what" "$GONOTE" "$b_file" "$@"
	if [ "$b_want" = 0 ]; then
		if cmp -s "$W/out" "$W/out.pnyx" &&
		   { [ -z "$b_text" ] || cmp -s "$W/out" "$b_text"; }; then
			ok "same text: $b_what"
		else
			bad "the texts differ: $b_what"
		fi
	fi
}

# reason NAME: Pnyx's last rejection was the error NAME.
reason() {
	if grep -q ": $1: " "$W/err.pnyx"; then
		ok "      pnyx says $1"
	else
		bad "      pnyx does not say $1: $(head -c 300 "$W/err.pnyx")"
	fi
}

same_bytes() {
	if cmp -s "$2" "$3"; then ok "$1"; else bad "$1"; fi
}

# --- the signed-note specification's example --------------------------
SPEC_VKEY='example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'
printf 'This is an example message.\n' >"$W/spec.txt"
{
	cat "$W/spec.txt"
	printf '\n\342\200\224 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n'
} >"$W/spec.note"
both 0 "spec example verifies" "$W/spec.note" "$W/spec.txt" "$SPEC_VKEY"

# --- keys from each side ---------------------------------------------
"$GONOTE" keygen go.example/log >"$W/gokeys" || bad "go keygen"
"$TOOL" keygen "pnyx.example/délégation" >"$W/pkeys" || bad "pnyx keygen"
head -n 1 "$W/gokeys" >"$W/go.key"
GO_VKEY=$(sed -n 2p "$W/gokeys")
head -n 1 "$W/pkeys" >"$W/pnyx.key"
PNYX_VKEY=$(sed -n 2p "$W/pkeys")
"$GONOTE" keygen other.example >"$W/otherkeys"
OTHER_VKEY=$(sed -n 2p "$W/otherkeys")

# --- texts ---------------------------------------------------------------
printf 'hello\n' >"$W/t1.txt"
printf 'pnyx-action/1\n{"forum":"oewg","actor":"fr","seq":1}\n\nwith a blank line\n' >"$W/t2.txt"
printf 'Le pr\303\251sident \342\200\224 \346\263\225\345\233\275 \330\247\331\204\330\263\331\204\330\247\331\205 \177\n\n\n' >"$W/t3.txt"
printf '\n' >"$W/t4.txt"

for t in t1 t2 t3 t4; do
	T="$W/$t.txt"
	# The same key signs the same text: Ed25519 is deterministic.
	for k in go pnyx; do
		"$TOOL" sign "$W/$k.key" <"$T" >"$W/$t.$k.by-pnyx" ||
			bad "pnyx sign $t with the $k key"
		"$GONOTE" sign "$W/$k.key" <"$T" >"$W/$t.$k.by-go" ||
			bad "go sign $t with the $k key"
		same_bytes "$t, $k key: pnyx and Go sign the same bytes" \
			"$W/$t.$k.by-pnyx" "$W/$t.$k.by-go"
	done
	both 0 "$t signed by pnyx with the Go key" "$W/$t.go.by-pnyx" "$T" "$GO_VKEY"
	both 0 "$t signed by Go with the pnyx key" "$W/$t.pnyx.by-go" "$T" "$PNYX_VKEY"
	both 0 "$t signed by pnyx with the pnyx key" "$W/$t.pnyx.by-pnyx" "$T" "$PNYX_VKEY"
	both 1 "$t by an unknown key" "$W/$t.pnyx.by-pnyx" "" "$OTHER_VKEY"
	reason unverified
	# Two signers, in order; each key alone verifies it.
	"$TOOL" sign "$W/go.key" "$W/pnyx.key" <"$T" >"$W/$t.two.by-pnyx"
	"$GONOTE" sign "$W/go.key" "$W/pnyx.key" <"$T" >"$W/$t.two.by-go"
	same_bytes "$t, two keys: pnyx and Go sign the same bytes" \
		"$W/$t.two.by-pnyx" "$W/$t.two.by-go"
	both 0 "$t with two signatures, Go key known" "$W/$t.two.by-pnyx" "$T" "$GO_VKEY" "$OTHER_VKEY"
	both 0 "$t with two signatures, both known" "$W/$t.two.by-pnyx" "$T" "$GO_VKEY" "$PNYX_VKEY"
done

# Changes the 10th base64 character (a signature byte, not the key hash) of
# the first signature line.
tamper_first_sig() {
	awk -v dash="$(printf '\342\200\224 ')" \
		'done != 1 && index($0, dash) == 1 {
		n = index($0, " "); n += index(substr($0, n + 1), " ");
		c = substr($0, n + 10, 1); r = (c == "A") ? "B" : "A";
		$0 = substr($0, 1, n + 9) r substr($0, n + 11); done = 1 }
		{ print }' "$1"
}

# --- tampering -------------------------------------------------------------
# A changed text, a changed signature byte (not the key hash), a removed
# blank line: rejected by both, whoever signed.
for by in by-pnyx by-go; do
	N="$W/t2.pnyx.$by"
	sed 's/"seq":1/"seq":2/' "$N" >"$W/tamper-text"
	both 1 "tampered text ($by)" "$W/tamper-text" "" "$PNYX_VKEY"
	reason bad-signature
	tamper_first_sig "$N" >"$W/tamper-sig"
	if cmp -s "$N" "$W/tamper-sig"; then bad "could not tamper a signature"; fi
	both 1 "tampered signature ($by)" "$W/tamper-sig" "" "$PNYX_VKEY"
	reason bad-signature
	sed '/^$/d' "$N" >"$W/tamper-blank"
	both 1 "no blank line ($by)" "$W/tamper-blank" "" "$PNYX_VKEY"
	reason malformed
	head -c -1 "$N" >"$W/tamper-nl"
	both 1 "no final newline ($by)" "$W/tamper-nl" "" "$PNYX_VKEY"
	reason malformed
	# The first of two signatures (the Go key's) tampered: fails when
	# that key is known, ignored when it is not.
	tamper_first_sig "$W/t2.two.$by" >"$W/tamper-first"
	both 1 "tampered known co-signature ($by)" "$W/tamper-first" "" "$PNYX_VKEY" "$GO_VKEY"
	reason bad-signature
	both 0 "tampered unknown co-signature ignored ($by)" "$W/tamper-first" "$W/t2.txt" "$PNYX_VKEY"
done

# --- the fuzz seed corpus: the same verdict from both ------------------------
# fuzz/fuzz_note.c's fixed keys: the spec's example key and this one.
FUZZ_VKEY='fuzz.pnyx.example/key+5b0557f1+AYAYZAwgxOZezqfsoQ/CJ0B9ioTeLdnOvDaYrI+XvTOb'
for f in "$SRC"/fuzz/corpus/note/*; do
	name=$(basename "$f")
	case $name in
	dev-*)
		# Known, deliberate differences (see src/lib/note.c): Pnyx
		# rejects, Go accepts.
		expect_verdict 1 "pnyx rejects $name" "$TOOL" "$f" "$SPEC_VKEY" "$FUZZ_VKEY"
		expect_verdict 0 "go accepts $name" "$GONOTE" "$f" "$SPEC_VKEY" "$FUZZ_VKEY"
		;;
	valid-*)
		both 0 "corpus $name" "$f" "" "$SPEC_VKEY" "$FUZZ_VKEY" ;;
	*)
		both 1 "corpus $name" "$f" "" "$SPEC_VKEY" "$FUZZ_VKEY" ;;
	esac
done

echo "interop-note: $pass passed, $fail failed"
[ "$fail" = 0 ]
