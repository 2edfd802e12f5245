// A slow, obviously correct SCP evaluator for tests and benchmarks only.
//
// It interprets the raw JSON of a (valid) policy and the raw JSON context of a
// request, straight from docs/policy.md, and shares no matching, CIDR, date or
// number code with src/policy: its glob is recursive, its IP addresses are
// byte vectors, its dates are compared as field tuples and its numbers as
// digit strings. The differential test holds the compiled evaluator to it.
//
//   reference::level root{"root", {{"p", boost::json::parse(text)}}};
//   auto r = reference::decide({root}, {"100", "cvm:RunInstances", "*", {},
//   "2026-01-01T00:00:00Z"}); bool ok = r.allow;
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace orggov::policy::reference {

struct policy {
  std::string id;
  boost::json::value doc;  // a JSON object (not text)
};

struct level {
  std::string target;
  std::vector<policy> policies;
};

struct request {
  std::string account;
  std::string action;
  std::string resource;
  boost::json::object context;
  std::string now;  // RFC 3339 text, the default qcs:current_time
};

struct matched {
  std::string policy;
  std::size_t statement = 0;
  std::string target;
  friend bool operator==(const matched&, const matched&) = default;
};

struct result {
  bool allow = false;
  std::string reason;  // allowed | explicit_deny | no_allow
  std::vector<matched> matched_statements;
  std::vector<std::string> missing_allow_at;
  std::vector<std::string> missing_context;
};

result decide(const std::vector<level>& levels, const request& rq);

// Exposed for the reference's own tests.
bool glob(const std::string& pattern, const std::string& subject, bool fold);

}  // namespace orggov::policy::reference
