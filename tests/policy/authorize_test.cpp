// Tests for orggov/policy/authorize.hpp: context, validation, evaluate, explain.
#include "orggov/policy/authorize.hpp"

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>

#include <string>
#include <vector>

namespace pol = orggov::policy;

namespace {

std::shared_ptr<const pol::compiled_policy> compile_ok(std::string_view text) {
  auto r = pol::compile(boost::json::value(text));
  if (!r.policy) {
    for (const auto& p : r.problems) MESSAGE(p.pointer << ": " << p.message);
  }
  REQUIRE(r.policy);
  return r.policy;
}

// One statement with the given condition JSON, allow cvm:* on *.
std::shared_ptr<const pol::compiled_policy> cond_policy(std::string_view effect,
                                                        std::string_view condition) {
  return compile_ok(std::string(R"({"version":"2.0","statement":[{"effect":")") +
                    std::string(effect) + R"(","action":"cvm:*","resource":"*","condition":)" +
                    std::string(condition) + "}]}");
}

pol::context ctx_of(std::string_view json) {
  auto r = pol::parse_context(boost::json::parse(json).as_object());
  REQUIRE(std::holds_alternative<pol::context>(r));
  return std::get<pol::context>(r);
}

const orggov::timestamp kNow = *orggov::parse_time("2026-11-08T12:00:00Z");

// Does `condition` hold for `context` (an allow statement with it, alone on one level)?
bool holds(std::string_view condition, std::string_view context_json) {
  pol::path p({{"root", {{"p", cond_policy("allow", condition)}}}});
  const pol::context c = ctx_of(context_json);
  const auto a = pol::evaluate(p, {"100", "cvm:RunInstances", "*", &c, kNow});
  return a.allow;
}

pol::path simple_path(std::vector<std::string> docs_per_level) {
  std::vector<pol::level> levels;
  int i = 0;
  for (const auto& d : docs_per_level) {
    std::string target = "level", id = "p";
    target += std::to_string(i);
    id += std::to_string(i);
    levels.push_back({target, {{id, compile_ok(d)}}});
    ++i;
  }
  return pol::path(std::move(levels));
}

}  // namespace

TEST_CASE("to_string of reasons") {
  CHECK(pol::to_string(pol::reason::allowed) == "allowed");
  CHECK(pol::to_string(pol::reason::explicit_deny) == "explicit_deny");
  CHECK(pol::to_string(pol::reason::no_allow) == "no_allow");
  CHECK(pol::to_string(pol::reason::not_governed) == "not_governed");
  CHECK(pol::authorization{} == pol::authorization{false, pol::reason::no_allow});
}

TEST_CASE("the levels of an SCP walk (conformance p03)") {
  auto no_terminate = compile_ok(
      R"({"version":"2.0","statement":[{"effect":"deny","action":"cvm:Terminate*","resource":"*"}]})");
  auto cvm_cos = compile_ok(
      R"({"version":"2.0","statement":[{"effect":"allow","action":["cvm:*","cos:*"],"resource":"*"}]})");
  pol::path p(
      {{"account:300002", {{"FullQcloudAccess", pol::full_access()}}},
       {"unit:dev", {{"cvm-cos", cvm_cos}}},
       {"root", {{"FullQcloudAccess", pol::full_access()}, {"no-terminate", no_terminate}}}});
  auto run = [&](std::string_view action) {
    return pol::evaluate(p, {"300002", action, "*", nullptr, kNow});
  };
  CHECK(run("cvm:TerminateInstances") == pol::authorization{false, pol::reason::explicit_deny});
  CHECK(run("cvm:RunInstances") == pol::authorization{true, pol::reason::allowed});
  CHECK(run("cdb:CreateInstance") == pol::authorization{false, pol::reason::no_allow});
  const auto ex = pol::explain(p, {"300002", "cdb:CreateInstance", "*", nullptr, kNow});
  CHECK(ex.result == pol::authorization{false, pol::reason::no_allow});
  CHECK(ex.missing_allow_at == std::vector<std::string>{"unit:dev"});
  CHECK(ex.matched == std::vector<pol::matched_statement>{{"FullQcloudAccess", 0, "account:300002"},
                                                          {"FullQcloudAccess", 0, "root"}});
  // A level with no allow below a level with a deny gives no_allow.
  CHECK(run("cdb:TerminateX") == pol::authorization{false, pol::reason::no_allow});
  const auto ex2 = pol::explain(p, {"300002", "cvm:TerminateInstances", "*", nullptr, kNow});
  CHECK(ex2.result.why == pol::reason::explicit_deny);
  CHECK(ex2.matched.size() == 4);
  CHECK(ex2.missing_allow_at.empty());
}

