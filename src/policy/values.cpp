// Value types of the policy language: globs, exact decimals, IP networks,
// base64, and the lookup table. Parsed once at compile / context-build time.
#include "policy/internal.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace orggov::policy::detail {

std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// ---------------------------------------------------------------- glob

bool has_wildcard(std::string_view s) noexcept {
  return s.find_first_of("*?") != std::string_view::npos;
}

namespace {

// Splits a general pattern into its runs and builds the shift-and chunks of
// the runs between two `*` that are longer than one character.
void plan_runs(glob& g) {
  const std::string_view t = g.text;
  g.starts_with_star = t.front() == '*';
  g.ends_with_star = t.back() == '*';
  std::size_t i = 0;
  while (i <= t.size()) {
    const std::size_t star = std::min(t.find('*', i), t.size());
    glob_run r;
    r.offset = static_cast<std::uint32_t>(i);
    r.length = static_cast<std::uint32_t>(star - i);
    const bool anchored =
        (i == 0 && !g.starts_with_star) || (star == t.size() && !g.ends_with_star);
    if (r.length > 0 || i == 0 || star == t.size()) {
      if (!anchored && r.length > 1) {
        for (std::size_t c0 = 0; c0 < r.length; c0 += 64) {
          glob_chunk ch;
          const std::size_t n = std::min<std::size_t>(64, r.length - c0);
          std::array<std::uint64_t, 256> full{};
          for (std::size_t k = 0; k < n; ++k) {
            const auto c = static_cast<unsigned char>(t[i + c0 + k]);
            if (c == '?')
              ch.wild |= std::uint64_t{1} << k;
            else
              full[c] |= std::uint64_t{1} << k;
          }
          for (unsigned c = 0; c < 256; ++c)
            if (full[c]) {
              ch.present[c >> 6] |= std::uint64_t{1} << (c & 63);
              ch.masks.push_back(full[c] | ch.wild);
            }
          r.chunks.push_back(std::move(ch));
        }
      }
      g.runs.push_back(std::move(r));
    }
    i = star + 1;
  }
}

}  // namespace

glob make_glob(std::string_view pattern, bool fold) {
  glob g;
  g.fold = fold;
  std::string p = fold ? lower_copy(pattern) : std::string(pattern);
  const auto first = p.find_first_of("*?");
  if (first == std::string::npos) {
    g.k = glob::kind::exact;
    g.text = std::move(p);
  } else if (p.find_first_not_of('*') == std::string::npos) {
    g.k = glob::kind::any;
  } else if (first == p.size() - 1 && p[first] == '*') {
    g.k = glob::kind::prefix;
    p.pop_back();
    g.text = std::move(p);
  } else {
    g.k = glob::kind::general;
    g.text = std::move(p);
    plan_runs(g);
  }
  return g;
}

