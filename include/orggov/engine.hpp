// orggov/engine.hpp — decisions: world × operation → decision (+ new world).
//
// Main functions: `check` (evaluate only), `apply` (evaluate and, when
// allowed, produce the changed world), `ask` (answer a query). `check` and
// `apply` share one code path: `check(w, op)` is `apply(w, op).result` with the
// new world thrown away, so the two can never disagree.
//
// Judgment order (operations.md): input validation happened when the operation
// was built or parsed; then references (only `ref.*` codes when any applies),
// then the actor (`actor.not_permitted` alone), then every rule code; an
// allowed operation then lists its effects.
//
//   orggov::world w = ...;                                   // io/json.hpp
//   auto out = orggov::apply(w, orggov::ops::invite_member{.org = "o1", .account = "100002"});
//   if (out.result.allowed) w = std::move(out.after);        // else w is untouched
//
// Thread safety: every function here reads its `world` argument only, so any
// number of threads may call them on a shared snapshot.
// Cost: an operation touches O(1) records of the world (plus the org's members
// for org-wide operations, and the component for relation changes); the new
// world shares everything else with the old one.
#pragma once

#include <boost/json/object.hpp>

#include "orggov/decision.hpp"
#include "orggov/operations.hpp"
#include "orggov/world.hpp"

namespace orggov {

struct outcome {
  decision result;
  world after;  // the world after the operation; equal to the input when refused
};

/// Evaluates `op` at `w.now()` and, when allowed, applies it.
[[nodiscard]] outcome apply(const world& w, const operation& op);

/// Evaluates `op` at `w.now()`; changes nothing. Same decision as `apply`.
[[nodiscard]] decision check(const world& w, const operation& op);

/// Answers a query as the JSON object of scenarios.md's result keys, or
/// `{"codes": [...]}` when it names something unknown. Never changes `w`.
[[nodiscard]] boost::json::object ask(const world& w, const query& q);

/// The typed form of the `bill_payer` query, for a billing run's hot loop: the
/// uin that pays `account`'s pay-as-you-go bill for a settlement period ending
/// at `period_end` (the payer in force just before it; the account itself when
/// self-paying). Empty for an unknown account. The view lives as long as `w`.
/// O(log n) in the account's payment history; no allocation.
[[nodiscard]] std::string_view bill_payer(const world& w, std::string_view account,
                                          timestamp period_end) noexcept;

/// A decision as JSON: `{allowed, codes, findings: [{code, clause, message,
/// subjects}], effects: [{kind, message, subjects}]}`.
[[nodiscard]] boost::json::object to_json(const decision& d);

}  // namespace orggov