TEST_CASE("fail closed") {
  pol::request rq{"1", "cvm:RunInstances", "*", nullptr, kNow};
  CHECK(pol::evaluate(pol::path{}, rq) == pol::authorization{});
  CHECK(pol::evaluate(pol::path(std::vector<pol::level>{{"root", {}}}), rq) ==
        pol::authorization{});
  pol::path broken({{"root", {{"x", nullptr}, {"FullQcloudAccess", pol::full_access()}}}});
  CHECK(pol::evaluate(broken, rq) == pol::authorization{});
  CHECK(pol::explain(broken, rq).result == pol::authorization{});
  pol::path full({{"root", {{"FullQcloudAccess", pol::full_access()}}}});
  CHECK(pol::evaluate(full, rq).allow);
  CHECK_FALSE(pol::evaluate(full, {"1", "RunInstances", "*", nullptr, kNow}).allow);
  CHECK_FALSE(pol::evaluate(full, {"1", "cvm:Run", "qcs:cvm", nullptr, kNow}).allow);
}

TEST_CASE("action matching") {
  auto p = simple_path({R"({"version":"2.0","statement":[{"effect":"allow","action":[
      "cvm:RunInstances","cdb:Describe*","*:Get?ser","c?s:PutObject","name/tag:AddTag","vpc:*"],"resource":"*"}]})"});
  auto allow = [&](std::string_view a) {
    return pol::evaluate(p, {"1", a, "*", nullptr, kNow}).allow;
  };
  CHECK(allow("cvm:RunInstances"));
  CHECK(allow("CVM:runinstances"));  // case-insensitive
  CHECK(allow("name/cvm:RunInstances"));
  CHECK_FALSE(allow("cvm:RunInstance"));
  CHECK_FALSE(allow("cvm:RunInstancesX"));
  CHECK(allow("cdb:Describe"));
  CHECK(allow("cdb:DescribeDBInstances"));
  CHECK_FALSE(allow("cdb:Describ"));
  CHECK(allow("cam:GetUser"));
  CHECK(allow("x:getuser"));
  CHECK_FALSE(allow("x:GetUsers"));
  CHECK(allow("cos:PutObject"));
  CHECK(allow("cls:PutObject"));
  CHECK_FALSE(allow("cloudaudit:PutObject"));
  CHECK(allow("tag:AddTag"));
  CHECK(allow("vpc:CreateVpc"));
  CHECK_FALSE(allow("vpcx:CreateVpc"));
  // wildcards act within the service and within the name separately
  auto q = simple_path(
      {R"({"version":"2.0","statement":[{"effect":"allow","action":"c*:*s","resource":"*"}]})"});
  CHECK_FALSE(pol::evaluate(q, {"1", "cvm:RunInstance", "*", nullptr, kNow}).allow);
  CHECK(pol::evaluate(q, {"1", "cvm:RunInstances", "*", nullptr, kNow}).allow);
}