namespace {

template <class S>
bool wildcard_match_impl(std::string_view p, const S& s, bool fold) noexcept {
  // Iterative matcher: on a mismatch, retry from the last `*` with one more
  // subject character consumed. Each `*` is a restart point that only moves
  // forward, so the work is bounded by |p|·|s| (no exponential backtracking).
  std::size_t pi = 0, si = 0;
  std::size_t star_p = std::string_view::npos, star_s = 0;
  const std::size_t n = s.size();
  while (si < n) {
    if (pi < p.size()) {
      const char pc = p[pi];
      if (pc == '*') {
        star_p = pi++;
        star_s = si;
        continue;
      }
      const char sc = fold ? ascii_lower(s[si]) : s[si];
      if (pc == '?' || pc == sc) {
        ++pi;
        ++si;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

template <class S>
bool equal_text(std::string_view lit, const S& s, bool fold) noexcept {
  if (lit.size() != s.size()) return false;
  for (std::size_t i = 0; i < lit.size(); ++i) {
    const char c = fold ? ascii_lower(s[i]) : s[i];
    if (c != lit[i]) return false;
  }
  return true;
}

template <class S>
bool prefix_text(std::string_view lit, const S& s, bool fold) noexcept {
  if (lit.size() > s.size()) return false;
  for (std::size_t i = 0; i < lit.size(); ++i) {
    const char c = fold ? ascii_lower(s[i]) : s[i];
    if (c != lit[i]) return false;
  }
  return true;
}

template <class S>
char at(const S& s, std::size_t i, bool fold) noexcept {
  return fold ? ascii_lower(s[i]) : s[i];
}

// Whether `run` (with `?`) matches `s` at `pos`.
template <class S>
bool run_at(std::string_view run, const S& s, std::size_t pos, bool fold) noexcept {
  for (std::size_t k = 0; k < run.size(); ++k)
    if (run[k] != '?' && run[k] != at(s, pos + k, fold)) return false;
  return true;
}

// The end of the leftmost occurrence of `r` in s[from, to), or npos. Linear:
// one pass over the window, ⌈|run| / 64⌉ words of state per character.
template <class S>
std::size_t find_run(const glob& g, const glob_run& r, const S& s, std::size_t from,
                     std::size_t to) noexcept {
  constexpr std::size_t npos = std::string_view::npos;
  if (r.length == 1) {
    const char want = g.text[r.offset];
    for (std::size_t j = from; j < to; ++j)
      if (want == '?' || at(s, j, g.fold) == want) return j + 1;
    return npos;
  }
  // State for runs of up to 6,144 bytes (the default policy length) on the
  // stack; a longer run (raised limits) is searched plainly, in O(|window| ×
  // |run|).
  std::array<std::uint64_t, 96> state;
  const std::size_t words = r.chunks.size();
  if (words > state.size()) {
    const std::string_view run = std::string_view(g.text).substr(r.offset, r.length);
    for (std::size_t j = from; j + run.size() <= to; ++j)
      if (run_at(run, s, j, g.fold)) return j + run.size();
    return npos;
  }
  std::fill_n(state.begin(), words, 0);
  const std::uint64_t last = std::uint64_t{1} << ((r.length - 1) % 64);
  for (std::size_t j = from; j < to; ++j) {
    const auto c = static_cast<unsigned char>(at(s, j, g.fold));
    std::uint64_t carry = 1;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t d = state[w];
      state[w] = ((d << 1) | carry) & r.chunks[w].mask(c);
      carry = d >> 63;
    }
    if (state[words - 1] & last) return j + 1;
  }
  return npos;
}

template <class S>
bool general_match(const glob& g, const S& s) noexcept {
  const std::string_view t = g.text;
  auto text_of = [&](const glob_run& r) { return t.substr(r.offset, r.length); };
  const std::size_t n = s.size();
  if (g.runs.size() == 1 && !g.starts_with_star && !g.ends_with_star)  // `?` only
    return n == t.size() && run_at(t, s, 0, g.fold);
  std::size_t lo = 0, hi = n;
  std::size_t first = 0, stop = g.runs.size();
  if (!g.starts_with_star) {
    const glob_run& r = g.runs.front();
    if (r.length > hi - lo || !run_at(text_of(r), s, 0, g.fold)) return false;
    lo += r.length;
    ++first;
  }
  if (!g.ends_with_star) {
    const glob_run& r = g.runs.back();
    if (r.length > hi - lo || !run_at(text_of(r), s, n - r.length, g.fold)) return false;
    hi -= r.length;
    --stop;
  }
  for (std::size_t i = first; i < stop; ++i) {
    const glob_run& r = g.runs[i];
    if (r.length == 0) continue;
    if (r.length > hi - lo) return false;
    const std::size_t end = find_run(g, r, s, lo, hi);
    if (end == std::string_view::npos) return false;
    lo = end;
  }
  return true;
}

template <class S>
bool glob_match_impl(const glob& g, const S& s) noexcept {
  switch (g.k) {
    case glob::kind::exact:
      return equal_text(g.text, s, g.fold);
    case glob::kind::prefix:
      return prefix_text(g.text, s, g.fold);
    case glob::kind::any:
      return true;
    case glob::kind::general:
      return general_match(g, s);
  }
  return false;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view s, bool fold) noexcept {
  return wildcard_match_impl(pattern, s, fold);
}
bool glob_match(const glob& g, std::string_view s) noexcept {
  return glob_match_impl(g, s);
}
bool glob_match(const glob& g, two_part s) noexcept {
  return glob_match_impl(g, s);
}

// ---------------------------------------------------------------- decimal

std::optional<decimal> parse_decimal(std::string_view s) {
  // [+-]? digits (. digits)? ([eE] [+-]? digits)?
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  std::string digits;
  std::int64_t exp = 0;
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits.push_back(s[i++]);
  if (i == int_start) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      digits.push_back(s[i++]);
      --exp;
    }
    if (i == frac_start) return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    const std::size_t e_start = i;
    std::int64_t e = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      // Exponents beyond ±10^6 are refused: no policy needs them and they
      // would make comparisons pad millions of zeros.
      e = e * 10 + (s[i++] - '0');
      if (e > 1'000'000) return std::nullopt;
    }
    if (i == e_start) return std::nullopt;
    exp += eneg ? -e : e;
  }
  if (i != s.size()) return std::nullopt;
  const auto lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) return decimal{};  // zero, any sign
  digits.erase(0, lead);
  const auto last = digits.find_last_not_of('0');
  exp += static_cast<std::int64_t>(digits.size() - 1 - last);
  digits.resize(last + 1);
  return decimal{neg, std::move(digits), exp};
}

