// The typed billing queries (engine.hpp): payer_at / bill_payer,
// payment_sources_at, notification_recipient_at, discount_source_at, their
// agreement with the JSON answers, and the discount history they read.
#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "orggov/engine.hpp"
#include "orggov/io/json.hpp"
#include "support.hpp"

using namespace orggov;

namespace {

timestamp at(std::string_view text) {
  auto t = parse_time(text);
  REQUIRE(t.has_value());
  return *t;
}

timestamp plus_us(timestamp t, std::int64_t us) {
  return {t.us + us};
}

world at_time(world w, std::string_view text) {
  w.set_now(at(text));
  return w;
}

// Org o1: management 1 (E1); members 2 (E1) and 3 (E2, an associated entity).
world billing_world() {
  world w = test::world_from(test::small_world);
  w = test::must(w, ops::create_organization{.org = "o1", .account = "1"});
  w = test::must(w, ops::associate_entity{.org = "o1", .entity = "E2"});
  for (const char* uin : {"2", "3"}) {
    w = test::must(w, ops::invite_member{.org = "o1", .account = uin});
    w = test::must(w, ops::accept_invitation{.org = "o1", .account = uin});
  }
  return w;
}

// billing_world where 1 pays for 2 from 2026-11-10T12:00Z to 2026-11-20T00:00Z.
world paid_for_world() {
  world w = billing_world();
  w = test::must(
      at_time(w, "2026-11-10T12:00:00Z"),
      ops::set_payment_mode{
          .org = "o1", .account = "2", .mode = payment_mode::pay_on_behalf, .payer = "1"});
  return test::must(
      at_time(w, "2026-11-20T00:00:00Z"),
      ops::set_payment_mode{.org = "o1", .account = "2", .mode = payment_mode::self_pay});
}

std::vector<std::string> coupon_names(const funding_sources& f) {
  std::vector<std::string> out;
  for (coupon_kind c : f.coupons) out.emplace_back(name(c));
  return out;
}

}  // namespace

TEST_CASE("payer_at counts a change at exactly the instant; bill_payer only those before it") {
  const world w = paid_for_world();
  const timestamp set = at("2026-11-10T12:00:00Z"), released = at("2026-11-20T00:00:00Z");

  CHECK(payer_at(w, "2", plus_us(set, -1)) == "2");
  CHECK(payer_at(w, "2", set) == "1");
  CHECK(payer_at(w, "2", plus_us(released, -1)) == "1");
  CHECK(payer_at(w, "2", released) == "2");
  CHECK(bill_payer(w, "2", set) == "2");  // a change at period_end belongs to the next period
  CHECK(bill_payer(w, "2", plus_us(set, 1)) == "1");
  CHECK(bill_payer(w, "2", released) == "1");
  CHECK(payer_before(*w.find_account("2"), released) == "1");
  CHECK(payer_at(w, "1", set) == "1");
  CHECK(payer_at(w, "99", set).empty());
  CHECK(bill_payer(w, "99", set).empty());

  const funding_sources on_behalf = payment_sources_at(w, "2", at("2026-11-15T00:00:00Z"));
  CHECK(on_behalf.payer == "1");
  CHECK_FALSE(on_behalf.member_funds_usable);
  CHECK(coupon_names(on_behalf) == std::vector<std::string>{"cash_coupon"});
  const funding_sources own = payment_sources_at(w, "2", released);
  CHECK(own.payer == "2");
  CHECK(own.member_funds_usable);
  CHECK(coupon_names(own) == std::vector<std::string>{"cash_coupon", "voucher", "discount_coupon"});
  CHECK(payment_sources_at(w, "99", set).payer.empty());

  CHECK(notification_recipient_at(w, "2", notification_kind::expiry, set) == "1");
  CHECK(notification_recipient_at(w, "2", notification_kind::arrears, set) == "2");
  CHECK(notification_recipient_at(w, "2", notification_kind::expiry, released) == "2");
  CHECK(notification_recipient_at(w, "99", notification_kind::arrears, set).empty());
}

