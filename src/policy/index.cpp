// The path index: every statement of every policy on a member's path, filed
// by the services its actions name and laid out, per service and level, as
// one contiguous run of candidates (denies, then allows). See path_index in
// internal.hpp. Built when attachments or the unit tree change, so that a
// decision makes one lookup whatever the path holds.
#include "policy/internal.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

namespace orggov::policy::detail {

namespace {

struct entry {
  std::uint32_t level, eff;  // eff: 0 deny, 1 allow
  const action_matcher* action;
  const compiled_statement* stmt;
};

// The candidate for `name` (an action's name glob), or a slow one.
candidate name_candidate(const glob& name) {
  candidate c;
  switch (name.k) {
    case glob::kind::any:
      return c;
    case glob::kind::exact:
    case glob::kind::prefix: {
      const std::string& t = name.text;
      if (t.empty()) return c;  // `cvm:*` spelled as a prefix of nothing
      c.len = static_cast<std::uint32_t>(t.size());
      c.exact = name.k == glob::kind::exact;
      c.word0 = lower_word(t);
      c.mask0 = t.size() >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * t.size())) - 1;
      if (t.size() > 8) c.tail = t.data() + 8;
      return c;
    }
    case glob::kind::general:
      c.slow = true;
      return c;
  }
  c.slow = true;
  return c;
}

// The candidate of `e` in the block of `service` (null: the default block,
// for services no action names exactly), if its action can match there.
std::optional<candidate> make_candidate(const entry& e, const std::string* service) {
  const action_matcher& a = *e.action;
  candidate c;
  if (!a.any) {
    if (service == nullptr) {
      if (a.service.k == glob::kind::exact) return std::nullopt;  // names a service: not here
      c = name_candidate(a.name);
      if (a.service.k != glob::kind::any) c.slow = true;  // `c?m:*`, `cv*:Run*`
    } else {
      if (!glob_match(a.service, *service)) return std::nullopt;
      c = name_candidate(a.name);
    }
  }
  c.action = &a;
  c.stmt = e.stmt;
  c.rest = !(e.stmt->any_resource && e.stmt->conditions.empty());
  return c;
}

// The first-letters filter of a list (see level_span).
std::uint64_t first_letters(const std::vector<candidate>& v) {
  std::uint64_t m = 0;
  for (const auto& c : v) m |= (c.len < 4 || c.slow) ? ~std::uint64_t{0} : first_bit(c.word0);
  return m;
}

bool always(const candidate& c) {
  return c.len == 0 && !c.slow && !c.rest;
}

// Orders a list cheapest first and drops repeats; returns whether it always
// matches (its first candidate is an unconditional `*` name on `*`).
bool normalize(std::vector<candidate>& v) {
  std::stable_sort(v.begin(), v.end(), [](const candidate& a, const candidate& b) {
    return std::tuple(a.rest, a.slow, a.len) < std::tuple(b.rest, b.slow, b.len);
  });
  const auto same = [](const candidate& a, const candidate& b) {
    return a.stmt == b.stmt && a.slow == b.slow && a.rest == b.rest &&
           (a.slow ? a.action == b.action
                   : a.len == b.len && a.exact == b.exact && a.word0 == b.word0 &&
                         (a.len <= 8 || std::equal(a.tail, a.tail + (a.len - 8), b.tail)));
  };
  std::vector<candidate> out;
  for (const auto& c : v)
    if (std::none_of(out.begin(), out.end(), [&](const candidate& o) { return same(o, c); }))
      out.push_back(c);
  v = std::move(out);
  return !v.empty() && always(v.front());
}

}  // namespace

std::shared_ptr<const path_index> build_path_index(const std::vector<level>& levels) {
  auto idx = std::make_shared<path_index>();
  const auto n = static_cast<std::uint32_t>(levels.size());
  idx->levels = n;
  std::vector<entry> entries;  // in level order
  std::vector<std::string> services;
  for (std::uint32_t l = 0; l < n; ++l) {
    for (const auto& [id, p] : levels[l].policies) {
      if (!p) {
        idx->broken = true;
        continue;
      }
      idx->keep.push_back(p);
      for (const auto& s : p->statements_) {
        const std::uint32_t f = s.eff == effect::deny ? 0 : 1;
        for (const auto& a : s.actions) {
          entries.push_back({l, f, &a, &s});
          if (!a.any && a.service.k == glob::kind::exact) services.push_back(a.service.text);
        }
      }
    }
  }
  std::sort(services.begin(), services.end());
  services.erase(std::unique(services.begin(), services.end()), services.end());

  // Blocks: 0 is the default, 1 + i is services[i].
  const std::size_t blocks = services.size() + 1;
  idx->long_keys.assign(blocks, std::string());
  idx->spans.resize(blocks * n);
  std::vector<candidate> deny, allow;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::string* service = b == 0 ? nullptr : &services[b - 1];
    if (service && service->size() > 8) idx->long_keys[b] = *service;
    std::size_t e = 0;
    for (std::uint32_t l = 0; l < n; ++l) {
      deny.clear();
      allow.clear();
      for (; e < entries.size() && entries[e].level == l; ++e)
        if (auto c = make_candidate(entries[e], service))
          (entries[e].eff == 0 ? deny : allow).push_back(*c);
      const bool deny_always = normalize(deny);
      const bool allow_always = normalize(allow);
      if (deny_always) deny.resize(1);  // the rest can add nothing
      level_span& sp = idx->spans[b * n + l];
      sp.begin = static_cast<std::uint32_t>(idx->items.size());
      idx->items.insert(idx->items.end(), deny.begin(), deny.end());
      sp.deny_end = static_cast<std::uint32_t>(idx->items.size());
      sp.deny_first = first_letters(deny);
      sp.allow_first = allow_always ? 0 : first_letters(allow);
      if (allow_always)
        sp.allows = 1;
      else
        idx->items.insert(idx->items.end(), allow.begin(), allow.end());
      sp.allow_end = static_cast<std::uint32_t>(idx->items.size());
    }
  }

  // The service table: at most half full, so every probe ends at an empty slot.
  std::size_t cap = 2;
  unsigned bits = 1;
  while (cap < 2 * services.size()) {
    cap *= 2;
    ++bits;
  }
  idx->slots.assign(cap, path_index::slot{});
  idx->shift = 64 - bits;
  for (std::size_t i = 0; i < services.size(); ++i) {
    const std::string& s = services[i];
    const auto len = static_cast<std::uint32_t>(s.size());
    const std::uint64_t word = len > 8 ? ihash(s) : lower_word(s);
    std::uint64_t pos = ((word ^ len) * path_index::k) >> idx->shift;
    while (idx->slots[pos].block >= 0) pos = (pos + 1) & (cap - 1);
    idx->slots[pos] = {word, len, static_cast<std::int32_t>(i + 1)};
  }
  return idx;
}

}  // namespace orggov::policy::detail
