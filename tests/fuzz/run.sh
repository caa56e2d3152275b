#!/usr/bin/env bash
# run.sh FUZZ_DIR TARGET [RUNS|SECONDSs] - one fuzz target (tests/fuzz/fuzz_TARGET.c, built
# into FUZZ_DIR by `make build-fuzz`): first every saved regression input of
# tests/fuzz/regressions/TARGET/ once, then libFuzzer from the seed corpus
# tests/fuzz/corpus/TARGET/ for RUNS inputs (default 20000, seed 1: the same inputs every
# time) or for a time ("600s"). New corpus entries go to a scratch directory, never into the
# tree. A crash fails the run and names the input: copy it into regressions/TARGET/ with the
# fix (docs/fuzzing.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fuzz_dir="$1"
target="$2"
amount="${3:-20000}"
binary="$fuzz_dir/fuzz_$target"
[ -x "$binary" ] || { echo "no $binary: run make build-fuzz"; exit 1; }

regressions="$here/regressions/$target"
if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
  "$binary" -runs=1 "$regressions"/* >/dev/null 2>&1 || {
    echo "fuzz_$target: a saved regression input fails again:"; "$binary" -runs=1 "$regressions"/*; exit 1; }
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/corpus" "$scratch/artifacts"
case "$amount" in
  *s) limit=(-max_total_time="${amount%s}") ;;
  *) limit=(-runs="$amount" -seed=1) ;;
esac
if ! "$binary" "${limit[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
     -artifact_prefix="$scratch/artifacts/" -print_final_stats=1 \
     "$scratch/corpus" "$here/corpus/$target" > "$scratch/log" 2>&1; then
  tail -60 "$scratch/log"
  mkdir -p /tmp/jiayi-fuzz-crashes
  cp "$scratch"/artifacts/* /tmp/jiayi-fuzz-crashes/ 2>/dev/null || true
  echo "fuzz_$target found a failing input (copied to /tmp/jiayi-fuzz-crashes/)"
  exit 1
fi
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$scratch/log" | sed "s/^/fuzz_$target /"
echo "fuzz_$target: $(ls "$scratch/corpus" | wc -l) new corpus entries, no failure"
