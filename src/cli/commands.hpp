// Internal: the subcommands of the `orggov` tool.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace orggov::cli {

int scenario(const std::vector<std::string>& args);
int demo(const std::vector<std::string>& args);
int policy(const std::vector<std::string>& args);
int authorize(const std::vector<std::string>& args, bool explain);

/// Reads a whole file (or stdin for "-"); nullopt with a message on stderr.
std::optional<std::string> read_file(const std::string& path);
bool has_help(const std::vector<std::string>& args);

}  // namespace orggov::cli
