// Stage 4 (tooling): lint. Grammar problems are errors; the rest looks at a
// parsed document for what is valid but probably not meant.
#include "orggov/policy/lint.hpp"

#include "policy/internal.hpp"

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

namespace orggov::policy {

namespace {

using detail::has_wildcard;
using detail::lower_copy;
using detail::wildcard_match;

bool multi_valued(std::string_view key) {
  return key == "qcs:resource_tag" || key == "qcs:request_tag";
}

std::string strip_legacy(std::string_view a) {
  if (a.starts_with("name/")) a.remove_prefix(5);
  return lower_copy(a);
}

bool all_stars(std::string_view s) {
  return !s.empty() && s.find_first_not_of('*') == std::string_view::npos;
}

// Literal text before a single trailing `*` ("Desc*" -> "Desc"), if that is
// the pattern's only wildcard.
std::optional<std::string_view> literal_prefix(std::string_view p) {
  if (p.empty() || p.back() != '*') return std::nullopt;
  const std::string_view head = p.substr(0, p.size() - 1);
  if (has_wildcard(head)) return std::nullopt;
  return head;
}

// Does pattern `p` match every string pattern `q` matches? Conservative:
// false when unsure.
bool glob_covers(std::string_view p, std::string_view q, bool fold) {
  if (all_stars(p) || p == q) return true;
  if (!has_wildcard(q)) return wildcard_match(p, q, fold);
  if (auto head = literal_prefix(p)) return q.starts_with(*head);
  return false;
}

bool action_covers(std::string_view p_text, std::string_view q_text) {
  const std::string p = strip_legacy(p_text), q = strip_legacy(q_text);
  if (all_stars(p) || p == q) return true;
  if (all_stars(q)) return false;
  const auto pc = p.find(':'), qc = q.find(':');
  if (pc == std::string::npos || qc == std::string::npos) return false;
  return glob_covers(p.substr(0, pc), q.substr(0, qc), true) &&
         glob_covers(p.substr(pc + 1), q.substr(qc + 1), true);
}

std::array<std::string_view, 6> segments(std::string_view t) {
  std::array<std::string_view, 6> seg{};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const auto c = t.find(':', pos);
    if (c == std::string_view::npos) return {};
    seg[i] = t.substr(pos, c - pos);
    pos = c + 1;
  }
  seg[5] = t.substr(pos);
  return seg;
}

bool resource_covers(std::string_view p, std::string_view q) {
  if (p == "*" || p == q) return true;
  if (q == "*") return false;
  const auto ps = segments(p), qs = segments(q);
  for (std::size_t i = 2; i < 6; ++i) {
    const std::string_view a = ps[i], b = qs[i];
    if (i == 2 || i == 3) {
      if (a.empty()) continue;      // any
      if (b.empty()) return false;  // q matches any, p does not
    } else if (i == 4) {
      if (a.empty() || b.empty()) {
        if (a.empty() && b.empty()) continue;
        return false;
      }
    }
    if (!glob_covers(a, b, false)) return false;
  }
  return true;
}

class linter {
 public:
  linter(const parse_result& r, std::vector<lint_finding>& out) : r_(r), out_(out) {}

  void run() {
    const auto& st = r_.doc.statements;
    for (std::size_t i = 0; i < st.size(); ++i) statement_findings(st[i]);
    redundancy();
  }

 private:
  void add(severity s, std::string ptr, std::string msg) {
    out_.push_back({s, std::move(ptr), std::move(msg)});
  }

  void statement_findings(const statement& s) {
    const bool allow = s.effect == effect::allow;
    // Never-matching resources.
    for (const auto& res : s.resources) {
      if (res.text == "*") continue;
      const auto seg = segments(res.text);
      const std::string_view acct = seg[4];
      if ((acct.starts_with("uin/") || acct.starts_with("uid/")) &&
          acct.substr(4).find_first_not_of("0123456789*?") != std::string_view::npos)
        add(severity::error, res.pointer,
            fmt::format("resource `{}` can never match: the account `{}` must be digits after "
                        "`{}`",
                        res.text, acct, acct.substr(0, 4)));
      // A literal service_type that none of the statement's actions belongs to.
      const std::string_view svc = seg[2];
      if (!svc.empty() && !has_wildcard(svc)) {
        bool some = false;
        for (const auto& a : s.actions) {
          const std::string t = strip_legacy(a.text);
          const auto c = t.find(':');
          if (all_stars(t) || c == std::string::npos ||
              wildcard_match(t.substr(0, c), lower_copy(svc), true))
            some = true;
        }
        if (!some)
          add(severity::warning, res.pointer,
              fmt::format("resource `{}` is of service `{}`, which none of the statement's "
                          "actions belongs to: the statement can never match it",
                          res.text, svc));
      }
    }
    if (s.has_condition && s.conditions.empty())
      add(severity::suggestion, s.condition_pointer, "empty `condition`: remove it");
    if (allow && !s.conditions.empty())
      add(severity::warning, s.condition_pointer,
          "an SCP `allow` with a condition denies everything it covers at this level whenever "
          "the condition fails: prefer an unconditional `allow` and a conditional `deny`");
    for (const auto& c : s.conditions) condition_findings(s, c, allow);
  }

