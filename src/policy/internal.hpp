// Internals of the policy engine shared by parse / compile / evaluate / lint.
// Not installed; included only from src/policy/*.cpp.
#pragma once

#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "orggov/policy/document.hpp"
#include "orggov/time.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orggov::policy::detail {

// ---------------------------------------------------------------- characters

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string lower_copy(std::string_view s);
bool iequals(std::string_view a, std::string_view b) noexcept;

// FNV-1a over ASCII-lowered bytes: one hash function for every lookup table,
// so a request's action is hashed once per decision, not once per policy.
constexpr std::uint64_t fnv_offset = 14695981039346656037ull;
constexpr std::uint64_t fnv_prime = 1099511628211ull;
constexpr std::uint64_t ihash(std::string_view s) noexcept {
  std::uint64_t h = fnv_offset;
  for (char c : s) {
    h ^= static_cast<unsigned char>(ascii_lower(c));
    h *= fnv_prime;
  }
  return h;
}

// ---------------------------------------------------------------- glob

// A `*`/`?` pattern, classified once so the common shapes skip the matcher.
struct glob {
  enum class kind : std::uint8_t { exact, prefix, any, general };
  kind k = kind::exact;
  bool fold = false;  // compare ASCII case-insensitively (`text` is then lower case)
  std::string text;   // exact: the literal; prefix: the literal before `*`; general: pattern
};
glob make_glob(std::string_view pattern, bool fold);
bool has_wildcard(std::string_view s) noexcept;

// The subject of a match may be two pieces (`uin/` + account) so that an
// empty account segment of a request never needs a concatenated copy.
struct two_part {
  std::string_view a, b;
  std::size_t size() const noexcept { return a.size() + b.size(); }
  char operator[](std::size_t i) const noexcept { return i < a.size() ? a[i] : b[i - a.size()]; }
};

bool glob_match(const glob& g, std::string_view s) noexcept;
bool glob_match(const glob& g, two_part s) noexcept;
// Raw pattern matcher (`*`, `?`), iterative with one restart point: O(|p|·|s|)
// in the worst case, never exponential.
bool wildcard_match(std::string_view pattern, std::string_view s, bool fold) noexcept;

// ---------------------------------------------------------------- values

// An exact decimal: value = (neg ? -1 : 1) × digits × 10^exp. `digits` has no
// leading or trailing zeros; zero is `digits` empty and `neg` false.
struct decimal {
  bool neg = false;
  std::string digits;
  std::int64_t exp = 0;
};
std::optional<decimal> parse_decimal(std::string_view);
int compare(const decimal& a, const decimal& b) noexcept;
std::string to_string(const decimal&);

// Addresses are kept as 128 bits; IPv4 is mapped into ::ffff:0:0/96, so
// `::ffff:10.1.2.3` and `10.1.2.3` are one address.
struct ip_address {
  std::uint64_t hi = 0, lo = 0;
  friend bool operator==(const ip_address&, const ip_address&) = default;
};
struct ip_network {
  ip_address base;      // host bits cleared
  unsigned prefix = 0;  // 0..128 in the 128-bit space
  bool v4 = false;
  bool host_bits_set = false;  // as written (lint)
};
std::optional<ip_address> parse_ip(std::string_view) noexcept;
std::optional<ip_network> parse_network(std::string_view) noexcept;
bool contains(const ip_network& n, const ip_address& a) noexcept;
std::string to_string(const ip_network&);

std::optional<std::string> decode_base64(std::string_view);
std::optional<bool> parse_bool_text(std::string_view) noexcept;

// The grammar problem of a six-segment resource text, if any (parse.cpp).
std::optional<std::string> resource_problem(std::string_view text);

// Formats like orggov::format_time, into a caller buffer (no allocation).
// Returns the number of characters written (at most 32).
std::size_t format_time_to(timestamp t, char (&buf)[40]) noexcept;

// The text of a JSON scalar as a condition or context value: strings as they
// are, bools `true`/`false`, numbers in shortest round-trip decimal form.
std::optional<std::string> scalar_text(const boost::json::value& v);

// ---------------------------------------------------------------- context

