// Benchmarks of the policy engine (Google Benchmark). Every scenario checks
// the compiled evaluator's decisions against the reference evaluator on all
// its requests before anything is timed, and reports heap allocations per
// decision (a counting global operator new lives in this file).
//
// Scenarios: (a) 3 levels x 3 policies x 5 statements, no conditions;
// (b) 7 x 10 x 20; (c) as (a) with ip, string and date conditions; each on
// 10,000 distinct requests mixing allowed, explicit and implicit denies, on
// 1 and 2 threads; the reference evaluator on (b) for the speed-up; and
// parse + compile of a policy of about 6,144 characters.
// ORGGOV_BENCH_POLICY_REQUESTS (default 10,000) sets the number of requests.
#include "orggov/policy/authorize.hpp"

// The reference evaluator is test code; it is compiled into this benchmark
// directly so the target needs nothing but orggov and benchmark.
#include "../tests/policy/reference/reference.cpp"

#include <benchmark/benchmark.h>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

// ------------------------------------------------------------------ allocation counter

// GCC 12 sees malloc/free behind the replaced operators after inlining and
// warns about a mismatch that is not there: the pair is consistent.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
// Per thread, so that the framework's own threads do not blur the count.
thread_local std::uint64_t t_allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

namespace pol = orggov::policy;
namespace ref = orggov::policy::reference;
namespace json = boost::json;

const std::vector<std::string> kServices = {"cvm", "cdb", "cos", "vpc", "cam", "clb",
                                            "tke", "scf", "cls", "kms", "ssl", "tag"};
const std::vector<std::string> kNames = {"RunInstances",
                                         "TerminateInstances",
                                         "DescribeInstances",
                                         "StartInstances",
                                         "StopInstances",
                                         "RebootInstances",
                                         "ResetInstance",
                                         "CreateImage",
                                         "DeleteImages",
                                         "DescribeImages",
                                         "CreateVpc",
                                         "DeleteVpc",
                                         "DescribeVpcs",
                                         "AttachPolicy",
                                         "DetachPolicy",
                                         "CreateUser",
                                         "DeleteUser",
                                         "GetUser",
                                         "ListUsers",
                                         "PutObject",
                                         "GetObject",
                                         "DeleteObject",
                                         "ListBuckets",
                                         "CreateKey",
                                         "ScheduleKeyDeletion",
                                         "Encrypt",
                                         "Decrypt",
                                         "CreateCluster",
                                         "DeleteCluster",
                                         "DescribeClusters",
                                         "ModifyAttribute",
                                         "DescribeAttribute",
                                         "CreateListener",
                                         "DeleteListener",
                                         "UploadCertificate",
                                         "DeleteCertificate",
                                         "Invoke",
                                         "CreateFunction",
                                         "DeleteFunction",
                                         "TagResources"};

struct scenario_spec {
  std::size_t levels, policies, statements;
  bool conditions;
};

struct scenario {
  std::vector<ref::level> ref_levels;
  pol::path path;
  std::vector<ref::request> ref_requests;
  std::vector<pol::context> contexts;
  std::vector<pol::request> requests;
  std::size_t allowed = 0, explicit_deny = 0, no_allow = 0;
};

json::object statement(std::mt19937_64& rng, bool allow, bool conditions, bool broad,
                       bool guard = false) {
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  json::object s;
  s["effect"] = allow ? "allow" : "deny";
  json::array actions;
  if (broad) {
    // The level's broad allow: every service but one.
    const std::size_t skip = rng() % kServices.size();
    for (std::size_t i = 0; i < kServices.size(); ++i)
      if (i != skip) actions.push_back(json::value(kServices[i] + ":*"));
  } else if (!allow) {
    // Guard rails: destructive verbs, in one service or in all.
    static const std::vector<std::string> verbs = {"Delete", "Terminate", "Stop",
                                                   "Detach", "Schedule",  "Reset"};
    if (guard || rng() % 2)
      actions.push_back(json::value("*:" + pick(verbs) + "*"));
    else
      actions.push_back(json::value(pick(kServices) + ":" + pick(verbs) + "*"));
    if (rng() % 2) actions.push_back(json::value(pick(kServices) + ":" + pick(kNames)));
  } else {
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) {
      const auto r = rng() % 10;
      if (r < 6)
        actions.push_back(json::value(pick(kServices) + ":" + pick(kNames)));
      else if (r < 9)
        actions.push_back(json::value(pick(kServices) + ":" + pick(kNames).substr(0, 6) + "*"));
      else
        actions.push_back(json::value("*:" + pick(kNames).substr(0, 8) + "*"));
    }
  }
  s["action"] = actions;
  if (rng() % 4 == 0 && !broad && !guard)
    s["resource"] =
        json::array{json::value("qcs::" + pick(kServices) + ":ap-guangzhou::instance/ins-1*"),
                    json::value("qcs::cos:::bucket/logs/*")};
  else
    s["resource"] = "*";
  if (conditions && !allow) {
    json::object c;
    switch (rng() % 3) {
      case 0:
        c["ip_not_equal"] = json::object{{"qcs:ip", json::array{"10.0.0.0/8", "192.168.0.0/16"}}};
        break;
      case 1:
        c["string_equal"] = json::object{{"vpc:region", json::array{"ap-shanghai", "ap-beijing"}}};
        break;
      default:
        c["date_greater_than"] = json::object{{"qcs:current_time", "2026-06-01T00:00:00Z"}};
        break;
    }
    s["condition"] = c;
  }
  return s;
}

