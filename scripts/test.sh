#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then the core's GoogleTest suite (ctest) and
# the package's node:test suites against the real .wasm. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/build.sh

echo "== core: layers (every include points into its own folder or a lower layer)"
node scripts/check_layers.mjs

echo "== core: GoogleTest (ctest)"
ctest --test-dir build/native --output-on-failure -j2

echo "== core under AddressSanitizer + UndefinedBehaviorSanitizer"
[ -f build/asan/CMakeCache.txt ] || cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCLIENTELE_SANITIZE=ON >/dev/null
cmake --build build/asan --target core_tests -j2 >/dev/null
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build/asan -j2 2>&1 | tail -3

echo "== core: libFuzzer over every JSON entry point (60 s)"
bash scripts/fuzz.sh 60

echo "== package: TypeScript types (tsc --noEmit; @ts-expect-error lines must stay errors)"
npx tsc -p tests/types/tsconfig.json

echo "== package: node --test (the differential test's reference model is compiled first)"
npx tsc -p tests/model/tsconfig.json
node --test --test-concurrency=2 --test-timeout=120000 tests/js/

echo "== browser: headless Chromium"
node --test --test-concurrency=1 --test-timeout=180000 tests/browser/
