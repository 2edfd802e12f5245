#include "orggov/time.hpp"

#include <doctest/doctest.h>

using orggov::format_time;
using orggov::parse_time;

TEST_CASE("RFC 3339 UTC times parse and format") {
  auto t = parse_time("2026-11-10T12:00:00Z");
  REQUIRE(t);
  CHECK(format_time(*t) == "2026-11-10T12:00:00Z");
  CHECK(parse_time("1970-01-01T00:00:00Z")->us == 0);
  CHECK(parse_time("1970-01-01T00:00:01.5Z")->us == 1'500'000);
  CHECK(format_time(*parse_time("2024-02-29T23:59:59.000001Z")) == "2024-02-29T23:59:59.000001Z");
  CHECK(parse_time("1969-12-31T23:59:59Z")->us == -1'000'000);
  CHECK(format_time(*parse_time("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
}

TEST_CASE("times with offsets or out-of-range fields are rejected") {
  CHECK_FALSE(parse_time("2026-11-10T12:00:00+08:00"));
  CHECK_FALSE(parse_time("2026-11-10T12:00:00"));
  CHECK_FALSE(parse_time("2026-02-29T00:00:00Z"));
  CHECK_FALSE(parse_time("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_time("2026-11-10T24:00:00Z"));
  CHECK_FALSE(parse_time("2026-11-10T12:00:00.Z"));
  CHECK_FALSE(parse_time(""));
  CHECK_FALSE(parse_time("2026-11-10"));
  REQUIRE(parse_time("2026-11-10", true));
  CHECK(format_time(*parse_time("2026-11-10", true)) == "2026-11-10T00:00:00Z");
}

TEST_CASE("time order") {
  CHECK(*parse_time("2026-11-10T00:00:00Z") < *parse_time("2026-11-10T00:00:00.1Z"));
}
