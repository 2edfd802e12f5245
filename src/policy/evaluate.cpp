// Stage 3: deciding a request. The hot path (`evaluate`) allocates nothing:
// the request is split into string_views once, its action hashed once, and
// each policy's action index yields the candidate statements.
#include "policy/internal.hpp"

#include <algorithm>

namespace orggov::policy {

namespace detail {

struct lookups {
  std::int32_t exact, service, name2;
};

bool prepare(const request& rq, prepared_request& out) noexcept {
  out.account = rq.account;
  out.ctx = rq.ctx ? &rq.ctx->data() : nullptr;
  out.now = rq.now;
  std::string_view a = rq.action;
  if (a.size() > 5 && a.substr(0, 5) == "name/") a.remove_prefix(5);
  const auto colon = a.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == a.size()) return false;
  out.action_full = a;
  out.service = a.substr(0, colon);
  out.name = a.substr(colon + 1);
  const std::string_view r = rq.resource;
  if (r.size() == 1 && r[0] == '*') {
    out.resource_star = true;
    return true;
  }
  out.resource_star = false;
  // One pass over the resource for its first five colons.
  std::size_t cut[5];
  std::size_t found = 0;
  for (std::size_t i = 0; i < r.size() && found < 5; ++i)
    if (r[i] == ':') cut[found++] = i;
  if (found < 5 || cut[0] != 3 || r.substr(0, 3) != "qcs") return false;
  out.service_type = r.substr(cut[1] + 1, cut[2] - cut[1] - 1);
  out.region = r.substr(cut[2] + 1, cut[3] - cut[2] - 1);
  out.acct = r.substr(cut[3] + 1, cut[4] - cut[3] - 1);
  out.rest = r.substr(cut[4] + 1);
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
      // qcs:current_time defaults to the request's time, made on the stack.
      char buf[40];
      const std::size_t len = format_time_to(rq.now, buf);
      value_view v;
      v.text = std::string_view(buf, len);
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

// Does some statement of `level` with effect `eff` (0 deny, 1 allow) match?
bool level_matches(const path_index& idx, const lookups& k, std::uint32_t level, std::uint32_t eff,
                   const prepared_request& rq) noexcept {
  for (auto it = idx.match_all.begin(0, level, eff), e = idx.match_all.end(0, level, eff); it != e;
       ++it)
    if (statement_rest_matches(**it, rq)) return true;
  if (k.exact >= 0)
    for (auto it = idx.exact.begin(k.exact, level, eff), e = idx.exact.end(k.exact, level, eff);
         it != e; ++it)
      if (statement_rest_matches(**it, rq)) return true;
  if (k.service >= 0)
    for (auto it = idx.service_prefix.begin(k.service, level, eff),
              e = idx.service_prefix.end(k.service, level, eff);
         it != e; ++it) {
      const std::string& p = it->prefix;
      if (p.size() <= rq.name.size() && iequals_lowered(p, rq.name.substr(0, p.size())) &&
          statement_rest_matches(*it->stmt, rq))
        return true;
    }
  if (k.name2 >= 0)
    for (auto it = idx.name2.begin(k.name2, level, eff), e = idx.name2.end(k.name2, level, eff);
         it != e; ++it)
      if (glob_match(it->action->name, rq.name) && statement_rest_matches(*it->stmt, rq))
        return true;
  for (auto it = idx.general.begin(0, level, eff), e = idx.general.end(0, level, eff); it != e;
       ++it)
    if (action_matches(*it->action, rq) && statement_rest_matches(*it->stmt, rq)) return true;
  return false;
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
  try {
    const detail::path_index& idx = pth.index();
    if (idx.levels == 0 || idx.broken) return {};
    detail::prepared_request pr;
    if (!detail::prepare(rq, pr)) return {};
    // Hash only for the tables this path has.
    detail::lookups k{-1, -1, -1};
    if (!idx.exact.keys.empty())
      k.exact = idx.exact.keys.find(pr.action_full, detail::ihash(pr.action_full));
    if (!idx.service_prefix.keys.empty())
      k.service = idx.service_prefix.keys.find(pr.service, detail::ihash(pr.service));
    if (!idx.name2.keys.empty() && pr.name.size() >= 2) {
      const std::string_view two = pr.name.substr(0, 2);
      k.name2 = idx.name2.keys.find(two, detail::ihash(two));
    }
    for (std::uint32_t l = 0; l < idx.levels; ++l) {
      if (idx.has_deny[l] && detail::level_matches(idx, k, l, 0, pr))
        return {false, reason::explicit_deny};
      if (!idx.allow_all[l] && !detail::level_matches(idx, k, l, 1, pr))
        return {false, reason::no_allow};
    }
    return {true, reason::allowed};
  } catch (...) {
    return {};
  }
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
