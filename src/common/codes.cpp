#include "orggov/codes.hpp"

#include <array>

namespace orggov {
namespace {

struct row {
  std::string_view name;
  std::string_view clause;
};

constexpr std::array<row, code_count> table = {{
#define ORGGOV_X(e, n, c) {n, c},
    ORGGOV_CODES(ORGGOV_X)
#undef ORGGOV_X
}};

}  // namespace

std::string_view name(code c) noexcept {
  return table[static_cast<std::size_t>(c)].name;
}
std::string_view clause(code c) noexcept {
  return table[static_cast<std::size_t>(c)].clause;
}

std::optional<code> code_from_name(std::string_view n) noexcept {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i].name == n) return static_cast<code>(i);
  return std::nullopt;
}

}  // namespace orggov
