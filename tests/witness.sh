#!/bin/sh
# End-to-end test of `pnyx witness` (C2SP tlog-witness v1.0.0): three real
# witnesses on free loopback ports, fed the checkpoints of a real log
# (`pnyx log init/append/checkpoint`) with consistency proofs from `pnyx
# log prove`; their cosignatures checked by an independent Go verifier
# (tests/interop/cosig_verify.go); every kind of bad input refused with the
# spec's status code and the stored state unchanged (checksum before and
# after); rollbacks refused; a forked log (tests/fork_log: one key, two
# histories) refused by every witness with the spec's code, both
# checkpoints reported and kept as evidence; concurrent submissions
# serialised; the state kept across SIGTERM and SIGKILL.
#
# Usage: witness.sh FORK_LOG (run by meson test with PNYX,
# PNYX_SOURCE_ROOT and PNYX_BUILD_ROOT set).
set -u
FORK=${1:?usage: witness.sh FORK_LOG}
: "${PNYX:?}" "${PNYX_SOURCE_ROOT:?}" "${PNYX_BUILD_ROOT:?}"
SRC=$PNYX_SOURCE_ROOT
BUILD=$PNYX_BUILD_ROOT
command -v curl >/dev/null || { echo "FAIL - curl is not installed"; exit 1; }
case $FORK in /*) ;; *) FORK="$PWD/$FORK" ;; esac
. "$SRC/tests/test_lib.sh"
. "$SRC/tests/go_build.sh"
test_begin witness

# Every witness started here is killed at exit.
trap 'for f in w*.pid; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done' EXIT
trap 'exit 1' INT TERM HUP PIPE

go_build cosig_verify "$T/cosig_verify"
DASH=$(printf '\342\200\224')

# wstart N ARGS...: witness N (key wN.key, state stN) on a free port with
# the given --log/--logs options; sets UN. Returns 1 if it does not start.
wstart() {
	ws_n=$1
	shift
	rm -f "w$ws_n.ready" "w$ws_n.rc" "w$ws_n.pid"
	("$PNYX" witness --key "w$ws_n.key" --state "st$ws_n" \
		--listen 127.0.0.1:0 --ready-file "w$ws_n.ready" "$@" \
		>"w$ws_n.out" 2>"w$ws_n.err" &
	 echo $! >"w$ws_n.pid"
	 wait $!
	 echo $? >"w$ws_n.rc") &
	ws_i=0
	while [ ! -s "w$ws_n.ready" ] && [ ! -e "w$ws_n.rc" ] && [ $ws_i -lt 600 ]; do
		sleep 0.05
		ws_i=$((ws_i + 1))
	done
	[ -s "w$ws_n.ready" ] || return 1
	eval "U$ws_n=\$(cat w$ws_n.ready)"
}

# wstop N SIGNAL: stops witness N, waits for it; sets wrc to its status.
wstop() {
	kill "-$2" "$(cat "w$1.pid")"
	ws_i=0
	while [ ! -e "w$1.rc" ] && [ $ws_i -lt 200 ]; do
		sleep 0.05
		ws_i=$((ws_i + 1))
	done
	wrc=$(cat "w$1.rc" 2>/dev/null)
	rm -f "w$1.pid"
}

# post N FILE [PATH [METHOD]]: sends FILE to witness N; sets code (HTTP
# status) and ctype; the body is in resp.
post() {
	eval "p_u=\$U$1"
	p_out=$(curl -s -o resp -w '%{http_code} %{content_type}' \
		-X "${4:-POST}" --data-binary "@$2" "$p_u${3:-/add-checkpoint}")
	code=${p_out%% *}
	ctype=${p_out#* }
}

# state N: checksum of witness N's stored checkpoints.
state() { cat "st$1"/log-*.checkpoint 2>/dev/null | sha256sum | cut -c1-64; }

# refused WHAT FILE STATUS: every witness answers STATUS to FILE and
# keeps its state.
refused() {
	for n in 1 2 3; do
		before=$(state $n)
		post $n "$2"
		after=$(state $n)
		if [ "$code" = "$3" ] && [ "$before" = "$after" ]; then
			ok "w$n refuses $1 with $3, state unchanged"
		else
			bad "w$n: $1: status $code (want $3), state $before -> $after: $(head -c 300 resp)"
		fi
	done
}

# mkreq OLD CHECKPOINT OUT [DB]: an add-checkpoint body: old size, the
# consistency proof from OLD to the checkpoint's size (pnyx log prove on
# DB, default log.db), a blank line, the checkpoint note.
mkreq() {
	mk_size=$(sed -n 2p "$2")
	{
		echo "old $1"
		if [ "$1" != 0 ]; then
			"$PNYX" log prove --db "${4:-log.db}" --old "$1" --size "$mk_size" |
				sed '1,3d'
		fi
		echo
		cat "$2"
	} >"$3"
}

# accepted WHAT FILE: every witness answers 200 to FILE.
accepted() {
	for n in 1 2 3; do
		post $n "$2"
		[ "$code" = 200 ] && ok "w$n cosigns $1" ||
			bad "w$n: $1: status $code: $(head -c 300 resp)"
	done
}

# cosigned WHAT FILE CHECKPOINT: every witness cosigns FILE (200, one
# cosignature line by its key) and Go verifies each cosignature over
# CHECKPOINT, then all three at once.
cosigned() {
	cp "$3" all.note
	for n in 1 2 3; do
		post $n "$2"
		cat "$3" resp >"cosigned.$n"
		lines=$(grep -c "^$DASH " resp)
		eval "vk=\$V$n"
		if [ "$code" = 200 ] && [ "$lines" = 1 ] &&
		   ./cosig_verify "cosigned.$n" "$LOGV" "$vk" >go.out 2>go.err; then
			ok "w$n cosigns $1; Go verifies the cosignature"
			cat resp >>all.note
		else
			bad "w$n: $1: status $code, $lines lines: $(head -c 300 resp) $(cat go.err)"
		fi
	done
	if ./cosig_verify all.note "$LOGV" "$V1" "$V2" "$V3" >go.out 2>go.err; then
		ok "Go verifies the three cosignatures of $1 together"
	else
		bad "Go refuses the cosignatures of $1: $(cat go.err)"
	fi
}

# ---- keys and logs ----
"$PNYX" keygen log.pnyx.example/witness-test -o log.key >log.vkey 2>/dev/null
"$PNYX" keygen log.pnyx.example/witness-test -o impostor.key >/dev/null 2>&1
"$PNYX" keygen log.pnyx.example/other -o other.key >/dev/null 2>&1
"$PNYX" keygen log.pnyx.example/fork-same -o fork1.key >fork1.vkey 2>/dev/null
"$PNYX" keygen log.pnyx.example/fork-grow -o fork2.key >fork2.vkey 2>/dev/null
for n in 1 2 3; do
	"$PNYX" keygen "witness-$n.pnyx.example" -o "w$n.key" >/dev/null 2>&1
done
LOGV=$(cat log.vkey)
"$PNYX" log init --db log.db --key log.key >/dev/null
"$PNYX" log init --db other.db --key other.key >/dev/null
printf 'one\ntwo\nthree\n' | "$PNYX" log append --db log.db >/dev/null
"$PNYX" log checkpoint --db log.db --key log.key >cp3

# ---- start: three ways to name the logs ----
printf '# logs followed by witness 2\n%s\n\n%s\n%s\n' "$LOGV" \
	"$(cat fork1.vkey)" "$(cat fork2.vkey)" >logs2.txt
wstart 1 --log "$LOGV" --log "$(cat fork1.vkey)" --log "$(cat fork2.vkey)" ||
	bad "witness 1 does not start: $(cat w1.err)"
wstart 2 --logs logs2.txt || bad "witness 2 does not start: $(cat w2.err)"
wstart 3 --log "log.pnyx.example/witness-test=$LOGV" \
	--log "$(cat fork1.vkey)" --log "$(cat fork2.vkey)" ||
	bad "witness 3 does not start: $(cat w3.err)"
for n in 1 2 3; do
	v=$(sed -n 's/^witness key: //p' "w$n.out")
	eval "V$n=\$v"
	case $v in
	"witness-$n.pnyx.example+"*) ok "w$n prints its cosignature key" ;;
	*) bad "w$n prints no key: $(cat "w$n.out")" ;;
	esac
done
if [ "$(grep -c 'nothing cosigned yet' w1.out)" = 3 ]; then
	ok "w1 lists its three logs, none cosigned yet"
else
	bad "w1's start: $(cat w1.out)"
fi

# ---- a growing log is cosigned ----
mkreq 0 cp3 req3
cosigned "the first checkpoint (old 0)" req3 cp3
printf 'four\nfive\n' | "$PNYX" log append --db log.db >/dev/null
"$PNYX" log checkpoint --db log.db --key log.key >cp5
mkreq 3 cp5 req5
cosigned "size 5 with a proof from 3" req5 cp5
mkreq 5 cp5 req5same
cosigned "the same checkpoint again (old 5)" req5same cp5

# ---- bad input: refused, nothing stored ----
printf 'not a request\n' >bad.garbage
refused "a body that is not a request" bad.garbage 400
{ echo "old 05"; echo; cat cp5; } >bad.zero
refused "an old size with a leading zero" bad.zero 400
{ echo "old 5"; cat cp5; } >bad.noblank
refused "a body without the blank line" bad.noblank 400
{ echo "old 3"; echo "not base64!"; echo; cat cp5; } >bad.b64
refused "a proof line that is not base64" bad.b64 400
{ echo "old 5"; echo; sed -n 1,3p cp5; } >bad.unsigned
refused "a checkpoint without signatures" bad.unsigned 400
"$PNYX" log checkpoint --db other.db --key other.key >cp-other
{ echo "old 0"; echo; cat cp-other; } >bad.other
refused "a log no witness follows" bad.other 404
sed -n 1,3p cp5 >cp5.text
"$PNYX" note sign --key impostor.key <cp5.text >cp5.impostor 2>/dev/null ||
	bad "pnyx note sign"
{ echo "old 5"; echo; cat cp5.impostor; } >bad.wrongkey
refused "a checkpoint signed by another key of the same name" bad.wrongkey 403
sig=$(grep "^$DASH " cp5)
b64=${sig##* }
printf '%s' "$b64" | base64 -d >sig.raw
printf '\001\002\003' | dd of=sig.raw bs=1 seek=10 conv=notrunc 2>/dev/null
flip=$(base64 -w0 sig.raw)
{ echo "old 5"; echo; sed -n 1,4p cp5; echo "$DASH log.pnyx.example/witness-test $flip"; } >bad.badsig
refused "a checkpoint with a forged signature" bad.badsig 403
head -c 70000 /dev/zero | tr '\0' 'a' >bad.big
refused "a body over 64 KiB" bad.big 413
{ echo "old 9"; echo; cat cp5; } >bad.oldbig
refused "an old size larger than the checkpoint's" bad.oldbig 400
refused "a stale old size (old 3, holds 5)" req5 409
if [ "$(cat resp)" = 5 ] && [ "$ctype" = text/x.tlog.size ]; then
	ok "the 409 says the held size, 5, as text/x.tlog.size"
else
	bad "409 body '$(cat resp)' type '$ctype'"
fi
{ echo "old 5"; echo; cat cp3; } >bad.rollback
refused "a rollback to size 3 (old 5)" bad.rollback 400
refused "a rollback to size 3 (old 3)" req3 409
printf 'six\nseven\n' | "$PNYX" log append --db log.db >/dev/null
"$PNYX" log checkpoint --db log.db --key log.key >cp7
mkreq 5 cp7 req7
awk 'NR == 2 { $0 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" } { print }' req7 >bad.proof
refused "a bogus consistency proof" bad.proof 422
awk 'NR != 2 { print }' req7 >bad.short
refused "a proof missing a hash" bad.short 422
{ echo "old 5"; echo; cat cp7; } >bad.noproof
refused "no proof at all" bad.noproof 422
mkreq 3 cp7 bad.from3
sed '1s/.*/old 5/' bad.from3 >bad.wrongfrom
refused "a proof from another old size" bad.wrongfrom 422
post 1 req7 /add-checkpoint GET
[ "$code" = 405 ] && ok "GET /add-checkpoint: 405" || bad "GET: $code"
[ "$ctype" = application/problem+json ] &&
	grep -q '"code":"method-not-allowed"' resp &&
	grep -q '"status":405' resp && grep -q '"detail":"/add-checkpoint takes POST only"' resp &&
	ok "the 405 is a problem document" || bad "405: $ctype $(cat resp)"
