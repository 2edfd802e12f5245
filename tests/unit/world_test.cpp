#include "orggov/world.hpp"

#include <doctest/doctest.h>

#include "orggov/graph.hpp"

TEST_CASE("a copied world is independent of the original") {
  orggov::world a;
  orggov::add_entity(a, {"E1", "n", orggov::entity_kind::legal_person, {}, {}, 0});
  const orggov::account acc{.uin = "1", .entity = "E1"};
  a.put_account(acc);
  orggov::world b = a;
  orggov::account richer = acc;
  richer.cash = 500;
  b.put_account(richer);
  CHECK(a.find_account("1")->cash == 0);
  CHECK(b.find_account("1")->cash == 500);
  b.erase_account("1");
  CHECK(a.find_account("1") != nullptr);
  CHECK(b.find_account("1") == nullptr);
  CHECK(a.org_of("1") == nullptr);
}

TEST_CASE("enterprise kinds and extinct statuses") {
  using orggov::entity_kind;
  CHECK(orggov::is_enterprise(entity_kind::legal_person));
  CHECK(orggov::is_enterprise(entity_kind::unincorporated_org));
  CHECK_FALSE(orggov::is_enterprise(entity_kind::natural_person));
  CHECK_FALSE(orggov::is_enterprise(entity_kind::individual_business));
  CHECK_FALSE(orggov::is_enterprise(entity_kind::rural_contractor));
  CHECK(orggov::is_extinct(orggov::entity_status::revoked));
  CHECK_FALSE(orggov::is_extinct(orggov::entity_status::active));
}

TEST_CASE("services are delegable only when the world says so") {
  orggov::world w;
  w.set_service("cloudaudit", true);
  w.set_service("cvm", false);
  CHECK(w.delegable("cloudaudit"));
  CHECK_FALSE(w.delegable("cvm"));
  CHECK_FALSE(w.delegable("unknown"));
}
