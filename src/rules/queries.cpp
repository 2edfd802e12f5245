// Queries: read-only answers as JSON objects with the result keys of
// scenarios.md. A query naming something unknown answers `{"codes": [...]}`.
#include <algorithm>

#include <boost/json.hpp>

#include "orggov/engine.hpp"
#include "orggov/policy/authorize.hpp"
#include "rules/handlers.hpp"

namespace orggov::detail {

namespace json = boost::json;

namespace {

json::object codes(std::initializer_list<code> cs) {
  json::array a;
  for (code c : cs) a.emplace_back(name(c));
  return {{"codes", std::move(a)}};
}

json::array strings(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  json::array a;
  for (auto& s : v) a.emplace_back(s);
  return a;
}

// The member record of `uin` in its org, if it is a member.
const member* membership(const world& w, std::string_view uin, const organization** org = nullptr) {
  const organization* o = w.org_of(uin);
  if (org) *org = o;
  return o ? o->find_member(uin) : nullptr;
}

}  // namespace

json::object answer(const world& w, const ops::can_view& q) {
  txn t(w);
  handle(t, q);
  if (t.refs_failed() && is_reference_code(t.d.findings.front().code)) {
    json::array a;
    for (const auto& f : t.d.findings) a.emplace_back(name(f.code));
    return {{"codes", std::move(a)}};
  }
  json::array a;
  for (const auto& f : t.d.findings) a.emplace_back(name(f.code));
  return {{"allowed", t.d.findings.empty()}, {"codes", std::move(a)}};
}

namespace {

json::object authorization_answer(const world& w, const std::string& uin, const std::string& action,
                                  const std::string& resource, const json::object* ctx_json,
                                  std::optional<principal_type> principal, bool explain) {
  const account* a = w.find_account(uin);
  if (!a) return codes({code::ref_unknown_account});
  auto bare = [&](std::string_view decision, std::string_view reason) {
    json::object o{{"decision", decision}, {"reason", reason}};
    if (explain) {
      o["matched"] = json::array{};
      o["missing_allow_at"] = json::array{};
      o["missing_context"] = json::array{};
    }
    return o;
  };
  auto not_governed = [&] { return bare("allow", "not_governed"); };
  const organization* o = w.org_of(uin);
  if (!o || o->management == uin || !o->scp_enabled ||
      principal.value_or(principal_type::user) == principal_type::service_linked_role)
    return not_governed();
  // A parsed query was validated at input; a typed one that skipped it and
  // is malformed or over the request limits fails closed.
  if (policy::validate_action(action) || policy::validate_resource(resource))
    return bare("deny", "no_allow");
  policy::context ctx;
  if (ctx_json) {
    auto parsed = policy::parse_context(*ctx_json);
    if (auto* c = std::get_if<policy::context>(&parsed))
      ctx = std::move(*c);
    else
      return bare("deny", "no_allow");
  }
  const ptr<policy::path>* p = o->paths.find(uin);
  policy::path empty;
  const policy::path& path = p ? **p : empty;
  policy::request rq{uin, action, resource, &ctx, w.now()};
  if (!explain) {
    policy::authorization r = policy::evaluate(path, rq);
    return {{"decision", r.allow ? "allow" : "deny"}, {"reason", policy::to_string(r.why)}};
  }
  policy::explanation e = policy::explain(path, rq);
  json::array matched;
  for (const auto& m : e.matched)
    matched.push_back({{"policy", m.policy}, {"statement", m.statement}, {"target", m.target}});
  json::array missing_allow, missing_ctx;
  for (const auto& s : e.missing_allow_at) missing_allow.emplace_back(s);
  for (const auto& s : e.missing_context) missing_ctx.emplace_back(s);
  return {{"decision", e.result.allow ? "allow" : "deny"},
          {"reason", policy::to_string(e.result.why)},
          {"matched", std::move(matched)},
          {"missing_allow_at", std::move(missing_allow)},
          {"missing_context", std::move(missing_ctx)}};
}

}  // namespace

json::object answer(const world& w, const ops::authorize& q) {
  return authorization_answer(w, q.account, q.action, q.resource, q.context ? &*q.context : nullptr,
                              q.principal_type, false);
}

json::object answer(const world& w, const ops::explain& q) {
  return authorization_answer(w, q.account, q.action, q.resource, q.context ? &*q.context : nullptr,
                              q.principal_type, true);
}

json::object answer(const world& w, const ops::bill_payer& q) {
  std::string_view payer = orggov::bill_payer(w, q.account, q.period_end);
  if (payer.empty()) return codes({code::ref_unknown_account});
  return {{"payer", payer}};
}

json::object answer(const world& w, const ops::notification_recipient& q) {
  if (!w.find_account(q.account)) return codes({code::ref_unknown_account});
  const member* m = membership(w, q.account);
  std::string to = q.account;
  if (q.kind == notification_kind::expiry && m && !m->payer.empty()) to = m->payer;
  return {{"recipient", to}};
}

json::object answer(const world& w, const ops::payment_sources& q) {
  if (!w.find_account(q.account)) return codes({code::ref_unknown_account});
  const member* m = membership(w, q.account);
  if (m && !m->payer.empty())
    return {{"payer", m->payer},
            {"member_funds_usable", false},
            {"coupons", json::array{"cash_coupon"}}};
  return {{"payer", q.account},
          {"member_funds_usable", true},
          {"coupons", json::array{"cash_coupon", "voucher", "discount_coupon"}}};
}

json::object answer(const world& w, const ops::discount_source& q) {
  if (!w.find_account(q.account)) return codes({code::ref_unknown_account});
  const organization* o = nullptr;
  const member* m = membership(w, q.account, &o);
  if (m && m->discount_inherited) return {{"source", "inherited"}, {"from", o->management}};
  return {{"source", "own"}, {"from", nullptr}};
}

bool sub_account_exists(const world& w, const sub_account_ref& s);

json::object answer(const world& w, const ops::can_login& q) {
  const bool sub_ok = sub_account_exists(w, q.sub_account);
  const bool acct_ok = w.find_account(q.account) != nullptr;
  if (!sub_ok || !acct_ok) {
    json::array a;
    if (!sub_ok) a.emplace_back(name(code::ref_unknown_user));
    if (!acct_ok) a.emplace_back(name(code::ref_unknown_account));
    return {{"codes", std::move(a)}};
  }
  std::vector<std::string> out;
  const organization* o = nullptr;
  if (const member* m = membership(w, q.account, &o)) {
    const std::string who = q.sub_account.text();
    for (const auto& lp : m->logins)
      if (std::find(lp.grants.begin(), lp.grants.end(), who) != lp.grants.end())
        out.push_back(lp.name);
  }
  return {{"permissions", strings(std::move(out))}};
}

json::object answer(const world& w, const ops::service_roles& q) {
  if (!w.find_account(q.account)) return codes({code::ref_unknown_account});
  const organization* o = w.org_of(q.account);
  std::vector<std::string> roles;
  if (o) {
    if (o->management != q.account) roles.push_back("OrganizationAccessControlRole");
    roles.push_back("Organization_QCSLinkedRoleInDefaultMng");
    roles.push_back("Organization_QCSLinkedRoleInServiceControl");
    if (o->identity_center) roles.push_back("Organization_QCSLinkedRoleInCIC");
  }
  return {{"roles", strings(std::move(roles))}};
}

json::object answer(const world& w, const ops::audit& q) {
  const organization* o = w.find_org(q.org);
  if (!o) return codes({code::ref_unknown_org});
  json::array findings;
  auto add = [&](code c, const std::string& uin) {
    findings.push_back({{"code", name(c)}, {"account", uin}});
  };
  const account* mgmt = w.find_account(o->management);
  const entity* me = w.find_entity(mgmt->entity);
  if (is_extinct(me->status)) add(code::audit_management_entity_extinct, o->management);
  std::vector<std::string> uins;
  for (const auto& [uin, m] : o->members) uins.push_back(uin);
  std::sort(uins.begin(), uins.end());
  for (const auto& uin : uins) {
    const account* a = w.find_account(uin);
    const entity* e = w.find_entity(a->entity);
    const member* m = o->find_member(uin);
    if (is_extinct(e->status)) add(code::audit_member_entity_extinct, uin);
    if (!entity_in_org(w, *o, a->entity) || !w.same_group(a->entity, mgmt->entity))
      add(code::audit_member_entity_not_in_group, uin);
    if (!a->verified || !is_enterprise(e->kind)) add(code::audit_member_ineligible, uin);
    if (!m->payer.empty()) {
      const account* p = w.find_account(m->payer);
      if (!p || p->entity != a->entity) add(code::audit_pay_on_behalf_entity_mismatch, uin);
    }
  }
  return {{"findings", std::move(findings)}};
}

json::object answer(const world& w, const ops::portal_accounts& q) {
  const organization* o = w.find_org(q.org);
  if (!o) return codes({code::ref_unknown_org});
  const auto* syncs = o->identity_users.find(q.user);
  if (!syncs) return codes({code::ref_unknown_user});
  std::vector<std::string> out;
  for (const auto& s : *syncs)
    if (s.as == sync_kind::role && !s.permissions.empty() && o->members.contains(s.account) &&
        std::find(out.begin(), out.end(), s.account) == out.end())
      out.push_back(s.account);
  return {{"accounts", strings(std::move(out))}};
}

json::object answer(const world& w, const ops::delegated_admin& q) {
  const organization* o = w.find_org(q.org);
  if (!o) return codes({code::ref_unknown_org});
  const std::string* a = o->delegations.find(q.service);
  if (!a) return {{"account", nullptr}};
  return {{"account", *a}};
}

json::object answer(const world& w, const ops::members& q) {
  const organization* o = w.find_org(q.org);
  if (!o) return codes({code::ref_unknown_org});
  std::vector<std::string> out;
  for (const auto& [uin, m] : o->members) out.push_back(uin);
  return {{"members", strings(std::move(out))}};
}

json::object answer(const world& w, const ops::balance& q) {
  const account* a = w.find_account(q.account);
  if (!a) return codes({code::ref_unknown_account});
  return {{"cash", a->cash}, {"transferred", a->transferred}};
}

}  // namespace orggov::detail

namespace orggov {

std::string_view bill_payer(const world& w, std::string_view account,
                            timestamp period_end) noexcept {
  const orggov::account* a = w.find_account(account);
  if (!a) return {};
  // The payer in force just before period_end: the last change strictly before it.
  const auto& h = a->payment_history;
  auto it = std::lower_bound(h.begin(), h.end(), period_end,
                             [](const payment_change& c, timestamp t) { return c.at < t; });
  if (it != h.begin() && !std::prev(it)->payer.empty()) return std::prev(it)->payer;
  return a->uin;
}

}  // namespace orggov