post 1 req7 /checkpoint
[ "$code" = 404 ] && ok "POST /checkpoint: 404" || bad "POST /checkpoint: $code"
[ "$ctype" = application/problem+json ] && grep -q '"code":"not-found"' resp &&
	grep -q '"type":"/problems/not-found"' resp &&
	ok "the 404 is a problem document" || bad "404: $ctype $(cat resp)"
cat >bad.sofa <<'EOF'
old 20852014
PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
EOF
refused "the spec's example request (a log it does not follow)" bad.sofa 404

# ---- the log grows again: cosigned ----
cosigned "size 7 with a proof from 5" req7 cp7

# ---- concurrent submissions of one checkpoint: one wins ----
printf 'eight\nnine\n' | "$PNYX" log append --db log.db >/dev/null
"$PNYX" log checkpoint --db log.db --key log.key >cp9
mkreq 7 cp9 req9
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o /dev/null -w '%{http_code}\n' --data-binary @req9 \
		"$U1/add-checkpoint" >"race.$i" &
done
wait_i=0
while [ "$(cat race.* 2>/dev/null | wc -l)" -lt 8 ] && [ $wait_i -lt 200 ]; do
	sleep 0.05
	wait_i=$((wait_i + 1))
done
wins=$(cat race.* | grep -c '^200$')
conflicts=$(cat race.* | grep -c '^409$')
if [ "$wins" = 1 ] && [ "$conflicts" = 7 ]; then
	ok "8 concurrent submissions to w1: one 200, seven 409"
