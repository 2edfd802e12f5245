// orggov/detail/pmap.hpp — persistent (immutable) hash maps and sets.
//
// `pmap<K, V>` and `pset<K>` never change once built: `set`, `erase` and
// `insert` return a new map that shares every untouched part with the old one.
// Readers holding the old map see it unchanged; no locks are needed.
//
//   detail::pmap<std::string, int> a;
//   auto b = a.set("x", 1);          // a is still empty
//   if (const int* v = b.find("x")) use(*v);
//   auto c = std::move(b).set("y", 2);  // may update b's nodes in place when unshared
//
// Iteration order is unspecified (hash order); sort when order matters.
// Thread safety: all const members are safe to call concurrently, and copies of
// one map may be made and dropped from any number of threads.
//
// Implementation: a hash array mapped trie in the CHAMP layout (Steindorfer &
// Vinju, as in immer): each node consumes 4 hash bits (16-way) and holds two
// bitmaps, `datamap` for entries stored inline and `nodemap` for child nodes,
// with both arrays compressed by popcount into a single allocation. Entries
// that share all 64 hash bits end up in a collision node (a flat array) below
// the last level. Updates copy the path from the root (at most 17 nodes);
// erase keeps the trie canonical by pulling lone entries back up into their
// parent, so the shape depends only on the contents, never on the history.
// Nodes are shared through an intrusive atomic reference count.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "orggov/detail/memory.hpp"

namespace orggov::detail {

/// Transparent string hash: looks up `std::string` keys with a `std::string_view`.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

template <class K>
struct default_hash : std::hash<K> {};
template <>
struct default_hash<std::string> : string_hash {};

namespace hamt {

// 16-way rather than 32-way: copying a node retains each of its children (an
// atomic increment on the child's header), and in a world of a million
// accounts those headers are cache misses. Half the fan-out touches about a
// third fewer of them per copied path for one more level per lookup. In the
// world benchmark at 1M with random targets, writes were 30-40% faster and
// the join check (lookups only) about 20% slower (benchmarks/README.md).
inline constexpr unsigned bits = 4;
inline constexpr unsigned hash_bits = sizeof(std::size_t) * 8;
// Bitmap levels use shifts 0, 5, ..., 60; a collision node sits one level below.
inline constexpr unsigned max_depth = (hash_bits + bits - 1) / bits + 1;
inline constexpr std::uint32_t npos = ~std::uint32_t{0};

/// Node header; the child pointers and then the entries follow in the same
/// allocation. A collision node has both bitmaps zero and `nvals >= 2`.
struct node {
  std::atomic<std::uint32_t> refs;
  std::uint32_t datamap;
  std::uint32_t nodemap;
  std::uint32_t nvals;  // popcount(datamap) cached, or the collision count
};

inline std::uint32_t bit_of(std::size_t h, unsigned shift) noexcept {
  return std::uint32_t{1} << ((h >> shift) & ((1u << bits) - 1));
}
inline std::uint32_t index_of(std::uint32_t map, std::uint32_t bit) noexcept {
  return static_cast<std::uint32_t>(std::popcount(map & (bit - 1)));
}
inline std::uint32_t nkids(const node* n) noexcept {
  return static_cast<std::uint32_t>(std::popcount(n->nodemap));
}
inline node** kids(const node* n) noexcept {
  return reinterpret_cast<node**>(const_cast<node*>(n) + 1);
}

template <class T>
constexpr std::size_t values_offset(std::uint32_t nkid) noexcept {
  const std::size_t end = sizeof(node) + nkid * sizeof(node*);
  return (end + alignof(T) - 1) / alignof(T) * alignof(T);
}
template <class T>
T* vals(const node* n) noexcept {
  return reinterpret_cast<T*>(reinterpret_cast<char*>(const_cast<node*>(n)) +
                              values_offset<T>(nkids(n)));
}

// ---- prefetching what copying a node touches
//
// Copying a node bumps the count of every child and copies every entry; in a
// large map those are scattered, cold cache lines. Reference counts are
// locked read-modify-writes, which x86 does not overlap with other misses, so
// the copy would wait for each line in turn. Prefetching them all first (with
// intent to write) lets the misses overlap. Prefetches never fault.

inline void prefetch_w(const void* p) noexcept {
  __builtin_prefetch(p, 1, 3);
}

/// What copying a value reads or writes outside the node: nothing by default.
template <class T>
void prefetch_payload(const T&) noexcept {}
/// A heap-allocated string's characters (a short string lives in the node).
inline void prefetch_payload(const std::string& s) noexcept {
  __builtin_prefetch(s.data(), 0, 3);
}
/// A `shared_ptr`'s control block, whose use count a copy increments.
template <class T>
void prefetch_payload(const std::shared_ptr<T>& p) noexcept {
  // libstdc++ and libc++ lay a shared_ptr out as {element, control block}.
  if constexpr (sizeof(std::shared_ptr<T>) == 2 * sizeof(void*)) {
    const void* cb;
    std::memcpy(&cb, reinterpret_cast<const char*>(&p) + sizeof(void*), sizeof cb);
    if (cb) prefetch_w(cb);
  } else {
    prefetch_w(p.get());
  }
}
template <class A, class B>
void prefetch_payload(const std::pair<A, B>& e) noexcept {
  prefetch_payload(e.first);
  prefetch_payload(e.second);
}

/// What a found value points to (a record), for reading soon after.
template <class T>
void prefetch_target(const T&) noexcept {}
template <class T>
void prefetch_target(const std::shared_ptr<T>& p) noexcept {
  __builtin_prefetch(p.get(), 0, 3);
}

}  // namespace hamt

template <class K, class V, class Hash = default_hash<K>, class Eq = std::equal_to<>>
class pmap {
  using node = hamt::node;
  static constexpr bool transparent_ = requires { typename Hash::is_transparent; };

 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;

