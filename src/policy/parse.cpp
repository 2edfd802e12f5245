// Stage 1: JSON text or value -> `document`, collecting every grammar problem.
//
// JSON text goes through orggov's strict reader (src/io/strict_json.cpp),
// because boost::json::object keeps the last of duplicate keys silently and
// parse_options has no duplicate-key check; the reader knows the JSON
// pointer of every value it builds, so nesting and duplicates are reported
// where they occur.
#include "policy/internal.hpp"

#include "io/strict_json.hpp"
#include "orggov/io/json.hpp"

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace orggov::policy {

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string pointer_append(std::string_view base, std::string_view token) {
  return orggov::pointer_join(base, token);
}

std::string pointer_append(std::string_view base, std::size_t index) {
  return orggov::pointer_join(base, index);
}

// ---------------------------------------------------------------- operators

namespace {

struct op_row {
  std::string_view name;
  family fam;
  comparison cmp;
  bool negated;
};

constexpr std::array<op_row, 23> op_table{{
    {"string_equal", family::string, comparison::equal, false},
    {"string_not_equal", family::string, comparison::equal, true},
    {"string_equal_ignore_case", family::string, comparison::equal_ignore_case, false},
    {"string_not_equal_ignore_case", family::string, comparison::equal_ignore_case, true},
    {"string_like", family::string, comparison::like, false},
    {"string_not_like", family::string, comparison::like, true},
    {"numeric_equal", family::number, comparison::equal, false},
    {"numeric_not_equal", family::number, comparison::equal, true},
    {"numeric_less_than", family::number, comparison::less_than, false},
    {"numeric_less_than_equal", family::number, comparison::less_than_equal, false},
    {"numeric_greater_than", family::number, comparison::greater_than, false},
    {"numeric_greater_than_equal", family::number, comparison::greater_than_equal, false},
    {"date_equal", family::date, comparison::equal, false},
    {"date_not_equal", family::date, comparison::equal, true},
    {"date_less_than", family::date, comparison::less_than, false},
    {"date_less_than_equal", family::date, comparison::less_than_equal, false},
    {"date_greater_than", family::date, comparison::greater_than, false},
    {"date_greater_than_equal", family::date, comparison::greater_than_equal, false},
    {"bool_equal", family::boolean, comparison::equal, false},
    {"binary_equal", family::binary, comparison::equal, false},
    {"ip_equal", family::ip, comparison::equal, false},
    {"ip_not_equal", family::ip, comparison::equal, true},
    {"null_equal", family::null, comparison::equal, false},
}};

// Names users bring from other clouds' policy languages.
constexpr std::array<std::pair<std::string_view, std::string_view>, 23> foreign_ops{{
    {"StringEquals", "string_equal"},
    {"StringNotEquals", "string_not_equal"},
    {"StringEqualsIgnoreCase", "string_equal_ignore_case"},
    {"StringNotEqualsIgnoreCase", "string_not_equal_ignore_case"},
    {"StringLike", "string_like"},
    {"StringNotLike", "string_not_like"},
    {"NumericEquals", "numeric_equal"},
    {"NumericNotEquals", "numeric_not_equal"},
    {"NumericLessThan", "numeric_less_than"},
    {"NumericLessThanEquals", "numeric_less_than_equal"},
    {"NumericGreaterThan", "numeric_greater_than"},
    {"NumericGreaterThanEquals", "numeric_greater_than_equal"},
    {"DateEquals", "date_equal"},
    {"DateNotEquals", "date_not_equal"},
    {"DateLessThan", "date_less_than"},
    {"DateLessThanEquals", "date_less_than_equal"},
    {"DateGreaterThan", "date_greater_than"},
    {"DateGreaterThanEquals", "date_greater_than_equal"},
    {"Bool", "bool_equal"},
    {"BinaryEquals", "binary_equal"},
    {"IpAddress", "ip_equal"},
    {"NotIpAddress", "ip_not_equal"},
    {"Null", "null_equal"},
}};

const op_row* find_op(std::string_view base) {
  for (const auto& r : op_table)
    if (r.name == base) return &r;
  return nullptr;
}

// Translates a foreign operator (`ForAnyValue:StringLikeIfExists`) to ours, or "".
std::string translate_foreign(std::string_view name) {
  std::string prefix;
  if (name.starts_with("ForAnyValue:")) {
    prefix = "for_any_value:";
    name.remove_prefix(12);
  } else if (name.starts_with("ForAllValues:")) {
    prefix = "for_all_value:";
    name.remove_prefix(13);
  }
  std::string suffix;
  if (name.ends_with("IfExists")) {
    suffix = "_if_exist";
    name.remove_suffix(8);
  }
  for (const auto& [from, to] : foreign_ops)
    if (from == name) return prefix + std::string(to) + suffix;
  return {};
}

}  // namespace

std::optional<condition_operator> parse_operator(std::string_view name, std::string* why) {
  auto fail = [&](std::string msg) -> std::optional<condition_operator> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  condition_operator op;
  std::string_view rest = name;
  if (rest.starts_with("for_any_value:")) {
    op.set = set_modifier::for_any_value;
    rest.remove_prefix(14);
  } else if (rest.starts_with("for_all_value:")) {
    op.set = set_modifier::for_all_value;
    rest.remove_prefix(14);
  } else if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
    if (auto t = translate_foreign(name); !t.empty())
      return fail(fmt::format("unknown condition operator `{}`: write `{}`", name, t));
    return fail(
        fmt::format("unknown modifier `{}` in `{}`: write `for_any_value:` or `for_all_value:`",
                    rest.substr(0, colon + 1), name));
  }
  if (rest.ends_with("_if_exist")) {
    op.if_exist = true;
    rest.remove_suffix(9);
  } else if (rest.ends_with("_if_exists")) {
    return fail(fmt::format("unknown condition operator `{}`: the suffix is `_if_exist`", name));
  }
  const op_row* row = find_op(rest);
  if (!row) {
    if (auto t = translate_foreign(name); !t.empty())
      return fail(fmt::format("unknown condition operator `{}`: write `{}`", name, t));
    const std::string lower = detail::lower_copy(rest);
    if (find_op(lower))
      return fail(fmt::format("unknown condition operator `{}`: operators are lower case (`{}`)",
                              name, lower));
    return fail(fmt::format("unknown condition operator `{}`", name));
  }
  op.fam = row->fam;
  op.cmp = row->cmp;
  op.negated = row->negated;
  op.base = row->name;
  if (op.fam == family::null && op.if_exist)
    return fail(
        fmt::format("`_if_exist` does not apply to `null_equal` (it tests absence itself): write "
                    "`null_equal`"));
  if (op.fam == family::null && op.set != set_modifier::none)
    return fail(
        fmt::format("`{}` does not apply to `null_equal`: write `null_equal`",
                    op.set == set_modifier::for_any_value ? "for_any_value:" : "for_all_value:"));
  return op;
}

