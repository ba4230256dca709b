#!/usr/bin/env bash
# Fuzzes the host build with cargo-fuzz (libFuzzer): each target runs for SECONDS (default 10),
# starting from its hand-written seeds (fuzz/seeds/TARGET) and the corpus of earlier runs
# (fuzz/corpus/TARGET, not committed). Fails on the first crash, leaving the input in
# fuzz/artifacts/TARGET/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: settings trigger mapping destination
#
# A crash is reproduced with `cargo fuzz run --fuzz-dir fuzz --sanitizer none TARGET FILE`.
#
# The build needs no nightly compiler: `--sanitizer none` leaves out `-Zsanitizer`, the one
# unstable flag cargo-fuzz passes, and the coverage instrumentation libFuzzer needs is built
# from stable `-C` flags. The crate has no `unsafe` code, so AddressSanitizer has little to
# find; FUZZ_SANITIZER=address runs with it anyway, on the stable compiler through
# RUSTC_BOOTSTRAP=1.
#
# Limits: an input is at most 4096 bytes; a call under test taking longer than FUZZ_BUDGET_MS
# (10 ms of CPU time by default, the fastest of three tries) fails the input, and so does one
# taking over 5 s (libFuzzer's -timeout counts whole seconds); the process may not grow past
# 2048 MB of RSS, nor make one allocation over 256 MB (enforced by the targets' allocator,
# since libFuzzer's -malloc_limit_mb needs a sanitizer's hooks).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

seconds=${1:-10}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(settings trigger mapping destination)

sanitizer=${FUZZ_SANITIZER:-none}
flags=(--fuzz-dir fuzz --sanitizer "$sanitizer")
if [[ $sanitizer != none ]]; then
  export RUSTC_BOOTSTRAP=1
  # A build of its own, so that switching back and forth rebuilds neither.
  flags+=(--target-dir "fuzz/target/$sanitizer")
fi

cargo fuzz build "${flags[@]}"

mkdir -p fuzz/target/logs
for target in "${targets[@]}"; do
  dict=fuzz/dicts/json.dict
  [[ $target == trigger ]] && dict=fuzz/dicts/trigger.dict
  mkdir -p "fuzz/corpus/$target"
  log=fuzz/target/logs/$target.log
  status=0
  cargo fuzz run "${flags[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=5 \
    -rss_limit_mb=2048 -malloc_limit_mb=256 \
    -dict="$dict" -print_final_stats=1 >"$log" 2>&1 || status=$?
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  if ((status != 0)); then
    tail -n 60 "$log"
    echo "fuzz $target: FAILED (exit $status); full log in $log, input in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  echo "fuzz $target: $(stat number_of_executed_units) runs in $seconds s" \
    "($(stat average_exec_per_sec)/s), $(stat new_units_added) new inputs," \
    "peak RSS $(stat peak_rss_mb) MB, corpus $(find "fuzz/corpus/$target" -type f | wc -l) inputs"
done
