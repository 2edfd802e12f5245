// `orggov authorize` / `orggov explain` against a saved snapshot.
#include <chrono>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "orggov/engine.hpp"
#include "orggov/io/json.hpp"

namespace orggov::cli {

namespace json = boost::json;

namespace {

constexpr std::string_view help = R"(usage: orggov authorize|explain --snapshot PATH [options]

Decides a request against the SCPs of a saved snapshot (`orggov scenario
--save PATH`). The request is given as flags, or as one JSON object on stdin
({"account", "action", "resource", "context", "principal_type"}).
  --account UIN --action A --resource R   the request (resource defaults to *)
  --context JSON                          condition keys, e.g. '{"qcs:ip": "10.0.0.1"}'
  --principal-type user|service_linked_role
  --at TIME                               qcs:current_time (default: the snapshot's clock)
  --json                                  print the answer as JSON
  --batch FILE|-                          (authorize only) JSON Lines in, one decision per line out
  --stats                                 with --batch: decisions per second on stderr

exit status: 0 allow (or a batch fully answered); 1 deny; 2 invalid input
)";

std::string describe(const json::object& a, bool explain) {
  if (a.contains("codes")) return fmt::format("error: {}", json::serialize(a.at("codes")));
  std::string out = fmt::format("{} ({})", std::string_view(a.at("decision").as_string()),
                                std::string_view(a.at("reason").as_string()));
  if (!explain) return out;
  for (const auto& m : a.at("matched").as_array())
    out += fmt::format(
        "\n  matched: policy {} statement {} at {}", std::string_view(m.at("policy").as_string()),
        m.at("statement").to_number<std::int64_t>(), std::string_view(m.at("target").as_string()));
  for (const auto& t : a.at("missing_allow_at").as_array())
    out += fmt::format("\n  no allow at: {}", std::string_view(t.as_string()));
  for (const auto& k : a.at("missing_context").as_array())
    out += fmt::format("\n  missing context key: {}", std::string_view(k.as_string()));
  return out;
}

}  // namespace

int authorize(const std::vector<std::string>& args, bool explain) {
  if (has_help(args)) {
    fmt::print("{}", help);
    return 0;
  }
  std::optional<std::string> snapshot, batch, at;
  json::object req{{"op", explain ? "explain" : "authorize"}};
  bool as_json = false, stats = false, from_flags = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--json")
      as_json = true;
    else if (a == "--stats")
      stats = true;
    else if (a == "--snapshot" && has_value)
      snapshot = args[++i];
    else if (a == "--batch" && has_value && !explain)
      batch = args[++i];
    else if (a == "--at" && has_value)
      at = args[++i];
    else if ((a == "--account" || a == "--action" || a == "--resource") && has_value) {
      req[a.substr(2)] = args[++i];
      from_flags = true;
    } else if (a == "--principal-type" && has_value) {
      req["principal_type"] = args[++i];
    } else if (a == "--context" && has_value) {
      auto v = parse_json(args[++i]);
      if (!v) {
        fmt::print(stderr, "orggov: --context: {}\n", v.error().what());
        return 2;
      }
      req["context"] = *v;
    } else {
      fmt::print(stderr, "orggov: unexpected argument `{}`\n{}", a, help);
      return 2;
    }
  }
  if (!snapshot) {
    fmt::print(stderr, "orggov: --snapshot PATH is required\n{}", help);
    return 2;
  }
  auto text = read_file(*snapshot);
  if (!text) return 2;
  auto doc = parse_json(*text);
  if (!doc) {
    fmt::print(stderr, "orggov: {}: {}\n", *snapshot, doc.error().what());
    return 2;
  }
  auto loaded = load_world(*doc);
  if (!loaded) {
    fmt::print(stderr, "orggov: {}: {}\n", *snapshot, loaded.error().what());
    return 2;
  }
  world w = std::move(*loaded);
  if (at) {
    auto t = parse_time(*at);
    if (!t) {
      fmt::print(stderr, "orggov: --at: `{}` is not an RFC 3339 time in UTC\n", *at);
      return 2;
    }
    w.set_now(*t);
  }

  if (batch) {
    std::istream* in = &std::cin;
    std::ifstream file;
    if (*batch != "-") {
      file.open(*batch);
      if (!file) {
        fmt::print(stderr, "orggov: cannot read `{}`\n", *batch);
        return 2;
      }
      in = &file;
    }
    std::string line;
    std::size_t n = 0, lineno = 0;
    int status = 0;
    const auto start = std::chrono::steady_clock::now();
    std::string out;
    while (std::getline(*in, line)) {
      ++lineno;
      if (line.empty()) continue;
      auto v = parse_json(line);
      json::object answer;
      if (v && v->is_object()) {
        json::object r = v->get_object();
        r["op"] = "authorize";
        auto q = parse_query(r, fmt::format("/{}", lineno));
        if (q) {
          answer = ask(w, *q);
        } else {
          answer = {{"error", "input"}, {"message", q.error().what()}};
          status = 2;
        }
      } else {
        answer = {{"error", "input"},
                  {"message", v ? fmt::format("line {}: expected a JSON object", lineno)
                                : fmt::format("line {}: {}", lineno, v.error().what())}};
        status = 2;
      }
      out += json::serialize(answer);
      out += '\n';
      if (out.size() > (1u << 16)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
      ++n;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (stats) {
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print(stderr, "{} decisions in {:.3f} s: {:.0f} decisions per second\n", n, s,
                 s > 0 ? static_cast<double>(n) / s : 0.0);
    }
    return status;
  }

  json::value rv = req;
  if (!from_flags) {
    auto stdin_text = read_file("-");
    if (!stdin_text) return 2;
    auto v = parse_json(*stdin_text);
    if (!v || !v->is_object()) {
      fmt::print(stderr, "orggov: stdin: {}\n",
                 v ? "expected a JSON request object" : v.error().what());
      return 2;
    }
    json::object r = v->get_object();
    r["op"] = req["op"];
    rv = r;
  } else if (!rv.as_object().contains("resource")) {
    rv.as_object()["resource"] = "*";
  }
  auto q = parse_query(rv);
  if (!q) {
    fmt::print(stderr, "orggov: {}\n", q.error().what());
    return 2;
  }
  json::object answer = ask(w, *q);
  if (as_json)
    fmt::print("{}\n", json::serialize(answer));
  else
    fmt::print("{}\n", describe(answer, explain));
  if (answer.contains("codes")) return 2;
  return answer.at("decision") == "allow" ? 0 : 1;
}

}  // namespace orggov::cli
