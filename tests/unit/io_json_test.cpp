#include "orggov/io/json.hpp"

#include <doctest/doctest.h>

#include "support.hpp"

using namespace orggov;

namespace {

std::string load_error(std::string_view text) {
  auto v = parse_json(text);
  if (!v) return v.error().what();
  auto w = load_world(*v, "/world");
  return w ? "" : w.error().what();
}

std::string op_error(std::string_view text) {
  auto v = parse_json(text);
  REQUIRE(v.has_value());
  auto op = parse_operation(*v, "/steps/4/do");
  return op ? "" : op.error().what();
}

}  // namespace

TEST_CASE("strict JSON: syntax, duplicate keys and nesting are errors naming a pointer") {
  CHECK(parse_json("{\"a\": 1,}").has_error());
  auto dup = parse_json(R"({"a": {"b": 1, "b": 2}})");
  REQUIRE(dup.has_error());
  CHECK(dup.error().pointer == "/a/b");
  CHECK(dup.error().message.find("duplicate") != std::string::npos);
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto d = parse_json(deep);
  REQUIRE(d.has_error());
  CHECK(d.error().message.find("nesting") != std::string::npos);
  json_options small;
  small.max_size = 4;
  CHECK(parse_json("[1, 2]", small).has_error());
  CHECK(pointer_join("/a", "b/c~d") == "/a/b~1c~0d");
}

TEST_CASE("malformed worlds are rejected with the pointer of the culprit") {
  CHECK(load_error(R"({"accounts": [{"uin": "1", "entity": "E9"}]})") ==
        "/world/accounts/0/entity: unknown entity `E9`");
  CHECK(load_error(R"({"entities": [{"id": "E1", "name": "x", "kind": "robot"}]})")
            .starts_with("/world/entities/0/kind: unknown value `robot`"));
  CHECK(load_error(
            R"({"entities": [{"id": "E1", "name": "x", "kind": "legal_person", "size": 3}]})") ==
        "/world/entities/0/size: unknown field `size`");
  CHECK(load_error(R"({"entities": [{"id": "E1", "kind": "legal_person"}]})") ==
        "/world/entities/0/name: missing field `name`");
  CHECK(load_error(R"({"now": "2026-11-01T00:00:00+08:00"})").starts_with("/world/now:"));
  CHECK(load_error(R"({"entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
                       "accounts": [{"uin": "1", "entity": "E1", "cash": -1}]})")
            .starts_with("/world/accounts/0/cash:"));
  CHECK(load_error(R"({"entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
                       "accounts": [{"uin": "1", "entity": "E1", "cash": 10.5}]})")
            .starts_with("/world/accounts/0/cash:"));
  CHECK(load_error(R"({"limits": {"members_per_org": "ten"}})")
            .starts_with("/world/limits/members_per_org:"));
  CHECK(load_error(R"({"organizations": [{"id": "o1", "management": "nobody"}]})") ==
        "/world/organizations/0/management: unknown account `nobody`");
}

TEST_CASE("snapshot state that would contradict itself is rejected") {
  constexpr std::string_view base =
      R"({"entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
    "accounts": [{"uin": "1", "entity": "E1"}, {"uin": "2", "entity": "E1"}],
    "organizations": [{"id": "o1", "management": "1", "members": [MEMBER]}]})";
  auto with = [&](std::string_view member) {
    std::string s(base);
    s.replace(s.find("MEMBER"), 6, member);
    return load_error(s);
  };
  CHECK(with(R"({"account": "2", "payer": "1"})") ==
        "/world/organizations/0/members: payer of `2` is `1` but its payment history ends with ``");
  CHECK(with(R"({"account": "2", "unit": "u9"})") ==
        "/world/organizations/0/members/0/unit: unknown unit `u9`");
  CHECK(with(R"({"account": "1"})") ==
        "/world/organizations/0/members/0/account: account `1` is already in organization o1");
  CHECK(with(R"({"account": "2"}, {"account": "2"})") ==
        "/world/organizations/0/members/1/account: account `2` is already in organization o1");
}

TEST_CASE("a world with organizations and sharing units saves and loads with no loss") {
  world w = test::world_from(test::small_world);
  w = test::must(w, ops::create_organization{.org = "o1", .account = "1"});
  w = test::must(w, ops::associate_entity{.org = "o1", .entity = "E2"});
  w = test::must(w, ops::create_unit{.org = "o1", .unit = "u1", .parent = "root", .name = "Dev"});
  w = test::must(w, ops::create_unit{.org = "o1", .unit = "u2", .parent = "u1", .name = "Web"});
  w = test::must(w, ops::invite_member{.org = "o1", .account = "2", .unit = "u2"});
  w = test::must(w, ops::accept_invitation{.org = "o1", .account = "2"});
  w = test::must(w, ops::invite_member{.org = "o1", .account = "3"});
  w = test::must(
      w, ops::set_payment_mode{
             .org = "o1", .account = "2", .mode = payment_mode::pay_on_behalf, .payer = "1"});
  w = test::must(w, ops::enable_policy_type{.org = "o1"});
  w = test::must(
      w,
      ops::create_policy{
          .org = "o1",
          .policy = "p1",
          .name = "Deny",
          .document = boost::json::parse(
              R"({"version":"2.0","statement":[{"effect":"deny","action":"cvm:*","resource":"*"}]})")});
  w = test::must(
      w, ops::attach_policy{.org = "o1", .policy = "p1", .target = {target_ref::kind::unit, "u1"}});
  w = test::must(w, ops::create_sharing_unit{
                        .sharing_unit = "s1", .owner = "1", .scope = sharing_scope::in_org});
  w = test::must(w, ops::add_sharee{.sharing_unit = "s1", .account = "2"});
  w = test::must(w, ops::create_login_permission{.org = "o1", .account = "2", .name = "dev"});
  w = test::must(
      w, ops::grant_login{
             .org = "o1", .account = "2", .permission = "dev", .sub_account = {"1", "ops"}});
  const std::string saved = test::saved(w);
  auto loaded = load_world(boost::json::parse(saved));
  REQUIRE(loaded.has_value());
  CHECK(test::saved(*loaded) == saved);
  // and the reloaded world decides the same
  auto q = parse_query(boost::json::parse(
      R"({"op": "authorize", "account": "2", "action": "cvm:RunInstances", "resource": "*"})"));
  REQUIRE(q.has_value());
  CHECK(ask(*loaded, *q) == ask(w, *q));
  CHECK(ask(*loaded, *q).at("reason") == "explicit_deny");
  CHECK(loaded->find_org("o1")->invitations.contains("3"));
  CHECK(loaded->find_account("3")->pending == std::vector<std::string>{"o1"});
  CHECK(loaded->same_group("E1", "E2"));
}

