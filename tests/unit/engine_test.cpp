#include "orggov/engine.hpp"

#include <algorithm>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include <doctest/doctest.h>

#include "random_ops.hpp"
#include "support.hpp"

using namespace orggov;
using test::codes_of;
using test::must;

TEST_CASE("a default decision is refused") {
  decision d;
  CHECK_FALSE(d.allowed);
}

TEST_CASE("check and apply give the same decision; check changes nothing") {
  world w = test::world_from(test::small_world);
  const std::string before = test::saved(w);
  decision d = check(w, ops::create_organization{.org = "o1", .account = "1"});
  CHECK(d.allowed);
  CHECK_FALSE(d.effects.empty());
  CHECK(test::saved(w) == before);
  auto out = orggov::apply(w, ops::create_organization{.org = "o1", .account = "1"});
  CHECK(out.result.allowed);
  CHECK(out.after.find_org("o1") != nullptr);
  CHECK(w.find_org("o1") == nullptr);  // the old snapshot is untouched
}

TEST_CASE("every applicable code is returned at once") {
  world w = must(test::world_from(test::small_world),
                 ops::create_organization{.org = "o1", .account = "1"});
  w = must(w, ops::add_account{.account = "6", .entity = "E3"});
  decision d = check(w, ops::invite_member{.org = "o1", .account = "6"});
  CHECK(codes_of(d) == std::set<std::string>{"join.not_verified", "join.entity_not_enterprise",
                                             "join.entity_not_in_org"});
  CHECK(d.findings.front().subjects.front() == "6");
}

TEST_CASE("reference codes suppress every rule; an actor who may not act learns nothing more") {
  world w = must(test::world_from(test::small_world),
                 ops::create_organization{.org = "o1", .account = "1"});
  CHECK(codes_of(check(w, ops::invite_member{.org = "nope", .account = "zz"})) ==
        std::set<std::string>{"ref.unknown_org", "ref.unknown_account"});
  CHECK(codes_of(check(w, ops::invite_member{.org = "o1", .account = "4", .actor = "2"})) ==
        std::set<std::string>{"actor.not_permitted"});
  CHECK(codes_of(check(w, ops::invite_member{.org = "o1", .account = "4", .actor = "99"})) ==
        std::set<std::string>{"ref.unknown_account"});
}

TEST_CASE("a refused do leaves the world byte-identical") {
  world w = must(test::world_from(test::small_world),
                 ops::create_organization{.org = "o1", .account = "1"});
  const std::string before = test::saved(w);
  auto out = orggov::apply(w, ops::invite_member{.org = "o1", .account = "4"});
  CHECK_FALSE(out.result.allowed);
  CHECK(out.result.effects.empty());
  CHECK(test::saved(out.after) == before);
}

TEST_CASE("an operation that changes nothing is allowed and lists no effect") {
  world w = must(test::world_from(test::small_world),
                 ops::create_organization{.org = "o1", .account = "1"});
  w = must(w, ops::invite_member{.org = "o1", .account = "2"});
  const std::string before = test::saved(w);
  for (const operation& op : std::vector<operation>{
           ops::invite_member{.org = "o1", .account = "2"},
           ops::remove_relation{.from = "E1", .to = "E3", .kind = relation_kind::control},
           ops::add_relation{.from = "E1", .to = "E2", .kind = relation_kind::control},
           ops::set_verified{.account = "2", .verified = true},
           ops::set_cash{.account = "1", .cash = 1000},
           ops::rename_entity{.entity = "E1", .name = "Holding"},
           ops::clear_entity_admin{.org = "o1", .entity = "E2"},
           ops::remove_delegated_admin{.org = "o1", .service = "cloudaudit"}}) {
    auto out = orggov::apply(w, op);
    INFO(op_name(op));
    CHECK(out.result.allowed);
    CHECK(out.result.effects.empty());
    CHECK(test::saved(out.after) == before);
  }
}

