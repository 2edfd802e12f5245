// The compiled evaluator against the reference evaluator on generated
// policies and requests (wildcards in every position, every operator family,
// absent, empty and multi-valued keys, several levels). ORGGOV_DIFF_REQUESTS
// sets the number of requests (default 100,000); ORGGOV_DIFF_SEED the seed.
// A disagreement is shrunk to a minimal example before it is reported.
#include "orggov/policy/authorize.hpp"
#include "reference/reference.hpp"

#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace pol = orggov::policy;
namespace ref = orggov::policy::reference;
namespace json = boost::json;

namespace {

// ------------------------------------------------------------------ pools

const std::vector<std::string> kPolicyActions = {"*",
                                                 "cvm:*",
                                                 "cvm:RunInstances",
                                                 "cvm:Run*",
                                                 "*:Describe*",
                                                 "c?m:Get*",
                                                 "name/cdb:DeleteInstance",
                                                 "cdb:Delete*",
                                                 "CVM:runinstances",
                                                 "*:*",
                                                 "cos:Put?bject",
                                                 "c*:*Instances",
                                                 "cvm:*Instances",
                                                 "cvm:Terminate*",
                                                 "c*m:R*n*s",
                                                 "cdb:?*",
                                                 "name/cos:*",
                                                 "*m:*",
                                                 "cos:GetObject",
                                                 "cvm:DescribeInstances"};
const std::vector<std::string> kRequestActions = {"cvm:RunInstances",
                                                  "cvm:runinstances",
                                                  "cvm:TerminateInstances",
                                                  "cvm:DescribeInstances",
                                                  "cdb:DeleteInstance",
                                                  "cdb:DescribeDBInstances",
                                                  "cos:PutObject",
                                                  "cos:GetObject",
                                                  "cam:GetUser",
                                                  "name/cvm:RunInstances",
                                                  "ccm:Run",
                                                  "cdb:X",
                                                  "cvm:GetX",
                                                  "cos:Pu_Object"};
const std::vector<std::string> kPolicyResources = {
    "*",
    "qcs::cvm:ap-guangzhou::instance/*",
    "qcs::cvm:::instance/ins-1",
    "qcs::::uin/100*:*",
    "qcs::cos:ap-*:uin/100001:bucket/a/*",
    "qcs::cvm:ap-??????::*",
    "qcs::cdb::uid/1250:instance/*",
    "qcs::*:*:*:*",
    "qcs::c?m:ap-guangzhou:uin/100002:instance/ins-?",
    "qcs:::::*/*",
    "qcs::cvm:::*",
    "qcs::cos::uin/1000*2:bucket/*/x"};
const std::vector<std::string> kRequestResources = {
    "*",
    "qcs::cvm:ap-guangzhou::instance/ins-1",
    "qcs::cvm:ap-guangzhou:uin/100001:instance/ins-1",
    "qcs::cvm:ap-beijing:uin/100002:instance/ins-2",
    "qcs::cos:ap-shanghai:uin/100001:bucket/a/b",
    "qcs::cos:ap-shanghai::bucket/q/x",
    "qcs::cdb:ap-guangzhou:uid/1250:instance/db",
    "qcs::cvm:ap-guangzhou:uin/100002:instance/ins-?",
    "qcs::cvm:::instance/ins-1",
    "qcs::cam::uin/100003:user/x"};
const std::vector<std::string> kAccounts = {"100001", "100002"};

struct op_family {
  std::vector<std::string> bases;
  std::vector<json::value> listed;   // values a policy may list
  std::vector<json::value> context;  // values a request may carry
};

std::vector<op_family> families() {
  auto vals = [](std::initializer_list<json::value> l) { return std::vector<json::value>(l); };
  return {
      {{"string_equal", "string_not_equal", "string_equal_ignore_case",
        "string_not_equal_ignore_case", "string_like", "string_not_like"},
       vals({"a", "b", "A", "ab", "a*", "?b", "*", "env&prod", "env&*", "", 5, true}),
       vals({"a", "b", "ab", "AB", "env&prod", "env&dev", "", "5", 5, true, "true"})},
      {{"numeric_equal", "numeric_not_equal", "numeric_less_than", "numeric_less_than_equal",
        "numeric_greater_than", "numeric_greater_than_equal"},
       vals({1, "1.0", -2, "2.5", 100.0, "1e2", "0", "-0.5", 0.25}),
       vals({1, "1", "1.00", -2, "2.50", "abc", 100, 0, true, "-0", "0.5e-0", 0.25})},
      {{"date_equal", "date_not_equal", "date_less_than", "date_less_than_equal",
        "date_greater_than", "date_greater_than_equal"},
       vals({"2026-01-01", "2026-11-08T12:00:00Z", "2027-01-01T00:00:00.5Z", "2026-11-08"}),
       vals({"2026-01-01T00:00:00Z", "2026-11-08t12:00:00z", "garbage", "2027-01-01T00:00:00.500Z",
             "2026-11-08", 5, "2026-02-30"})},
      {{"bool_equal"},
       vals({true, false, "true", "false"}),
       vals({true, false, "true", "TRUE", 1, "false"})},
      {{"binary_equal"},
       vals({"aGVsbG8=", "aGVsbG8", "YQ==", "YWI="}),
       vals({"aGVsbG8=", "aGVsbG8", "YQ", "YWI=", "!!", 5})},
      {{"ip_equal", "ip_not_equal"},
       vals({"10.0.0.0/8", "10.1.2.3", "2001:db8::/32", "::ffff:10.0.0.0/104", "0.0.0.0/0",
             "192.168.1.0/24", "::/0"}),
       vals({"10.1.2.3", "11.1.1.1", "2001:db8::1", "::ffff:10.1.1.1", "192.168.1.77", "garbage",
             "::1", "2001:DB8:0:0:0:0:0:9"})},
      {{"null_equal"}, vals({true, false, "true", "false"}), vals({"", "x", 3})},
  };
}

const std::vector<std::string> kKeys = {"k1", "k2", "qcs:ip", "qcs:current_time",
                                        "qcs:resource_tag"};

// ------------------------------------------------------------------ generation

struct generator {
  std::mt19937_64 rng;
  std::vector<op_family> fams = families();

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

