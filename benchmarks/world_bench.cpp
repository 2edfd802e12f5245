// Benchmarks of whole-world operations through the engine (Google Benchmark).
//
// A generated world of N accounts in N/10 organizations is built once per size
// (10,000 and 1,000,000 accounts) directly with the world's writers and
// consuming sets, then four operations are timed through orggov::check and
// orggov::apply on it, each on the same immutable snapshot (the new world is
// dropped, so its freeing is timed too):
//
//   join_check       check(invite_member) of a verified account in no org
//   invite_member    apply(invite_member), the same operation kept
//   add_relation     apply(add_relation), an evidenced edge joining two
//                    groups (relabels the smaller one)
//   remove_relation  apply(remove_relation) of an evidenced bridge inside a
//                    group (re-runs connected components on it: it splits)
//
// Each operation runs in two variants: `targets:1024` cycles through 1,024
// random targets (orgs, accounts, entities) spread over the world, so at 1M
// most of what it touches is a cache miss; `targets:1` repeats one target, so
// it measures the work alone, with a warm cache. Every target's decision (and
// its effect on the entity groups) is checked before anything is timed; a
// wrong decision aborts the run with exit code 1. Each benchmark reports the
// median of 5 repetitions (compare CPU time on a shared machine),
// `rss_B_per_acct`, the resident memory the world added (/proc/self/statm
// before and after building it) divided by its accounts, and `build_s`, the
// seconds it took to build that world.
//
// ORGGOV_BENCH_MAX_ACCOUNTS (default 1000000) skips the larger sizes; CI sets
// 10000. The generated world is checked at 10k against a JSON round trip
// through save_world/load_world (same snapshot, same groups, same indexes).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "orggov/engine.hpp"
#include "orggov/graph.hpp"
#include "orggov/io/json.hpp"
#include "orggov/operations.hpp"
#include "orggov/world.hpp"

namespace {

using namespace orggov;

constexpr std::size_t accounts_per_org = 10;
constexpr std::size_t entities_per_org = 4;
constexpr std::size_t pool = 1024;  // targets prepared (and checked) per operation

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "world_bench: %s\n", what.c_str());
  std::fflush(stderr);
  std::exit(1);
}

void require(bool ok, const std::string& what) {
  if (!ok) die(what);
}

std::string codes_of(const decision& d) {
  std::string s;
  for (const auto& f : d.findings) s += fmt::format(" {} ({})", name(f.code), f.message);
  return s.empty() ? " none" : s;
}

std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// ------------------------------------------------------------------ the generator
//
// Org k (k < N/10) is "o-<k>". Its entities form one group:
//   E<k>-0 legal_person (management entity)
//     ─control→ E<k>-1 legal_person          evidenced, associated with the org
//     ─legal_affiliation→ E<k>-2 unincorporated_org   evidenced, associated
//   E<k>-1 ─financial_affiliation→ E<k>-3 natural_person   evidenced
//   E<k>-2 ─management→ E<k>-3                              not evidenced
// so the edge E<k>-0 → E<k>-2 is a bridge: removing it splits off E<k>-2.
// Units: root, u1 (root), u2 (u1), u3 (root). Accounts acct(k, 0..9):
//   0 management (E-0, verified, two sub-accounts); 1..7 members spread over
//   E-0/E-1/E-2 and the units (E-1's first member is its entity admin);
//   8 verified, of E-1, in no org (may join); 9 verified, of E-3 (a natural
//   person: may not join any org).

std::string org_id(std::size_t k) {
  return fmt::format("o-{:07}", k);
}
std::string entity_id(std::size_t k, std::size_t i) {
  return fmt::format("E{:07}-{}", k, i);
}
std::string uin_of(std::size_t k, std::size_t i) {
  return fmt::format("{}", 100000000 + k * accounts_per_org + i);
}

