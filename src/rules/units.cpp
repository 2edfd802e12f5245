// The unit tree (§11, 1.2): creating, moving members, deleting.
#include "rules/handlers.hpp"

namespace orggov::detail {

void handle(txn& t, const ops::create_unit& op) {
  const organization* o = t.org(op.org);
  if (o) t.id_in_use(op.unit == "root" || o->units.contains(op.unit), "unit", op.unit);
  const unit* parent = t.unit_in(o, op.parent);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const int depth = parent->depth + 1;
  if (depth > t.w.limits().unit_depth)
    t.fail(code::unit_depth_exceeded, {op.unit, op.parent},
           "unit {} would be at depth {}, past the limit of {}", op.unit, depth,
           t.w.limits().unit_depth);
  for (const auto& [id, u] : o->units)
    if (u.parent == op.parent && u.name == op.name)
      t.fail(code::unit_duplicate_name, {op.name, id}, "unit {} under {} is already named `{}`", id,
             op.parent, op.name);
  if (t.failed()) return;
  organization oc = *o;
  oc.units = oc.units.set(op.unit, unit{op.unit, op.parent, op.name, depth});
  t.effect("unit_created", {op.unit, op.parent}, "unit {} created under {}", op.unit, op.parent);
  if (oc.scp_enabled) {
    oc.attachments = oc.attachments.set("unit:" + op.unit, {"FullQcloudAccess"});
    t.effect("policy_attached", {"FullQcloudAccess", "unit:" + op.unit},
             "FullQcloudAccess attached to unit:{}", op.unit);
  }
  t.put(std::move(oc));
}

void handle(txn& t, const ops::move_member& op) {
  const organization* o = t.org(op.org);
  const member* m = t.member_of(o, t.acct(op.account));
  t.unit_in(o, op.unit);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (m->unit == op.unit) return;
  organization oc = *o;
  member mc = *m;
  mc.unit = op.unit;
  oc.members = oc.members.set(op.account, std::make_shared<const member>(std::move(mc)));
  refresh_paths(oc);
  t.put(std::move(oc));
  t.effect("member_moved", {op.account, op.unit}, "account {} moved to unit {}", op.account,
           op.unit);
}

void handle(txn& t, const ops::delete_unit& op) {
  const organization* o = t.org(op.org);
  t.unit_in(o, op.unit);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (op.unit == "root") t.fail(code::unit_is_root, {op.unit}, "the root unit cannot be deleted");
  std::size_t members = 0, children = 0;
  for (const auto& [uin, m] : o->members) members += m->unit == op.unit;
  for (const auto& [id, u] : o->units) children += u.parent == op.unit;
  if (members || children)
    t.fail(code::unit_not_empty, {op.unit}, "unit {} still has {} member(s) and {} unit(s)",
           op.unit, members, children);
  if (t.failed()) return;
  organization oc = *o;
  oc.units = oc.units.erase(op.unit);
  if (oc.attachments.contains("unit:" + op.unit)) {
    oc.attachments = oc.attachments.erase("unit:" + op.unit);
    t.effect("policy_attachments_dropped", {op.unit}, "SCP attachments of unit:{} dropped",
             op.unit);
  }
  t.put(std::move(oc));
  t.effect("unit_deleted", {op.unit}, "unit {} deleted", op.unit);
}

}  // namespace orggov::detail
