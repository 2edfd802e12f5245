// Tests for orggov/policy/document.hpp: the grammar, problem by problem.
#include "orggov/policy/document.hpp"

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <vector>

namespace pol = orggov::policy;

namespace {

std::string problems_of(std::string_view text, const pol::limits& lim = {}) {
  const auto r = pol::parse_text(text, lim);
  std::string out;
  if (r.too_long) out += "too_long;";
  for (const auto& p : r.problems) out += p.pointer + ": " + p.message + ";";
  return out;
}

std::string stmt(std::string_view body) {
  return R"({"version":"2.0","statement":[{)" + std::string(body) + "}]}";
}

}  // namespace

TEST_CASE("valid documents have no problems") {
  const char* good[] = {
      R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]})",
      R"({"version":"2.0","statement":{"effect":"deny","action":["cvm:*"],"resource":["*"]}})",
      R"({"version":"2.0","statement":[{"effect":"deny","action":["name/cvm:RunInstances","*:Describe*","c?m:Get*"],
          "resource":["qcs::cvm:ap-guangzhou:uin/100001:instance/*","qcs::::uid/1250000000:*","qcs::cos:::bucket/a/b:c"],
          "condition":{"ip_not_equal":{"qcs:ip":["10.0.0.0/8","2001:db8::/32","192.168.1.1"]},
                       "string_equal_if_exist":{"vpc:region":"ap-guangzhou"},
                       "for_any_value:string_like":{"qcs:resource_tag":["env&prod*"]},
                       "for_all_value:string_not_equal_ignore_case":{"qcs:request_tag":"a&b"},
                       "numeric_less_than_equal":{"n":[5, "6.5", -1e3]},
                       "date_greater_than":{"qcs:current_time":["2026-01-01T00:00:00Z","2026-01-01"]},
                       "bool_equal":{"mfa":[true,"false"]},
                       "binary_equal":{"blob":"aGVsbG8="},
                       "null_equal":{"x":true}}}]})",
  };
  for (const char* g : good) {
    CAPTURE(g);
    CHECK(problems_of(g) == "");
  }
}

