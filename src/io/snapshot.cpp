// Worlds from JSON (the scenario `world`, optionally with organizations and
// sharing units) and complete snapshots back to JSON.
//
// Loading validates as it goes and stops at the first problem, naming its
// pointer: wrong types, unknown fields and enum values, duplicate ids, and
// dangling references (an account of an unknown entity, a member of two orgs,
// a unit whose parent is unknown, ...). Derived state — entity groups, the
// accounts' org/pending/sharing indexes, compiled policies and prepared SCP
// paths — is rebuilt, never read, so a snapshot cannot contradict itself.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>

#include "orggov/graph.hpp"
#include "orggov/io/json.hpp"
#include "orggov/policy/compiled.hpp"

namespace orggov {

namespace json = boost::json;

namespace detail {
void refresh_paths(organization& o);
ptr<policy::compiled_policy> full_access_policy();
}  // namespace detail

namespace {

struct load_failure {
  input_error e;
};

// 0000-01-01T00:00:00Z, the earliest instant a snapshot can write.
timestamp earliest_time() {
  return *parse_time("0000-01-01T00:00:00Z");
}

[[noreturn]] void bad(std::string ptr, std::string msg) {
  throw load_failure{{std::move(ptr), std::move(msg)}};
}

template <class E>
std::string_view enum_name(E v) {
  std::string_view out = "unknown";
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (d.value == v) out = d.name;
  });
  return out;
}

// A JSON object being read: remembers which keys were read, so that any other
// key is reported as unknown.
class reader {
 public:
  reader(const json::value& v, std::string ptr) : ptr_(std::move(ptr)) {
    if (!v.is_object()) bad(ptr_, "expected an object");
    o_ = &v.get_object();
  }
  ~reader() noexcept(false) {
    if (std::uncaught_exceptions()) return;
    for (const auto& kv : *o_)
      if (!seen_.count(kv.key()))
        bad(at(kv.key()), fmt::format("unknown field `{}`", std::string_view(kv.key())));
  }
  [[nodiscard]] std::string at(std::string_view key) const { return pointer_join(ptr_, key); }
  const json::value* opt(std::string_view key) {
    seen_.insert(std::string(key));
    return o_->if_contains(key);
  }
  const json::value& req(std::string_view key) {
    const json::value* v = opt(key);
    if (!v) bad(at(key), fmt::format("missing field `{}`", key));
    return *v;
  }
  std::string str(std::string_view key) { return as_str(req(key), at(key)); }
  std::string str_or(std::string_view key, std::string def) {
    const json::value* v = opt(key);
    return v ? as_str(*v, at(key)) : def;
  }
  std::optional<std::string> str_or_null(std::string_view key) {
    const json::value* v = opt(key);
    if (!v || v->is_null()) return std::nullopt;
    return as_str(*v, at(key));
  }
  bool boolean(std::string_view key, bool def) {
    const json::value* v = opt(key);
    if (!v) return def;
    if (!v->is_bool()) bad(at(key), "expected true or false");
    return v->get_bool();
  }
  std::int64_t int64(std::string_view key, std::int64_t def, std::int64_t min) {
    const json::value* v = opt(key);
    if (!v) return def;
    std::int64_t x = 0;
    if (v->is_int64())
      x = v->get_int64();
    else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
      x = static_cast<std::int64_t>(v->get_uint64());
    else if (v->is_double() && std::trunc(v->get_double()) == v->get_double() &&
             v->get_double() >= -9.2e18 && v->get_double() <= 9.2e18)
      x = static_cast<std::int64_t>(v->get_double());
    else
      bad(at(key), "expected a whole number in the 64-bit range");
    if (x < min) bad(at(key), fmt::format("expected a number of at least {}", min));
    return x;
  }
  template <class E>
  E enumeration(std::string_view key, std::optional<E> def = std::nullopt) {
    const json::value* v = opt(key);
    if (!v) {
      if (!def) bad(at(key), fmt::format("missing field `{}`", key));
      return *def;
    }
    return as_enum<E>(*v, at(key));
  }
  const json::array& array(std::string_view key) {
    static const json::array empty;
    const json::value* v = opt(key);
    if (!v) return empty;
    if (!v->is_array()) bad(at(key), "expected an array");
    return v->get_array();
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    const auto& a = array(key);
    for (std::size_t i = 0; i < a.size(); ++i)
      out.push_back(as_str(a[i], pointer_join(at(key), i)));
    return out;
  }
  timestamp time(std::string_view key, timestamp def) {
    const json::value* v = opt(key);
    if (!v) return def;
    return as_time(*v, at(key));
  }

