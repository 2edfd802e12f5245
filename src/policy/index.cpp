// The path index: every statement of every policy on a member's path, keyed
// by action shape and sliced by level and effect (see path_index in
// internal.hpp). Built when attachments or the unit tree change, so that a
// decision makes at most three hash lookups whatever the path holds.
#include "policy/internal.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace orggov::policy::detail {

namespace {

// Collects (key, level, effect, item) and lays them out as a `sliced`.
template <class Item>
class slicer {
 public:
  explicit slicer(std::uint32_t levels) : levels_(levels) {}
  void add(const std::string& key, std::uint32_t level, std::uint32_t eff, Item item) {
    rows_[key].push_back({level, eff, std::move(item)});
  }
  sliced<Item> build(bool keyed) {
    sliced<Item> out;
    out.levels = levels_;
    if (!keyed && rows_.empty()) rows_[""];  // a keyless list always has its one entry
    std::vector<std::string> keys;
    for (auto& [key, rows] : rows_) {
      keys.push_back(key);
      std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) {
        return std::tie(a.level, a.eff) < std::tie(b.level, b.eff);
      });
      std::size_t r = 0;
      for (std::uint32_t l = 0; l < levels_; ++l)
        for (std::uint32_t f = 0; f < 2; ++f) {
          out.bounds.push_back(static_cast<std::uint32_t>(out.items.size()));
          while (r < rows.size() && rows[r].level == l && rows[r].eff == f)
            out.items.push_back(std::move(rows[r++].item));
        }
    }
    out.bounds.push_back(static_cast<std::uint32_t>(out.items.size()));
    // Each entry's last bound is the next entry's first: entry e uses
    // bounds[e*2L .. e*2L + 2L], which the layout above provides.
    if (keyed) out.keys.build(keys);
    return out;
  }

 private:
  struct row {
    std::uint32_t level, eff;
    Item item;
  };
  std::uint32_t levels_;
  std::map<std::string, std::vector<row>> rows_;
};

}  // namespace

std::shared_ptr<const path_index> build_path_index(const std::vector<level>& levels) {
  auto idx = std::make_shared<path_index>();
  const auto n = static_cast<std::uint32_t>(levels.size());
  idx->levels = n;
  idx->allow_all.assign(n, 0);
  idx->has_deny.assign(n, 0);
  slicer<const compiled_statement*> exact(n), match_all(n);
  slicer<prefix_item> service_prefix(n);
  slicer<matcher_item> name2(n), general(n);
  for (std::uint32_t l = 0; l < n; ++l) {
    for (const auto& [id, p] : levels[l].policies) {
      if (!p) {
        idx->broken = true;
        continue;
      }
      if (p->allow_all_) idx->allow_all[l] = 1;
      if (p->has_deny_) idx->has_deny[l] = 1;
      for (const auto& s : p->statements_) {
        const std::uint32_t f = s.eff == effect::deny ? 0 : 1;
        for (const auto& a : s.actions) {
          const bool svc_exact = !a.any && a.service.k == glob::kind::exact;
          const bool svc_any = a.any || a.service.k == glob::kind::any;
          if (a.any || (svc_any && a.name.k == glob::kind::any)) {
            match_all.add("", l, f, &s);
          } else if (svc_exact && a.name.k == glob::kind::exact) {
            exact.add(a.service.text + ":" + a.name.text, l, f, &s);
          } else if (svc_exact && (a.name.k == glob::kind::prefix || a.name.k == glob::kind::any)) {
            service_prefix.add(a.service.text, l, f,
                               {a.name.k == glob::kind::any ? std::string() : a.name.text, &s});
          } else if (svc_any && (a.name.k == glob::kind::exact || a.name.k == glob::kind::prefix) &&
                     a.name.text.size() >= 2 && !has_wildcard(a.name.text.substr(0, 2))) {
            name2.add(a.name.text.substr(0, 2), l, f, {&a, &s});
          } else {
            general.add("", l, f, {&a, &s});
          }
        }
      }
    }
  }
  idx->exact = exact.build(true);
  idx->service_prefix = service_prefix.build(true);
  idx->name2 = name2.build(true);
  idx->match_all = match_all.build(false);
  idx->general = general.build(false);
  return idx;
}

}  // namespace orggov::policy::detail
