// Resource sharing (§9, 3.6.1): sharing units, their resources and sharees.
#include "rules/handlers.hpp"

namespace orggov::detail {

namespace {

// The sharee rules of add_sharee and accept_share.
void sharee_rules(txn& t, const sharing_unit& s, const account& sharee) {
  const account* owner = t.w.find_account(s.owner);
  const organization* owner_org = t.w.org_of(s.owner);
  if (!owner_org)
    t.fail(code::share_owner_not_in_org, {s.owner, s.id},
           "the owner {} of sharing unit {} is in no organization", s.owner, s.id);
  const bool in_owner_org = owner_org && sharee.org == owner_org->id;
  if (s.scope == sharing_scope::in_org) {
    if (owner_org && !in_owner_org)
      t.fail(code::share_sharee_not_in_org, {sharee.uin, owner_org->id},
             "account {} is not in organization {} of the owner", sharee.uin, owner_org->id);
    return;
  }
  if (in_owner_org)
    t.fail(code::share_sharee_in_org, {sharee.uin, owner_org->id},
           "account {} is in the owner's organization {}: share in-org instead", sharee.uin,
           owner_org->id);
  if (!sharee.org.empty() && !in_owner_org)
    t.fail(code::share_sharee_in_other_org, {sharee.uin, sharee.org},
           "account {} is in another organization {}", sharee.uin, sharee.org);
  const entity* e = t.w.find_entity(sharee.entity);
  if (sharee.entity != owner->entity || !e || !is_enterprise(e->kind))
    t.fail(code::share_sharee_entity_mismatch, {sharee.uin, sharee.entity},
           "account {} must have the owner's entity {}, an enterprise", sharee.uin, owner->entity);
  for (const auto& [uin, accepted] : s.sharees)
    if (uin != sharee.uin) {
      t.fail(code::share_single_sharee, {s.id, uin},
             "out-of-organization sharing unit {} already has sharee {}", s.id, uin);
      break;
    }
}

void set_sharee(txn& t, const sharing_unit& s, const std::string& uin, bool accepted) {
  sharing_unit c = s;
  c.sharees[uin] = accepted;
  t.w.put_sharing_unit(std::move(c));
  account a = t.acct_copy(uin);
  index_add(a.sharing, s.id);
  t.put(std::move(a));
}

void drop_sharee(txn& t, const sharing_unit& s, const std::string& uin) {
  sharing_unit c = s;
  c.sharees.erase(uin);
  t.w.put_sharing_unit(std::move(c));
  account a = t.acct_copy(uin);
  if (s.owner != uin) index_remove(a.sharing, s.id);
  t.put(std::move(a));
}

}  // namespace

void erase_sharing_unit(txn& t, const sharing_unit& s) {
  const sharing_unit unit = s;  // `s` may live in the record erased below
  for (const auto& [uin, accepted] : unit.sharees) {
    account a = t.acct_copy(uin);
    index_remove(a.sharing, unit.id);
    t.put(std::move(a));
  }
  account o = t.acct_copy(unit.owner);
  index_remove(o.sharing, unit.id);
  t.put(std::move(o));
  t.w.erase_sharing_unit(unit.id);
  t.effect("sharing_unit_deleted", {unit.id}, "sharing unit {} owned by {} deleted", unit.id,
           unit.owner);
}

void end_sharing(txn& t, const std::string& uin, std::optional<sharing_scope> only) {
  const std::vector<std::string> units = t.w.find_account(uin)->sharing;
  for (const auto& id : units) {
    const sharing_unit* s = t.w.find_sharing_unit(id);
    if (!s || (only && s->scope != *only)) continue;
    if (s->owner == uin) {
      erase_sharing_unit(t, *s);
    } else {
      drop_sharee(t, *s, uin);
      t.effect("sharee_removed", {id, uin}, "account {} leaves sharing unit {}", uin, id);
    }
  }
}

void handle(txn& t, const ops::create_sharing_unit& op) {
  t.id_in_use(t.w.find_sharing_unit(op.sharing_unit) != nullptr, "sharing unit", op.sharing_unit);
  const account* owner = t.acct(op.owner);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.owner})) return;
  if (owner->org.empty())
    t.fail(code::share_owner_not_in_org, {op.owner}, "the owner {} is in no organization",
           op.owner);
  if (t.failed()) return;
  t.w.put_sharing_unit(sharing_unit{op.sharing_unit, op.owner, op.scope, {}, {}});
  account a = *owner;
  index_add(a.sharing, op.sharing_unit);
  t.put(std::move(a));
  t.effect("sharing_unit_created", {op.sharing_unit, op.owner}, "sharing unit {} created by {}",
           op.sharing_unit, op.owner);
}

