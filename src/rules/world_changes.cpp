// World changes (rules.md "World changes"): facts from the real-name and
// account systems. Accepted when well-formed unless they name something
// unknown or reuse an id; `audit` reports what they broke.
#include "orggov/graph.hpp"
#include "rules/handlers.hpp"

namespace orggov::detail {

void handle(txn& t, const ops::add_entity& op) {
  t.id_in_use(t.w.find_entity(op.entity) != nullptr, "entity", op.entity);
  if (t.failed()) return;
  entity e{op.entity, op.name, op.kind, op.status.value_or(entity_status::active), {}, 0};
  add_entity(t.w, std::move(e));
  t.effect("entity_added", {op.entity}, "entity {} added", op.entity);
}

namespace {
// Applies `f` to the entity; true when it changed something (a no-op lists no effect).
template <class F>
bool update_entity(txn& t, const std::string& id, F&& f) {
  const entity* cur = t.ent(id);
  if (!cur) return false;
  entity e = *cur;
  f(e);
  if (e.name == cur->name && e.kind == cur->kind && e.status == cur->status) return false;
  t.w.put_entity(std::move(e));
  return true;
}

// Looks up both ends of a relation together, and starts loading what copying
// them reads (edges, name): in a large world the cache misses then overlap
// instead of queueing one after another. A hint only; changes nothing.
void warm_ends(const world& w, const std::string& from, const std::string& to) {
  const std::string_view ends[] = {from, to};
  const entity* found[2];
  w.find_entities(ends, 2, found);
  for (const entity* e : found)
    if (e) {
      __builtin_prefetch(e->edges.data(), 0, 3);
      __builtin_prefetch(e->name.data(), 0, 3);
    }
}

const relation_edge* find_edge(const world& w, const std::string& from, const std::string& to,
                               relation_kind kind) {
  for (const auto& r : w.find_entity(from)->edges)
    if (r.other == to && r.kind == kind && r.outgoing) return &r;
  return nullptr;
}
}  // namespace

void handle(txn& t, const ops::set_entity_status& op) {
  if (update_entity(t, op.entity, [&](entity& e) { e.status = op.status; }))
    t.effect("entity_status_set", {op.entity}, "entity {} is now {}", op.entity,
             to_string(op.status));
}

void handle(txn& t, const ops::rename_entity& op) {
  if (update_entity(t, op.entity, [&](entity& e) { e.name = op.name; }))
    t.effect("entity_renamed", {op.entity}, "entity {} renamed", op.entity);
}

void handle(txn& t, const ops::set_entity_kind& op) {
  if (update_entity(t, op.entity, [&](entity& e) { e.kind = op.kind; }))
    t.effect("entity_kind_set", {op.entity}, "entity {} is now {}", op.entity, to_string(op.kind));
}

void handle(txn& t, const ops::add_relation& op) {
  warm_ends(t.w, op.from, op.to);
  t.ent(op.from);
  t.ent(op.to);
  if (t.failed()) return;
  const bool evidenced = op.evidenced.value_or(true);
  const relation_edge* cur = find_edge(t.w, op.from, op.to, op.kind);
  if (cur && cur->evidenced == evidenced) return;  // re-adding the same edge: no-op
  set_relation(t.w, op.from, op.to, op.kind, evidenced);
  t.effect("relation_set", {op.from, op.to}, "relation {} → {} recorded", op.from, op.to);
}

void handle(txn& t, const ops::remove_relation& op) {
  warm_ends(t.w, op.from, op.to);
  t.ent(op.from);
  t.ent(op.to);
  if (t.failed() || !find_edge(t.w, op.from, op.to, op.kind)) return;  // missing edge: no-op
  remove_relation(t.w, op.from, op.to, op.kind);
  t.effect("relation_removed", {op.from, op.to}, "relation {} → {} removed", op.from, op.to);
}

void handle(txn& t, const ops::add_account& op) {
  t.id_in_use(t.w.find_account(op.account) != nullptr, "account", op.account);
  t.ent(op.entity);
  if (t.failed()) return;
  account a;
  a.uin = op.account;
  a.entity = op.entity;
  a.verified = op.verified.value_or(false);
  a.channel_customer = op.channel_customer.value_or(false);
  a.cash = op.cash.value_or(0);
  if (op.sub_accounts) a.sub_accounts = *op.sub_accounts;
  t.put(std::move(a));
  t.effect("account_added", {op.account}, "account {} added", op.account);
}

void handle(txn& t, const ops::set_verified& op) {
  const account* cur = t.acct(op.account);
  if (!cur || cur->verified == op.verified) return;
  account a = *cur;
  a.verified = op.verified;
  t.put(std::move(a));
  t.effect("verification_set", {op.account}, "account {} is {}verified", op.account,
           op.verified ? "" : "not ");
}

void handle(txn& t, const ops::set_cash& op) {
  const account* cur = t.acct(op.account);
  if (!cur || cur->cash == op.cash) return;
  account a = *cur;
  a.cash = op.cash;
  t.put(std::move(a));
  t.effect("cash_set", {op.account}, "account {} cash set to {}", op.account, op.cash);
}

}  // namespace orggov::detail