TEST_CASE("every problem of a bad document, with pointers") {
  struct row {
    std::string input;
    std::string expected;
  };
  const std::vector<row> rows = {
      {"[1]", ": document must be a JSON object;"},
      {"{", ": document is not valid JSON: incomplete JSON at offset 1;"},
      {R"({"version":"2.0"} x)", ": document is not valid JSON: unexpected text at offset 18;"},
      {R"({"statement":[{"effect":"allow","action":"*","resource":"*"}]})",
       R"(: missing `version`: add `"version": "2.0"`;)"},
      {R"({"version":"1.0","statement":[{"effect":"allow","action":"*","resource":"*"}]})",
       "/version: unsupported version `1.0`: write `2.0`;"},
      {R"({"version":2,"statement":[{"effect":"allow","action":"*","resource":"*"}]})",
       "/version: `version` must be the string `2.0`;"},
      {R"({"version":"2.0"})", ": missing `statement`: add an array of statements;"},
      {R"({"version":"2.0","statement":[]})", "/statement: `statement` must not be empty;"},
      {R"({"version":"2.0","statement":"x"})",
       "/statement: `statement` must be an array of statements (or one statement object);"},
      {R"({"version":"2.0","statement":[3]})", "/statement/0: a statement must be a JSON object;"},
      {R"({"version":"2.0","Statement":[{"effect":"allow","action":"*","resource":"*"}]})",
       "/Statement: unknown element `Statement`: write `statement` (element names are lower case);"
       ": missing `statement`: add an array of statements;"},
      {R"({"Version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]})",
       "/Version: unknown element `Version`: write `version` (element names are lower case);"
       R"(: missing `version`: add `"version": "2.0"`;)"},
      {R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}],"id":"x"})",
       "/id: unknown element `id`;"},
      {stmt(R"("Effect":"allow","action":"*","resource":"*")"),
       "/statement/0/Effect: unknown element `Effect`: write `effect` (element names are lower "
       R"(case);/statement/0: missing `effect`: add `"effect": "allow"` or `"deny"`;)"},
      {stmt(R"("effect":"Allow","action":"*","resource":"*")"),
       "/statement/0/effect: `effect` must be `allow` or `deny`, not `Allow`;"},
      {stmt(R"("effect":true,"action":"*","resource":"*")"),
       "/statement/0/effect: `effect` must be the string `allow` or `deny`;"},
      {stmt(R"("effect":"allow","principal":{"qcs":["*"]},"action":"*","resource":"*")"),
       "/statement/0/principal: `principal` is not allowed in an SCP: an SCP applies to every "
       "identity of the accounts it is attached to, so remove it;"},
      {stmt(R"("Sid":"a","effect":"allow","action":"*","resource":"*")"),
       "/statement/0/Sid: `Sid` is not part of this grammar: remove it (statements are numbered "
       "from 0);"},
      {stmt(R"("effect":"deny","not_action":"cvm:*","resource":"*")"),
       "/statement/0/not_action: `not_action` is not supported: list the actions in `action` (a "
       "`deny` statement excludes them);/statement/0: missing `action`;"},
      {stmt(R"("effect":"deny","action":"*","NotResource":"*")"),
       "/statement/0/NotResource: `NotResource` is not supported: list the resources in "
       R"(`resource`;/statement/0: missing `resource`: write `"resource": "*"` for any;)"},
      {stmt(R"("effect":"deny","action":"*","resource":"*","condition":[])"),
       "/statement/0/condition: `condition` must be an object, not an array: write `{}` or leave "
       "it out;"},
      {stmt(R"("effect":"deny","action":[],"resource":[1])"),
       "/statement/0/action: `action` must not be empty;/statement/0/resource/0: each `resource` "
       "must be a string;"},
      {stmt(R"("effect":"deny","action":5,"resource":"*")"),
       "/statement/0/action: `action` must be a string or an array of strings;"},
      {stmt(
           R"("effect":"deny","action":["cvm","cvm:","c vm:Run","cvm:Run-It","name/x"],"resource":"*")"),
       "/statement/0/action/0: invalid action `cvm`: write `service:Name` or `*`;"
       "/statement/0/action/1: invalid action name `` in action `cvm:`: use letters, digits, `_` "
       "and the wildcards `*` `?`;"
       "/statement/0/action/2: invalid service `c vm` in action `c vm:Run`: use letters, digits, "
       "`_`, `-` and the wildcards `*` `?`;"
       "/statement/0/action/3: invalid action name `Run-It` in action `cvm:Run-It`: use letters, "
       "digits, `_` and the wildcards `*` `?`;"
       "/statement/0/action/4: invalid action `name/x`: write `service:Name` or `*`;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":["qcs:cvm","abc::cvm:::x","qcs:p1:cvm:::x","qcs::cvm::bad:x","qcs::cvm:::","qcs::cvm:::a b"])"),
       "/statement/0/resource/0: invalid resource `qcs:cvm`: write `*` or "
       "`qcs::service_type:region:account:resource`;"
       "/statement/0/resource/1: resource `abc::cvm:::x` must start with `qcs:`;"
       "/statement/0/resource/2: resource `qcs:p1:cvm:::x` has project_id `p1`: the project_id "
       "segment must be empty;"
       "/statement/0/resource/3: invalid account `bad` in resource `qcs::cvm::bad:x`: write "
       "`uin/<uin>`, `uid/<appid>` or leave it empty;"
       "/statement/0/resource/4: resource `qcs::cvm:::` has an empty resource segment: write `*` "
       "for any;"
       "/statement/0/resource/5: resource `qcs::cvm:::a b` contains a space or control character;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"ip_equal":{"qcs:ip":"not-an-ip"}})"),
       "/statement/0/condition/ip_equal/qcs:ip: `not-an-ip` is not an IPv4 or IPv6 address or "
       "CIDR;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"ip_equal":{"qcs:ip":["10.0.0.0/8","10.0.0.0/33","1.2.3.04"]}})"),
       "/statement/0/condition/ip_equal/qcs:ip/1: `10.0.0.0/33` is not an IPv4 or IPv6 address or "
       "CIDR;/statement/0/condition/ip_equal/qcs:ip/2: `1.2.3.04` is not an IPv4 or IPv6 address "
       "or CIDR;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"numeric_equal":{"n":["1.2.3",true]}})"),
       "/statement/0/condition/numeric_equal/n/0: `1.2.3` is not a decimal number (`numeric_equal` "
       "compares numbers);/statement/0/condition/numeric_equal/n/1: `true` is not a decimal number "
       "(`numeric_equal` compares numbers);"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"date_less_than":{"qcs:current_time":["2026-13-01",5]}})"),
       "/statement/0/condition/date_less_than/qcs:current_time/0: `2026-13-01` is not a date: "
       "write RFC 3339 in UTC (`2026-01-31T00:00:00Z`) or `2026-01-31`;"
       "/statement/0/condition/date_less_than/qcs:current_time/1: `5` is not a date: write RFC "
       "3339 in UTC (`2026-01-31T00:00:00Z`) or `2026-01-31`;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"bool_equal":{"mfa":"yes"},"binary_equal":{"b":"a"}})"),
       "/statement/0/condition/bool_equal/mfa: `bool_equal` takes `true` or `false`, not `yes`;"
       "/statement/0/condition/binary_equal/b: `a` is not base64;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"null_equal_if_exist":{"k":true},"for_any_value:null_equal":{"k":true}})"),
       "/statement/0/condition/null_equal_if_exist: `_if_exist` does not apply to `null_equal` (it "
       "tests absence itself): write `null_equal`;"
       "/statement/0/condition/for_any_value:null_equal: `for_any_value:` does not apply to "
       "`null_equal`: write `null_equal`;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"string_equals":{"k":"v"},"StringEquals":{"k":"v"},"ForAnyValue:StringLike":{"k":"v"},"String_Equal":{"k":"v"},"for_some_value:string_equal":{"k":"v"},"string_equal_if_exists":{"k":"v"}})"),
       "/statement/0/condition/string_equals: unknown condition operator `string_equals`;"
       "/statement/0/condition/StringEquals: unknown condition operator `StringEquals`: write "
       "`string_equal`;"
       "/statement/0/condition/ForAnyValue:StringLike: unknown condition operator "
       "`ForAnyValue:StringLike`: write `for_any_value:string_like`;"
       "/statement/0/condition/String_Equal: unknown condition operator `String_Equal`: operators "
       "are lower case (`string_equal`);"
       "/statement/0/condition/for_some_value:string_equal: unknown modifier `for_some_value:` in "
       "`for_some_value:string_equal`: write `for_any_value:` or `for_all_value:`;"
       "/statement/0/condition/string_equal_if_exists: unknown condition operator "
       "`string_equal_if_exists`: the suffix is `_if_exist`;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"string_equal":{},"ip_equal":"x","string_like":{"k":[],"j":[null,{"a":1}],"":"v"}})"),
       "/statement/0/condition/string_equal: `string_equal` has no condition keys;"
       "/statement/0/condition/ip_equal: `ip_equal` must map condition keys to values;"
       "/statement/0/condition/string_like/k: `k` must list at least one value;"
       "/statement/0/condition/string_like/j/0: a condition value must be a string, number or "
       "bool;/statement/0/condition/string_like/j/1: a condition value must be a string, number "
       "or bool;/statement/0/condition/string_like/: a condition key must not be empty;"},
      {R"({"version":"2.0","version":"2.0","statement":[{"effect":"allow","effect":"deny","action":"*","resource":"*"}]})",
       "/version: duplicate key `version`;/statement/0/effect: duplicate key `effect`;"},
      {stmt(
           R"("effect":"deny","action":"*","resource":"*","condition":{"string_equal":{"a/b~c":["x",{"y":{"z":[[[[[[[[[[1]]]]]]]]]]}}]}})"),
       "/statement/0/condition/string_equal/a~1b~0c/1/y/z/0/0/0/0/0/0/0/0: JSON nesting is deeper "
       "than 16 levels;/statement/0/condition/string_equal/a~1b~0c/1: a condition value must be a "
       "string, number or bool;"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.input);
    CHECK(problems_of(r.input) == r.expected);
  }
}

