#include "orggov/scenario.hpp"

#include <doctest/doctest.h>
#include <boost/json.hpp>

namespace {
orggov::scenario_report run(std::string_view text) {
  return orggov::run_scenario(boost::json::parse(text));
}
constexpr std::string_view world = R"("world": {"now": "2026-11-01T00:00:00Z",
  "entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
  "accounts": [{"uin": "1", "entity": "E1", "verified": true}, {"uin": "2", "entity": "E1"}]})";
}  // namespace

TEST_CASE("expectations that hold pass; others are reported with step and pointer") {
  auto r = run(std::string("{") + std::string(world) + R"(, "steps": [
    {"do": {"op": "create_organization", "org": "o", "account": "1"}, "expect": {"allowed": true}},
    {"check": {"op": "invite_member", "org": "o", "account": "2"}, "expect": {"allowed": true}},
    {"query": {"op": "members", "org": "o"}, "expect": {"result": {"members": []}}},
    {"do": {"op": "nope"}, "expect": {"error": "input"}}]})");
  REQUIRE_FALSE(r.invalid);
  CHECK(r.passed == 3);
  CHECK(r.failed == 1);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == 1);
  CHECK(r.failures[0].pointer == "/steps/1");
  CHECK(r.failures[0].got.find("join.not_verified") != std::string::npos);
}

TEST_CASE("time never goes back; an input error does not move the clock; a refusal does") {
  auto r = run(std::string("{") + std::string(world) + R"(, "steps": [
    {"do": {"op": "create_organization", "org": "o", "account": "2", "at": "2026-11-05T00:00:00Z"},
     "expect": {"allowed": false, "codes": ["create_org.not_verified"]}},
    {"do": {"op": "create_organization", "org": "o", "account": "1", "at": "2026-11-04T00:00:00Z"},
     "expect": {"error": "input"}},
    {"do": {"op": "create_organization", "org": "o", "account": "1", "at": "2026-11-05T00:00:00Z"},
     "expect": {"allowed": true}}]})");
  CHECK(r.failed == 0);
  CHECK(r.passed == 3);
  CHECK(r.final_world.now().us > 0);
}

TEST_CASE("a file that is not a valid scenario is reported with a pointer") {
  auto r = run(R"({"world": {}, "steps": [{"do": {"op": "members"}, "expect": {"allowed": 3}}]})");
  REQUIRE(r.invalid);
  CHECK(r.invalid->pointer == "/steps/0/expect/allowed");
  auto missing = run(R"({"steps": []})");
  REQUIRE(missing.invalid);
  CHECK(missing.invalid->pointer == "/world");
  auto unknown = run(R"({"world": {}, "steps": [], "extra": 1})");
  REQUIRE(unknown.invalid);
  CHECK(unknown.invalid->pointer == "/extra");
}

TEST_CASE("query results compare arrays as multisets and ignore keys not given") {
  auto r = run(std::string("{") + std::string(world) + R"(, "steps": [
    {"do": {"op": "create_organization", "org": "o", "account": "1"}},
    {"query": {"op": "service_roles", "account": "1"},
     "expect": {"result": {"roles": ["Organization_QCSLinkedRoleInServiceControl",
                                     "Organization_QCSLinkedRoleInDefaultMng"]}}},
    {"query": {"op": "payment_sources", "account": "1"}, "expect": {"result": {"member_funds_usable": true}}},
    {"query": {"op": "balance", "account": "9"}, "expect": {"result": {"codes": ["ref.unknown_account"]}}}]})");
  CHECK(r.failed == 0);
  CHECK(r.passed == 4);
}
