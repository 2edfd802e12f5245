// orggov/orggov.hpp — the umbrella header.
//
//   #include <orggov/orggov.hpp>
//   auto w = orggov::load_world(orggov::parse_json(text).value()).value();
//   orggov::decision d =
//       orggov::check(w, orggov::ops::create_organization{.org = "o1", .account = "1"});
#pragma once

#include "orggov/codes.hpp"
#include "orggov/decision.hpp"
#include "orggov/engine.hpp"
#include "orggov/error.hpp"
#include "orggov/graph.hpp"
#include "orggov/io/json.hpp"
#include "orggov/operations.hpp"
#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "orggov/policy/lint.hpp"
#include "orggov/scenario.hpp"
#include "orggov/time.hpp"
#include "orggov/world.hpp"
