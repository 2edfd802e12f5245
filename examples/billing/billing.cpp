// examples/billing/billing.cpp — a host billing run on top of orggov.
//
// What a billing system asks orggov at the end of a month, and nothing else:
// the library decides *who* pays and *which* money may be used; the host owns
// the usage records, the prices and the money. Copy this file to start.
//
//   usage: orggov_billing [--json] [--expect FILE] SNAPSHOT USAGE_CSV
//
//   SNAPSHOT   a world saved by `orggov scenario --save` (or by save_world),
//              taken after the month closed: its clock must not be earlier
//              than any settlement period's end or order time in the CSV
//   USAGE_CSV  account,product,billing,period_start,period_end,amount_cents
//              with that header line; billing is pay_as_you_go | subscription;
//              times are RFC 3339 UTC; amounts are integer cents >= 0;
//              blank lines and lines starting with '#' are skipped
//   --json     print the run as one JSON object instead of tables
//   --expect   compare the per-payer totals with FILE's "totals" (and
//              "grand_total", if present); exit 1 on any difference
//
//   exit status: 0 done; 1 the totals differ from --expect;
//                2 bad arguments, an unreadable or invalid snapshot, or a bad
//                  usage line (the message names the line)
//
// The rules applied (spec rules.md §6, clauses 3.3.2 and 3.2.4; docs/billing.md):
//   - pay-as-you-go: the payer is `bill_payer` for the record's settlement
//     period [period_start, period_end): the payment mode in force at the
//     period's end decides (3.3.2(2));
//   - subscription: the payer in force at the order time, period_start;
//   - arrears notices go to the member, expiry notices to its payer under
//     pay-on-behalf (`notification_recipient`, 3.3.2(3)(4));
//   - under pay-on-behalf only the payer's cash coupons may be used, never the
//     member's own funds (`payment_sources`, 3.3.2(1));
//   - the discount comes from the management account when discount
//     inheritance is on (`discount_source`, 3.3.2(5), 3.2.4).
// A charge's money and discount follow the state in force when its payer was
// decided (the period's last instant, or the order time): the queries'
// `as_of` answers past instants from the account's histories.
#include <orggov/orggov.hpp>

#include <fmt/format.h>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

namespace json = boost::json;
using orggov::timestamp;

// ------------------------------------------------------------------ errors

/// A problem with the input: printed as `orggov_billing: <what>`, exit 2.
struct input_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A problem with one usage line: the message names the file and line.
[[noreturn]] void bad_line(std::string_view file, std::size_t line, std::string_view what) {
  if (line == 0) throw input_failure(fmt::format("{}: {}", file, what));
  throw input_failure(fmt::format("{}:{}: {}", file, line, what));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_failure(fmt::format("cannot open `{}`", path));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw input_failure(fmt::format("cannot read `{}`", path));
  return std::move(s).str();
}

// ------------------------------------------------------------------ the snapshot

/// Loads a saved world. parse_json is strict (duplicate keys are errors) and
/// every error names the JSON pointer of the culprit.
orggov::world load_snapshot(const std::string& path) {
  orggov::result<json::value> doc = orggov::parse_json(read_file(path));
  if (!doc) throw input_failure(fmt::format("{}: {}", path, doc.error().what()));
  orggov::result<orggov::world> w = orggov::load_world(*doc);
  if (!w) throw input_failure(fmt::format("{}: {}", path, w.error().what()));
  return std::move(*w);
}

// ------------------------------------------------------------------ usage records

enum class billing_kind { pay_as_you_go, subscription };

std::string_view to_string(billing_kind k) {
  return k == billing_kind::pay_as_you_go ? "pay_as_you_go" : "subscription";
}

struct usage_record {
  std::size_t line = 0;  // 1-based line in the CSV, for messages
  std::string account;
  std::string product;
  billing_kind billing = billing_kind::pay_as_you_go;
  timestamp period_start;  // pay-as-you-go: settlement period; subscription: order time ..
  timestamp period_end;    // .. and expiry
  std::int64_t amount_cents = 0;
};

