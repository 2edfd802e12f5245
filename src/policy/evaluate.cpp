// Stage 3: deciding a request. The hot path (`evaluate`) allocates nothing:
// it splits the action, checks the resource's shape, looks the service up
// once in the path index and reads each level's candidates (path_index in
// internal.hpp); the request is cut into all its segments only when a
// candidate needs them.
#include "policy/internal.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace orggov::policy {

namespace detail {

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ull, colons = ':' * ones;

// An action split: `service:Name`, legacy `name/` prefix stripped.
struct split_action {
  std::string_view full, service, name;
  std::uint64_t service_word;  // lower_word(service) when it is at most 8 bytes
};

inline bool split(std::string_view a, split_action& out) noexcept {
  if (a.size() > 5 && std::memcmp(a.data(), "name/", 5) == 0) a.remove_prefix(5);
  std::size_t colon = 0;
  std::uint64_t word = 0;
  if (a.size() >= 8) {
    // The colon, most often within the first 8 bytes, which also give the
    // service's key word.
    const std::uint64_t w = load8(a.data());
    if (const std::uint64_t z = zero_bytes(w ^ colons)) {
      colon = static_cast<std::size_t>(std::countr_zero(z) >> 3);
      word = lower8(w & ((std::uint64_t{1} << (8 * colon)) - 1));
    } else {
      colon = 8;
      word = lower8(w);  // the key when the service is exactly 8 bytes
      while (colon < a.size() && a[colon] != ':') ++colon;
    }
  } else {
    while (colon < a.size() && a[colon] != ':') ++colon;
    if (colon > 0 && colon < a.size()) word = lower8(load_tail(a.data(), colon));
  }
  if (colon == 0 || colon + 1 >= a.size()) return false;
  out.full = a;
  out.service = a.substr(0, colon);
  out.name = a.substr(colon + 1);
  out.service_word = word;
  return true;
}

// `*`, or `qcs:` followed by at least four more colons (what cutting into
// six segments needs); the colons are counted 16 or 8 bytes at a time.
inline bool resource_shape_ok(std::string_view r) noexcept {
  if (r.size() == 1 && r[0] == '*') return true;
  if (r.size() < 4 || std::memcmp(r.data(), "qcs:", 4) != 0) return false;
  const char* p = r.data();
  const std::size_t n = r.size();
  std::size_t i = 4;
  unsigned need = 4;
#if defined(__SSE2__)
  const __m128i c = _mm_set1_epi8(':');
  for (; n - i >= 16; i += 16) {
    auto m = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), c)));
    for (; m != 0; m &= m - 1)
      if (--need == 0) return true;
  }
#endif
  for (; i < n; i += 8) {
    const std::uint64_t w = n - i >= 8 ? load8(p + i) : load_tail(p + i, n - i);
    for (std::uint64_t z = zero_bytes(w ^ colons); z != 0; z &= z - 1)
      if (--need == 0) return true;
  }
  return false;
}

// Fills `out` from an action already split and a resource of a good shape.
void fill(const request& rq, const split_action& a, prepared_request& out) noexcept {
  out.account = rq.account;
  out.ctx = rq.ctx ? &rq.ctx->data() : nullptr;
  out.now = rq.now;
  out.action_full = a.full;
  out.service = a.service;
  out.name = a.name;
  const std::string_view r = rq.resource;
  out.resource_star = r.size() == 1 && r[0] == '*';
  if (out.resource_star) return;
  std::size_t cut[5];
  cut[0] = 3;
  std::size_t found = 1;
  for (std::size_t i = 4; i < r.size() && found < 5; ++i)
    if (r[i] == ':') cut[found++] = i;
  out.service_type = r.substr(cut[1] + 1, cut[2] - cut[1] - 1);
  out.region = r.substr(cut[2] + 1, cut[3] - cut[2] - 1);
  out.acct = r.substr(cut[3] + 1, cut[4] - cut[3] - 1);
  out.rest = r.substr(cut[4] + 1);
}

}  // namespace

bool prepare(const request& rq, prepared_request& out) noexcept {
  split_action a;
  if (!split(rq.action, a) || !resource_shape_ok(rq.resource)) return false;
  fill(rq, a, out);
  return true;
}

bool action_matches(const action_matcher& m, const prepared_request& rq) noexcept {
  if (m.any) return true;
  return glob_match(m.service, rq.service) && glob_match(m.name, rq.name);
}

bool resource_matches(const resource_matcher& m, const prepared_request& rq) noexcept {
  if (m.any) return true;
  if (rq.resource_star) return false;  // a request's `*` is matched only by `*`
  if (!m.any_service && !glob_match(m.service_type, rq.service_type)) return false;
  if (!m.any_region && !glob_match(m.region, rq.region)) return false;
  // An empty account segment, in the policy or in the request, stands for
  // uin/<the evaluated account>.
  if (m.self_account) {
    if (!rq.acct.empty()) {
      if (!rq.acct.starts_with("uin/") || rq.acct.substr(4) != rq.account) return false;
    }
  } else if (rq.acct.empty()) {
    if (!glob_match(m.account, two_part{"uin/", rq.account})) return false;
  } else if (!glob_match(m.account, rq.acct)) {
    return false;
  }
  return glob_match(m.rest, rq.rest);
}

