#!/usr/bin/env bash
# Builds the WebAssembly engine for Node and runs the benchmark against mingo.
#   tests/bench/mongo/run.sh [--docs N] [--runs N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cd "$here"
# The benchmark builds exactly what the browser ships: the workspace's release profile (see its
# [profile.release] sections in the root Cargo.toml), with no overrides.
npm ci --no-audit --no-fund
(cd "$root" && cargo build -p schemaplay-wasm --release --target wasm32-unknown-unknown)
wasm-bindgen --target nodejs --out-dir "$here/pkg" "$target/wasm32-unknown-unknown/release/schemaplay_wasm.wasm"
gzip -9 -c "$here/pkg/schemaplay_wasm_bg.wasm" | wc -c | xargs printf 'wasm: %s bytes gzipped\n'
node --expose-gc "$here/bench.mjs" "$here/pkg" "$@"