constexpr std::string_view csv_header =
    "account,product,billing,period_start,period_end,amount_cents";

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  for (;;) {
    std::size_t comma = line.find(',');
    out.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

/// Parses the usage CSV. Deliberately strict: a billing run that guesses is
/// worse than one that stops, so any malformed line is an error naming it.
std::vector<usage_record> parse_usage(std::string_view text, std::string_view file) {
  std::vector<usage_record> out;
  bool header_seen = false;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {
      if (line != csv_header)
        bad_line(file, line_no, fmt::format("expected the header line `{}`", csv_header));
      header_seen = true;
      continue;
    }
    if (line.find('"') != std::string_view::npos)
      bad_line(file, line_no, "quoted fields are not supported");
    std::vector<std::string_view> f = split_fields(line);
    if (f.size() != 6)
      bad_line(file, line_no, fmt::format("expected 6 comma-separated fields, found {}", f.size()));
    static constexpr std::string_view names[] = {"account",      "product",    "billing",
                                                 "period_start", "period_end", "amount_cents"};
    for (std::size_t i = 0; i < f.size(); ++i)
      if (f[i].empty() || f[i].find_first_of(" \t") != std::string_view::npos)
        bad_line(file, line_no, fmt::format("field `{}` is empty or has spaces", names[i]));

    usage_record r;
    r.line = line_no;
    r.account = f[0];
    r.product = f[1];
    if (f[2] == "pay_as_you_go")
      r.billing = billing_kind::pay_as_you_go;
    else if (f[2] == "subscription")
      r.billing = billing_kind::subscription;
    else
      bad_line(file, line_no,
               fmt::format("billing `{}` is neither pay_as_you_go nor subscription", f[2]));
    for (int i : {3, 4}) {
      std::optional<timestamp> t = orggov::parse_time(f[i]);
      if (!t)
        bad_line(file, line_no,
                 fmt::format("{} `{}` is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SSZ)", names[i],
                             f[i]));
      (i == 3 ? r.period_start : r.period_end) = *t;
    }
    if (r.period_end <= r.period_start)
      bad_line(file, line_no, "period_end must be later than period_start");
    const char* first = f[5].data();
    const char* last = first + f[5].size();
    auto [end, ec] = std::from_chars(first, last, r.amount_cents);
    if (ec != std::errc{} || end != last || r.amount_cents < 0)
      bad_line(file, line_no,
               fmt::format("amount_cents `{}` is not a whole number of cents in 0..2^63-1", f[5]));
    out.push_back(std::move(r));
  }
  if (!header_seen) bad_line(file, 0, fmt::format("no header line `{}`", csv_header));
  return out;
}

// ------------------------------------------------------------------ asking orggov
//
// orggov::ask takes a query struct (operations.hpp) and answers the JSON object
// of the spec's result keys, or {"codes": ["ref.unknown_account"]} when the
// query names something unknown. These helpers turn answers into values.

const json::value& field(const json::object& answer, std::string_view key, std::string_view what) {
  if (const json::value* v = answer.if_contains(key)) return *v;
  // Only reachable for an unknown account, which attribute() rules out first.
  throw input_failure(fmt::format("{}: orggov answered {}", what, json::serialize(answer)));
}

std::string string_field(const json::object& answer, std::string_view key, std::string_view what) {
  return std::string(field(answer, key, what).as_string());
}

/// Pay-as-you-go: who pays the settlement period [start, end). The mode in
/// force at the end of the period decides; a change at exactly `end` belongs
/// to the next period (rules.md §6, 3.3.2(2)).
std::string pay_as_you_go_payer(const orggov::world& w, const std::string& account, timestamp start,
                                timestamp end) {
  json::object a = orggov::ask(
      w, orggov::ops::bill_payer{.account = account, .period_start = start, .period_end = end});
  return string_field(a, "payer", "bill_payer");
}

