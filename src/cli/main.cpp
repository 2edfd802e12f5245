// The `orggov` command: scenario, demo, policy lint, authorize, explain.
// Results go to stdout, errors to stderr. Exit codes: 0 success, 1 a failed
// expectation / refused decision / lint error, 2 invalid input or usage.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace {

constexpr std::string_view usage = R"(usage: orggov <command> [options]

commands:
  scenario [--json] [--save PATH] FILE...   run scenario files (the conformance contract)
  demo [DIR]                                walk through an org's life on the shipped sample data
  policy lint [--json] FILE                 lint a CAM policy document
  authorize --snapshot PATH [request]       decide one request against a saved snapshot
  explain --snapshot PATH [request]         the same, with every matched statement and gap
  help                                      this text

`orggov <command> --help` describes each command.
)";

}  // namespace

int run(int argc, char** argv);

int main(int argc, char** argv) {
  // The library reports bad input as values; anything thrown here is a bug
  // or exhaustion, and still ends in one clear line rather than an abort.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "orggov: internal error: {}\n", e.what());
    return 2;
  }
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    fmt::print(stderr, "{}", usage);
    return 2;
  }
  const std::string cmd = args.front();
  args.erase(args.begin());
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    fmt::print("{}", usage);
    return 0;
  }
  if (cmd == "scenario") return orggov::cli::scenario(args);
  if (cmd == "demo") return orggov::cli::demo(args);
  if (cmd == "policy") return orggov::cli::policy(args);
  if (cmd == "authorize") return orggov::cli::authorize(args, false);
  if (cmd == "explain") return orggov::cli::authorize(args, true);
  fmt::print(stderr, "orggov: unknown command `{}`\n{}", cmd, usage);
  return 2;
}