std::string to_string(const condition_operator& op) {
  std::string out;
  if (op.set == set_modifier::for_any_value) out = "for_any_value:";
  if (op.set == set_modifier::for_all_value) out = "for_all_value:";
  out += op.base;
  if (op.if_exist) out += "_if_exist";
  return out;
}

// ---------------------------------------------------------------- JSON text

namespace {

namespace json = boost::json;

// ---------------------------------------------------------------- grammar walk

bool is_service_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string normalize_element(std::string_view k) {
  std::string out;
  for (char c : k)
    if (c != '_' && c != '-') out.push_back(detail::ascii_lower(c));
  return out;
}

class walker {
 public:
  walker(parse_result& r) : r_(r) {}

  void run(const json::value& root) {
    if (!root.is_object()) {
      add("", "document must be a JSON object");
      return;
    }
    bool has_statement = false;
    for (const auto& kv : root.as_object()) {
      const std::string_view k = kv.key();
      const std::string ptr = pointer_append("", k);
      if (k == "version") {
        if (!kv.value().is_string()) {
          add(ptr, "`version` must be the string `2.0`");
          r_.doc.version = std::string();
        } else {
          r_.doc.version = std::string(kv.value().get_string());
          if (*r_.doc.version != "2.0")
            add(ptr, fmt::format("unsupported version `{}`: write `2.0`", *r_.doc.version));
        }
      } else if (k == "statement") {
        has_statement = true;
        statements(kv.value(), ptr);
      } else {
        unknown(k, ptr, {"version", "statement"});
      }
    }
    if (!r_.doc.version) add("", "missing `version`: add `\"version\": \"2.0\"`");
    if (!has_statement) add("", "missing `statement`: add an array of statements");
  }

