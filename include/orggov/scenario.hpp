// orggov/scenario.hpp — running scenario files (scenarios.md), the
// conformance contract.
//
// A scenario builds a world, runs `do` / `check` / `query` steps against it and
// compares each answer with its `expect`. `run_scenario` reports every failed
// expectation, or, for a file that is not a valid scenario, the input error.
//
//   auto report = orggov::run_scenario_file("tests/scenarios/join.json");
//   if (report.invalid) fmt::print("{}\n", report.invalid->what());
//   else fmt::print("{} passed, {} failed\n", report.passed, report.failed);
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "orggov/error.hpp"
#include "orggov/world.hpp"

namespace orggov {

struct scenario_failure {
  std::size_t step = 0;
  std::string pointer;   // `/steps/<n>`
  std::string expected;  // compact JSON
  std::string got;       // compact JSON (or the input error)
};

struct scenario_report {
  std::string file;
  std::string name;
  std::size_t passed = 0;  // expectations that held (one per step)
  std::size_t failed = 0;
  std::vector<scenario_failure> failures;
  std::optional<input_error> invalid;  // the file is not a valid scenario
  world final_world;                   // the world after the last step
};

/// One step as it ran, for observers (the demo prints these).
struct step_event {
  std::size_t index = 0;
  std::string_view kind;              // "do", "check" or "query"
  const boost::json::value* request;  // the step's request object
  const boost::json::value* answer;   // decision JSON, query answer, or {"error", "message"}
  bool passed = false;                // the expectation held
};

/// Runs a parsed scenario document; `observer`, if given, sees every step.
[[nodiscard]] scenario_report run_scenario(
    const boost::json::value& doc, const std::function<void(const step_event&)>& observer = {});
/// Reads, parses (strictly) and runs a scenario file.
[[nodiscard]] scenario_report run_scenario_file(const std::string& path);

}  // namespace orggov
