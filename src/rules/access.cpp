// Login permissions (§8, 3.4), delegated admins (3.6.2), identity center (3.7).
#include <algorithm>

#include "rules/handlers.hpp"

namespace orggov::detail {

namespace {

login_permission* find_login(member& m, std::string_view name) {
  for (auto& lp : m.logins)
    if (lp.name == name) return &lp;
  return nullptr;
}

bool has_login(const member& m, std::string_view name) {
  return std::any_of(m.logins.begin(), m.logins.end(),
                     [&](const login_permission& lp) { return lp.name == name; });
}

void put_member(txn& t, const organization& o, member m) {
  organization oc = o;
  std::string uin = m.uin;
  oc.members = oc.members.set(uin, std::make_shared<const member>(std::move(m)));
  t.put(std::move(oc));
}

}  // namespace

void handle(txn& t, const ops::create_login_permission& op) {
  const organization* o = t.org(op.org);
  const member* m = t.member_of(o, t.acct(op.account));
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const auto custom = static_cast<std::int64_t>(
      std::count_if(m->logins.begin(), m->logins.end(),
                    [](const login_permission& lp) { return lp.name != "admin"; }));
  if (custom >= t.w.limits().custom_login_permissions)
    t.fail(code::login_limit_exceeded, {op.account},
           "account {} already has {} custom login permissions, the limit", op.account, custom);
  if (has_login(*m, op.name))
    t.fail(code::login_duplicate_name, {op.account, op.name},
           "account {} already has a login permission named `{}`", op.account, op.name);
  if (t.failed()) return;
  member mc = *m;
  mc.logins.push_back({op.name, {}});
  put_member(t, *o, std::move(mc));
  t.effect("login_permission_created", {op.account, op.name},
           "login permission `{}` created for account {}", op.name, op.account);
}

void handle(txn& t, const ops::delete_login_permission& op) {
  const organization* o = t.org(op.org);
  const member* m = t.member_of(o, t.acct(op.account));
  if (m && !has_login(*m, op.name))
    t.fail(code::ref_unknown_login_permission, {op.account, op.name},
           "account {} has no login permission named `{}`", op.account, op.name);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (op.name == "admin")
    t.fail(code::login_builtin_admin, {op.account},
           "the built-in `admin` permission cannot be deleted");
  if (t.failed()) return;
  member mc = *m;
  mc.logins.erase(std::remove_if(mc.logins.begin(), mc.logins.end(),
                                 [&](const login_permission& lp) { return lp.name == op.name; }),
                  mc.logins.end());
  put_member(t, *o, std::move(mc));
  t.effect("login_permission_deleted", {op.account, op.name},
           "login permission `{}` of account {} deleted with its grants", op.name, op.account);
}

bool sub_account_exists(const world& w, const sub_account_ref& s) {
  const account* a = w.find_account(s.uin);
  return a && std::any_of(a->sub_accounts.begin(), a->sub_accounts.end(),
                          [&](const sub_account& x) { return x.id == s.id; });
}

void handle(txn& t, const ops::grant_login& op) {
  const organization* o = t.org(op.org);
  const member* m = t.member_of(o, t.acct(op.account));
  if (!sub_account_exists(t.w, op.sub_account))
    t.fail(code::ref_unknown_user, {op.sub_account.text()}, "unknown sub-account `{}`",
           op.sub_account.text());
  if (m && !has_login(*m, op.permission))
    t.fail(code::ref_unknown_login_permission, {op.account, op.permission},
           "account {} has no login permission named `{}`", op.account, op.permission);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (op.sub_account.uin != o->management)
    t.fail(code::login_not_management_sub_account, {op.sub_account.text()},
           "`{}` is not a sub-account of the management account {}", op.sub_account.text(),
           o->management);
  if (t.failed()) return;
  member mc = *m;
  login_permission* lp = find_login(mc, op.permission);
  const std::string who = op.sub_account.text();
  if (std::find(lp->grants.begin(), lp->grants.end(), who) != lp->grants.end()) return;
  lp->grants.push_back(who);
  put_member(t, *o, std::move(mc));
  t.effect("login_granted", {who, op.account, op.permission},
           "sub-account {} may sign in to {} with `{}`", who, op.account, op.permission);
}

void handle(txn& t, const ops::delegate_admin& op) {
  const organization* o = t.org(op.org);
  t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (!o->members.contains(op.account))
    t.fail(code::delegate_not_member, {op.account, o->id},
           "account {} is not a member of organization {}", op.account, o->id);
  if (!t.w.delegable(op.service))
    t.fail(code::delegate_service_not_delegable, {op.service},
           "service `{}` does not support a delegated admin", op.service);
  if (t.failed()) return;
  const std::string* old = o->delegations.find(op.service);
  if (old && *old == op.account) return;
  if (old)
    t.effect("delegation_replaced", {op.service, *old},
             "account {} is no longer delegated admin of {}", *old, op.service);
  organization oc = *o;
  oc.delegations = oc.delegations.set(op.service, op.account);
  t.put(std::move(oc));
  t.effect("delegated_admin_set", {op.service, op.account}, "account {} administers {}", op.account,
           op.service);
}

void handle(txn& t, const ops::remove_delegated_admin& op) {
  const organization* o = t.org(op.org);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string* old = o->delegations.find(op.service);
  if (!old) return;
  t.effect("delegation_removed", {op.service, *old},
           "account {} is no longer delegated admin of {}", *old, op.service);
  organization oc = *o;
  oc.delegations = oc.delegations.erase(op.service);
  t.put(std::move(oc));
}

void handle(txn& t, const ops::enable_identity_center& op) {
  const organization* o = t.org(op.org);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management}) || o->identity_center) return;
  organization oc = *o;
  oc.identity_center = true;
  t.put(std::move(oc));
  t.effect("identity_center_enabled", {op.org},
           "identity center enabled; every account of the org gets "
           "Organization_QCSLinkedRoleInCIC");
}

