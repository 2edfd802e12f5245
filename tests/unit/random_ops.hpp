// Test support: random operations of every kind over small id pools, built
// generically from the operation structs' described fields.
#pragma once

#include <random>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>

#include "orggov/operations.hpp"
#include "orggov/world.hpp"

namespace orggov::test {

class random_ops {
 public:
  explicit random_ops(unsigned seed) : rng_(seed) {}

  operation next() {
    // Operations that end an org or an account, or knock an entity out, are
    // drawn a fifth as often as the others, so that orgs live long enough for
    // membership, payment and access operations to succeed.
    std::size_t k = pick(std::variant_size_v<operation>);
    while (rare(k) && !coin(20)) k = pick(std::variant_size_v<operation>);
    std::optional<operation> out;
    boost::mp11::mp_with_index<std::variant_size_v<operation>>(k, [&](auto I) {
      using T = std::variant_alternative_t<I, operation>;
      T op{};
      fill(op);
      out = std::move(op);
    });
    return *out;
  }

  std::mt19937& rng() { return rng_; }

  /// Steers later operations towards the world's live state: an `org` field
  /// names an existing org 70% of the time, and an account field then names
  /// one of that org's management account, members, invitees or requesters
  /// half of the time (the rest stays drawn from the fixed pools, so unknown
  /// and unrelated references keep coming).
  void observe(const world& w) {
    live_.clear();
    for (const auto& [id, o] : w.orgs()) {
      std::vector<std::string> related{o->management};
      for (const auto& [uin, m] : o->members) related.push_back(uin);
      for (const auto& [uin, unit] : o->invitations) related.push_back(uin);
      for (const auto& uin : o->requests) related.push_back(uin);
      live_.emplace_back(id, std::move(related));
    }
  }

 private:
  static bool rare(std::size_t k) {
    static const std::vector<bool> flags = [] {
      std::vector<bool> f(std::variant_size_v<operation>);
      boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<operation>>>([&](auto I) {
        using T = std::variant_alternative_t<I, operation>;
        constexpr std::string_view n = T::op_name;
        f[I] = n == "delete_organization" || n == "delete_member_account" ||
               n == "set_entity_status" || n == "change_realname" || n == "set_verified" ||
               n == "set_entity_kind" || n == "remove_relation";
      });
      return f;
    }();
    return flags[k];
  }

  std::size_t pick(std::size_t n) { return rng_() % n; }
  bool coin(unsigned percent) { return rng_() % 100 < percent; }
  const std::string& one(const std::vector<std::string>& v) { return v[pick(v.size())]; }

  std::vector<std::string> accounts_{"1", "2", "3", "4", "5", "6", "7", "8", "9"};
  std::vector<std::string> entities_{"E1", "E2", "E3", "E4", "E5"};

  std::vector<std::pair<std::string, std::vector<std::string>>> live_;  // org -> related uins
  const std::vector<std::string>* related_ = nullptr;  // of the org drawn for this operation

  std::string value_for(std::string_view op, std::string_view field) {
    if (field == "org") {
      if (op != "create_organization" && !live_.empty() && coin(70)) {
        const auto& [id, related] = live_[pick(live_.size())];
        related_ = &related;
        return id;
      }
      return one({"o1", "o2", "o3"});
    }
    const bool account_field = field == "account" || field == "to" || field == "from" ||
                               field == "payer" || field == "subject";
    if (account_field && related_ && op.find("relation") == std::string_view::npos && coin(50))
      return one(*related_);
    if (field == "entity") return one(entities_);
    if ((field == "from" || field == "to") && op.find("relation") != std::string_view::npos)
      return one(entities_);
    if (field == "account" && op == "create_member") return one({"20", "21", "1"});
    if (field == "account" && op == "add_account") return one({"7", "8", "9", "30"});
    if (field == "account" || field == "to" || field == "from" || field == "viewer" ||
        field == "subject" || field == "owner" || field == "payer" || field == "actor")
      return one(accounts_);
    if (field == "unit" || field == "parent") return one({"root", "u1", "u2", "u3"});
    if (field == "policy") return one({"p1", "p2", "FullQcloudAccess"});
    if (field == "sharing_unit") return one({"s1", "s2", "s3"});
    if (field == "service") return one({"cloudaudit", "cvm"});
    if (field == "user") return one({"alice", "bob"});
    if (field == "name") return one({"n1", "n2", "admin"});
    if (field == "permission") return one({"admin", "n1", "n2"});
    if (field == "group") return one({"g1", "g2"});
    if (field == "resource") return one({"r1", "r2"});
    return "x";
  }