policy_rec full_access_template() {
  // The built-in policy as create_organization makes it (its compiled form is
  // engine-internal), taken from a one-org world.
  world w;
  w.put_entity(entity{"T", "t", entity_kind::legal_person, entity_status::active, {}, 0});
  account a;
  a.uin = "1";
  a.entity = "T";
  a.verified = true;
  w.put_account(std::move(a));
  rebuild_groups(w);
  outcome out = apply(w, ops::create_organization{.org = "t", .account = "1", .actor = {}});
  require(out.result.allowed,
          "create_organization refused in the template world:" + codes_of(out.result));
  const policy_rec* p = out.after.find_org("t")->policies.find("FullQcloudAccess");
  require(p != nullptr, "create_organization made no FullQcloudAccess policy");
  return *p;
}

void add_edge(entity& from, entity& to, relation_kind kind, bool evidenced) {
  from.edges.push_back({to.id, kind, true, evidenced});
  to.edges.push_back({from.id, kind, false, evidenced});
}

world generate(std::size_t n_accounts) {
  const std::size_t n_orgs = n_accounts / accounts_per_org;
  const policy_rec full_access = full_access_template();
  world w;
  w.set_now(timestamp{});
  for (std::size_t k = 0; k < n_orgs; ++k) {
    // entities and their group
    std::vector<entity> es(entities_per_org);
    static constexpr entity_kind kinds[] = {entity_kind::legal_person, entity_kind::legal_person,
                                            entity_kind::unincorporated_org,
                                            entity_kind::natural_person};
    for (std::size_t i = 0; i < entities_per_org; ++i) {
      es[i].id = entity_id(k, i);
      es[i].name = fmt::format("Entity {} of group {}", i, k);
      es[i].kind = kinds[i];
    }
    add_edge(es[0], es[1], relation_kind::control, true);
    add_edge(es[0], es[2], relation_kind::legal_affiliation, true);
    add_edge(es[1], es[3], relation_kind::financial_affiliation, true);
    add_edge(es[2], es[3], relation_kind::management, false);
    const std::uint64_t group = w.next_group_id();
    for (auto& e : es) {
      std::sort(e.edges.begin(), e.edges.end(), [](const relation_edge& a, const relation_edge& b) {
        return std::tie(a.other, a.kind, a.outgoing) < std::tie(b.other, b.kind, b.outgoing);
      });
      e.group = group;
      w.put_entity(std::move(e));
    }

    // the organization
    organization o;
    o.id = org_id(k);
    o.management = uin_of(k, 0);
    o.units = std::move(o.units).set("root", unit{"root", "", "root", 0});
    o.units = std::move(o.units).set("u1", unit{"u1", "root", "Engineering", 1});
    o.units = std::move(o.units).set("u2", unit{"u2", "u1", "Platform", 2});
    o.units = std::move(o.units).set("u3", unit{"u3", "root", "Finance", 1});
    static constexpr const char* member_units[] = {"root", "u1", "u2", "u3"};
    for (std::size_t i = 1; i <= 7; ++i) {
      member m;
      m.uin = uin_of(k, i);
      m.unit = member_units[i % 4];
      m.how = i % 2 ? join_method::invited : join_method::created;
      m.logins.push_back({"admin", {}});
      std::string key = m.uin;  // not m.uin in the call: the record is moved there
      o.members =
          std::move(o.members).set(std::move(key), std::make_shared<const member>(std::move(m)));
    }
    o.associated = std::move(o.associated).set(entity_id(k, 1), uin_of(k, 2));  // admin: acct 2
    o.associated = std::move(o.associated).set(entity_id(k, 2), "");
    o.policies = std::move(o.policies).set("FullQcloudAccess", full_access);
    w.put_org(std::move(o));

    // accounts
    static constexpr std::size_t account_entity[accounts_per_org] = {0, 0, 1, 2, 0, 1, 2, 0, 1, 3};
    for (std::size_t i = 0; i < accounts_per_org; ++i) {
      account a;
      a.uin = uin_of(k, i);
      a.entity = entity_id(k, account_entity[i]);
      a.verified = true;
      a.cash = static_cast<std::int64_t>(1000 * (i + 1));
      if (i <= 7) a.org = org_id(k);
      if (i == 0) a.sub_accounts = {{"admin1", sub_account_kind::sub_user}, {"ops", {}}};
      w.put_account(std::move(a));
    }
  }
  return w;
}