namespace {

value_view view_of(const context_item& it) noexcept {
  value_view v;
  v.text = it.text;
  v.number = it.number ? &*it.number : nullptr;
  v.ip = it.ip ? &*it.ip : nullptr;
  v.bytes = it.bytes ? &*it.bytes : nullptr;
  v.time = it.time;
  v.boolean = it.boolean;
  return v;
}

template <class T>
bool ordered(comparison cmp, const T& a, const T& b) noexcept {
  switch (cmp) {
    case comparison::equal:
      return a == b;
    case comparison::less_than:
      return a < b;
    case comparison::less_than_equal:
      return a <= b;
    case comparison::greater_than:
      return a > b;
    case comparison::greater_than_equal:
      return a >= b;
    default:
      return false;
  }
}

bool iequal_lowered(std::string_view lowered, std::string_view s) noexcept {
  if (lowered.size() != s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (ascii_lower(s[i]) != lowered[i]) return false;
  return true;
}

// Does context value `v` match listed value `w` (the positive comparison)?
bool compare_one(const compiled_condition& c, const value_view& v,
                 const compiled_value& w) noexcept {
  switch (c.op.fam) {
    case family::string:
      switch (c.op.cmp) {
        case comparison::equal:
          return v.text == w.text;
        case comparison::equal_ignore_case:
          return iequal_lowered(w.text, v.text);
        case comparison::like:
          return glob_match(w.like, v.text);
        default:
          return false;
      }
    case family::number:
      return v.number && ordered(c.op.cmp, compare(*v.number, w.number), 0);
    case family::date:
      return v.time && ordered(c.op.cmp, *v.time, w.time);
    case family::boolean:
      return v.boolean && *v.boolean == w.boolean;
    case family::binary:
      return v.bytes && *v.bytes == w.bytes;
    case family::ip:
      return v.ip && contains(w.net, *v.ip);
    case family::null:
      return false;
  }
  return false;
}

bool satisfies(const compiled_condition& c, const value_view& v) noexcept {
  bool any = false;
  for (const auto& w : c.values)
    if (compare_one(c, v, w)) {
      any = true;
      break;
    }
  return c.op.negated ? !any : any;
}

}  // namespace

bool condition_holds(const compiled_condition& c, const prepared_request& rq) noexcept {
  const context_entry* e = rq.ctx ? rq.ctx->find(c.key) : nullptr;
  const std::size_t n = e ? e->items.size() : 0;
  if (c.op.fam == family::null) {
    // qcs:current_time is never absent: it defaults to the request's time.
    bool empty = !c.current_time || n > 0;
    if (e)
      for (const auto& it : e->items)
        if (!it.text.empty()) empty = false;
    return (c.null_true && empty) || (c.null_false && !empty);
  }
  if (n == 0) {
    if (c.current_time) {
      // qcs:current_time defaults to the request's time; its text, made on
      // the stack, only for the string operators (the only ones reading it).
      char buf[40];
      value_view v;
      if (c.op.fam == family::string) v.text = std::string_view(buf, format_time_to(rq.now, buf));
      v.time = rq.now;
      return satisfies(c, v);
    }
    if (c.op.if_exist) return true;
    if (c.op.set == set_modifier::for_all_value) return true;
    if (c.op.set == set_modifier::for_any_value) return false;
    return c.op.negated;
  }
  if (c.op.set == set_modifier::for_all_value) {
    for (const auto& it : e->items)
      if (!satisfies(c, view_of(it))) return false;
    return true;
  }
  for (const auto& it : e->items)
    if (satisfies(c, view_of(it))) return true;
  return false;
}

bool statement_conditions_hold(const compiled_statement& s, const prepared_request& rq) noexcept {
  for (const auto& c : s.conditions)
    if (!condition_holds(c, rq)) return false;
  return true;
}

bool statement_rest_matches(const compiled_statement& s, const prepared_request& rq) noexcept {
  if (!s.any_resource) {
    bool ok = false;
    for (const auto& r : s.resources)
      if (resource_matches(r, rq)) {
        ok = true;
        break;
      }
    if (!ok) return false;
  }
  return s.conditions.empty() || statement_conditions_hold(s, rq);
}

namespace {

// The request as `evaluate` holds it: split action; the full
// prepared_request is made on first need. (A constructor, not aggregate
// initialization, which zero-filled all ~220 bytes on every decision.)
class lazy_request {
 public:
  explicit lazy_request(const request& rq) noexcept : rq_(rq) {}
  const prepared_request& get() noexcept {
    if (!pr_) fill(rq_, a, pr_.emplace());
    return *pr_;
  }
  split_action a;

