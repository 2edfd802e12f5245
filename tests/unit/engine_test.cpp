#include "orggov/engine.hpp"

#include <cstdlib>

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

}  // namespace

TEST_CASE(
    "random operation sequences: check = do, refusals change nothing, invariants hold, "
    "save/load is lossless") {
  const char* env = std::getenv("ORGGOV_RANDOM_STEPS");
  const long steps = env ? std::atol(env) : 20000;
  constexpr std::string_view base = R"({
    "now": "2026-11-01T00:00:00Z",
    "services": [{"name": "cloudaudit", "delegable": true}, {"name": "cvm"}],
    "entities": [
      {"id": "E1", "name": "Holding", "kind": "legal_person"},
      {"id": "E2", "name": "Subsidiary", "kind": "legal_person"},
      {"id": "E3", "name": "Person", "kind": "natural_person"},
      {"id": "E4", "name": "Other group", "kind": "unincorporated_org"},
      {"id": "E5", "name": "Shop", "kind": "individual_business"}
    ],
    "relations": [{"from": "E1", "to": "E2", "kind": "control"}],
    "limits": {"members_per_org": 4, "unit_depth": 2, "custom_login_permissions": 2},
    "accounts": [
      {"uin": "1", "entity": "E1", "verified": true, "cash": 5000, "sub_accounts": [{"id": "ops"}]},
      {"uin": "2", "entity": "E1", "verified": true, "cash": 100, "sub_accounts": [{"id": "ops"}]},
      {"uin": "3", "entity": "E2", "verified": true},
      {"uin": "4", "entity": "E3", "verified": true},
      {"uin": "5", "entity": "E1", "verified": false},
      {"uin": "6", "entity": "E4", "verified": true, "channel_customer": true}
    ]
  })";
  world w = test::world_from(base);
  test::random_ops gen(20261126);
  long allowed = 0;
  for (long i = 0; i < steps; ++i) {
    if (gen.rng()() % 4 == 0)
      w.set_now({w.now().us + static_cast<std::int64_t>(gen.rng()() % 7200) * 1'000'000});
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
  MESSAGE(allowed << " of " << steps << " random operations were allowed");
  CHECK(allowed > steps / 10);
}