TEST_CASE("the same problems from an object as from its text") {
  const std::string text = stmt(
      R"("effect":"allow","Action":"*","resource":"qcs:1::::x","condition":{"ip_equal":{"qcs:ip":"1.2.3"}})");
  const auto a = pol::parse_text(text);
  const auto b = pol::parse(boost::json::parse(text));
  const auto c = pol::parse(boost::json::value(text));
  REQUIRE(a.problems.size() == 4);
  CHECK(a.problems == b.problems);
  CHECK(a.problems == c.problems);
}

TEST_CASE("nesting limit for an object document") {
  auto v = boost::json::parse(stmt(
      R"("effect":"deny","action":"*","resource":"*","condition":{"string_equal":{"k":[{"a":[[[[[[[[[[[[1]]]]]]]]]]]]}]}})"));
  const auto r = pol::parse(v);
  REQUIRE(!r.problems.empty());
  CHECK(r.problems[0].message == "JSON nesting is deeper than 16 levels");
  CHECK(r.problems[0].pointer == "/statement/0/condition/string_equal/k/0/a/0/0/0/0/0/0/0/0/0");
  pol::limits lim;
  lim.max_depth = 64;
  CHECK(pol::parse(v, lim).problems.size() == 1);  // only the bad value remains
}

TEST_CASE("length limit counts code points") {
  const std::string base = stmt(R"("effect":"allow","action":"*","resource":"*")");
  pol::limits lim;
  lim.document_length = base.size();
  CHECK_FALSE(pol::parse_text(base, lim).too_long);
  lim.document_length = base.size() - 1;
  CHECK(pol::parse_text(base, lim).too_long);
  // Non-ASCII text counts one per code point, not per byte.
  const std::string wide = stmt(
      R"("effect":"allow","action":"*","resource":"*","condition":{"string_equal":{"k":"日本語"}})");
  CHECK(pol::count_code_points(wide) == wide.size() - 6);
  lim.document_length = wide.size() - 6;
  CHECK_FALSE(pol::parse_text(wide, lim).too_long);
  // An object is measured by its compact serialisation.
  auto spaced = boost::json::parse(
      "{ \"version\" : \"2.0\" ,\n \"statement\" : [ { \"effect\" : "
      "\"allow\", \"action\" : \"*\", \"resource\" : \"*\" } ] }");
  lim.document_length = base.size();
  CHECK_FALSE(pol::parse(spaced, lim).too_long);
  CHECK(pol::parse(boost::json::value(boost::json::serialize(spaced) + "   "), {base.size(), 16})
            .too_long);
}