TEST_CASE("joining closes the account's invitations in every org") {
  world w = test::world_from(test::small_world);
  w = must(w, ops::create_organization{.org = "o1", .account = "1"});
  w = must(w, ops::add_account{.account = "7", .entity = "E1", .verified = true});
  w = must(w, ops::create_organization{.org = "o2", .account = "7"});
  w = must(w, ops::invite_member{.org = "o1", .account = "2"});
  w = must(w, ops::invite_member{.org = "o2", .account = "2"});
  w = must(w, ops::accept_invitation{.org = "o2", .account = "2"});
  CHECK(w.find_org("o1")->invitations.empty());
  CHECK(codes_of(check(w, ops::accept_invitation{.org = "o1", .account = "2"})) ==
        std::set<std::string>{"join.already_in_org", "join.no_pending_invitation"});
}

namespace {

// The payment and discount histories: time-ordered, not after the clock, and
// ending in the state the member record holds (self-pay and own discount for
// an account that is no org's member), which the typed queries answer at `now`.
void check_histories(const world& w, const account& a) {
  const organization* o = a.org.empty() ? nullptr : w.find_org(a.org);
  const member* m = o ? o->find_member(a.uin) : nullptr;
  const std::string payer = m ? m->payer : "";
  const std::string from = m && m->discount_inherited ? o->management : "";
  auto ordered = [&](const auto& h) {
    for (std::size_t i = 0; i < h.size(); ++i) {
      REQUIRE(h[i].at <= w.now());
      if (i) REQUIRE(h[i - 1].at <= h[i].at);
    }
  };
  ordered(a.payment_history);
  ordered(a.discount_history);
  REQUIRE((a.payment_history.empty() ? "" : a.payment_history.back().payer) == payer);
  REQUIRE((a.discount_history.empty() ? "" : a.discount_history.back().from) == from);
  REQUIRE(payment_sources_at(w, a.uin, w.now()).payer == (payer.empty() ? a.uin : payer));
  REQUIRE(discount_source_at(w, a.uin, w.now()).from == from);
}

// The invariants of rules.md, checked on a whole world.
void check_invariants(const world& w) {
  std::map<std::string, std::string> org_of_account;
  for (const auto& [id, o] : w.orgs()) {
    REQUIRE(o->id == id);
    const account* m = w.find_account(o->management);
    REQUIRE(m != nullptr);
    REQUIRE(m->org == id);
    REQUIRE_FALSE(o->members.contains(o->management));
    REQUIRE(org_of_account.emplace(o->management, id).second);
    REQUIRE(o->units.contains("root"));
    for (const auto& [uin, mem] : o->members) {
      const account* a = w.find_account(uin);
      REQUIRE(a != nullptr);
      REQUIRE(a->org == id);
      REQUIRE(org_of_account.emplace(uin, id).second);  // one org per account
      REQUIRE(o->units.contains(mem->unit));            // only under its own org's units
      if (!mem->payer.empty()) {
        const account* p = w.find_account(mem->payer);
        REQUIRE(p != nullptr);
        REQUIRE(p->entity == a->entity);  // no cross-entity pay-on-behalf
        REQUIRE((mem->payer == o->management || o->members.contains(mem->payer)));
      }
    }
    for (const auto& [uid, u] : o->units)
      if (uid != "root") REQUIRE(o->units.contains(u.parent));
  }
  for (const auto& [uin, a] : w.accounts()) {
    if (a->org.empty())
      REQUIRE_FALSE(org_of_account.count(uin));
    else
      REQUIRE(org_of_account.at(uin) == a->org);
    check_histories(w, *a);
  }
}

// A small random world over the id pools of test::random_ops: entities E1-E5
// of random kinds (mostly enterprises, E1 always), a few random relations, accounts 1-6 of random
// entities, verification, cash and channel-customer status, random limits.
std::string random_world(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  static const char* kinds[] = {"legal_person", "unincorporated_org", "natural_person",
                                "individual_business", "rural_contractor"};
  static const char* relations[] = {"legal_affiliation", "control", "financial_affiliation",
                                    "management"};
  boost::json::array entities, rels, accounts;
  for (int e = 1; e <= 5; ++e)
    entities.push_back({{"id", fmt::format("E{}", e)},
                        {"name", fmt::format("Entity {}", e)},
                        {"kind", kinds[e == 1 || pick(3) != 0 ? pick(2) : 2 + pick(3)]}});
  for (std::size_t r = pick(4); r > 0; --r) {
    const std::size_t a = 1 + pick(5), b = 1 + pick(5);
    if (a == b) continue;
    boost::json::object rel{{"from", fmt::format("E{}", a)},
                            {"to", fmt::format("E{}", b)},
                            {"kind", relations[pick(4)]}};
    if (pick(5) == 0) rel["evidenced"] = false;
    rels.push_back(std::move(rel));
  }
  for (int u = 1; u <= 6; ++u) {
    boost::json::object a{{"uin", std::to_string(u)},
                          {"entity", fmt::format("E{}", u <= 2 || pick(3) == 0 ? 1 : 1 + pick(5))},
                          {"verified", pick(6) != 0},
                          {"cash", static_cast<std::int64_t>(pick(6000))}};
    if (pick(8) == 0) a["channel_customer"] = true;
    if (u <= 2 || pick(2) == 0) a["sub_accounts"] = boost::json::array{{{"id", "ops"}}};
    accounts.push_back(std::move(a));
  }
  boost::json::object w{
      {"now", "2026-11-01T00:00:00Z"},
      {"services",
       boost::json::array{{{"name", "cloudaudit"}, {"delegable", true}}, {{"name", "cvm"}}}},
      {"entities", std::move(entities)},
      {"relations", std::move(rels)},
      {"limits",
       {{"members_per_org", 2 + static_cast<std::int64_t>(pick(4))},
        {"unit_depth", 1 + static_cast<std::int64_t>(pick(3))},
        {"custom_login_permissions", 1 + static_cast<std::int64_t>(pick(3))}}},
      {"accounts", std::move(accounts)}};
  return boost::json::serialize(w);
}

}  // namespace