 private:
  void add(std::string ptr, std::string msg) {
    r_.problems.push_back({std::move(ptr), std::move(msg)});
  }

  void unknown(std::string_view k, const std::string& ptr,
               std::initializer_list<std::string_view> known) {
    const std::string norm = normalize_element(k);
    for (auto good : known)
      if (norm == normalize_element(good)) {
        add(ptr, fmt::format("unknown element `{}`: write `{}` (element names are lower case)", k,
                             good));
        return;
      }
    if (norm == "principal" || norm == "notprincipal") {
      add(ptr, fmt::format("`{}` is not allowed in an SCP: an SCP applies to every identity of the "
                           "accounts it is attached to, so remove it",
                           k));
    } else if (norm == "sid") {
      add(ptr, fmt::format("`{}` is not part of this grammar: remove it (statements are numbered "
                           "from 0)",
                           k));
    } else if (norm == "notaction") {
      add(ptr, fmt::format("`{}` is not supported: list the actions in `action` (a `deny` "
                           "statement excludes them)",
                           k));
    } else if (norm == "notresource") {
      add(ptr, fmt::format("`{}` is not supported: list the resources in `resource`", k));
    } else {
      add(ptr, fmt::format("unknown element `{}`", k));
    }
  }

  void statements(const json::value& v, const std::string& ptr) {
    if (v.is_array()) {
      const auto& a = v.as_array();
      if (a.empty()) add(ptr, "`statement` must not be empty");
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string p = pointer_append(ptr, i);
        if (!a[i].is_object()) {
          add(p, "a statement must be a JSON object");
          continue;
        }
        one_statement(a[i].as_object(), p);
      }
    } else if (v.is_object()) {
      r_.doc.statement_is_array = false;
      one_statement(v.as_object(), ptr);
    } else {
      add(ptr, "`statement` must be an array of statements (or one statement object)");
    }
  }

  void one_statement(const json::object& o, const std::string& ptr) {
    statement s;
    s.pointer = ptr;
    bool has_action = false, has_resource = false;
    for (const auto& kv : o) {
      const std::string_view k = kv.key();
      const std::string p = pointer_append(ptr, k);
      const json::value& v = kv.value();
      if (k == "effect") {
        if (v.is_string() && v.get_string() == "allow")
          s.effect = effect::allow;
        else if (v.is_string() && v.get_string() == "deny")
          s.effect = effect::deny;
        else if (v.is_string())
          add(p, fmt::format("`effect` must be `allow` or `deny`, not `{}`",
                             std::string_view(v.get_string())));
        else
          add(p, "`effect` must be the string `allow` or `deny`");
        if (!s.effect) s.effect = effect::deny;  // keep walking; the problem is recorded
      } else if (k == "action") {
        has_action = true;
        strings(v, p, "action", s.actions);
        for (const auto& a : s.actions) check_action(a);
      } else if (k == "resource") {
        has_resource = true;
        strings(v, p, "resource", s.resources);
        for (const auto& rs : s.resources) check_resource(rs);
      } else if (k == "condition") {
        s.has_condition = true;
        s.condition_pointer = p;
        if (v.is_array())
          add(p, "`condition` must be an object, not an array: write `{}` or leave it out");
        else if (!v.is_object())
          add(p, "`condition` must be an object mapping operators to keys");
        else
          conditions(v.as_object(), p, s);
      } else {
        unknown(k, p, {"effect", "action", "resource", "condition"});
      }
    }
    if (o.find("effect") == o.end()) {
      add(ptr, "missing `effect`: add `\"effect\": \"allow\"` or `\"deny\"`");
      s.effect = effect::deny;
    }
    if (!has_action) add(ptr, "missing `action`");
    if (!has_resource) add(ptr, "missing `resource`: write `\"resource\": \"*\"` for any");
    r_.doc.statements.push_back(std::move(s));
  }