scenario make_scenario(const scenario_spec& spec, std::uint64_t seed) {
  // About two deny statements per level, whatever its size.
  const std::uint64_t deny_one_in = std::max<std::uint64_t>(2, spec.policies * spec.statements / 2);
  std::mt19937_64 rng(seed);
  scenario sc;
  std::vector<pol::level> levels;
  for (std::size_t l = 0; l < spec.levels; ++l) {
    ref::level rl;
    rl.target =
        l == 0 ? "account:100001" : (l + 1 == spec.levels ? "root" : "unit:u" + std::to_string(l));
    pol::level pl{rl.target, {}};
    for (std::size_t p = 0; p < spec.policies; ++p) {
      json::array st;
      for (std::size_t i = 0; i < spec.statements; ++i) {
        const bool broad = p == 0 && i == 0;
        const bool guard = p == 0 && i == 1;  // every level has one guard-rail deny
        const bool allow = broad || (!guard && rng() % deny_one_in != 0);
        st.push_back(statement(rng, allow, spec.conditions, broad, guard));
      }
      json::object doc{{"version", "2.0"}, {"statement", st}};
      const std::string id = "p" + std::to_string(l) + "_" + std::to_string(p);
      auto r = pol::compile(doc);
      if (!r.policy) {
        std::fprintf(stderr, "benchmark policy does not compile: %s\n",
                     json::serialize(doc).c_str());
        std::abort();
      }
      rl.policies.push_back({id, doc});
      pl.policies.emplace_back(id, r.policy);
    }
    sc.ref_levels.push_back(std::move(rl));
    levels.push_back(std::move(pl));
  }
  sc.path = pol::path(std::move(levels));
  const std::vector<std::string> ips = {"10.1.2.3", "172.16.0.1", "192.168.3.4", "8.8.8.8"};
  const std::vector<std::string> regions = {"ap-guangzhou", "ap-shanghai", "ap-beijing"};
  // ORGGOV_BENCH_POLICY_REQUESTS shrinks the request set (and the reference
  // check before timing) for a CI smoke run; the default is 10,000.
  std::size_t count = 10'000;
  if (const char* env = std::getenv("ORGGOV_BENCH_POLICY_REQUESTS"); env && *env)
    count = std::max<std::size_t>(1, std::strtoull(env, nullptr, 10));
  for (std::size_t i = 0; i < count; ++i) {
    ref::request rq;
    rq.account = "100001";
    rq.action = kServices[rng() % kServices.size()] + ":" + kNames[rng() % kNames.size()];
    rq.resource = i % 3 == 0 ? "*"
                             : "qcs::" + kServices[rng() % kServices.size()] +
                                   ":ap-guangzhou::instance/ins-" + std::to_string(i);
    if (spec.conditions) {
      if (rng() % 8) rq.context["qcs:ip"] = ips[rng() % ips.size()];
      if (rng() % 8) rq.context["vpc:region"] = regions[rng() % regions.size()];
      rq.now = rng() % 2 ? "2026-11-08T12:00:00Z" : "2026-01-01T00:00:00Z";
    } else {
      rq.now = "2026-11-08T12:00:00Z";
    }
    sc.ref_requests.push_back(std::move(rq));
  }
  sc.contexts.reserve(sc.ref_requests.size());
  for (const auto& rq : sc.ref_requests)
    sc.contexts.push_back(std::get<pol::context>(pol::parse_context(rq.context)));
  for (std::size_t i = 0; i < sc.ref_requests.size(); ++i) {
    const auto& rq = sc.ref_requests[i];
    sc.requests.push_back(
        {rq.account, rq.action, rq.resource, &sc.contexts[i], *orggov::parse_time(rq.now)});
  }
  // Check every decision against the reference before anything is timed.
  for (std::size_t i = 0; i < sc.requests.size(); ++i) {
    const auto a = pol::evaluate(sc.path, sc.requests[i]);
    const auto r = ref::decide(sc.ref_levels, sc.ref_requests[i]);
    if (a.allow != r.allow || pol::to_string(a.why) != r.reason) {
      std::fprintf(stderr, "decision %zu differs from the reference: %s vs %s (%s %s)\n", i,
                   std::string(pol::to_string(a.why)).c_str(), r.reason.c_str(),
                   sc.ref_requests[i].action.c_str(), sc.ref_requests[i].resource.c_str());
      std::abort();
    }
    sc.allowed += a.why == pol::reason::allowed;
    sc.explicit_deny += a.why == pol::reason::explicit_deny;
    sc.no_allow += a.why == pol::reason::no_allow;
  }
  return sc;
}

