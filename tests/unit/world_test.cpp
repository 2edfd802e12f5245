#include "orggov/world.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

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

TEST_CASE("find_entities answers as find_entity does, buffered writes first") {
  orggov::world w;
  for (int i = 0; i < 40; ++i)
    orggov::add_entity(
        w, {"E" + std::to_string(i), "n", orggov::entity_kind::legal_person, {}, {}, 0});
  w.buffer_writes();
  orggov::entity renamed = *w.find_entity("E7");
  renamed.name = "buffered";
  w.put_entity(renamed);
  std::vector<std::string> ids;
  for (int i = 0; i < 45; ++i) ids.push_back("E" + std::to_string(i));  // E40..E44 are unknown
  std::vector<std::string_view> views(ids.begin(), ids.end());
  std::vector<const orggov::entity*> found(ids.size());
  w.find_entities(views.data(), views.size(), found.data());
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(found[i] == w.find_entity(ids[i]));
  CHECK(found[7]->name == "buffered");
  CHECK(found[44] == nullptr);
  w.discard_writes();
}