TEST_CASE(
    "random operation sequences: check = do, refusals change nothing, invariants hold, "
    "save/load is lossless") {
  // ORGGOV_RANDOM_STEPS steps in all (default 20,000; CI runs 100,000 in the
  // Release build), spread over ORGGOV_RANDOM_WORLDS generated worlds.
  const char* env = std::getenv("ORGGOV_RANDOM_STEPS");
  const long steps = env ? std::atol(env) : 20000;
  const char* wenv = std::getenv("ORGGOV_RANDOM_WORLDS");
  const long worlds = std::max(1L, wenv ? std::atol(wenv) : 10L);
  long allowed = 0, done = 0;
  for (long k = 0; k < worlds; ++k) {
    const unsigned seed = 20261126u + static_cast<unsigned>(k);
    INFO("world " << k << " (seed " << seed << ")");
    world w = test::world_from(random_world(seed));
    test::random_ops gen(seed);
    const long until = steps * (k + 1) / worlds;
    for (; done < until; ++done) {
      const long i = done;
      if (gen.rng()() % 4 == 0)
        w.set_now({w.now().us + static_cast<std::int64_t>(gen.rng()() % 7200) * 1'000'000});
      gen.observe(w);
      const operation op = gen.next();
      const std::string before = test::saved(w);
      decision checked = check(w, op);
      outcome out = orggov::apply(w, op);
      INFO("step " << i << ": " << op_name(op) << " -> "
                   << boost::json::serialize(to_json(out.result)));
      REQUIRE(checked.allowed == out.result.allowed);
      REQUIRE(checked.codes() == out.result.codes());
      REQUIRE(test::saved(w) == before);  // the input snapshot never changes
      if (!out.result.allowed) {
        REQUIRE_FALSE(out.result.findings.empty());
        REQUIRE(test::saved(out.after) == before);
        continue;
      }
      ++allowed;
      w = std::move(out.after);
      check_invariants(w);
      const std::string saved = test::saved(w);
      auto reloaded = load_world(boost::json::parse(saved));
      REQUIRE_MESSAGE(reloaded.has_value(), (reloaded ? "" : reloaded.error().what()));
      REQUIRE(test::saved(*reloaded) == saved);
    }
  }
  MESSAGE(allowed << " of " << steps << " random operations were allowed");
  CHECK(allowed > steps / 10);
}