TEST_CASE("resource matching") {
  auto p = simple_path({R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":[
      "qcs::cvm:ap-guangzhou:uin/100:instance/ins-*",
      "qcs::cos:::bucket/a/*",
      "qcs::cdb:ap-?????::instance/db1",
      "qcs::tag::uid/125*:*"]}]})"});
  auto allow = [&](std::string_view acct, std::string_view res) {
    return pol::evaluate(p, {acct, "svc:Act", res, nullptr, kNow}).allow;
  };
  CHECK(allow("100", "qcs::cvm:ap-guangzhou:uin/100:instance/ins-1"));
  CHECK(allow("100", "qcs::cvm:ap-guangzhou::instance/ins-1"));  // empty = the evaluated account
  CHECK_FALSE(allow("101", "qcs::cvm:ap-guangzhou::instance/ins-1"));
  CHECK_FALSE(allow("100", "qcs::cvm:ap-shanghai:uin/100:instance/ins-1"));
  CHECK_FALSE(allow("100", "qcs::cvm:ap-guangzhou:uin/100:Instance/ins-1"));  // case-sensitive
  CHECK(allow("7", "qcs::cos:ap-beijing:uin/7:bucket/a/b/c"));  // empty region/service match any
  CHECK(allow("7", "qcs::cos::uin/7:bucket/a/"));
  CHECK_FALSE(allow("8", "qcs::cos::uin/7:bucket/a/x"));  // empty policy account = self only
  CHECK(allow("8", "qcs::cdb:ap-seoul:uin/8:instance/db1"));
  CHECK_FALSE(allow("8", "qcs::cdb:ap-beijing:uin/8:instance/db1"));
  CHECK(allow("8", "qcs::tag:ap-x:uid/1250:x"));
  CHECK_FALSE(allow("8", "qcs::tag:ap-x:uin/1250:x"));
  CHECK_FALSE(allow("8", "*"));  // a request's * is matched only by a policy's *
  auto star =
      simple_path({R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"},
      {"effect":"deny","action":"*","resource":"qcs::::*:*"}]})"});
  CHECK(pol::evaluate(star, {"1", "a:b", "*", nullptr, kNow}).allow);
  CHECK(pol::evaluate(star, {"1", "a:b", "qcs::cvm:r:uin/1:x", nullptr, kNow}).why ==
        pol::reason::explicit_deny);
  // a policy account glob against a request's empty account (uin/<account>)
  auto glob_acct = simple_path(
      {R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"qcs::::uin/1*:x"}]})"});
  CHECK(pol::evaluate(glob_acct, {"123", "a:b", "qcs::c:r::x", nullptr, kNow}).allow);
  CHECK_FALSE(pol::evaluate(glob_acct, {"23", "a:b", "qcs::c:r::x", nullptr, kNow}).allow);
}

TEST_CASE("string operators") {
  CHECK(holds(R"({"string_equal":{"k":["a","b"]}})", R"({"k":"b"})"));
  CHECK_FALSE(holds(R"({"string_equal":{"k":["a","b"]}})", R"({"k":"B"})"));
  CHECK_FALSE(holds(R"({"string_equal":{"k":"a"}})", R"({})"));
  CHECK(holds(R"({"string_equal":{"k":"a"}})", R"({"k":["x","a"]})"));  // any value
  CHECK(holds(R"({"string_not_equal":{"k":["a","b"]}})", R"({"k":"c"})"));
  CHECK_FALSE(holds(R"({"string_not_equal":{"k":["a","b"]}})", R"({"k":"a"})"));
  CHECK(holds(R"({"string_not_equal":{"k":"a"}})", R"({})"));  // absent: negated is true
  CHECK(holds(R"({"string_equal_ignore_case":{"k":"AbC"}})", R"({"k":"aBc"})"));
  CHECK_FALSE(holds(R"({"string_not_equal_ignore_case":{"k":"AbC"}})", R"({"k":"abc"})"));
  CHECK(holds(R"({"string_like":{"k":"env&prod*"}})", R"({"k":"env&production"})"));
  CHECK_FALSE(holds(R"({"string_like":{"k":"env&prod?"}})", R"({"k":"env&production"})"));
  CHECK(holds(R"({"string_not_like":{"k":"a*"}})", R"({"k":"ba"})"));
  CHECK(holds(R"({"string_equal":{"k":"5"}})", R"({"k":5})"));
  CHECK(holds(R"({"string_equal":{"k":true}})", R"({"k":"true"})"));
  CHECK(holds(R"({"string_equal":{"k":"a","j":"b"}})", R"({"k":"a","j":"b"})"));
  CHECK_FALSE(holds(R"({"string_equal":{"k":"a","j":"b"}})", R"({"k":"a","j":"c"})"));
  CHECK_FALSE(holds(R"({"string_equal":{"k":"a"},"string_like":{"k":"b*"}})", R"({"k":"a"})"));
}

