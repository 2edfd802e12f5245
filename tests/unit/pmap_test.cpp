// Tests for orggov::detail::pmap / pset (persistent HAMT).
//
// The core is a randomized differential test against std::map, run with
// several hashes: a terrible one (k % 7) that forces long chains ending in
// collision nodes, one that only varies in the top bits (deep single-child
// chains), std::hash and a full 64-bit mixer. Snapshots taken along the way
// are re-checked at the end, which is what persistence means.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "orggov/detail/pmap.hpp"

namespace {

using orggov::detail::pmap;
using orggov::detail::pset;

struct mod7_hash {
  std::size_t operator()(std::uint64_t k) const noexcept { return k % 7; }
};
// Differs only in the top 6 bits, so every pair of keys shares a long prefix.
struct top_bits_hash {
  std::size_t operator()(std::uint64_t k) const noexcept { return (k % 61) << 58; }
};
struct mix_hash {
  std::size_t operator()(std::uint64_t k) const noexcept {
    k += 0x9e3779b97f4a7c15ull;
    k = (k ^ (k >> 30)) * 0xbf58476d1ce4e5b9ull;
    k = (k ^ (k >> 27)) * 0x94d049bb133111ebull;
    return k ^ (k >> 31);
  }
};

template <class M>
std::map<std::uint64_t, std::string> to_std(const M& m) {
  std::map<std::uint64_t, std::string> out;
  std::size_t n = 0, dups = 0;
  for (const auto& [k, v] : m) {
    ++n;
    dups += out.emplace(k, v).second ? 0 : 1;  // every element exactly once
  }
  CHECK(dups == 0);
  CHECK(n == m.size());
  return out;
}

template <class M>
void check_equal(const M& m, const std::map<std::uint64_t, std::string>& ref) {
  REQUIRE(m.size() == ref.size());
  CHECK(m.empty() == ref.empty());
  CHECK(to_std(m) == ref);
  std::size_t bad = 0;
  for (const auto& [k, v] : ref) {
    const std::string* f = m.find(k);
    bad += f && *f == v ? 0 : 1;
  }
  CHECK(bad == 0);
  // find_many agrees with find, present and absent keys mixed, batches of
  // more than its 16-key chunk, collision nodes included (mod7_hash).
  std::vector<std::uint64_t> keys;
  for (const auto& [k, v] : ref) {
    keys.push_back(k);
    if (!ref.count(k + 1)) keys.push_back(k + 1);
  }
  keys.push_back(~std::uint64_t{0});
  std::vector<const std::string*> many(keys.size());
  for (std::size_t at = 0; at < keys.size(); at += 37)
    m.find_many(keys.data() + at, std::min<std::size_t>(37, keys.size() - at), many.data() + at);
  std::size_t disagree = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) disagree += many[i] != m.find(keys[i]);
  CHECK(disagree == 0);
}

template <class Hash>
void differential(std::uint64_t key_space, int ops, std::uint32_t seed) {
  using map = pmap<std::uint64_t, std::string, Hash>;
  std::mt19937_64 rng(seed);
  map m;
  std::map<std::uint64_t, std::string> ref;
  std::vector<std::pair<map, std::map<std::uint64_t, std::string>>> snapshots;
  for (int i = 0; i < ops; ++i) {
    const std::uint64_t k = rng() % key_space;
    const auto op = rng() % 10;
    if (op < 4) {
      std::string v = std::string("v") + std::to_string(rng() % 1000);
      m = m.set(k, v);
      ref.insert_or_assign(k, v);
    } else if (op < 6) {
      // Consuming set; a snapshot may still share the nodes, which must then be copied.
      std::string v = std::string("w") + std::to_string(i);
      m = std::move(m).set(k, v);
      ref.insert_or_assign(k, v);
    } else if (op < 9) {
      m = m.erase(k);
      ref.erase(k);
    } else {
      const std::string* f = m.find(k);
      auto it = ref.find(k);
      REQUIRE((f != nullptr) == (it != ref.end()));
      if (f) CHECK(*f == it->second);
    }
    REQUIRE(m.size() == ref.size());
    if (i % 5000 == 0) {
      check_equal(m, ref);
      snapshots.emplace_back(m, ref);
    }
  }
  check_equal(m, ref);
  for (const auto& [snap, snap_ref] : snapshots) check_equal(snap, snap_ref);
  // Drain to empty in random order.
  std::vector<std::uint64_t> keys;
  for (const auto& [k, v] : ref) keys.push_back(k);
  std::shuffle(keys.begin(), keys.end(), rng);
  const std::size_t step = std::max<std::size_t>(97, keys.size() / 16);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    m = m.erase(keys[i]);
    ref.erase(keys[i]);
    if (i % step == 0 || keys.size() - i < 40) check_equal(m, ref);
  }
  CHECK(m.empty());
  CHECK(m.size() == 0);
  CHECK(m.begin() == m.end());
  for (const auto& [snap, snap_ref] : snapshots) check_equal(snap, snap_ref);
}

}  // namespace

