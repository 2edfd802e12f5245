// The scenario runner: world, steps, expectations (scenarios.md).
#include "orggov/scenario.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "io/strict_json.hpp"
#include "orggov/engine.hpp"
#include "orggov/io/json.hpp"

namespace orggov {

namespace json = boost::json;

namespace {

struct invalid_scenario {
  input_error e;
};

[[noreturn]] void invalid(std::string ptr, std::string msg) {
  throw invalid_scenario{{std::move(ptr), std::move(msg)}};
}

// Multiset equality for arrays, key-subset equality for objects at the top.
bool equal_multiset(const json::array& a, const json::array& b) {
  if (a.size() != b.size()) return false;
  std::vector<bool> used(b.size(), false);
  for (const auto& x : a) {
    bool found = false;
    for (std::size_t i = 0; i < b.size() && !found; ++i)
      if (!used[i] && x == b[i]) used[i] = found = true;
    if (!found) return false;
  }
  return true;
}

bool result_matches(const json::object& expected, const json::object& got) {
  for (const auto& kv : expected) {
    const json::value* g = got.if_contains(kv.key());
    if (!g) return false;
    if (kv.value().is_array() && g->is_array()) {
      if (!equal_multiset(kv.value().get_array(), g->get_array())) return false;
    } else if (kv.value().is_number() && g->is_number()) {
      json::error_code e1, e2;
      if (kv.value().to_number<double>(e1) != g->to_number<double>(e2)) return false;
    } else if (kv.value() != *g) {
      return false;
    }
  }
  return true;
}

struct expectation {
  std::optional<bool> allowed;
  std::optional<std::set<std::string>> codes;
  std::optional<json::object> result;
  bool error = false;
};

expectation read_expect(const json::value* v, const std::string& ptr, bool is_query) {
  expectation e;
  if (!v) return e;
  if (!v->is_object()) invalid(ptr, "expected an object");
  for (const auto& kv : v->get_object()) {
    const std::string p = pointer_join(ptr, kv.key());
    if (kv.key() == "allowed" && !is_query) {
      if (!kv.value().is_bool()) invalid(p, "expected true or false");
      e.allowed = kv.value().get_bool();
    } else if (kv.key() == "codes" && !is_query) {
      if (!kv.value().is_array()) invalid(p, "expected an array of codes");
      std::set<std::string> codes;
      for (const auto& c : kv.value().get_array()) {
        if (!c.is_string()) invalid(p, "expected an array of codes");
        codes.insert(std::string(c.get_string()));
      }
      e.codes = std::move(codes);
    } else if (kv.key() == "result" && is_query) {
      if (!kv.value().is_object()) invalid(p, "expected an object");
      e.result = kv.value().get_object();
    } else if (kv.key() == "error") {
      if (kv.value() != json::value("input")) invalid(p, "expected \"input\"");
      e.error = true;
    } else {
      invalid(p, fmt::format("unknown expectation `{}`", std::string_view(kv.key())));
    }
  }
  return e;
}

json::value expectation_json(const expectation& e) {
  json::object o;
  if (e.error) o["error"] = "input";
  if (e.allowed) o["allowed"] = *e.allowed;
  if (e.codes) {
    json::array a;
    for (const auto& c : *e.codes) a.emplace_back(c);
    o["codes"] = std::move(a);
  }
  if (e.result) o["result"] = *e.result;
  return o;
}

}  // namespace

namespace {

// Duplicate keys inside a policy `document` object are the policy's problem
// (a `policy.invalid` finding), not the scenario's; they reach the operation.
void attach_dropped(operation& op, const std::string& request_ptr,
                    const std::vector<input_error>& dropped) {
  auto attach = [&](auto& x) {
    const std::string prefix = request_ptr + "/document/";
    for (const auto& d : dropped)
      if (d.pointer.starts_with(prefix))
        x.document_problems.push_back({d.pointer.substr(prefix.size() - 1), d.message});
  };
  if (auto* c = std::get_if<ops::create_policy>(&op)) attach(*c);
  if (auto* u = std::get_if<ops::update_policy>(&op)) attach(*u);
}

bool inside_document(const std::string& pointer) {
  // /steps/<n>/(do|check)/document/...
  if (!pointer.starts_with("/steps/")) return false;
  auto slash = pointer.find('/', 7);
  if (slash == std::string::npos) return false;
  std::string_view rest = std::string_view(pointer).substr(slash);
  return rest.starts_with("/do/document/") || rest.starts_with("/check/document/");
}

scenario_report run(const json::value& doc, const std::function<void(const step_event&)>& observer,
                    const std::vector<input_error>& dropped) {
  scenario_report rep;
  try {
    if (!doc.is_object()) invalid("", "a scenario is a JSON object");
    const json::object& o = doc.get_object();
    for (const auto& kv : o)
      if (kv.key() != "name" && kv.key() != "world" && kv.key() != "steps" &&
          kv.key() != "description")
        invalid(pointer_join("", kv.key()),
                fmt::format("unknown field `{}`", std::string_view(kv.key())));
    if (const json::value* n = o.if_contains("name")) {
      if (!n->is_string()) invalid("/name", "expected a string");
      rep.name = n->get_string();
    }
    const json::value* wv = o.if_contains("world");
    if (!wv) invalid("/world", "missing field `world`");
    auto loaded = load_world(*wv, "/world");
    if (!loaded) throw invalid_scenario{loaded.error()};
    world w = std::move(*loaded);
    const json::value* sv = o.if_contains("steps");
    if (!sv) invalid("/steps", "missing field `steps`");
    if (!sv->is_array()) invalid("/steps", "expected an array of steps");
    const json::array& steps = sv->get_array();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string sp = pointer_join("/steps", i);
      if (!steps[i].is_object()) invalid(sp, "expected a step object");
      const json::object& step = steps[i].get_object();
      const char* kinds[] = {"do", "check", "query"};
      const char* kind = nullptr;
      for (const auto& kv : step) {
        bool is_kind = kv.key() == "do" || kv.key() == "check" || kv.key() == "query";
        if (is_kind) {
          if (kind)
            invalid(pointer_join(sp, kv.key()), "a step has exactly one of do, check, query");
          for (const char* k : kinds)
            if (kv.key() == k) kind = k;
        } else if (kv.key() != "expect" && kv.key() != "comment") {
          invalid(pointer_join(sp, kv.key()),
                  fmt::format("unknown field `{}`", std::string_view(kv.key())));
        }
      }
      if (!kind) invalid(sp, "a step needs one of do, check, query");
      const bool is_query = std::string_view(kind) == "query";
      const expectation exp =
          read_expect(step.if_contains("expect"), pointer_join(sp, "expect"), is_query);
      const std::string rp = pointer_join(sp, kind);
      const json::value& req = step.at(kind);

      // The step's time: `at` sets the clock; earlier than the clock is an input error.
      std::optional<input_error> in_err;
      std::optional<timestamp> at;
      if (req.is_object())
        if (const json::value* av = req.get_object().if_contains("at")) {
          auto t = av->is_string() ? parse_time(av->get_string()) : std::nullopt;
          if (!t)
            in_err = input_error{pointer_join(rp, "at"), "expected an RFC 3339 time in UTC"};
          else if (*t < w.now())
            in_err = input_error{pointer_join(rp, "at"),
                                 fmt::format("time goes back: {} is before the clock {}",
                                             format_time(*t), format_time(w.now()))};
          else
            at = t;
        }
      json::value got;
      if (!in_err) {
        if (is_query) {
          auto q = parse_query(req, rp);
          if (!q)
            in_err = q.error();
          else {
            if (at) w.set_now(*at);
            got = orggov::ask(w, *q);
          }
        } else {
          auto op = parse_operation(req, rp);
          if (!op)
            in_err = op.error();
          else {
            if (at) w.set_now(*at);
            attach_dropped(*op, rp, dropped);
            outcome out = orggov::apply(w, *op);
            if (std::string_view(kind) == "do" && out.result.allowed) w = std::move(out.after);
            got = to_json(out.result);
          }
        }
      }
      bool ok;
      if (in_err) {
        ok = exp.error;
        got = json::object{{"error", "input"}, {"message", in_err->what()}};
      } else if (exp.error) {
        ok = false;
      } else if (is_query) {
        ok = !exp.result || result_matches(*exp.result, got.get_object());
      } else {
        const json::object& d = got.get_object();
        std::set<std::string> codes;
        for (const auto& c : d.at("codes").get_array()) codes.insert(std::string(c.get_string()));
        ok = (!exp.allowed || *exp.allowed == d.at("allowed").get_bool()) &&
             (!exp.codes || *exp.codes == codes);
      }
      if (observer) observer(step_event{i, kind, &req, &got, ok});
      if (ok) {
        ++rep.passed;
      } else {
        ++rep.failed;
        rep.failures.push_back(
            {i, sp, json::serialize(expectation_json(exp)), json::serialize(got)});
      }
    }
    rep.final_world = std::move(w);
  } catch (const invalid_scenario& e) {
    rep.invalid = e.e;
  }
  return rep;
}

}  // namespace

scenario_report run_scenario(const json::value& doc,
                             const std::function<void(const step_event&)>& observer) {
  return run(doc, observer, {});
}

scenario_report run_scenario_file(const std::string& path) {
  scenario_report rep;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    rep.file = path;
    rep.invalid = input_error{"", fmt::format("cannot read `{}`", path)};
    return rep;
  }
  const json_options opt;
  // A file over the size limit is refused before it is read.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > opt.max_size) {
    rep.file = path;
    rep.invalid =
        input_error{"", fmt::format("input is {} bytes, over the limit of {}", size, opt.max_size)};
    return rep;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<input_error> problems;
  const std::string text = ss.str();
  std::optional<json::value> doc;
  if (text.size() > opt.max_size)
    problems.push_back(
        {"", fmt::format("input is {} bytes, over the limit of {}", text.size(), opt.max_size)});
  else
    doc = detail::parse_json_collect(text, opt.max_depth, problems);
  for (const auto& p : problems)
    if (!doc || p.message.starts_with("JSON nesting") || !inside_document(p.pointer)) {
      rep.file = path;
      rep.invalid = p;
      return rep;
    }
  rep = run(*doc, {}, problems);
  rep.file = path;
  return rep;
}

}  // namespace orggov