  void condition_findings(const statement&, const condition_node& c, bool allow) {
    if (!c.op) return;  // already an error
    const condition_operator& op = *c.op;
    for (const auto& k : c.keys) {
      if (op.set == set_modifier::for_all_value && !multi_valued(k.key))
        add(severity::warning, k.pointer,
            fmt::format("`for_all_value:` on `{}`, a single-valued key: it holds whenever `{}` "
                        "is absent; write `{}` without the prefix",
                        k.key, k.key, op.base));
      if (op.set == set_modifier::for_any_value && !multi_valued(k.key))
        add(severity::suggestion, k.pointer,
            fmt::format("`for_any_value:` on `{}`, a single-valued key, changes nothing: write "
                        "`{}` without the prefix",
                        k.key, op.base));
      if (allow && k.key != "qcs:current_time") {
        if (op.negated && op.set != set_modifier::for_any_value)
          add(severity::security_warning, k.pointer,
              fmt::format("`allow` guarded by the negated operator `{}` grants when `{}` is absent "
                          "from the request",
                          c.name, k.key));
        else if (op.if_exist)
          add(severity::security_warning, k.pointer,
              fmt::format("`allow` guarded by `{}` grants when `{}` is absent from the request",
                          c.name, k.key));
        else if (op.set == set_modifier::for_all_value && multi_valued(k.key))
          add(severity::security_warning, k.pointer,
              fmt::format("`allow` guarded by `{}` grants when `{}` is absent from the request",
                          c.name, k.key));
      }
      bool has_true = false, has_false = false;
      for (const auto& v : k.values) {
        if (op.fam == family::ip && v.value.is_string()) {
          auto n = detail::parse_network(std::string_view(v.value.get_string()));
          if (n && n->host_bits_set)
            add(severity::suggestion, v.pointer,
                fmt::format("`{}` has host bits set: it means `{}`",
                            std::string_view(v.value.get_string()), detail::to_string(*n)));
        }
        if (op.fam == family::null) {
          const bool b = v.value.is_bool()
                             ? v.value.get_bool()
                             : (v.value.is_string() && v.value.get_string() == "true");
          (b ? has_true : has_false) = true;
        }
      }
      if (has_true && has_false)
        add(severity::warning, k.pointer,
            fmt::format("`null_equal` lists both `true` and `false` for `{}`: it always holds",
                        k.key));
    }
  }

  // A statement made redundant by another: same effect, every action and
  // resource covered, and the other is unconditional or has the same
  // condition. An allow covered by an unconditional deny never takes effect.
  void redundancy() {
    const auto& st = r_.doc.statements;
    for (std::size_t b = 0; b < st.size(); ++b) {
      for (std::size_t a = 0; a < st.size(); ++a) {
        if (a == b || !st[a].effect || !st[b].effect) continue;
        if (!covers(st[a], st[b])) continue;
        // Two identical statements: report only the later one.
        if (a > b && covers(st[b], st[a]) && *st[a].effect == *st[b].effect) continue;
        const bool same_cond = st[a].conditions.empty() || same_conditions(st[a], st[b]);
        if (*st[a].effect == *st[b].effect && same_cond) {
          add(severity::suggestion, st[b].pointer,
              fmt::format("statement is redundant: statement {} already covers it", a));
          break;
        }
        if (*st[a].effect == effect::deny && *st[b].effect == effect::allow &&
            st[a].conditions.empty()) {
          add(severity::warning, st[b].pointer,
              fmt::format("this `allow` never takes effect: the `deny` of statement {} covers it",
                          a));
          break;
        }
      }
    }
  }

  static bool covers(const statement& a, const statement& b) {
    if (a.actions.empty() || b.actions.empty() || a.resources.empty() || b.resources.empty())
      return false;
    for (const auto& qb : b.actions)
      if (std::none_of(a.actions.begin(), a.actions.end(),
                       [&](const text_node& pa) { return action_covers(pa.text, qb.text); }))
        return false;
    for (const auto& qb : b.resources)
      if (std::none_of(a.resources.begin(), a.resources.end(),
                       [&](const text_node& pa) { return resource_covers(pa.text, qb.text); }))
        return false;
    return true;
  }

  static bool same_conditions(const statement& a, const statement& b) {
    if (a.conditions.size() != b.conditions.size()) return false;
    for (std::size_t i = 0; i < a.conditions.size(); ++i) {
      const auto &x = a.conditions[i], &y = b.conditions[i];
      if (x.name != y.name || x.keys.size() != y.keys.size()) return false;
      for (std::size_t k = 0; k < x.keys.size(); ++k) {
        if (x.keys[k].key != y.keys[k].key || x.keys[k].values.size() != y.keys[k].values.size())
          return false;
        for (std::size_t v = 0; v < x.keys[k].values.size(); ++v)
          if (x.keys[k].values[v].value != y.keys[k].values[v].value) return false;
      }
    }
    return true;
  }

  const parse_result& r_;
  std::vector<lint_finding>& out_;
};

}  // namespace

std::vector<lint_finding> lint(std::string_view document_text, const limits& lim) {
  std::vector<lint_finding> out;
  parse_result r = parse_text(document_text, lim);
  if (r.too_long) {
    out.push_back({severity::error, "",
                   fmt::format("document is {} characters long, over the limit of {}", r.length,
                               lim.document_length)});
    // Lint the rest anyway, as if there were no length limit.
    limits unbounded = lim;
    unbounded.document_length = std::numeric_limits<std::size_t>::max();
    r = parse_text(document_text, unbounded);
  }
  for (auto& p : r.problems) out.push_back({severity::error, p.pointer, p.message});
  linter(r, out).run();
  return out;
}

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::error:
      return "error";
    case severity::security_warning:
      return "security_warning";
    case severity::warning:
      return "warning";
    case severity::suggestion:
      return "suggestion";
  }
  return "error";
}

}  // namespace orggov::policy
