// Service control policies in the org (§10, policy.md "Management operations"):
// policy records, attachments, and each member's prepared path.
#include <algorithm>

#include <boost/json.hpp>

#include "orggov/policy/authorize.hpp"
#include "orggov/policy/compiled.hpp"
#include "rules/handlers.hpp"

namespace orggov::detail {

ptr<policy::compiled_policy> full_access_policy() {
  return policy::full_access();
}

namespace {

const std::string full_access_id = "FullQcloudAccess";

policy::level level_of(const organization& o, const std::string& target) {
  policy::level lv;
  lv.target = target;
  if (const auto* ids = o.attachments.find(target))
    for (const auto& id : *ids)
      if (const policy_rec* p = o.policies.find(id)) lv.policies.emplace_back(id, p->compiled);
  return lv;
}

std::vector<std::string> unit_chain(const organization& o, const std::string& unit_id) {
  std::vector<std::string> out;  // from the unit up to, not including, root
  std::string cur = unit_id;
  while (cur != "root" && !cur.empty()) {
    out.push_back(cur);
    const unit* u = o.units.find(cur);
    if (!u) break;
    cur = u->parent;
  }
  return out;
}

}  // namespace

void refresh_paths(organization& o) {
  o.paths = {};
  if (!o.scp_enabled) return;
  for (const auto& [uin, m] : o.members) {
    std::vector<policy::level> levels;
    levels.push_back(level_of(o, "account:" + uin));
    for (const auto& u : unit_chain(o, m->unit)) levels.push_back(level_of(o, "unit:" + u));
    levels.push_back(level_of(o, "root"));
    o.paths = o.paths.set(uin, std::make_shared<const policy::path>(std::move(levels)));
  }
}

namespace {

std::vector<std::string> all_targets(const organization& o) {
  std::vector<std::string> out{"root"};
  for (const auto& [id, u] : o.units)
    if (id != "root") out.push_back("unit:" + id);
  for (const auto& [uin, m] : o.members) out.push_back("account:" + uin);
  return out;
}

// Compiles a document against the world's limits; records policy.invalid or
// policy.too_long. Returns the compiled policy and the stored text.
std::pair<ptr<policy::compiled_policy>, std::string> compile_doc(
    txn& t, const boost::json::value& doc, const std::string& policy_id,
    const std::vector<input_error>& dropped) {
  policy::limits lim;
  lim.document_length = static_cast<std::size_t>(t.w.limits().policy_document_length);
  policy::compile_result r = policy::compile(doc, lim);
  if (!r.too_long && !dropped.empty()) {
    std::vector<policy::problem> all;
    for (const auto& d : dropped) all.push_back({d.pointer, d.message});
    all.insert(all.end(), r.problems.begin(), r.problems.end());
    r.problems = std::move(all);
    r.policy = nullptr;
  }
  if (r.too_long)
    t.fail(code::policy_too_long, {policy_id}, "policy {} is longer than {} characters", policy_id,
           lim.document_length);
  if (!r.problems.empty()) {
    boost::json::array grammar;
    for (const auto& p : r.problems)
      grammar.push_back({{"pointer", p.pointer}, {"message", p.message}});
    t.fail(code::policy_invalid, {policy_id}, "policy {} is not valid: {} ({})", policy_id,
           r.problems.front().message,
           r.problems.front().pointer.empty() ? "/" : r.problems.front().pointer);
    t.d.findings.back().detail = boost::json::object{{"grammar", std::move(grammar)}};
  }
  std::string text = doc.is_string() ? std::string(doc.as_string()) : boost::json::serialize(doc);
  return {r.policy, std::move(text)};
}

// The policy of org `o`, or `ref.unknown_policy` (nothing when `o` is unknown).
const policy_rec* policy_in(txn& t, const organization* o, const std::string& id) {
  const policy_rec* p = o ? o->policies.find(id) : nullptr;
  if (o && !p) t.fail(code::ref_unknown_policy, {id}, "unknown policy `{}`", id);
  return p;
}

// References of attach/detach: the target must exist, an account target must be a member.
void target_refs(txn& t, const organization* o, const target_ref& target) {
  if (!o) {
    if (target.kind == target_ref::kind::account) t.acct(target.id);
    return;
  }
  if (target.kind == target_ref::kind::unit) t.unit_in(o, target.id);
  if (target.kind == target_ref::kind::account) t.member_of(o, t.acct(target.id));
}

}  // namespace

void handle(txn& t, const ops::enable_policy_type& op) {
  const organization* o = t.org(op.org);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (o->scp_enabled)
    t.fail(code::policy_type_already_enabled, {o->id},
           "service control policies are already enabled in organization {}", o->id);
  if (t.failed()) return;
  organization oc = *o;
  oc.scp_enabled = true;
  for (const auto& target : all_targets(oc))
    oc.attachments = oc.attachments.set(target, {full_access_id});
  refresh_paths(oc);
  t.put(std::move(oc));
  t.effect("policy_type_enabled", {op.org},
           "service control policies enabled; FullQcloudAccess attached to the root, every unit "
           "and every member");
}

void handle(txn& t, const ops::disable_policy_type& op) {
  const organization* o = t.org(op.org);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  if (!o->scp_enabled)
    t.fail(code::policy_type_not_enabled, {o->id},
           "service control policies are not enabled in organization {}", o->id);
  if (t.failed()) return;
  organization oc = *o;
  oc.scp_enabled = false;
  oc.attachments = {};
  refresh_paths(oc);
  t.put(std::move(oc));
  t.effect("policy_type_disabled", {op.org},
           "service control policies disabled; every attachment removed, policies kept");
}

void handle(txn& t, const ops::create_policy& op) {
  const organization* o = t.org(op.org);
  if (o) t.id_in_use(o->policies.contains(op.policy), "policy", op.policy);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  auto [compiled, text] = compile_doc(t, op.document, op.policy, op.document_problems);
  for (const auto& [id, p] : o->policies)
    if (p.name == op.name)
      t.fail(code::policy_duplicate_name, {op.name, id}, "policy {} is already named `{}`", id,
             op.name);
  if (static_cast<std::int64_t>(o->policies.size()) >= t.w.limits().policies_per_org)
    t.fail(code::policy_limit_exceeded, {o->id},
           "organization {} already has {} policies, the limit", o->id, o->policies.size());
  if (t.failed()) return;
  organization oc = *o;
  oc.policies = oc.policies.set(
      op.policy, policy_rec{op.policy, op.name, std::move(text), false, std::move(compiled)});
  t.put(std::move(oc));
  t.effect("policy_created", {op.policy}, "policy {} (`{}`) created", op.policy, op.name);
}

void handle(txn& t, const ops::update_policy& op) {
  const organization* o = t.org(op.org);
  const policy_rec* p = policy_in(t, o, op.policy);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  auto [compiled, text] = compile_doc(t, op.document, op.policy, op.document_problems);
  if (p->system)
    t.fail(code::policy_system_policy, {op.policy}, "system policy {} cannot be changed",
           op.policy);
  if (t.failed()) return;
  organization oc = *o;
  policy_rec pc = *p;
  pc.document = std::move(text);
  pc.compiled = std::move(compiled);
  oc.policies = oc.policies.set(op.policy, std::move(pc));
  refresh_paths(oc);
  t.put(std::move(oc));
  t.effect("policy_updated", {op.policy}, "policy {} updated", op.policy);
}

void handle(txn& t, const ops::delete_policy& op) {
  const organization* o = t.org(op.org);
  const policy_rec* p = policy_in(t, o, op.policy);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  for (const auto& [target, ids] : o->attachments)
    if (std::find(ids.begin(), ids.end(), op.policy) != ids.end()) {
      t.fail(code::policy_attached, {op.policy, target}, "policy {} is attached to {}", op.policy,
             target);
      break;
    }
  if (p->system)
    t.fail(code::policy_system_policy, {op.policy}, "system policy {} cannot be deleted",
           op.policy);
  if (t.failed()) return;
  organization oc = *o;
  oc.policies = oc.policies.erase(op.policy);
  t.put(std::move(oc));
  t.effect("policy_deleted", {op.policy}, "policy {} deleted", op.policy);
}

namespace {
template <class Op>
const organization* attachment_refs(txn& t, const Op& op) {
  const organization* o = t.org(op.org);
  policy_in(t, o, op.policy);
  target_refs(t, o, op.target);
  t.actor_ref(op.actor);
  return o;
}
}  // namespace

void handle(txn& t, const ops::attach_policy& op) {
  const organization* o = attachment_refs(t, op);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string target = op.target.text();
  const auto* ids = o->attachments.find(target);
  if (!o->scp_enabled)
    t.fail(code::policy_type_not_enabled, {o->id},
           "service control policies are not enabled in organization {}", o->id);
  if (ids && std::find(ids->begin(), ids->end(), op.policy) != ids->end())
    t.fail(code::policy_already_attached, {op.policy, target},
           "policy {} is already attached to {}", op.policy, target);
  else if (ids && static_cast<std::int64_t>(ids->size()) >= t.w.limits().policies_per_target)
    t.fail(code::policy_attachment_limit, {target},
           "{} already has {} policies attached, the limit", target, ids->size());
  if (t.failed()) return;
  organization oc = *o;
  std::vector<std::string> next = ids ? *ids : std::vector<std::string>{};
  next.push_back(op.policy);
  oc.attachments = oc.attachments.set(target, std::move(next));
  refresh_paths(oc);
  t.put(std::move(oc));
  t.effect("policy_attached", {op.policy, target}, "policy {} attached to {}", op.policy, target);
}

void handle(txn& t, const ops::detach_policy& op) {
  const organization* o = attachment_refs(t, op);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const std::string target = op.target.text();
  const auto* ids = o->attachments.find(target);
  const bool attached = ids && std::find(ids->begin(), ids->end(), op.policy) != ids->end();
  // Only policy.not_attached and policy.detach_last judge a detachment (policy.md): with SCPs
  // off nothing is attached, which not_attached already says.
  if (!attached)
    t.fail(code::policy_not_attached, {op.policy, target}, "policy {} is not attached to {}",
           op.policy, target);
  else if (ids->size() == 1)
    t.fail(code::policy_detach_last, {op.policy, target},
           "policy {} is the last one attached to {}: a target keeps at least one", op.policy,
           target);
  if (t.failed()) return;
  organization oc = *o;
  std::vector<std::string> next = *ids;
  next.erase(std::find(next.begin(), next.end(), op.policy));
  oc.attachments = oc.attachments.set(target, std::move(next));
  refresh_paths(oc);
  t.put(std::move(oc));
  t.effect("policy_detached", {op.policy, target}, "policy {} detached from {}", op.policy, target);
}

}  // namespace orggov::detail
