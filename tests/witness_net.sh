#!/bin/sh
# Witnessing on loopback, real processes: one forum server (pnyx serve
# --key --witnesses), three `pnyx witness`, one `pnyx mirror --serve`.
# Actions flow; each checkpoint gathers 3 cosignatures and /checkpoint
# serves them; one witness is killed (SIGKILL) and the policy "2 of 3"
# still holds; it restarts and catches up; the mirror serves a copy that
# `pnyx verify --witnesses` accepts with 3 cosignatures; a quorum the
# witnesses do not reach, a forged or a missing cosignature are refused.
# $1: tests/forum_writer (a scripted forum with real keys).
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
FW=${1:?forum_writer}
case $FW in /*) ;; *) FW="$PWD/$FW" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin witness_net

pid=""
mpid=""
wpids=""
trap 'for p in $pid $mpid $wpids; do kill "$p" 2>/dev/null; done' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"
. "$PNYX_SOURCE_ROOT/tests/forum_lib.sh"

VK=@fw/keys/log.vkey

# witness N [ADDR]: `pnyx witness` number N (state wsN/) in the background,
# on ADDR (default: any free port); sets wpid_N
witness() {
	rm -f "w$1.ready"
	"$PNYX" witness --key "w$1.key" --state "ws$1" --log "$(cat fw/keys/log.vkey)" \
		--listen "${2:-127.0.0.1:0}" --ready-file "w$1.ready" \
		>>"w$1.out" 2>>"w$1.err" &
	eval "wpid_$1=$!"
	wpids="$wpids $!"
	i=0
	while [ ! -s "w$1.ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "w$1.ready" ] || { bad "witness $1 did not start: $(cat "w$1.err")"; return 1; }
}

# cosigs: the witnesses' cosignature lines on the served checkpoint
cosigs() { curl -s "$U/checkpoint" | grep -c '^— witness[0-9]\.test '; }
served_size() { curl -s "$U/checkpoint" | sed -n 2p; }

# wait_for SIZE COUNT: until /checkpoint is for SIZE with COUNT cosignatures
wait_for() {
	i=0
	while { [ "$(served_size)" != "$1" ] || [ "$(cosigs)" != "$2" ]; } &&
	      [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(served_size)" = "$1" ] && [ "$(cosigs)" = "$2" ]
}

# verify_ok NAME URL POLICY COUNT: pnyx verify --witnesses accepts URL, and
# says COUNT of 3 cosigned
verify_ok() {
	"$PNYX" verify "$2" --vkey $VK --witnesses "$3" >v.txt 2>v.err
	rc=$?
	[ $rc = 0 ] && grep -q "^witnesses: $4 of 3 cosigned (the policy asks for 2): witness" v.txt &&
		ok "$1" || bad "$1: rc $rc $(cat v.err) $(grep witnesses v.txt)"
}

# ---- three witnesses and the forum's policy "2 of 3" ----
"$FW" create fw >fw.out 2>&1 || { bad "forum_writer: $(cat fw.out)"; exit 1; }
for n in 1 2 3; do
	"$PNYX" keygen "witness$n.test" -o "w$n.key" >/dev/null 2>&1
	witness $n || exit 1
done
{
	echo "# the witnesses of the forum, and how many must cosign"
	echo "quorum 2"
	for n in 1 2 3; do
		echo "witness $(sed -n 's/^witness key: //p' "w$n.out") $(cat "w$n.ready")"
	done
} >policy.txt
sed 's/^quorum 2$/quorum 3/' policy.txt >policy3.txt
[ "$(grep -c '^witness witness[0-9].test+' policy.txt)" = 3 ] &&
	ok "three witnesses started; the policy names them" || bad "policy: $(cat policy.txt)"

# a policy file past 64 KiB is refused whole, never taken in part: blank
# lines pad it, so that any prefix cut at a line's end would parse
{ cat policy.txt; head -c 70000 /dev/zero | tr '\0' '\n'; } >policy_big.txt
if serve_start --db fw/forum.db --key fw/keys/log.key --web-dir none \
	--witnesses policy_big.txt; then
	bad "a policy of $(wc -c <policy_big.txt) bytes was taken"
	kill "$pid"
	i=0
	while [ ! -e server.rc ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	pid=""
elif [ "$(cat server.rc)" = 1 ] &&
     grep -q 'policy_big.txt is larger than 65536 bytes' server.err; then
	ok "a witness policy past 64 KiB: the server refuses to start"
else
	bad "big policy: rc $(cat server.rc) $(cat server.err)"
fi

serve_start --db fw/forum.db --key fw/keys/log.key --checkpoint-interval-ms 100 \
	--web-dir none --witnesses policy.txt ||
	{ bad "server did not start: $(cat server.err)"; exit 1; }
acts 10
checkpoint_now
size=$(live_size)
wait_for "$size" 3 && ok "the checkpoint of $size entries gathered 3 cosignatures" ||
	bad "cosignatures: $(curl -s "$U/checkpoint") $(cat server.err)"
verify_ok "pnyx verify --witnesses: 3 of 3" "$U" policy.txt 3

# ---- one witness killed: 2 of 3 still hold ----
port3=$(sed 's/.*://' w3.ready)
kill -KILL "$wpid_3"
acts 10
checkpoint_now
size=$(live_size)
wait_for "$size" 2 && ok "witness 3 killed: the checkpoint of $size entries has 2 cosignatures" ||
	bad "2 of 3: $(curl -s "$U/checkpoint")"
curl -s "$U/checkpoint" | grep -q '^— witness3\.test ' && bad "witness 3 still cosigns"
grep -q 'witness witness3.test did not cosign' server.err &&
	ok "the server says once that witness 3 does not answer" || bad "no message: $(cat server.err)"
verify_ok "pnyx verify --witnesses: 2 of 3 meet the policy" "$U" policy.txt 2
"$PNYX" verify "$U" --vkey $VK --witnesses policy3.txt >v.txt 2>v.err
[ $? = 1 ] && grep -q '2 of the 3 witnesses cosigned the checkpoint; the policy asks for 3' v.err &&
	ok "a policy of 3 of 3 is not met: refused" || bad "3 of 3: $(cat v.err)"

# ---- it restarts and catches up ----
witness 3 "127.0.0.1:$port3" || exit 1
wait_for "$size" 3 && ok "witness 3 restarted: it cosigned the same checkpoint again" ||
	bad "catch-up: $(curl -s "$U/checkpoint")"
grep -q 'witness witness3.test cosigns again' server.err &&
	ok "the server says witness 3 is back" || bad "no message: $(cat server.err)"
acts 5
checkpoint_now
size=$(live_size)
wait_for "$size" 3 && ok "the next checkpoint ($size entries) has 3 cosignatures" ||
	bad "after restart: $(curl -s "$U/checkpoint")"

# ---- a mirror keeps the cosigned checkpoints ----
rm -f mready
"$PNYX" mirror --dir m --from "$U" --log-key $VK --witnesses policy.txt \
	--interval 200ms --serve 127.0.0.1:0 --ready-file mready >mirror.out 2>mirror.err &
mpid=$!
i=0
while [ "$(sed -n 2p m/checkpoint 2>/dev/null)" != "$size" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
M=$(cat mready 2>/dev/null)
[ -n "$M" ] && [ "$(sed -n 2p m/checkpoint)" = "$size" ] &&
	[ "$(grep -c '^— witness[0-9]\.test ' m/checkpoint)" = 3 ] &&
	ok "the mirror copied the checkpoint with its 3 cosignatures" ||
	bad "mirror: $(cat mirror.err)"
live=$(live_digest)
verify_ok "pnyx verify --witnesses of the mirror: 3 of 3" "$M" policy.txt 3
d=$(sed -n 's/^state digest: \([0-9a-f]\{64\}\)$/\1/p' v.txt)
[ "$d" = "$live" ] && ok "and the mirror's copy replays to the live digest" ||
	bad "digest $d, live $live"
kill -TERM "$mpid"
wait "$mpid" 2>/dev/null
mpid=""

# ---- cosignatures that do not count ----
cp -r m t
# one byte of witness 1's cosignature changed
awk '/^— witness1\.test / { s = $3; c = substr(s, 30, 1); r = (c == "A") ? "B" : "A";
	$3 = substr(s, 1, 29) r substr(s, 31) } { print }' m/checkpoint >t/checkpoint
"$PNYX" verify "file://$T/t" --vkey $VK --witnesses policy.txt >v.txt 2>v.err
[ $? = 1 ] && grep -q 'cosignature of witness witness1.test does not verify' v.err &&
	ok "a forged cosignature: refused" || bad "forged: $(cat v.err)"
grep -v '^— witness[23]\.test ' m/checkpoint >t/checkpoint
"$PNYX" verify "file://$T/t" --vkey $VK --witnesses policy.txt >v.txt 2>v.err
[ $? = 1 ] && grep -q '1 of the 3 witnesses cosigned' v.err &&
	ok "one cosignature of the two needed: refused" || bad "one: $(cat v.err)"
"$PNYX" mirror --dir m4 --from "file://$T/t" --log-key $VK --witnesses policy.txt \
	--once >o.txt 2>e.txt
[ $? = 1 ] && [ ! -e m4/checkpoint ] && grep -q '1 of the 3 witnesses' e.txt &&
	ok "pnyx mirror --witnesses does not take it either" || bad "mirror one: $(cat e.txt)"

serve_stop "the forum's server"
echo "$passes passed, $fails failed"
[ $fails = 0 ]
