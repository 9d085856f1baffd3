# The two commands of the README, in front of Meson:
#   make run   installs what is missing, builds, and starts the demo
#   make test  installs what is missing, builds twice (plain and with
#              AddressSanitizer + UndefinedBehaviorSanitizer), runs every test
# Other targets: build, bench, fuzz, clean.

.PHONY: all build run test bench fuzz clean deps

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	@[ -f build/build.ninja ] || meson setup build >/dev/null
	@ninja -C build

run: build
	@scripts/run.sh

test:
	@scripts/test.sh

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh

fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf build build-asan build-fuzz