else
	bad "concurrent submissions: $(cat race.* | tr '\n' ' ')"
fi
for n in 2 3; do
	post $n req9
	[ "$code" = 200 ] && ok "w$n cosigns size 9" || bad "w$n size 9: $code"
done

# ---- restarts keep the state ----
wstop 1 TERM
[ "$wrc" = 0 ] && ok "w1 stops on SIGTERM with exit 0" || bad "w1 exit $wrc"
wstart 1 --log "$LOGV" --log "$(cat fork1.vkey)" --log "$(cat fork2.vkey)" ||
	bad "w1 does not restart: $(cat w1.err)"
grep -q "log.pnyx.example/witness-test: holds a checkpoint of size 9" w1.out &&
	ok "w1 restarted holds size 9" || bad "w1 after restart: $(cat w1.out)"
refused "size 7 again after a restart" req7 409
[ "$(cat resp)" = 9 ] && ok "the held size is 9" || bad "held: $(cat resp)"
wstop 2 KILL
[ -e w2.ready ] && ok "w2 killed with SIGKILL" || bad "w2 ready file gone"
wstart 2 --logs logs2.txt || bad "w2 does not restart after SIGKILL: $(cat w2.err)"
grep -q "log.pnyx.example/witness-test: holds a checkpoint of size 9" w2.out &&
	ok "w2 restarted after SIGKILL holds size 9" || bad "w2: $(cat w2.out)"
