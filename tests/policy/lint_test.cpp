// Tests for orggov/policy/lint.hpp: one case per finding type.
#include "orggov/policy/lint.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace pol = orggov::policy;

namespace {

std::string findings(std::string_view statements, const pol::limits& lim = {}) {
  const std::string text = R"({"version":"2.0","statement":)" + std::string(statements) + "}";
  std::string out;
  for (const auto& f : pol::lint(text, lim))
    out += std::string(pol::to_string(f.kind)) + " " + f.pointer + ": " + f.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("a clean policy has no findings") {
  CHECK(findings(R"([{"effect":"allow","action":"*","resource":"*"},
    {"effect":"deny","action":["cvm:Terminate*"],"resource":"*","condition":{"ip_not_equal":{"qcs:ip":"10.0.0.0/8"}}}])") ==
        "");
}

TEST_CASE("severity names") {
  CHECK(pol::to_string(pol::severity::error) == "error");
  CHECK(pol::to_string(pol::severity::security_warning) == "security_warning");
  CHECK(pol::to_string(pol::severity::warning) == "warning");
  CHECK(pol::to_string(pol::severity::suggestion) == "suggestion");
}

TEST_CASE("lint findings, one per type") {
  struct row {
    const char* name;
    std::string input;
    std::string expected;
  };
  const std::vector<row> rows = {
      {"unknown operator",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"string_equals":{"k":"v"}}}])",
       "error /statement/0/condition/string_equals: unknown condition operator `string_equals`\n"},
      {"unknown modifier",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"for_each_value:string_equal":{"k":"v"}}}])",
       "error /statement/0/condition/for_each_value:string_equal: unknown modifier "
       "`for_each_value:` in `for_each_value:string_equal`: write `for_any_value:` or "
       "`for_all_value:`\n"},
      {"bad cidr",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"ip_equal":{"qcs:ip":["10.0.0.0/40"]}}}])",
       "error /statement/0/condition/ip_equal/qcs:ip/0: `10.0.0.0/40` is not an IPv4 or IPv6 "
       "address or CIDR\n"},
      {"bad date",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"date_less_than":{"qcs:current_time":"2026-02-30"}}}])",
       "error /statement/0/condition/date_less_than/qcs:current_time: `2026-02-30` is not a date: "
       "write RFC 3339 in UTC (`2026-01-31T00:00:00Z`) or `2026-01-31`\n"},
      {"bad number",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"numeric_equal":{"n":"12a"}}}])",
       "error /statement/0/condition/numeric_equal/n: `12a` is not a decimal number "
       "(`numeric_equal` compares numbers)\n"},
      {"_if_exist on null_equal",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"null_equal_if_exist":{"k":true}}}])",
       "error /statement/0/condition/null_equal_if_exist: `_if_exist` does not apply to "
       "`null_equal` (it tests absence itself): write `null_equal`\n"},
      {"for_all_value on a single-valued key",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"for_all_value:string_equal":{"vpc:region":"ap-guangzhou"}}}])",
       "warning /statement/0/condition/for_all_value:string_equal/vpc:region: `for_all_value:` "
       "on `vpc:region`, a single-valued key: it holds whenever `vpc:region` is absent; write "
       "`string_equal` without the prefix\n"},
      {"for_any_value on a single-valued key",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"for_any_value:string_equal":{"k":"v"}}}])",
       "suggestion /statement/0/condition/for_any_value:string_equal/k: `for_any_value:` on `k`, "
       "a single-valued key, changes nothing: write `string_equal` without the prefix\n"},
      {"duplicate keys", R"([{"effect":"deny","effect":"allow","action":"*","resource":"*"}])",
       "error /statement/0/effect: duplicate key `effect`\n"},
      {"resource that can never match",
       R"([{"effect":"deny","action":"*","resource":"qcs::cvm::uin/alice:*"}])",
       "error /statement/0/resource: resource `qcs::cvm::uin/alice:*` can never match: the "
       "account `uin/alice` must be digits after `uin/`\n"},
      {"resource of another service",
       R"([{"effect":"deny","action":"cvm:Run*","resource":"qcs::cdb:::instance/*"}])",
       "warning /statement/0/resource: resource `qcs::cdb:::instance/*` is of service `cdb`, "
       "which none of the statement's actions belongs to: the statement can never match it\n"},
      {"redundant statement",
       R"([{"effect":"allow","action":"cvm:*","resource":"*"},{"effect":"allow","action":["cvm:Run*","CVM:Describe"],"resource":"qcs::cvm:::*"}])",
       "suggestion /statement/1: statement is redundant: statement 0 already covers it\n"},
      {"identical statements",
       R"([{"effect":"deny","action":"cvm:A","resource":"*"},{"effect":"deny","action":"cvm:A","resource":"*"}])",
       "suggestion /statement/1: statement is redundant: statement 0 already covers it\n"},
      {"allow shadowed by a deny",
       R"([{"effect":"deny","action":"*:*","resource":"*"},{"effect":"allow","action":"cvm:A","resource":"*"}])",
       "warning /statement/1: this `allow` never takes effect: the `deny` of statement 0 covers "
       "it\n"},
      {"allow guarded by a negated operator",
       R"([{"effect":"allow","action":"*","resource":"*","condition":{"ip_not_equal":{"qcs:ip":"10.0.0.0/8"}}}])",
       "warning /statement/0/condition: an SCP `allow` with a condition denies everything it "
       "covers at this level whenever the condition fails: prefer an unconditional `allow` and a "
       "conditional `deny`\n"
       "security_warning /statement/0/condition/ip_not_equal/qcs:ip: `allow` guarded by the "
       "negated operator `ip_not_equal` grants when `qcs:ip` is absent from the request\n"},
      {"allow with _if_exist",
       R"([{"effect":"allow","action":"*","resource":"*","condition":{"string_equal_if_exist":{"k":"v"}}}])",
       "warning /statement/0/condition: an SCP `allow` with a condition denies everything it "
       "covers at this level whenever the condition fails: prefer an unconditional `allow` and a "
       "conditional `deny`\n"
       "security_warning /statement/0/condition/string_equal_if_exist/k: `allow` guarded by "
       "`string_equal_if_exist` grants when `k` is absent from the request\n"},
      {"SCP allow with a condition",
       R"([{"effect":"allow","action":"*","resource":"*","condition":{"string_equal":{"k":"v"}}}])",
       "warning /statement/0/condition: an SCP `allow` with a condition denies everything it "
       "covers at this level whenever the condition fails: prefer an unconditional `allow` and a "
       "conditional `deny`\n"},
      {"host bits",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"ip_not_equal":{"qcs:ip":"10.1.2.3/8"}}}])",
       "suggestion /statement/0/condition/ip_not_equal/qcs:ip: `10.1.2.3/8` has host bits set: "
       "it means `10.0.0.0/8`\n"},
      {"null_equal both ways",
       R"([{"effect":"deny","action":"*","resource":"*","condition":{"null_equal":{"k":[true,false]}}}])",
       "warning /statement/0/condition/null_equal/k: `null_equal` lists both `true` and `false` "
       "for `k`: it always holds\n"},
      {"empty condition", R"([{"effect":"deny","action":"*","resource":"*","condition":{}}])",
       "suggestion /statement/0/condition: empty `condition`: remove it\n"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    CHECK(findings(r.input) == r.expected);
  }
}

TEST_CASE("a document over the length limit is an error, and still linted") {
  pol::limits lim;
  lim.document_length = 40;
  const std::string out = findings(
      R"([{"effect":"allow","action":"*","resource":"*","condition":{"string_equal":{"k":"v"}}}])",
      lim);
  CHECK(out.starts_with("error : document is 117 characters long, over the limit of 40\n"));
  CHECK(out.find("warning /statement/0/condition:") != std::string::npos);
}

TEST_CASE("lint of text that is not JSON") {
  const auto f = pol::lint("{nope");
  REQUIRE(f.size() == 1);
  CHECK(f[0].kind == pol::severity::error);
  CHECK(f[0].pointer == "");
}
