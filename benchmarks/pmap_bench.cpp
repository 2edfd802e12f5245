// Benchmarks for orggov::detail::pmap (persistent HAMT).
//
// find / set / erase on maps of 10k and 1M accounts keyed by id string. Each
// set or erase builds a full new snapshot and drops it, so the numbers include
// path copying and freeing; they should grow only with the trie depth
// (log32 n), not with n. BM_memory reports heap bytes per entry at 1M.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "orggov/detail/pmap.hpp"

namespace {

struct account {  // a small value, like the world's per-account record
  std::uint32_t org = 0;
  std::uint32_t flags = 0;
  std::int64_t balance = 0;
};
using map = orggov::detail::pmap<std::string, account>;

std::string key_of(std::uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "acct-%010llu", static_cast<unsigned long long>(i));
  return buf;
}

struct world {
  map m;
  std::vector<std::string> present;  // shuffled, to defeat the prefetcher
  std::vector<std::string> absent;
};

const world& world_of(std::size_t n) {
  static std::map<std::size_t, world> cache;
  auto [it, fresh] = cache.try_emplace(n);
  world& w = it->second;
  if (fresh) {
    for (std::size_t i = 0; i < n; ++i) {
      w.present.push_back(key_of(i));
      w.m = std::move(w.m).set(w.present.back(), account{static_cast<std::uint32_t>(i % 100000)});
    }
    for (std::size_t i = 0; i < 4096; ++i) w.absent.push_back(key_of(n + i));
    std::shuffle(w.present.begin(), w.present.end(), std::mt19937_64(42));
  }
  return w;
}

void BM_find(benchmark::State& state) {
  const world& w = world_of(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.m.find(w.present[i]));
    if (++i == w.present.size()) i = 0;
  }
}

void BM_find_missing(benchmark::State& state) {
  const world& w = world_of(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.m.find(w.absent[i]));
    i = (i + 1) & 4095;
  }
}

// Overwrites an existing account: a new snapshot, then dropped.
void BM_set_existing(benchmark::State& state) {
  const world& w = world_of(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    map next = w.m.set(w.present[i], account{1, 2, 3});
    benchmark::DoNotOptimize(next);
    if (++i == w.present.size()) i = 0;
  }
}

void BM_set_new(benchmark::State& state) {
  const world& w = world_of(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    map next = w.m.set(w.absent[i], account{1, 2, 3});
    benchmark::DoNotOptimize(next);
    i = (i + 1) & 4095;
  }
}

void BM_erase(benchmark::State& state) {
  const world& w = world_of(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    map next = w.m.erase(w.present[i]);
    benchmark::DoNotOptimize(next);
    if (++i == w.present.size()) i = 0;
  }
}

// Bulk load with the consuming set, per inserted entry.
void BM_build_consuming(benchmark::State& state) {
  const world& w = world_of(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    map m;
    for (const auto& k : w.present) m = std::move(m).set(k, account{});
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

// Heap bytes per entry at n entries (keys fit the small-string buffer, so
// this is all map overhead plus the 48-byte pair). Baselines for context.
void BM_memory(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < n; ++i) keys.push_back(key_of(i));
  double pmap_b = 0, umap_b = 0, smap_b = 0;
  for (auto _ : state) {
    {
      const std::size_t before = heap_in_use();
      map m;
      for (const auto& k : keys) m = std::move(m).set(k, account{});
      pmap_b = static_cast<double>(heap_in_use() - before) / static_cast<double>(n);
      benchmark::DoNotOptimize(m);
    }
    {
      const std::size_t before = heap_in_use();
      std::unordered_map<std::string, account> m;
      for (const auto& k : keys) m.emplace(k, account{});
      umap_b = static_cast<double>(heap_in_use() - before) / static_cast<double>(n);
      benchmark::DoNotOptimize(m);
    }
    {
      const std::size_t before = heap_in_use();
      std::map<std::string, account> m;
      for (const auto& k : keys) m.emplace(k, account{});
      smap_b = static_cast<double>(heap_in_use() - before) / static_cast<double>(n);
      benchmark::DoNotOptimize(m);
    }
  }
  state.counters["pmap_B_per_entry"] = pmap_b;
  state.counters["unordered_map_B_per_entry"] = umap_b;
  state.counters["std_map_B_per_entry"] = smap_b;
}

}  // namespace

BENCHMARK(BM_find)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_find_missing)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_set_existing)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_set_new)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_erase)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_build_consuming)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_memory)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
