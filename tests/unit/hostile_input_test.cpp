// Hostile input (docs/reliability.md, "Limits"): every case is answered with
// an input error or a decision, and each test asserts which one. Time and
// memory bounds are shown by the fuzzers, not asserted here.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <boost/json.hpp>

#include "orggov/engine.hpp"
#include "orggov/io/json.hpp"
#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "orggov/scenario.hpp"
#include "support.hpp"

using namespace orggov;
namespace pol = orggov::policy;
namespace json = boost::json;

namespace {

bool one_line(const std::string& s) {
  return !s.empty() && s.find('\n') == std::string::npos;
}

std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

// A one-level path (the account) holding `doc` and FullQcloudAccess, so that
// every request is allowed unless a statement of `doc` denies it.
pol::path path_with(const std::string& doc) {
  auto compiled = pol::compile(json::value(doc));
  INFO(doc.substr(0, 200));
  REQUIRE(compiled.policy);
  auto full = pol::compile(json::parse(
      R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]})"));
  return pol::path({pol::level{"account:100", {{"p", compiled.policy}, {"full", full.policy}}}});
}

pol::authorization decide(const pol::path& p, std::string_view action, std::string_view resource,
                          const pol::context* ctx = nullptr) {
  REQUIRE_FALSE(pol::validate_action(action));
  REQUIRE_FALSE(pol::validate_resource(resource));
  const pol::request rq{"100", action, resource, ctx, *parse_time("2026-11-01T00:00:00Z")};
  const pol::authorization a = pol::evaluate(p, rq);
  REQUIRE(pol::explain(p, rq).result == a);  // both evaluators, same answer
  return a;
}

}  // namespace

TEST_CASE("a 100 MB document is refused by its size, before parsing") {
  const std::string big = R"({"entities": [], "name": ")" + std::string(100u << 20, 'a') + "\"}";
  auto v = parse_json(big);
  REQUIRE_FALSE(v.has_value());
  CHECK(v.error().pointer == "");
  CHECK(v.error().message == fmt::format("input is {} bytes, over the limit of {}", big.size(),
                                         json_options{}.max_size));

  // The same through the scenario runner, which refuses the file by its size.
  const auto file = std::filesystem::temp_directory_path() / "orggov_hostile_100mb.json";
  {
    std::ofstream out(file, std::ios::binary);
    out << big;
  }
  const scenario_report rep = run_scenario_file(file.string());
  std::filesystem::remove(file);
  REQUIRE(rep.invalid.has_value());
  CHECK(rep.invalid->message.starts_with(fmt::format("input is {} bytes", big.size())));
}

TEST_CASE("nesting 10,000 deep is an input error naming where the limit was passed") {
  const std::size_t limit = json_options{}.max_depth;
  SUBCASE("arrays") {
    auto v = parse_json(std::string(10'000, '[') + std::string(10'000, ']'));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().message == fmt::format("JSON nesting is deeper than {} levels", limit));
    CHECK(v.error().pointer == repeat("/0", limit));
  }
  SUBCASE("objects") {
    auto v = parse_json(repeat(R"({"a":)", 10'000) + "1" + std::string(10'000, '}'));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().message == fmt::format("JSON nesting is deeper than {} levels", limit));
    CHECK(v.error().pointer == repeat("/a", limit));
  }
  SUBCASE("a policy document") {
    // Within the length limit, 3,000 deep: a policy.invalid grammar problem.
    auto r = pol::compile(json::value(std::string(3'000, '[') + std::string(3'000, ']')));
    CHECK_FALSE(r.policy);
    CHECK_FALSE(r.too_long);
    REQUIRE_FALSE(r.problems.empty());
    CHECK(r.problems[0].message == "JSON nesting is deeper than 16 levels");
  }
  SUBCASE("a policy given as a JSON value 2,000 deep inside a world") {
    json::value deep = json::array{};
    for (int i = 0; i < 2'000; ++i) deep = json::array{std::move(deep)};
    json::object w = json::parse(test::small_world).as_object();
    w["organizations"] = json::array{json::object{
        {"id", "o1"},
        {"management", "1"},
        {"scp_enabled", true},
        {"policies", json::array{json::object{{"id", "p1"}, {"name", "p"}, {"document", deep}}}}}};
    auto loaded = load_world(w);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().pointer.starts_with("/organizations/0/policies/0/document"));
    CHECK(one_line(loaded.error().message));
  }
}

