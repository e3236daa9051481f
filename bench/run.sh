#!/usr/bin/env bash
# Builds what the benchmark needs and prints one table per size: bash bench/run.sh [sizes...]
# (default 10000 100000; 1000000 takes a few minutes), then the browser table (bench/browser_bench.mjs,
# headless Chromium; its options in BROWSER_BENCH, e.g. BROWSER_BENCH="--runs 9 --big").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/build.sh >/dev/null
cmake --build build/native --target native_bench -j2 >/dev/null
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
for n in "${sizes[@]}"; do
  node --expose-gc --max-old-space-size=8192 bench/js_bench.mjs "$n" build/native/bench/native_bench
done
# shellcheck disable=SC2086  # BROWSER_BENCH holds several options
node bench/browser_bench.mjs ${BROWSER_BENCH:-}