TEST_CASE("numeric operators use exact decimals") {
  CHECK(holds(R"({"numeric_equal":{"n":"1.50"}})", R"({"n":1.5})"));
  CHECK(holds(R"({"numeric_equal":{"n":1e3}})", R"({"n":"1000"})"));
  CHECK(holds(R"({"numeric_equal":{"n":"0.1"}})", R"({"n":"1e-1"})"));
  CHECK_FALSE(holds(R"({"numeric_equal":{"n":"100000000000000000001"}})",
                    R"({"n":"100000000000000000000"})"));
  CHECK(holds(R"({"numeric_less_than":{"n":"-2"}})", R"({"n":-3})"));
  CHECK_FALSE(holds(R"({"numeric_less_than":{"n":"-2"}})", R"({"n":-2})"));
  CHECK(holds(R"({"numeric_less_than_equal":{"n":"-2"}})", R"({"n":-2})"));
  CHECK(holds(R"({"numeric_greater_than":{"n":0}})", R"({"n":"0.000001"})"));
  CHECK(holds(R"({"numeric_greater_than_equal":{"n":"-0"}})", R"({"n":0})"));
  CHECK(holds(R"({"numeric_not_equal":{"n":[1,2]}})", R"({"n":3})"));
  CHECK_FALSE(holds(R"({"numeric_equal":{"n":1}})", R"({"n":"one"})"));
  CHECK(holds(R"({"numeric_not_equal":{"n":1}})", R"({"n":"one"})"));  // matches none
  CHECK(holds(R"({"numeric_not_equal":{"n":1}})", R"({})"));
}

TEST_CASE("date operators and qcs:current_time") {
  CHECK(holds(R"({"date_less_than":{"qcs:current_time":"2026-12-01"}})", R"({})"));
  CHECK_FALSE(holds(R"({"date_greater_than":{"qcs:current_time":"2026-12-01"}})", R"({})"));
  CHECK(holds(R"({"date_equal":{"qcs:current_time":"2026-11-08T12:00:00Z"}})", R"({})"));
  CHECK(holds(R"({"string_like":{"qcs:current_time":"2026-11-08T*"}})", R"({})"));
  CHECK(holds(R"({"date_greater_than":{"qcs:current_time":"2026-12-01"}})",
              R"({"qcs:current_time":"2027-01-01T00:00:00Z"})"));
  CHECK(holds(R"({"date_not_equal":{"t":"2026-01-01"}})", R"({"t":"2026-01-01T00:00:01Z"})"));
  CHECK(holds(R"({"date_equal":{"t":"2026-01-01"}})", R"({"t":"2026-01-01T00:00:00Z"})"));
  CHECK(holds(R"({"date_less_than_equal":{"t":"2026-01-01"}})", R"({"t":"2025-12-31"})"));
  CHECK(holds(R"({"date_greater_than_equal":{"t":"2026-01-01"}})", R"({"t":"2026-01-01"})"));
  CHECK_FALSE(holds(R"({"date_equal":{"t":"2026-01-01"}})", R"({"t":"garbage"})"));
}

TEST_CASE("bool, binary, ip and null operators") {
  CHECK(holds(R"({"bool_equal":{"mfa":true}})", R"({"mfa":true})"));
  CHECK(holds(R"({"bool_equal":{"mfa":"true"}})", R"({"mfa":"true"})"));
  CHECK_FALSE(holds(R"({"bool_equal":{"mfa":true}})", R"({"mfa":false})"));
  CHECK_FALSE(holds(R"({"bool_equal":{"mfa":true}})", R"({"mfa":"TRUE"})"));
  CHECK(holds(R"({"binary_equal":{"b":"aGVsbG8="}})", R"({"b":"aGVsbG8"})"));  // decoded bytes
  CHECK_FALSE(holds(R"({"binary_equal":{"b":"aGVsbG8="}})", R"({"b":"aGVsbA=="})"));
  CHECK(holds(R"({"ip_equal":{"qcs:ip":["10.0.0.0/8","2001:db8::/32"]}})",
              R"({"qcs:ip":"10.2.3.4"})"));
  CHECK(holds(R"({"ip_equal":{"qcs:ip":["10.0.0.0/8","2001:db8::/32"]}})",
              R"({"qcs:ip":"2001:DB8:0:1::5"})"));
  CHECK(holds(R"({"ip_equal":{"qcs:ip":"10.0.0.0/8"}})", R"({"qcs:ip":"::ffff:10.9.9.9"})"));
  CHECK_FALSE(holds(R"({"ip_equal":{"qcs:ip":"10.0.0.0/8"}})", R"({"qcs:ip":"11.0.0.1"})"));
  CHECK(holds(R"({"ip_equal":{"qcs:ip":"192.168.1.7"}})", R"({"qcs:ip":"192.168.1.7"})"));
  CHECK(holds(R"({"ip_equal":{"qcs:ip":"0.0.0.0/0"}})", R"({"qcs:ip":"1.1.1.1"})"));
  CHECK(holds(R"({"ip_not_equal":{"qcs:ip":"10.0.0.0/8"}})", R"({"qcs:ip":"11.0.0.1"})"));
  CHECK(holds(R"({"ip_not_equal":{"qcs:ip":"10.0.0.0/8"}})", R"({})"));  // unknown ip: fails closed
  CHECK(holds(R"({"ip_not_equal":{"qcs:ip":"10.0.0.0/8"}})", R"({"qcs:ip":"garbage"})"));
  CHECK(holds(R"({"null_equal":{"k":true}})", R"({})"));
  CHECK(holds(R"({"null_equal":{"k":true}})", R"({"k":[]})"));
  CHECK(holds(R"({"null_equal":{"k":true}})", R"({"k":""})"));
  CHECK_FALSE(holds(R"({"null_equal":{"k":true}})", R"({"k":"x"})"));
  CHECK(holds(R"({"null_equal":{"k":false}})", R"({"k":"x"})"));
  CHECK_FALSE(holds(R"({"null_equal":{"k":"false"}})", R"({})"));
}

