// Internals of the policy engine shared by parse / compile / evaluate / lint.
// Not installed; included only from src/policy/*.cpp.
#pragma once

#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "orggov/policy/document.hpp"
#include "orggov/time.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
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

// Lower-cases the ASCII letters of 8 bytes at once (SWAR); other bytes,
// UTF-8 included, are unchanged.
constexpr std::uint64_t lower8(std::uint64_t x) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  const std::uint64_t heptets = x & (0x7f * ones);
  const std::uint64_t ge_a = heptets + ((0x80 - 'A') * ones);      // bit 7 set: byte >= 'A'
  const std::uint64_t gt_z = heptets + ((0x80 - 'Z' - 1) * ones);  // bit 7 set: byte > 'Z'
  const std::uint64_t upper = ge_a & ~gt_z & ~x & (0x80 * ones);
  return x | (upper >> 2);
}

// A case-insensitive hash, 8 bytes per step: one hash function for every
// lookup table, so a request's action is hashed once per decision (a
// byte-at-a-time FNV over a 20-byte action cost ~40 ns, most of a decision).
inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// The `n` bytes at `p` (0 < n < 8) as a little-endian word, upper bytes zero,
// with fixed-size loads only (no memcpy call for a variable length).
inline std::uint64_t load_tail(const char* p, std::size_t n) noexcept {
  if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | (static_cast<std::uint64_t>(hi) << ((n - 4) * 8));
  }
  const auto b = [&](std::size_t i) {
    return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]));
  };
  return b(0) | (b(n / 2) << (8 * (n / 2))) | (b(n - 1) << (8 * (n - 1)));
}

inline std::uint64_t ihash(std::string_view s) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = 0x2545F4914F6CDD1Dull ^ (s.size() * k);
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    h = (h ^ lower8(load8(p))) * k;
    h ^= h >> 32;
  }
  if (n > 0) {
    h = (h ^ lower8(load_tail(p, n))) * k;
    h ^= h >> 32;
  }
  h *= k;
  return h ^ (h >> 29);
}

// `lowered` (already lower case) equals `s` ignoring ASCII case.
inline bool iequals_lowered(std::string_view lowered, std::string_view s) noexcept {
  if (lowered.size() != s.size()) return false;
  const char* a = lowered.data();
  const char* b = s.data();
  std::size_t n = s.size();
  for (; n >= 8; a += 8, b += 8, n -= 8)
    if (load8(a) != lower8(load8(b))) return false;
  return n == 0 || load_tail(a, n) == lower8(load_tail(b, n));
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

// A request, split once per decision. No default member initializers: it
// lives on the stack of every decision and `prepare` sets what is read
// (zero-filling its ~150 bytes showed up as a third of `evaluate`'s own time).
struct prepared_request {
  std::string_view account;
  std::string_view action_full;  // service:Name (legacy prefix stripped)
  std::string_view service, name;
  bool resource_star;
  std::string_view service_type, region, acct, rest;
  const context_data* ctx;
  timestamp now;
};
bool prepare(const request& rq, prepared_request& out) noexcept;

// Open-addressing table from a case-insensitive key to a payload index.
class key_table {
 public:
  void build(const std::vector<std::string>& keys);  // keys lower case, distinct
  // Returns the key's position in `keys`, or -1.
  std::int32_t find(std::string_view key, std::uint64_t hash) const noexcept {
    if (keys_.empty()) return -1;
    std::uint64_t pos = hash & mask_;
    while (slots_[pos].index >= 0) {
      if (slots_[pos].hash == hash &&
          iequals_lowered(keys_[static_cast<std::size_t>(slots_[pos].index)], key))
        return slots_[pos].index;
      pos = (pos + 1) & mask_;
    }
    return -1;
  }
  bool empty() const noexcept { return keys_.empty(); }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::int32_t index = -1;
  };
  std::vector<slot> slots_;
  std::vector<std::string> keys_;
  std::uint64_t mask_ = 0;
};

// The index of a whole path, built with it: every statement of every policy
// on the path, keyed so that one decision makes at most three hash lookups
// (exact action, service, first two letters of the name) whatever the number
// of levels and policies. Each key's statements are sliced by level and
// effect: slice (level, effect) of entry e is items[bounds[e*2L + 2l + f] ..
// bounds[e*2L + 2l + f + 1]) for L levels.
template <class Item>
struct sliced {
  key_table keys;  // unused for keyless lists (one entry)
  std::vector<std::uint32_t> bounds;
  std::vector<Item> items;
  std::uint32_t levels = 0;
  const Item* begin(std::int32_t entry, std::uint32_t level, std::uint32_t eff) const noexcept {
    return items.data() + bounds[static_cast<std::size_t>(entry) * 2 * levels + 2 * level + eff];
  }
  const Item* end(std::int32_t entry, std::uint32_t level, std::uint32_t eff) const noexcept {
    return items.data() +
           bounds[static_cast<std::size_t>(entry) * 2 * levels + 2 * level + eff + 1];
  }
};

struct prefix_item {
  std::string prefix;  // lower case, the name before the trailing `*`
  const compiled_statement* stmt;
};
struct matcher_item {
  const action_matcher* action;
  const compiled_statement* stmt;
};

struct path_index {
  std::uint32_t levels = 0;
  sliced<const compiled_statement*> exact;      // "service:name"
  sliced<prefix_item> service_prefix;           // "service" -> name prefixes
  sliced<matcher_item> name2;                   // `*:Na...` keyed by the name's first 2 letters
  sliced<const compiled_statement*> match_all;  // action `*`, keyless
  sliced<matcher_item> general;                 // any other glob, keyless
  std::vector<std::uint8_t> allow_all;          // per level: an unconditional `*` on `*` allow
  std::vector<std::uint8_t> has_deny;           // per level
  bool broken = false;                          // a null policy on the path
};

std::shared_ptr<const path_index> build_path_index(const std::vector<level>& levels);

}  // namespace orggov::policy::detail

namespace orggov::policy {

class compiled_policy {
 public:
  std::vector<detail::compiled_statement> statements_;
  bool allow_all_ = false;  // some unconditional allow of `*` on `*`
  bool has_deny_ = false;
};

}  // namespace orggov::policy

namespace orggov::policy::detail {

bool action_matches(const action_matcher& m, const prepared_request& rq) noexcept;
bool resource_matches(const resource_matcher& m, const prepared_request& rq) noexcept;
bool condition_holds(const compiled_condition& c, const prepared_request& rq) noexcept;
bool statement_conditions_hold(const compiled_statement& s, const prepared_request& rq) noexcept;
bool statement_rest_matches(const compiled_statement& s, const prepared_request& rq) noexcept;

}  // namespace orggov::policy::detail
