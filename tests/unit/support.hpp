// Test support: small worlds from JSON text, and decision helpers.
#pragma once

#include <set>
#include <string>

#include <doctest/doctest.h>
#include <boost/json.hpp>

#include "orggov/engine.hpp"
#include "orggov/io/json.hpp"

namespace orggov::test {

inline world world_from(std::string_view text) {
  auto v = parse_json(text);
  REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().what()));
  auto w = load_world(*v);
  REQUIRE_MESSAGE(w.has_value(), (w ? "" : w.error().what()));
  return *w;
}

inline std::set<std::string> codes_of(const decision& d) {
  std::set<std::string> out;
  for (const auto& f : d.findings) out.insert(std::string(name(f.code)));
  return out;
}

inline std::string saved(const world& w) {
  return boost::json::serialize(save_world(w));
}

/// Applies `op`, requires it allowed, and returns the new world.
inline world must(const world& w, const operation& op) {
  auto out = orggov::apply(w, op);
  INFO("refused: " << boost::json::serialize(to_json(out.result)));
  REQUIRE(out.result.allowed);
  return out.after;
}

/// A small world: two entities in one group, one outside, accounts of each.
inline constexpr std::string_view small_world = R"({
  "now": "2026-11-01T00:00:00Z",
  "services": [{"name": "cloudaudit", "delegable": true}],
  "entities": [
    {"id": "E1", "name": "Holding", "kind": "legal_person"},
    {"id": "E2", "name": "Subsidiary", "kind": "legal_person"},
    {"id": "E3", "name": "Person", "kind": "natural_person"}
  ],
  "relations": [{"from": "E1", "to": "E2", "kind": "control"}],
  "accounts": [
    {"uin": "1", "entity": "E1", "verified": true, "cash": 1000, "sub_accounts": [{"id": "ops"}]},
    {"uin": "2", "entity": "E1", "verified": true},
    {"uin": "3", "entity": "E2", "verified": true},
    {"uin": "4", "entity": "E3", "verified": true},
    {"uin": "5", "entity": "E1", "verified": false}
  ]
})";

}  // namespace orggov::test
