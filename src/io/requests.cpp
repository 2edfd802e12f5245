// Requests (operations and queries) from JSON, driven by Boost.Describe: each
// operation struct's members are its fields, so one generic reader validates
// every operation — required and optional fields, types, enum values, unknown
// fields — and only the conditional rules of operations.md are written out.
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>

#include "orggov/io/json.hpp"
#include "orggov/policy/authorize.hpp"

namespace orggov {

namespace json = boost::json;

std::string target_ref::text() const {
  switch (kind) {
    case kind::root:
      return "root";
    case kind::unit:
      return "unit:" + id;
    case kind::account:
      return "account:" + id;
  }
  return "root";
}

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// Field readers: each returns an error message (empty when fine).
using err = std::optional<input_error>;

inline err fail(std::string_view ptr, std::string msg) {
  return input_error{std::string(ptr), std::move(msg)};
}

err read(const json::value& v, std::string_view ptr, std::string& out) {
  if (!v.is_string()) return fail(ptr, "expected a string");
  if (v.get_string().empty()) return fail(ptr, "expected a non-empty string");
  out = v.get_string();
  return {};
}

err read(const json::value& v, std::string_view ptr, bool& out) {
  if (!v.is_bool()) return fail(ptr, "expected true or false");
  out = v.get_bool();
  return {};
}

// An integral JSON number as a 64-bit value; `in_range` false when it does not fit.
err integral(const json::value& v, std::string_view ptr, std::int64_t& out, bool& in_range) {
  in_range = true;
  if (v.is_int64()) {
    out = v.get_int64();
    return {};
  }
  if (v.is_uint64()) {
    in_range =
        v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    out = in_range ? static_cast<std::int64_t>(v.get_uint64()) : 0;
    return {};
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d) || std::trunc(d) != d)
      return fail(ptr, "expected a whole number of cents");
    in_range = d >= -9223372036854775808.0 && d < 9223372036854775808.0;
    out = in_range ? static_cast<std::int64_t>(d) : 0;
    return {};
  }
  return fail(ptr, "expected a number");
}

err read(const json::value& v, std::string_view ptr, cents& out) {
  std::int64_t x = 0;
  bool ok = true;
  if (auto e = integral(v, ptr, x, ok)) return e;
  out.value = ok ? std::optional<std::int64_t>(x) : std::nullopt;
  return {};
}

// `cash`: cents in 0 … 2^63−1.
err read(const json::value& v, std::string_view ptr, std::int64_t& out) {
  bool ok = true;
  if (auto e = integral(v, ptr, out, ok)) return e;
  if (!ok || out < 0) return fail(ptr, "expected an amount of cents from 0 to 2^63-1");
  return {};
}

err read(const json::value& v, std::string_view ptr, timestamp& out) {
  if (!v.is_string()) return fail(ptr, "expected an RFC 3339 time in UTC");
  auto t = parse_time(v.get_string());
  if (!t)
    return fail(ptr, fmt::format("`{}` is not an RFC 3339 time in UTC (YYYY-MM-DDTHH:MM:SSZ)",
                                 std::string_view(v.get_string())));
  out = *t;
  return {};
}

template <class E>
requires std::is_enum_v<E> err read(const json::value& v, std::string_view ptr, E& out) {
  if (!v.is_string()) return fail(ptr, "expected a string");
  std::string_view s = v.get_string();
  bool found = false;
  std::string names;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (!names.empty()) names += ", ";
    names += d.name;
    if (s == d.name) {
      out = d.value;
      found = true;
    }
  });
  if (!found) return fail(ptr, fmt::format("unknown value `{}` (expected one of: {})", s, names));
  return {};
}

err read(const json::value& v, std::string_view ptr, std::vector<std::string>& out) {
  if (!v.is_array()) return fail(ptr, "expected an array of strings");
  const auto& a = v.get_array();
  out.clear();
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string s;
    if (auto e = read(a[i], pointer_join(ptr, i), s)) return e;
    out.push_back(std::move(s));
  }
  return {};
}

