// Internal: strict JSON parsing that collects every problem.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "orggov/error.hpp"

namespace orggov::detail {

/// Parses `text`, recording duplicate keys (the later one is dropped) and the
/// first place nesting passes `max_depth` in `problems`. Returns the value, or
/// nothing on a syntax error (recorded too).
std::optional<boost::json::value> parse_json_collect(std::string_view text, std::size_t max_depth,
                                                     std::vector<input_error>& problems);

}  // namespace orggov::detail