/// Subscription: paid by the payer in force at the order time (rules.md §6).
/// "In force at t" includes a change made at exactly t, so ask bill_payer for
/// the one-microsecond period [t, t + 1us): its end is the first instant after t.
std::string subscription_payer(const orggov::world& w, const std::string& account,
                               timestamp ordered) {
  return pay_as_you_go_payer(w, account, ordered, timestamp{ordered.us + 1});
}

struct funding {
  bool member_funds_usable = true;
  std::vector<std::string> coupons;  // coupon kinds usable for the charge
};

struct discount {
  std::string source;  // "own" or "inherited"
  std::string from;    // the management account when inherited, else empty
};

/// Which money may pay a charge decided at `when` (3.3.2(1)): `payment_sources`
/// as of that instant. Its payer is the charge's payer by construction.
funding funding_at(const orggov::world& w, const std::string& account, timestamp when) {
  json::object ps = orggov::ask(w, orggov::ops::payment_sources{.account = account, .as_of = when});
  funding f;
  f.member_funds_usable = field(ps, "member_funds_usable", "payment_sources").as_bool();
  for (const json::value& c : field(ps, "coupons", "payment_sources").as_array())
    f.coupons.emplace_back(c.as_string());
  return f;
}

/// Whose discount applies to a charge decided at `when` (3.3.2(5)).
discount discount_at(const orggov::world& w, const std::string& account, timestamp when) {
  json::object ds = orggov::ask(w, orggov::ops::discount_source{.account = account, .as_of = when});
  discount d;
  d.source = string_field(ds, "source", "discount_source");
  if (const json::value& from = field(ds, "from", "discount_source"); from.is_string())
    d.from = from.as_string();
  return d;
}

/// Per-account answers that do not depend on the charge, asked once per
/// account: who receives notices sent now (at the snapshot's clock), and cash.
struct account_facts {
  std::string expiry_recipient;   // notification_recipient(expiry), now
  std::string arrears_recipient;  // notification_recipient(arrears)
  std::int64_t cash = 0;          // balance.cash
};

account_facts facts_of(const orggov::world& w, const std::string& account) {
  namespace ops = orggov::ops;
  account_facts f;
  f.expiry_recipient = string_field(
      orggov::ask(w, ops::notification_recipient{.account = account,
                                                 .kind = orggov::notification_kind::expiry}),
      "recipient", "notification_recipient");
  f.arrears_recipient = string_field(
      orggov::ask(w, ops::notification_recipient{.account = account,
                                                 .kind = orggov::notification_kind::arrears}),
      "recipient", "notification_recipient");
  f.cash = field(orggov::ask(w, ops::balance{.account = account}), "cash", "balance").as_int64();
  return f;
}

// ------------------------------------------------------------------ the billing run

struct charge {
  const usage_record* record = nullptr;
  std::string payer;
  funding funds;
  discount disc;
};

struct payer_totals {
  std::int64_t pay_as_you_go = 0;
  std::int64_t subscription = 0;
  std::int64_t total = 0;
};

struct notice {
  std::string kind;  // "arrears" or "expiry"
  std::string account;
  std::string recipient;
  std::string detail;
  std::size_t line = 0;  // expiry: the subscription's CSV line
};

struct billing_run {
  timestamp snapshot_time;
  std::vector<charge> charges;
  std::map<std::string, payer_totals> totals;  // by payer uin, sorted
  std::int64_t grand_total = 0;
  std::vector<notice> notices;
};

// Subscriptions expiring within this window after the snapshot's clock (or
// already expired) get an expiry notice.
constexpr std::int64_t expiry_window_us = std::int64_t{30} * 24 * 3600 * 1'000'000;

