// Request input: the context (parsed once per request, outside the hot path)
// and the validation of a request's action and resource.
#include "policy/internal.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace orggov::policy {

namespace detail {

const context_entry* context_data::find(std::string_view key) const noexcept {
  auto it = std::lower_bound(entries.begin(), entries.end(), key,
                             [](const context_entry& e, std::string_view k) { return e.key < k; });
  return it != entries.end() && it->key == key ? &*it : nullptr;
}

context_item make_item(context_item::type t, std::string text) {
  context_item it;
  it.t = t;
  it.text = std::move(text);
  // Every interpretation is made now so that evaluation only compares.
  it.number = parse_decimal(it.text);
  if (t == context_item::type::string) it.time = parse_time(it.text, true);
  it.ip = parse_ip(it.text);
  it.boolean = parse_bool_text(it.text);
  if (t == context_item::type::string) it.bytes = decode_base64(it.text);
  return it;
}

}  // namespace detail

context::context() : data_(std::make_shared<detail::context_data>()) {}

detail::context_data& context::mutable_data() {
  if (data_.use_count() > 1) data_ = std::make_shared<detail::context_data>(*data_);
  return *data_;
}

namespace {

detail::context_entry& entry_for(detail::context_data& d, std::string_view key) {
  auto it = std::lower_bound(
      d.entries.begin(), d.entries.end(), key,
      [](const detail::context_entry& e, std::string_view k) { return e.key < k; });
  if (it == d.entries.end() || it->key != key) it = d.entries.insert(it, {std::string(key), {}});
  return *it;
}

}  // namespace

context& context::add_string(std::string_view key, std::string_view value) {
  entry_for(mutable_data(), key)
      .items.push_back(detail::make_item(detail::context_item::type::string, std::string(value)));
  return *this;
}

bool context::add_number(std::string_view key, std::string_view decimal) {
  if (!detail::parse_decimal(decimal)) return false;
  entry_for(mutable_data(), key)
      .items.push_back(detail::make_item(detail::context_item::type::number, std::string(decimal)));
  return true;
}

context& context::add_bool(std::string_view key, bool value) {
  entry_for(mutable_data(), key)
      .items.push_back(
          detail::make_item(detail::context_item::type::boolean, value ? "true" : "false"));
  return *this;
}

context& context::add_key(std::string_view key) {
  entry_for(mutable_data(), key);
  return *this;
}

bool context::contains(std::string_view key) const noexcept {
  return data_->find(key) != nullptr;
}
std::size_t context::size() const noexcept {
  return data_->entries.size();
}

std::variant<context, input_problem> parse_context(const boost::json::object& obj,
                                                   const request_limits& lim) {
  context ctx;
  if (obj.size() > lim.max_context_keys)
    return input_problem{"", fmt::format("context has {} keys; at most {} are allowed", obj.size(),
                                         lim.max_context_keys)};
  std::size_t values = 0;
  auto add = [&](std::string_view key, const boost::json::value& v,
                 const std::string& ptr) -> std::optional<input_problem> {
    if (++values > lim.max_context_values)
      return input_problem{
          ptr, fmt::format("context has more than {} values in all", lim.max_context_values)};
    if (v.is_string()) {
      if (v.get_string().size() > lim.max_string)
        return input_problem{
            ptr, fmt::format("context value of `{}` is longer than {} bytes", key, lim.max_string)};
      ctx.add_string(key, v.get_string());
    } else if (v.is_bool()) {
      ctx.add_bool(key, v.get_bool());
    } else if (v.is_number()) {
      auto text = detail::scalar_text(v);
      if (!text || !ctx.add_number(key, *text))
        return input_problem{ptr, "context number is out of range"};
    } else {
      const char* what = v.is_null() ? "null" : v.is_object() ? "an object" : "a nested array";
      return input_problem{
          ptr,
          fmt::format("context value of `{}` must be a string, number or bool, not {}", key, what)};
    }
    return std::nullopt;
  };
  for (const auto& kv : obj) {
    const std::string ptr = pointer_append("", kv.key());
    if (kv.key().size() > lim.max_string)
      return input_problem{ptr, fmt::format("context key is longer than {} bytes", lim.max_string)};
    if (kv.value().is_array()) {
      const auto& a = kv.value().as_array();
      ctx.add_key(kv.key());
      for (std::size_t i = 0; i < a.size(); ++i)
        if (auto p = add(kv.key(), a[i], pointer_append(ptr, i))) return *p;
    } else if (auto p = add(kv.key(), kv.value(), ptr)) {
      return *p;
    }
  }
  return ctx;
}

std::optional<std::string> validate_action(std::string_view a, const request_limits& lim) {
  if (a.size() > lim.max_string)
    return fmt::format("action is longer than {} bytes", lim.max_string);
  const std::string_view original = a;
  if (a.starts_with("name/")) a.remove_prefix(5);
  const auto colon = a.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == a.size())
    return fmt::format("action `{}` must be `service:Name`", original);
  const std::string_view svc = a.substr(0, colon), name = a.substr(colon + 1);
  for (char c : svc)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-'))
      return c == '*' || c == '?'
                 ? fmt::format("action `{}` must not contain a wildcard", original)
                 : fmt::format("invalid service `{}` in action `{}`", svc, original);
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return c == '*' || c == '?'
                 ? fmt::format("action `{}` must not contain a wildcard", original)
                 : fmt::format("invalid action name `{}` in action `{}`", name, original);
  return std::nullopt;
}

std::optional<std::string> validate_resource(std::string_view r, const request_limits& lim) {
  if (r.size() > lim.max_string)
    return fmt::format("resource is longer than {} bytes", lim.max_string);
  if (r == "*") return std::nullopt;
  return detail::resource_problem(r);
}

}  // namespace orggov::policy