const scenario& scenario_a() {
  static const scenario s = make_scenario({3, 3, 5, false}, 1);
  return s;
}
const scenario& scenario_b() {
  static const scenario s = make_scenario({7, 10, 20, false}, 2);
  return s;
}
const scenario& scenario_c() {
  static const scenario s = make_scenario({3, 3, 5, true}, 3);
  return s;
}

void run_decisions(benchmark::State& state, const scenario& sc) {
  const std::size_t n = sc.requests.size();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 4999 % n;
  std::uint64_t allows = 0;
  const std::uint64_t before = t_allocations;
  for (auto _ : state) {
    const auto a = pol::evaluate(sc.path, sc.requests[i]);
    allows += a.allow;
    benchmark::DoNotOptimize(a);
    if (++i == n) i = 0;
  }
  const std::uint64_t allocations = t_allocations - before;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  const auto avg = benchmark::Counter::kAvgThreads;
  state.counters["allocs_per_decision"] = benchmark::Counter(
      static_cast<double>(allocations) / static_cast<double>(state.iterations()), avg);
  const double total = static_cast<double>(n);
  state.counters["allowed_pct"] =
      benchmark::Counter(100.0 * static_cast<double>(sc.allowed) / total, avg);
  state.counters["explicit_deny_pct"] =
      benchmark::Counter(100.0 * static_cast<double>(sc.explicit_deny) / total, avg);
  state.counters["no_allow_pct"] =
      benchmark::Counter(100.0 * static_cast<double>(sc.no_allow) / total, avg);
  benchmark::DoNotOptimize(allows);
}

void BM_a_3x3x5(benchmark::State& state) {
  run_decisions(state, scenario_a());
}
void BM_b_7x10x20(benchmark::State& state) {
  run_decisions(state, scenario_b());
}
void BM_c_3x3x5_conditions(benchmark::State& state) {
  run_decisions(state, scenario_c());
}

void BM_b_reference(benchmark::State& state) {
  const scenario& sc = scenario_b();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = ref::decide(sc.ref_levels, sc.ref_requests[i]);
    benchmark::DoNotOptimize(r);
    if (++i == sc.ref_requests.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_explain_b(benchmark::State& state) {
  const scenario& sc = scenario_b();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = pol::explain(sc.path, sc.requests[i]);
    benchmark::DoNotOptimize(r);
    if (++i == sc.requests.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

std::string policy_text_near_limit() {
  std::mt19937_64 rng(7);
  json::array st;
  std::string text;
  for (;;) {
    json::object s = statement(rng, rng() % 3 != 0, true, false);
    st.push_back(s);
    json::object doc{{"version", "2.0"}, {"statement", st}};
    std::string t = json::serialize(doc);
    if (t.size() > 6144) break;
    text = std::move(t);
  }
  return text;
}

void BM_parse_compile_6144(benchmark::State& state) {
  const std::string text = policy_text_near_limit();
  const json::value doc(text);
  if (!pol::compile(doc).policy) std::abort();
  for (auto _ : state) {
    auto r = pol::compile(doc);
    benchmark::DoNotOptimize(r);
  }
  state.counters["chars"] = static_cast<double>(text.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

}  // namespace

BENCHMARK(BM_a_3x3x5)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_b_7x10x20)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_c_3x3x5_conditions)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_b_reference);
BENCHMARK(BM_explain_b);
BENCHMARK(BM_parse_compile_6144);

BENCHMARK_MAIN();
