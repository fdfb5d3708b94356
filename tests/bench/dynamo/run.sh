#!/usr/bin/env bash
# Times the native bulk load (PutItem requests against put_items, 100k items), then runs the
# DynamoDB benchmark three ways and prints one table of median times per operation
# (medians, because the machine is shared and means follow the neighbours' load):
#   native: the criterion bench of schemaplay-dynamo (10k, 100k and 1M items);
#   wasm:   the same requests through the wasm build under Node (10k and 100k items);
#   moto:   the same requests through moto, in process (10k and 100k items).
# Environment: CARGO_TARGET_DIR (cargo's own default when unset), BENCH_SIZES (native sizes,
# default 10000,100000,1000000), COMPARE_SIZES (wasm and moto, default "10000 100000").
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
# Where cargo writes: the caller's CARGO_TARGET_DIR, else cargo's default (as ./x and the mongo bench).
target_dir="${CARGO_TARGET_DIR:-$root/target}"
export BENCH_SIZES="${BENCH_SIZES:-10000,100000,1000000}"
compare_sizes="${COMPARE_SIZES:-10000 100000}"
out="$(mktemp -d)"

echo "== native load: PutItem requests against put_items, the bulk load" >&2
(cd "$root" && cargo bench -p schemaplay-dynamo --bench load >&2)
echo "== native (criterion, sizes $BENCH_SIZES)" >&2
(cd "$root" && cargo bench -p schemaplay-dynamo --bench operations >&2)
python3 - "$target_dir/criterion/dynamo" > "$out/native.txt" <<'PY'
import json, os, sys
base = sys.argv[1]
for op in sorted(os.listdir(base)):
    op_dir = os.path.join(base, op)
    if not os.path.isdir(op_dir) or op == "report":
        continue
    for n in sorted(os.listdir(op_dir)):
        est = os.path.join(op_dir, n, "new", "estimates.json")
        if os.path.exists(est):
            median = json.load(open(est))["median"]["point_estimate"]
            print("native %s %s %.3f" % (op, n, median / 1000.0))
PY

echo "== wasm under Node (sizes $compare_sizes)" >&2
if command -v wasm-bindgen >/dev/null && command -v node >/dev/null; then
  (cd "$root" && cargo build -p schemaplay-wasm --release --target wasm32-unknown-unknown >&2)
  wasm-bindgen --target nodejs --out-dir "$out/pkg" "$target_dir/wasm32-unknown-unknown/release/schemaplay_wasm.wasm"
  # shellcheck disable=SC2086
  node "$here/node_bench.cjs" "$out/pkg" $compare_sizes > "$out/wasm.txt"
else
  echo "wasm-bindgen or node missing: skipping the wasm run" >&2
  : > "$out/wasm.txt"
fi

echo "== moto (sizes $compare_sizes)" >&2
if python3 -c "import moto, boto3" 2>/dev/null; then
  # shellcheck disable=SC2086
  python3 "$here/moto_bench.py" $compare_sizes > "$out/moto.txt"
else
  echo "moto or boto3 missing (pip install moto boto3): skipping the moto run" >&2
  : > "$out/moto.txt"
fi

python3 - "$out" <<'PY'
import sys, os
rows = {}
for impl in ("native", "wasm", "moto"):
    for line in open(os.path.join(sys.argv[1], impl + ".txt")):
        parts = line.split()
        if len(parts) == 4:
            rows.setdefault((parts[1], int(parts[2])), {})[impl] = float(parts[3])
fmt = lambda v: "%.2f" % v if v is not None else "-"
ratio = lambda a, b: "%.1fx" % (a / b) if a is not None and b else "-"
print("| operation | items | native µs | wasm (Node) µs | moto µs | wasm/native | moto/native |")
print("|---|---:|---:|---:|---:|---:|---:|")
order = ["GetItem", "Query25", "FilteredQuery", "ConditionalUpdate"]
for (op, n) in sorted(rows, key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1])):
    r = rows[(op, n)]
    nat, wasm, moto = r.get("native"), r.get("wasm"), r.get("moto")
    print("| %s | %d | %s | %s | %s | %s | %s |" % (op, n, fmt(nat), fmt(wasm), fmt(moto), ratio(wasm, nat), ratio(moto, nat)))
PY
rm -rf "$out"
