#!/usr/bin/env bash
# One entry point for set-up, build, demo and tests on Debian 12.
#   scripts/dev.sh demo    install what is missing, build, run the demo on the shipped sample data
#   scripts/dev.sh test    install what is missing, build, run the whole test suite
# Environment: BUILD_DIR (default build), JOBS (default: number of cores),
#              ORGGOV_CMAKE_ARGS (extra configure arguments),
#              ORGGOV_WERROR=ON to treat warnings as errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make libboost1.81-dev libboost-json1.81-dev libboost-graph1.81-dev
          libfmt-dev librange-v3-dev doctest-dev libbenchmark-dev)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build() {
  local dir=${BUILD_DIR:-build}
  # shellcheck disable=SC2086  # ORGGOV_CMAKE_ARGS is a list of words
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DORGGOV_WERROR="${ORGGOV_WERROR:-OFF}" \
    ${ORGGOV_CMAKE_ARGS:-} >/dev/null
  cmake --build "$dir" -j "${JOBS:-$(nproc)}"
}

case "${1:-}" in
  demo)
    install_missing
    build
    "${BUILD_DIR:-build}/orggov" demo
    ;;
  test)
    install_missing
    build
    ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "${JOBS:-$(nproc)}"
    ;;
  *)
    echo "usage: scripts/dev.sh demo|test" >&2
    exit 2
    ;;
esac
