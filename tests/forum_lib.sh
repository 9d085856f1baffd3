# Sourced by the scripted tests that drive a forum made by
# tests/forum_writer (fw/) on the real server (serve_lib.sh sets U):
#   . "$PNYX_SOURCE_ROOT/tests/forum_lib.sh"
# Needs PNYX, U, and the test's bad function.

# acts N: N credentials.record actions by the secretariat, each accepted
# (a failure is reported with bad, and stops the run)
acts() {
	acts_i=0
	while [ $acts_i -lt "$1" ]; do
		"$PNYX" act --server "$U" --key fw/keys/secretariat.key \
			--as secretariat --yes credentials.record --member FRA \
			--text "Credentials no. $acts_i" >act.out 2>act.err ||
			{ bad "act $acts_i: $(cat act.err)"; return 1; }
		acts_i=$((acts_i + 1))
	done
}

# checkpoint_now: the server signs a checkpoint of everything committed
checkpoint_now() { curl -s -X POST -o /dev/null "$U/v1/checkpoint"; }

# live_size, live_digest: the server's tree size and state digest
live_size() { curl -s "$U/v1/log" | jq -r .size; }
live_digest() { curl -s "$U/v1/state/digest" | jq -r .digest; }
