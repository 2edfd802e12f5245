// The world's block pools (detail/memory.hpp), called directly so that their
// logic runs in every build (sanitizer builds route world blocks to operator
// new, but these calls still reach the pools).
#include "orggov/detail/memory.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <random>
#include <set>
#include <thread>
#include <vector>

namespace {

using orggov::detail::pool_allocate;
using orggov::detail::pool_deallocate;
using orggov::detail::pool_statistics;
using orggov::detail::world_block_align;
using orggov::detail::world_block_max;

struct held {
  unsigned char* p;
  std::size_t n;
  unsigned char tag;
};

held take(std::size_t n, unsigned char tag) {
  auto* p = static_cast<unsigned char*>(pool_allocate(n));
  std::memset(p, tag, n);
  return {p, n, tag};
}

bool intact(const held& h) {
  for (std::size_t i = 0; i < h.n; ++i)
    if (h.p[i] != h.tag) return false;
  return true;
}

}  // namespace

TEST_CASE("pool blocks are aligned, writable and never overlap a live block") {
  std::mt19937 rng(11);
  std::map<std::uintptr_t, std::size_t> live;  // start -> size
  std::vector<held> blocks;
  auto overlaps = [&](std::uintptr_t p, std::size_t n) {
    auto it = live.upper_bound(p);
    if (it != live.end() && p + n > it->first) return true;
    return it != live.begin() && std::prev(it)->first + std::prev(it)->second > p;
  };
  for (int step = 0; step < 60000; ++step) {
    if (blocks.empty() || rng() % 3 != 0) {
      const std::size_t n = 1 + rng() % world_block_max;
      held h = take(n, static_cast<unsigned char>(rng()));
      const auto at = reinterpret_cast<std::uintptr_t>(h.p);
      REQUIRE(at % world_block_align == 0);
      REQUIRE_FALSE(overlaps(at, n));
      live.emplace(at, n);
      blocks.push_back(h);
    } else {
      const std::size_t k = rng() % blocks.size();
      REQUIRE(intact(blocks[k]));
      live.erase(reinterpret_cast<std::uintptr_t>(blocks[k].p));
      pool_deallocate(blocks[k].p, blocks[k].n);
      blocks[k] = blocks.back();
      blocks.pop_back();
    }
  }
  for (const held& h : blocks) {
    CHECK(intact(h));
    pool_deallocate(h.p, h.n);
  }
}

TEST_CASE("a freed block is reused by the next allocation of its size class") {
  std::set<void*> freed;
  std::vector<void*> mine;
  for (int i = 0; i < 8; ++i) mine.push_back(pool_allocate(200));
  for (void* p : mine) {
    pool_deallocate(p, 200);
    freed.insert(p);
  }
  // 193..208 bytes share a class with 200: all eight come back, in any order.
  std::set<void*> again;
  for (int i = 0; i < 8; ++i) again.insert(pool_allocate(193 + i * 2));
  CHECK(again == freed);
  for (int i = 0; i < 8; ++i) pool_deallocate(*std::next(again.begin(), i), 200);
}

TEST_CASE("a block larger than world_block_max is refused") {
  CHECK_THROWS_AS((void)pool_allocate(world_block_max + 1), std::bad_alloc);
}

TEST_CASE("blocks freed on another thread are reused, not leaked") {
  // A producer allocates, a consumer frees (as a writer thread builds worlds
  // and reader threads drop old snapshots). The consumer's lists overflow to
  // the central lists, from which the producer takes them: the mapped memory
  // stays near the live set instead of growing with the blocks allocated.
  const std::size_t before = pool_statistics().mapped_bytes;
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::vector<held>> queue;  // batches of 100 blocks
  bool done = false;
  long corrupted = 0;
  constexpr int batches = 10000;  // 1M blocks of 96 B: 96 MB allocated in all
  std::thread consumer([&] {
    for (;;) {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return !queue.empty() || done; });
      if (queue.empty()) return;
      std::vector<held> batch = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      cv.notify_all();
      for (const held& h : batch) {
        if (!intact(h)) ++corrupted;
        pool_deallocate(h.p, h.n);
      }
    }
  });
  for (int i = 0; i < batches; ++i) {
    std::vector<held> batch;
    for (int j = 0; j < 100; ++j) batch.push_back(take(96, static_cast<unsigned char>(i + j)));
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return queue.size() < 10; });
    queue.push_back(std::move(batch));
    lock.unlock();
    cv.notify_all();
  }
  {
    std::lock_guard lock(m);
    done = true;
  }
  cv.notify_all();
  consumer.join();
  CHECK(corrupted == 0);
  // The live set never exceeds ~1,100 blocks plus the threads' caches: one
  // new region (32 MiB) at most, where leaking would need at least two.
  CHECK(pool_statistics().mapped_bytes - before <= (std::size_t{32} << 20));
  // The consumer has exited: its cached blocks are on the central lists.
  CHECK(pool_statistics().central_blocks > 0);
}
