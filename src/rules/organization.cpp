// Creating and deleting organizations (§1, §5), associating entities (§2),
// real-name change (§11, 4.1) and replacing the management account (4.2.5).
#include <algorithm>

#include "rules/handlers.hpp"

namespace orggov::detail {

ptr<policy::compiled_policy> full_access_policy();

void handle(txn& t, const ops::create_organization& op) {
  t.id_in_use(t.w.find_org(op.org) != nullptr, "organization", op.org);
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  const entity* e = t.w.find_entity(a->entity);
  if (!a->verified)
    t.fail(code::create_org_not_verified, {a->uin}, "account {} is not real-name verified", a->uin);
  if (!is_enterprise(e->kind))
    t.fail(code::create_org_entity_not_enterprise, {a->uin, e->id},
           "entity {} of account {} is a {}, not an enterprise", e->id, a->uin, to_string(e->kind));
  if (is_extinct(e->status))
    t.fail(code::create_org_entity_extinct, {a->uin, e->id}, "entity {} of account {} is {}", e->id,
           a->uin, to_string(e->status));
  if (!a->org.empty())
    t.fail(code::create_org_already_in_org, {a->uin, a->org},
           "account {} is already in organization {}", a->uin, a->org);
  if (t.failed()) return;
  // Creating the org closes the account's open invitations and requests.
  account ac = *a;
  for (const auto& org_id : ac.pending) {
    organization p = t.org_copy(org_id);
    p.invitations = p.invitations.erase(ac.uin);
    p.requests = p.requests.erase(ac.uin);
    t.put(std::move(p));
  }
  ac.pending.clear();
  ac.org = op.org;
  t.put(std::move(ac));
  organization o;
  o.id = op.org;
  o.management = op.account;
  o.units = o.units.set("root", unit{"root", "", "root", 0});
  o.policies = o.policies.set(
      "FullQcloudAccess",
      policy_rec{
          "FullQcloudAccess", "FullQcloudAccess",
          R"({"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]})", true,
          full_access_policy()});
  t.put(std::move(o));
  t.effect("organization_created", {op.org, op.account},
           "organization {} created with management account {}", op.org, op.account);
  t.effect("service_roles_created", {op.account},
           "service roles Organization_QCSLinkedRoleInDefaultMng and "
           "Organization_QCSLinkedRoleInServiceControl created in account {}",
           op.account);
}

void handle(txn& t, const ops::associate_entity& op) {
  const organization* o = t.org(op.org);
  const entity* e = t.ent(op.entity);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string& mgmt_entity = t.w.find_account(o->management)->entity;
  if (!is_enterprise(e->kind))
    t.fail(code::associate_entity_not_enterprise, {e->id}, "entity {} is a {}, not an enterprise",
           e->id, to_string(e->kind));
  if (is_extinct(e->status))
    t.fail(code::associate_entity_extinct, {e->id}, "entity {} is {}", e->id, to_string(e->status));
  if (!t.w.same_group(mgmt_entity, e->id))
    t.fail(code::associate_no_group_relation, {e->id, mgmt_entity},
           "entity {} is not in the group of the management entity {} (evidenced relations only)",
           e->id, mgmt_entity);
  if (e->id == mgmt_entity || o->associated.contains(e->id))
    t.fail(code::associate_already_associated, {e->id, o->id},
           "entity {} is already the management entity or associated with organization {}", e->id,
           o->id);
  if (t.failed()) return;
  organization oc = *o;
  oc.associated = oc.associated.set(op.entity, "");
  t.put(std::move(oc));
  t.effect("entity_associated", {op.entity, op.org}, "entity {} associated with organization {}",
           op.entity, op.org);
}

void handle(txn& t, const ops::set_entity_admin& op) {
  const organization* o = t.org(op.org);
  t.ent(op.entity);
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string* current = o->associated.find(op.entity);
  if (!current)
    t.fail(code::entity_admin_entity_not_associated, {op.entity, o->id},
           "entity {} is not associated with organization {}", op.entity, o->id);
  if (!o->members.contains(op.account) || a->entity != op.entity)
    t.fail(code::entity_admin_account_entity_mismatch, {op.account, op.entity},
           "the entity admin of {} must be a member whose entity is {}", op.entity, op.entity);
  if (t.failed() || *current == op.account) return;
  if (!current->empty())
    t.effect("entity_admin_replaced", {op.entity, *current},
             "account {} is no longer entity admin of {}", *current, op.entity);
  organization oc = *o;
  oc.associated = oc.associated.set(op.entity, op.account);
  t.put(std::move(oc));
  t.effect("entity_admin_set", {op.entity, op.account}, "account {} is the entity admin of {}",
           op.account, op.entity);
}

void handle(txn& t, const ops::clear_entity_admin& op) {
  const organization* o = t.org(op.org);
  t.ent(op.entity);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string* current = o->associated.find(op.entity);
  if (!current || current->empty()) return;
  t.effect("entity_admin_cleared", {op.entity, *current},
           "account {} is no longer entity admin of {}", *current, op.entity);
  organization oc = *o;
  oc.associated = oc.associated.set(op.entity, "");
  t.put(std::move(oc));
}