void add_cents(std::int64_t& sum, std::int64_t amount, std::string_view file, std::size_t line) {
  if (__builtin_add_overflow(sum, amount, &sum))
    bad_line(file, line, "the running total overflows 64-bit cents");
}

std::string money(std::int64_t cents) {
  return fmt::format("{}.{:02}", cents / 100, cents % 100);
}

billing_run attribute(const orggov::world& w, const std::vector<usage_record>& records,
                      std::string_view file) {
  billing_run run;
  run.snapshot_time = w.now();
  std::map<std::string, account_facts> facts;                  // per account, asked once
  std::map<std::string, std::int64_t> payg_due;                // payer -> pay-as-you-go due
  std::map<std::string, std::set<std::string>> payg_accounts;  // payer -> accounts it paid for

  for (const usage_record& r : records) {
    // Check what the snapshot can answer before asking: an unknown account
    // would answer {"codes": [...]}, and a period that ends after the
    // snapshot's clock could still change payer.
    if (!w.find_account(r.account))
      bad_line(file, r.line, fmt::format("account `{}` is not in the snapshot", r.account));
    const timestamp decided_at =
        r.billing == billing_kind::pay_as_you_go ? r.period_end : r.period_start;
    if (decided_at > w.now())
      bad_line(file, r.line,
               fmt::format("{} {} is after the snapshot's clock {}: its payer is not decided yet; "
                           "bill it from a later snapshot",
                           r.billing == billing_kind::pay_as_you_go ? "period_end"
                                                                    : "period_start (order time)",
                           orggov::format_time(decided_at), orggov::format_time(w.now())));

    auto it = facts.find(r.account);
    if (it == facts.end()) it = facts.emplace(r.account, facts_of(w, r.account)).first;
    const account_facts& f = it->second;

    charge c;
    c.record = &r;
    c.payer = r.billing == billing_kind::pay_as_you_go
                  ? pay_as_you_go_payer(w, r.account, r.period_start, r.period_end)
                  : subscription_payer(w, r.account, r.period_start);
    // The instant the payer was decided at: the period's last microsecond
    // (bill_payer's "just before period_end"), or the order time.
    const timestamp when =
        r.billing == billing_kind::pay_as_you_go ? timestamp{r.period_end.us - 1} : r.period_start;
    c.funds = funding_at(w, r.account, when);
    c.disc = discount_at(w, r.account, when);

    payer_totals& t = run.totals[c.payer];
    add_cents(r.billing == billing_kind::pay_as_you_go ? t.pay_as_you_go : t.subscription,
              r.amount_cents, file, r.line);
    add_cents(t.total, r.amount_cents, file, r.line);
    add_cents(run.grand_total, r.amount_cents, file, r.line);

    if (r.billing == billing_kind::pay_as_you_go) {
      add_cents(payg_due[c.payer], r.amount_cents, file, r.line);
      payg_accounts[c.payer].insert(r.account);
    } else if (r.period_end.us - w.now().us <= expiry_window_us) {
      // Expiry: to the payer under pay-on-behalf *now*, else the member (3.3.2(4)).
      run.notices.push_back({"expiry", r.account, f.expiry_recipient,
                             fmt::format("{} subscription {} {}", r.product,
                                         r.period_end <= w.now() ? "expired" : "expires",
                                         orggov::format_time(r.period_end)),
                             r.line});
    }
    run.charges.push_back(std::move(c));
  }

  // Arrears (a deliberately simple model: the payer's cash in the snapshot does
  // not cover the pay-as-you-go charges billed to it). The notice goes to each
  // member whose usage ran up the debt, not to the payer (3.3.2(3)).
  for (const auto& [payer, due] : payg_due) {
    auto pf = facts.find(payer);
    const std::int64_t cash = pf != facts.end() ? pf->second.cash : facts_of(w, payer).cash;
    if (cash >= due) continue;
    for (const std::string& account : payg_accounts[payer])
      run.notices.push_back({"arrears", account, facts.at(account).arrears_recipient,
                             fmt::format("payer {} owes {} pay-as-you-go with {} cash", payer,
                                         money(due), money(cash)),
                             0});
  }
  std::stable_sort(run.notices.begin(), run.notices.end(), [](const notice& a, const notice& b) {
    return std::tie(a.kind, a.account) < std::tie(b.kind, b.account);
  });
  return run;
}

