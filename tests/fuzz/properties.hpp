// tests/fuzz/properties.hpp — the properties the fuzz targets check, shared
// with the regression replay in tests/unit/fuzz_regressions_test.cpp.
//
// Each `check_*` function takes arbitrary bytes and returns an empty string
// when every property held, or a one-line description of the violated one.
// Invalid input is never a violation: only crashes (found by the sanitizers),
// escaping exceptions and broken invariants are.
//
// Header-only so that the fuzz project (clang, -fsanitize=fuzzer) and the
// main test suite (g++, doctest) compile the same code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "orggov/io/json.hpp"
#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "orggov/policy/lint.hpp"
#include "orggov/scenario.hpp"
#include "orggov/world.hpp"

namespace orggov::fuzz {

/// Inputs longer than this are ignored by every target (the fuzzers run with
/// -max_len=65536 anyway; this keeps a hand-fed replay equally bounded).
inline constexpr std::size_t max_input = 64u * 1024u;

/// Save → load → save of a world must give identical bytes. `what` names the
/// world in the message.
inline std::string world_round_trip(const world& w, std::string_view what) {
  const std::string first = boost::json::serialize(save_world(w));
  auto parsed = parse_json(first);
  if (!parsed) return std::string(what) + ": saved world does not parse: " + parsed.error().what();
  auto loaded = load_world(*parsed);
  if (!loaded) return std::string(what) + ": saved world does not load: " + loaded.error().what();
  const std::string second = boost::json::serialize(save_world(*loaded));
  if (first != second) return std::string(what) + ": save -> load -> save changed the bytes";
  return {};
}

/// fuzz_world: text → parse_json → load_world; a loaded world must round-trip.
inline std::string check_world(std::string_view text) {
  if (text.size() > max_input) return {};
  auto v = parse_json(text);
  if (!v) return {};
  auto w = load_world(*v);
  if (!w) return {};
  return world_round_trip(*w, "world");
}

namespace detail {

inline std::vector<policy::context> fixed_contexts() {
  std::vector<policy::context> out(4);
  // [0]: empty.
  // [1]: the keys of the scenario suite, one value each.
  out[1]
      .add_string("qcs:ip", "10.1.2.3")
      .add_string("qcs:current_time", "2026-06-01T12:00:00Z")
      .add_string("qcs:resource_tag", "env&prod")
      .add_string("qcs:request_tag", "team&a")
      .add_string("k", "a")
      .add_string("s", "abc")
      .add_string("d", "2026-01-01T00:00:00Z")
      .add_string("bin", "aGVsbG8=")
      .add_bool("b", true);
  (void)out[1].add_number("n", "42");
  // [2]: several values per key, IPv6, case variants, present-but-empty keys.
  out[2]
      .add_string("qcs:ip", "192.168.0.1")
      .add_string("qcs:ip", "2001:db8::1")
      .add_string("QCS:IP", "10.0.0.1")
      .add_string("qcs:resource_tag", "env&dev")
      .add_string("qcs:resource_tag", "owner&x")
      .add_string("k", "A")
      .add_string("k", "b*c")
      .add_string("b", "false")
      .add_string("d", "2026-01-01")
      .add_key("empty")
      .add_key("qcs:request_tag");
  (void)out[2].add_number("n", "-1.5e3");
  (void)out[2].add_number("n", "0");
  // [3]: odd values: empty strings, huge numbers, bad dates and addresses.
  out[3]
      .add_string("qcs:ip", "")
      .add_string("qcs:ip", "300.1.1.1")
      .add_string("qcs:current_time", "not a time")
      .add_string("s", "")
      .add_string("bin", "!!")
      .add_bool("b", false);
  (void)out[3].add_number("n", "1e308");
  return out;
}

struct fixed_request {
  std::string_view action;
  std::string_view resource;
};

inline constexpr fixed_request fixed_requests[] = {
    {"cvm:RunInstances", "*"},
    {"cvm:TerminateInstances", "qcs::cvm:ap-guangzhou:uin/100002:instance/ins-1"},
    {"cos:GetObject", "qcs::cos:ap-beijing:uid/100002:bucket-1/a/b.txt"},
    {"cam:ListUsers", "*"},
    {"name/cvm:DescribeInstances", "*"},
    {"a:b", "qcs::a:::b"},
    // Long names: a backtracking `*a*a*...*b` matcher would take exponential time.
    {"cvm:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "qcs::cvm:ap-guangzhou:uin/100002:instance/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
};

}  // namespace detail

/// fuzz_policy: the text, as a JSON string value, is compiled; a compiled
/// policy is put on a path (account and unit levels, the unit also holding
/// FullQcloudAccess, the root FullQcloudAccess alone) and `evaluate` must
/// agree with `explain` on fixed requests. `lint` runs on the text too, and
/// must report an error when compilation finds a grammar problem.
inline std::string check_policy(std::string_view text) {
  if (text.size() > max_input) return {};
  const boost::json::value doc(boost::json::string(text.data(), text.size()));
  const policy::compile_result r = policy::compile(doc);
  const std::vector<policy::lint_finding> findings = policy::lint(text);

  bool lint_error = false;
  for (const auto& f : findings) lint_error = lint_error || f.kind == policy::severity::error;
  // (The converse does not hold: lint also reports a resource that can never
  // match, e.g. `qcs::::uin/x1:*`, as an error in a policy that compiles.)
  if (!r.policy && !r.too_long && r.problems.empty())
    return "compile failed without a problem or too_long";
  if (r.policy && (r.too_long || !r.problems.empty()))
    return "compile returned a policy together with problems";
  if (!r.problems.empty() && !lint_error)
    return "compile reports a problem but lint reports no error";
  if (!r.policy) return {};

  const auto full = policy::full_access();
  const policy::path p({
      policy::level{"account:100002", {{"p-fuzz", r.policy}}},
      policy::level{"unit:u1", {{"p-fuzz", r.policy}, {"FullQcloudAccess", full}}},
      policy::level{"root", {{"FullQcloudAccess", full}}},
  });
  if (p.broken()) return "path with non-null policies reports broken";

  const auto contexts = detail::fixed_contexts();
  for (const auto& rq : detail::fixed_requests) {
    for (std::size_t c = 0; c <= contexts.size(); ++c) {
      policy::request req;
      req.account = "100002";
      req.action = rq.action;
      req.resource = rq.resource;
      req.ctx = c < contexts.size() ? &contexts[c] : nullptr;
      req.now = timestamp{1'780'000'000'000'000};  // 2026-05-28
      const policy::authorization a = policy::evaluate(p, req);
      const policy::explanation e = policy::explain(p, req);
      if (!(a == e.result)) {
        return "evaluate and explain disagree on " + std::string(rq.action) + " " +
               std::string(rq.resource) + " (context " + std::to_string(c) + "): evaluate " +
               std::string(policy::to_string(a.why)) + ", explain " +
               std::string(policy::to_string(e.result.why));
      }
      if (a.allow != (a.why == policy::reason::allowed)) return "allow flag and reason disagree";
      if (a.why == policy::reason::explicit_deny && e.matched.empty())
        return "explicit deny without a matched statement";
      if (a.allow && !e.missing_allow_at.empty()) return "allowed with a level lacking an allow";
    }
  }
  return {};
}

/// fuzz_scenario: text → parse_json → run_scenario must neither crash nor
/// throw nor hang; the final world must round-trip like any world.
inline std::string check_scenario(std::string_view text) {
  if (text.size() > max_input) return {};
  auto v = parse_json(text);
  if (!v) return {};
  const scenario_report report = run_scenario(*v);
  if (!report.invalid && report.failures.size() != report.failed)
    return "failed count differs from the failures listed";
  return world_round_trip(report.final_world, "final world");
}

}  // namespace orggov::fuzz