  /// Depth-first walk: a node's inline entries, then its children in slot order.
  class const_iterator {
   public:
    using value_type = pmap::value_type;
    using reference = const value_type&;
    using pointer = const value_type*;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;

    const_iterator() = default;
    reference operator*() const { return *cur_; }
    pointer operator->() const { return cur_; }
    const_iterator& operator++() {
      if (++cur_ == end_) next_node_();
      return *this;
    }
    const_iterator operator++(int) {
      auto c = *this;
      ++*this;
      return c;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.cur_ == b.cur_;
    }

   private:
    friend class pmap;
    explicit const_iterator(const node* root) {
      depth_ = 0;
      stack_[0] = root;
      next_[0] = 0;
      if (root->nvals != 0) {
        cur_ = hamt::vals<value_type>(root);
        end_ = cur_ + root->nvals;
      } else {
        next_node_();
      }
    }
    // Descends to the next node (in pre-order) that holds entries.
    void next_node_() {
      while (depth_ >= 0) {
        const node* n = stack_[depth_];
        if (next_[depth_] < hamt::nkids(n)) {
          const node* c = hamt::kids(n)[next_[depth_]++];
          ++depth_;
          stack_[depth_] = c;
          next_[depth_] = 0;
          if (c->nvals != 0) {
            cur_ = hamt::vals<value_type>(c);
            end_ = cur_ + c->nvals;
            return;
          }
        } else {
          --depth_;
        }
      }
      cur_ = end_ = nullptr;
    }

    const value_type* cur_ = nullptr;
    const value_type* end_ = nullptr;
    int depth_ = -1;
    std::uint8_t next_[hamt::max_depth]{};
    const node* stack_[hamt::max_depth]{};
  };

