#include "orggov/policy/lint.hpp"

namespace orggov::policy {

std::vector<lint_finding> lint(std::string_view document_text, const limits& lim) {
  std::vector<lint_finding> out;
  parse_result r = parse_text(document_text, lim);
  if (r.too_long) out.push_back({severity::error, "", "document is too long"});
  for (auto& p : r.problems) out.push_back({severity::error, p.pointer, p.message});
  return out;
}

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::error:
      return "error";
    case severity::security_warning:
      return "security_warning";
    case severity::warning:
      return "warning";
    case severity::suggestion:
      return "suggestion";
  }
  return "error";
}

}  // namespace orggov::policy
