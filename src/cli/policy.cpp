// `orggov policy lint FILE`
#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "orggov/policy/lint.hpp"

namespace orggov::cli {

namespace {
constexpr std::string_view lint_help = R"(usage: orggov policy lint [--json] [--max-length N] FILE

Lints a CAM policy document (FILE, or - for stdin). Each finding is typed
error, security_warning, warning or suggestion and names a JSON pointer.
  --json          one JSON array of {"severity", "pointer", "message"}
  --max-length N  the document length limit in characters (default 6144)

exit status: 0 no error found; 1 an error was found; 2 usage or unreadable file
)";
}  // namespace

int policy(const std::vector<std::string>& args) {
  if (args.empty() || args.front() != "lint") {
    if (has_help(args)) {
      fmt::print("{}", lint_help);
      return 0;
    }
    fmt::print(stderr, "{}", lint_help);
    return 2;
  }
  bool as_json = false;
  policy::limits lim;
  std::optional<std::string> file;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      fmt::print("{}", lint_help);
      return 0;
    }
    if (args[i] == "--json") {
      as_json = true;
    } else if (args[i] == "--max-length" && i + 1 < args.size()) {
      try {
        lim.document_length = std::stoul(args[++i]);
      } catch (...) {
        fmt::print(stderr, "orggov policy lint: `{}` is not a number\n", args[i]);
        return 2;
      }
    } else if (!file && (args[i] == "-" || !args[i].starts_with("-"))) {
      file = args[i];
    } else {
      fmt::print(stderr, "orggov policy lint: unexpected argument `{}`\n{}", args[i], lint_help);
      return 2;
    }
  }
  if (!file) {
    fmt::print(stderr, "{}", lint_help);
    return 2;
  }
  auto text = read_file(*file);
  if (!text) return 2;
  auto findings = policy::lint(*text, lim);
  bool error = false;
  boost::json::array out;
  for (const auto& f : findings) {
    error = error || f.kind == policy::severity::error;
    if (as_json)
      out.push_back({{"severity", policy::to_string(f.kind)},
                     {"pointer", f.pointer},
                     {"message", f.message}});
    else
      fmt::print("{}: {} {}: {}\n", *file, policy::to_string(f.kind),
                 f.pointer.empty() ? "/" : f.pointer, f.message);
  }
  if (as_json)
    fmt::print("{}\n", boost::json::serialize(out));
  else if (findings.empty())
    fmt::print("{}: no findings\n", *file);
  return error ? 1 : 0;
}

}  // namespace orggov::cli
