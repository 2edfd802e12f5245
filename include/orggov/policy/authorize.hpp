// orggov/policy/authorize.hpp — deciding a request against the SCPs on a path.
//
// A `path` holds the compiled policies attached at each level of a member's
// walk (the account, each unit, the root), built when attachments change.
// `evaluate` is the hot path: no heap allocation, no JSON, never throws, fails
// closed. `explain` gives the same decision plus every matched statement,
// every level lacking an allow and every missing context key.
//
// Main types: `context`, `request`, `level`, `path`, `authorization`, `explanation`.
//
//   orggov::policy::path p({{"account:100002", {{"FullQcloudAccess", full_access()}}}});
//   orggov::policy::request rq{"100002", "cvm:RunInstances", "*"};
//   bool ok = orggov::policy::evaluate(p, rq).allow;
#pragma once

#include "orggov/policy/compiled.hpp"
#include "orggov/time.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace orggov::policy {

namespace detail {
struct context_data;
struct path_index;
}  // namespace detail

/// A request context: each key maps to zero or more values (string, number or
/// bool). Built outside the hot path; every value is parsed once here (as a
/// number, date, IP address, bool and base64 where it can be), so evaluation
/// only compares. Copies share the data; a copy being modified is detached
/// first. Not safe to modify while another thread evaluates with it.
class context {
 public:
  context();
  /// Adds a value to `key` (creating the key).
  context& add_string(std::string_view key, std::string_view value);
  /// `decimal` must be a decimal number (as JSON writes one); false if not.
  [[nodiscard]] bool add_number(std::string_view key, std::string_view decimal);
  context& add_bool(std::string_view key, bool value);
  /// Makes `key` present with no values (a JSON `[]`), if it is not present.
  context& add_key(std::string_view key);
  [[nodiscard]] bool contains(std::string_view key) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept;  // number of keys
  [[nodiscard]] const detail::context_data& data() const noexcept { return *data_; }

 private:
  detail::context_data& mutable_data();
  std::shared_ptr<detail::context_data> data_;
};

/// An input error in a request: JSON pointer relative to the context object
/// (e.g. "/qcs:ip/1") and a one-line message.
struct input_problem {
  std::string pointer;
  std::string message;
};

/// Bounds on one request, so that a hostile request is refused as an input
/// error instead of costing unbounded time: matching a pattern against a
/// string costs at most |string| × (longest run of literal characters in the
/// pattern + 1) steps, and patterns are bounded by the policy length limit
/// (docs/reliability.md, "Limits").
struct request_limits {
  std::size_t max_string = 2048;      // bytes of the action, the resource, a context key or value
  std::size_t max_context_keys = 64;  // keys of the context object
  std::size_t max_context_values = 256;  // values in all keys together
};

/// Reads the `context` object of an authorize/explain request: each value is
/// a string, number, bool, or an array of those (`[]` = present, no values).
[[nodiscard]] std::variant<context, input_problem> parse_context(const boost::json::object&,
                                                                 const request_limits& = {});

/// Request validation (input errors). `action`: `service:Name` or the legacy
/// `name/service:Name`, no wildcard. `resource`: `*` or a six-segment resource
/// with an empty project_id (`*` and `?` are taken literally). Either longer
/// than `max_string` bytes is an error. Returns a one-line message on error.
/// Hosts that build `request`s themselves should validate them with these.
[[nodiscard]] std::optional<std::string> validate_action(std::string_view,
                                                         const request_limits& = {});
[[nodiscard]] std::optional<std::string> validate_resource(std::string_view,
                                                           const request_limits& = {});

struct request {
  std::string_view account;  // the evaluated member's uin
  std::string_view action;
  std::string_view resource;
  const context* ctx = nullptr;  // null = empty context
  timestamp now{};               // qcs:current_time when the context lacks it
};

/// One level of the walk: its target ("account:<uin>", "unit:<id>", "root")
/// and the policies attached there, each with its id.
struct level {
  std::string target;
  std::vector<std::pair<std::string, std::shared_ptr<const compiled_policy>>> policies;
};

/// A member's prepared path, levels ordered from the account up to the root.
/// Immutable and shareable; build it when attachments or the unit tree change.
class path {
 public:
  path();
  /// Builds the path's compiled form: for each service named by an action
  /// on the path (and one default), each level's candidate statements, denies
  /// then allows, in one contiguous run. Linear in statements × services.
  explicit path(std::vector<level> levels_account_first);
  [[nodiscard]] const std::vector<level>& levels() const noexcept { return levels_; }
  /// True when some attached policy pointer is null: every request then denies.
  [[nodiscard]] bool broken() const noexcept;
  [[nodiscard]] const detail::path_index& index() const noexcept { return *index_; }

 private:
  std::vector<level> levels_;
  std::shared_ptr<const detail::path_index> index_;
};

enum class reason : std::uint8_t { allowed, explicit_deny, no_allow, not_governed };

/// The decision. Default-constructed = deny (fail closed).
struct authorization {
  bool allow = false;
  policy::reason why = reason::no_allow;
  friend bool operator==(const authorization&, const authorization&) = default;
};

/// The hot path. Walks the levels from the account up: a matching deny gives
/// explicit_deny, a level without a matching allow gives no_allow, past the
/// root gives allowed. No heap allocation, never throws. An empty path, a null
/// policy or a malformed request denies (no_allow). Thread-safe.
[[nodiscard]] authorization evaluate(const path&, const request&) noexcept;

struct matched_statement {
  std::string policy;
  std::size_t statement = 0;  // numbered from 0 in the policy's `statement` array
  std::string target;
  friend bool operator==(const matched_statement&, const matched_statement&) = default;
};

struct explanation {
  authorization result;
  std::vector<matched_statement> matched;     // every matching statement, every level
  std::vector<std::string> missing_allow_at;  // targets of levels with no matching allow
  std::vector<std::string> missing_context;   // keys needed but absent (first-seen order)
};

/// Same decision as `evaluate`, evaluating every level. Allocates.
[[nodiscard]] explanation explain(const path&, const request&);

[[nodiscard]] std::string_view to_string(reason) noexcept;

}  // namespace orggov::policy
