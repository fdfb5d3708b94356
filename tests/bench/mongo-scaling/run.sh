#!/usr/bin/env bash
# How the MongoDB engine's aggregation stages scale, natively: each stage over 100, 2,000 and
# 20,000 elements, and the pipeline of issue 16 ($unwind over n, then a $lookup whose pipeline
# unwinds n: n² documents; also with the n² documents unwound, and correlated), up to n = 2,000.
# A stage in O(input + output) keeps its CPU time per element flat.
#   tests/bench/mongo-scaling/run.sh [NAME FILTER]
# Environment: SCALING_SIZES (default 100,2000,20000), SCALING_RUNS (default 5).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
cargo bench -p schemaplay-mongo --bench scaling -- "$@"