  template <class Op>
  void fill(Op& op) {
    related_ = nullptr;
    using members = boost::describe::describe_members<Op, boost::describe::mod_public>;
    boost::mp11::mp_for_each<members>([&](auto d) {
      auto& field = op.*d.pointer;
      set(field, Op::op_name, d.name);
    });
    fixup(op);
  }

  void set(std::string& s, std::string_view op, std::string_view field) {
    s = value_for(op, field);
  }
  void set(bool& b, std::string_view, std::string_view) { b = coin(50); }
  void set(std::int64_t& c, std::string_view, std::string_view) {
    c = static_cast<std::int64_t>(pick(3000));
  }
  void set(cents& c, std::string_view, std::string_view) {
    if (coin(5))
      c.value = std::nullopt;
    else if (coin(5))
      c.value = -static_cast<std::int64_t>(pick(10));
    else if (coin(3))
      c.value = std::numeric_limits<std::int64_t>::max();
    else
      c.value = static_cast<std::int64_t>(pick(1500));
  }
  void set(timestamp& t, std::string_view, std::string_view) { t = {}; }
  template <class E>
  requires std::is_enum_v<E>
  void set(E& e, std::string_view, std::string_view) {
    constexpr std::size_t n = boost::mp11::mp_size<boost::describe::describe_enumerators<E>>::value;
    const std::size_t k = pick(n);
    std::size_t i = 0;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
      if (i++ == k) e = d.value;
    });
  }
  void set(std::vector<std::string>& v, std::string_view op, std::string_view field) {
    v.clear();
    std::size_t n = 1 + pick(3);
    for (std::size_t i = 0; i < n; ++i) {
      std::string s = field == "permissions" ? one({"read", "write"}) : one(accounts_);
      if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
    }
    (void)op;
  }
  void set(std::vector<sub_account>& v, std::string_view, std::string_view) {
    v = {{"ops", sub_account_kind::sub_user}};
  }
  void set(boost::json::value& v, std::string_view, std::string_view) {
    static const char* docs[] = {
        R"({"version":"2.0","statement":[{"effect":"deny","action":"cvm:Terminate*","resource":"*"}]})",
        R"({"version":"2.0","statement":[{"effect":"allow","action":["cvm:*","cos:*"],"resource":"*"}]})",
        R"({"version":"2.0","statement":[{"effect":"allow","action":"cvm:*","resource":"*","condition":{"ip_equal":{"qcs:ip":"not-an-ip"}}}]})"};
    v = boost::json::parse(docs[pick(3)]);
    if (coin(30)) v = boost::json::value(boost::json::serialize(v));
  }
  void set(boost::json::object& o, std::string_view, std::string_view) { o = {}; }
  void set(target_ref& t, std::string_view, std::string_view) {
    switch (pick(3)) {
      case 0:
        t = {target_ref::kind::root, ""};
        break;
      case 1:
        t = {target_ref::kind::unit, one({"u1", "u2", "nope"})};
        break;
      default:
        t = {target_ref::kind::account, one(accounts_)};
        break;
    }
  }
  void set(sub_account_ref& s, std::string_view, std::string_view) {
    s = {one(accounts_), one({"ops", "nope"})};
  }
  template <class T>
  void set(std::optional<T>& o, std::string_view op, std::string_view field) {
    if (coin(field == "actor" ? 15 : 60)) {
      T x{};
      set(x, op, field);
      o = std::move(x);
    } else {
      o.reset();
    }
  }

  // The conditional rules of operations.md, so that every generated
  // operation is well-formed.
  template <class Op>
  void fixup(Op&) {}
  void fixup(ops::set_payment_mode& op) {
    if (op.mode == payment_mode::self_pay)
      op.payer.reset();
    else if (!op.payer)
      op.payer = one(accounts_);
  }
  void fixup(ops::grant_special_permission& op) {
    if (op.permission == special_permission::credit_limit)
      op.account.reset();
    else if (!op.account)
      op.account = one(accounts_);
  }

  std::mt19937 rng_;
};

}  // namespace orggov::test