// Checks the generated world against what the loader makes of its snapshot:
// the same snapshot bytes, the same derived org index, the same groups.
void check_round_trip(const world& w) {
  const boost::json::object saved = save_world(w);
  result<world> back = load_world(saved);
  if (!back.has_value()) die("the generated world does not load back: " + back.error().what());
  const world& l = back.value();
  require(boost::json::serialize(save_world(l)) == boost::json::serialize(saved),
          "the generated world's snapshot changes through load_world");
  for (const auto& [uin, a] : w.accounts())
    require(l.find_account(uin)->org == a->org, "account " + uin + ": org index differs");
  std::map<std::uint64_t, std::uint64_t> mine_to_loaded, loaded_to_mine;
  for (const auto& [id, e] : w.entities()) {
    const std::uint64_t g = l.find_entity(id)->group;
    auto [i, fresh] = mine_to_loaded.emplace(e->group, g);
    auto [j, fresh2] = loaded_to_mine.emplace(g, e->group);
    require(i->second == g && j->second == e->group, "entity " + id + ": group differs");
  }
}

struct fixture {
  std::size_t accounts = 0;
  world w;
  double rss_per_account = 0;
  double build_seconds = 0;
  std::vector<ops::invite_member> joins;
  std::vector<ops::add_relation> adds;
  std::vector<ops::remove_relation> removes;
};

