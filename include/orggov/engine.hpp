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

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

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

// ---- Typed billing queries, for a billing run's hot loop.
//
// The JSON answers of `bill_payer`, `payment_sources`, `notification_recipient`
// and `discount_source` are built from these functions, so the two always
// agree. Each reads the account's time-ordered history (`payment_history`,
// `discount_history`): O(log n) in its length after one account lookup, no
// allocation. A returned view points into `w` and lives as long as it.
// Instants after `w.now()` answer the state as it stands (the last change).

/// The typed form of the `bill_payer` query: the uin that pays `account`'s
/// pay-as-you-go bill for a settlement period ending at `period_end` (the payer
/// in force just before it; the account itself when self-paying). Empty for an
/// unknown account.
[[nodiscard]] std::string_view bill_payer(const world& w, std::string_view account,
                                          timestamp period_end) noexcept;
/// The same on an account record already found (no lookup).
[[nodiscard]] std::string_view payer_before(const account& a, timestamp period_end) noexcept;

/// The payer in force at the instant `at`, a change at exactly `at` included:
/// what pays a subscription ordered at `at`. Empty for an unknown account.
[[nodiscard]] std::string_view payer_at(const world& w, std::string_view account,
                                        timestamp at) noexcept;

/// Coupon kinds of 3.3.2(1), in the order the `payment_sources` answer lists them.
enum class coupon_kind : std::uint8_t { cash_coupon, voucher, discount_coupon };
[[nodiscard]] std::string_view name(coupon_kind c) noexcept;

/// The typed answer of `payment_sources`.
struct funding_sources {
  std::string_view payer{};              // the payer in force; empty: unknown account
  bool member_funds_usable = false;      // the account's own cash, gift funds and coupons
  std::span<const coupon_kind> coupons;  // usable coupon kinds (static storage)
};
/// `payment_sources` at the instant `at` (a change at exactly `at` included):
/// self-paying, all of the account's own sources; paid on behalf, only the
/// payer's `cash_coupon` (3.3.2(1)).
[[nodiscard]] funding_sources payment_sources_at(const world& w, std::string_view account,
                                                 timestamp at) noexcept;

/// `notification_recipient` at the instant `at`: arrears to the account itself
/// (3.3.2(3)); expiry to the payer in force at `at` (3.3.2(4)). Empty for an
/// unknown account.
[[nodiscard]] std::string_view notification_recipient_at(const world& w, std::string_view account,
                                                         notification_kind kind,
                                                         timestamp at) noexcept;

/// The typed answer of `discount_source`.
struct discount_origin {
  bool known = false;       // false: unknown account
  std::string_view from{};  // the management account it inherits from; empty: own discount
  [[nodiscard]] bool inherited() const noexcept { return !from.empty(); }
};
/// `discount_source` at the instant `at` (a change at exactly `at` included),
/// from the account's discount history (3.3.2(5), 3.2.4).
[[nodiscard]] discount_origin discount_source_at(const world& w, std::string_view account,
                                                 timestamp at) noexcept;

/// One pay-as-you-go charge for the batch form of `bill_payer`.
struct payer_request {
  std::string_view account{};
  timestamp period_end{};  // the payer in force just before it decides
};

namespace detail {
using payer_visit_fn = void (*)(void* ctx, std::size_t index, std::string_view payer);
void for_each_bill_payer(const world& w, std::span<const payer_request> requests,
                         payer_visit_fn visit, void* ctx);
}  // namespace detail

/// The batch form of `bill_payer`, for a billing run over records in any
/// order: calls `visit(i, payer)` once for every index `i` of `requests`, with
/// `payer == bill_payer(w, requests[i].account, requests[i].period_end)`.
/// The calls come grouped by account (one account's requests consecutively,
/// in index order, unless two accounts' 64-bit hashes collide; the accounts
/// in an unspecified order), so each distinct
/// account is looked up once and a host summing per payer touches one total
/// for a whole run of calls. Cost: a radix sort of the accounts' 64-bit hashes
/// (O(n), one allocation of 32 bytes per request) instead of a hash-trie
/// lookup per request. `visit` must not throw.
template <class Visit>
void for_each_bill_payer(const world& w, std::span<const payer_request> requests, Visit&& visit) {
  using V = std::remove_reference_t<Visit>;
  detail::for_each_bill_payer(
      w, requests,
      [](void* ctx, std::size_t i, std::string_view payer) { (*static_cast<V*>(ctx))(i, payer); },
      const_cast<void*>(static_cast<const void*>(&visit)));
}

/// `payers[i] = bill_payer(w, requests[i].account, requests[i].period_end)`
/// for every i, computed as `for_each_bill_payer` does. Throws
/// `std::invalid_argument` (and writes nothing) when `payers.size()` differs
/// from `requests.size()`.
void bill_payers(const world& w, std::span<const payer_request> requests,
                 std::span<std::string_view> payers);

/// A decision as JSON: `{allowed, codes, findings: [{code, clause, message,
/// subjects}], effects: [{kind, message, subjects}]}`.
[[nodiscard]] boost::json::object to_json(const decision& d);

}  // namespace orggov
