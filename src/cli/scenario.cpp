#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "orggov/io/json.hpp"
#include "orggov/scenario.hpp"

namespace orggov::cli {

std::optional<std::string> read_file(const std::string& path) {
  // Reads at most one byte more than parse_json accepts, so a huge input is
  // refused after reading the limit, not the whole file.
  const std::size_t limit = json_options{}.max_size;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      fmt::print(stderr, "orggov: cannot read `{}`\n", path);
      return std::nullopt;
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string text;
  char buf[1 << 16];
  while (text.size() <= limit && in.read(buf, sizeof buf).gcount() > 0)
    text.append(buf, static_cast<std::size_t>(in.gcount()));
  if (text.size() > limit) {
    fmt::print(stderr, "orggov: `{}` is larger than {} bytes, the input limit\n", path, limit);
    return std::nullopt;
  }
  return text;
}

bool has_help(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h") return true;
  return false;
}

namespace {
constexpr std::string_view scenario_help = R"(usage: orggov scenario [--json] [--save PATH] FILE...

Runs scenario files (see the spec's scenarios.md) and checks every expectation.
  --json        print one JSON object per file: {"file", "passed", "failed", "failures"}
  --save PATH   write the snapshot the (single) scenario ends with to PATH

exit status: 0 every expectation held; 1 some expectation failed;
             2 a file is not a valid scenario (the other files still run; 2 wins over 1)
)";
}  // namespace

int scenario(const std::vector<std::string>& args) {
  if (has_help(args)) {
    fmt::print("{}", scenario_help);
    return 0;
  }
  bool as_json = false;
  std::optional<std::string> save;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--json")
      as_json = true;
    else if (args[i] == "--save" && i + 1 < args.size())
      save = args[++i];
    else if (args[i].starts_with("--")) {
      fmt::print(stderr, "orggov scenario: unknown option `{}`\n{}", args[i], scenario_help);
      return 2;
    } else
      files.push_back(args[i]);
  }
  if (files.empty() || (save && files.size() != 1)) {
    fmt::print(stderr, "{}", scenario_help);
    return 2;
  }
  int status = 0;
  std::size_t total_passed = 0, total_failed = 0;
  for (const auto& f : files) {
    scenario_report r = run_scenario_file(f);
    if (r.invalid) {
      status = 2;
      fmt::print(stderr, "{}: not a valid scenario: {}\n", f, r.invalid->what());
      if (as_json)
        fmt::print("{}\n",
                   boost::json::serialize(boost::json::object{{"file", f},
                                                              {"passed", 0},
                                                              {"failed", 0},
                                                              {"failures", boost::json::array{}},
                                                              {"error", r.invalid->what()}}));
      continue;
    }
    total_passed += r.passed;
    total_failed += r.failed;
    if (r.failed && status == 0) status = 1;
    if (as_json) {
      boost::json::array failures;
      for (const auto& x : r.failures)
        failures.push_back({{"step", x.step},
                            {"pointer", x.pointer},
                            {"expected", boost::json::parse(x.expected)},
                            {"got", boost::json::parse(x.got)}});
      fmt::print("{}\n",
                 boost::json::serialize(boost::json::object{{"file", f},
                                                            {"passed", r.passed},
                                                            {"failed", r.failed},
                                                            {"failures", std::move(failures)}}));
    } else {
      for (const auto& x : r.failures)
        fmt::print("{}: step {} ({}): expected {}, got {}\n", f, x.step, x.pointer, x.expected,
                   x.got);
      fmt::print("{}: {} passed, {} failed\n", f, r.passed, r.failed);
    }
    if (save) {
      std::ofstream out(*save, std::ios::binary);
      out << boost::json::serialize(save_world(r.final_world)) << "\n";
      if (!out) {
        fmt::print(stderr, "orggov scenario: cannot write `{}`\n", *save);
        return 2;
      }
    }
  }
  if (!as_json && files.size() > 1)
    fmt::print("total: {} passed, {} failed\n", total_passed, total_failed);
  return status;
}

}  // namespace orggov::cli