TEST_CASE("_if_exist and set modifiers") {
  CHECK(holds(R"({"string_equal_if_exist":{"k":"a"}})", R"({})"));
  CHECK_FALSE(holds(R"({"string_equal_if_exist":{"k":"a"}})", R"({"k":"b"})"));
  CHECK(holds(R"({"string_not_equal_if_exist":{"k":"a"}})", R"({})"));
  const char* tags = R"({"qcs:resource_tag":["env&prod","team&a"]})";
  CHECK(holds(R"({"for_any_value:string_equal":{"qcs:resource_tag":"env&prod"}})", tags));
  CHECK_FALSE(holds(R"({"for_all_value:string_equal":{"qcs:resource_tag":"env&prod"}})", tags));
  CHECK(holds(R"({"for_all_value:string_like":{"qcs:resource_tag":["env&*","team&*"]}})", tags));
  CHECK(holds(R"({"for_all_value:string_equal":{"qcs:resource_tag":"x"}})", R"({})"));
  CHECK_FALSE(holds(R"({"for_any_value:string_equal":{"qcs:resource_tag":"x"}})", R"({})"));
  CHECK_FALSE(holds(R"({"for_any_value:string_not_equal":{"qcs:resource_tag":"x"}})", R"({})"));
  CHECK(holds(R"({"for_any_value:string_not_equal":{"qcs:resource_tag":"env&prod"}})", tags));
  CHECK_FALSE(holds(R"({"for_all_value:string_not_equal":{"qcs:resource_tag":"env&prod"}})", tags));
  CHECK(holds(R"({"string_not_equal":{"qcs:resource_tag":"env&prod"}})", tags));  // some value
  CHECK(holds(R"({"for_all_value:string_equal_if_exist":{"k":"x"}})", R"({"k":[]})"));
}

TEST_CASE("explain reports missing context") {
  auto deny = compile_ok(R"({"version":"2.0","statement":[
    {"effect":"allow","action":"*","resource":"*"},
    {"effect":"deny","action":"cvm:*","resource":"*","condition":{
      "ip_not_equal":{"qcs:ip":"10.0.0.0/8"},
      "string_equal_if_exist":{"a":"x"},
      "null_equal":{"b":true},
      "for_all_value:string_equal":{"c":"x"},
      "for_any_value:string_equal":{"d":"x"},
      "date_less_than":{"qcs:current_time":"2030-01-01"},
      "string_not_equal":{"e":"x"}}},
    {"effect":"deny","action":"cdb:*","resource":"*","condition":{"string_equal":{"f":"x"}}}]})");
  pol::path p({{"root", {{"guard", deny}}}});
  const pol::context c = ctx_of(R"({"e":"y","d":"x"})");
  const auto ex = pol::explain(p, {"1", "cvm:RunInstances", "*", &c, kNow});
  CHECK(ex.result == pol::authorization{false, pol::reason::explicit_deny});
  CHECK(ex.missing_context == std::vector<std::string>{"qcs:ip"});
  CHECK(ex.matched ==
        std::vector<pol::matched_statement>{{"guard", 0, "root"}, {"guard", 1, "root"}});
  CHECK(pol::evaluate(p, {"1", "cvm:RunInstances", "*", &c, kNow}).why ==
        pol::reason::explicit_deny);
  const pol::context c2 = ctx_of(R"({"qcs:ip":"10.1.1.1","d":"x"})");
  const auto ex2 = pol::explain(p, {"1", "cvm:RunInstances", "*", &c2, kNow});
  CHECK(ex2.result.allow);
  CHECK(ex2.missing_context == std::vector<std::string>{"e"});
}

