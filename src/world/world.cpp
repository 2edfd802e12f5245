#include "orggov/world.hpp"

#include <algorithm>

namespace orggov {

world::world(const world& o)
    : entities_(o.entities_),
      accounts_(o.accounts_),
      orgs_(o.orgs_),
      sharing_(o.sharing_),
      services_(o.services_),
      group_counter_(o.group_counter_),
      now_(o.now_),
      limits_(o.limits_),
      pending_(o.pending_ ? std::make_unique<pending>(*o.pending_) : nullptr) {}

world& world::operator=(const world& o) {
  if (this != &o) {
    world copy(o);
    *this = std::move(copy);
  }
  return *this;
}

world::~world() = default;

template <class T>
const T* world::lookup(const detail::pmap<std::string, ptr<T>>& m, std::string_view key,
                       buffer<T> pending::*slot) const {
  if (pending_) {
    const auto& b = (*pending_).*slot;
    if (auto it = b.find(key); it != b.end()) return it->second.get();  // null: erased
  }
  const ptr<T>* p = m.find(key);
  return p ? p->get() : nullptr;
}

void world::buffer_writes() {
  if (!pending_) pending_ = std::make_unique<pending>();
}

void world::commit_writes() {
  if (!pending_) return;
  std::unique_ptr<pending> p = std::move(pending_);
  auto fold = [](auto& trie, auto& buf) {
    for (auto& [key, rec] : buf)
      trie = rec ? std::move(trie).set(key, std::move(rec)) : trie.erase(key);
  };
  fold(entities_, p->entities);
  fold(accounts_, p->accounts);
  fold(orgs_, p->orgs);
  fold(sharing_, p->sharing);
}

const entity* world::find_entity(std::string_view id) const {
  return lookup(entities_, id, &pending::entities);
}
void world::find_entities(const std::string_view* ids, std::size_t n, const entity** out) const {
  constexpr std::size_t most = 16;
  for (std::size_t from = 0; from < n; from += most) {
    const std::size_t m = std::min(most, n - from);
    std::string_view keys[most];
    std::size_t where[most];
    std::size_t k = 0;
    for (std::size_t i = from; i < from + m; ++i) {
      if (pending_) {
        const auto& b = pending_->entities;
        if (auto it = b.find(ids[i]); it != b.end()) {
          out[i] = it->second.get();  // null: erased
          continue;
        }
      }
      keys[k] = ids[i];
      where[k++] = i;
    }
    const ptr<entity>* found[most];
    entities_.find_many(keys, k, found);
    for (std::size_t j = 0; j < k; ++j) out[where[j]] = found[j] ? found[j]->get() : nullptr;
  }
}

const account* world::find_account(std::string_view uin) const {
  return lookup(accounts_, uin, &pending::accounts);
}
const organization* world::find_org(std::string_view id) const {
  return lookup(orgs_, id, &pending::orgs);
}
const sharing_unit* world::find_sharing_unit(std::string_view id) const {
  return lookup(sharing_, id, &pending::sharing);
}

const organization* world::org_of(std::string_view uin) const {
  const account* a = find_account(uin);
  return a && !a->org.empty() ? find_org(a->org) : nullptr;
}

bool world::same_group(std::string_view a, std::string_view b) const {
  const entity* ea = find_entity(a);
  const entity* eb = find_entity(b);
  return ea && eb && ea->group == eb->group;
}

bool world::delegable(std::string_view service) const {
  const bool* d = services_.find(service);
  return d && *d;
}

}  // namespace orggov
