#!/usr/bin/env bash
# The short fuzzing run of the test command: 10 seconds per target.
# synthdata-check: once
FUZZ_SECONDS=${FUZZ_SECONDS:-10} exec "$(dirname "$0")/../../scripts/fuzz"