  pmap() = default;
  pmap(const pmap& o) noexcept : root_(o.root_), size_(o.size_) {
    if (root_) retain_(root_);
  }
  pmap(pmap&& o) noexcept
      : root_(std::exchange(o.root_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  pmap& operator=(const pmap& o) noexcept {
    pmap(o).swap(*this);
    return *this;
  }
  pmap& operator=(pmap&& o) noexcept {
    pmap(std::move(o)).swap(*this);
    return *this;
  }
  ~pmap() {
    if (root_) release_(root_);
  }
  void swap(pmap& o) noexcept {
    std::swap(root_, o.root_);
    std::swap(size_, o.size_);
  }

  template <class Q>
  [[nodiscard]] const V* find(const Q& q) const {
    const node* n = root_;
    if (!n) return nullptr;
    const auto& key = lookup_key_(q);
    const std::size_t h = Hash{}(key);
    for (unsigned shift = 0; shift < hamt::hash_bits; shift += hamt::bits) {
      const std::uint32_t bit = hamt::bit_of(h, shift);
      if (n->datamap & bit) {
        const value_type& e = vals_(n)[hamt::index_of(n->datamap, bit)];
        return Eq{}(e.first, key) ? &e.second : nullptr;
      }
      if (!(n->nodemap & bit)) return nullptr;
      n = hamt::kids(n)[hamt::index_of(n->nodemap, bit)];
    }
    const value_type* v = vals_(n);
    for (std::uint32_t i = 0; i < n->nvals; ++i)
      if (Eq{}(v[i].first, key)) return &v[i].second;
    return nullptr;
  }
  /// Looks up `n` keys together: their paths are walked one level at a time
  /// for all keys, each key's next node prefetched before any is read, so
  /// the cache misses of independent lookups overlap instead of queueing.
  /// `out[i]` is what `find(keys[i])` returns.
  template <class Q>
  void find_many(const Q* keys, std::size_t n, const V** out) const {
    constexpr std::size_t most = 16;
    const node* at[most];
    std::size_t hashes[most];
    for (std::size_t from = 0; from < n; from += most) {
      const std::size_t m = std::min(most, n - from);
      std::size_t live = 0;
      for (std::size_t i = 0; i < m; ++i) {
        at[i] = root_;
        hashes[i] = Hash{}(lookup_key_(keys[from + i]));
        out[from + i] = nullptr;
        live += root_ != nullptr;
      }
      for (unsigned shift = 0; live && shift < hamt::hash_bits; shift += hamt::bits) {
        for (std::size_t i = 0; i < m; ++i) {
          const node* nd = at[i];
          if (!nd) continue;
          const std::size_t h = hashes[i];
          const std::uint32_t bit = hamt::bit_of(h, shift);
          at[i] = nullptr;
          if (nd->datamap & bit) {
            const value_type& e = vals_(nd)[hamt::index_of(nd->datamap, bit)];
            if (Eq{}(e.first, lookup_key_(keys[from + i]))) {
              out[from + i] = &e.second;
              hamt::prefetch_target(e.second);
            }
            --live;
          } else if (nd->nodemap & bit) {
            at[i] = hamt::kids(nd)[hamt::index_of(nd->nodemap, bit)];
            __builtin_prefetch(at[i], 0, 3);
          } else {
            --live;
          }
        }
      }
      for (std::size_t i = 0; i < m; ++i)  // collision nodes, below the last level
        if (at[i]) out[from + i] = find(keys[from + i]);
    }
  }

  template <class Q>
  [[nodiscard]] bool contains(const Q& key) const {
    return find(key) != nullptr;
  }

  /// Returns a map with `key` bound to `value`.
  [[nodiscard]] pmap set(K key, V value) const& {
    const std::size_t h = Hash{}(key);
    if (!root_) return pmap(make_root_(h, key, value), 1);
    bool added = false;
    node* r = set_rec_(root_, 0, h, key, value, added, false);
    return pmap(r, size_ + added);
  }
  /// As above, but consumes `*this`: nodes no other map shares are updated in
  /// place, which makes bulk loading (`m = std::move(m).set(k, v)`) cheap.
  [[nodiscard]] pmap set(K key, V value) && {
    const std::size_t h = Hash{}(key);
    if (!root_) return pmap(make_root_(h, key, value), 1);
    bool added = false;
    const bool unique = root_->refs.load(std::memory_order_acquire) == 1;
    node* r = set_rec_(root_, 0, h, key, value, added, unique);
    if (!unique) release_(root_);  // set_rec_ only borrowed the shared root
    root_ = nullptr;
    return pmap(r, std::exchange(size_, 0) + added);
  }
  /// `set(key, f(current value or V{}))`.
  template <class F>
  [[nodiscard]] pmap update(K key, F&& f) const {
    const V* cur = find(key);
    V next = cur ? std::forward<F>(f)(*cur) : std::forward<F>(f)(V{});
    return set(std::move(key), std::move(next));
  }

  template <class Q>
  [[nodiscard]] pmap erase(const Q& q) const {
    if (!root_) return *this;
    const auto& key = lookup_key_(q);
    const erased r = erase_rec_(root_, 0, Hash{}(key), key);
    if (!r.found) return *this;
    return pmap(r.n, size_ - 1);
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const_iterator begin() const {
    return root_ ? const_iterator(root_) : const_iterator();
  }
  [[nodiscard]] const_iterator end() const { return const_iterator(); }

 private:
  pmap(node* root, std::size_t size) noexcept : root_(root), size_(size) {}

  // Keys of another type are converted first unless the hash is transparent,
  // so that they hash exactly like the stored keys.
  template <class Q>
  static decltype(auto) lookup_key_(const Q& q) {
    if constexpr (transparent_ || std::is_same_v<Q, K>)
      return (q);
    else
      return K(q);
  }

  // ---- node memory --------------------------------------------------------

  // Nodes come from the world's pools (memory.hpp): huge-page-backed, so a
  // walk or a path copy in a large map takes few TLB misses.
  static constexpr std::size_t align_ = std::max(alignof(value_type), alignof(node));
  static constexpr std::size_t node_bytes_(std::uint32_t nkid, std::uint32_t nval) {
    return hamt::values_offset<value_type>(nkid) + nval * sizeof(value_type);
  }
  static value_type* vals_(const node* n) noexcept { return hamt::vals<value_type>(n); }

  static node* alloc_(std::uint32_t dm, std::uint32_t nm, std::uint32_t nv) {
    const std::size_t bytes = node_bytes_(static_cast<std::uint32_t>(std::popcount(nm)), nv);
    return ::new (world_allocate(bytes, align_)) node{{1}, dm, nm, nv};
  }
  static void dealloc_(node* n) noexcept {
    const std::size_t bytes = node_bytes_(hamt::nkids(n), n->nvals);  // the header never changes
    n->~node();
    world_deallocate(static_cast<void*>(n), bytes, align_);
  }
  static void retain_(node* n) noexcept { n->refs.fetch_add(1, std::memory_order_relaxed); }
  // acq_rel: the last owner must see every write other owners made before
  // they let go, and its destruction must not be reordered before the count.
  static void release_(node* n) noexcept {
    if (n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy_(n);
  }
  static void destroy_(node* n) noexcept {
    node** k = hamt::kids(n);
    for (std::uint32_t i = 0, c = hamt::nkids(n); i < c; ++i) release_(k[i]);
    free_shell_(n);
  }
  // Frees a node whose children have been handed over to another node.
  static void free_shell_(node* n) noexcept {
    value_type* v = vals_(n);
    for (std::uint32_t i = 0; i < n->nvals; ++i) v[i].~value_type();
    dealloc_(n);
  }

  // Allocates a node and constructs its entries with `make(where, i)`, in
  // order; children are the caller's to fill (which cannot throw).
  template <class Make>
  static node* make_(std::uint32_t dm, std::uint32_t nm, std::uint32_t nv, Make&& make) {
    node* n = alloc_(dm, nm, nv);
    value_type* v = vals_(n);
    std::uint32_t i = 0;
    try {
      for (; i < nv; ++i) make(static_cast<void*>(v + i), i);
    } catch (...) {
      while (i) v[--i].~value_type();
      dealloc_(n);
      throw;
    }
    return n;
  }

  // Builds a node from `src`: entries of `src` minus index `vskip`, with one
  // made by `extra(where)` at `vat`; children of `src` minus `cskip`, with
  // `cextra` at `cat`. Children are shared (retained) or, if `transfer`,
  // taken over, in which case the caller frees `src`'s shell afterwards.
  template <class Extra>
  static node* rebuild_(const node* src, bool transfer, std::uint32_t dm, std::uint32_t nm,
                        std::uint32_t nv, std::uint32_t vskip, std::uint32_t vat, Extra&& extra,
                        std::uint32_t cskip, std::uint32_t cat, node* cextra) {
    const value_type* sv = vals_(src);
    node** sk = hamt::kids(src);
    if (!transfer)
      for (std::uint32_t o = 0, c = hamt::nkids(src); o < c; ++o)
        if (o != cskip) hamt::prefetch_w(sk[o]);
    for (std::uint32_t o = 0; o < src->nvals; ++o)
      if (o != vskip) hamt::prefetch_payload(sv[o]);
    std::uint32_t j = 0;
    node* n = make_(dm, nm, nv, [&](void* p, std::uint32_t i) {
      if (i == vat) return extra(p);
      if (j == vskip) ++j;
      ::new (p) value_type(sv[j++]);
    });
    node** dk = hamt::kids(n);
    j = 0;
    for (std::uint32_t o = 0, c = hamt::nkids(n); o < c; ++o) {
      if (o == cat) {
        dk[o] = cextra;
        continue;
      }
      if (j == cskip) ++j;
      dk[o] = sk[j++];
      if (!transfer) retain_(dk[o]);
    }
    return n;
  }
  static constexpr auto no_extra_ = [](void*) {};

  static node* make_root_(std::size_t h, K& key, V& value) {
    return make_(hamt::bit_of(h, 0), 0, 1, [&](void* p, std::uint32_t) {
      ::new (p) value_type(std::move(key), std::move(value));
    });
  }

  // ---- set ------------------------------------------------------------------

  // A subtree at `shift` holding the copy of entry `e` (hash `he`) and the new
  // entry (hash `h`), whose hashes agree on all bits above `shift`.
  static node* merge_(unsigned shift, const value_type& e, std::size_t he, K& key, V& value,
                      std::size_t h) {
    auto make_new = [&](void* p) { ::new (p) value_type(std::move(key), std::move(value)); };
    if (shift >= hamt::hash_bits) {
      return make_(0, 0, 2, [&](void* p, std::uint32_t i) {
        if (i == 0) return (void)::new (p) value_type(e);
        make_new(p);
      });
    }
    const std::uint32_t be = hamt::bit_of(he, shift), bn = hamt::bit_of(h, shift);
    if (be != bn) {
      const std::uint32_t new_at = bn < be ? 0 : 1;
      return make_(be | bn, 0, 2, [&](void* p, std::uint32_t i) {
        if (i == new_at) return make_new(p);
        ::new (p) value_type(e);
      });
    }
    node* child = merge_(shift + hamt::bits, e, he, key, value, h);
    node* n;
    try {
      n = alloc_(0, bn, 0);
    } catch (...) {
      release_(child);
      throw;
    }
    hamt::kids(n)[0] = child;
    return n;
  }

  // Returns the updated node. When `unique`, `n` is reachable only through
  // the caller's reference, which this consumes: `n` is updated in place or
  // its children are moved to a new node. Otherwise `n` is left untouched.
  static node* set_rec_(node* n, unsigned shift, std::size_t h, K& key, V& value, bool& added,
                        bool unique) {
    auto make_new = [&](void* p) { ::new (p) value_type(std::move(key), std::move(value)); };
    if (shift >= hamt::hash_bits) {
      value_type* v = vals_(n);
      for (std::uint32_t i = 0; i < n->nvals; ++i) {
        if (!Eq{}(v[i].first, key)) continue;
        if (unique) {
          v[i].second = std::move(value);
          return n;
        }
        return rebuild_(n, false, 0, 0, n->nvals, i, i, make_new, hamt::npos, hamt::npos, nullptr);
      }
      added = true;
      node* r = rebuild_(n, unique, 0, 0, n->nvals + 1, hamt::npos, n->nvals, make_new, hamt::npos,
                         hamt::npos, nullptr);
      if (unique) free_shell_(n);
      return r;
    }
    const std::uint32_t bit = hamt::bit_of(h, shift);
    if (n->datamap & bit) {
      const std::uint32_t vi = hamt::index_of(n->datamap, bit);
      value_type& e = vals_(n)[vi];
      if (Eq{}(e.first, key)) {
        if (unique) {
          e.second = std::move(value);
          return n;
        }
        return rebuild_(n, false, n->datamap, n->nodemap, n->nvals, vi, vi, make_new, hamt::npos,
                        hamt::npos, nullptr);
      }
      // Two keys share this slot: push both down into a new subtree.
      added = true;
      node* sub = merge_(shift + hamt::bits, e, Hash{}(e.first), key, value, h);
      const std::uint32_t nm = n->nodemap | bit;
      node* r;
      try {
        r = rebuild_(n, unique, n->datamap ^ bit, nm, n->nvals - 1, vi, hamt::npos, no_extra_,
                     hamt::npos, hamt::index_of(nm, bit), sub);
      } catch (...) {
        release_(sub);
        throw;
      }
      if (unique) free_shell_(n);
      return r;
    }
    if (n->nodemap & bit) {
      const std::uint32_t ci = hamt::index_of(n->nodemap, bit);
      node* child = hamt::kids(n)[ci];
      const bool child_unique = unique && child->refs.load(std::memory_order_acquire) == 1;
      node* nc = set_rec_(child, shift + hamt::bits, h, key, value, added, child_unique);
      if (unique) {
        if (!child_unique) release_(child);
        hamt::kids(n)[ci] = nc;
        return n;
      }
      try {
        return rebuild_(n, false, n->datamap, n->nodemap, n->nvals, hamt::npos, hamt::npos,
                        no_extra_, ci, ci, nc);
      } catch (...) {
        release_(nc);
        throw;
      }
    }
    added = true;
    const std::uint32_t dm = n->datamap | bit;
    node* r = rebuild_(n, unique, dm, n->nodemap, n->nvals + 1, hamt::npos, hamt::index_of(dm, bit),
                       make_new, hamt::npos, hamt::npos, nullptr);
    if (unique) free_shell_(n);
    return r;
  }

  // ---- erase ----------------------------------------------------------------

  struct erased {
    bool found;
    node* n;  // the replacement node; null when the map became empty
  };
  static bool singleton_(const node* n) noexcept { return n->nvals == 1 && n->nodemap == 0; }

  // A node holding just `e`. Its bitmap is for level 0: a singleton is either
  // pulled up into an ancestor (which ignores its bitmap) or becomes the root.
  static node* make_singleton_(std::size_t h, const value_type& e) {
    return make_(hamt::bit_of(h, 0), 0, 1,
                 [&](void* p, std::uint32_t) { ::new (p) value_type(e); });
  }

  template <class Q>
  static erased erase_rec_(const node* n, unsigned shift, std::size_t h, const Q& key) {
    if (shift >= hamt::hash_bits) {
      const value_type* v = vals_(n);
      for (std::uint32_t i = 0; i < n->nvals; ++i) {
        if (!Eq{}(v[i].first, key)) continue;
        if (n->nvals == 2) return {true, make_singleton_(h, v[1 - i])};
        return {true, rebuild_(n, false, 0, 0, n->nvals - 1, i, hamt::npos, no_extra_, hamt::npos,
                               hamt::npos, nullptr)};
      }
      return {false, nullptr};
    }
    const std::uint32_t bit = hamt::bit_of(h, shift);
    if (n->datamap & bit) {
      const std::uint32_t vi = hamt::index_of(n->datamap, bit);
      if (!Eq{}(vals_(n)[vi].first, key)) return {false, nullptr};
      if (n->nvals == 1 && n->nodemap == 0) return {true, nullptr};  // only the root gets here
      if (n->nvals == 2 && n->nodemap == 0 && shift != 0)
        return {true, make_singleton_(h, vals_(n)[1 - vi])};
      return {true, rebuild_(n, false, n->datamap ^ bit, n->nodemap, n->nvals - 1, vi, hamt::npos,
                             no_extra_, hamt::npos, hamt::npos, nullptr)};
    }
    if (!(n->nodemap & bit)) return {false, nullptr};
    const std::uint32_t ci = hamt::index_of(n->nodemap, bit);
    const erased r = erase_rec_(hamt::kids(n)[ci], shift + hamt::bits, h, key);
    if (!r.found) return r;
    node* sub = r.n;  // a non-root subtree keeps at least one entry
    try {
      if (singleton_(sub)) {
        // Keep the trie canonical: a lone entry lives as high up as it can.
        if (n->nvals == 0 && hamt::nkids(n) == 1) return {true, sub};
        const std::uint32_t dm = n->datamap | bit;
        const value_type& moved = vals_(sub)[0];
        node* out = rebuild_(
            n, false, dm, n->nodemap ^ bit, n->nvals + 1, hamt::npos, hamt::index_of(dm, bit),
            [&](void* p) { ::new (p) value_type(moved); }, ci, hamt::npos, nullptr);
        release_(sub);
        return {true, out};
      }
      return {true, rebuild_(n, false, n->datamap, n->nodemap, n->nvals, hamt::npos, hamt::npos,
                             no_extra_, ci, ci, sub)};
    } catch (...) {
      release_(sub);
      throw;
    }
  }

  node* root_ = nullptr;
  std::size_t size_ = 0;
};

/// A persistent set: a `pmap` whose values carry nothing.
template <class K, class Hash = default_hash<K>, class Eq = std::equal_to<>>
class pset {
  struct none {};
  using map_type = pmap<K, none, Hash, Eq>;

 public:
  class const_iterator {
   public:
    using inner = typename map_type::const_iterator;
    using value_type = K;
    using reference = const K&;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;
    const_iterator() = default;
    explicit const_iterator(inner it) : it_(it) {}
    reference operator*() const { return it_->first; }
    const K* operator->() const { return &it_->first; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) {
      auto c = *this;
      ++it_;
      return c;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.it_ == b.it_;
    }

   private:
    inner it_{};
  };

  template <class Q>
  [[nodiscard]] bool contains(const Q& key) const {
    return m_.contains(key);
  }
  [[nodiscard]] pset insert(K key) const { return pset(m_.set(std::move(key), none{})); }
  template <class Q>
  [[nodiscard]] pset erase(const Q& key) const {
    return pset(m_.erase(key));
  }
  [[nodiscard]] std::size_t size() const noexcept { return m_.size(); }
  [[nodiscard]] bool empty() const noexcept { return m_.empty(); }
  [[nodiscard]] const_iterator begin() const { return const_iterator(m_.begin()); }
  [[nodiscard]] const_iterator end() const { return const_iterator(m_.end()); }

  pset() = default;

 private:
  explicit pset(map_type m) : m_(std::move(m)) {}
  map_type m_;
};

}  // namespace orggov::detail
