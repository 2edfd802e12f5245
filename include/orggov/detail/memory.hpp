// orggov/detail/memory.hpp — where a world's long-lived blocks come from.
//
// Trie nodes (`pmap`) and the records a world holds (`world::put_*`) are the
// bulk of a world's memory, and a large world is read at random: with 4 KiB
// pages, nearly every trie level and record a check touches in a world of a
// million accounts is a TLB miss as well as a cache miss. So blocks of up to
// `world_block_max` bytes come from size-class pools (16-byte classes) carved
// from 2 MiB-aligned regions that the kernel may back with transparent huge
// pages (`madvise(MADV_HUGEPAGE)`, enough when THP is in `madvise` mode,
// Debian's default; without THP they are ordinary pages).
//
// Each thread keeps a free list per class; a list that grows past a few
// dozen KiB is handed to a central list (under a mutex) that any thread takes
// whole lists from when its own is empty, so a writer thread reuses what
// reader threads free when they drop old snapshots. A thread's lists go to
// the central ones when it exits. The regions are kept for the life of the
// process, as most malloc arenas keep theirs: the footprint is the peak.
//
// Sanitizer builds serve every block from `operator new`, so that ASan sees
// each block; `pool_allocate` itself is still tested there, directly.
#pragma once

#include <cstddef>
#include <new>

namespace orggov::detail {

/// The largest block the pools serve; larger ones come from `operator new`.
inline constexpr std::size_t world_block_max = 1024;
/// The pools' block alignment (and granularity).
inline constexpr std::size_t world_block_align = 16;

/// A block of `bytes` (1 to `world_block_max`) from the pools, aligned to
/// `world_block_align`. Throws `std::bad_alloc` when no region can be mapped.
[[nodiscard]] void* pool_allocate(std::size_t bytes);
/// Returns a block; `bytes` must be the size it was allocated with.
void pool_deallocate(void* p, std::size_t bytes) noexcept;

/// Pool statistics, for tests and diagnostics.
struct pool_stats {
  std::size_t mapped_bytes = 0;    // regions mapped so far (never unmapped)
  std::size_t central_blocks = 0;  // blocks waiting in the central lists
};
[[nodiscard]] pool_stats pool_statistics();

/// True when world blocks come from the pools (false in sanitizer builds).
/// Define ORGGOV_POOLS_UNDER_SANITIZERS to keep the pools on in a
/// ThreadSanitizer build (docs/reliability.md runs the concurrency test so).
[[nodiscard]] constexpr bool world_pools_enabled() noexcept {
#if defined(ORGGOV_POOLS_UNDER_SANITIZERS)
  return true;
#elif defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
  return false;
#else
  return true;
#endif
#else
  return true;
#endif
}

[[nodiscard]] inline void* world_allocate(std::size_t bytes, std::size_t align) {
  if (world_pools_enabled() && bytes <= world_block_max && align <= world_block_align)
    return pool_allocate(bytes);
  return ::operator new (bytes, std::align_val_t{align});
}

/// `bytes` and `align` must be those the block was allocated with.
inline void world_deallocate(void* p, std::size_t bytes, std::size_t align) noexcept {
  if (world_pools_enabled() && bytes <= world_block_max && align <= world_block_align)
    pool_deallocate(p, bytes);
  else
    ::operator delete (p, std::align_val_t{align});
}

/// A stateless allocator on the world's pools (for `std::allocate_shared`).
template <class T>
struct world_allocator {
  using value_type = T;
  world_allocator() = default;
  template <class U>
  world_allocator(const world_allocator<U>&) noexcept {}
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(world_allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { world_deallocate(p, n * sizeof(T), alignof(T)); }
  template <class U>
  friend bool operator==(const world_allocator&, const world_allocator<U>&) noexcept {
    return true;
  }
};

}  // namespace orggov::detail
