#include "orggov/codes.hpp"

#include <set>
#include <string>

#include <doctest/doctest.h>

TEST_CASE("every code has a unique, well-formed name that round-trips") {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < orggov::code_count; ++i) {
    auto c = static_cast<orggov::code>(i);
    std::string n(orggov::name(c));
    CHECK(seen.insert(n).second);
    CHECK(n.find('.') != std::string::npos);
    for (char ch : n) CHECK(((ch >= 'a' && ch <= 'z') || ch == '_' || ch == '.'));
    REQUIRE(orggov::code_from_name(n).has_value());
    CHECK(*orggov::code_from_name(n) == c);
  }
  CHECK_FALSE(orggov::code_from_name("join.nope").has_value());
}

TEST_CASE("reference codes are exactly the ref.* codes") {
  for (std::size_t i = 0; i < orggov::code_count; ++i) {
    auto c = static_cast<orggov::code>(i);
    CHECK(orggov::is_reference_code(c) == orggov::name(c).starts_with("ref."));
  }
}

TEST_CASE("clauses come from the agreement") {
  CHECK(orggov::clause(orggov::code::join_already_in_org) == "2.2.2(1)");
  CHECK(orggov::clause(orggov::code::ref_unknown_org).empty());
}
