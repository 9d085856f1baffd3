#!/bin/sh
# Interop of Pnyx's C2SP tlog-cosignature lines (src/lib/cosignature.c)
# with an independent Go verifier (tests/interop/cosig_verify.go: x/mod's
# sumdb/note for the log's signature, crypto/ed25519 for the cosignatures):
# a checkpoint signed by a Pnyx log key and cosigned by two Pnyx witness
# keys verifies with the right timestamps; a changed checkpoint byte (with
# or without the log's signature over it) or a changed cosignature time is
# refused.
#
# Usage: interop_cosig.sh COSIGN_TOOL  (run by meson test with
# PNYX_SOURCE_ROOT and PNYX_BUILD_ROOT set). Exit 0 if all checks pass.
set -u

TOOL=${1:?usage: interop_cosig.sh COSIGN_TOOL}
SRC=${PNYX_SOURCE_ROOT:?}
BUILD=${PNYX_BUILD_ROOT:?}
. "$SRC/tests/go_build.sh"
W="$BUILD/interop-cosig.$$"
GOV="$W/cosig_verify"

rm -rf "$W"
mkdir -p "$W" || exit 1
trap 'rm -rf "$W"' EXIT

go_build cosig_verify "$GOV"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

"$TOOL" "$W" || { echo "FAIL: cosign_tool"; exit 1; }
LOG=$(cat "$W/log.vkey")
W1=$(cat "$W/w1.vkey")
W2=$(cat "$W/w2.vkey")
case $W1 in witness-one.example+*) ;; *) bad "w1.vkey: $W1" ;; esac
n_sigs=$(grep -c "^$(printf '\342\200\224') " "$W/note")
[ "$n_sigs" = 3 ] && ok "note has 3 signature lines" || bad "note has $n_sigs signature lines"

# expect WANT(0|1) WHAT NOTEFILE WITNESSVKEY...
expect() {
	e_want=$1 e_what=$2 e_file=$3
	shift 3
	"$GOV" "$e_file" "$LOG" "$@" >"$W/out" 2>"$W/err"
	e_got=$?
	if [ "$e_got" = "$e_want" ]; then
		ok "$e_what"
	else
		bad "$e_what (exit $e_got, want $e_want): $(head -c 300 "$W/err")"
	fi
}

# reason TEXT: the Go verifier's last refusal says TEXT.
reason() {
	if grep -q "$1" "$W/err"; then
		ok "      because: $1"
	else
		bad "      other reason: $(head -c 300 "$W/err")"
	fi
}

expect 0 "go verifies both cosignatures" "$W/note" "$W1" "$W2"
printf 'witness-one.example 1700000000\nwitness-two.example/w 1700000123\n' >"$W/want"
if cmp -s "$W/out" "$W/want"; then
	ok "go reads the right times"
else
	bad "go reads other times: $(head -c 300 "$W/out")"
fi
expect 0 "go verifies the second witness alone" "$W/note" "$W2"

# A witness with no line in the note.
mkdir -p "$W/other" && "$TOOL" "$W/other" || bad "cosign_tool, other keys"
expect 1 "go refuses a witness without a line" "$W/note" "$(cat "$W/other/w1.vkey")"
reason "witness-one.example: no cosignature line"

# A changed byte of the checkpoint text (the tree size 7 -> 8).
sed '2s/^7$/8/' "$W/note" >"$W/tamper-text"
if cmp -s "$W/note" "$W/tamper-text"; then bad "could not tamper the text"; fi
expect 1 "go refuses a changed checkpoint" "$W/tamper-text" "$W1" "$W2"
reason "log signature"
# The same change, signed by the log: the witnesses' lines are over size 7.
expect 1 "go refuses cosignatures of another checkpoint" "$W/note-forged" "$W1" "$W2"
reason "witness-one.example: cosignature does not verify"
expect 1 "go refuses them for the second witness too" "$W/note-forged" "$W2"
reason "witness-two.example/w: cosignature does not verify"

# tamper_time NAME: the note with NAME's cosignature time plus or minus one
# (its last byte, offset 11 of the decoded line: key ID 4, time 8).
tamper_time() {
	line=$(grep "^$(printf '\342\200\224') $1 " "$W/note")
	b64=${line##* }
	printf '%s' "$b64" | base64 -d >"$W/raw" || return 1
	last=$(od -An -tu1 -j11 -N1 "$W/raw" | tr -d ' ')
	printf "\\$(printf '%03o' $((last ^ 1)))" |
		dd of="$W/raw" bs=1 seek=11 conv=notrunc 2>/dev/null
	new=$(base64 -w0 "$W/raw")
	awk -v old="$b64" -v new="$new" \
		'{ i = index($0, old); if (i > 0) $0 = substr($0, 1, i - 1) new; print }' \
		"$W/note"
}
for w in 1 2; do
	eval "vk=\$W$w"
	name=${vk%%+*}
	tamper_time "$name" >"$W/tamper-time$w"
	if cmp -s "$W/note" "$W/tamper-time$w"; then bad "could not tamper time $w"; fi
	expect 1 "go refuses a changed time ($name)" "$W/tamper-time$w" "$W1" "$W2"
	reason "$name: cosignature does not verify"
	other=$((3 - w))
	eval "ovk=\$W$other"
	expect 0 "the other witness still verifies" "$W/tamper-time$w" "$ovk"
done

echo "interop-cosig: $pass passed, $fail failed"
[ "$fail" = 0 ]
