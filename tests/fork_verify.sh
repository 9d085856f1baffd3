#!/bin/sh
# Fork detection by `pnyx verify URL --seen FILE` (docs/CLI.md): one log
# key, two histories (tests/fork_log). A member who saw a checkpoint of
# history a checks the server that shows history b: verify reports the
# fork with both signed checkpoints and exits 1, whether the two trees
# have the same size (different roots) or b is longer but does not extend
# a (its consistency proof fails). A checkpoint of the history served, and
# an older one of it, are consistent.
# $1: tests/fork_log.
set -u
: "${PNYX:?}" "${PNYX_SOURCE_ROOT:?}"
FORK=${1:?fork_log}
case $FORK in /*) ;; *) FORK="$PWD/$FORK" ;; esac
. "$PNYX_SOURCE_ROOT/tests/test_lib.sh"
test_begin fork-verify
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE
. "$PNYX_SOURCE_ROOT/tests/serve_lib.sh"

"$PNYX" keygen log.pnyx.example/forked -o log.key >log.vkey 2>/dev/null ||
	{ bad "keygen"; exit 1; }

# same_size DIR: histories a and b of 7 entries each after 4 in common
mkdir same grow other && "$FORK" same log.key 4 3 3 >same.out || { bad "fork_log same"; exit 1; }
"$FORK" grow log.key 2 2 4 >grow.out || { bad "fork_log grow"; exit 1; }

check_fork() { # NAME DIR: serve DIR/b.db, verify with DIR/a.checkpoint seen
	serve_start --db "$2/b.db" || { bad "$1: serve: $(cat server.err)"; return; }
	"$PNYX" verify "$U" --vkey @log.vkey --seen "$2/a.checkpoint" >v.out 2>v.err
	rc=$?
	a_root=$(sed -n 3p "$2/a.checkpoint")
	b_root=$(sed -n 3p "$2/b.checkpoint")
	if [ $rc = 1 ] && grep -q '^pnyx: the log forked' v.err &&
	   grep -qF "$a_root" v.err && grep -qF "$b_root" v.err &&
	   [ "$(grep -c '^— log.pnyx.example/forked ' v.err)" -ge 2 ]; then
		ok "$1: pnyx verify reports the fork with both signed checkpoints"
	else
		bad "$1: rc $rc $(cat v.err)"
	fi
	# the served history's own checkpoint is consistent with itself
	"$PNYX" verify "$U" --vkey @log.vkey --seen "$2/b.checkpoint" >v2.out 2>v2.err
	grep -q '^seen: .* is consistent with the checkpoint served' v2.out &&
		ok "$1: the served history's checkpoint is consistent" ||
		bad "$1: own checkpoint: $(cat v2.err)"
	serve_stop "$1"
}
check_fork "same size, other root" same
check_fork "a longer history that does not extend the one seen" grow

# a copy older than a checkpoint seen: it cannot prove it extends to it
serve_start --db grow/a.db || { bad "serve: $(cat server.err)"; exit 1; }
"$PNYX" verify "$U" --vkey @log.vkey --seen grow/b.checkpoint >v.out 2>v.err
[ $? = 1 ] && grep -q 'cannot prove that it is consistent with the checkpoint of 6 entries.*it is older' v.err &&
	! grep -q 'forked' v.err &&
	ok "a log older than a checkpoint seen: reported as older, not as a fork" ||
	bad "older: $(cat v.err)"
serve_stop "older"

# a checkpoint signed with another key is refused as such
"$PNYX" keygen log.pnyx.example/forked -o other.key >/dev/null 2>&1
"$FORK" other other.key 4 3 3 >/dev/null || bad "fork_log other"
serve_start --db same/b.db || { bad "serve: $(cat server.err)"; exit 1; }
"$PNYX" verify "$U" --vkey @log.vkey --seen other/a.checkpoint >v.out 2>v.err
[ $? = 1 ] && ! grep -q 'forked' v.err &&
	ok "a checkpoint not signed with the log's key is refused, not taken for a fork" ||
	bad "other key: $(cat v.err)"
serve_stop "other key"

rm -rf "$T"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
