#include "orggov/orggov.hpp"

#include <doctest/doctest.h>

TEST_CASE("the umbrella header is enough for a host's whole flow") {
  auto v = orggov::parse_json(R"({"entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
                                  "accounts": [{"uin": "1", "entity": "E1", "verified": true}]})");
  REQUIRE(v.has_value());
  orggov::world w = orggov::load_world(*v).value();
  auto out = orggov::apply(w, orggov::ops::create_organization{.org = "o1", .account = "1"});
  CHECK(out.result.allowed);
  CHECK(out.after.org_of("1") != nullptr);
}
