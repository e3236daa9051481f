#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (+ ASan/UBSan) and shares SECONDS among them (default 60 in all).
# Long runs: bash scripts/fuzz.sh 3600. New inputs go to build/fuzz/corpus/<target>, never into the repo;
# a crash leaves its input in build/fuzz/ to turn into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL="${1:-60}"
TARGETS=(api_fuzz snapshot_fuzz webhook_fuzz json_fuzz)
EACH=$(( TOTAL / ${#TARGETS[@]} ))
[ -f build/fuzz/CMakeCache.txt ] || cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIENTELE_FUZZ=ON >/dev/null
cmake --build build/fuzz -j2 >/dev/null
cd build/fuzz
status=0
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target"
  rc=0
  "./tests/fuzz/$target" -max_total_time="$EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "corpus/$target" "../../tests/fuzz/corpus/$target" > "$target.log" 2>&1 || rc=$?
  runs=$(grep -Eo "stat::number_of_executed_units: *[0-9]+" "$target.log" | grep -Eo "[0-9]+$" || echo "?")
  if [ "$rc" -ne 0 ]; then tail -40 "$target.log"; status=1; fi
  echo "fuzz: $target ran $runs inputs in ${EACH}s: $([ "$rc" -eq 0 ] && echo "no crash" || echo "CRASH")"
done
exit "$status"
