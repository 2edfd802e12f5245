#include "orggov/graph.hpp"

#include <map>
#include <random>
#include <set>

#include <doctest/doctest.h>

namespace {

orggov::world line_of(int n) {
  orggov::world w;
  for (int i = 0; i < n; ++i)
    orggov::add_entity(w, {std::to_string(i), "e", orggov::entity_kind::legal_person, {}, {}, 0});
  return w;
}

// Reference: groups by plain union-find over the evidenced edges of the world.
std::map<std::string, std::string> reference_groups(const orggov::world& w) {
  std::map<std::string, std::string> parent;
  for (const auto& [id, e] : w.entities()) parent[id] = id;
  std::function<std::string(const std::string&)> find = [&](const std::string& x) {
    return parent[x] == x ? x : parent[x] = find(parent[x]);
  };
  for (const auto& [id, e] : w.entities())
    for (const auto& r : e->edges)
      if (r.evidenced) parent[find(id)] = find(r.other);
  std::map<std::string, std::string> out;
  for (const auto& [id, e] : w.entities()) out[id] = find(id);
  return out;
}

}  // namespace

TEST_CASE("evidenced relations join groups in either direction; removal splits them") {
  auto w = line_of(4);
  using orggov::relation_kind;
  orggov::set_relation(w, "0", "1", relation_kind::control, true);
  orggov::set_relation(w, "2", "1", relation_kind::legal_affiliation, true);
  CHECK(w.same_group("0", "2"));
  CHECK_FALSE(w.same_group("0", "3"));
  orggov::set_relation(w, "2", "3", relation_kind::management, false);  // not evidenced
  CHECK_FALSE(w.same_group("2", "3"));
  orggov::set_relation(w, "2", "3", relation_kind::management, true);  // evidence added
  CHECK(w.same_group("0", "3"));
  orggov::set_relation(w, "2", "3", relation_kind::management, false);  // evidence lost
  CHECK_FALSE(w.same_group("0", "3"));
  orggov::remove_relation(w, "0", "1", relation_kind::control);
  CHECK_FALSE(w.same_group("0", "2"));
  CHECK(w.same_group("1", "2"));
  orggov::remove_relation(w, "0", "1", relation_kind::control);  // missing: no-op
  CHECK(w.entities().size() == 4);
}

TEST_CASE("two relations of different kinds between one pair: removing one keeps the group") {
  auto w = line_of(2);
  orggov::set_relation(w, "0", "1", orggov::relation_kind::control, true);
  orggov::set_relation(w, "0", "1", orggov::relation_kind::management, true);
  orggov::remove_relation(w, "0", "1", orggov::relation_kind::control);
  CHECK(w.same_group("0", "1"));
}

TEST_CASE("a merge relabels the smaller group, and b's group on a tie") {
  auto w = line_of(6);
  for (const char* x : {"1", "2", "3"})
    orggov::set_relation(w, "0", x, orggov::relation_kind::control, true);
  const std::uint64_t big = w.find_entity("0")->group, lone = w.find_entity("4")->group;
  // the lone entity joins from either side: the big group keeps its label
  orggov::world from_small = w, from_big = w;
  orggov::set_relation(from_small, "4", "3", orggov::relation_kind::control, true);
  orggov::set_relation(from_big, "3", "4", orggov::relation_kind::control, true);
  for (const auto* v : {&from_small, &from_big})
    for (const char* x : {"0", "1", "2", "3", "4"}) CHECK(v->find_entity(x)->group == big);
  // a tie (one entity each): `from` keeps its label
  orggov::set_relation(w, "4", "5", orggov::relation_kind::control, true);
  CHECK(w.find_entity("4")->group == lone);
  CHECK(w.find_entity("5")->group == lone);
}

TEST_CASE("a merge of groups larger than one walk round picks the smaller side") {
  using orggov::relation_kind;
  auto w = line_of(44);
  auto id = [](int i) { return std::to_string(i); };
  for (int i = 1; i < 20; ++i) orggov::set_relation(w, "0", id(i), relation_kind::control, true);
  for (int i = 20; i < 31; ++i)
    orggov::set_relation(w, id(i), id(i + 1), relation_kind::control, true);
  for (int i = 32; i < 43; ++i)
    orggov::set_relation(w, id(i), id(i + 1), relation_kind::control, true);
  const std::uint64_t star = w.find_entity("0")->group, chain = w.find_entity("20")->group,
                      chain2 = w.find_entity("32")->group;
  // 20 entities against 12, from either side: the 12 take the 20's label
  orggov::world from_star = w, from_chain = w;
  orggov::set_relation(from_star, "5", "25", relation_kind::control, true);
  orggov::set_relation(from_chain, "25", "5", relation_kind::control, true);
  for (const auto* v : {&from_star, &from_chain})
    for (int i = 0; i < 32; ++i) CHECK(v->find_entity(id(i))->group == star);
  // 12 against 12: the `to` side takes the `from` side's label
  orggov::set_relation(w, "40", "23", relation_kind::control, true);
  for (int i = 20; i < 44; ++i) CHECK(w.find_entity(id(i))->group == chain2);
  CHECK(chain != chain2);
}

TEST_CASE("a change leaves the previous snapshot's groups untouched") {
  auto w = line_of(3);
  orggov::set_relation(w, "0", "1", orggov::relation_kind::control, true);
  const orggov::world before = w;
  orggov::set_relation(w, "1", "2", orggov::relation_kind::control, true);
  CHECK(w.same_group("0", "2"));
  CHECK_FALSE(before.same_group("0", "2"));
}

TEST_CASE("incremental groups agree with a from-scratch computation on random edits") {
  std::mt19937 rng(7);
  const int n = 40;
  auto w = line_of(n);
  for (int step = 0; step < 3000; ++step) {
    auto a = std::to_string(rng() % n), b = std::to_string(rng() % n);
    auto kind = static_cast<orggov::relation_kind>(rng() % 4);
    if (rng() % 3 == 0)
      orggov::remove_relation(w, a, b, kind);
    else
      orggov::set_relation(w, a, b, kind, rng() % 4 != 0);
    if (step % 50 != 0) continue;
    auto ref = reference_groups(w);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) {
        auto x = std::to_string(i), y = std::to_string(j);
        REQUIRE(w.same_group(x, y) == (ref[x] == ref[y]));
      }
    orggov::world rebuilt = w;
    orggov::rebuild_groups(rebuilt);
    for (int i = 0; i + 1 < n; ++i)
      REQUIRE(rebuilt.same_group(std::to_string(i), std::to_string(i + 1)) ==
              w.same_group(std::to_string(i), std::to_string(i + 1)));
  }
}
