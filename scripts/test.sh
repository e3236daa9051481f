#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then the core's GoogleTest suite (ctest) and
# the package's node:test suites against the real .wasm. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/build.sh

echo "== core: GoogleTest (ctest)"
ctest --test-dir build/native --output-on-failure -j2

echo "== package: TypeScript types (tsc --noEmit; @ts-expect-error lines must stay errors)"
npx tsc -p tests/types/tsconfig.json

echo "== package: node --test"
node --test --test-concurrency=2 --test-timeout=120000 tests/js/

echo "== browser: headless Chromium"
node --test --test-concurrency=1 --test-timeout=180000 tests/browser/
