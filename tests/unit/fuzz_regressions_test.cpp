// Replays every input kept under tests/fuzz/regressions/<target>/ through the
// property the libFuzzer target of that name checks (tests/fuzz/properties.hpp).
// A crash or hang found by a fuzzer is added there once fixed.
#include "fuzz/properties.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path regressions_dir = fs::path(ORGGOV_TEST_SCENARIOS_DIR "/../fuzz/regressions");

std::vector<fs::path> inputs_of(std::string_view target) {
  std::vector<fs::path> out;
  const fs::path dir = regressions_dir / target;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class Check>
void replay(std::string_view target, Check check) {
  const auto files = inputs_of(target);
  REQUIRE_MESSAGE(!files.empty(), "no regression inputs under " << (regressions_dir / target));
  for (const auto& f : files) {
    INFO(f.string());
    CHECK(check(read_bytes(f)) == "");
  }
}

}  // namespace

TEST_CASE("fuzz regressions: fuzz_world") {
  replay("fuzz_world", orggov::fuzz::check_world);
}

TEST_CASE("fuzz regressions: fuzz_policy") {
  replay("fuzz_policy", orggov::fuzz::check_policy);
}

TEST_CASE("fuzz regressions: fuzz_scenario") {
  replay("fuzz_scenario", orggov::fuzz::check_scenario);
}
