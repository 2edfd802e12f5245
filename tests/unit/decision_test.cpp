#include "orggov/decision.hpp"

#include <doctest/doctest.h>

#include "orggov/engine.hpp"

TEST_CASE("a decision reports its codes in order and answers has()") {
  orggov::decision d;
  d.findings.push_back({orggov::code::join_not_verified, "m", {"1"}, {}});
  d.findings.push_back({orggov::code::join_entity_extinct, "m", {"1"}, {}});
  d.findings.push_back({orggov::code::join_not_verified, "m", {"2"}, {}});
  CHECK(d.has(orggov::code::join_entity_extinct));
  CHECK_FALSE(d.has(orggov::code::join_already_member));
  CHECK(d.codes().size() == 3);
  auto j = orggov::to_json(d);
  CHECK(j.at("allowed") == false);
  // codes are listed once each; findings keep every subject
  CHECK(j.at("codes").as_array().size() == 2);
  CHECK(j.at("findings").as_array().size() == 3);
  CHECK(j.at("findings").as_array()[1].at("clause") == "2.2.2(3)");
}
