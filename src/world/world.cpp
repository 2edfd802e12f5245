#include "orggov/world.hpp"

namespace orggov {
namespace {
template <class M>
auto* find_ptr(const M& m, std::string_view key) {
  auto* p = m.find(key);
  return p ? p->get() : nullptr;
}
}  // namespace

const entity* world::find_entity(std::string_view id) const {
  return find_ptr(entities_, id);
}
const account* world::find_account(std::string_view uin) const {
  return find_ptr(accounts_, uin);
}
const organization* world::find_org(std::string_view id) const {
  return find_ptr(orgs_, id);
}
const sharing_unit* world::find_sharing_unit(std::string_view id) const {
  return find_ptr(sharing_, id);
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