TEST_CASE("malformed operations are input errors naming the JSON pointer") {
  CHECK(op_error(R"({"op": "create_organisation", "org": "n1", "account": "1"})") ==
        "/steps/4/do/op: unknown op `create_organisation`");
  CHECK(op_error(R"({"op": "create_organization", "account": "1"})") ==
        "/steps/4/do/org: missing field `org`");
  CHECK(
      op_error(R"({"op": "create_organization", "org": "n1", "account": "1", "colour": "red"})") ==
      "/steps/4/do/colour: unknown field `colour` for `create_organization`");
  CHECK(op_error(R"({"op": "create_organization", "org": 7, "account": "1"})") ==
        "/steps/4/do/org: expected a string");
  CHECK(op_error(R"({"op": "add_entity", "entity": "E", "name": "n", "kind": "robot"})")
            .starts_with("/steps/4/do/kind: unknown value"));
  CHECK(op_error(R"({"op": "withdraw", "account": "1", "amount": 5000.5})") ==
        "/steps/4/do/amount: expected a whole number of cents");
  CHECK(
      op_error(
          R"({"op": "set_payment_mode", "org": "o", "account": "1", "mode": "self_pay", "payer": "2"})") ==
      "/steps/4/do/payer: `payer` is not allowed with self_pay");
  CHECK(
      op_error(R"({"op": "set_payment_mode", "org": "o", "account": "1", "mode": "pay_on_behalf"})")
          .starts_with("/steps/4/do/payer:"));
  CHECK(
      op_error(
          R"({"op": "grant_special_permission", "org": "o", "permission": "credit_limit", "account": "1"})")
          .starts_with("/steps/4/do/account:"));
  CHECK(
      op_error(R"({"op": "create_bill_group", "org": "o", "group": "g", "members": ["1", "1"]})") ==
      "/steps/4/do/members/1: duplicate member `1`");
  CHECK(op_error(R"({"op": "attach_policy", "org": "o", "policy": "p", "target": "ou:1"})")
            .starts_with("/steps/4/do/target:"));
  CHECK(
      op_error(
          R"({"op": "grant_login", "org": "o", "account": "1", "permission": "admin", "sub_account": "1ops"})")
          .starts_with("/steps/4/do/sub_account:"));
  CHECK(op_error(R"({"op": "members", "org": "o"})") ==
        "/steps/4/do/op: `members` is a query, not operation");
  CHECK(op_error(R"({"op": "create_organization", "org": "n1", "account": "1", "actor": ""})") ==
        "/steps/4/do/actor: expected a non-empty string");
  CHECK(op_error(
            R"({"op": "add_relation", "from": "a", "to": "b", "kind": "control", "actor": "1"})") ==
        "/steps/4/do/actor: unknown field `actor` for `add_relation`");
  CHECK(op_error(R"({"op": "create_organization", "org": "n1", "account": "1", "at": "yesterday"})")
            .starts_with("/steps/4/do/at:"));
}

TEST_CASE("a new uin cannot use the sub-account form") {
  CHECK(op_error(R"({"op": "add_account", "account": "1/x", "entity": "E1"})") ==
        "/steps/4/do/account: a uin cannot contain `/`: `1/x`");
  CHECK(op_error(R"({"op": "create_member", "org": "o", "entity": "E1", "account": "a/b"})")
            .starts_with("/steps/4/do/account:"));
}

TEST_CASE("amounts out of the 64-bit range reach the rules as invalid amounts") {
  auto v = parse_json(R"({"op": "withdraw", "account": "1", "amount": 1e30})");
  auto op = parse_operation(*v);
  REQUIRE(op.has_value());
  CHECK_FALSE(std::get<ops::withdraw>(*op).amount.value.has_value());
}

TEST_CASE("queries validate authorize requests") {
  auto bad = [](std::string_view text) {
    auto q = parse_query(boost::json::parse(text), "/q");
    return q ? std::string() : q.error().pointer;
  };
  CHECK(bad(R"({"op": "authorize", "account": "1", "action": "cvm:*", "resource": "*"})") ==
        "/q/action");
  CHECK(
      bad(R"({"op": "authorize", "account": "1", "action": "cvm:Run", "resource": "*", "context": {"k": null}})") ==
      "/q/context/k");
  CHECK(
      bad(R"({"op": "bill_payer", "account": "1", "period_start": "2026-11-02T00:00:00Z", "period_end": "2026-11-01T00:00:00Z"})") ==
      "/q/period_end");
  CHECK(
      bad(R"({"op": "authorize", "account": "1", "action": "cvm:Run", "resource": "*"})").empty());
}
