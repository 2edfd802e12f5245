// Benchmarks of the billing queries a host runs at month end (Google Benchmark).
//
// (a) bill_payer on one member whose payment history holds 1 or 1,000 mode
//     changes (built through orggov::apply set_payment_mode, alternating
//     pay_on_behalf / self_pay at increasing times). The 1-change case is the
//     baseline; the target for 1,000 changes is under 200 ns. 1,024 settlement
//     periods spread over the history are cycled, so the binary search does not
//     always take the same path. Two ways of asking:
//       bill_payer_ask    orggov::ask(w, ops::bill_payer{...}) and reading
//                         answer["payer"] (what a host does today; the answer
//                         is a boost::json::object)
//       bill_payer_typed  the same lookup without JSON: the library's typed
//                         orggov::bill_payer (engine.hpp)
// (b) attributing usage records to payers over a 100,000-account world: for
//     each record, the payer (pay-as-you-go: bill_payer for its period;
//     subscription: the payer in force at the order time) and the per-payer
//     total. Reports records per second (`items_per_second`); target
//     > 2,000,000/s. Three ways: through ask, through the typed lookup per
//     record, and through the batch API (orggov::for_each_bill_payer: groups
//     the records by account with a radix sort of the uins' hashes, looks each
//     account up once, and calls back account by account, so the host's
//     per-payer total is found once per run of records). Each in random
//     account order and grouped by account, in the same run.
//
// Before anything is timed, every answer of the typed lookup is checked
// against orggov::ask (all records, all periods), the batch answers against
// the typed ones, and a few against values known from the construction; after
// each attribution benchmark its per-payer totals are compared with the
// totals computed from the checked answers. A disagreement exits with status 1.
//
// Environment:
//   ORGGOV_BENCH_RECORDS       usage records in (b) (default 1,000,000)
//   ORGGOV_BENCH_MAX_ACCOUNTS  caps the world of (b) (default 100,000); when it
//                              lowers it and ORGGOV_BENCH_RECORDS is unset,
//                              the records scale down with it (10 per account)
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/serialize.hpp>

#include "orggov/engine.hpp"
#include "orggov/graph.hpp"
#include "orggov/io/json.hpp"
#include "orggov/operations.hpp"
#include "orggov/world.hpp"

namespace {

using namespace orggov;

constexpr std::int64_t us_per_hour = std::int64_t{3600} * 1'000'000;
constexpr std::int64_t us_per_day = 24 * us_per_hour;
constexpr std::size_t n_periods = 1024;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "billing_bench: %s\n", what.c_str());
  std::fflush(stderr);
  std::exit(1);
}

void require(bool ok, const std::string& what) {
  if (!ok) die(what);
}

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  unsigned long long n = std::strtoull(v, &end, 10);
  if (*end || n == 0) die(fmt::format("{}=`{}` is not a positive integer", name, v));
  return static_cast<std::size_t>(n);
}

timestamp start_of_month() {
  return *parse_time("2026-11-01T00:00:00Z");
}

// ------------------------------------------------------------------ the two lookups

/// The payer through the library's public query API.
std::string payer_by_ask(const world& w, const ops::bill_payer& q) {
  boost::json::object a = ask(w, q);
  const boost::json::value* p = a.if_contains("payer");
  if (!p) die("bill_payer answered " + boost::json::serialize(a));
  return std::string(p->as_string());
}

/// The same answer without JSON: the library's typed `orggov::bill_payer`.
std::string_view payer_typed(const world& w, std::string_view uin, timestamp period_end) {
  return orggov::bill_payer(w, uin, period_end);
}

// ------------------------------------------------------------------ (a) one member

struct member_world {
  world w;
  std::vector<ops::bill_payer> periods;  // hourly periods spread over the history
  std::vector<std::string> expected;     // the payer of each, from the construction
};