  void strings(const json::value& v, const std::string& ptr, std::string_view what,
               std::vector<text_node>& out) {
    if (v.is_string()) {
      out.push_back({std::string(v.get_string()), ptr});
    } else if (v.is_array()) {
      const auto& a = v.as_array();
      if (a.empty()) add(ptr, fmt::format("`{}` must not be empty", what));
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string p = pointer_append(ptr, i);
        if (a[i].is_string())
          out.push_back({std::string(a[i].get_string()), p});
        else
          add(p, fmt::format("each `{}` must be a string", what));
      }
    } else {
      add(ptr, fmt::format("`{}` must be a string or an array of strings", what));
    }
  }

  void check_action(const text_node& n) {
    std::string_view a = n.text;
    if (a == "*") return;
    if (a.starts_with("name/")) a.remove_prefix(5);
    const auto colon = a.find(':');
    if (a.empty() || colon == std::string_view::npos) {
      add(n.pointer, fmt::format("invalid action `{}`: write `service:Name` or `*`", n.text));
      return;
    }
    const std::string_view svc = a.substr(0, colon), name = a.substr(colon + 1);
    if (svc.empty() || !std::all_of(svc.begin(), svc.end(), [](char c) {
          return is_service_char(c) || c == '*' || c == '?';
        }))
      add(n.pointer, fmt::format("invalid service `{}` in action `{}`: use letters, digits, `_`, "
                                 "`-` and the wildcards `*` `?`",
                                 svc, n.text));
    else if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
               return is_name_char(c) || c == '*' || c == '?';
             }))
      add(n.pointer, fmt::format("invalid action name `{}` in action `{}`: use letters, digits, "
                                 "`_` and the wildcards `*` `?`",
                                 name, n.text));
  }

  void check_resource(const text_node& n) {
    if (n.text == "*") return;
    if (auto why = detail_resource_problem(n.text)) add(n.pointer, *why);
  }

 public:
  static std::optional<std::string> detail_resource_problem(std::string_view t) {
    std::array<std::string_view, 6> seg;
    std::size_t pos = 0;
    for (int i = 0; i < 5; ++i) {
      const auto c = t.find(':', pos);
      if (c == std::string_view::npos)
        return fmt::format(
            "invalid resource `{}`: write `*` or "
            "`qcs::service_type:region:account:resource`",
            t);
      seg[static_cast<std::size_t>(i)] = t.substr(pos, c - pos);
      pos = c + 1;
    }
    seg[5] = t.substr(pos);
    for (char c : t)
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
        return fmt::format("resource `{}` contains a space or control character", t);
    if (seg[0] != "qcs") return fmt::format("resource `{}` must start with `qcs:`", t);
    if (!seg[1].empty())
      return fmt::format("resource `{}` has project_id `{}`: the project_id segment must be empty",
                         t, seg[1]);
    auto segment_ok = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(),
                         [](char c) { return is_service_char(c) || c == '*' || c == '?'; });
    };
    if (!segment_ok(seg[2]))
      return fmt::format("invalid service_type `{}` in resource `{}`", seg[2], t);
    if (!segment_ok(seg[3])) return fmt::format("invalid region `{}` in resource `{}`", seg[3], t);
    const std::string_view acct = seg[4];
    const bool wild_only = !acct.empty() && acct.find_first_not_of("*?") == std::string_view::npos;
    if (!acct.empty() && !wild_only &&
        !((acct.starts_with("uin/") || acct.starts_with("uid/")) && acct.size() > 4))
      return fmt::format(
          "invalid account `{}` in resource `{}`: write `uin/<uin>`, "
          "`uid/<appid>` or leave it empty",
          acct, t);
    if (seg[5].empty())
      return fmt::format("resource `{}` has an empty resource segment: write `*` for any", t);
    return std::nullopt;
  }

 private:
  void conditions(const json::object& o, const std::string& ptr, statement& s) {
    for (const auto& kv : o) {
      condition_node c;
      c.name = std::string(kv.key());
      c.pointer = pointer_append(ptr, kv.key());
      std::string why;
      c.op = parse_operator(c.name, &why);
      if (!c.op) add(c.pointer, why);
      if (!kv.value().is_object()) {
        add(c.pointer, fmt::format("`{}` must map condition keys to values", c.name));
        s.conditions.push_back(std::move(c));
        continue;
      }
      const auto& keys = kv.value().as_object();
      if (keys.empty()) add(c.pointer, fmt::format("`{}` has no condition keys", c.name));
      for (const auto& kk : keys) {
        condition_key_node key;
        key.key = std::string(kk.key());
        key.pointer = pointer_append(c.pointer, kk.key());
        if (key.key.empty()) add(key.pointer, "a condition key must not be empty");
        const json::value& v = kk.value();
        if (v.is_array()) {
          key.written_as_array = true;
          const auto& a = v.as_array();
          if (a.empty())
            add(key.pointer, fmt::format("`{}` must list at least one value", key.key));
          for (std::size_t i = 0; i < a.size(); ++i)
            key.values.push_back({a[i], pointer_append(key.pointer, i)});
        } else {
          key.values.push_back({v, key.pointer});
        }
        for (const auto& val : key.values) check_value(c, val);
        c.keys.push_back(std::move(key));
      }
      s.conditions.push_back(std::move(c));
    }
  }

  void check_value(const condition_node& c, const value_node& n) {
    const json::value& v = n.value;
    if (!(v.is_string() || v.is_number() || v.is_bool())) {
      add(n.pointer, "a condition value must be a string, number or bool");
      return;
    }
    if (!c.op) return;
    const std::string text = detail::scalar_text(v).value_or("");
    switch (c.op->fam) {
      case family::string:
        break;
      case family::number:
        if (v.is_bool() || !detail::parse_decimal(text))
          add(n.pointer,
              fmt::format("`{}` is not a decimal number (`{}` compares numbers)", text, c.name));
        break;
      case family::date:
        if (!v.is_string() || !parse_time(text, true))
          add(n.pointer, fmt::format("`{}` is not a date: write RFC 3339 in UTC "
                                     "(`2026-01-31T00:00:00Z`) or `2026-01-31`",
                                     text));
        break;
      case family::boolean:
      case family::null:
        if (!v.is_bool() && !(v.is_string() && detail::parse_bool_text(text)))
          add(n.pointer, fmt::format("`{}` takes `true` or `false`, not `{}`", c.name, text));
        break;
      case family::binary:
        if (!v.is_string() || !detail::decode_base64(text))
          add(n.pointer, fmt::format("`{}` is not base64", text));
        break;
      case family::ip:
        if (!v.is_string() || !detail::parse_network(text))
          add(n.pointer, fmt::format("`{}` is not an IPv4 or IPv6 address or CIDR", text));
        break;
    }
  }

  parse_result& r_;
};

