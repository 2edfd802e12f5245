// The world's block pools (see orggov/detail/memory.hpp).
//
// Layout. Blocks are 32 to 1,024 bytes in 16-byte classes. A free block's
// first word links it to the next free block of its list. Each thread holds,
// per class, two lists ("magazines", after Bonwick's slab allocator): `loaded`,
// which it pops and pushes, and `previous`, which is either empty or full.
// A full `loaded` on a free becomes `previous` (a full `previous` goes to the
// central stack first); an empty `loaded` on an allocation swaps with a full
// `previous` or takes a whole list from the central stack. So a thread goes to
// the mutex at most once per `capacity` operations of a class, however its
// allocations and frees interleave. Lists on the central stack are linked
// through their head block's second word, and the head's third word holds the
// list's length, so pushing and taking a list are O(1).
//
// New blocks are carved, one at a time, from a thread's span (64 KiB), which
// comes from a region (32 MiB, 2 MiB-aligned, MADV_HUGEPAGE). When a thread
// exits, its lists and the rest of its span go to the central structures.
#include "orggov/detail/memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <utility>

namespace orggov::detail {
namespace {

constexpr std::size_t granule = world_block_align;
constexpr std::size_t min_block = 32;                            // a list head needs three words
constexpr std::size_t nclasses = world_block_max / granule + 1;  // index = size / 16
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t region_bytes = std::size_t{32} << 20;
constexpr std::size_t span_bytes = std::size_t{64} << 10;
static_assert(region_bytes % span_bytes == 0 && span_bytes % world_block_max == 0);

struct block {
  block* next;        // next block of the same list
  block* next_list;   // on the central stack, in a list's head: the next list
  std::size_t count;  // on the central stack, in a list's head: its length
};
static_assert(sizeof(block) <= min_block);

std::size_t class_of(std::size_t bytes) noexcept {
  return (std::max(bytes, min_block) + granule - 1) / granule;
}
constexpr std::size_t block_size(std::size_t cls) noexcept {
  return cls * granule;
}
// Blocks a thread keeps per list: about 16 KiB, at least 16 blocks.
constexpr std::size_t capacity(std::size_t cls) noexcept {
  return std::max<std::size_t>(16, (std::size_t{16} << 10) / block_size(cls));
}

struct list {
  block* head = nullptr;
  std::size_t count = 0;
  void push(block* b) noexcept {
    b->next = head;
    head = b;
    ++count;
  }
  block* pop() noexcept {
    block* b = head;
    head = b->next;
    --count;
    return b;
  }
};

// A stretch of unused memory, kept at its own start while it waits.
struct spare_span {
  spare_span* next;
  std::uintptr_t end;
};

class central_pools {
 public:
  // A whole list of class `cls`, or an empty one.
  list take(std::size_t cls) noexcept {
    std::lock_guard lock(m_);
    block* h = stacks_[cls];
    if (!h) return {};
    stacks_[cls] = h->next_list;
    blocks_ -= h->count;
    return {h, h->count};
  }
  void give(std::size_t cls, list l) noexcept {
    if (!l.head) return;
    std::lock_guard lock(m_);
    l.head->next_list = stacks_[cls];
    l.head->count = l.count;
    stacks_[cls] = l.head;
    blocks_ += l.count;
  }
  // A span: a spare one, or a new one from the current region.
  std::pair<std::uintptr_t, std::uintptr_t> span() {
    std::lock_guard lock(m_);
    if (spare_span* s = spares_) {
      spares_ = s->next;
      return {reinterpret_cast<std::uintptr_t>(s), s->end};
    }
    if (cur_ == end_) {
      cur_ = map_region();
      end_ = cur_ + region_bytes;
      mapped_ += region_bytes;
    }
    const std::uintptr_t s = cur_;
    cur_ += span_bytes;
    return {s, s + span_bytes};
  }
  // Keeps a span's unused rest for another thread. A rest smaller than the
  // largest block is dropped (less than 2% of a span), so any span taken
  // serves any block.
  void give_span(std::uintptr_t from, std::uintptr_t to) noexcept {
    if (to - from < world_block_max) return;
    auto* s = reinterpret_cast<spare_span*>(from);
    std::lock_guard lock(m_);
    s->next = spares_;
    s->end = to;
    spares_ = s;
  }
  pool_stats stats() {
    std::lock_guard lock(m_);
    return {mapped_, blocks_};
  }