// Org "o1": management 100001, member 100002 (same entity). `changes` mode
// changes of 100002, one an hour from the start of the month: even-numbered
// ones set pay_on_behalf (payer 100001), odd-numbered ones release it.
member_world build_member_world(std::size_t changes) {
  member_world m;
  world& w = m.w;
  w.set_now(start_of_month());
  w.put_entity(
      entity{"E1", "Acme Holdings", entity_kind::legal_person, entity_status::active, {}, 0});
  for (const char* uin : {"100001", "100002"}) {
    account a;
    a.uin = uin;
    a.entity = "E1";
    a.verified = true;
    w.put_account(std::move(a));
  }
  rebuild_groups(w);
  auto run = [&](const operation& op) {
    outcome out = orggov::apply(w, op);
    require(out.result.allowed, fmt::format("{} refused", op_name(op)));
    w = std::move(out.after);
  };
  run(ops::create_organization{.org = "o1", .account = "100001"});
  run(ops::invite_member{.org = "o1", .account = "100002"});
  run(ops::accept_invitation{.org = "o1", .account = "100002"});
  const timestamp t0 = start_of_month();
  for (std::size_t i = 0; i < changes; ++i) {
    w.set_now(timestamp{t0.us + static_cast<std::int64_t>(i) * us_per_hour});
    if (i % 2 == 0)
      run(ops::set_payment_mode{.org = "o1",
                                .account = "100002",
                                .mode = payment_mode::pay_on_behalf,
                                .payer = "100001"});
    else
      run(ops::set_payment_mode{.org = "o1", .account = "100002", .mode = payment_mode::self_pay});
  }
  require(w.find_account("100002")->payment_history.size() == changes,
          fmt::format("expected {} payment changes", changes));

  // Period k is an hour ending in hour h = k * changes / n_periods of the
  // history: half an hour after change h, or (every 4th period) exactly on
  // it, where the change belongs to the next period. The payer in force is
  // that of the last change strictly before the end: 100001 after an
  // even-numbered change, 100002 after an odd-numbered one.
  std::mt19937_64 rng(42);
  for (std::size_t k = 0; k < n_periods; ++k) {
    const std::size_t h = k * changes / n_periods;
    const bool on_change = k % 4 == 0 && h > 0;
    const std::int64_t end =
        t0.us + static_cast<std::int64_t>(h) * us_per_hour + (on_change ? 0 : us_per_hour / 2);
    m.periods.push_back({.account = "100002",
                         .period_start = timestamp{end - us_per_hour},
                         .period_end = timestamp{end}});
  }
  std::shuffle(m.periods.begin(), m.periods.end(), rng);
  for (const auto& q : m.periods) {
    const std::size_t in_force = std::min(
        changes - 1, static_cast<std::size_t>((q.period_end.us - 1 - t0.us) / us_per_hour));
    m.expected.push_back(in_force % 2 == 0 ? "100001" : "100002");
    const std::string got = payer_by_ask(w, q);
    if (got != m.expected.back())
      die(fmt::format("bill_payer for the period ending {}: got {}, expected {}",
                      format_time(q.period_end), got, m.expected.back()));
    require(payer_typed(w, q.account, q.period_end) == m.expected.back(), "typed lookup disagrees");
  }
  return m;
}

const member_world& member_world_of(std::size_t changes) {
  static member_world one = build_member_world(1);
  static member_world thousand = build_member_world(1000);
  return changes == 1 ? one : thousand;
}

void bill_payer_ask(benchmark::State& state) {
  const member_world& m = member_world_of(static_cast<std::size_t>(state.range(0)));
  std::vector<query> queries(m.periods.begin(), m.periods.end());
  std::size_t k = 0;
  for (auto _ : state) {
    boost::json::object a = ask(m.w, queries[k]);
    benchmark::DoNotOptimize(a.at("payer").as_string().data());
    k = (k + 1) % n_periods;
  }
  state.counters["history"] = static_cast<double>(state.range(0));
}

void bill_payer_typed(benchmark::State& state) {
  const member_world& m = member_world_of(static_cast<std::size_t>(state.range(0)));
  std::size_t k = 0;
  for (auto _ : state) {
    std::string_view p = payer_typed(m.w, m.periods[k].account, m.periods[k].period_end);
    benchmark::DoNotOptimize(p.data());
    k = (k + 1) % n_periods;
  }
  state.counters["history"] = static_cast<double>(state.range(0));
}