// Depth of an object given as a value, stopping once past `limit`.
void check_depth(const json::value& v, std::size_t depth, std::size_t limit, const std::string& ptr,
                 parse_result& r, bool& reported) {
  if (reported) return;
  if (!v.is_object() && !v.is_array()) return;
  if (depth > limit) {
    reported = true;
    r.problems.push_back({ptr, fmt::format("JSON nesting is deeper than {} levels", limit)});
    return;
  }
  if (v.is_object()) {
    for (const auto& kv : v.as_object())
      check_depth(kv.value(), depth + 1, limit, pointer_append(ptr, kv.key()), r, reported);
  } else {
    const auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i)
      check_depth(a[i], depth + 1, limit, pointer_append(ptr, i), r, reported);
  }
}

}  // namespace

namespace detail {
std::optional<std::string> resource_problem(std::string_view t) {
  return walker::detail_resource_problem(t);
}
}  // namespace detail

parse_result parse_text(std::string_view text, const limits& lim) {
  parse_result r;
  r.length = count_code_points(text);
  if (r.length > lim.document_length) {
    r.too_long = true;
    return r;
  }
  // The strict reader shared with the rest of orggov: it reports duplicate
  // keys and the first place nesting passes the limit, then keeps going, so
  // the grammar below can still be checked.
  std::vector<input_error> found;
  std::optional<json::value> root = orggov::detail::parse_json_collect(text, lim.max_depth, found);
  for (auto& f : found)
    r.problems.push_back({std::move(f.pointer), f.message.starts_with("not valid JSON")
                                                    ? "document is " + f.message
                                                    : std::move(f.message)});
  if (!root) return r;
  walker(r).run(*root);
  return r;
}

parse_result parse(const json::value& document, const limits& lim) {
  if (document.is_string()) return parse_text(document.get_string(), lim);
  parse_result r;
  if (!document.is_object()) {
    r.problems.push_back({"", "document must be a JSON object, or a string holding its JSON text"});
    return r;
  }
  r.length = count_code_points(json::serialize(document));
  if (r.length > lim.document_length) {
    r.too_long = true;
    return r;
  }
  bool reported = false;
  check_depth(document, 1, lim.max_depth, "", r, reported);
  walker(r).run(document);
  return r;
}

}  // namespace orggov::policy
