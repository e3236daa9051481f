#!/usr/bin/env bash
# Builds everything, incrementally: the native core + its tests (build/native), the WASM module
# (build/wasm, copied into js/wasm/), and the TypeScript package (js/dist: tsc, then each runtime entry
# bundled into one minified module by scripts/bundle.mjs). Uses at most 2 jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-2}"

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$JOBS"

export NODE_PATH=/usr/share/nodejs   # Debian's Emscripten finds acorn there
[ -f build/wasm/CMakeCache.txt ] || emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$JOBS"

npx tsc -p js/tsconfig.json
node scripts/bundle.mjs
