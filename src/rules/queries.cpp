// Queries: read-only answers as JSON objects with the result keys of
// scenarios.md. A query naming something unknown answers `{"codes": [...]}`.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

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
  std::string_view to =
      orggov::notification_recipient_at(w, q.account, q.kind, q.as_of.value_or(w.now()));
  if (to.empty()) return codes({code::ref_unknown_account});
  return {{"recipient", to}};
}

json::object answer(const world& w, const ops::payment_sources& q) {
  const funding_sources f = orggov::payment_sources_at(w, q.account, q.as_of.value_or(w.now()));
  if (f.payer.empty()) return codes({code::ref_unknown_account});
  json::array coupons;
  for (coupon_kind c : f.coupons) coupons.emplace_back(name(c));
  return {{"payer", f.payer},
          {"member_funds_usable", f.member_funds_usable},
          {"coupons", std::move(coupons)}};
}

json::object answer(const world& w, const ops::discount_source& q) {
  const discount_origin d = orggov::discount_source_at(w, q.account, q.as_of.value_or(w.now()));
  if (!d.known) return codes({code::ref_unknown_account});
  if (d.inherited()) return {{"source", "inherited"}, {"from", d.from}};
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

namespace {

// The last change of `h` in force at `t`: with `inclusive`, a change at
// exactly `t` counts (the state at the instant t); without, only changes
// strictly before `t` (the state just before t). Null before the first change.
template <class Change>
const Change* in_force(const std::vector<Change>& h, timestamp t, bool inclusive) noexcept {
  auto it = inclusive ? std::upper_bound(h.begin(), h.end(), t,
                                         [](timestamp x, const Change& c) { return x < c.at; })
                      : std::lower_bound(h.begin(), h.end(), t,
                                         [](const Change& c, timestamp x) { return c.at < x; });
  return it == h.begin() ? nullptr : &*std::prev(it);
}

std::string_view payer_of(const account& a, timestamp t, bool inclusive) noexcept {
  const payment_change* c = in_force(a.payment_history, t, inclusive);
  return c && !c->payer.empty() ? std::string_view(c->payer) : std::string_view(a.uin);
}

constexpr coupon_kind all_coupons[] = {coupon_kind::cash_coupon, coupon_kind::voucher,
                                       coupon_kind::discount_coupon};

}  // namespace

std::string_view name(coupon_kind c) noexcept {
  switch (c) {
    case coupon_kind::cash_coupon:
      return "cash_coupon";
    case coupon_kind::voucher:
      return "voucher";
    case coupon_kind::discount_coupon:
      return "discount_coupon";
  }
  return "unknown";
}

std::string_view bill_payer(const world& w, std::string_view account,
                            timestamp period_end) noexcept {
  const orggov::account* a = w.find_account(account);
  return a ? payer_before(*a, period_end) : std::string_view();
}

std::string_view payer_before(const account& a, timestamp period_end) noexcept {
  return payer_of(a, period_end, false);
}

std::string_view payer_at(const world& w, std::string_view account, timestamp at) noexcept {
  const orggov::account* a = w.find_account(account);
  return a ? payer_of(*a, at, true) : std::string_view();
}

funding_sources payment_sources_at(const world& w, std::string_view account,
                                   timestamp at) noexcept {
  const orggov::account* a = w.find_account(account);
  if (!a) return {};
  const std::string_view payer = payer_of(*a, at, true);
  if (payer != a->uin) return {payer, false, {all_coupons, 1}};  // 3.3.2(1): cash coupons only
  return {payer, true, all_coupons};
}

std::string_view notification_recipient_at(const world& w, std::string_view account,
                                           notification_kind kind, timestamp at) noexcept {
  const orggov::account* a = w.find_account(account);
  if (!a) return {};
  // 3.3.2(3): arrears go to the member; 3.3.2(4): expiry to the payer in force.
  return kind == notification_kind::expiry ? payer_of(*a, at, true) : std::string_view(a->uin);
}

void bill_payers(const world& w, std::span<const payer_request> requests,
                 std::span<std::string_view> payers) {
  if (payers.size() != requests.size())
    throw std::invalid_argument(fmt::format("bill_payers: {} requests but room for {} payers",
                                            requests.size(), payers.size()));
  for_each_bill_payer(w, requests, [&](std::size_t i, std::string_view p) { payers[i] = p; });
}

namespace detail {

namespace {

struct keyed {
  std::uint64_t key;  // the hash of the request's account, bits reversed
  std::uint64_t index;
};

// The hash trie (pmap) branches on a hash's low bits first: sorted by the
// reversed hash, consecutive lookups walk neighbouring paths of the trie.
constexpr std::uint64_t reverse_bits(std::uint64_t x) noexcept {
  x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
  x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
  x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
  return __builtin_bswap64(x);
}

// A stable LSD radix sort of `v` by key, 11 bits a pass (2,048 buckets: the
// scatter's write streams stay in cache); `tmp` is scratch of the same size.
void radix_sort(std::vector<keyed>& v, std::vector<keyed>& tmp) {
  constexpr unsigned digit_bits = 11, passes = (64 + digit_bits - 1) / digit_bits;
  constexpr std::size_t buckets = std::size_t{1} << digit_bits;
  auto digit = [](std::uint64_t key, unsigned p) {
    return static_cast<std::size_t>((key >> (p * digit_bits)) & (buckets - 1));
  };
  std::vector<std::size_t> count(buckets * passes, 0);
  for (const keyed& k : v)
    for (unsigned p = 0; p < passes; ++p) ++count[p * buckets + digit(k.key, p)];
  for (unsigned p = 0; p < passes; ++p) {
    std::size_t* c = &count[p * buckets];
    if (c[digit(v.front().key, p)] == v.size()) continue;  // one digit value: nothing to do
    std::size_t sum = 0;
    for (std::size_t b = 0; b < buckets; ++b) sum += std::exchange(c[b], sum);
    for (const keyed& k : v) tmp[c[digit(k.key, p)]++] = k;
    v.swap(tmp);
  }
}

}  // namespace

void for_each_bill_payer(const world& w, std::span<const payer_request> requests,
                         payer_visit_fn visit, void* ctx) {
  if (requests.empty()) return;
  std::vector<keyed> order(requests.size()), tmp(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i)
    order[i] = {reverse_bits(string_hash{}(requests[i].account)), i};
  radix_sort(order, tmp);
  // Requests of one account are consecutive now (accounts whose hashes
  // collide may interleave: comparing each request's account keeps the
  // answers right even then). One lookup per run of one account.
  // The requests are read in a random order: prefetch each one, and then
  // its account's characters, a few iterations ahead.
  constexpr std::size_t ahead = 16;
  const std::size_t n = order.size();
  for (std::size_t k = 0; k < std::min(n, 2 * ahead); ++k)
    __builtin_prefetch(&requests[order[k].index]);
  const account* a = nullptr;
  std::string_view current;
  for (std::size_t k = 0; k < n; ++k) {
    if (k + 2 * ahead < n) __builtin_prefetch(&requests[order[k + 2 * ahead].index]);
    if (k + ahead < n) __builtin_prefetch(requests[order[k + ahead].index].account.data());
    const payer_request& r = requests[order[k].index];
    if (k == 0 || r.account != current) {
      current = r.account;
      a = w.find_account(current);
    }
    visit(ctx, order[k].index, a ? payer_before(*a, r.period_end) : std::string_view());
  }
}

}  // namespace detail

discount_origin discount_source_at(const world& w, std::string_view account,
                                   timestamp at) noexcept {
  const orggov::account* a = w.find_account(account);
  if (!a) return {};
  const discount_change* c = in_force(a->discount_history, at, true);
  return {true, c ? std::string_view(c->from) : std::string_view()};
}

}  // namespace orggov