 private:
  static std::uintptr_t map_region() {
    const std::size_t len = region_bytes + huge_page;
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    const auto raw = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t start = (raw + huge_page - 1) / huge_page * huge_page;
    if (start != raw) ::munmap(p, start - raw);
    if (const std::uintptr_t tail = raw + len - (start + region_bytes))
      ::munmap(reinterpret_cast<void*>(start + region_bytes), tail);
#ifdef MADV_HUGEPAGE
    ::madvise(reinterpret_cast<void*>(start), region_bytes, MADV_HUGEPAGE);  // advice only
#endif
    return start;
  }

  std::mutex m_;
  std::array<block*, nclasses> stacks_{};
  std::size_t blocks_ = 0;
  spare_span* spares_ = nullptr;
  std::uintptr_t cur_ = 0, end_ = 0;
  std::size_t mapped_ = 0;
};

central_pools& central() noexcept {
  // Leaked on purpose: worlds held by statics may be freed after this would
  // have been destroyed.
  static central_pools* c = new central_pools;
  return *c;
}

struct thread_cache {
  struct magazines {
    list loaded, previous;  // previous: empty or full
  };
  std::array<magazines, nclasses> cls{};
  std::uintptr_t span_cur = 0, span_end = 0;

  constexpr thread_cache() = default;
  thread_cache(const thread_cache&) = delete;
  thread_cache& operator=(const thread_cache&) = delete;
  ~thread_cache();

  void* allocate(std::size_t c) {
    magazines& m = cls[c];
    if (!m.loaded.count) {
      if (m.previous.count)
        std::swap(m.loaded, m.previous);
      else if (list l = central().take(c); l.count)
        m.loaded = l;
      else
        return carve(block_size(c));
    }
    return m.loaded.pop();
  }
  void deallocate(void* p, std::size_t c) noexcept {
    magazines& m = cls[c];
    if (m.loaded.count >= capacity(c)) {
      central().give(c, std::exchange(m.previous, m.loaded));
      m.loaded = {};
    }
    m.loaded.push(static_cast<block*>(p));
  }
  void* carve(std::size_t size) {
    if (span_end - span_cur < size) {
      const auto [from, to] = central().span();  // may throw: keep the old span until it returns
      central().give_span(span_cur, span_end);
      span_cur = from;
      span_end = to;
    }
    void* p = reinterpret_cast<void*>(span_cur);
    span_cur += size;
    return p;
  }
};

// Set once this thread's cache is destroyed (thread exit): later frees and
// allocations of the thread (from other thread_local destructors) go to the
// central structures directly.
thread_local bool cache_gone = false;
thread_local thread_cache cache;

thread_cache::~thread_cache() {
  for (std::size_t c = 0; c < nclasses; ++c) {
    central().give(c, cls[c].loaded);
    central().give(c, cls[c].previous);
  }
  central().give_span(span_cur, span_end);
  cache_gone = true;
}

}  // namespace

void* pool_allocate(std::size_t bytes) {
  if (bytes > world_block_max) throw std::bad_alloc();
  const std::size_t c = class_of(bytes);
  if (!cache_gone) return cache.allocate(c);
  if (list l = central().take(c); l.count) {
    block* b = l.pop();
    central().give(c, l);
    return b;
  }
  const auto [from, to] = central().span();
  central().give_span(from + block_size(c), to);
  return reinterpret_cast<void*>(from);
}

void pool_deallocate(void* p, std::size_t bytes) noexcept {
  const std::size_t c = class_of(bytes);
  if (!cache_gone) return cache.deallocate(p, c);
  list l;
  l.push(static_cast<block*>(p));
  central().give(c, l);
}

pool_stats pool_statistics() {
  return central().stats();
}

}  // namespace orggov::detail