void handle(txn& t, const ops::create_identity_user& op) {
  const organization* o = t.org(op.org);
  if (o) t.id_in_use(o->identity_users.contains(op.user), "identity user", op.user);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (!o->identity_center)
    t.fail(code::identity_not_enabled, {o->id}, "identity center is not enabled in organization {}",
           o->id);
  if (t.failed()) return;
  organization oc = *o;
  oc.identity_users = oc.identity_users.set(op.user, {});
  t.put(std::move(oc));
  t.effect("identity_user_created", {op.user}, "identity-center user {} created", op.user);
}

void handle(txn& t, const ops::sync_identity_user& op) {
  const organization* o = t.org(op.org);
  const std::vector<identity_sync>* syncs = o ? o->identity_users.find(op.user) : nullptr;
  if (o && !syncs)
    t.fail(code::ref_unknown_user, {op.user}, "unknown identity-center user `{}`", op.user);
  t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (!o->identity_center)
    t.fail(code::identity_not_enabled, {o->id}, "identity center is not enabled in organization {}",
           o->id);
  if (!o->members.contains(op.account))
    t.fail(code::identity_not_member, {op.account, o->id},
           "account {} is not a member of organization {}", op.account, o->id);
  if (t.failed()) return;
  std::vector<identity_sync> next = *syncs;
  std::erase_if(next,
                [&](const identity_sync& s) { return s.account == op.account && s.as == op.as; });
  identity_sync s{op.user, op.account, op.as, {}};
  if (op.as == sync_kind::role) s.permissions = op.permissions.value_or(std::vector<std::string>{});
  next.push_back(std::move(s));
  organization oc = *o;
  oc.identity_users = oc.identity_users.set(op.user, std::move(next));
  t.put(std::move(oc));
  t.effect("identity_user_synced", {op.user, op.account},
           "identity-center user {} synced into {} as {}", op.user, op.account,
           op.as == sync_kind::role ? "a role" : "a sub-account");
}

}  // namespace orggov::detail
