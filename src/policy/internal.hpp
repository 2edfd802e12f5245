// Internals of the policy engine shared by parse / compile / evaluate / lint.
// Not installed; included only from src/policy/*.cpp.
#pragma once

#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "orggov/policy/document.hpp"
#include "orggov/time.hpp"

#include <array>
#include <bit>
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

// Bit-parallel (shift-and) tables of a literal run between two `*` of a
// general pattern, 64 pattern characters per chunk: bit i of `mask(c)` is set
// when character i of the chunk is `c` or `?`. Only the characters of the
// chunk have an entry (found by rank in a 256-bit set), so a table costs 40
// bytes plus 8 per distinct character.
struct glob_chunk {
  std::uint64_t wild = 0;                  // bits of `?`
  std::array<std::uint64_t, 4> present{};  // which characters have an entry
  std::vector<std::uint64_t> masks;        // in character order, `wild` included
  [[nodiscard]] std::uint64_t mask(unsigned char c) const noexcept {
    const unsigned w = c >> 6, b = c & 63;
    if (!((present[w] >> b) & 1)) return wild;
    std::size_t rank =
        static_cast<std::size_t>(std::popcount(present[w] & ((std::uint64_t{1} << b) - 1)));
    for (unsigned i = 0; i < w; ++i) rank += static_cast<std::size_t>(std::popcount(present[i]));
    return masks[rank];
  }
};

// A literal run (with `?`) of a general pattern: `text` and, for a run of two
// or more characters between two `*`, its shift-and chunks.
struct glob_run {
  std::uint32_t offset = 0, length = 0;  // in glob::text
  std::vector<glob_chunk> chunks;
};

// A `*`/`?` pattern, classified once so the common shapes skip the matcher.
// A general pattern is matched in linear time: its first and last runs are
// anchored and compared in place, the runs between are found leftmost one
// after the other with shift-and, so a match costs O(|subject| ×
// ⌈longest run / 64⌉ + |pattern|) whatever the input (`*a*a*…*b` included).
struct glob {
  enum class kind : std::uint8_t { exact, prefix, any, general };
  kind k = kind::exact;
  bool fold = false;  // compare ASCII case-insensitively (`text` is then lower case)
  std::string text;   // exact: the literal; prefix: the literal before `*`; general: pattern
  std::vector<glob_run> runs;  // general: the runs between `*`, first and last included
  bool starts_with_star = false, ends_with_star = false;  // general only
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
// Raw pattern matcher (`*`, `?`) for lint's pattern-against-pattern checks,
// iterative with one restart point: O(|p|·|s|) in the worst case, never
// exponential. Evaluation uses `glob_match`, which is linear.
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

// A request, split. `evaluate` splits only the action and checks the
// resource's shape, in locals; this whole form is made (on the stack) only
// when a candidate needs the resource segments or a condition, and by
// `explain`.
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

// High bit of every zero byte of `t`, exactly (no borrow between bytes).
constexpr std::uint64_t zero_bytes(std::uint64_t t) noexcept {
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  return ~(((t & low7) + low7) | t | low7);
}

// The first up-to-8 bytes of `s` (non-empty) lower-cased into a word, upper
// bytes zero. A service of at most 8 bytes is its own hash-table key.
inline std::uint64_t lower_word(std::string_view s) noexcept {
  return lower8(s.size() >= 8 ? load8(s.data()) : load_tail(s.data(), s.size()));
}

// One candidate of a level's deny or allow list: a statement one of whose
// actions may match, with only the action name left to test (the service
// was settled when the list was built), unless `slow`.
//
// Name test, branch-light: the request's name is at least `len` bytes (and
// exactly `len` when `exact`), its first 8 bytes lower-cased and masked by
// `mask0` equal `word0`, and bytes 8.. equal `tail` ignoring case. `len` 0
// is the name `*`.
struct candidate {
  std::uint64_t word0 = 0, mask0 = 0;
  std::uint32_t len = 0;
  bool exact = false;
  bool slow = false;  // test `action` in full instead (a `*`/`?` glob, or an unsettled service)
  bool rest = false;  // the statement has resources other than `*` or conditions
  const char* tail = nullptr;  // lower case, the pattern's bytes 8..len
  const action_matcher* action = nullptr;
  const compiled_statement* stmt = nullptr;
};

// One level of one action block: candidates [begin, deny_end) are the
// level's denies, [deny_end, allow_end) its allows. `allows` marks a level
// that holds an unconditional allow of every action of the block on `*`
// (FullQcloudAccess, `cvm:*`): its allow list is then empty and not tried.
//
// `deny_first` / `allow_first` filter by the name's first four letters: bit
// first_bit(w) is set for the lower-cased first four letters of every name
// pattern of the list (all bits when one is shorter than four letters, `*`
// or slow). A request whose bit is clear cannot match the list, which is
// then not read.
inline std::uint64_t first_bit(std::uint64_t word0) noexcept {
  return std::uint64_t{1} << (((word0 & 0xffffffffull) * 0x9E3779B97F4A7C15ull) >> 58);
}
struct level_span {
  std::uint32_t begin = 0, deny_end = 0, allow_end = 0;
  std::uint32_t allows = 0;
  std::uint64_t deny_first = 0, allow_first = 0;
};

// The compiled form of a whole path, built with it. Every statement of every
// policy on it is filed under each service its actions name exactly
// (`cvm:Run*` under `cvm`; `*:Describe*`, `c?m:*` and `*` under every
// service), and under the default block for services no action names
// (where only `*`/glob services can match). A decision therefore makes one
// lookup, of the request's service (a service of up to 8 bytes is one
// word: no string hash and no string compare), and then reads, level by
// level, one contiguous run of candidates: denies, then allows.
struct path_index {
  std::uint32_t levels = 0;
  bool broken = false;  // a null policy on the path
  // Service table, open addressing; `block` -1 is an empty slot.
  struct slot {
    std::uint64_t word = 0;  // lower_word(service), or ihash(service) past 8 bytes
    std::uint32_t len = 0;
    std::int32_t block = -1;
  };
  std::vector<slot> slots;
  std::uint32_t shift = 63;            // position = (word ^ len) * k >> shift
  std::vector<std::string> long_keys;  // per block: the service when longer than 8 bytes
  std::vector<level_span> spans;       // block b, level l: spans[b * levels + l]
  std::vector<candidate> items;
  // The policies the candidates point into, kept alive with the index.
  std::vector<std::shared_ptr<const compiled_policy>> keep;

  static constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  // The block of `service` (lower-cased `word` = lower_word(service)); 0 is
  // the default block.
  std::uint32_t block_of(std::string_view service, std::uint64_t word) const noexcept {
    const std::uint32_t n = static_cast<std::uint32_t>(service.size());
    if (n > 8) word = ihash(service);
    const std::uint64_t mask = slots.size() - 1;
    for (std::uint64_t pos = ((word ^ n) * k) >> shift;; pos = (pos + 1) & mask) {
      const slot& s = slots[pos];
      if (s.block < 0) return 0;
      if (s.word == word && s.len == n &&
          (n <= 8 || iequals_lowered(long_keys[static_cast<std::size_t>(s.block)], service)))
        return static_cast<std::uint32_t>(s.block);
    }
  }
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