int compare(const decimal& a, const decimal& b) noexcept {
  const bool az = a.digits.empty(), bz = b.digits.empty();
  if (az && bz) return 0;
  const int sa = az ? 0 : (a.neg ? -1 : 1);
  const int sb = bz ? 0 : (b.neg ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  // Same sign, both non-zero: compare magnitudes, then flip for negatives.
  const std::int64_t ma = static_cast<std::int64_t>(a.digits.size()) + a.exp;
  const std::int64_t mb = static_cast<std::int64_t>(b.digits.size()) + b.exp;
  int mag = 0;
  if (ma != mb) {
    mag = ma < mb ? -1 : 1;
  } else {
    const std::size_t n = std::max(a.digits.size(), b.digits.size());
    for (std::size_t i = 0; i < n && mag == 0; ++i) {
      const char ca = i < a.digits.size() ? a.digits[i] : '0';
      const char cb = i < b.digits.size() ? b.digits[i] : '0';
      if (ca != cb) mag = ca < cb ? -1 : 1;
    }
  }
  return sa < 0 ? -mag : mag;
}

std::string to_string(const decimal& d) {
  if (d.digits.empty()) return "0";
  std::string out = d.neg ? "-" : "";
  out += d.digits;
  if (d.exp != 0) {
    out += 'e';
    out += std::to_string(d.exp);
  }
  return out;
}

// ---------------------------------------------------------------- ip

namespace {

std::optional<std::uint32_t> parse_v4(std::string_view s) noexcept {
  std::uint32_t out = 0;
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    unsigned v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 4)
      v = v * 10 + unsigned(s[i++] - '0');
    const std::size_t len = i - start;
    if (len == 0 || len > 3 || v > 255) return std::nullopt;
    if (len > 1 && s[start] == '0') return std::nullopt;  // no octal-looking octets
    out = (out << 8) | v;
    ++parts;
    if (parts == 4) break;
    if (i >= s.size() || s[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<ip_address> parse_v6(std::string_view s) noexcept {
  std::uint16_t groups[8] = {};
  int count = 0;
  int gap = -1;  // index where `::` was
  std::size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    // An embedded IPv4 tail?
    const std::size_t next_colon = s.find(':', i);
    const std::string_view piece =
        s.substr(i, next_colon == std::string_view::npos ? s.npos : next_colon - i);
    if (next_colon == std::string_view::npos && piece.find('.') != std::string_view::npos) {
      if (count > 6) return std::nullopt;
      auto v4 = parse_v4(piece);
      if (!v4) return std::nullopt;
      groups[count++] = static_cast<std::uint16_t>(*v4 >> 16);
      groups[count++] = static_cast<std::uint16_t>(*v4 & 0xffff);
      i = s.size();
      break;
    }
    if (piece.empty() || piece.size() > 4 || count >= 8) return std::nullopt;
    unsigned v = 0;
    for (char c : piece) {
      const int h = hex_value(c);
      if (h < 0) return std::nullopt;
      v = v * 16 + unsigned(h);
    }
    groups[count++] = static_cast<std::uint16_t>(v);
    i += piece.size();
    if (i == s.size()) break;
    // at a colon
    if (i + 1 < s.size() && s[i + 1] == ':') {
      if (gap >= 0) return std::nullopt;
      gap = count;
      i += 2;
    } else {
      ++i;
      if (i == s.size()) return std::nullopt;  // trailing single colon
    }
  }
  std::uint16_t full[8] = {};
  if (gap >= 0) {
    if (count > 7) return std::nullopt;  // `::` must stand for at least one group
    const int tail = count - gap;
    for (int k = 0; k < gap; ++k) full[k] = groups[k];
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
  } else {
    if (count != 8) return std::nullopt;
    for (int k = 0; k < 8; ++k) full[k] = groups[k];
  }
  ip_address a;
  for (int k = 0; k < 4; ++k) a.hi = (a.hi << 16) | full[k];
  for (int k = 4; k < 8; ++k) a.lo = (a.lo << 16) | full[k];
  return a;
}

ip_address mask(ip_address a, unsigned prefix) noexcept {
  if (prefix == 0) return {};
  if (prefix <= 64) {
    const std::uint64_t m = prefix == 64 ? ~0ull : ~(~0ull >> prefix);
    return {a.hi & m, 0};
  }
  const unsigned lo_bits = prefix - 64;
  const std::uint64_t m = lo_bits == 64 ? ~0ull : ~(~0ull >> lo_bits);
  return {a.hi, a.lo & m};
}

}  // namespace

std::optional<ip_address> parse_ip(std::string_view s) noexcept {
  if (s.find(':') == std::string_view::npos) {
    auto v4 = parse_v4(s);
    if (!v4) return std::nullopt;
    return ip_address{0, 0x0000ffff00000000ull | *v4};
  }
  return parse_v6(s);
}

std::optional<ip_network> parse_network(std::string_view s) noexcept {
  const auto slash = s.find('/');
  const std::string_view addr_text = s.substr(0, slash);
  auto addr = parse_ip(addr_text);
  if (!addr) return std::nullopt;
  const bool v4 = addr_text.find(':') == std::string_view::npos;
  unsigned prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view len = s.substr(slash + 1);
    if (len.empty() || len.size() > 3 || (len.size() > 1 && len[0] == '0')) return std::nullopt;
    unsigned v = 0;
    for (char c : len) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + unsigned(c - '0');
    }
    if (v > (v4 ? 32u : 128u)) return std::nullopt;
    prefix = v;
  }
  ip_network n;
  n.v4 = v4;
  n.prefix = v4 ? prefix + 96 : prefix;
  n.base = mask(*addr, n.prefix);
  n.host_bits_set = !(n.base == *addr);
  return n;
}