struct context_item {
  enum class type : std::uint8_t { string, number, boolean };
  type t = type::string;
  std::string text;
  std::optional<decimal> number;
  std::optional<timestamp> time;
  std::optional<ip_address> ip;
  std::optional<bool> boolean;
  std::optional<std::string> bytes;
};
struct context_entry {
  std::string key;
  std::vector<context_item> items;
};
struct context_data {
  std::vector<context_entry> entries;  // sorted by key (byte order)
  const context_entry* find(std::string_view key) const noexcept;
};
context_item make_item(context_item::type t, std::string text);

// A borrowed view of one context value, so the default `qcs:current_time`
// can be made on the stack.
struct value_view {
  std::string_view text;
  const decimal* number = nullptr;
  const ip_address* ip = nullptr;
  const std::string* bytes = nullptr;
  std::optional<timestamp> time;
  std::optional<bool> boolean;
};

// ---------------------------------------------------------------- compiled form

struct compiled_value {
  std::string text;  // string family (lower case for *_ignore_case)
  glob like;         // string_like
  decimal number;
  timestamp time{};
  bool boolean = false;
  std::string bytes;
  ip_network net;
};

struct compiled_condition {
  condition_operator op;
  std::string key;
  bool current_time = false;  // key is qcs:current_time (defaults to request.now)
  std::vector<compiled_value> values;
  bool null_true = false, null_false = false;  // null_equal's listed values
};

struct action_matcher {
  bool any = false;  // `*`
  glob service;      // lower case
  glob name;         // lower case
  std::string text;  // as written (lower case), for dumps
};

struct resource_matcher {
  bool any = false;  // `*`
  // segment globs; an empty service_type / region matches any
  glob service_type, region, account, rest;
  bool any_service = false, any_region = false, self_account = false;
  std::string text;
};

struct compiled_statement {
  policy::effect eff = policy::effect::allow;
  std::uint32_t index = 0;
  std::vector<action_matcher> actions;
  std::vector<resource_matcher> resources;
  std::vector<compiled_condition> conditions;
  bool any_resource = false;  // some resource is `*`
};

// A request, split once per decision.
struct prepared_request {
  std::string_view account;
  std::string_view action_full;  // service:Name (legacy prefix stripped)
  std::string_view service, name;
  std::uint64_t full_hash = 0, service_hash = 0;
  bool resource_star = false;
  std::string_view service_type, region, acct, rest;
  const context_data* ctx = nullptr;
  timestamp now{};
};
bool prepare(const request& rq, prepared_request& out) noexcept;

// Open-addressing table from a case-insensitive key to a payload index.
class key_table {
 public:
  void build(const std::vector<std::string>& keys);  // keys lower case, distinct
  // Returns the key's position in `keys`, or -1.
  std::int32_t find(std::string_view key, std::uint64_t hash) const noexcept;

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::int32_t index = -1;
  };
  std::vector<slot> slots_;
  std::vector<std::string> keys_;
  std::uint64_t mask_ = 0;
};

// Statements of one effect, indexed by action.
struct action_index {
  key_table exact;  // "service:name" lower case
  std::vector<std::vector<std::uint32_t>> exact_lists;
  key_table services;  // "service" lower case
  struct prefix_entry {
    std::string prefix;  // lower case, the name before the trailing `*`
    std::uint32_t stmt;
  };
  std::vector<std::vector<prefix_entry>> service_prefixes;
  std::vector<std::uint32_t> match_all;  // action `*` (or only stars)
  struct general_entry {
    std::uint32_t stmt, action;
  };
  std::vector<general_entry> general;  // any other glob
  bool empty = true;
};

}  // namespace orggov::policy::detail

namespace orggov::policy {

class compiled_policy {
 public:
  std::vector<detail::compiled_statement> statements_;
  detail::action_index allow_, deny_;
  bool allow_all_ = false;  // some unconditional allow of `*` on `*`
  bool has_deny_ = false;
};

}  // namespace orggov::policy

namespace orggov::policy::detail {

bool action_matches(const action_matcher& m, const prepared_request& rq) noexcept;
bool resource_matches(const resource_matcher& m, const prepared_request& rq) noexcept;
bool condition_holds(const compiled_condition& c, const prepared_request& rq) noexcept;
bool statement_conditions_hold(const compiled_statement& s, const prepared_request& rq) noexcept;
bool any_statement_matches(const compiled_policy& p, const action_index& idx,
                           const prepared_request& rq) noexcept;

}  // namespace orggov::policy::detail
