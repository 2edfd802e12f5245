// Consumer of an installed orggov: loads a world from JSON, creates an
// organization, and checks the decision and the new world. Exit code 0 on
// success.
#include <cstdio>
#include <string_view>

#include <boost/json/serialize.hpp>

#include <orggov/engine.hpp>
#include <orggov/io/json.hpp>
#include <orggov/operations.hpp>
#include <orggov/world.hpp>

namespace {

constexpr std::string_view world_json = R"({
  "now": "2026-01-01T00:00:00Z",
  "entities": [
    {"id": "E1", "name": "Example Ltd", "kind": "legal_person"},
    {"id": "P1", "name": "A Person", "kind": "natural_person"}
  ],
  "relations": [],
  "accounts": [
    {"uin": "100001", "entity": "E1", "verified": true},
    {"uin": "100002", "entity": "P1", "verified": true}
  ]
})";

int fail(const char* what) {
  std::fprintf(stderr, "orggov_install_test: %s\n", what);
  return 1;
}

}  // namespace

int main() {
  auto json = orggov::parse_json(world_json);
  if (!json) return fail("parse_json failed");
  auto loaded = orggov::load_world(json.value());
  if (!loaded) return fail("load_world failed");
  const orggov::world& w = loaded.value();

  auto out = orggov::apply(w, orggov::ops::create_organization{.org = "o1", .account = "100001"});
  std::printf("create_organization o1 by 100001: %s\n", out.result.allowed ? "allowed" : "refused");
  if (!out.result.allowed) return fail("create_organization was refused");
  const orggov::organization* o = out.after.find_org("o1");
  if (!o || o->management != "100001") return fail("the new world has no organization o1");
  if (w.find_org("o1")) return fail("apply changed its input world");

  // A natural person's account may not create one.
  auto refused =
      orggov::check(w, orggov::ops::create_organization{.org = "o2", .account = "100002"});
  std::printf("create_organization o2 by 100002: %s\n", refused.allowed ? "allowed" : "refused");
  if (refused.allowed || !refused.has(orggov::code::create_org_entity_not_enterprise))
    return fail("create_organization by a natural person was not refused as expected");

  std::printf("%s\n", boost::json::serialize(orggov::to_json(out.result)).c_str());
  return 0;
}
