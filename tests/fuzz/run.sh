#!/usr/bin/env bash
# Builds orggov's libFuzzer targets (tests/fuzz/CMakeLists.txt) and runs each
# one for FUZZ_SECONDS (default 60) on a scratch copy of its seed corpus.
# Fails on any crash, timeout, leak, out-of-memory or violated property.
#
#   tests/fuzz/run.sh                      # every target, 60 s each
#   FUZZ_SECONDS=300 tests/fuzz/run.sh fuzz_policy
#
# Environment: FUZZ_SECONDS, FUZZ_BUILD_DIR (default <repo>/build-fuzz),
# FUZZ_WORK_DIR (default: a fresh temporary directory; crash inputs are
# written there as <target>/crash-*, timeout-*, leak-*, oom-*), FUZZ_JOBS
# (build parallelism, default 1).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD_DIR:-$repo/build-fuzz}
work=${FUZZ_WORK_DIR:-$(mktemp -d /tmp/orggov-fuzz.XXXXXX)}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_world fuzz_policy fuzz_scenario)

# clang and the libFuzzer runtime.
if ! command -v clang++ >/dev/null 2>&1 ||
   ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: clang++ or libclang-rt-14-dev is missing; run as root to install them" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev
fi

CXX=clang++ cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-1}" --target "${targets[@]}"

status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$work/$t/corpus"
  mkdir -p "$corpus"
  cp "$here/corpus/$t/"* "$corpus/" 2>/dev/null || true
  log="$work/$t/fuzz.log"
  echo "== $t: ${seconds}s, corpus copy in $corpus, log $log"
  start=$(date +%s)
  set +e
  (cd "$work/$t" && "$build/$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
     -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$work/$t/" \
     "$corpus") >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  artifacts=$(ls "$work/$t" | grep -E '^(crash|timeout|leak|oom|slow-unit)-' || true)
  if [ $rc -ne 0 ] || [ -n "$artifacts" ]; then
    status=1
    echo "!! $t FAILED (exit $rc); artifacts: ${artifacts:-none}"
    grep -E 'ERROR|SUMMARY|property violated|Test unit written' "$log" | head -20 || true
    summary+=("$t: FAILED after ${elapsed}s, ${execs:-?} executions")
  else
    summary+=("$t: ok, ${execs:-?} executions in ${elapsed}s")
  fi
done

echo "== summary (work dir $work)"
printf '   %s\n' "${summary[@]}"
exit $status