# A second witness on a state directory in use is refused.
"$PNYX" keygen witness-9.pnyx.example -o w9.key >/dev/null 2>&1
if "$PNYX" witness --key w9.key --state st2 --log "$LOGV" --listen 127.0.0.1:0 \
	>second.out 2>second.err; then
	bad "a second witness on st2 starts"
elif grep -q "another witness is using this state directory" second.err; then
	ok "a second witness on a state directory in use is refused"
else
	bad "second witness: $(cat second.err)"
fi

# ---- a forked log: one key, two histories ----
# Same size, two roots: the second history is refused with 409.
mkdir fork1 fork2
"$FORK" fork1 fork1.key 4 3 3 >fork1.out || bad "fork_log fork1"
grep -q '^history b ' fork1.out && ok "fork_log prints both histories" ||
	bad "fork_log: $(cat fork1.out)"
{ echo "old 0"; echo; cat fork1/a.checkpoint; } >fork1.a
accepted "history a of fork-same (size 7)" fork1.a
{ echo "old 7"; echo; cat fork1/b.checkpoint; } >fork1.b7
refused "history b of the same size" fork1.b7 409
root_a=$(sed -n 3p fork1/a.checkpoint)
root_b=$(sed -n 3p fork1/b.checkpoint)
if grep -q '"code":"root-mismatch"' resp && grep -qF "$root_a" resp &&
   grep -qF "$root_b" resp; then
	ok "the refusal is root-mismatch and carries both checkpoints"