TEST_SUITE("pmap") {
  TEST_CASE("iterators are forward iterators") {
    static_assert(std::forward_iterator<pmap<int, int>::const_iterator>);
    static_assert(std::forward_iterator<pset<std::string>::const_iterator>);
    static_assert(
        std::is_same_v<decltype(*pmap<int, int>{}.begin()), const std::pair<const int, int>&>);
  }

  TEST_CASE("basic set, find, erase") {
    pmap<int, int> a;
    CHECK(a.empty());
    CHECK(a.find(1) == nullptr);
    CHECK(a.begin() == a.end());
    CHECK(a.erase(1).empty());
    auto b = a.set(1, 10);
    CHECK(a.empty());
    REQUIRE(b.find(1));
    CHECK(*b.find(1) == 10);
    CHECK(b.size() == 1);
    auto c = b.set(1, 11);
    CHECK(c.size() == 1);
    CHECK(*c.find(1) == 11);
    CHECK(*b.find(1) == 10);
    auto d = c.erase(1);
    CHECK(d.empty());
    CHECK(c.size() == 1);
    CHECK(c.erase(2).size() == 1);
    auto e = c.update(1, [](int v) { return v + 1; }).update(5, [](int v) { return v + 7; });
    CHECK(*e.find(1) == 12);
    CHECK(*e.find(5) == 7);
  }

  TEST_CASE("transparent lookup on string keys") {
    pmap<std::string, int> m;
    m = m.set("alpha", 1).set("beta", 2).set(std::string(40, 'x'), 3);
    const std::string_view sv = "alpha";
    REQUIRE(m.find(sv));
    CHECK(*m.find(sv) == 1);
    CHECK(m.contains("beta"));
    CHECK(m.contains(std::string_view(std::string(40, 'x'))));
    CHECK_FALSE(m.contains(std::string_view("gamma")));
    auto n = m.erase(std::string_view("beta"));
    CHECK(n.size() == 2);
    CHECK_FALSE(n.contains("beta"));
    CHECK(m.contains("beta"));
  }

  TEST_CASE("differential vs std::map, terrible hash k % 7 (collision nodes)") {
    differential<mod7_hash>(2000, 100000, 1);
  }
  TEST_CASE("differential vs std::map, hash varying in top bits only") {
    differential<top_bits_hash>(3000, 100000, 2);
  }
  TEST_CASE("differential vs std::map, std::hash") {
    differential<std::hash<std::uint64_t>>(50000, 120000, 3);
  }
  TEST_CASE("differential vs std::map, full 64-bit hash") {
    differential<mix_hash>(50000, 150000, 4);
    differential<mix_hash>(300, 100000, 5);  // dense: many overwrites and re-inserts
  }

  TEST_CASE("persistence: every version stays intact") {
    pmap<std::uint64_t, std::string, mix_hash> m;
    std::vector<pmap<std::uint64_t, std::string, mix_hash>> versions;
    for (std::uint64_t i = 0; i < 3000; ++i) {
      versions.push_back(m);
      m = m.set(i % 1000, std::to_string(i));
      if (i % 3 == 0) m = m.erase((i * 7) % 1000);
    }
    // Replay to recompute each version's expected contents.
    std::map<std::uint64_t, std::string> ref;
    for (std::uint64_t i = 0; i < 3000; ++i) {
      if (i % 50 == 0) check_equal(versions[i], ref);
      ref.insert_or_assign(i % 1000, std::to_string(i));
      if (i % 3 == 0) ref.erase((i * 7) % 1000);
    }
    check_equal(m, ref);
  }

  TEST_CASE("updates share untouched entries") {
    pmap<std::uint64_t, std::string, mix_hash> a;
    for (std::uint64_t i = 0; i < 10000; ++i) a = std::move(a).set(i, std::to_string(i));
    const auto b = a.set(77, "changed");
    int shared = 0;
    for (std::uint64_t i = 0; i < 10000; ++i) shared += a.find(i) == b.find(i);
    // Only the entries in the copied path (a handful of nodes) moved.
    CHECK(shared > 9900);
    CHECK(*a.find(77) == "77");
    CHECK(*b.find(77) == "changed");
  }

  TEST_CASE("consuming set leaves shared maps alone") {
    pmap<int, int> a;
    for (int i = 0; i < 5000; ++i) a = std::move(a).set(i, i);
    pmap<int, int> keep = a;
    for (int i = 0; i < 5000; ++i) a = std::move(a).set(i, -i);
    for (int i = 0; i < 5000; ++i) {
      REQUIRE(keep.find(i));
      CHECK(*keep.find(i) == i);
      CHECK(*a.find(i) == -i);
    }
  }

  TEST_CASE("iteration visits every element once") {
    pmap<std::uint64_t, std::string, mod7_hash> bad;
    pmap<std::uint64_t, std::string> good;
    for (std::uint64_t i = 0; i < 20000; i += 3) {
      if (i < 3000) bad = bad.set(i, "x");
      good = good.set(i, "y");
    }
    std::vector<std::uint64_t> seen;
    for (auto it = good.begin(); it != good.end(); it++) seen.push_back(it->first);
    std::sort(seen.begin(), seen.end());
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    CHECK(seen.size() == good.size());
    CHECK(std::distance(bad.begin(), bad.end()) == static_cast<std::ptrdiff_t>(bad.size()));
  }

  TEST_CASE("erase to empty and reuse") {
    pmap<std::uint64_t, std::string, top_bits_hash> m;
    for (std::uint64_t i = 0; i < 500; ++i) m = m.set(i, std::to_string(i));
    for (std::uint64_t i = 0; i < 500; ++i) m = m.erase(i);
    CHECK(m.empty());
    CHECK(m.begin() == m.end());
    m = m.set(3, "three");
    CHECK(m.size() == 1);
    CHECK(*m.find(3) == "three");
  }

  TEST_CASE("pset") {
    pset<std::string> s;
    CHECK(s.empty());
    auto t = s.insert("a").insert("b").insert("a");
    CHECK(t.size() == 2);
    CHECK(t.contains(std::string_view("a")));
    CHECK(t.contains("b"));
    CHECK_FALSE(s.contains("a"));
    std::vector<std::string> items(t.begin(), t.end());
    std::sort(items.begin(), items.end());
    CHECK(items == std::vector<std::string>{"a", "b"});
    auto u = t.erase(std::string_view("a"));
    CHECK(u.size() == 1);
    CHECK_FALSE(u.contains("a"));
    CHECK(t.contains("a"));
    CHECK(u.erase("b").empty());

    pset<int> ints;
    for (int i = 0; i < 1000; ++i) ints = ints.insert(i);
    int sum = 0;
    for (int v : ints) sum += v;
    CHECK(sum == 999 * 1000 / 2);
  }

  TEST_CASE("concurrent readers copy and drop shared maps") {
    pmap<std::uint64_t, std::string> base;
    for (std::uint64_t i = 0; i < 2000; ++i) base = base.set(i, std::to_string(i));
    std::atomic<bool> ok{true};
    auto work = [&](std::uint64_t salt) {
      for (int round = 0; round < 200; ++round) {
        auto mine = base;  // shares every node with the other thread
        mine = mine.set(salt * 100000 + round, "t").erase(round % 2000);
        mine = std::move(mine).set(round % 2000, "again");
        std::size_t n = 0;
        for (const auto& kv : base) n += kv.second.empty() ? 0 : 1;
        if (n != 2000 || !base.find(std::uint64_t{7})) ok = false;
      }
    };
    std::thread t1(work, 1), t2(work, 2);
    t1.join();
    t2.join();
    CHECK(ok.load());
    CHECK(base.size() == 2000);

    // The last owner of a shared node may be either thread: hand two copies
    // away, let go of ours, and let the threads race to destroy.
    for (int round = 0; round < 50; ++round) {
      auto shared = base.set(std::uint64_t{1} << 40, std::string("r") + std::to_string(round));
      auto reader = [&ok](pmap<std::uint64_t, std::string> m) {
        std::size_t n = 0;
        for (const auto& kv : m) n += kv.first == 7 ? 1 : 0;
        if (n != 1) ok = false;
        m = m.erase(std::uint64_t{7});
        m = std::move(m).set(std::uint64_t{7}, "x");
      };
      std::thread a(reader, shared), b(reader, shared);
      shared = {};
      a.join();
      b.join();
    }
    CHECK(ok.load());
  }
}