TEST_CASE("a glob like *a*a*…*b against a long string is decided") {
  // 1,000 `*a` then `*b`, in a deny statement; subjects of up to 2,000 `a`.
  const std::string stars = repeat("*a", 1'000) + "*b";
  const std::string long_a = std::string(2'000, 'a');
  SUBCASE("in a resource") {
    const pol::path p = path_with(
        R"({"version":"2.0","statement":[{"effect":"deny","action":"*","resource":"qcs::cvm:::instance/)" +
        stars + R"("}]})");
    const std::string prefix = "qcs::cvm:::instance/";
    CHECK(decide(p, "cvm:RunInstances", prefix + long_a).allow);  // no `b`: the deny misses
    CHECK(decide(p, "cvm:RunInstances", prefix + std::string(999, 'a') + "b").allow);
    CHECK_FALSE(decide(p, "cvm:RunInstances", prefix + std::string(1'000, 'a') + "b").allow);
    CHECK_FALSE(decide(p, "cvm:RunInstances", prefix + long_a + "bb").allow);
  }
  SUBCASE("in an action") {
    const pol::path p =
        path_with(R"({"version":"2.0","statement":[{"effect":"deny","action":"cvm:)" + stars +
                  R"(","resource":"*"}]})");
    CHECK(decide(p, "cvm:" + long_a, "*").allow);
    CHECK_FALSE(decide(p, "cvm:" + long_a + "b", "*").allow);
  }
  SUBCASE("a long literal run between stars") {
    // The matcher's costly shape: |subject| × (literal run + 1) steps.
    const pol::path p =
        path_with(R"({"version":"2.0","statement":[{"effect":"deny","action":"cvm:*)" +
                  std::string(1'500, 'a') + R"(b*","resource":"*"}]})");
    CHECK(decide(p, "cvm:" + long_a, "*").allow);
    CHECK_FALSE(decide(p, "cvm:x" + std::string(1'500, 'a') + "bx", "*").allow);
    CHECK(decide(p, "cvm:x" + std::string(1'499, 'a') + "bx", "*").allow);
  }
  SUBCASE("in a string_like condition against many long context values") {
    const pol::path p = path_with(
        R"({"version":"2.0","statement":[{"effect":"deny","action":"*","resource":"*","condition":{"for_any_value:string_like":{"k":")" +
        stars + R"("}}}]})");
    json::array values;
    for (int i = 0; i < 200; ++i) values.emplace_back(long_a);
    auto ctx = pol::parse_context(json::object{{"k", values}});
    REQUIRE(std::holds_alternative<pol::context>(ctx));
    CHECK(decide(p, "cvm:RunInstances", "*", &std::get<pol::context>(ctx)).allow);
    values.emplace_back(long_a + "b");
    ctx = pol::parse_context(json::object{{"k", values}});
    REQUIRE(std::holds_alternative<pol::context>(ctx));
    CHECK_FALSE(decide(p, "cvm:RunInstances", "*", &std::get<pol::context>(ctx)).allow);
  }
}