else
	bad "root-mismatch answer: $(head -c 400 resp)"
fi
# Grown differently: with the fork's own proof, refused with 422.
"$FORK" fork2 fork2.key 2 2 4 >fork2.out || bad "fork_log fork2"
{ echo "old 0"; echo; cat fork2/a.checkpoint; } >fork2.a
accepted "history a of fork-grow (size 4)" fork2.a
refused "history b with the wrong old size" fork2/b.request 409
mkreq 4 fork2/b.checkpoint fork2.b fork2/b.db
refused "history b (size 6) with its own proof from 4" fork2.b 422
root_a=$(sed -n 3p fork2/a.checkpoint)
root_b=$(sed -n 3p fork2/b.checkpoint)
if grep -q '"code":"bad-proof"' resp && grep -qF "$root_a" resp &&
   grep -qF "$root_b" resp; then
	ok "the refusal is bad-proof and carries both checkpoints"
else
	bad "bad-proof answer: $(head -c 400 resp)"
fi
for n in 1 2 3; do
	if grep -lF "$root_b" "st$n"/evidence/*.txt 2>/dev/null |
		xargs grep -lF "$root_a" >/dev/null 2>&1 &&
	   grep -q "contradicts the checkpoint this witness holds" "w$n.err"; then
		ok "w$n keeps both checkpoints of the fork as evidence and says so"
	else
		bad "w$n: no evidence file of the fork"
	fi
done

# ---- SIGTERM with a request in flight: it is answered, then exit 0 ----
wstart 9 --log "$LOGV" || bad "witness 9 does not start: $(cat w9.err)"
head -c 1500 /dev/zero >drain.bin
curl -s -o /dev/null -w '%{http_code}' --limit-rate 1000 \
	--data-binary @drain.bin "$U9/add-checkpoint" >drain.txt &
inflight=$!
sleep 0.4
kill -TERM "$(cat w9.pid)"
sleep 0.1
curl -s -m 1 -o /dev/null "$U9/add-checkpoint"
[ $? -eq 7 ] && ok "w9 refuses new connections while draining" ||
	bad "w9 took a new connection while draining"
wait $inflight
[ "$(cat drain.txt)" = 400 ] && ok "w9 answers the request in flight at SIGTERM" ||
	bad "request in flight: '$(cat drain.txt)'"
i=0
while [ ! -e w9.rc ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(cat w9.rc 2>/dev/null)" = 0 ] && ok "w9 drained, then exit 0" ||
	bad "w9 drain exit: '$(cat w9.rc 2>/dev/null)' $(cat w9.err)"
rm -f w9.pid

# ---- usage errors ----
"$PNYX" witness --key w1.key --state stx >/dev/null 2>err.txt
[ $? = 2 ] && ok "no --log: usage error (exit 2)" || bad "no --log"
"$PNYX" witness --key w1.key --state stx --log nonsense >/dev/null 2>err.txt
[ $? = 2 ] && ok "a --log that is not a key: usage error" || bad "bad --log"

for n in 1 2 3; do
	wstop $n TERM
	[ "$wrc" = 0 ] && ok "w$n stops on SIGTERM with exit 0" || bad "w$n exit $wrc"
done
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
