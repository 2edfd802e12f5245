// `orggov demo`: a readable walk-through of an org's life on shipped data.
#include <filesystem>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "orggov/io/json.hpp"
#include "orggov/scenario.hpp"

namespace orggov::cli {

namespace json = boost::json;

namespace {

constexpr std::string_view help = R"(usage: orggov demo [FILE]

Runs the sample scenario shipped in examples/data/demo.json (or FILE) and
prints, step by step, what was asked, what orggov decided, every reason given
for a refusal with its agreement clause, and the effects of each accepted
operation.
)";

std::optional<std::string> find_demo() {
  for (const char* dir : {ORGGOV_EXAMPLES_DIR, ORGGOV_INSTALLED_EXAMPLES_DIR}) {
    std::filesystem::path p = std::filesystem::path(dir) / "data" / "demo.json";
    if (std::filesystem::exists(p)) return p.string();
  }
  return std::nullopt;
}

std::string summary(const json::object& req) {
  std::string out(req.at("op").as_string());
  for (const auto& kv : req) {
    if (kv.key() == "op" || kv.key() == "at" || kv.key() == "document") continue;
    out += fmt::format(
        " {}={}", std::string_view(kv.key()),
        kv.value().is_string() ? std::string(kv.value().as_string()) : json::serialize(kv.value()));
  }
  return out;
}

}  // namespace

int demo(const std::vector<std::string>& args) {
  if (has_help(args)) {
    fmt::print("{}", help);
    return 0;
  }
  std::optional<std::string> path = args.empty() ? find_demo() : std::optional(args.front());
  if (!path) {
    fmt::print(stderr, "orggov demo: cannot find examples/data/demo.json; pass its path\n");
    return 2;
  }
  auto text = read_file(*path);
  if (!text) return 2;
  auto doc = parse_json(*text);
  if (!doc) {
    fmt::print(stderr, "orggov demo: {}: {}\n", *path, doc.error().what());
    return 2;
  }
  if (const auto* name = doc->as_object().if_contains("name"))
    fmt::print("orggov demo: {}\n\n", std::string_view(name->as_string()));
  auto report = run_scenario(*doc, [](const step_event& e) {
    const json::object& req = e.request->as_object();
    const json::object& ans = e.answer->as_object();
    const std::string when =
        req.contains("at") ? fmt::format(" at {}", std::string_view(req.at("at").as_string())) : "";
    if (e.kind == "query") {
      fmt::print("{:>2}. ask {}{}\n    answer: {}\n", e.index + 1, summary(req), when,
                 json::serialize(ans));
    } else {
      const bool allowed = ans.contains("allowed") && ans.at("allowed").as_bool();
      fmt::print("{:>2}. {} {}{}\n    {}\n", e.index + 1, e.kind == "check" ? "check" : "do",
                 summary(req), when,
                 allowed ? (e.kind == "check" ? "would be allowed" : "allowed") : "refused");
      if (ans.contains("findings"))
        for (const auto& f : ans.at("findings").as_array())
          fmt::print(
              "      reason {} (clause {}): {}\n", std::string_view(f.at("code").as_string()),
              f.at("clause").as_string().empty() ? std::string_view("-")
                                                 : std::string_view(f.at("clause").as_string()),
              std::string_view(f.at("message").as_string()));
      if (ans.contains("effects") && e.kind == "do")
        for (const auto& f : ans.at("effects").as_array())
          fmt::print("      effect: {}\n", std::string_view(f.at("message").as_string()));
    }
    if (!e.passed) fmt::print("    (this step did not go as the sample expects)\n");
  });
  if (report.invalid) {
    fmt::print(stderr, "orggov demo: {}: {}\n", *path, report.invalid->what());
    return 2;
  }
  fmt::print("\n{} steps, {} as expected\n", report.passed + report.failed, report.passed);
  return report.failed ? 1 : 0;
}

}  // namespace orggov::cli