TEST_CASE("request strings and contexts over the limits are input errors") {
  const pol::request_limits lim;
  CHECK(pol::validate_action("cvm:" + std::string(lim.max_string, 'a')) ==
        fmt::format("action is longer than {} bytes", lim.max_string));
  CHECK(pol::validate_resource("qcs::cvm:::instance/" + std::string(lim.max_string, 'a')) ==
        fmt::format("resource is longer than {} bytes", lim.max_string));
  CHECK_FALSE(pol::validate_action("cvm:" + std::string(lim.max_string - 4, 'a')));

  auto problem = [](const json::object& ctx) {
    auto r = pol::parse_context(ctx);
    REQUIRE(std::holds_alternative<pol::input_problem>(r));
    return std::get<pol::input_problem>(r);
  };
  json::object many_keys;
  for (std::size_t i = 0; i <= lim.max_context_keys; ++i) many_keys[fmt::format("k{}", i)] = 1;
  CHECK(problem(many_keys).message == fmt::format("context has {} keys; at most {} are allowed",
                                                  lim.max_context_keys + 1, lim.max_context_keys));
  json::array million;
  million.resize(1'000'000, json::value(1));
  auto p = problem(json::object{{"k", million}});
  CHECK(p.pointer == fmt::format("/k/{}", lim.max_context_values));
  p = problem(json::object{{"k", std::string(lim.max_string + 1, 'x')}});
  CHECK(p.pointer == "/k");
  CHECK(p.message == fmt::format("context value of `k` is longer than {} bytes", lim.max_string));

  // Through the query parser: the error names the field.
  auto q = parse_query(json::object{{"op", "authorize"},
                                    {"account", "1"},
                                    {"action", "cvm:RunInstances"},
                                    {"resource", "qcs::cvm:::x/" + std::string(5'000, 'y')}});
  REQUIRE_FALSE(q.has_value());
  CHECK(q.error().pointer == "/resource");
  CHECK(q.error().message == fmt::format("resource is longer than {} bytes", lim.max_string));
}

TEST_CASE("a million statements: policy.too_long, without parsing them") {
  const std::string doc = R"({"version":"2.0","statement":[)" +
                          repeat(R"({"effect":"allow","action":"*","resource":"*"},)", 1'000'000) +
                          R"({"effect":"deny","action":"*","resource":"*"}]})";
  auto r = pol::compile(json::value(doc));
  CHECK(r.too_long);
  CHECK_FALSE(r.policy);
  CHECK(r.problems.empty());

  // The operation is refused with the code and changes nothing.
  world w = test::world_from(test::small_world);
  w = test::must(w, ops::create_organization{.org = "o1", .account = "1"});
  w = test::must(w, ops::enable_policy_type{.org = "o1"});
  const std::string before = test::saved(w);
  auto out = orggov::apply(
      w,
      ops::create_policy{.org = "o1", .policy = "p1", .name = "p", .document = json::value(doc)});
  CHECK_FALSE(out.result.allowed);
  CHECK(test::codes_of(out.result) == std::set<std::string>{"policy.too_long"});
  CHECK(test::saved(out.after) == before);
}

TEST_CASE("invalid UTF-8 is an input error; NUL characters in names are data") {
  SUBCASE("invalid UTF-8 and raw control bytes are not JSON") {
    for (std::string text :
         {std::string("{\"name\":\"a\xff\"}"), std::string("{\"name\":\"\xc3\x28\"}"),
          std::string("{\"name\":\"\xed\xa0\x80\"}"), std::string("{\"name\":\"a\0b\"}", 13)}) {
      auto v = parse_json(text);
      REQUIRE_FALSE(v.has_value());
      CHECK(one_line(v.error().message));
    }
    auto r = pol::compile(json::value(
        std::string(R"({"version":"2.0","statement":[{"effect":"allow","action":"cvm:a)") + "\xff" +
        R"(","resource":"*"}]})"));
    CHECK_FALSE(r.policy);
    CHECK_FALSE(r.problems.empty());
  }
  SUBCASE("escaped NUL in an entity name and a uin: loaded, decided, saved losslessly") {
    auto w0 = parse_json(R"({
      "now": "2026-11-01T00:00:00Z",
      "entities": [{"id": "E\u00001", "name": "Hold\u0000ing", "kind": "legal_person"}],
      "accounts": [{"uin": "1\u00002", "entity": "E\u00001", "verified": true},
                   {"uin": "3", "entity": "E\u00001", "verified": true}]
    })");
    REQUIRE(w0.has_value());
    auto w = load_world(*w0);
    REQUIRE(w.has_value());
    const std::string uin("1\0002", 3);
    REQUIRE(w->find_account(uin));
    CHECK(w->find_entity(std::string("E\0001", 3))->name == std::string("Hold\0ing", 8));
    auto out = orggov::apply(*w, ops::create_organization{.org = "o1", .account = uin});
    REQUIRE(out.result.allowed);
    out = orggov::apply(out.after, ops::invite_member{.org = "o1", .account = "3"});
    REQUIRE(out.result.allowed);
    const std::string saved = test::saved(out.after);
    CHECK(saved.find(R"("1\u00002")") != std::string::npos);
    auto again = load_world(json::parse(saved));
    REQUIRE(again.has_value());
    CHECK(test::saved(*again) == saved);
  }
}