  json::value one_or_many(const std::vector<std::string>& pool, std::size_t max) {
    const std::size_t n = 1 + below(max);
    if (n == 1 && chance(0.5)) return json::value(pick(pool));
    json::array a;
    for (std::size_t i = 0; i < n; ++i) a.push_back(json::value(pick(pool)));
    return a;
  }

  json::object condition() {
    json::object c;
    const std::size_t ops = below(3);
    for (std::size_t i = 0; i < ops; ++i) {
      const op_family& f = pick(fams);
      std::string name = pick(f.bases);
      if (name != "null_equal") {
        if (chance(0.2))
          name = "for_any_value:" + name;
        else if (chance(0.2))
          name = "for_all_value:" + name;
        if (chance(0.2)) name += "_if_exist";
      }
      json::object keys;
      const std::size_t nk = 1 + below(2);
      for (std::size_t k = 0; k < nk; ++k) {
        const std::size_t nv = 1 + below(3);
        if (nv == 1 && chance(0.5)) {
          keys[pick(kKeys)] = pick(f.listed);
        } else {
          json::array a;
          for (std::size_t v = 0; v < nv; ++v) a.push_back(pick(f.listed));
          keys[pick(kKeys)] = a;
        }
      }
      c[name] = keys;
    }
    return c;
  }

  json::object statement(std::string_view effect) {
    json::object s;
    s["effect"] = effect;
    s["action"] = one_or_many(kPolicyActions, 3);
    s["resource"] = chance(0.4) ? json::value("*") : one_or_many(kPolicyResources, 2);
    if (chance(0.5)) s["condition"] = condition();
    return s;
  }

  json::value policy_doc() {
    json::array statements;
    const std::size_t n = 1 + below(4);
    for (std::size_t i = 0; i < n; ++i)
      statements.push_back(statement(chance(0.35) ? "deny" : "allow"));
    json::object doc;
    doc["version"] = "2.0";
    if (n == 1 && chance(0.3))
      doc["statement"] = statements[0];
    else
      doc["statement"] = statements;
    return doc;
  }

  std::vector<ref::level> levels() {
    std::vector<ref::level> out;
    const std::size_t n = 1 + below(4);
    for (std::size_t l = 0; l < n; ++l) {
      ref::level lv;
      lv.target = l == 0 ? "account:x" : (l + 1 == n ? "root" : "unit:u" + std::to_string(l));
      const std::size_t np = 1 + below(3);
      for (std::size_t p = 0; p < np; ++p) {
        if (chance(0.25)) {
          json::object full;
          full["version"] = "2.0";
          full["statement"] =
              json::array{json::object{{"effect", "allow"}, {"action", "*"}, {"resource", "*"}}};
          lv.policies.push_back({"FullQcloudAccess", full});
        } else {
          lv.policies.push_back({"p" + std::to_string(l) + "_" + std::to_string(p), policy_doc()});
        }
      }
      out.push_back(std::move(lv));
    }
    return out;
  }