TEST_CASE("discount history: on, off, the same instant, cross-entity approval, departure") {
  world w = billing_world();
  w = test::must(at_time(w, "2026-11-05T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = true});
  w = test::must(at_time(w, "2026-11-12T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = false});
  // On and off at one instant: the later change wins from that instant on.
  w = test::must(at_time(w, "2026-11-15T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = true});
  w = test::must(w, ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = false});
  // Setting the current state again records nothing.
  w = test::must(w, ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = false});
  CHECK(w.find_account("2")->discount_history.size() == 4);
  // Another entity: refused without approval (and nothing is recorded), then approved.
  CHECK_FALSE(check(w, ops::set_discount_inheritance{.org = "o1", .account = "3", .enabled = true})
                  .allowed);
  w = test::must(at_time(w, "2026-11-18T00:00:00Z"),
                 ops::set_discount_inheritance{
                     .org = "o1", .account = "3", .enabled = true, .approved = true});
  w = test::must(at_time(w, "2026-11-25T00:00:00Z"),
                 ops::remove_member{.org = "o1", .account = "3"});

  auto source = [&](std::string_view uin, std::string_view t) {
    discount_origin d = discount_source_at(w, uin, at(t));
    REQUIRE(d.known);
    return std::string(d.from);
  };
  CHECK(source("2", "2026-11-04T23:59:59Z") == "");
  CHECK(source("2", "2026-11-05T00:00:00Z") == "1");
  CHECK(source("2", "2026-11-11T23:59:59Z") == "1");
  CHECK(source("2", "2026-11-12T00:00:00Z") == "");
  CHECK(source("2", "2026-11-15T00:00:00Z") == "");  // set and released at the same instant
  CHECK(source("3", "2026-11-17T23:59:59Z") == "");
  CHECK(source("3", "2026-11-18T00:00:00Z") == "1");
  CHECK(source("3", "2026-11-24T23:59:59Z") == "1");  // kept on the account after removal
  CHECK(source("3", "2026-11-25T00:00:00Z") == "");
  CHECK(source("3", "2030-01-01T00:00:00Z") == "");  // after the clock: the current state
  CHECK_FALSE(discount_source_at(w, "99", w.now()).known);
  CHECK(discount_source_at(w, "3", at("2026-11-20T00:00:00Z")).inherited());
}

TEST_CASE("the JSON answers are the typed ones, with as_of defaulting to the clock") {
  world w = billing_world();
  w = test::must(
      at_time(w, "2026-11-10T12:00:00Z"),
      ops::set_payment_mode{
          .org = "o1", .account = "2", .mode = payment_mode::pay_on_behalf, .payer = "1"});
  w = test::must(w, ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = true});
  w = test::must(
      at_time(w, "2026-11-20T00:00:00Z"),
      ops::set_payment_mode{.org = "o1", .account = "2", .mode = payment_mode::self_pay});
  w = test::must(w, ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = false});
  for (const char* t : {"2026-11-01T00:00:00Z", "2026-11-10T11:59:59.999999Z",
                        "2026-11-10T12:00:00Z", "2026-11-19T23:59:59Z", "2026-11-20T00:00:00Z"}) {
    INFO(t);
    const timestamp x = at(t);
    auto ps = ask(w, ops::payment_sources{.account = "2", .as_of = x});
    CHECK(ps.at("payer").as_string() == payment_sources_at(w, "2", x).payer);
    CHECK(ps.at("member_funds_usable").as_bool() ==
          payment_sources_at(w, "2", x).member_funds_usable);
    CHECK(ps.at("coupons").as_array().size() == payment_sources_at(w, "2", x).coupons.size());
    auto nr = ask(w, ops::notification_recipient{
                         .account = "2", .kind = notification_kind::expiry, .as_of = x});
    CHECK(nr.at("recipient").as_string() ==
          notification_recipient_at(w, "2", notification_kind::expiry, x));
    auto ds = ask(w, ops::discount_source{.account = "2", .as_of = x});
    const discount_origin d = discount_source_at(w, "2", x);
    CHECK(ds.at("source").as_string() == (d.inherited() ? "inherited" : "own"));
    CHECK((ds.at("from").is_null() ? std::string() : std::string(ds.at("from").as_string())) ==
          d.from);
  }
  CHECK(ask(w, ops::discount_source{.account = "2", .as_of = at("2026-11-15T00:00:00Z")}) ==
        boost::json::object{{"source", "inherited"}, {"from", "1"}});
  CHECK(ask(w, ops::discount_source{.account = "2"}) ==
        boost::json::object{{"source", "own"}, {"from", nullptr}});
  CHECK(ask(w, ops::payment_sources{.account = "2"}).at("payer").as_string() == "2");
  CHECK(ask(w, ops::payment_sources{.account = "99", .as_of = w.now()}) ==
        boost::json::object{{"codes", boost::json::array{"ref.unknown_account"}}});
}

TEST_CASE("as_of is an optional RFC 3339 time; a bad one is an input error naming it") {
  auto q = parse_query(boost::json::parse(R"({"op": "discount_source", "account": "2",
                                              "as_of": "2026-11-10T12:00:00Z"})"),
                       "/steps/3/query");
  REQUIRE(q.has_value());
  CHECK(std::get<ops::discount_source>(*q).as_of == at("2026-11-10T12:00:00Z"));
  auto none = parse_query(boost::json::parse(R"({"op": "payment_sources", "account": "2"})"),
                          "/steps/3/query");
  REQUIRE(none.has_value());
  CHECK_FALSE(std::get<ops::payment_sources>(*none).as_of.has_value());
  auto bad = parse_query(boost::json::parse(R"({"op": "payment_sources", "account": "2",
                                                "as_of": "2026-11-10T12:00:00+08:00"})"),
                         "/steps/3/query");
  REQUIRE(bad.has_error());
  CHECK(bad.error().pointer == "/steps/3/query/as_of");
}

