// orggov/policy/compiled.hpp — compiling a policy document for evaluation.
//
// `compile` checks a document (JSON object or JSON text in a string) against
// the limits and the grammar, and builds an immutable `compiled_policy`:
// actions interned and indexed by service and exact action, wildcards
// pre-classified (exact / prefix / glob), CIDRs, dates, numbers and base64
// parsed once. Evaluation (authorize.hpp) reads only this form.
//
// Main types: `compiled_policy` (opaque), `compile_result`.
//
//   auto r = orggov::policy::compile(boost::json::parse(text));
//   if (r.too_long) return "policy.too_long";
//   if (!r.policy) return "policy.invalid";   // r.problems says why
#pragma once

#include "orggov/policy/document.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace orggov::policy {

/// A compiled policy. Immutable once built; safe to share between threads
/// through `std::shared_ptr<const compiled_policy>` (readers never lock).
class compiled_policy;

struct compile_result {
  std::shared_ptr<const compiled_policy> policy;  // null when too_long or problems non-empty
  bool too_long = false;                          // -> code policy.too_long
  std::vector<problem> problems;                  // every grammar problem (-> policy.invalid)
};

/// Parses and compiles. `document` is a JSON object, or a JSON string holding
/// the JSON text. Never throws on bad input (only `std::bad_alloc`).
/// Complexity: linear in the document size.
[[nodiscard]] compile_result compile(const boost::json::value& document, const limits& = {});

/// Compiles an already parsed document. Precondition: `parse` reported no
/// problems for it (otherwise the result is unspecified but safe).
[[nodiscard]] compile_result compile(const document& doc);

/// The system policy `FullQcloudAccess`: allow `*` on `*`. One shared instance.
[[nodiscard]] std::shared_ptr<const compiled_policy> full_access();

/// Number of statements of a compiled policy.
[[nodiscard]] std::size_t statement_count(const compiled_policy&) noexcept;

/// A compact, deterministic, one-line-per-statement dump of the compiled form
/// (for tests and `orggov policy dump`), e.g.
/// `0 deny act[exact:cvm:terminateinstances] res[any] if[ip_equal qcs:ip {10.0.0.0/8}]`.
[[nodiscard]] std::string dump(const compiled_policy&);

}  // namespace orggov::policy
