#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (+ ASan/UBSan) and runs each for SECONDS (default 60).
# Long runs: SECONDS=3600 bash scripts/fuzz.sh. New inputs go to build/fuzz/corpus, never into the repo;
# a crash leaves its input in build/fuzz/ to turn into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-${1:-60}}"
[ -f build/fuzz/CMakeCache.txt ] || cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIENTELE_FUZZ=ON >/dev/null
cmake --build build/fuzz -j2 >/dev/null
mkdir -p build/fuzz/corpus
cd build/fuzz
status=0
./tests/fuzz/api_fuzz -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  corpus ../../tests/fuzz/corpus > api_fuzz.log 2>&1 || status=$?
grep -E "DONE|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" api_fuzz.log || true
if [ "$status" -ne 0 ]; then tail -40 api_fuzz.log; fi
echo "fuzz: api_fuzz $([ "$status" -eq 0 ] && echo "found no crash" || echo "FAILED")"
exit "$status"
