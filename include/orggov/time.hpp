// orggov/time.hpp — instants in time, RFC 3339 in UTC.
//
// Main type: `timestamp`, microseconds since the Unix epoch (UTC). Scenario
// steps, payment history and date conditions of policies all use it.
//
//   auto t = orggov::parse_time("2026-11-10T12:00:00Z");   // std::optional
//   if (t) fmt::print("{}\n", orggov::format_time(*t));     // 2026-11-10T12:00:00Z
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orggov {

/// An instant, in microseconds since 1970-01-01T00:00:00Z.
struct timestamp {
  std::int64_t us = 0;
  friend constexpr auto operator<=>(timestamp, timestamp) = default;
};

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (the `T` may be `t`, the `Z` may be
/// `z`). Any other offset, or an out-of-range field, gives `std::nullopt`.
/// With `allow_date_only`, `YYYY-MM-DD` alone means midnight UTC of that day.
/// Fractions beyond microseconds are truncated. Years 0000–9999.
[[nodiscard]] std::optional<timestamp> parse_time(std::string_view text,
                                                  bool allow_date_only = false) noexcept;

/// Formats as `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` only when the instant has
/// a sub-second part.
[[nodiscard]] std::string format_time(timestamp t);

/// The same text written into `buf` without allocating (the policy engine's
/// hot path formats `qcs:current_time` this way); returns its length.
std::size_t format_time_to(timestamp t, char (&buf)[40]) noexcept;

}  // namespace orggov
