// orggov/policy/lint.hpp — findings about a policy beyond "valid or not".
//
// `lint` reports every grammar problem as an `error`, plus what a valid policy
// may still get wrong: conditions that grant on absent keys, allows with
// conditions, statements that can never match or are made redundant by another.
// So an `error` does not always mean the policy is refused: a resource that
// can never match (`qcs::::uin/x1:*`, an account that is not digits) is an
// `error` here though `compile` accepts the policy. Only grammar problems
// make `compile` fail.
//
// Main types: `severity`, `lint_finding`.
//
//   for (const auto& f : orggov::policy::lint(text))
//     fmt::print("{} {}: {}\n", to_string(f.kind), f.pointer, f.message);
#pragma once

#include "orggov/policy/document.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace orggov::policy {

enum class severity : std::uint8_t { error, security_warning, warning, suggestion };

struct lint_finding {
  severity kind = severity::error;
  std::string pointer;
  std::string message;
  friend bool operator==(const lint_finding&, const lint_finding&) = default;
};

/// Lints JSON text. Order: the length finding, then grammar errors as `parse`
/// finds them, then the other findings statement by statement, then
/// redundancy. A document over the length limit is still linted in full.
/// Never throws on bad input.
[[nodiscard]] std::vector<lint_finding> lint(std::string_view document_text, const limits& = {});

[[nodiscard]] std::string_view to_string(severity) noexcept;

}  // namespace orggov::policy
