// Stage 2: `document` -> immutable `compiled_policy`.
//
// Every value is parsed here once (CIDRs, dates, exact decimals, base64) and
// every action and resource pattern classified (exact / prefix / any / glob).
// The action index is built per path (index.cpp), over all its policies.
#include "policy/internal.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace orggov::policy {

namespace detail {
namespace {

action_matcher compile_action(std::string_view text) {
  action_matcher m;
  m.text = lower_copy(text);
  if (text.starts_with("name/")) text.remove_prefix(5);
  if (text.find_first_not_of('*') == std::string_view::npos) {
    m.any = true;
    return m;
  }
  const auto colon = text.find(':');
  m.service = make_glob(text.substr(0, colon), true);
  m.name = make_glob(text.substr(colon + 1), true);
  m.any = m.service.k == glob::kind::any && m.name.k == glob::kind::any;
  return m;
}

resource_matcher compile_resource(std::string_view text) {
  resource_matcher m;
  m.text = std::string(text);
  if (text == "*") {
    m.any = true;
    return m;
  }
  std::string_view seg[6];
  std::size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    const auto c = text.find(':', pos);
    seg[i] = text.substr(pos, c - pos);
    pos = c + 1;
  }
  seg[5] = text.substr(pos);
  m.any_service = seg[2].empty();
  m.any_region = seg[3].empty();
  m.self_account = seg[4].empty();
  m.service_type = make_glob(seg[2], false);
  m.region = make_glob(seg[3], false);
  m.account = make_glob(seg[4], false);
  m.rest = make_glob(seg[5], false);
  return m;
}

compiled_value compile_value(const condition_operator& op, const boost::json::value& v) {
  compiled_value out;
  const std::string text = scalar_text(v).value_or("");
  switch (op.fam) {
    case family::string:
      if (op.cmp == comparison::equal_ignore_case)
        out.text = lower_copy(text);
      else
        out.text = text;
      if (op.cmp == comparison::like) out.like = make_glob(text, false);
      break;
    case family::number:
      out.number = parse_decimal(text).value_or(decimal{});
      break;
    case family::date:
      out.time = parse_time(text, true).value_or(timestamp{});
      break;
    case family::boolean:
    case family::null:
      out.boolean = v.is_bool() ? v.get_bool() : parse_bool_text(text).value_or(false);
      break;
    case family::binary:
      out.bytes = decode_base64(text).value_or("");
      break;
    case family::ip:
      out.net = parse_network(text).value_or(ip_network{});
      break;
  }
  out.text = op.fam == family::string ? out.text : text;
  return out;
}

}  // namespace
}  // namespace detail

compile_result compile(const document& doc) {
  compile_result out;
  std::shared_ptr<compiled_policy> p = std::make_shared<compiled_policy>();
  for (std::size_t i = 0; i < doc.statements.size(); ++i) {
    const statement& s = doc.statements[i];
    detail::compiled_statement cs;
    cs.eff = s.effect.value_or(effect::deny);
    cs.index = static_cast<std::uint32_t>(i);
    for (const auto& a : s.actions) cs.actions.push_back(detail::compile_action(a.text));
    for (const auto& r : s.resources) {
      cs.resources.push_back(detail::compile_resource(r.text));
      cs.any_resource = cs.any_resource || cs.resources.back().any;
    }
    for (const auto& c : s.conditions) {
      if (!c.op) continue;
      for (const auto& k : c.keys) {
        detail::compiled_condition cc;
        cc.op = *c.op;
        cc.key = k.key;
        cc.current_time = k.key == "qcs:current_time";
        for (const auto& v : k.values) {
          cc.values.push_back(detail::compile_value(cc.op, v.value));
          if (cc.op.fam == family::null) {
            if (cc.values.back().boolean)
              cc.null_true = true;
            else
              cc.null_false = true;
          }
        }
        cs.conditions.push_back(std::move(cc));
      }
    }
    if (cs.eff == effect::deny) p->has_deny_ = true;
    if (cs.eff == effect::allow && cs.conditions.empty() && cs.any_resource &&
        std::any_of(cs.actions.begin(), cs.actions.end(), [](const auto& a) { return a.any; }))
      p->allow_all_ = true;
    p->statements_.push_back(std::move(cs));
  }
  out.policy = std::move(p);
  return out;
}

compile_result compile(const boost::json::value& document, const limits& lim) {
  compile_result out;
  parse_result r = parse(document, lim);
  if (r.too_long) {
    out.too_long = true;
    return out;
  }
  if (!r.problems.empty()) {
    out.problems = std::move(r.problems);
    return out;
  }
  return compile(r.doc);
}

std::shared_ptr<const compiled_policy> full_access() {
  static const std::shared_ptr<const compiled_policy> instance = [] {
    document d;
    d.version = "2.0";
    statement s;
    s.pointer = "/statement/0";
    s.effect = effect::allow;
    s.actions.push_back({"*", "/statement/0/action"});
    s.resources.push_back({"*", "/statement/0/resource"});
    d.statements.push_back(std::move(s));
    return compile(d).policy;
  }();
  return instance;
}

std::size_t statement_count(const compiled_policy& p) noexcept {
  return p.statements_.size();
}

namespace {

std::string dump_glob(const detail::glob& g) {
  switch (g.k) {
    case detail::glob::kind::exact:
      return "=" + g.text;
    case detail::glob::kind::prefix:
      return g.text + "*";
    case detail::glob::kind::any:
      return "*";
    case detail::glob::kind::general:
      return "~" + g.text;
  }
  return "";
}

}  // namespace

std::string dump(const compiled_policy& p) {
  std::string out;
  for (const auto& s : p.statements_) {
    out += fmt::format("{} {}", s.index, s.eff == effect::allow ? "allow" : "deny");
    out += " act[";
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
      const auto& a = s.actions[i];
      if (i) out += ' ';
      if (a.any)
        out += "*";
      else
        out += dump_glob(a.service) + ":" + dump_glob(a.name);
    }
    out += "] res[";
    for (std::size_t i = 0; i < s.resources.size(); ++i) {
      const auto& r = s.resources[i];
      if (i) out += ' ';
      if (r.any) {
        out += "*";
        continue;
      }
      out += (r.any_service ? std::string("any") : dump_glob(r.service_type)) + "|" +
             (r.any_region ? std::string("any") : dump_glob(r.region)) + "|" +
             (r.self_account ? std::string("self") : dump_glob(r.account)) + "|" +
             dump_glob(r.rest);
    }
    out += "]";
    for (const auto& c : s.conditions) {
      out += fmt::format(" if[{} {} {{", to_string(c.op), c.key);
      for (std::size_t i = 0; i < c.values.size(); ++i) {
        const auto& v = c.values[i];
        if (i) out += ',';
        switch (c.op.fam) {
          case family::string:
            out += c.op.cmp == comparison::like ? dump_glob(v.like) : v.text;
            break;
          case family::number:
            out += detail::to_string(v.number);
            break;
          case family::date:
            out += format_time(v.time);
            break;
          case family::boolean:
          case family::null:
            out += v.boolean ? "true" : "false";
            break;
          case family::binary:
            out += fmt::format("{}B", v.bytes.size());
            break;
          case family::ip:
            out += detail::to_string(v.net);
            break;
        }
      }
      out += "}]";
    }
    out += '\n';
  }
  return out;
}

}  // namespace orggov::policy
