#!/bin/sh
# Durability of `pnyx serve --key` under SIGKILL: load_gen submits signed
# actions from 16 members at once and records every 201 (index and leaf
# hash); meanwhile the server is killed with SIGKILL at random moments (at
# least 10 times, each 0.1 to 1 s after it came up) and restarted on the
# same log, then stopped once with SIGTERM under load (it must drain and
# exit 0). Afterwards: every acknowledged (index, leaf hash) is in the
# log, no index was acknowledged twice, `pnyx log verify` and
# `pnyx verify --db` pass, and a server restarted once more reports the
# state digest `pnyx verify` computes. Bounded to about a minute.
# $1: tests/load_gen.
set -u
: "${PNYX:?}" "${PNYX_BUILD_ROOT:?}" "${PNYX_SOURCE_ROOT:?}"
LG=${1:?usage: durability.sh LOAD_GEN}
case $LG in /*) ;; *) LG="$PWD/$LG" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin durability

pid=""
lgpid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; [ -n "$lgpid" ] && kill "$lgpid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE

# start: `pnyx serve` on forum.db in the background, on a free port; sets
# pid once the ready file names its URL, or returns 1.
start() {
	rm -f ready server.rc server.pid
	("$PNYX" serve --db forum.db --key log.key --listen 127.0.0.1:0 \
		--ready-file ready --checkpoint-interval-ms 100 \
		>>server.out 2>>server.err &
	 echo $! >server.pid
	 wait $!
	 echo $? >server.rc) 2>/dev/null &
	i=0
	while [ ! -s ready ] && [ ! -e server.rc ] && [ $i -lt 1200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	pid=$(cat server.pid)
	[ -s ready ] || { pid=""; return 1; }
}

# wait_gone: waits for the server's wrapper to record its exit status.
wait_gone() {
	i=0
	while [ ! -e server.rc ] && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	pid=""
}

# A random integer in [0, $1).
random_below() {
	n=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((n % $1))
}

"$PNYX" keygen log.example/durability -o log.key >log.vkey 2>/dev/null
"$PNYX" log init --db forum.db --key log.key >/dev/null ||
	{ bad "log init"; exit 1; }
start || { bad "the server did not start: $(cat server.err)"; exit 1; }
"$LG" setup ready 64 >setup.out 2>setup.err ||
	{ bad "setup: $(cat setup.err)"; exit 1; }
setup_leaves=$((3 + 32 + 3))

# 16 members submit for at most 120 s; SIGTERM ends them after the kills.
"$LG" run ready 0 16 120 acked.txt >run.out 2>run.err &
lgpid=$!

begin=$(date +%s)
kills=0
# at least 10 kills; up to 15 while the first 30 seconds last
while [ $kills -lt 10 ] || { [ $kills -lt 15 ] &&
	[ $(($(date +%s) - begin)) -lt 30 ]; }; do
	ms=$((100 + $(random_below 901)))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	if ! kill -9 "$pid" 2>/dev/null; then
		bad "the server died by itself before kill $((kills + 1)): $(tail -3 server.err)"
		break
	fi
	wait_gone
	kills=$((kills + 1))
	start || { bad "restart after kill $kills: $(tail -3 server.err)"; break; }
done
ok "$kills SIGKILLs at random moments under load, each followed by a restart"

# SIGTERM under load: the actions in flight are answered, then exit 0
sleep 0.5
kill -TERM "$pid"
wait_gone
[ "$(cat server.rc)" = 0 ] && ok "SIGTERM under load: drained, exit 0" ||
	bad "exit $(cat server.rc) after SIGTERM under load: $(tail -3 server.err)"
start || { bad "restart after SIGTERM: $(tail -3 server.err)"; exit 1; }

# let the clients see the last server, then stop them
sleep 1
kill -TERM "$lgpid"
wait "$lgpid"
lgrc=$?
lgpid=""
acked=$(awk '$1 == "acked" { print $2 }' run.out)
unacked=$(awk '$1 == "unacked" { print $2 }' run.out)
errors=$(awk '$1 == "errors" { print $2 }' run.out)
[ "$lgrc" = 0 ] && [ "$errors" = 0 ] &&
	ok "load_gen: $acked acknowledged, $unacked committed without an answer, no refusal" ||
	bad "load_gen exit $lgrc, errors '$errors': $(tail -5 run.err)"
[ "${acked:-0}" -ge 200 ] && [ "$(wc -l <acked.txt)" = "$acked" ] &&
	ok "at least 200 acknowledged actions recorded" ||
	bad "only ${acked:-0} acknowledged actions ($(wc -l <acked.txt) lines)"
dups=$(cut -d' ' -f1 acked.txt | sort | uniq -d | wc -l)
[ "$dups" = 0 ] && ok "no index acknowledged twice" || bad "$dups indices acknowledged twice"

# one more SIGKILL under no load, then the restarted server's digest
kill -9 "$pid"
wait_gone
start || { bad "the last restart: $(tail -3 server.err)"; exit 1; }
U=$(cat ready)
digest=$(curl -s "$U/v1/state/digest" | jq -r .digest)
size=$(curl -s "$U/v1/log" | jq -r .size)
kill -TERM "$pid"
wait_gone
[ "$(cat server.rc)" = 0 ] && ok "the last server stops on SIGTERM with exit 0" ||
	bad "exit $(cat server.rc) after SIGTERM: $(tail -3 server.err)"
grep -q 'Sanitizer\|runtime error' server.err run.err setup.err &&
	bad "sanitizer reports: $(grep -m3 'Sanitizer\|runtime error' server.err run.err setup.err)" ||
	ok "no sanitizer report from the servers or load_gen"

out=$("$LG" check forum.db acked.txt 2>&1) &&
	ok "every acknowledged (index, leaf hash) is in the log: $(echo $out)" ||
	bad "acknowledged actions missing: $out"
[ "$size" -ge $((setup_leaves + acked + unacked)) ] &&
	ok "the log holds $size entries: the setup, the acknowledged and the unanswered ones" ||
	bad "log size $size < $setup_leaves + $acked + $unacked"
"$PNYX" log verify --db forum.db --vkey @log.vkey >lv.out 2>&1 &&
	ok "pnyx log verify: the tree and the latest checkpoint verify" ||
	bad "pnyx log verify: $(tail -3 lv.out)"
"$PNYX" verify --db forum.db >verify.out 2>&1 &&
	grep -q "state digest: $digest" verify.out &&
	ok "pnyx verify replays the log to the restarted server's digest $digest" ||
	bad "pnyx verify: $(tail -3 verify.out); server digest $digest"

[ $fails = 0 ] && rm -rf "$T"
echo "$passes passed, $fails failed"
[ $fails = 0 ]
