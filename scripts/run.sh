#!/bin/sh
# The main job for now: the demonstration of the public record (see README).
# The HTTP service replaces it when it lands.
set -eu
cd "$(dirname "$0")/.."
exec build/pnyx demo --dir demo