bool contains(const ip_network& n, const ip_address& a) noexcept {
  return mask(a, n.prefix) == n.base;
}

std::string to_string(const ip_network& n) {
  char buf[64];
  if (n.v4) {
    const auto v = static_cast<std::uint32_t>(n.base.lo & 0xffffffffu);
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u/%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255,
                  v & 255, n.prefix - 96);
  } else {
    std::string out;
    for (int g = 0; g < 8; ++g) {
      const std::uint64_t word = g < 4 ? n.base.hi : n.base.lo;
      const auto group = static_cast<unsigned>((word >> (16 * (3 - g % 4))) & 0xffff);
      std::snprintf(buf, sizeof buf, g ? ":%x" : "%x", group);
      out += buf;
    }
    std::snprintf(buf, sizeof buf, "/%u", n.prefix);
    return out + buf;
  }
  return buf;
}

// ---------------------------------------------------------------- base64, bool

std::optional<std::string> decode_base64(std::string_view s) {
  // Standard alphabet; `=` padding optional, but when present the length is a
  // multiple of 4 and at most two `=` end it.
  std::size_t pad = 0;
  while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
  if (pad > 0 && s.size() % 4 != 0) return std::nullopt;
  const std::string_view body = s.substr(0, s.size() - pad);
  if (body.size() % 4 == 1) return std::nullopt;
  if (pad > 0 && (body.size() + pad) % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(body.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : body) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::optional<bool> parse_bool_text(std::string_view s) noexcept {
  if (s == "true") return true;
  if (s == "false") return false;
  return std::nullopt;
}

std::optional<std::string> scalar_text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
    if (r.ec != std::errc{}) return std::nullopt;
    return std::string(buf, r.ptr);
  }
  return std::nullopt;
}

}  // namespace orggov::policy::detail