BENCHMARK(bill_payer_ask)->ArgName("changes")->Arg(1)->Arg(1000);
BENCHMARK(bill_payer_typed)->ArgName("changes")->Arg(1)->Arg(1000);

// ------------------------------------------------------------------ (b) attribution

struct usage_record {
  std::string account;
  bool subscription = false;
  timestamp period_start;  // subscription: the order time
  timestamp period_end;
  std::int64_t amount_cents = 0;
  /// The instant whose payer decides: pay-as-you-go, the period's end (the
  /// last change strictly before it); subscription, the first instant after
  /// the order time (so a change at exactly the order time counts).
  [[nodiscard]] timestamp decided_by() const {
    return subscription ? timestamp{period_start.us + 1} : period_end;
  }
};

struct attribution_world {
  world w;
  std::vector<usage_record> random;   // records in random account order
  std::vector<usage_record> grouped;  // the same records sorted by account
  std::size_t accounts = 0;
  double sort_s = 0;  // seconds to sort `random` into `grouped`
  std::unordered_map<std::string, std::int64_t> expected;  // per-payer totals, checked answers
};

std::string uin_of(std::size_t i) {
  return fmt::format("{}", 200000000 + i);
}

// Accounts come in blocks of 10 (one "org": account 0 pays on behalf of some
// of 1..9). The history is written directly with the world's writers, as the
// loader does: 40% of the members have 1 to 4 changes during the month
// (alternating pay-on-behalf by the block's account 0 and self-pay). No
// organization records are needed: bill_payer reads the account's history
// only. Records: 80% pay-as-you-go daily periods in November, 20%
// subscriptions ordered at a random second of the month.
attribution_world build_attribution_world(std::size_t n_accounts, std::size_t n_records) {
  attribution_world a;
  a.accounts = n_accounts;
  std::mt19937_64 rng(7);
  const timestamp t0 = start_of_month();
  const std::int64_t month = 30 * us_per_day;
  world& w = a.w;
  w.set_now(timestamp{t0.us + month});
  for (std::size_t b = 0; b < n_accounts; b += 10) {
    const std::string e = fmt::format("E{}", b / 10);
    w.put_entity(entity{e, "entity " + e, entity_kind::legal_person, entity_status::active, {}, 0});
    for (std::size_t i = b; i < std::min(b + 10, n_accounts); ++i) {
      account acc;
      acc.uin = uin_of(i);
      acc.entity = e;
      acc.verified = true;
      if (i != b && rng() % 10 < 4) {
        const std::size_t n = 1 + rng() % 4;
        std::vector<std::int64_t> at(n);
        for (auto& t : at) t = t0.us + static_cast<std::int64_t>(rng() % month);
        std::sort(at.begin(), at.end());
        for (std::size_t j = 0; j < n; ++j)
          acc.payment_history.push_back({timestamp{at[j]}, j % 2 == 0 ? uin_of(b) : ""});
      }
      w.put_account(std::move(acc));
    }
  }
  rebuild_groups(w);
  a.random.reserve(n_records);
  for (std::size_t r = 0; r < n_records; ++r) {
    usage_record u;
    u.account = uin_of(rng() % n_accounts);
    u.subscription = rng() % 5 == 0;
    if (u.subscription) {
      u.period_start =
          timestamp{t0.us + static_cast<std::int64_t>(rng() % (month / 1'000'000)) * 1'000'000};
      u.period_end = timestamp{u.period_start.us + month};
    } else {
      const auto day = static_cast<std::int64_t>(rng() % 30);
      u.period_start = timestamp{t0.us + day * us_per_day};
      u.period_end = timestamp{u.period_start.us + us_per_day};
    }
    u.amount_cents = static_cast<std::int64_t>(1 + rng() % 100'000);
    a.random.push_back(std::move(u));
  }
  const auto t_sort = std::chrono::steady_clock::now();
  a.grouped = a.random;
  std::stable_sort(
      a.grouped.begin(), a.grouped.end(),
      [](const usage_record& x, const usage_record& y) { return x.account < y.account; });
  a.sort_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_sort).count();

  // Every record: the typed lookup agrees with ask.
  for (const auto& u : a.random) {
    const std::string by_ask = payer_by_ask(
        w, ops::bill_payer{
               .account = u.account, .period_start = u.period_start, .period_end = u.decided_by()});
    if (payer_typed(w, u.account, u.decided_by()) != by_ask)
      die(fmt::format("typed lookup disagrees with ask for {} at {}", u.account,
                      format_time(u.decided_by())));
  }
  // The batch API answers what the typed lookup answers, record by record.
  std::vector<payer_request> requests;
  for (const auto& u : a.random) requests.push_back({u.account, u.decided_by()});
  std::vector<std::string_view> batch(requests.size());
  bill_payers(w, requests, batch);
  std::vector<char> visited(requests.size(), 0);
  std::string_view previous_account;
  std::size_t runs = 0;
  for_each_bill_payer(w, requests, [&](std::size_t i, std::string_view payer) {
    if (visited[i]++) die(fmt::format("batch: record {} visited twice", i));
    if (payer != batch[i]) die(fmt::format("batch: record {} answered twice differently", i));
    if (requests[i].account != previous_account) ++runs;
    previous_account = requests[i].account;
  });
  require(std::count(visited.begin(), visited.end(), 1) == static_cast<long>(visited.size()),
          "batch: every record visited once");
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (batch[i] != payer_typed(w, requests[i].account, requests[i].period_end))
      die(fmt::format("batch disagrees with the typed lookup for record {}", i));
    a.expected[std::string(batch[i])] += a.random[i].amount_cents;
  }
  std::vector<std::string_view> distinct;
  for (const auto& r : requests) distinct.push_back(r.account);
  std::sort(distinct.begin(), distinct.end());
  const auto n_distinct =
      static_cast<std::size_t>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
  require(
      runs == n_distinct,
      fmt::format("batch: {} runs of accounts for {} accounts (not grouped)", runs, n_distinct));
  // A known case: a history [(t, P), (t', "")] with t < t' pays P in [t, t') only.
  bool checked = false;
  for (std::size_t i = 0; i < n_accounts && !checked; ++i) {
    const account* acc = w.find_account(uin_of(i));
    const auto& h = acc->payment_history;
    if (h.size() < 2 || h[0].at == h[1].at) continue;
    require(payer_typed(w, acc->uin, h[0].at) == acc->uin, "before the first change: self");
    require(payer_typed(w, acc->uin, timestamp{h[0].at.us + 1}) == h[0].payer, "after it: payer");
    require(payer_typed(w, acc->uin, h[1].at) == h[0].payer, "a change at period_end: next period");
    checked = true;
  }
  require(checked, "no account with two distinct changes to check");
  return a;
}

