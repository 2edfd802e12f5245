// orggov/policy/document.hpp — the parsed form of a service control policy.
//
// A `document` stays faithful to the CAM JSON it came from: every node keeps
// the JSON pointer it was read at, so lint findings and grammar problems can
// name it. `parse` checks the whole grammar of docs/policy.md and collects
// every problem; `compile` (compiled.hpp) turns a clean document into the form
// evaluation reads.
//
// Main types: `limits`, `problem`, `document`, `statement`, `condition_operator`.
//
//   auto r = orggov::policy::parse(boost::json::parse(R"({"version":"2.0",...})"));
//   for (const auto& p : r.problems) fmt::print("{}: {}\n", p.pointer, p.message);
//   if (r.problems.empty()) use(r.doc.statements.front().actions.front().text);
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orggov::policy {

/// Size limits checked while parsing (docs/policy.md, "Limits").
struct limits {
  /// Unicode code points of the text as given, or of the compact JSON
  /// serialisation when the document is given as an object.
  std::size_t document_length = 6144;
  /// JSON nesting deeper than this is a `policy.invalid` problem (the
  /// top-level object is depth 1).
  std::size_t max_depth = 16;
};

/// One grammar problem: where (a JSON pointer relative to the document) and
/// what (lower case, no final period, user input in backticks, one line).
struct problem {
  std::string pointer;
  std::string message;
  friend bool operator==(const problem&, const problem&) = default;
};

enum class effect : std::uint8_t { allow, deny };

/// Operator families of docs/policy.md's condition table.
enum class family : std::uint8_t { string, number, date, boolean, binary, ip, null };

/// The comparison an operator makes between a context value and a listed value.
enum class comparison : std::uint8_t {
  equal,              // string, number, date, bool, binary, ip (containment), null
  equal_ignore_case,  // string, ASCII case folding
  like,               // string, `*` and `?`
  less_than,
  less_than_equal,
  greater_than,
  greater_than_equal,
};

/// `for_any_value:` / `for_all_value:`.
enum class set_modifier : std::uint8_t { none, for_any_value, for_all_value };

/// A decoded condition operator such as `for_any_value:string_not_like_if_exist`.
struct condition_operator {
  family fam = family::string;
  comparison cmp = comparison::equal;
  bool negated = false;   // the `*_not_*` operators: holds when no listed value matches
  bool if_exist = false;  // `_if_exist`: true when the key is absent
  set_modifier set = set_modifier::none;
  std::string_view base;  // e.g. "string_not_like" (static storage)
  friend bool operator==(const condition_operator&, const condition_operator&) = default;
};

/// Decodes an operator name; on failure `why` (if given) gets a one-line message.
[[nodiscard]] std::optional<condition_operator> parse_operator(std::string_view name,
                                                               std::string* why = nullptr);

/// The canonical name of an operator (prefix, base, suffix).
[[nodiscard]] std::string to_string(const condition_operator& op);

/// A string element as written (`action`, `resource`).
struct text_node {
  std::string text;
  std::string pointer;
};

/// One listed value of a condition key, as written in JSON.
struct value_node {
  boost::json::value value;
  std::string pointer;
};

struct condition_key_node {
  std::string key;
  std::string pointer;
  bool written_as_array = false;
  std::vector<value_node> values;
};

struct condition_node {
  std::string name;                      // the operator as written
  std::string pointer;                   // e.g. "/statement/0/condition/ip_equal"
  std::optional<condition_operator> op;  // empty when the name is unknown
  std::vector<condition_key_node> keys;
};

struct statement {
  std::string pointer;  // "/statement/3", or "/statement" for a lone object
  std::optional<policy::effect> effect;
  std::vector<text_node> actions;
  std::vector<text_node> resources;
  bool has_condition = false;
  std::string condition_pointer;
  std::vector<condition_node> conditions;
};

struct document {
  std::optional<std::string> version;
  bool statement_is_array = true;
  std::vector<statement> statements;
};

/// The outcome of `parse`: the document (as much of it as could be read),
/// every problem found, and whether the text exceeded `limits::document_length`
/// (then nothing else is read).
struct parse_result {
  document doc;
  std::vector<problem> problems;
  bool too_long = false;
  std::size_t length = 0;  // code points counted against the limit
};

/// Parses a document given as a JSON object, or as a JSON string holding the
/// JSON text (duplicate keys, nesting deeper than `limits::max_depth` and text
/// that is not JSON are problems). Never throws on bad input.
[[nodiscard]] parse_result parse(const boost::json::value& document, const limits& = {});

/// Parses JSON text directly (what `compile` does for a string document and
/// `lint` for a file).
[[nodiscard]] parse_result parse_text(std::string_view text, const limits& = {});

/// Number of Unicode code points in UTF-8 `text` (continuation bytes not counted).
[[nodiscard]] std::size_t count_code_points(std::string_view text) noexcept;

/// Appends `token` escaped per RFC 6901 (`~` → `~0`, `/` → `~1`) after a `/`.
[[nodiscard]] std::string pointer_append(std::string_view base, std::string_view token);
[[nodiscard]] std::string pointer_append(std::string_view base, std::size_t index);

}  // namespace orggov::policy
