// orggov/decision.hpp — what a check or an apply answers.
//
// Main types: `decision` (allowed or not, every finding, the effects an
// accepted operation has), `finding` (one reason: code, clause, message,
// subjects), `effect` (one change an accepted operation makes).
// A default-constructed decision is refused: orggov fails closed.
//
//   orggov::decision d = engine.check(w, op);
//   if (!d.allowed) for (auto& f : d.findings) fmt::print("{}: {}\n", name(f.code), f.message);
//   bool b = d.has(orggov::code::join_already_in_org);
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "orggov/codes.hpp"

namespace orggov {

/// One reason a decision gives.
struct finding {
  orggov::code code{};
  std::string message;                // one line, lower case, user input in backticks
  std::vector<std::string> subjects;  // the ids the finding is about
  boost::json::value detail;          // extra structured data (e.g. `grammar` of policy.invalid)
};

/// One change an accepted operation makes (or would make, for a check).
struct effect {
  std::string kind;                   // stable name, e.g. `member_joined`, `pay_on_behalf_ended`
  std::string message;                // readable
  std::vector<std::string> subjects;  // the ids it is about
};

struct decision {
  bool allowed = false;
  std::vector<finding> findings;
  std::vector<effect> effects;

  [[nodiscard]] bool has(orggov::code c) const noexcept {
    for (const auto& f : findings)
      if (f.code == c) return true;
    return false;
  }
  /// The codes of the findings, in the order found.
  [[nodiscard]] std::vector<orggov::code> codes() const {
    std::vector<orggov::code> out;
    out.reserve(findings.size());
    for (const auto& f : findings) out.push_back(f.code);
    return out;
  }
};

}  // namespace orggov