err read(const json::value& v, std::string_view ptr, std::vector<sub_account>& out) {
  if (!v.is_array()) return fail(ptr, "expected an array of sub-accounts");
  const auto& a = v.get_array();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string p = pointer_join(ptr, i);
    if (!a[i].is_object()) return fail(p, "expected a sub-account object {\"id\", \"kind\"}");
    sub_account s;
    for (const auto& kv : a[i].get_object()) {
      const std::string kp = pointer_join(p, kv.key());
      if (kv.key() == "id") {
        if (auto e = read(kv.value(), kp, s.id)) return e;
        if (s.id.find('/') != std::string::npos)
          return fail(kp, "a sub-account id cannot contain `/`");
      } else if (kv.key() == "kind") {
        if (auto e = read(kv.value(), kp, s.kind)) return e;
      } else {
        return fail(kp, fmt::format("unknown field `{}`", std::string_view(kv.key())));
      }
    }
    if (s.id.empty()) return fail(pointer_join(p, "id"), "missing field `id`");
    if (!seen.insert(s.id).second)
      return fail(pointer_join(p, "id"), fmt::format("duplicate sub-account id `{}`", s.id));
    out.push_back(std::move(s));
  }
  return {};
}

err read(const json::value& v, std::string_view ptr, json::value& out) {
  if (!v.is_object() && !v.is_string())
    return fail(ptr, "expected a policy document: a JSON object or a string holding its JSON text");
  out = v;
  return {};
}

err read(const json::value& v, std::string_view ptr, json::object& out) {
  if (!v.is_object()) return fail(ptr, "expected an object");
  auto parsed = policy::parse_context(v.get_object());
  if (auto* p = std::get_if<policy::input_problem>(&parsed))
    return fail(std::string(ptr) + p->pointer, p->message);
  out = v.get_object();
  return {};
}

err read(const json::value& v, std::string_view ptr, target_ref& out) {
  std::string s;
  if (auto e = read(v, ptr, s)) return e;
  if (s == "root" || s == "unit:root") {
    out = {target_ref::kind::root, ""};
  } else if (s.starts_with("unit:") && s.size() > 5) {
    out = {target_ref::kind::unit, s.substr(5)};
  } else if (s.starts_with("account:") && s.size() > 8) {
    out = {target_ref::kind::account, s.substr(8)};
  } else {
    return fail(ptr, fmt::format("`{}` is not a target (root, unit:<id> or account:<uin>)", s));
  }
  return {};
}

err read(const json::value& v, std::string_view ptr, sub_account_ref& out) {
  std::string s;
  if (auto e = read(v, ptr, s)) return e;
  auto slash = s.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == s.size() ||
      s.find('/', slash + 1) != std::string::npos)
    return fail(ptr, fmt::format("`{}` is not a sub-account `<uin>/<id>`", s));
  out = {s.substr(0, slash), s.substr(slash + 1)};
  return {};
}

template <class T>
err read(const json::value& v, std::string_view ptr, std::optional<T>& out) {
  T x{};
  if (auto e = read(v, ptr, x)) return e;
  out = std::move(x);
  return {};
}

// Reads every described member of T from `o`; rejects unknown fields.
template <class T>
err read_struct(const json::object& o, std::string_view ptr, T& out) {
  using members = boost::describe::describe_members<T, boost::describe::mod_public>;
  err e;
  boost::mp11::mp_for_each<members>([&](auto d) {
    if (e) return;
    auto& field = out.*d.pointer;
    const json::value* v = o.if_contains(d.name);
    if (!v) {
      if constexpr (!is_optional<std::remove_cvref_t<decltype(field)>>::value)
        e = fail(pointer_join(ptr, d.name), fmt::format("missing field `{}`", d.name));
      return;
    }
    e = read(*v, pointer_join(ptr, d.name), field);
  });
  if (e) return e;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k == "op" || k == "at") continue;
    bool known = false;
    boost::mp11::mp_for_each<members>([&](auto d) { known = known || k == d.name; });
    if (!known)
      return fail(pointer_join(ptr, k), fmt::format("unknown field `{}` for `{}`", k, T::op_name));
  }
  return {};
}

// Conditional rules of operations.md beyond types.
template <class T>
err conditions(const T&, std::string_view) {
  return {};
}

err conditions(const ops::set_payment_mode& op, std::string_view ptr) {
  if (op.mode == payment_mode::pay_on_behalf && !op.payer)
    return fail(pointer_join(ptr, "payer"), "missing field `payer` (required with pay_on_behalf)");
  if (op.mode == payment_mode::self_pay && op.payer)
    return fail(pointer_join(ptr, "payer"), "`payer` is not allowed with self_pay");
  return {};
}