const attribution_world& the_attribution_world() {
  static const attribution_world a = [] {
    const std::size_t accounts =
        std::min<std::size_t>(100'000, env_size("ORGGOV_BENCH_MAX_ACCOUNTS", 100'000));
    const std::size_t records = env_size("ORGGOV_BENCH_RECORDS", accounts * 10);
    return build_attribution_world(accounts, records);
  }();
  return a;
}

// Per-payer totals, keyed by views of the payers' uins inside the world (the
// world outlives the run, so the views stay valid).
using totals_map = std::unordered_map<std::string_view, std::int64_t>;

// The totals of a timed run must be those of the checked answers.
template <class Map>
void verify_totals(const attribution_world& a, const Map& totals, std::string_view what) {
  bool same = totals.size() == a.expected.size();
  for (const auto& [payer, cents] : totals) {
    auto it = a.expected.find(std::string(payer));
    same = same && it != a.expected.end() && it->second == cents;
  }
  if (!same) die(fmt::format("{}: the per-payer totals differ from the checked answers", what));
}

void report(benchmark::State& state, const attribution_world& a, std::size_t n,
            std::size_t payers) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["records"] = static_cast<double>(n);
  state.counters["accounts"] = static_cast<double>(a.accounts);
  state.counters["payers"] = static_cast<double>(payers);
  state.counters["sort_s"] = a.sort_s;
}