// Builds the world of `n` accounts once, and checks every benchmarked decision.
const fixture& fixture_of(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<fixture>> cache;
  auto& slot = cache[n];
  if (slot) return *slot;
  slot = std::make_unique<fixture>();
  fixture& f = *slot;
  f.accounts = n;
  const std::size_t before = resident_bytes();
  const auto t0 = std::chrono::steady_clock::now();
  f.w = generate(n);
  f.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::size_t after = resident_bytes();
  f.rss_per_account = static_cast<double>(after - before) / static_cast<double>(n);
  require(f.w.accounts().size() == n, "generated world has the wrong number of accounts");
  if (n <= 20'000) check_round_trip(f.w);

  const std::size_t n_orgs = n / accounts_per_org;
  std::mt19937_64 rng(n);
  std::uniform_int_distribution<std::size_t> pick(0, n_orgs - 1);
  for (std::size_t i = 0; i < pool; ++i) {
    const std::size_t k = pick(rng);
    std::size_t other = pick(rng);
    while (other == k) other = pick(rng);
    f.joins.push_back({.org = org_id(k), .account = uin_of(k, 8), .unit = "u2", .actor = {}});
    f.adds.push_back({.from = entity_id(k, 0),
                      .to = entity_id(other, 0),
                      .kind = relation_kind::control,
                      .evidenced = true});
    f.removes.push_back(
        {.from = entity_id(k, 0), .to = entity_id(k, 2), .kind = relation_kind::legal_affiliation});
  }

  // Decisions, before anything is timed.
  for (const auto& op : f.joins) {
    decision d = check(f.w, op);
    require(d.allowed, "join check of " + op.account + " refused:" + codes_of(d));
    outcome out = apply(f.w, op);
    require(out.result.allowed && out.after.find_org(op.org)->invitations.contains(op.account),
            "invite_member of " + op.account + " opened no invitation");
    require(!f.w.find_org(op.org)->invitations.contains(op.account),
            "invite_member changed the world it was applied to");
    // Controls: an account in an org, and a natural person's, are refused.
    const std::string member = f.w.find_org(op.org)->members.begin()->first;
    decision in_org =
        check(f.w, ops::invite_member{.org = op.org, .account = member, .unit = {}, .actor = {}});
    require(!in_org.allowed && in_org.has(code::join_already_member),
            "inviting a member is not refused with join.already_member:" + codes_of(in_org));
    const std::string person = std::to_string(std::stoull(op.account) + 1);
    decision np =
        check(f.w, ops::invite_member{.org = op.org, .account = person, .unit = {}, .actor = {}});
    require(!np.allowed && np.has(code::join_entity_not_enterprise),
            "inviting a natural person's account is not refused:" + codes_of(np));
  }
  for (const auto& op : f.adds) {
    require(!f.w.same_group(op.from, op.to), "add_relation target already in one group");
    outcome out = apply(f.w, op);
    require(out.result.allowed, "add_relation refused:" + codes_of(out.result));
    require(out.after.same_group(op.from, op.to), "add_relation did not merge the groups");
    const std::uint64_t merged = out.after.find_entity(op.to)->group;
    std::size_t size = 0;
    for (const auto& [id, e] : out.after.entities()) size += e->group == merged;
    require(size == 2 * entities_per_org, "merged group has the wrong size");
  }
  for (const auto& op : f.removes) {
    require(f.w.same_group(op.from, op.to), "remove_relation target not in one group");
    outcome out = apply(f.w, op);
    require(out.result.allowed, "remove_relation refused:" + codes_of(out.result));
    require(!out.after.same_group(op.from, op.to), "remove_relation did not split the group");
    const std::string prefix = op.from.substr(0, op.from.size() - 1);  // "E<k>-"
    require(
        out.after.same_group(op.from, prefix + "1") && out.after.same_group(op.from, prefix + "3"),
        "remove_relation split the rest of the group");
  }
  return f;
}

void set_counters(benchmark::State& state, const fixture& f) {
  state.counters["accounts"] = static_cast<double>(f.accounts);
  state.counters["rss_B_per_acct"] = f.rss_per_account;
  state.counters["build_s"] = f.build_seconds;
}

void BM_join_check(benchmark::State& state, std::size_t n, std::size_t targets) {
  const fixture& f = fixture_of(n);
  std::size_t i = 0;
  for (auto _ : state) {
    decision d = check(f.w, f.joins[i++ % targets]);
    benchmark::DoNotOptimize(d.allowed);
  }
  set_counters(state, f);
}

void BM_invite_member(benchmark::State& state, std::size_t n, std::size_t targets) {
  const fixture& f = fixture_of(n);
  std::size_t i = 0;
  for (auto _ : state) {
    outcome out = apply(f.w, f.joins[i++ % targets]);
    benchmark::DoNotOptimize(out.after);
  }
  set_counters(state, f);
}

void BM_add_relation(benchmark::State& state, std::size_t n, std::size_t targets) {
  const fixture& f = fixture_of(n);
  std::size_t i = 0;
  for (auto _ : state) {
    outcome out = apply(f.w, f.adds[i++ % targets]);
    benchmark::DoNotOptimize(out.after);
  }
  set_counters(state, f);
}

void BM_remove_relation(benchmark::State& state, std::size_t n, std::size_t targets) {
  const fixture& f = fixture_of(n);
  std::size_t i = 0;
  for (auto _ : state) {
    outcome out = apply(f.w, f.removes[i++ % targets]);
    benchmark::DoNotOptimize(out.after);
  }
  set_counters(state, f);
}

std::size_t max_accounts() {
  const char* v = std::getenv("ORGGOV_BENCH_MAX_ACCOUNTS");
  if (!v || !*v) return 1'000'000;
  char* end = nullptr;
  unsigned long long n = std::strtoull(v, &end, 10);
  if (*end) die(fmt::format("ORGGOV_BENCH_MAX_ACCOUNTS=`{}` is not a number", v));
  return static_cast<std::size_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t max = max_accounts();
  using fn = void (*)(benchmark::State&, std::size_t, std::size_t);
  const std::pair<const char*, fn> benches[] = {{"BM_join_check", BM_join_check},
                                                {"BM_invite_member", BM_invite_member},
                                                {"BM_add_relation", BM_add_relation},
                                                {"BM_remove_relation", BM_remove_relation}};
  for (std::size_t n : {std::size_t{10'000}, std::size_t{1'000'000}}) {
    if (n > max) continue;
    for (std::size_t targets : {pool, std::size_t{1}})
      for (const auto& [name, f] : benches)
        benchmark::RegisterBenchmark(fmt::format("{}/{}/targets:{}", name, n, targets).c_str(), f,
                                     n, targets)
            ->Repetitions(5)
            ->ReportAggregatesOnly(true)
            ->Unit(benchmark::kNanosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
