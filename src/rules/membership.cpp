// Joining (§3, 2.2), leaving and removal (§4, 3.1, 4.2.1, 4.2.2), and the
// departure effects shared with deletion and replacement.
#include <algorithm>

#include "rules/handlers.hpp"

namespace orggov::detail {

bool entity_in_org(const world& w, const organization& o, std::string_view entity) {
  const account* m = w.find_account(o.management);
  return (m && m->entity == entity) || o.associated.contains(entity);
}

bool in_out_of_org_sharing(const world& w, const account& a) {
  for (const auto& id : a.sharing) {
    const sharing_unit* s = w.find_sharing_unit(id);
    if (s && s->scope == sharing_scope::out_of_org) return true;
  }
  return false;
}

std::vector<std::string> paid_for_by(const organization& o, std::string_view uin) {
  std::vector<std::string> out;
  for (const auto& [id, m] : o.members)
    if (m->payer == uin) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {
// Appends a change at the clock's time to one of `uin`'s histories.
template <class Change>
void record_change(txn& t, const std::string& uin, std::vector<Change> account::*history,
                   const std::string& who) {
  account a = t.acct_copy(uin);
  (a.*history).push_back({t.w.now(), who});
  t.put(std::move(a));
}
}  // namespace

void record_payer(txn& t, const std::string& uin, const std::string& payer) {
  record_change(t, uin, &account::payment_history, payer);
}

void record_discount(txn& t, const std::string& uin, const std::string& from) {
  record_change(t, uin, &account::discount_history, from);
}

void join_check(txn& t, const organization& o, const account& a) {
  const std::string& uin = a.uin;
  const bool already_member = o.management == uin || o.members.contains(uin);
  if (already_member)
    t.fail(code::join_already_member, {uin, o.id}, "account {} is already in organization {}", uin,
           o.id);
  if (!already_member && !a.org.empty())
    t.fail(code::join_already_in_org, {uin, a.org},
           "account {} is already in organization {}: one organization at a time", uin, a.org);
  if (in_out_of_org_sharing(t.w, a))
    t.fail(code::join_out_of_org_sharing, {uin},
           "account {} takes part in an out-of-organization sharing unit: it must leave it or be "
           "removed first",
           uin);
  if (!a.verified)
    t.fail(code::join_not_verified, {uin}, "account {} is not real-name verified", uin);
  const entity* e = t.w.find_entity(a.entity);
  if (e && !is_enterprise(e->kind))
    t.fail(code::join_entity_not_enterprise, {uin, a.entity},
           "entity {} of account {} is a {}, not an enterprise", a.entity, uin, to_string(e->kind));
  if (e && is_extinct(e->status))
    t.fail(code::join_entity_extinct, {uin, a.entity}, "entity {} of account {} is {}", a.entity,
           uin, to_string(e->status));
  if (!entity_in_org(t.w, o, a.entity))
    t.fail(code::join_entity_not_in_org, {uin, a.entity, o.id},
           "entity {} of account {} is neither the management entity nor associated with "
           "organization {}",
           a.entity, uin, o.id);
  if (!already_member &&
      static_cast<std::int64_t>(o.members.size()) >= t.w.limits().members_per_org)
    t.fail(code::join_member_limit, {o.id}, "organization {} already has {} members, the limit",
           o.id, o.members.size());
}

namespace {
// Closes every open invitation and request of `uin`, in every org.
void close_pending(txn& t, const std::string& uin) {
  account a = t.acct_copy(uin);
  for (const auto& org_id : a.pending) {
    if (!t.w.find_org(org_id)) continue;
    organization o = t.org_copy(org_id);
    o.invitations = o.invitations.erase(uin);
    o.requests = o.requests.erase(uin);
    t.put(std::move(o));
  }
  a.pending.clear();
  t.put(std::move(a));
}
}  // namespace

void join(txn& t, const std::string& org_id, const std::string& uin, const std::string& unit_id,
          join_method how) {
  close_pending(t, uin);
  organization o = t.org_copy(org_id);
  member m;
  m.uin = uin;
  m.unit = unit_id;
  m.how = how;
  m.logins.push_back({"admin", {}});
  o.members = o.members.set(uin, std::make_shared<const member>(std::move(m)));
  if (o.scp_enabled) {
    o.attachments = o.attachments.set("account:" + uin, {"FullQcloudAccess"});
    refresh_paths(o);
  }
  t.put(std::move(o));
  account a = t.acct_copy(uin);
  a.org = org_id;
  t.put(std::move(a));
  t.effect("member_joined", {uin, org_id, unit_id},
           "account {} joins organization {} under unit {}", uin, org_id, unit_id);
  t.effect("self_pay", {uin}, "account {} pays its own bills", uin);
  t.effect("login_permission_created", {uin, "admin"},
           "built-in login permission `admin` created for account {}", uin);
  t.effect("service_roles_created", {uin},
           "service roles OrganizationAccessControlRole, Organization_QCSLinkedRoleInDefaultMng "
           "and Organization_QCSLinkedRoleInServiceControl created in account {}",
           uin);
  if (t.w.find_org(org_id)->scp_enabled)
    t.effect("policy_attached", {"FullQcloudAccess", "account:" + uin},
             "FullQcloudAccess attached to account:{}", uin);
}

namespace {

// Drops grants to sub-accounts of `uin` from every member's login permissions.
void end_login_grants_of(txn& t, organization& o, const std::string& uin) {
  const std::string prefix = uin + "/";
  bool any = false;
  std::vector<std::pair<std::string, ptr<member>>> changed;
  for (const auto& [id, m] : o.members) {
    bool touched = false;
    member copy = *m;
    for (auto& lp : copy.logins) {
      auto it = std::remove_if(lp.grants.begin(), lp.grants.end(),
                               [&](const std::string& g) { return g.starts_with(prefix); });
      if (it != lp.grants.end()) {
        lp.grants.erase(it, lp.grants.end());
        touched = true;
      }
    }
    if (touched) changed.emplace_back(id, std::make_shared<const member>(std::move(copy)));
  }
  for (auto& [id, m] : changed) {
    o.members = o.members.set(id, std::move(m));
    any = true;
  }
  if (any) t.effect("login_grants_ended", {uin}, "login grants to sub-accounts of {} end", uin);
}

}  // namespace

void drop_member_state(txn& t, organization& o, const std::string& uin) {
  const member m = *o.find_member(uin);
  if (!m.payer.empty()) {
    record_payer(t, uin, "");
    t.effect("pay_on_behalf_ended", {uin, m.payer},
             "pay-on-behalf of account {} by {} ends from this settlement period", uin, m.payer);
  }
  if (m.discount_inherited) {
    record_discount(t, uin, "");
    t.effect("discount_inheritance_ended", {uin}, "discount inheritance of account {} ends", uin);
  }
  t.effect("login_permissions_dropped", {uin}, "login permissions of account {} dropped", uin);
  std::vector<std::pair<std::string, std::vector<identity_sync>>> users;
  for (const auto& [user, syncs] : o.identity_users) {
    std::vector<identity_sync> kept;
    for (const auto& s : syncs)
      if (s.account != uin) kept.push_back(s);
    if (kept.size() != syncs.size()) users.emplace_back(user, std::move(kept));
  }
  for (auto& [user, kept] : users) {
    o.identity_users = o.identity_users.set(user, std::move(kept));
    t.effect("identity_sync_dropped", {user, uin},
             "identity-center user {} loses its sub-accounts and roles in account {}", user, uin);
  }
  if (o.attachments.contains("account:" + uin)) {
    o.attachments = o.attachments.erase("account:" + uin);
    t.effect("policy_attachments_dropped", {uin}, "SCP attachments of account:{} dropped", uin);
  }
  if (m.fund_transfer || m.pay_on_behalf || m.finance_custody)
    t.effect("special_permissions_dropped", {uin}, "special permissions of account {} dropped",
             uin);
  std::vector<std::string> groups;
  for (const auto& [g, members] : o.bill_groups)
    if (std::find(members.begin(), members.end(), uin) != members.end()) groups.push_back(g);
  for (const auto& g : groups) {
    std::vector<std::string> members = *o.bill_groups.find(g);
    members.erase(std::remove(members.begin(), members.end(), uin), members.end());
    o.bill_groups = members.empty() ? o.bill_groups.erase(g) : o.bill_groups.set(g, members);
    t.effect("bill_group_left", {g, uin}, "account {} leaves bill group {}", uin, g);
  }
  if (m.consolidated_consent)
    t.effect("consolidated_consent_dropped", {uin},
             "consolidated-billing consent of account {} dropped", uin);
  if (m.credit_limit)
    t.effect("credit_limit_dropped", {uin}, "credit limit of account {} dropped", uin);
  o.members = o.members.erase(uin);
  refresh_paths(o);
}

void depart(txn& t, const std::string& org_id, const std::string& uin) {
  organization o = t.org_copy(org_id);
  drop_member_state(t, o, uin);
  t.put(std::move(o));
  account a = t.acct_copy(uin);
  a.org.clear();
  t.put(std::move(a));
  end_sharing(t, uin, sharing_scope::in_org);
  t.effect("member_departed", {uin, org_id}, "account {} leaves organization {}", uin, org_id);
  t.effect("service_roles_removed", {uin}, "organization service roles of account {} removed", uin);
}

void depart_management(txn& t, organization& o) {
  const std::string uin = o.management;
  for (const auto& paid : paid_for_by(o, uin)) {
    member m = *o.find_member(paid);
    m.payer.clear();
    o.members = o.members.set(paid, std::make_shared<const member>(std::move(m)));
    record_payer(t, paid, "");
    t.effect("self_pay", {paid}, "account {} returns to self-pay", paid);
  }
  end_login_grants_of(t, o, uin);
  t.put(o);
  account a = t.acct_copy(uin);
  a.org.clear();
  t.put(std::move(a));
  end_sharing(t, uin, sharing_scope::in_org);
  t.effect("service_roles_removed", {uin}, "management service roles of account {} removed", uin);
}

// ---------------------------------------------------------------- joining

void handle(txn& t, const ops::create_member& op) {
  const organization* o = t.org(op.org);
  const entity* e = t.ent(op.entity);
  t.id_in_use(t.w.find_account(op.account) != nullptr, "account", op.account);
  const std::string unit_id = op.unit.value_or("root");
  t.unit_in(o, unit_id);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const bool is_mgmt_entity = t.w.find_account(o->management)->entity == op.entity;
  const std::string* admin = o->associated.find(op.entity);
  if (!is_mgmt_entity && !admin)
    t.fail(code::create_member_entity_not_in_org, {op.entity, o->id},
           "entity {} is neither the management entity nor associated with organization {}",
           op.entity, o->id);
  if (!is_mgmt_entity && admin && admin->empty())
    t.fail(code::create_member_no_entity_admin, {op.entity, o->id},
           "associated entity {} has no entity admin", op.entity);
  if (is_extinct(e->status))
    t.fail(code::create_member_entity_extinct, {op.entity}, "entity {} is {}", op.entity,
           to_string(e->status));
  if (static_cast<std::int64_t>(o->members.size()) >= t.w.limits().members_per_org)
    t.fail(code::create_member_member_limit, {o->id},
           "organization {} already has {} members, the limit", o->id, o->members.size());
  if (t.failed()) return;
  account a;
  a.uin = op.account;
  a.entity = op.entity;
  a.verified = true;
  t.put(std::move(a));
  t.effect("account_created", {op.account, op.entity}, "account {} created for entity {}",
           op.account, op.entity);
  join(t, op.org, op.account, unit_id, join_method::created);
}

void handle(txn& t, const ops::invite_member& op) {
  const organization* o = t.org(op.org);
  const account* a = t.acct(op.account);
  const std::string unit_id = op.unit.value_or("root");
  t.unit_in(o, unit_id);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  join_check(t, *o, *a);
  if (t.failed()) return;
  if (const std::string* open = o->invitations.find(op.account); open && *open == unit_id) return;
  organization oc = *o;
  oc.invitations = oc.invitations.set(op.account, unit_id);
  t.put(std::move(oc));
  account ac = *a;
  index_add(ac.pending, op.org);
  t.put(std::move(ac));
  t.effect("invitation_open", {op.account, op.org, unit_id},
           "account {} is invited to organization {} (unit {})", op.account, op.org, unit_id);
}

void handle(txn& t, const ops::accept_invitation& op) {
  const organization* o = t.org(op.org);
  const account* a = t.acct(op.account);
  const std::string* invited_unit = o ? o->invitations.find(op.account) : nullptr;
  if (invited_unit) t.unit_in(o, *invited_unit);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  join_check(t, *o, *a);
  if (!invited_unit)
    t.fail(code::join_no_pending_invitation, {op.account, op.org},
           "account {} has no open invitation from organization {}", op.account, op.org);
  if (t.failed()) return;
  join(t, op.org, op.account, *invited_unit, join_method::invited);
}

void handle(txn& t, const ops::request_to_join& op) {
  const organization* o = t.org(op.org);
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  join_check(t, *o, *a);
  if (t.failed() || o->requests.contains(op.account)) return;
  organization oc = *o;
  oc.requests = oc.requests.insert(op.account);
  t.put(std::move(oc));
  account ac = *a;
  index_add(ac.pending, op.org);
  t.put(std::move(ac));
  t.effect("join_request_open", {op.account, op.org}, "account {} asks to join organization {}",
           op.account, op.org);
}

void handle(txn& t, const ops::approve_join_request& op) {
  const organization* o = t.org(op.org);
  const account* a = t.acct(op.account);
  const std::string unit_id = op.unit.value_or("root");
  t.unit_in(o, unit_id);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  join_check(t, *o, *a);
  if (!o->requests.contains(op.account))
    t.fail(code::join_no_pending_request, {op.account, op.org},
           "account {} has no open request to join organization {}", op.account, op.org);
  if (t.failed()) return;
  join(t, op.org, op.account, unit_id, join_method::requested);
}

// ---------------------------------------------------------------- leaving

void handle(txn& t, const ops::set_exit_allowed& op) {
  const organization* o = t.org(op.org);
  const member* m = t.member_of(o, t.acct(op.account));
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (m->exit_allowed == op.allowed) return;
  organization oc = *o;
  member mc = *m;
  mc.exit_allowed = op.allowed;
  oc.members = oc.members.set(op.account, std::make_shared<const member>(std::move(mc)));
  t.put(std::move(oc));
  t.effect("exit_allowed_set", {op.account}, "account {} {} leave by itself", op.account,
           op.allowed ? "may" : "may not");
}

namespace {

// The blockers shared by leaving and removal: roles that others depend on.
void role_blockers(txn& t, const organization& o, const std::string& uin, code payer_code,
                   code admin_code, code delegated_code) {
  auto paid = paid_for_by(o, uin);
  if (!paid.empty())
    t.fail(payer_code, {uin}, "account {} pays on behalf of {} other member(s): move them first",
           uin, paid.size());
  for (const auto& [entity_id, admin] : o.associated)
    if (admin == uin)
      t.fail(admin_code, {uin, entity_id},
             "account {} is the entity admin of {}: name another or clear it first", uin,
             entity_id);
  for (const auto& [service, admin] : o.delegations)
    if (admin == uin)
      t.fail(delegated_code, {uin, service},
             "account {} is the delegated admin of {}: remove the delegation first", uin, service);
}

// References shared by leave/remove/delete: the management account is not
// `ref.not_member`, it gets its own rule code.
const organization* departure_refs(txn& t, const std::string& org_id, const std::string& uin,
                                   const std::optional<std::string>& actor) {
  const organization* o = t.org(org_id);
  const account* a = t.acct(uin);
  if (o && a && o->management != uin) t.member_of(o, a);
  t.actor_ref(actor);
  return o;
}

}  // namespace

void handle(txn& t, const ops::leave_organization& op) {
  const organization* o = departure_refs(t, op.org, op.account, op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  const std::string& uin = op.account;
  if (o->management == uin) {
    t.fail(code::exit_is_management_account, {uin, o->id},
           "the management account cannot leave its own organization");
    return;
  }
  const member* m = o->find_member(uin);
  if (!m->exit_allowed)
    t.fail(code::exit_not_allowed, {uin, o->id},
           "the management account has set account {} not allowed to leave", uin);
  if (m->how == join_method::created)
    t.fail(code::exit_created_by_org, {uin},
           "account {} was created by the organization: the management account removes it", uin);
  if (!m->payer.empty())
    t.fail(code::exit_pay_on_behalf_active, {uin, m->payer},
           "account {} is paid for by {}: return to self-pay first", uin, m->payer);
  role_blockers(t, *o, uin, code::exit_is_payer_for_others, code::exit_is_entity_admin,
                code::exit_is_delegated_admin);
  if (t.failed()) return;
  depart(t, op.org, uin);
}

namespace {
template <class Op>
void removal(txn& t, const Op& op, bool deleting) {
  const organization* o = departure_refs(t, op.org, op.account, op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string& uin = op.account;
  const member* m = o->find_member(uin);
  if (o->management == uin)
    t.fail(code::remove_is_management_account, {uin, o->id},
           "the management account cannot be removed");
  else
    role_blockers(t, *o, uin, code::remove_is_payer_for_others, code::remove_is_entity_admin,
                  code::remove_is_delegated_admin);
  if (deleting && (!m || m->how != join_method::created))
    t.fail(code::delete_account_not_created_by_org, {uin},
           "account {} was not created by the organization: it can be removed, not deleted", uin);
  if (t.failed()) return;
  depart(t, op.org, uin);
}
}  // namespace

void handle(txn& t, const ops::remove_member& op) {
  removal(t, op, false);
}

void handle(txn& t, const ops::delete_member_account& op) {
  removal(t, op, true);
  if (t.failed()) return;
  // Close the account: its out-of-org units and share invitations go with it.
  end_sharing(t, op.account, std::nullopt);
  t.w.erase_account(op.account);
  t.effect("account_closed", {op.account}, "account {} closed", op.account);
}

}  // namespace orggov::detail