  static std::string as_str(const json::value& v, const std::string& ptr) {
    if (!v.is_string() || v.get_string().empty()) bad(ptr, "expected a non-empty string");
    return std::string(v.get_string());
  }
  static timestamp as_time(const json::value& v, const std::string& ptr) {
    auto t = v.is_string() ? parse_time(v.get_string()) : std::nullopt;
    if (!t) bad(ptr, "expected an RFC 3339 time in UTC (YYYY-MM-DDTHH:MM:SSZ)");
    return *t;
  }
  template <class E>
  static E as_enum(const json::value& v, const std::string& ptr) {
    if (!v.is_string()) bad(ptr, "expected a string");
    std::string_view s = v.get_string();
    std::optional<E> out;
    std::string names;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
      names += names.empty() ? "" : ", ";
      names += d.name;
      if (s == d.name) out = d.value;
    });
    if (!out) bad(ptr, fmt::format("unknown value `{}` (expected one of: {})", s, names));
    return *out;
  }

 private:
  const json::object* o_ = nullptr;
  std::string ptr_;
  std::set<std::string, std::less<>> seen_;
};

struct loader {
  world w;
  std::string base;
  // Accounts written without the `discount_history` key (snapshots from before
  // it existed, and scenario worlds): see `organizations`.
  std::set<std::string, std::less<>> no_discount_history;

  std::string p(std::string_view key) const { return pointer_join(base, key); }

  void limits(reader& r) {
    const json::value* v = r.opt("limits");
    if (!v) return;
    reader l(*v, r.at("limits"));
    struct limits lim;
    lim.members_per_org = l.int64("members_per_org", lim.members_per_org, 0);
    lim.unit_depth = l.int64("unit_depth", lim.unit_depth, 0);
    lim.custom_login_permissions =
        l.int64("custom_login_permissions", lim.custom_login_permissions, 0);
    lim.policy_document_length = l.int64("policy_document_length", lim.policy_document_length, 0);
    lim.policies_per_target = l.int64("policies_per_target", lim.policies_per_target, 0);
    lim.policies_per_org = l.int64("policies_per_org", lim.policies_per_org, 0);
    w.set_limits(lim);
  }