err conditions(const ops::grant_special_permission& op, std::string_view ptr) {
  if (op.permission == special_permission::credit_limit && op.account)
    return fail(pointer_join(ptr, "account"),
                "`account` is not allowed with credit_limit (a permission of the org)");
  if (op.permission != special_permission::credit_limit && !op.account)
    return fail(pointer_join(ptr, "account"),
                "missing field `account` (required for a per-member permission)");
  return {};
}

err conditions(const ops::create_bill_group& op, std::string_view ptr) {
  if (op.members.empty())
    return fail(pointer_join(ptr, "members"), "a bill group needs at least one member");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < op.members.size(); ++i)
    if (!seen.insert(op.members[i]).second)
      return fail(pointer_join(pointer_join(ptr, "members"), i),
                  fmt::format("duplicate member `{}`", op.members[i]));
  return {};
}

// A uin is never written with `/`: that is the sub-account form `<uin>/<id>`.
err new_uin(const std::string& uin, std::string_view ptr) {
  if (uin.find('/') != std::string::npos)
    return fail(pointer_join(ptr, "account"), fmt::format("a uin cannot contain `/`: `{}`", uin));
  return {};
}
err conditions(const ops::add_account& op, std::string_view ptr) {
  return new_uin(op.account, ptr);
}
err conditions(const ops::create_member& op, std::string_view ptr) {
  return new_uin(op.account, ptr);
}

err conditions(const ops::bill_payer& q, std::string_view ptr) {
  if (!(q.period_start < q.period_end))
    return fail(pointer_join(ptr, "period_end"), "period_end must be later than period_start");
  return {};
}

template <class Q>
err authorization_conditions(const Q& q, std::string_view ptr) {
  if (auto m = policy::validate_action(q.action)) return fail(pointer_join(ptr, "action"), *m);
  if (auto m = policy::validate_resource(q.resource))
    return fail(pointer_join(ptr, "resource"), *m);
  return {};
}
err conditions(const ops::authorize& q, std::string_view ptr) {
  return authorization_conditions(q, ptr);
}
err conditions(const ops::explain& q, std::string_view ptr) {
  return authorization_conditions(q, ptr);
}

template <class Variant>
result<Variant> parse_request(const json::value& v, std::string_view ptr, std::string_view kind,
                              std::string_view other_kind, bool (*is_other)(std::string_view)) {
  if (!v.is_object())
    return input_error{std::string(ptr), fmt::format("expected an {} object", kind)};
  const json::object& o = v.get_object();
  const json::value* opv = o.if_contains("op");
  const std::string op_ptr = pointer_join(ptr, "op");
  if (!opv) return input_error{op_ptr, "missing field `op`"};
  if (!opv->is_string()) return input_error{op_ptr, "expected a string"};
  std::string_view name = opv->get_string();
  if (const json::value* at = o.if_contains("at")) {
    timestamp t;
    if (auto e = read(*at, pointer_join(ptr, "at"), t)) return *e;
  }
  std::optional<result<Variant>> out;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Variant>>>([&](auto I) {
    using T = std::variant_alternative_t<I, Variant>;
    if (out || name != T::op_name) return;
    T x{};
    if (auto e = read_struct(o, ptr, x)) {
      out = *e;
      return;
    }
    if (auto e = conditions(x, ptr)) {
      out = *e;
      return;
    }
    out = Variant(std::move(x));
  });
  if (out) return std::move(*out);
  if (is_other(name))
    return input_error{op_ptr, fmt::format("`{}` is {}, not {}", name, other_kind, kind)};
  return input_error{op_ptr, fmt::format("unknown op `{}`", name)};
}

template <class Variant>
bool names_alternative(std::string_view name) {
  bool found = false;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Variant>>>(
      [&](auto I) { found = found || name == std::variant_alternative_t<I, Variant>::op_name; });
  return found;
}

}  // namespace detail

result<operation> parse_operation(const json::value& v, std::string_view pointer) {
  return detail::parse_request<operation>(v, pointer, "operation", "a query",
                                          &detail::names_alternative<query>);
}

result<query> parse_query(const json::value& v, std::string_view pointer) {
  return detail::parse_request<query>(v, pointer, "query", "an operation",
                                      &detail::names_alternative<operation>);
}

std::string_view op_name(const operation& op) noexcept {
  return std::visit(
      [](const auto& o) -> std::string_view { return std::remove_cvref_t<decltype(o)>::op_name; },
      op);
}

std::string_view op_name(const query& q) noexcept {
  return std::visit(
      [](const auto& o) -> std::string_view { return std::remove_cvref_t<decltype(o)>::op_name; },
      q);
}

}  // namespace orggov
