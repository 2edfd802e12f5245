// Strict JSON text parsing: Boost.JSON's basic_parser with our own handler,
// since boost::json::object keeps the last of duplicate keys silently and
// parse_options has no duplicate-key check. The handler knows the pointer of
// every value it builds, so problems name where they occur.
#include "io/strict_json.hpp"

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>

#include "orggov/io/json.hpp"

namespace orggov {

namespace json = boost::json;

std::string pointer_join(std::string_view base, std::string_view token) {
  std::string out(base);
  out.push_back('/');
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

std::string pointer_join(std::string_view base, std::size_t index) {
  return fmt::format("{}/{}", base, index);
}

namespace detail {
namespace {

class strict_handler {
 public:
  constexpr static std::size_t max_object_size = std::size_t(-1);
  constexpr static std::size_t max_array_size = std::size_t(-1);
  constexpr static std::size_t max_key_size = std::size_t(-1);
  constexpr static std::size_t max_string_size = std::size_t(-1);

  strict_handler(std::vector<input_error>* problems, std::size_t max_depth)
      : problems_(problems), max_depth_(max_depth) {}

  json::value root;
  bool depth_reported = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return begin(json::object()); }
  bool on_object_end(std::size_t, json::error_code&) { return end(); }
  bool on_array_begin(json::error_code&) { return begin(json::array()); }
  bool on_array_end(std::size_t, json::error_code&) { return end(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    buf_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    buf_.append(s.data(), s.size());
    frame& f = stack_.back();
    f.key = std::move(buf_);
    buf_.clear();
    f.skip = f.v.as_object().contains(f.key);
    if (f.skip) problems_->push_back({current_pointer(), fmt::format("duplicate key `{}`", f.key)});
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    buf_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    buf_.append(s.data(), s.size());
    insert(json::value(json::string(buf_)));
    buf_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    insert(json::value(i));
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    insert(json::value(u));
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    insert(json::value(d));
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    insert(json::value(b));
    return true;
  }
  bool on_null(json::error_code&) {
    insert(json::value(nullptr));
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct frame {
    json::value v;
    std::string key;
    bool skip = false;
  };

  std::string current_pointer() const {
    std::string p;
    for (const frame& f : stack_) {
      if (f.v.is_object())
        p = pointer_join(p, f.key);
      else
        p = pointer_join(p, f.v.as_array().size());
    }
    return p;
  }

  bool begin(json::value v) {
    if (stack_.size() + 1 > max_depth_ && !depth_reported) {
      depth_reported = true;
      problems_->push_back(
          {current_pointer(), fmt::format("JSON nesting is deeper than {} levels", max_depth_)});
    }
    stack_.push_back({std::move(v), {}, false});
    return true;
  }
  bool end() {
    json::value v = std::move(stack_.back().v);
    stack_.pop_back();
    insert(std::move(v));
    return true;
  }
  void insert(json::value v) {
    if (stack_.empty()) {
      root = std::move(v);
      return;
    }
    frame& f = stack_.back();
    if (f.v.is_object()) {
      if (!f.skip) f.v.as_object().emplace(f.key, std::move(v));
    } else {
      f.v.as_array().push_back(std::move(v));
    }
  }

  std::vector<input_error>* problems_;
  std::size_t max_depth_;
  std::vector<frame> stack_;
  std::string buf_;
};

}  // namespace

std::optional<json::value> parse_json_collect(std::string_view text, std::size_t max_depth,
                                              std::vector<input_error>& problems) {
  json::parse_options opt;
  // Beyond the limit, so that the handler reports the depth itself and the
  // rest can still be checked; a hard stop bounds the work on hostile input.
  opt.max_depth = max_depth + 32;
  json::basic_parser<strict_handler> p(opt, &problems, max_depth);
  json::error_code ec;
  const std::size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    if (!(ec == json::error::too_deep && p.handler().depth_reported))
      problems.push_back({"", fmt::format("not valid JSON: {} at offset {}", ec.message(), n)});
    return std::nullopt;
  }
  if (n != text.size()) {
    problems.push_back({"", fmt::format("not valid JSON: unexpected text at offset {}", n)});
    return std::nullopt;
  }
  return std::move(p.handler().root);
}

}  // namespace detail

result<json::value> parse_json(std::string_view text, const json_options& opt) {
  if (text.size() > opt.max_size)
    return input_error{
        "", fmt::format("input is {} bytes, over the limit of {}", text.size(), opt.max_size)};
  std::vector<input_error> problems;
  auto v = detail::parse_json_collect(text, opt.max_depth, problems);
  if (!problems.empty()) return problems.front();
  return std::move(*v);
}

}  // namespace orggov