  void entities(reader& r) {
    const auto& a = r.array("entities");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string ptr = pointer_join(r.at("entities"), i);
      reader e(a[i], ptr);
      entity x;
      x.id = e.str("id");
      x.name = e.str("name");
      x.kind = e.enumeration<entity_kind>("kind");
      x.status = e.enumeration<entity_status>("status", entity_status::active);
      if (w.find_entity(x.id))
        bad(pointer_join(ptr, "id"), fmt::format("duplicate entity id `{}`", x.id));
      w.put_entity(std::move(x));
    }
  }

  void relations(reader& r) {
    const auto& a = r.array("relations");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string ptr = pointer_join(r.at("relations"), i);
      reader e(a[i], ptr);
      std::string from = e.str("from"), to = e.str("to");
      relation_kind kind = e.enumeration<relation_kind>("kind");
      bool evidenced = e.boolean("evidenced", true);
      if (!w.find_entity(from))
        bad(pointer_join(ptr, "from"), fmt::format("unknown entity `{}`", from));
      if (!w.find_entity(to)) bad(pointer_join(ptr, "to"), fmt::format("unknown entity `{}`", to));
      auto put = [&](const std::string& self, relation_edge edge) {
        entity x = *w.find_entity(self);
        auto it = std::find_if(x.edges.begin(), x.edges.end(), [&](const relation_edge& r2) {
          return r2.other == edge.other && r2.kind == edge.kind && r2.outgoing == edge.outgoing;
        });
        if (it != x.edges.end())
          *it = edge;
        else
          x.edges.push_back(edge);
        std::sort(x.edges.begin(), x.edges.end(),
                  [](const relation_edge& l, const relation_edge& rr) {
                    return std::tie(l.other, l.kind, l.outgoing) <
                           std::tie(rr.other, rr.kind, rr.outgoing);
                  });
        w.put_entity(std::move(x));
      };
      put(from, {to, kind, true, evidenced});
      if (from != to) put(to, {from, kind, false, evidenced});
    }
  }

  // A time-ordered account history: [{at, <who>: uin | null}], `at` required,
  // never going back and not after the clock (later changes are recorded at
  // the clock's time, so a history past it would go back at the next change).
  template <class Change>
  std::vector<Change> history(reader& e, std::string_view key, std::string_view who,
                              std::string_view what) {
    std::vector<Change> out;
    const auto& hist = e.array(key);
    for (std::size_t j = 0; j < hist.size(); ++j) {
      const std::string hp = pointer_join(e.at(key), j);
      reader h(hist[j], hp);
      Change c{h.time("at", {}), h.str_or_null(who).value_or("")};
      const auto& [at, uin] = c;
      if (!h.opt("at")) bad(pointer_join(hp, "at"), "missing field `at`");
      if (!out.empty() && at < out.back().at)
        bad(pointer_join(hp, "at"), fmt::format("{} history must be in time order", what));
      if (w.now() < at)
        bad(pointer_join(hp, "at"), fmt::format("{} change at {} is after the world's clock {}",
                                                what, format_time(at), format_time(w.now())));
      if (uin.find('/') != std::string::npos) bad(pointer_join(hp, who), "expected a uin");
      out.push_back(std::move(c));
    }
    return out;
  }

  void accounts(reader& r) {
    const auto& a = r.array("accounts");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string ptr = pointer_join(r.at("accounts"), i);
      reader e(a[i], ptr);
      account x;
      x.uin = e.str("uin");
      x.entity = e.str("entity");
      if (x.uin.find('/') != std::string::npos)
        bad(pointer_join(ptr, "uin"), "a uin cannot contain `/`");
      if (!w.find_entity(x.entity))
        bad(pointer_join(ptr, "entity"), fmt::format("unknown entity `{}`", x.entity));
      if (w.find_account(x.uin))
        bad(pointer_join(ptr, "uin"), fmt::format("duplicate account `{}`", x.uin));
      x.verified = e.boolean("verified", false);
      x.channel_customer = e.boolean("channel_customer", false);
      x.cash = e.int64("cash", 0, 0);
      x.transferred = e.int64("transferred", 0, 0);
      if (const json::value* b = e.opt("basis"); b && !b->is_null())
        x.basis = reader::as_enum<billing_basis>(*b, e.at("basis"));
      const auto& subs = e.array("sub_accounts");
      std::set<std::string> seen;
      for (std::size_t j = 0; j < subs.size(); ++j) {
        const std::string sp = pointer_join(e.at("sub_accounts"), j);
        reader s(subs[j], sp);
        sub_account sa{s.str("id"),
                       s.enumeration<sub_account_kind>("kind", sub_account_kind::sub_user)};
        if (sa.id.find('/') != std::string::npos)
          bad(pointer_join(sp, "id"), "a sub-account id cannot contain `/`");
        if (!seen.insert(sa.id).second)
          bad(pointer_join(sp, "id"), fmt::format("duplicate sub-account id `{}`", sa.id));
        x.sub_accounts.push_back(std::move(sa));
      }
      x.payment_history = history<payment_change>(e, "payment_history", "payer", "payment");
      if (!e.opt("discount_history")) no_discount_history.insert(x.uin);
      x.discount_history = history<discount_change>(e, "discount_history", "from", "discount");
      w.put_account(std::move(x));
    }
  }

  void services(reader& r) {
    const auto& a = r.array("services");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string ptr = pointer_join(r.at("services"), i);
      reader s(a[i], ptr);
      std::string name = s.str("name");
      if (w.services().contains(name))
        bad(pointer_join(ptr, "name"), fmt::format("duplicate service `{}`", name));
      w.set_service(name, s.boolean("delegable", false));
    }
  }

  account& claim(std::map<std::string, account>& touched, const std::string& uin,
                 const std::string& ptr) {
    auto it = touched.find(uin);
    if (it == touched.end()) {
      const account* a = w.find_account(uin);
      if (!a) bad(ptr, fmt::format("unknown account `{}`", uin));
      it = touched.emplace(uin, *a).first;
    }
    return it->second;
  }

  void organizations(reader& r) {
    const auto& a = r.array("organizations");
    std::map<std::string, account> touched;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string ptr = pointer_join(r.at("organizations"), i);
      reader o(a[i], ptr);
      organization x;
      x.id = o.str("id");
      if (w.find_org(x.id))
        bad(pointer_join(ptr, "id"), fmt::format("duplicate organization `{}`", x.id));
      x.management = o.str("management");
      {
        account& m = claim(touched, x.management, pointer_join(ptr, "management"));
        if (!m.org.empty())
          bad(pointer_join(ptr, "management"),
              fmt::format("account `{}` is already in organization {}", m.uin, m.org));
        m.org = x.id;
      }
      // units: root first is implied; each parent must be listed before its children
      x.units = x.units.set("root", unit{"root", "", "root", 0});
      const auto& units = o.array("units");
      for (std::size_t j = 0; j < units.size(); ++j) {
        const std::string up = pointer_join(o.at("units"), j);
        reader u(units[j], up);
        unit y{u.str("id"), u.str("parent"), u.str("name"), 0};
        if (x.units.contains(y.id))
          bad(pointer_join(up, "id"), fmt::format("duplicate unit `{}`", y.id));
        const unit* parent = x.units.find(y.parent);
        if (!parent)
          bad(pointer_join(up, "parent"),
              fmt::format("unknown unit `{}` (list parents before children)", y.parent));
        y.depth = parent->depth + 1;
        std::string uid = y.id;
        x.units = x.units.set(std::move(uid), std::move(y));
      }
      const auto& members = o.array("members");
      for (std::size_t j = 0; j < members.size(); ++j) {
        const std::string mp = pointer_join(o.at("members"), j);
        reader m(members[j], mp);
        member y;
        y.uin = m.str("account");
        y.unit = m.str_or("unit", "root");
        if (!x.units.contains(y.unit))
          bad(pointer_join(mp, "unit"), fmt::format("unknown unit `{}`", y.unit));
        y.how = m.enumeration<join_method>("joined", join_method::invited);
        y.exit_allowed = m.boolean("exit_allowed", true);
        y.payer = m.str_or_null("payer").value_or("");
        y.discount_inherited = m.boolean("discount_inherited", false);
        y.consolidated_consent = m.boolean("consolidated_consent", false);
        if (const json::value* c = m.opt("credit_limit"); c && !c->is_null())
          y.credit_limit = m.int64("credit_limit", 0, 0);
        for (const auto& perm : m.strings("special_permissions")) {
          if (perm == "fund_transfer")
            y.fund_transfer = true;
          else if (perm == "pay_on_behalf")
            y.pay_on_behalf = true;
          else if (perm == "finance_custody")
            y.finance_custody = true;
          else
            bad(pointer_join(mp, "special_permissions"),
                fmt::format("unknown per-member permission `{}`", perm));
        }
        const auto& logins = m.array("login_permissions");
        for (std::size_t k = 0; k < logins.size(); ++k) {
          const std::string lp = pointer_join(m.at("login_permissions"), k);
          reader l(logins[k], lp);
          login_permission z{l.str("name"), l.strings("grants")};
          for (const auto& q : y.logins)
            if (q.name == z.name)
              bad(pointer_join(lp, "name"), fmt::format("duplicate login permission `{}`", z.name));
          y.logins.push_back(std::move(z));
        }
        if (y.logins.empty() || y.logins.front().name != "admin") {
          auto it = std::find_if(y.logins.begin(), y.logins.end(),
                                 [](const login_permission& l) { return l.name == "admin"; });
          if (it == y.logins.end())
            y.logins.insert(y.logins.begin(), {"admin", {}});
          else
            std::rotate(y.logins.begin(), it, it + 1);
        }
        account& acc = claim(touched, y.uin, pointer_join(mp, "account"));
        if (!acc.org.empty())
          bad(pointer_join(mp, "account"),
              fmt::format("account `{}` is already in organization {}", y.uin, acc.org));
        acc.org = x.id;
        // A member inheriting its discount, from a snapshot that has no
        // discount history: inherited since the earliest instant, as the
        // flag alone meant before the history existed.
        if (y.discount_inherited && no_discount_history.contains(y.uin))
          acc.discount_history = {{earliest_time(), x.management}};
        std::string uin = y.uin;
        x.members = x.members.set(uin, std::make_shared<const member>(std::move(y)));
      }
      // payers must be in the org (entity mismatch is allowed: audit reports it), and
      // agree with the payment history that bill_payer reads
      // and the discount history that discount_source reads
      for (const auto& [uin, m] : x.members) {
        const account& acc = touched.at(uin);
        const std::string last =
            acc.payment_history.empty() ? "" : acc.payment_history.back().payer;
        if (last != m->payer)
          bad(pointer_join(ptr, "members"),
              fmt::format("payer of `{}` is `{}` but its payment history ends with `{}`", uin,
                          m->payer, last));
        const std::string from = m->discount_inherited ? x.management : "";
        const std::string last_from =
            acc.discount_history.empty() ? "" : acc.discount_history.back().from;
        if (last_from != from)
          bad(pointer_join(ptr, "members"),
              fmt::format("discount of `{}` is inherited from `{}` but its discount history ends "
                          "with `{}`",
                          uin, from, last_from));
      }
      for (const auto& [uin, m] : x.members)
        if (!m->payer.empty() && m->payer != x.management && !x.members.contains(m->payer))
          bad(pointer_join(ptr, "members"),
              fmt::format("payer `{}` of `{}` is not in organization {}", m->payer, uin, x.id));
      const auto& assoc = o.array("associated_entities");
      for (std::size_t j = 0; j < assoc.size(); ++j) {
        const std::string ap = pointer_join(o.at("associated_entities"), j);
        reader e(assoc[j], ap);
        std::string id = e.str("entity");
        std::string admin = e.str_or_null("admin").value_or("");
        if (!w.find_entity(id))
          bad(pointer_join(ap, "entity"), fmt::format("unknown entity `{}`", id));
        if (!admin.empty() && !x.members.contains(admin))
          bad(pointer_join(ap, "admin"), fmt::format("entity admin `{}` is not a member", admin));
        if (x.associated.contains(id))
          bad(pointer_join(ap, "entity"), fmt::format("duplicate associated entity `{}`", id));
        x.associated = x.associated.set(id, admin);
      }
      const auto& inv = o.array("invitations");
      for (std::size_t j = 0; j < inv.size(); ++j) {
        const std::string ip = pointer_join(o.at("invitations"), j);
        reader e(inv[j], ip);
        std::string uin = e.str("account");
        std::string u = e.str_or("unit", "root");
        claim(touched, uin, pointer_join(ip, "account")).pending.push_back(x.id);
        x.invitations =
            x.invitations.set(uin, u);  // a deleted unit is allowed: accepting reports it
      }
      for (const auto& uin : o.strings("join_requests")) {
        claim(touched, uin, o.at("join_requests")).pending.push_back(x.id);
        x.requests = x.requests.insert(uin);
      }
      x.scp_enabled = o.boolean("scp_enabled", false);
      x.policies = x.policies.set(
          "FullQcloudAccess",
          policy_rec{
              "FullQcloudAccess", "FullQcloudAccess",
              R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]})",
              true, detail::full_access_policy()});
      const auto& pols = o.array("policies");
      for (std::size_t j = 0; j < pols.size(); ++j) {
        const std::string pp = pointer_join(o.at("policies"), j);
        reader e(pols[j], pp);
        policy_rec y{e.str("id"), e.str("name"), e.str("document"), false, nullptr};
        if (x.policies.contains(y.id))
          bad(pointer_join(pp, "id"), fmt::format("duplicate policy `{}`", y.id));
        policy::limits lim;
        lim.document_length = static_cast<std::size_t>(w.limits().policy_document_length);
        auto c = policy::compile(json::value(json::string(y.document)), lim);
        if (!c.policy)
          bad(pointer_join(pp, "document"),
              c.too_long ? "policy document is over the length limit"
                         : "policy document is not valid: " + c.problems.front().message);
        y.compiled = c.policy;
        std::string pid = y.id;
        x.policies = x.policies.set(std::move(pid), std::move(y));
      }
      const auto& att = o.array("attachments");
      for (std::size_t j = 0; j < att.size(); ++j) {
        const std::string tp = pointer_join(o.at("attachments"), j);
        reader e(att[j], tp);
        std::string target = e.str("target");
        if (target == "unit:root") target = "root";
        bool ok = target == "root" ||
                  (target.starts_with("unit:") && x.units.contains(target.substr(5))) ||
                  (target.starts_with("account:") && x.members.contains(target.substr(8)));
        if (!ok) bad(pointer_join(tp, "target"), fmt::format("unknown target `{}`", target));
        auto ids = e.strings("policies");
        for (const auto& id : ids)
          if (!x.policies.contains(id))
            bad(pointer_join(tp, "policies"), fmt::format("unknown policy `{}`", id));
        if (!x.scp_enabled) bad(pointer_join(tp, "target"), "attachments need scp_enabled");
        x.attachments = x.attachments.set(target, std::move(ids));
      }
      x.credit_limit_permission = o.boolean("credit_limit_permission", false);
      const auto& groups = o.array("bill_groups");
      for (std::size_t j = 0; j < groups.size(); ++j) {
        const std::string gp = pointer_join(o.at("bill_groups"), j);
        reader e(groups[j], gp);
        std::string id = e.str("id");
        auto members2 = e.strings("members");
        for (const auto& uin : members2)
          if (!x.members.contains(uin))
            bad(pointer_join(gp, "members"), fmt::format("`{}` is not a member", uin));
        x.bill_groups = x.bill_groups.set(id, std::move(members2));
      }
      const auto& dels = o.array("delegations");
      for (std::size_t j = 0; j < dels.size(); ++j) {
        const std::string dp = pointer_join(o.at("delegations"), j);
        reader e(dels[j], dp);
        std::string service = e.str("service"), uin = e.str("account");
        if (!x.members.contains(uin))
          bad(pointer_join(dp, "account"), fmt::format("`{}` is not a member", uin));
        x.delegations = x.delegations.set(service, uin);
      }
      x.identity_center = o.boolean("identity_center", false);
      const auto& users = o.array("identity_users");
      for (std::size_t j = 0; j < users.size(); ++j) {
        const std::string up = pointer_join(o.at("identity_users"), j);
        reader e(users[j], up);
        std::string id = e.str("id");
        std::vector<identity_sync> syncs;
        const auto& sa = e.array("syncs");
        for (std::size_t k = 0; k < sa.size(); ++k) {
          const std::string sp = pointer_join(e.at("syncs"), k);
          reader s(sa[k], sp);
          identity_sync y{id, s.str("account"), s.enumeration<sync_kind>("as"),
                          s.strings("permissions")};
          if (!x.members.contains(y.account))
            bad(pointer_join(sp, "account"), fmt::format("`{}` is not a member", y.account));
          syncs.push_back(std::move(y));
        }
        x.identity_users = x.identity_users.set(id, std::move(syncs));
      }
      detail::refresh_paths(x);
      w.put_org(std::move(x));
    }
    for (auto& [uin, acc] : touched) {
      std::sort(acc.pending.begin(), acc.pending.end());
      acc.pending.erase(std::unique(acc.pending.begin(), acc.pending.end()), acc.pending.end());
      w.put_account(std::move(acc));
    }
  }

  // An account that is no org's member pays for itself and has its own
  // discount now: its histories must end that way (the queries read them).
  void histories_of_non_members(reader& r) {
    const auto& a = r.array("accounts");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const account& acc = *w.find_account(a[i].as_object().at("uin").as_string());
      const organization* o = acc.org.empty() ? nullptr : w.find_org(acc.org);
      if (o && o->members.contains(acc.uin)) continue;
      const std::string ptr = pointer_join(r.at("accounts"), i);
      if (!acc.payment_history.empty() && !acc.payment_history.back().payer.empty())
        bad(pointer_join(ptr, "payment_history"),
            fmt::format("account `{}` is no org's member but its payment history ends with payer "
                        "`{}`",
                        acc.uin, acc.payment_history.back().payer));
      if (!acc.discount_history.empty() && !acc.discount_history.back().from.empty())
        bad(pointer_join(ptr, "discount_history"),
            fmt::format("account `{}` is no org's member but its discount history ends with "
                        "inheritance from `{}`",
                        acc.uin, acc.discount_history.back().from));
    }
  }

  void sharing(reader& r) {
    const auto& a = r.array("sharing_units");
    std::map<std::string, account> touched;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string ptr = pointer_join(r.at("sharing_units"), i);
      reader s(a[i], ptr);
      sharing_unit x;
      x.id = s.str("id");
      if (w.find_sharing_unit(x.id))
        bad(pointer_join(ptr, "id"), fmt::format("duplicate sharing unit `{}`", x.id));
      x.owner = s.str("owner");
      x.scope = s.enumeration<sharing_scope>("scope");
      claim(touched, x.owner, pointer_join(ptr, "owner")).sharing.push_back(x.id);
      const auto& res = s.array("resources");
      for (std::size_t j = 0; j < res.size(); ++j) {
        reader e(res[j], pointer_join(s.at("resources"), j));
        x.resources.push_back({e.str("id"), e.boolean("supports_exit", true)});
      }
      const auto& sharees = s.array("sharees");
      for (std::size_t j = 0; j < sharees.size(); ++j) {
        const std::string sp = pointer_join(s.at("sharees"), j);
        reader e(sharees[j], sp);
        std::string uin = e.str("account");
        auto& acc = claim(touched, uin, pointer_join(sp, "account"));
        if (uin != x.owner) acc.sharing.push_back(x.id);
        x.sharees[uin] = e.boolean("accepted", false);
      }
      w.put_sharing_unit(std::move(x));
    }
    for (auto& [uin, acc] : touched) {
      std::sort(acc.sharing.begin(), acc.sharing.end());
      acc.sharing.erase(std::unique(acc.sharing.begin(), acc.sharing.end()), acc.sharing.end());
      w.put_account(std::move(acc));
    }
  }
};