void handle(txn& t, const ops::add_shared_resource& op) {
  const sharing_unit* s = t.sharing(op.sharing_unit);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {s->owner})) return;
  sharing_unit c = *s;
  auto it = std::find_if(c.resources.begin(), c.resources.end(),
                         [&](const shared_resource& r) { return r.id == op.resource; });
  if (it != c.resources.end() && it->supports_exit == op.supports_exit) return;  // no-op
  if (it != c.resources.end())
    it->supports_exit = op.supports_exit;
  else
    c.resources.push_back({op.resource, op.supports_exit});
  t.w.put_sharing_unit(std::move(c));
  t.effect("shared_resource_added", {op.sharing_unit, op.resource},
           "resource `{}` shared in unit {}", op.resource, op.sharing_unit);
}

void handle(txn& t, const ops::add_sharee& op) {
  const sharing_unit* s = t.sharing(op.sharing_unit);
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {s->owner})) return;
  if (s->sharees.count(op.account)) return;  // already a sharee: no-op
  sharee_rules(t, *s, *a);
  if (t.failed()) return;
  const bool in_org = s->scope == sharing_scope::in_org;
  set_sharee(t, *s, op.account, in_org);
  if (in_org)
    t.effect("sharee_added", {op.sharing_unit, op.account}, "account {} shares unit {}", op.account,
             op.sharing_unit);
  else
    t.effect("share_invitation_open", {op.sharing_unit, op.account},
             "account {} is invited to share unit {}", op.account, op.sharing_unit);
}

void handle(txn& t, const ops::accept_share& op) {
  const sharing_unit* s = t.sharing(op.sharing_unit);
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  auto it = s->sharees.find(op.account);
  if (it == s->sharees.end() || it->second) {
    t.fail(code::share_not_pending, {op.sharing_unit, op.account},
           "account {} has no open invitation to sharing unit {}", op.account, op.sharing_unit);
    return;
  }
  sharee_rules(t, *s, *a);
  if (t.failed()) return;
  set_sharee(t, *s, op.account, true);
  t.effect("share_accepted", {op.sharing_unit, op.account}, "account {} shares unit {}", op.account,
           op.sharing_unit);
}

void handle(txn& t, const ops::leave_share& op) {
  const sharing_unit* s = t.sharing(op.sharing_unit);
  const account* a = t.acct(op.account);
  if (s && a && !s->sharees.count(op.account))
    t.fail(code::ref_not_member, {op.account, op.sharing_unit},
           "account {} is not a sharee of sharing unit {}", op.account, op.sharing_unit);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  if (s->scope == sharing_scope::in_org)
    t.fail(code::share_in_org_cannot_leave, {op.sharing_unit, op.account},
           "an in-organization sharee cannot leave: the owner removes it");
  else
    for (const auto& r : s->resources)
      if (!r.supports_exit)
        t.fail(code::share_resource_blocks_exit, {op.sharing_unit, r.id},
               "resource `{}` in sharing unit {} does not support leaving", r.id, op.sharing_unit);
  if (t.failed()) return;
  drop_sharee(t, *s, op.account);
  t.effect("sharee_left", {op.sharing_unit, op.account}, "account {} leaves sharing unit {}",
           op.account, op.sharing_unit);
}

void handle(txn& t, const ops::remove_sharee& op) {
  const sharing_unit* s = t.sharing(op.sharing_unit);
  const account* a = t.acct(op.account);
  if (s && a && !s->sharees.count(op.account))
    t.fail(code::ref_not_member, {op.account, op.sharing_unit},
           "account {} is not a sharee of sharing unit {}", op.account, op.sharing_unit);
  t.actor_ref(op.actor);
  if (t.refs_failed()) return;
  if (op.actor && *op.actor != s->owner) {
    t.fail(code::share_not_owner, {*op.actor, op.sharing_unit},
           "only the owner {} removes sharees of sharing unit {}", s->owner, op.sharing_unit);
    return;
  }
  drop_sharee(t, *s, op.account);
  t.effect("sharee_removed", {op.sharing_unit, op.account},
           "account {} removed from sharing unit {}", op.account, op.sharing_unit);
}

void handle(txn& t, const ops::delete_sharing_unit& op) {
  const sharing_unit* s = t.sharing(op.sharing_unit);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {s->owner})) return;
  erase_sharing_unit(t, *s);
}

}  // namespace orggov::detail
