#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with Debian's clang, ASan and
# UBSan into build-fuzz/ and runs each for the given time (default 60 s),
# starting from its committed seed corpus and dictionary. A crash, leak,
# timeout or sanitizer report fails the run and leaves the reproducer in
# build-fuzz/fuzz-artifacts/ (replay: build-fuzz/bin/fuzz_<name> <file>).
#
# Usage: scripts/fuzz.sh [seconds per target] [target...]
# BUILD_DIR overrides the folder; JOBS the build parallelism and how many
# targets run at once (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
dir=${BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}
scripts/setup.sh --packages-only

all=(rpc_engine websocket_frame http_request_reader byte_range media_names token_verify source_spec)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

start=$(date +%s)
flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
CC=clang CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Fuzz -DCAMSVC_BUILD_FUZZERS=ON \
  -DCAMSVC_BUILD_TESTS=OFF -DCAMSVC_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_FUZZ="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS_FUZZ="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS_FUZZ="-fsanitize=address,undefined" \
  -DCMAKE_MODULE_LINKER_FLAGS_FUZZ="-fsanitize=address,undefined" >/dev/null
cmake --build "$dir" -j"$jobs" --target "${targets[@]/#/fuzz_}"
echo "fuzz.sh: build $(( $(date +%s) - start )) s"

artifacts="$PWD/$dir/fuzz-artifacts"
mkdir -p "$artifacts"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
run() { # one target; its verdict goes to $dir/fuzz-<t>.status
  local t=$1 seeds="tests/fuzz/corpus/$1" work="$dir/fuzz-corpus/$1" dict=() t0=$SECONDS
  mkdir -p "$work" # what this run found, kept for the next local run
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  if "$dir/bin/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work" "$seeds" >"$dir/fuzz-$t.log" 2>&1; then
    echo ok >"$dir/fuzz-$t.status"
    echo "fuzz.sh: $t ok ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$dir/fuzz-$t.log" | grep -Eo '[0-9]+$') runs, $((SECONDS - t0)) s)"
  else
    echo failed >"$dir/fuzz-$t.status"
  fi
}
# Targets run side by side, JOBS at a time (one core each).
running=0
for t in "${targets[@]}"; do
  rm -f "$dir/fuzz-$t.status"
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
failed=()
for t in "${targets[@]}"; do
  if [ "$(cat "$dir/fuzz-$t.status" 2>/dev/null)" != ok ]; then
    echo "fuzz.sh: $t FAILED - reproducer(s):" >&2
    ls "$artifacts/$t-"* >&2 2>/dev/null || true
    tail -60 "$dir/fuzz-$t.log" >&2
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