// Through the public query API: one orggov::ask per record. The answer is a
// JSON object that owns its strings, so the totals own their keys.
void attribute_ask(benchmark::State& state) {
  const attribution_world& a = the_attribution_world();
  const auto& records = state.range(0) ? a.grouped : a.random;
  std::unordered_map<std::string, std::int64_t> totals;
  for (auto _ : state) {
    totals.clear();
    totals.reserve(a.accounts);
    for (const usage_record& u : records) {
      boost::json::object answer = ask(a.w, ops::bill_payer{.account = u.account,
                                                            .period_start = u.period_start,
                                                            .period_end = u.decided_by()});
      totals[std::string(answer.at("payer").as_string())] += u.amount_cents;
    }
    benchmark::DoNotOptimize(totals.size());
  }
  verify_totals(a, totals, "attribute_ask");
  report(state, a, records.size(), totals.size());
}

// Without JSON. Random order: the typed lookup per record. Grouped order: one
// find_account per run of records of the same account, then only the binary
// search on its payment history, and the total slot of the last payer reused.
void attribute_typed(benchmark::State& state) {
  const attribution_world& a = the_attribution_world();
  const bool grouped = state.range(0) != 0;
  const auto& records = grouped ? a.grouped : a.random;
  totals_map totals;
  for (auto _ : state) {
    totals.clear();
    totals.reserve(a.accounts);
    if (!grouped) {
      for (const usage_record& u : records)
        totals[payer_typed(a.w, u.account, u.decided_by())] += u.amount_cents;
    } else {
      const account* acc = nullptr;
      std::string_view last_payer;
      std::int64_t* slot = nullptr;
      for (const usage_record& u : records) {
        if (!acc || acc->uin != u.account) acc = a.w.find_account(u.account);
        const auto& h = acc->payment_history;
        std::string_view payer = acc->uin;
        if (!h.empty()) {
          auto it = std::lower_bound(h.begin(), h.end(), u.decided_by(),
                                     [](const payment_change& c, timestamp t) { return c.at < t; });
          if (it != h.begin() && !std::prev(it)->payer.empty()) payer = std::prev(it)->payer;
        }
        if (!slot || payer.data() != last_payer.data()) {
          slot = &totals[payer];  // references into an unordered_map stay valid
          last_payer = payer;
        }
        *slot += u.amount_cents;
      }
    }
    benchmark::DoNotOptimize(totals.size());
  }
  verify_totals(a, totals, "attribute_typed");
  report(state, a, records.size(), totals.size());
}

// The library's batch API, in either order: build the requests (the host's
// records as (account, deciding instant)), then for_each_bill_payer calls back
// account by account; the total slot of the last payer is reused, as in the
// grouped typed loop. Building the requests is timed too.
void attribute_batch(benchmark::State& state) {
  const attribution_world& a = the_attribution_world();
  const auto& records = state.range(0) ? a.grouped : a.random;
  totals_map totals;
  std::vector<payer_request> requests;
  requests.reserve(records.size());
  for (auto _ : state) {
    totals.clear();
    totals.reserve(a.accounts);
    requests.clear();
    for (const usage_record& u : records) requests.push_back({u.account, u.decided_by()});
    std::string_view last_payer;
    std::int64_t* slot = nullptr;
    for_each_bill_payer(a.w, requests, [&](std::size_t i, std::string_view payer) {
      if (!slot || payer.data() != last_payer.data()) {
        slot = &totals[payer];
        last_payer = payer;
      }
      *slot += records[i].amount_cents;
    });
    benchmark::DoNotOptimize(totals.size());
  }
  verify_totals(a, totals, "attribute_batch");
  report(state, a, records.size(), totals.size());
}

BENCHMARK(attribute_ask)
    ->ArgName("grouped")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(attribute_typed)
    ->ArgName("grouped")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(attribute_batch)
    ->ArgName("grouped")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