TEST_CASE("replacing the management account re-points inherited discounts") {
  world w = billing_world();
  w = test::must(w, ops::set_verified{.account = "5", .verified = true});
  w = test::must(w, ops::invite_member{.org = "o1", .account = "5"});
  w = test::must(w, ops::accept_invitation{.org = "o1", .account = "5"});
  w = test::must(at_time(w, "2026-11-03T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = true});
  w = test::must(w, ops::set_discount_inheritance{.org = "o1", .account = "5", .enabled = true});
  w = test::must(w, ops::set_entity_status{.entity = "E1", .status = entity_status::deregistered});
  auto out =
      orggov::apply(at_time(w, "2026-11-08T00:00:00Z"),
                    ops::replace_management_account{.org = "o1", .account = "5", .approved = true});
  REQUIRE(out.result.allowed);
  bool repointed = false;
  for (const auto& e : out.result.effects)
    repointed = repointed || (e.kind == "discount_inheritance_repointed" &&
                              e.subjects == std::vector<std::string>{"2", "5", "1"});
  CHECK(repointed);
  w = out.after;
  CHECK(discount_source_at(w, "2", at("2026-11-07T00:00:00Z")).from == "1");
  CHECK(discount_source_at(w, "2", at("2026-11-08T00:00:00Z")).from == "5");
  // The new management account's own inheritance ended.
  CHECK(discount_source_at(w, "5", at("2026-11-07T00:00:00Z")).from == "1");
  CHECK_FALSE(discount_source_at(w, "5", at("2026-11-08T00:00:00Z")).inherited());
  CHECK(ask(w, ops::discount_source{.account = "2"}).at("from").as_string() == "5");
}

TEST_CASE("the discount history saves and loads with no loss, and is validated") {
  world w = billing_world();
  w = test::must(at_time(w, "2026-11-05T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = true});
  w = test::must(at_time(w, "2026-11-06T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = false});
  w = test::must(at_time(w, "2026-11-07T00:00:00Z"),
                 ops::set_discount_inheritance{.org = "o1", .account = "2", .enabled = true});
  const std::string saved = test::saved(w);
  CHECK(saved.find(R"("discount_history":[{"at":"2026-11-05T00:00:00Z","from":"1"},)"
                   R"({"at":"2026-11-06T00:00:00Z","from":null},)"
                   R"({"at":"2026-11-07T00:00:00Z","from":"1"}])") != std::string::npos);
  world back = test::world_from(saved);
  CHECK(test::saved(back) == saved);
  CHECK_FALSE(discount_source_at(back, "2", at("2026-11-06T12:00:00Z")).inherited());
  CHECK(discount_source_at(back, "2", at("2026-11-07T00:00:00Z")).from == "1");

  auto load_error = [](const std::string& text) {
    auto v = parse_json(text);
    REQUIRE(v.has_value());
    auto lw = load_world(*v, "/world");
    return lw ? std::string() : std::string(lw.error().what());
  };
  auto edit = [&](std::string_view from, std::string_view to) {
    std::string s = saved;
    const auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    s.replace(pos, from.size(), to);
    return load_error(s);
  };
  // The member's flag disagrees with its history.
  CHECK(edit(R"("discount_inherited":true)", R"("discount_inherited":false)") ==
        "/world/organizations/0/members: discount of `2` is inherited from `` but its discount "
        "history ends with `1`");
  // Out of order, after the clock, a malformed uin.
  CHECK(edit(R"({"at":"2026-11-06T00:00:00Z","from":null})",
             R"({"at":"2026-11-04T00:00:00Z","from":null})") ==
        "/world/accounts/1/discount_history/1/at: discount history must be in time order");
  CHECK(edit(R"({"at":"2026-11-07T00:00:00Z","from":"1"})",
             R"({"at":"2027-11-07T00:00:00Z","from":"1"})")
            .starts_with("/world/accounts/1/discount_history/2/at: discount change at "));
  CHECK(edit(R"({"at":"2026-11-07T00:00:00Z","from":"1"})",
             R"({"at":"2026-11-07T00:00:00Z","from":"1/x"})") ==
        "/world/accounts/1/discount_history/2/from: expected a uin");
  // An account in no org whose history ends inherited, or paid for.
  CHECK(edit(R"("discount_history":[])",
             R"("discount_history":[{"at":"2026-11-01T00:00:00Z","from":"1"}])") ==
        "/world/accounts/0/discount_history: account `1` is no org's member but its discount "
        "history ends with inheritance from `1`");
  CHECK(edit(R"("payment_history":[])",
             R"("payment_history":[{"at":"2026-11-01T00:00:00Z","payer":"2"}])") ==
        "/world/accounts/0/payment_history: account `1` is no org's member but its payment "
        "history ends with payer `2`");
}

TEST_CASE("a snapshot without discount histories: an inheriting member inherits since ever") {
  world w = test::world_from(R"({
    "now": "2026-11-01T00:00:00Z",
    "entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
    "accounts": [{"uin": "1", "entity": "E1"}, {"uin": "2", "entity": "E1"}, {"uin": "3", "entity": "E1"}],
    "organizations": [{"id": "o1", "management": "1", "members": [
      {"account": "2", "discount_inherited": true}, {"account": "3"}]}]})");
  CHECK(discount_source_at(w, "2", at("0000-01-01T00:00:00Z")).from == "1");
  CHECK(discount_source_at(w, "2", w.now()).from == "1");
  CHECK_FALSE(discount_source_at(w, "3", w.now()).inherited());
  const std::string saved = test::saved(w);
  CHECK(saved.find(R"("discount_history":[{"at":"0000-01-01T00:00:00Z","from":"1"}])") !=
        std::string::npos);
  CHECK(test::saved(test::world_from(saved)) == saved);
}

TEST_CASE("the batch bill_payer answers each request as bill_payer does, grouped by account") {
  const world w = paid_for_world();
  const std::vector<payer_request> requests = {
      {"2", at("2026-11-10T12:00:00Z")}, {"3", at("2026-11-15T00:00:00Z")},
      {"2", at("2026-11-10T12:00:01Z")}, {"99", at("2026-11-15T00:00:00Z")},
      {"1", at("2026-11-15T00:00:00Z")}, {"2", at("2026-11-20T00:00:00Z")},
      {"3", at("2026-11-16T00:00:00Z")}, {"2", at("2026-11-21T00:00:00Z")}};
  std::vector<std::string_view> payers(requests.size());
  bill_payers(w, requests, payers);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO(i);
    CHECK(payers[i] == bill_payer(w, requests[i].account, requests[i].period_end));
  }
  CHECK(payers == std::vector<std::string_view>{"2", "3", "1", "", "1", "1", "3", "2"});
  // Each index once; an account's requests consecutively, in index order.
  std::vector<std::size_t> seen;
  for_each_bill_payer(w, requests, [&](std::size_t i, std::string_view) { seen.push_back(i); });
  REQUIRE(seen.size() == requests.size());
  std::vector<std::size_t> sorted = seen;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) CHECK(sorted[i] == i);
  for (std::size_t k = 1; k < seen.size(); ++k) {
    const bool same = requests[seen[k]].account == requests[seen[k - 1]].account;
    if (same) CHECK(seen[k - 1] < seen[k]);
    for (std::size_t j = 0; j + 1 < k && !same; ++j)  // a new account was not seen before
      CHECK(requests[seen[j]].account != requests[seen[k]].account);
  }
  for_each_bill_payer(w, std::span<const payer_request>(),
                      [](std::size_t, std::string_view) { FAIL("no request, no call"); });
  std::vector<std::string_view> too_few(requests.size() - 1, "untouched");
  CHECK_THROWS_AS(bill_payers(w, requests, too_few), std::invalid_argument);
  CHECK(too_few.front() == "untouched");
}
