// Tests for orggov/policy/compiled.hpp: input -> compact dump of the compiled form.
#include "orggov/policy/compiled.hpp"

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>

#include <string>
#include <vector>

namespace pol = orggov::policy;

namespace {

std::string dump_of(std::string_view statements) {
  const std::string text = R"({"version":"2.0","statement":)" + std::string(statements) + "}";
  auto r = pol::compile(boost::json::value(text));
  if (!r.policy) {
    std::string out = "problems:";
    for (const auto& p : r.problems) out += " " + p.pointer + " " + p.message + ";";
    return out;
  }
  return pol::dump(*r.policy);
}

}  // namespace

TEST_CASE("compiled form, table-driven") {
  struct row {
    const char* input;
    const char* dump;
  };
  const row rows[] = {
      {R"({"effect":"allow","action":"*","resource":"*"})", "0 allow act[*] res[*]\n"},
      {R"([{"effect":"deny","action":["cvm:TerminateInstances","CVM:Run*","*:Describe*","c?m:*","name/cdb:*","*:*"],"resource":"*"}])",
       "0 deny act[=cvm:=terminateinstances =cvm:run* *:describe* ~c?m:* =cdb:* *] res[*]\n"},
      {R"([{"effect":"allow","action":"cos:Get*","resource":["qcs::cos:ap-guangzhou:uin/100:bucket/*","qcs::::uid/12*:x/y?z","qcs::cvm:ap-*::*"]}])",
       "0 allow act[=cos:get*] res[=cos|=ap-guangzhou|=uin/100|bucket/* any|any|uid/12*|~x/y?z "
       "=cvm|ap-*|self|*]\n"},
      {R"([{"effect":"deny","action":"*","resource":"*","condition":{
          "ip_not_equal":{"qcs:ip":["10.1.2.3/8","2001:db8::/32","1.2.3.4"]},
          "string_equal_ignore_case_if_exist":{"k":"AbC"},
          "for_any_value:string_like":{"qcs:resource_tag":["env&*",5,true]},
          "numeric_less_than":{"n":["1.50",-2e3,"0.000"]},
          "date_greater_than_equal":{"qcs:current_time":["2026-01-31","2026-01-31T10:00:00.25Z"]},
          "bool_equal":{"mfa":["true",false]},
          "binary_equal":{"b":"aGVsbG8="},
          "null_equal":{"x":[true,"false"]}}}])",
       "0 deny act[*] res[*] if[ip_not_equal qcs:ip "
       "{10.0.0.0/8,2001:db8:0:0:0:0:0:0/32,1.2.3.4/32}] "
       "if[string_equal_ignore_case_if_exist k {abc}] if[for_any_value:string_like "
       "qcs:resource_tag {env&*,=5,=true}] if[numeric_less_than n {15e-1,-2e3,0}] "
       "if[date_greater_than_equal qcs:current_time {2026-01-31T00:00:00Z,2026-01-31T10:00:00."
       "250000Z}] if[bool_equal mfa {true,false}] if[binary_equal b {5B}] if[null_equal x "
       "{true,false}]\n"},
      {R"([{"effect":"allow","action":"a:b","resource":"*"},{"effect":"deny","action":"c:d","resource":"*","condition":{"string_equal":{"k1":"v","k2":["w","x"]}}}])",
       "0 allow act[=a:=b] res[*]\n1 deny act[=c:=d] res[*] if[string_equal k1 {v}] "
       "if[string_equal k2 {w,x}]\n"},
      {R"([{"effect":"allow","action":"a:b","resource":"qcs:x::::y"}])",
       "problems: /statement/0/resource resource `qcs:x::::y` has project_id `x`: the project_id "
       "segment must be empty;"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.input);
    CHECK(dump_of(r.input) == r.dump);
  }
}

TEST_CASE("full_access and compile results") {
  auto fa = pol::full_access();
  REQUIRE(fa);
  CHECK(fa == pol::full_access());  // one shared instance
  CHECK(pol::dump(*fa) == "0 allow act[*] res[*]\n");
  CHECK(pol::statement_count(*fa) == 1);
  auto too_long = pol::compile(boost::json::value(std::string(7000, ' ')));
  CHECK(too_long.too_long);
  CHECK_FALSE(too_long.policy);
  auto bad = pol::compile(boost::json::parse(R"({"version":"2.0"})"));
  CHECK_FALSE(bad.policy);
  CHECK(bad.problems.size() == 1);
  auto not_object = pol::compile(boost::json::value(42));
  CHECK_FALSE(not_object.policy);
  CHECK(not_object.problems.at(0).message ==
        "document must be a JSON object, or a string holding its JSON text");
  auto not_json = pol::compile(boost::json::value("{\"version\": "));
  CHECK_FALSE(not_json.policy);
  CHECK(not_json.problems.size() == 1);
}
