// libFuzzer target fuzz_policy: see properties.hpp (check_policy) for the properties.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > orggov::fuzz::max_input) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string violated = orggov::fuzz::check_policy(text);
  if (!violated.empty()) {
    std::fprintf(stderr, "fuzz_policy: property violated: %s\n", violated.c_str());
    __builtin_trap();
  }
  return 0;
}