// The saved form of an account history (read back by `loader::history`).
template <class Change>
json::array history_json(const std::vector<Change>& h, std::string_view who) {
  json::array out;
  for (const auto& [at, uin] : h)
    out.push_back(
        {{"at", format_time(at)}, {who, uin.empty() ? json::value(nullptr) : json::value(uin)}});
  return out;
}

}  // namespace

result<world> load_world(const json::value& v, std::string_view pointer) {
  try {
    loader l;
    l.base = std::string(pointer);
    {
      // `r`'s destructor reports unknown fields by throwing: it must run before
      // the return value is built, as clang 14 does not destroy a
      // return value when a local's destructor throws, leaking the world.
      reader r(v, l.base);
      r.opt("format");  // informational
      l.w.set_now(r.time("now", {}));
      l.limits(r);
      l.services(r);
      l.entities(r);
      l.relations(r);
      l.accounts(r);
      l.organizations(r);
      l.histories_of_non_members(r);
      l.sharing(r);
    }
    rebuild_groups(l.w);
    return std::move(l.w);
  } catch (const load_failure& f) {
    return f.e;
  }
}

json::object save_world(const world& w) {
  auto sorted_keys = [](const auto& m) {
    std::vector<std::string> keys;
    for (const auto& kv : m) keys.push_back(kv.first);
    std::sort(keys.begin(), keys.end());
    return keys;
  };
  auto arr = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
  json::object out;
  out["format"] = "orggov-snapshot/1";
  out["now"] = format_time(w.now());
  const struct limits& l = w.limits();
  out["limits"] = {{"members_per_org", l.members_per_org},
                   {"unit_depth", l.unit_depth},
                   {"custom_login_permissions", l.custom_login_permissions},
                   {"policy_document_length", l.policy_document_length},
                   {"policies_per_target", l.policies_per_target},
                   {"policies_per_org", l.policies_per_org}};
  json::array services;
  for (const auto& k : sorted_keys(w.services()))
    services.push_back({{"name", k}, {"delegable", *w.services().find(k)}});
  out["services"] = std::move(services);
  json::array entities, relations;
  for (const auto& id : sorted_keys(w.entities())) {
    const entity* e = w.find_entity(id);
    entities.push_back({{"id", e->id},
                        {"name", e->name},
                        {"kind", enum_name(e->kind)},
                        {"status", enum_name(e->status)}});
    for (const auto& r : e->edges)
      if (r.outgoing)
        relations.push_back({{"from", e->id},
                             {"to", r.other},
                             {"kind", enum_name(r.kind)},
                             {"evidenced", r.evidenced}});
  }
  out["entities"] = std::move(entities);
  out["relations"] = std::move(relations);
  json::array accounts;
  for (const auto& uin : sorted_keys(w.accounts())) {
    const account* a = w.find_account(uin);
    json::object o{{"uin", a->uin},           {"entity", a->entity},
                   {"verified", a->verified}, {"channel_customer", a->channel_customer},
                   {"cash", a->cash},         {"transferred", a->transferred}};
    o["basis"] = a->basis ? json::value(enum_name(*a->basis)) : json::value(nullptr);
    json::array subs;
    for (const auto& s : a->sub_accounts)
      subs.push_back({{"id", s.id}, {"kind", enum_name(s.kind)}});
    o["sub_accounts"] = std::move(subs);
    o["payment_history"] = history_json(a->payment_history, "payer");
    o["discount_history"] = history_json(a->discount_history, "from");
    accounts.push_back(std::move(o));
  }
  out["accounts"] = std::move(accounts);
  json::array orgs;
  for (const auto& id : sorted_keys(w.orgs())) {
    const organization* x = w.find_org(id);
    json::object o{{"id", x->id}, {"management", x->management}};
    // units, parents before children: sort by (depth, id)
    std::vector<const unit*> units;
    for (const auto& [uid, u] : x->units)
      if (uid != "root") units.push_back(&u);
    std::sort(units.begin(), units.end(), [](const unit* a, const unit* b) {
      return std::tie(a->depth, a->id) < std::tie(b->depth, b->id);
    });
    json::array ua;
    for (const unit* u : units)
      ua.push_back({{"id", u->id}, {"parent", u->parent}, {"name", u->name}});
    o["units"] = std::move(ua);
    json::array ma;
    for (const auto& uin : sorted_keys(x->members)) {
      const member* m = x->find_member(uin);
      json::object mo{{"account", m->uin},
                      {"unit", m->unit},
                      {"joined", enum_name(m->how)},
                      {"exit_allowed", m->exit_allowed}};
      mo["payer"] = m->payer.empty() ? json::value(nullptr) : json::value(m->payer);
      mo["discount_inherited"] = m->discount_inherited;
      mo["consolidated_consent"] = m->consolidated_consent;
      mo["credit_limit"] = m->credit_limit ? json::value(*m->credit_limit) : json::value(nullptr);
      json::array perms;
      if (m->fund_transfer) perms.emplace_back("fund_transfer");
      if (m->pay_on_behalf) perms.emplace_back("pay_on_behalf");
      if (m->finance_custody) perms.emplace_back("finance_custody");
      mo["special_permissions"] = std::move(perms);
      json::array logins;
      for (const auto& lp : m->logins)
        logins.push_back({{"name", lp.name}, {"grants", arr(lp.grants)}});
      mo["login_permissions"] = std::move(logins);
      ma.push_back(std::move(mo));
    }
    o["members"] = std::move(ma);
    json::array assoc;
    for (const auto& e : sorted_keys(x->associated)) {
      const std::string& admin = *x->associated.find(e);
      assoc.push_back(
          {{"entity", e}, {"admin", admin.empty() ? json::value(nullptr) : json::value(admin)}});
    }
    o["associated_entities"] = std::move(assoc);
    json::array inv;
    for (const auto& uin : sorted_keys(x->invitations))
      inv.push_back({{"account", uin}, {"unit", *x->invitations.find(uin)}});
    o["invitations"] = std::move(inv);
    std::vector<std::string> reqs(x->requests.begin(), x->requests.end());
    std::sort(reqs.begin(), reqs.end());
    o["join_requests"] = arr(reqs);
    o["scp_enabled"] = x->scp_enabled;
    json::array pols;
    for (const auto& pid : sorted_keys(x->policies)) {
      const policy_rec* p = x->policies.find(pid);
      if (!p->system) pols.push_back({{"id", p->id}, {"name", p->name}, {"document", p->document}});
    }
    o["policies"] = std::move(pols);
    json::array att;
    for (const auto& target : sorted_keys(x->attachments))
      att.push_back({{"target", target}, {"policies", arr(*x->attachments.find(target))}});
    o["attachments"] = std::move(att);
    o["credit_limit_permission"] = x->credit_limit_permission;
    json::array groups;
    for (const auto& g : sorted_keys(x->bill_groups))
      groups.push_back({{"id", g}, {"members", arr(*x->bill_groups.find(g))}});
    o["bill_groups"] = std::move(groups);
    json::array dels;
    for (const auto& s : sorted_keys(x->delegations))
      dels.push_back({{"service", s}, {"account", *x->delegations.find(s)}});
    o["delegations"] = std::move(dels);
    o["identity_center"] = x->identity_center;
    json::array users;
    for (const auto& u : sorted_keys(x->identity_users)) {
      json::array syncs;
      for (const auto& s : *x->identity_users.find(u))
        syncs.push_back(
            {{"account", s.account}, {"as", enum_name(s.as)}, {"permissions", arr(s.permissions)}});
      users.push_back({{"id", u}, {"syncs", std::move(syncs)}});
    }
    o["identity_users"] = std::move(users);
    orgs.push_back(std::move(o));
  }
  out["organizations"] = std::move(orgs);
  json::array shares;
  for (const auto& id : sorted_keys(w.sharing_units())) {
    const sharing_unit* s = w.find_sharing_unit(id);
    json::array res, sharees;
    for (const auto& r : s->resources)
      res.push_back({{"id", r.id}, {"supports_exit", r.supports_exit}});
    for (const auto& [uin, accepted] : s->sharees)
      sharees.push_back({{"account", uin}, {"accepted", accepted}});
    shares.push_back({{"id", s->id},
                      {"owner", s->owner},
                      {"scope", enum_name(s->scope)},
                      {"resources", std::move(res)},
                      {"sharees", std::move(sharees)}});
  }
  out["sharing_units"] = std::move(shares);
  return out;
}

}  // namespace orggov