  json::object context() {
    json::object c;
    for (const auto& key : kKeys) {
      const double r = std::uniform_real_distribution<double>(0, 1)(rng);
      if (r < 0.35) continue;  // absent
      const op_family& f = pick(fams);
      if (r < 0.42) {
        c[key] = json::array{};  // present, no values
      } else if (r < 0.75) {
        c[key] = pick(f.context);
      } else {
        json::array a;
        const std::size_t nv = 1 + below(3);
        for (std::size_t v = 0; v < nv; ++v) a.push_back(pick(pick(fams).context));
        c[key] = a;
      }
    }
    return c;
  }

  ref::request request() {
    ref::request rq;
    rq.account = pick(kAccounts);
    rq.action = pick(kRequestActions);
    rq.resource = pick(kRequestResources);
    rq.context = context();
    rq.now = chance(0.5) ? "2026-11-08T12:00:00Z" : "2026-01-01T00:00:00Z";
    return rq;
  }
};

// ------------------------------------------------------------------ comparison

struct compiled_case {
  pol::path path;
  pol::context ctx;
};

compiled_case build(const std::vector<ref::level>& levels, const ref::request& rq) {
  std::vector<pol::level> lv;
  for (const auto& l : levels) {
    pol::level x{l.target, {}};
    for (const auto& p : l.policies) {
      auto r = pol::compile(p.doc);
      if (!r.policy) {
        std::string msg = "generated policy does not compile: " + json::serialize(p.doc);
        for (const auto& pr : r.problems) msg += "\n  " + pr.pointer + ": " + pr.message;
        FAIL(msg);
      }
      x.policies.emplace_back(p.id, r.policy);
    }
    lv.push_back(std::move(x));
  }
  auto c = pol::parse_context(rq.context);
  REQUIRE(std::holds_alternative<pol::context>(c));
  return {pol::path(std::move(lv)), std::get<pol::context>(c)};
}

// Empty when they agree, else a description of the difference.
std::string disagreement(const std::vector<ref::level>& levels, const ref::request& rq) {
  const compiled_case cc = build(levels, rq);
  const pol::request req{rq.account, rq.action, rq.resource, &cc.ctx, *orggov::parse_time(rq.now)};
  const pol::authorization a = pol::evaluate(cc.path, req);
  const pol::explanation ex = pol::explain(cc.path, req);
  const ref::result r = ref::decide(levels, rq);
  std::ostringstream out;
  if (a.allow != r.allow || pol::to_string(a.why) != r.reason)
    out << "evaluate: " << (a.allow ? "allow" : "deny") << "/" << pol::to_string(a.why)
        << ", reference: " << (r.allow ? "allow" : "deny") << "/" << r.reason << "\n";
  if (!(ex.result == a)) out << "explain's decision differs from evaluate's\n";
  std::vector<ref::matched> got;
  for (const auto& m : ex.matched) got.push_back({m.policy, m.statement, m.target});
  if (got != r.matched_statements) out << "matched statements differ\n";
  if (ex.missing_allow_at != r.missing_allow_at) out << "missing_allow_at differs\n";
  if (ex.missing_context != r.missing_context) {
    out << "missing_context differs: got [";
    for (const auto& k : ex.missing_context) out << k << " ";
    out << "], reference [";
    for (const auto& k : r.missing_context) out << k << " ";
    out << "]\n";
  }
  return out.str();
}

// Greedy shrinking: drop levels, policies, statements, conditions and
// context keys while the disagreement persists.
void shrink(std::vector<ref::level>& levels, ref::request& rq) {
  bool progress = true;
  auto still = [&] { return !disagreement(levels, rq).empty(); };
  while (progress) {
    progress = false;
    for (std::size_t i = 0; i < levels.size() && levels.size() > 1; ++i) {
      auto saved = levels;
      levels.erase(levels.begin() + static_cast<long>(i));
      if (still())
        progress = true;
      else
        levels = saved;
    }
    for (auto& l : levels)
      for (std::size_t i = 0; i < l.policies.size() && l.policies.size() > 1; ++i) {
        auto saved = l.policies;
        l.policies.erase(l.policies.begin() + static_cast<long>(i));
        if (still())
          progress = true;
        else
          l.policies = saved;
      }
    for (auto& l : levels)
      for (auto& p : l.policies) {
        auto& st = p.doc.as_object()["statement"];
        if (!st.is_array()) continue;
        for (std::size_t i = 0; i < st.as_array().size() && st.as_array().size() > 1; ++i) {
          auto saved = st;
          st.as_array().erase(st.as_array().begin() + static_cast<long>(i));
          if (still())
            progress = true;
          else
            st = saved;
        }
        for (auto& s : st.as_array()) {
          auto& so = s.as_object();
          if (!so.contains("condition")) continue;
          auto& c = so["condition"].as_object();
          std::vector<std::string> names;
          for (const auto& kv : c) names.emplace_back(kv.key());
          for (const auto& n : names) {
            auto saved = so["condition"];
            so["condition"].as_object().erase(n);
            if (still())
              progress = true;
            else
              so["condition"] = saved;
          }
        }
      }
    std::vector<std::string> keys;
    for (const auto& kv : rq.context) keys.emplace_back(kv.key());
    for (const auto& k : keys) {
      auto saved = rq.context;
      rq.context.erase(k);
      if (still())
        progress = true;
      else
        rq.context = saved;
    }
  }
}

std::string describe(const std::vector<ref::level>& levels, const ref::request& rq) {
  std::ostringstream out;
  for (const auto& l : levels) {
    out << "level " << l.target << "\n";
    for (const auto& p : l.policies) out << "  " << p.id << " " << json::serialize(p.doc) << "\n";
  }
  out << "request account=" << rq.account << " action=" << rq.action << " resource=" << rq.resource
      << " now=" << rq.now << " context=" << json::serialize(rq.context) << "\n";
  return out.str();
}

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
}

}  // namespace