TEST_CASE("every node knows its pointer") {
  const auto r = pol::parse_text(
      R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"},{"effect":"deny","action":["cvm:A","cvm:B"],"resource":"*","condition":{"string_equal":{"k":["a","b"],"j":"c"}}}]})");
  REQUIRE(r.problems.empty());
  const auto& s = r.doc.statements.at(1);
  CHECK(s.pointer == "/statement/1");
  CHECK(s.actions.at(1).pointer == "/statement/1/action/1");
  CHECK(s.resources.at(0).pointer == "/statement/1/resource");
  CHECK(s.conditions.at(0).pointer == "/statement/1/condition/string_equal");
  CHECK(s.conditions.at(0).keys.at(0).values.at(1).pointer ==
        "/statement/1/condition/string_equal/k/1");
  CHECK(s.conditions.at(0).keys.at(1).values.at(0).pointer ==
        "/statement/1/condition/string_equal/j");
}

TEST_CASE("operator names") {
  std::string why;
  auto op = pol::parse_operator("for_all_value:string_not_like_if_exist", &why);
  REQUIRE(op);
  CHECK(op->fam == pol::family::string);
  CHECK(op->cmp == pol::comparison::like);
  CHECK(op->negated);
  CHECK(op->if_exist);
  CHECK(op->set == pol::set_modifier::for_all_value);
  CHECK(pol::to_string(*op) == "for_all_value:string_not_like_if_exist");
  for (const char* name : {"string_equal",
                           "string_not_equal",
                           "string_equal_ignore_case",
                           "string_not_equal_ignore_case",
                           "string_like",
                           "string_not_like",
                           "numeric_equal",
                           "numeric_not_equal",
                           "numeric_less_than",
                           "numeric_less_than_equal",
                           "numeric_greater_than",
                           "numeric_greater_than_equal",
                           "date_equal",
                           "date_not_equal",
                           "date_less_than",
                           "date_less_than_equal",
                           "date_greater_than",
                           "date_greater_than_equal",
                           "bool_equal",
                           "binary_equal",
                           "ip_equal",
                           "ip_not_equal",
                           "null_equal"}) {
    CAPTURE(name);
    auto o = pol::parse_operator(name);
    REQUIRE(o);
    CHECK(pol::to_string(*o) == name);
    CHECK(o->negated == (std::string_view(name).find("_not_") != std::string_view::npos));
  }
  CHECK_FALSE(pol::parse_operator("ip_like"));
}
