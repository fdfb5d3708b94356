#!/usr/bin/env bash
# Builds the WebAssembly engine for Node and runs the benchmark against mingo.
#   tests/bench/mongo/run.sh [--docs N] [--runs N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cd "$here"
# The web build keeps the workspace's size-optimised release profile; the benchmark measures
# speed, so it builds with opt-level 3 unless told otherwise.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-3}"
npm ci --no-audit --no-fund
(cd "$root" && cargo build -p schemaplay-wasm --release --target wasm32-unknown-unknown)
wasm-bindgen --target nodejs --out-dir "$here/pkg" "$target/wasm32-unknown-unknown/release/schemaplay_wasm.wasm"
node --expose-gc "$here/bench.mjs" "$here/pkg" "$@"