void handle(txn& t, const ops::delete_organization& op) {
  const organization* o = t.org(op.org);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (!o->members.empty())
    t.fail(code::delete_org_has_members, {o->id}, "organization {} still has {} member(s)", o->id,
           o->members.size());
  std::vector<std::string> accounts{o->management};
  for (const auto& [uin, m] : o->members) accounts.push_back(uin);
  for (const auto& uin : accounts)
    for (const auto& id : t.w.find_account(uin)->sharing) {
      const sharing_unit* s = t.w.find_sharing_unit(id);
      if (s && s->owner == uin && !s->sharees.empty())
        t.fail(code::delete_org_sharing_in_progress, {uin, id},
               "account {} shares resources through sharing unit {}, which has sharees", uin, id);
    }
  if (t.failed()) return;
  organization oc = *o;
  depart_management(t, oc);
  for (const auto& [uin, unit_id] : oc.invitations) {
    account a = t.acct_copy(uin);
    index_remove(a.pending, oc.id);
    t.put(std::move(a));
  }
  for (const auto& uin : oc.requests) {
    account a = t.acct_copy(uin);
    index_remove(a.pending, oc.id);
    t.put(std::move(a));
  }
  t.w.erase_org(oc.id);
  t.effect("organization_deleted", {oc.id},
           "organization {} deleted with its units, policies, invitations and requests", oc.id);
}

void handle(txn& t, const ops::change_realname& op) {
  const account* a = t.acct(op.account);
  const entity* e = t.ent(op.entity);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  if (a->entity == op.entity) return;
  const organization* o = t.w.org_of(a->uin);
  const member* m = o ? o->find_member(a->uin) : nullptr;
  if (o && !is_enterprise(e->kind))
    t.fail(code::realname_entity_not_enterprise, {a->uin, e->id},
           "account {} is in organization {}: its entity must stay an enterprise, and {} is a {}",
           a->uin, o->id, e->id, to_string(e->kind));
  if (m && !m->payer.empty())
    t.fail(code::realname_pay_on_behalf_active, {a->uin, m->payer},
           "account {} is paid for by {}: return to self-pay first", a->uin, m->payer);
  if (o && !paid_for_by(*o, a->uin).empty())
    t.fail(code::realname_is_payer_for_others, {a->uin},
           "account {} pays on behalf of other members: stop first", a->uin);
  if (m && !entity_in_org(t.w, *o, e->id))
    t.fail(code::realname_entity_not_in_org, {a->uin, e->id, o->id},
           "entity {} is neither the management entity nor associated with organization {}: "
           "remove the member first",
           e->id, o->id);
  if (in_out_of_org_sharing(t.w, *a))
    t.fail(code::realname_out_of_org_sharing, {a->uin},
           "account {} takes part in an out-of-organization sharing unit", a->uin);
  if (t.failed()) return;
  account ac = *a;
  ac.entity = op.entity;
  t.put(std::move(ac));
  t.effect("realname_changed", {op.account, op.entity}, "account {} now belongs to entity {}",
           op.account, op.entity);
  if (o && o->management == a->uin && !o->associated.empty()) {
    organization oc = *o;
    for (const auto& [entity_id, admin] : o->associated)
      t.effect("association_dropped", {entity_id, o->id},
               "entity {} is no longer associated with organization {}", entity_id, o->id);
    oc.associated = {};
    t.put(std::move(oc));
  }
}

void handle(txn& t, const ops::replace_management_account& op) {
  const organization* o = t.org(op.org);
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management, op.account})) return;
  const account* old_mgmt = t.w.find_account(o->management);
  const entity* old_entity = t.w.find_entity(old_mgmt->entity);
  if (!is_extinct(old_entity->status))
    t.fail(code::replace_mgmt_not_extinct, {old_entity->id},
           "the management entity {} is still active", old_entity->id);
  if (!op.approved.value_or(false))
    t.fail(code::replace_mgmt_not_approved, {o->id},
           "replacing the management account needs the provider's approval");
  const member* m = o->find_member(op.account);
  if (!m)
    t.fail(code::replace_mgmt_not_member, {op.account, o->id},
           "account {} is not a member of organization {}", op.account, o->id);
  const entity* e = t.w.find_entity(a->entity);
  if (!is_enterprise(e->kind))
    t.fail(code::replace_mgmt_entity_not_enterprise, {op.account, e->id},
           "entity {} of account {} is a {}, not an enterprise", e->id, op.account,
           to_string(e->kind));
  if (t.failed()) return;
  const std::string old_uin = o->management;
  organization oc = *o;
  depart_management(t, oc);
  t.effect("management_account_left", {old_uin, o->id}, "account {} leaves organization {}",
           old_uin, o->id);
  // The new management account stops being a member; its sharing is kept.
  oc = t.org_copy(op.org);
  drop_member_state(t, oc, op.account);
  oc.management = op.account;
  std::vector<std::string> services;
  for (const auto& [service, admin] : oc.delegations)
    if (admin == op.account) services.push_back(service);
  for (const auto& s : services) {
    oc.delegations = oc.delegations.erase(s);
    t.effect("delegation_removed", {s, op.account}, "account {} is no longer delegated admin of {}",
             op.account, s);
  }
  oc.associated = oc.associated.erase(a->entity);
  refresh_paths(oc);
  // Members inheriting the management account's discount now inherit the new one's.
  std::vector<std::string> inheriting;
  for (const auto& [uin, mem] : oc.members)
    if (mem->discount_inherited) inheriting.push_back(uin);
  std::sort(inheriting.begin(), inheriting.end());
  t.put(std::move(oc));
  for (const auto& uin : inheriting) {
    record_discount(t, uin, op.account);
    t.effect("discount_inheritance_repointed", {uin, op.account, old_uin},
             "account {} inherits the discount of {} instead of {}", uin, op.account, old_uin);
  }
  account ac = t.acct_copy(op.account);
  ac.org = op.org;
  t.put(std::move(ac));
  t.effect("management_account_replaced", {op.org, op.account, old_uin},
           "account {} is the management account of organization {}", op.account, op.org);
}

}  // namespace orggov::detail