TEST_CASE("reference glob") {
  CHECK(ref::glob("a*b?c", "axxbyc", false));
  CHECK_FALSE(ref::glob("a*b?c", "axxbc", false));
  CHECK(ref::glob("A*", "abc", true));
  CHECK(ref::glob("*", "", false));
}

TEST_CASE("compiled evaluator agrees with the reference on generated requests") {
  const std::size_t requests = env_size("ORGGOV_DIFF_REQUESTS", 100'000);
  const std::size_t seed = env_size("ORGGOV_DIFF_SEED", 20261108);
  generator gen{std::mt19937_64(seed)};
  std::size_t done = 0, allowed = 0, explicit_denies = 0, no_allows = 0;
  constexpr std::size_t per_path = 50;
  while (done < requests) {
    const auto levels = gen.levels();
    std::vector<ref::request> batch;
    for (std::size_t i = 0; i < per_path && done < requests; ++i, ++done)
      batch.push_back(gen.request());
    // Compile once per path; per request only the context changes.
    std::vector<pol::level> lv;
    for (const auto& l : levels) {
      pol::level x{l.target, {}};
      for (const auto& p : l.policies) x.policies.emplace_back(p.id, pol::compile(p.doc).policy);
      lv.push_back(std::move(x));
    }
    const pol::path path(std::move(lv));
    for (auto& rq : batch) {
      auto c = std::get<pol::context>(pol::parse_context(rq.context));
      const pol::request req{rq.account, rq.action, rq.resource, &c, *orggov::parse_time(rq.now)};
      const pol::authorization a = pol::evaluate(path, req);
      const pol::explanation ex = pol::explain(path, req);
      const ref::result r = ref::decide(levels, rq);
      std::vector<ref::matched> got;
      for (const auto& m : ex.matched) got.push_back({m.policy, m.statement, m.target});
      const bool agree = a.allow == r.allow && pol::to_string(a.why) == r.reason &&
                         ex.result == a && got == r.matched_statements &&
                         ex.missing_allow_at == r.missing_allow_at &&
                         ex.missing_context == r.missing_context;
      if (!agree) {
        auto small_levels = levels;
        auto small_rq = rq;
        shrink(small_levels, small_rq);
        FAIL_CHECK("disagreement after " << done << " requests (seed " << seed << "):\n"
                                         << disagreement(small_levels, small_rq)
                                         << "minimal example:\n"
                                         << describe(small_levels, small_rq));
        return;
      }
      allowed += a.why == pol::reason::allowed;
      explicit_denies += a.why == pol::reason::explicit_deny;
      no_allows += a.why == pol::reason::no_allow;
    }
  }
  MESSAGE("requests " << done << ": allowed " << allowed << ", explicit_deny " << explicit_denies
                      << ", no_allow " << no_allows);
  CHECK(done == requests);
  if (requests >= 1000) {
    CHECK(allowed > 0);
    CHECK(explicit_denies > 0);
    CHECK(no_allows > 0);
  }
}

namespace {

// A policy document's statements as a list (a single statement object counts
// as a list of one), and back.
json::array statements_of(const json::value& doc) {
  const json::value& st = doc.as_object().at("statement");
  return st.is_array() ? st.as_array() : json::array{st};
}

bool is_allow(const json::value& statement) {
  return statement.as_object().at("effect").as_string() == "allow";
}

}  // namespace

TEST_CASE("policy monotonicity: more denies or fewer allows never turn a deny into an allow") {
  // Each generated path and request is decided three times: as generated,
  // with one deny statement added somewhere, and with one allow statement
  // removed from one level. Every decision is also checked against the
  // reference evaluator, so the properties hold for both.
  const std::size_t cases = env_size("ORGGOV_MONOTONIC_CASES", 4'000);
  const std::size_t seed = env_size("ORGGOV_DIFF_SEED", 20261126);
  generator gen{std::mt19937_64(seed)};
  std::size_t denies = 0, only_allow_removed = 0, allow_turned_deny = 0;
  for (std::size_t c = 0; c < cases; ++c) {
    const auto levels = gen.levels();
    const ref::request rq = gen.request();
    const ref::result before = ref::decide(levels, rq);
    REQUIRE_MESSAGE(disagreement(levels, rq).empty(), describe(levels, rq));
    denies += !before.allow;

    // 1. Add a deny statement to one policy of one level, or a new policy
    //    holding only that statement.
    auto more = levels;
    auto& lv = more[gen.below(more.size())];
    json::object deny = gen.statement("deny");
    if (gen.chance(0.5)) {
      lv.policies.push_back(
          {"added_deny", json::object{{"version", "2.0"}, {"statement", json::array{deny}}}});
    } else {
      auto& p = lv.policies[gen.below(lv.policies.size())];
      json::array st = statements_of(p.doc);
      st.insert(st.begin() + static_cast<std::ptrdiff_t>(gen.below(st.size() + 1)), deny);
      p.id += "+deny";  // a changed document is another policy
      p.doc.as_object()["statement"] = std::move(st);
    }
    const ref::result with_deny = ref::decide(more, rq);
    CHECK_MESSAGE(disagreement(more, rq).empty(), describe(more, rq));
    if (!before.allow)
      CHECK_MESSAGE(!with_deny.allow, "a deny statement turned deny into allow:\n"
                                          << describe(levels, rq) << "after:\n"
                                          << describe(more, rq));

    // 2. Remove one allow statement of one level (a policy left without
    //    statements is detached).
    auto fewer = levels;
    auto& fl = fewer[gen.below(fewer.size())];
    std::vector<std::pair<std::size_t, std::size_t>> allows;  // (policy, statement)
    for (std::size_t p = 0; p < fl.policies.size(); ++p) {
      const json::array st = statements_of(fl.policies[p].doc);
      for (std::size_t s = 0; s < st.size(); ++s)
        if (is_allow(st[s])) allows.emplace_back(p, s);
    }
    if (allows.empty()) continue;
    const auto [pi, si] = allows[gen.below(allows.size())];
    json::array st = statements_of(fl.policies[pi].doc);
    st.erase(st.begin() + static_cast<std::ptrdiff_t>(si));
    if (st.empty()) {
      fl.policies.erase(fl.policies.begin() + static_cast<std::ptrdiff_t>(pi));
    } else {
      fl.policies[pi].id += "-allow";
      fl.policies[pi].doc.as_object()["statement"] = std::move(st);
    }
    const ref::result without = ref::decide(fewer, rq);
    CHECK_MESSAGE(disagreement(fewer, rq).empty(), describe(fewer, rq));
    if (!before.allow)
      CHECK_MESSAGE(!without.allow, "removing an allow turned deny into allow:\n"
                                        << describe(levels, rq) << "after:\n"
                                        << describe(fewer, rq));
    if (allows.size() == 1) {  // the level's only allow: nothing there allows any more
      ++only_allow_removed;
      CHECK_MESSAGE(!without.allow, "a level without allow statements allowed:\n"
                                        << describe(fewer, rq));
    }
    allow_turned_deny += before.allow && !without.allow;
  }
  MESSAGE("cases " << cases << ": denied before " << denies << ", only allow removed "
                   << only_allow_removed << ", allow turned deny by a removal "
                   << allow_turned_deny);
  if (cases >= 1000) {  // the generator reaches every branch of the properties
    CHECK(denies > 0);
    CHECK(only_allow_removed > 0);
    CHECK(allow_turned_deny > 0);
  }
}