TEST_CASE("parse_context") {
  auto bad = [](std::string_view json) {
    auto r = pol::parse_context(boost::json::parse(json).as_object());
    REQUIRE(std::holds_alternative<pol::input_problem>(r));
    return std::get<pol::input_problem>(r);
  };
  CHECK(bad(R"({"a":null})").pointer == "/a");
  CHECK(bad(R"({"a":null})").message ==
        "context value of `a` must be a string, number or bool, not null");
  CHECK(bad(R"({"qcs:ip":["1.1.1.1",{"x":1}]})").pointer == "/qcs:ip/1");
  CHECK(bad(R"({"a/b":[[1]]})").pointer == "/a~1b/0");
  CHECK(bad(R"({"a":{}})").message ==
        "context value of `a` must be a string, number or bool, not an object");
  const pol::context c = ctx_of(R"({"a":"x","b":[1,true],"c":[]})");
  CHECK(c.size() == 3);
  CHECK(c.contains("c"));
  CHECK_FALSE(c.contains("d"));
  pol::context built;
  built.add_string("k", "v").add_bool("m", true).add_key("z");
  CHECK(built.add_number("n", "1.5"));
  CHECK_FALSE(built.add_number("n", "x"));
  pol::context copy = built;
  copy.add_string("only_copy", "1");
  CHECK(copy.contains("only_copy"));
  CHECK_FALSE(built.contains("only_copy"));
}

TEST_CASE("request validation") {
  CHECK_FALSE(pol::validate_action("cvm:RunInstances"));
  CHECK_FALSE(pol::validate_action("name/cvm:RunInstances"));
  CHECK_FALSE(pol::validate_action("cloud-audit:Get_X"));
  CHECK(pol::validate_action("cvm:Run*") == "action `cvm:Run*` must not contain a wildcard");
  CHECK(pol::validate_action("*") == "action `*` must be `service:Name`");
  CHECK(pol::validate_action("cvm") == "action `cvm` must be `service:Name`");
  CHECK(pol::validate_action("cvm:") == "action `cvm:` must be `service:Name`");
  CHECK(pol::validate_action("cvm:Run-X") == "invalid action name `Run-X` in action `cvm:Run-X`");
  CHECK(pol::validate_action("c.m:Run") == "invalid service `c.m` in action `c.m:Run`");
  CHECK_FALSE(pol::validate_resource("*"));
  CHECK_FALSE(pol::validate_resource("qcs::cvm:ap-guangzhou:uin/1:instance/*"));
  CHECK_FALSE(pol::validate_resource("qcs::cvm:::x"));
  CHECK(pol::validate_resource("qcs:p:cvm:::x") ==
        "resource `qcs:p:cvm:::x` has project_id `p`: the project_id segment must be empty");
  CHECK(pol::validate_resource("cvm"));
  CHECK(pol::validate_resource(""));
}

TEST_CASE("wildcards in a request resource are literal") {
  auto p = simple_path(
      {R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"qcs::cvm:::instance/a?c"}]})"});
  CHECK(pol::evaluate(p, {"1", "a:b", "qcs::cvm:::instance/a?c", nullptr, kNow}).allow);
  CHECK(pol::evaluate(p, {"1", "a:b", "qcs::cvm:::instance/abc", nullptr, kNow}).allow);
  auto q = simple_path(
      {R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"qcs::cvm:::instance/abc"}]})"});
  CHECK_FALSE(pol::evaluate(q, {"1", "a:b", "qcs::cvm:::instance/a?c", nullptr, kNow}).allow);
}