 private:
  const request& rq_;
  std::optional<prepared_request> pr_;
};

// Does candidate `c` match? `w0` is lower_word(name).
inline bool candidate_matches(const candidate& c, lazy_request& rq, std::uint64_t w0) noexcept {
  if (c.slow) {
    if (!action_matches(*c.action, rq.get())) return false;
  } else {
    const std::string_view name = rq.a.name;
    // A name shorter than `len` wraps to more than `slack`.
    const std::size_t slack = c.exact ? 0 : SIZE_MAX >> 1;
    if (name.size() - c.len > slack || (w0 & c.mask0) != c.word0) return false;
    if (c.len > 8 &&
        !iequals_lowered(std::string_view(c.tail, c.len - 8), name.substr(8, c.len - 8)))
      return false;
  }
  return !c.rest || statement_rest_matches(*c.stmt, rq.get());
}

}  // namespace

}  // namespace detail

path::path() : index_(detail::build_path_index({})) {}

path::path(std::vector<level> levels_account_first)
    : levels_(std::move(levels_account_first)), index_(detail::build_path_index(levels_)) {}

bool path::broken() const noexcept {
  return index_->broken;
}

authorization evaluate(const path& pth, const request& rq) noexcept {
  const detail::path_index& idx = pth.index();
  if (idx.levels == 0 || idx.broken) return {};
  detail::lazy_request lr(rq);
  if (!detail::split(rq.action, lr.a) || !detail::resource_shape_ok(rq.resource)) return {};
  const std::uint32_t block = idx.block_of(lr.a.service, lr.a.service_word);
  const std::string_view name = lr.a.name;
  const std::uint64_t w0 = detail::lower8(
      name.size() >= 8 ? detail::load8(name.data()) : detail::load_tail(name.data(), name.size()));
  const std::uint64_t first = detail::first_bit(w0);
  const detail::candidate* items = idx.items.data();
  const detail::level_span* sp = idx.spans.data() + std::size_t{block} * idx.levels;
  for (const detail::level_span *s = sp, *end = sp + idx.levels; s != end; ++s) {
    if (s->deny_first & first)
      for (const detail::candidate *c = items + s->begin, *e = items + s->deny_end; c != e; ++c)
        if (detail::candidate_matches(*c, lr, w0)) return {false, reason::explicit_deny};
    if (s->allows) continue;
    bool allowed = false;
    if (s->allow_first & first)
      for (const detail::candidate *c = items + s->deny_end, *e = items + s->allow_end; c != e; ++c)
        if (detail::candidate_matches(*c, lr, w0)) {
          allowed = true;
          break;
        }
    if (!allowed) return {false, reason::no_allow};
  }
  return {true, reason::allowed};
}

explanation explain(const path& pth, const request& rq) {
  explanation ex;
  detail::prepared_request pr;
  if (pth.levels().empty() || !detail::prepare(rq, pr)) return ex;
  bool decided = false;
  auto note_missing = [&](const detail::compiled_statement& s) {
    for (const auto& c : s.conditions) {
      if (c.op.if_exist || c.op.fam == family::null || c.op.set == set_modifier::for_all_value ||
          c.current_time)
        continue;
      const detail::context_entry* e = pr.ctx ? pr.ctx->find(c.key) : nullptr;
      if (e && !e->items.empty()) continue;
      if (std::find(ex.missing_context.begin(), ex.missing_context.end(), c.key) ==
          ex.missing_context.end())
        ex.missing_context.push_back(c.key);
    }
  };
  for (const auto& lvl : pth.levels()) {
    bool deny = false, allow = false, broken = false;
    for (const auto& [id, p] : lvl.policies) {
      if (!p) {
        broken = true;
        continue;
      }
      for (const auto& s : p->statements_) {
        bool act = false;
        for (const auto& a : s.actions) act = act || detail::action_matches(a, pr);
        if (!act) continue;
        bool res = false;
        for (const auto& r : s.resources) res = res || detail::resource_matches(r, pr);
        if (!res) continue;
        note_missing(s);
        if (!detail::statement_conditions_hold(s, pr)) continue;
        ex.matched.push_back({id, s.index, lvl.target});
        (s.eff == effect::deny ? deny : allow) = true;
      }
    }
    if (!allow || broken) ex.missing_allow_at.push_back(lvl.target);
    if (!decided) {
      if (broken) {
        ex.result = {false, reason::no_allow};
        decided = true;
      } else if (deny) {
        ex.result = {false, reason::explicit_deny};
        decided = true;
      } else if (!allow) {
        ex.result = {false, reason::no_allow};
        decided = true;
      }
    }
  }
  if (!decided) ex.result = {true, reason::allowed};
  if (pth.broken()) ex.result = {};
  return ex;
}

std::string_view to_string(reason r) noexcept {
  switch (r) {
    case reason::allowed:
      return "allowed";
    case reason::explicit_deny:
      return "explicit_deny";
    case reason::no_allow:
      return "no_allow";
    case reason::not_governed:
      return "not_governed";
  }
  return "no_allow";
}

}  // namespace orggov::policy
