#include <fmt/format.h>
#include "cli/commands.hpp"
namespace orggov::cli {
int demo(const std::vector<std::string>&) {
  fmt::print(stderr, "demo: not yet\n");
  return 2;
}
int policy(const std::vector<std::string>&) {
  fmt::print(stderr, "policy: not yet\n");
  return 2;
}
int authorize(const std::vector<std::string>&, bool) {
  fmt::print(stderr, "authorize: not yet\n");
  return 2;
}
}  // namespace orggov::cli
