#!/usr/bin/env bash
# Install test: builds orggov alone (no tests, examples or CLI), installs it
# into a temporary prefix, then configures, builds and runs the consumer
# project in this directory against that prefix with find_package(orggov).
#
#   tests/install/run.sh            # from anywhere; exit code 0 on success
#
# Environment: ORGGOV_INSTALL_TEST_DIR (default: a fresh mktemp -d, removed on
# success), CMAKE_BUILD_TYPE (default Release), JOBS (default 1), CMAKE_GENERATOR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
jobs="${JOBS:-1}"
build_type="${CMAKE_BUILD_TYPE:-Release}"

if [[ -n "${ORGGOV_INSTALL_TEST_DIR:-}" ]]; then
  work="${ORGGOV_INSTALL_TEST_DIR}"
  mkdir -p "${work}"
  keep=1
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/orggov-install-test.XXXXXX")"
  keep=0
fi
cleanup() {
  local rc=$?
  if [[ ${rc} -eq 0 && ${keep} -eq 0 ]]; then
    rm -rf "${work}"
  else
    echo "install test: work directory kept: ${work}" >&2
  fi
}
trap cleanup EXIT

step() { echo "== install test: $*"; }

step "configure orggov (${root})"
cmake -S "${root}" -B "${work}/build" \
  -DCMAKE_BUILD_TYPE="${build_type}" \
  -DORGGOV_BUILD_TESTS=OFF -DORGGOV_BUILD_EXAMPLES=OFF -DORGGOV_BUILD_CLI=OFF \
  -DORGGOV_BUILD_BENCHMARKS=OFF

step "build orggov"
cmake --build "${work}/build" -j "${jobs}"

step "install into ${work}/prefix"
cmake --install "${work}/build" --prefix "${work}/prefix"

step "configure the consumer"
cmake -S "${here}" -B "${work}/consumer" \
  -DCMAKE_BUILD_TYPE="${build_type}" \
  -DCMAKE_PREFIX_PATH="${work}/prefix"

step "build the consumer"
cmake --build "${work}/consumer" -j "${jobs}"

step "run the consumer"
"${work}/consumer/orggov_install_test"
step "passed"
