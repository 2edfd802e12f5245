#include "orggov/time.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace orggov {
namespace {

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t y;
  unsigned m, d;
};

constexpr civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

constexpr bool is_leap(std::int64_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : table[m - 1];
}

// Reads exactly `n` decimal digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<timestamp> parse_time(std::string_view s, bool allow_date_only) noexcept {
  unsigned year = 0, month = 0, day = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  if (s.size() == 10) {
    if (!allow_date_only) return std::nullopt;
    return timestamp{days * 86'400'000'000LL};
  }
  unsigned hh = 0, mm = 0, ss = 0;
  if ((s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hh) || s.size() < 20 || s[13] != ':' ||
      !digits(s, 14, 2, mm) || s[16] != ':' || !digits(s, 17, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (s[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    std::int64_t scale = 100000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6) micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++n;
    }
    if (n == 0) return std::nullopt;
  }
  if (pos + 1 != s.size() || (s[pos] != 'Z' && s[pos] != 'z')) return std::nullopt;
  const std::int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss;
  return timestamp{secs * 1'000'000 + micros};
}

std::size_t format_time_to(timestamp t, char (&buf)[40]) noexcept {
  std::int64_t secs = t.us / 1'000'000;
  std::int64_t micros = t.us % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const civil c = civil_from_days(days);
  const auto r =
      micros == 0
          ? fmt::format_to_n(buf, sizeof buf - 1, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.y, c.m,
                             c.d, rem / 3600, rem / 60 % 60, rem % 60)
          : fmt::format_to_n(buf, sizeof buf - 1, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", c.y,
                             c.m, c.d, rem / 3600, rem / 60 % 60, rem % 60, micros);
  const std::size_t n = std::min<std::size_t>(r.size, sizeof buf - 1);
  buf[n] = '\0';
  return n;
}

std::string format_time(timestamp t) {
  char buf[40];
  return std::string(buf, format_time_to(t, buf));
}

}  // namespace orggov