// ------------------------------------------------------------------ output

json::array to_json_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object totals_json(const billing_run& run) {
  json::object o;
  for (const auto& [payer, t] : run.totals)
    o[payer] = {
        {"pay_as_you_go", t.pay_as_you_go}, {"subscription", t.subscription}, {"total", t.total}};
  return o;
}

json::object run_json(const billing_run& run) {
  json::array charges;
  for (const charge& c : run.charges) {
    const usage_record& r = *c.record;
    charges.push_back(
        {{"line", r.line},
         {"account", r.account},
         {"product", r.product},
         {"billing", to_string(r.billing)},
         {"period_start", orggov::format_time(r.period_start)},
         {"period_end", orggov::format_time(r.period_end)},
         {"amount_cents", r.amount_cents},
         {"payer", c.payer},
         {"on_behalf", c.payer != r.account},
         {"member_funds_usable", c.funds.member_funds_usable},
         {"coupons", to_json_array(c.funds.coupons)},
         {"discount_source", c.disc.source},
         {"discount_from", c.disc.from.empty() ? json::value(nullptr) : json::value(c.disc.from)}});
  }
  json::array notices;
  for (const notice& n : run.notices) {
    json::object o{
        {"kind", n.kind}, {"account", n.account}, {"recipient", n.recipient}, {"detail", n.detail}};
    if (n.line) o["line"] = n.line;
    notices.push_back(std::move(o));
  }
  return {{"snapshot_time", orggov::format_time(run.snapshot_time)},
          {"totals", totals_json(run)},
          {"grand_total", run.grand_total},
          {"charges", std::move(charges)},
          {"notices", std::move(notices)}};
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

void print_text(const billing_run& run, std::string_view usage_file) {
  fmt::print("Billing run: snapshot at {}, {} usage records from {}\n\n",
             orggov::format_time(run.snapshot_time), run.charges.size(), usage_file);

  fmt::print("Charges\n");
  fmt::print("{:>4}  {:<7} {:<10} {:<13} {:<20} {:<20} {:>10}  {:<7} {:<36} {}\n", "line",
             "account", "product", "billing", "period_start", "period_end", "amount", "payer",
             "coupons usable", "discount");
  for (const charge& c : run.charges) {
    const usage_record& r = *c.record;
    std::string payer = c.payer == r.account ? c.payer : c.payer + "*";
    std::string coupons = join(c.funds.coupons);
    if (!c.funds.member_funds_usable) coupons += " (payer's)";
    std::string disc = c.disc.source == "inherited" ? "inherited from " + c.disc.from : "own";
    fmt::print("{:>4}  {:<7} {:<10} {:<13} {:<20} {:<20} {:>10}  {:<7} {:<36} {}\n", r.line,
               r.account, r.product, to_string(r.billing), orggov::format_time(r.period_start),
               orggov::format_time(r.period_end), money(r.amount_cents), payer, coupons, disc);
  }
  fmt::print("  (* paid on behalf of the account)\n\n");

  fmt::print("Totals by payer\n");
  fmt::print("  {:<8} {:>14} {:>14} {:>14}\n", "payer", "pay_as_you_go", "subscription", "total");
  for (const auto& [payer, t] : run.totals)
    fmt::print("  {:<8} {:>14} {:>14} {:>14}\n", payer, money(t.pay_as_you_go),
               money(t.subscription), money(t.total));
  fmt::print("  {:<8} {:>14} {:>14} {:>14}\n\n", "all", "", "", money(run.grand_total));

  fmt::print("Notices\n");
  if (run.notices.empty()) fmt::print("  none\n");
  for (const notice& n : run.notices)
    fmt::print("  {:<8} account {} -> send to {}: {}{}\n", n.kind, n.account, n.recipient, n.detail,
               n.line ? fmt::format(" (line {})", n.line) : std::string());
}

/// --expect: compares the totals with a hand-made expectation file.
int compare_with(const billing_run& run, const std::string& path) {
  orggov::result<json::value> doc = orggov::parse_json(read_file(path));
  if (!doc) throw input_failure(fmt::format("{}: {}", path, doc.error().what()));
  const json::object* root = doc->if_object();
  const json::value* totals = root ? root->if_contains("totals") : nullptr;
  const json::object* expected = totals ? totals->if_object() : nullptr;
  if (!expected) throw input_failure(fmt::format("{}: no \"totals\" object", path));
  const json::object got = totals_json(run);
  int mismatches = 0;
  for (const auto& [payer, want] : *expected) {
    const json::value* have = got.if_contains(payer);
    if (!have || *have != want) {
      ++mismatches;
      fmt::print(stderr, "totals for payer {}: expected {}, got {}\n", std::string_view(payer),
                 json::serialize(want), have ? json::serialize(*have) : "nothing");
    }
  }
  for (const auto& [payer, have] : got)
    if (!expected->contains(payer)) {
      ++mismatches;
      fmt::print(stderr, "totals for payer {}: not expected, got {}\n", std::string_view(payer),
                 json::serialize(have));
    }
  if (const json::value* g = root->if_contains("grand_total");
      g && *g != json::value(run.grand_total)) {
    ++mismatches;
    fmt::print(stderr, "grand_total: expected {}, got {}\n", json::serialize(*g), run.grand_total);
  }
  if (mismatches) {
    fmt::print(stderr, "orggov_billing: {} difference(s) from {}\n", mismatches, path);
    return 1;
  }
  fmt::print(stderr, "orggov_billing: totals match {}\n", path);
  return 0;
}

constexpr std::string_view usage_text =
    "usage: orggov_billing [--json] [--expect FILE] SNAPSHOT USAGE_CSV\n"
    "  SNAPSHOT   a world saved by `orggov scenario --save`\n"
    "  USAGE_CSV  account,product,billing,period_start,period_end,amount_cents\n"
    "  --json     print the run as one JSON object\n"
    "  --expect   compare the per-payer totals with FILE's \"totals\"; exit 1 on a difference\n";

}  // namespace

