// orggov/io/json.hpp — worlds, snapshots, operations and queries ⇄ JSON.
//
// Main functions: `parse_json` (strict: duplicate keys and excessive nesting
// are errors), `load_world` (the `world` object of scenarios.md, which may
// also hold organizations and sharing units in the snapshot format),
// `save_world` (a complete snapshot: loading it gives the same world, and
// saving that again gives the same bytes), `parse_operation`, `parse_query`.
// Every error names the JSON pointer of the culprit.
//
//   auto v = orggov::parse_json(text);                       // result<boost::json::value>
//   auto w = orggov::load_world(v.value(), "/world");        // result<world>
//   auto op = orggov::parse_operation(step.at("do"), "/steps/0/do");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "orggov/error.hpp"
#include "orggov/operations.hpp"
#include "orggov/world.hpp"

namespace orggov {

struct json_options {
  std::size_t max_depth = 64;        // deeper nesting is an input error
  std::size_t max_size = 64u << 20;  // bytes of text
};

/// Parses JSON text strictly: syntax errors, duplicate keys (the pointer names
/// the second one), nesting deeper than `max_depth` and text over `max_size`
/// are input errors.
[[nodiscard]] result<boost::json::value> parse_json(std::string_view text,
                                                    const json_options& opt = {});

/// Builds a world from its JSON form. `pointer` prefixes every error pointer.
[[nodiscard]] result<world> load_world(const boost::json::value& v, std::string_view pointer = "");

/// The complete snapshot: entities, relations, accounts (with payment history
/// and balances), organizations (units, members, settings, policies,
/// attachments, ...), sharing units, services, limits and the clock. Arrays
/// are sorted by id, so equal worlds save to equal bytes.
[[nodiscard]] boost::json::object save_world(const world& w);

/// A request object (`{"op": ..., fields}`); `at` is read by the caller and
/// skipped here. A query name, an unknown op, a missing, unknown or mistyped
/// field, an unknown enum value, or a broken conditional rule is an error.
[[nodiscard]] result<operation> parse_operation(const boost::json::value& v,
                                                std::string_view pointer = "");
[[nodiscard]] result<query> parse_query(const boost::json::value& v, std::string_view pointer = "");

/// Appends a reference token to a JSON pointer, escaping `~` and `/`.
[[nodiscard]] std::string pointer_join(std::string_view base, std::string_view token);
[[nodiscard]] std::string pointer_join(std::string_view base, std::size_t index);

}  // namespace orggov