int main(int argc, char** argv) {
  bool as_json = false;
  std::optional<std::string> expect;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      fmt::print("{}", usage_text);
      return 0;
    }
    if (a == "--json")
      as_json = true;
    else if (a == "--expect") {
      if (i + 1 == argc) {
        fmt::print(stderr, "orggov_billing: --expect needs a FILE\n{}", usage_text);
        return 2;
      }
      expect = argv[++i];
    } else if (a.starts_with("-")) {
      fmt::print(stderr, "orggov_billing: unknown option `{}`\n{}", a, usage_text);
      return 2;
    } else
      files.emplace_back(a);
  }
  if (files.size() != 2) {
    fmt::print(stderr, "{}", usage_text);
    return 2;
  }
  try {
    const orggov::world w = load_snapshot(files[0]);
    const std::vector<usage_record> records = parse_usage(read_file(files[1]), files[1]);
    const billing_run run = attribute(w, records, files[1]);
    if (as_json)
      fmt::print("{}\n", json::serialize(run_json(run)));
    else
      print_text(run, files[1]);
    return expect ? compare_with(run, *expect) : 0;
  } catch (const input_failure& e) {
    fmt::print(stderr, "orggov_billing: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {  // e.g. std::bad_alloc: still a clear message
    fmt::print(stderr, "orggov_billing: {}\n", e.what());
    return 2;
  }
}
