// The engine: dispatch, the reference/actor stages shared by every handler,
// and decisions as JSON.
#include "orggov/engine.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "rules/handlers.hpp"

namespace orggov {
namespace detail {

const organization* txn::org(const std::string& id) {
  const organization* o = w.find_org(id);
  if (!o) fail(code::ref_unknown_org, {id}, "unknown organization `{}`", id);
  return o;
}

const account* txn::acct(const std::string& uin) {
  const account* a = w.find_account(uin);
  if (!a) fail(code::ref_unknown_account, {uin}, "unknown account `{}`", uin);
  return a;
}

const entity* txn::ent(const std::string& id) {
  const entity* e = w.find_entity(id);
  if (!e) fail(code::ref_unknown_entity, {id}, "unknown entity `{}`", id);
  return e;
}

const unit* txn::unit_in(const organization* o, const std::string& id) {
  if (!o) return nullptr;
  const unit* u = o->units.find(id);
  if (!u)
    fail(code::ref_unknown_unit, {id, o->id}, "unknown unit `{}` in organization {}", id, o->id);
  return u;
}

const sharing_unit* txn::sharing(const std::string& id) {
  const sharing_unit* s = w.find_sharing_unit(id);
  if (!s) fail(code::ref_unknown_sharing_unit, {id}, "unknown sharing unit `{}`", id);
  return s;
}

const member* txn::member_of(const organization* o, const account* a) {
  if (!o || !a) return nullptr;
  const member* m = o->find_member(a->uin);
  if (!m)
    fail(code::ref_not_member, {a->uin, o->id}, "account {} is not a member of organization {}",
         a->uin, o->id);
  return m;
}

void txn::id_in_use(bool taken, std::string_view what, const std::string& id) {
  if (taken) fail(code::ref_id_in_use, {id}, "{} id `{}` is already in use", what, id);
}

bool txn::actor_ok(const std::optional<std::string>& actor,
                   std::initializer_list<std::string_view> allowed) {
  if (!actor) return true;
  if (std::find(allowed.begin(), allowed.end(), *actor) != allowed.end()) return true;
  fail(code::actor_not_permitted, {*actor}, "account {} may not perform this operation", *actor);
  return false;
}

void index_add(std::vector<std::string>& v, const std::string& id) {
  auto it = std::lower_bound(v.begin(), v.end(), id);
  if (it == v.end() || *it != id) v.insert(it, id);
}

void index_remove(std::vector<std::string>& v, std::string_view id) {
  auto it = std::lower_bound(v.begin(), v.end(), id);
  if (it != v.end() && *it == id) v.erase(it);
}

std::string_view to_string(entity_kind k) {
  switch (k) {
    case entity_kind::legal_person:
      return "legal_person";
    case entity_kind::unincorporated_org:
      return "unincorporated_org";
    case entity_kind::natural_person:
      return "natural_person";
    case entity_kind::individual_business:
      return "individual_business";
    case entity_kind::rural_contractor:
      return "rural_contractor";
  }
  return "unknown";
}

std::string_view to_string(entity_status s) {
  switch (s) {
    case entity_status::active:
      return "active";
    case entity_status::deregistered:
      return "deregistered";
    case entity_status::revoked:
      return "revoked";
  }
  return "unknown";
}

}  // namespace detail

namespace {
// The one code path of apply and check: the handler runs on a private copy
// whose record writes are buffered; only an allowed apply (`keep`) folds them
// into the tries, so a check never copies a trie path.
outcome run(const world& w, const operation& op, bool keep) {
  detail::txn t(w);
  t.w.buffer_writes();
  std::visit([&](const auto& o) { detail::handle(t, o); }, op);
  t.d.allowed = t.d.findings.empty();
  if (!t.d.allowed) {
    t.d.effects.clear();
    return {std::move(t.d), w};
  }
  if (!keep) {
    t.w.discard_writes();
    return {std::move(t.d), w};
  }
  t.w.commit_writes();
  return {std::move(t.d), std::move(t.w)};
}
}  // namespace

outcome apply(const world& w, const operation& op) {
  return run(w, op, true);
}

decision check(const world& w, const operation& op) {
  return run(w, op, false).result;
}

boost::json::object ask(const world& w, const query& q) {
  return std::visit([&](const auto& x) { return detail::answer(w, x); }, q);
}

boost::json::object to_json(const decision& d) {
  namespace json = boost::json;
  boost::json::object out;
  out["allowed"] = d.allowed;
  boost::json::array codes, findings, effects;
  for (const auto& f : d.findings) {
    // One code may apply to several subjects: `codes` lists it once, `findings` each time.
    if (std::find(codes.begin(), codes.end(), json::value(name(f.code))) == codes.end())
      codes.emplace_back(name(f.code));
    boost::json::object o;
    o["code"] = name(f.code);
    o["clause"] = clause(f.code);
    o["message"] = f.message;
    boost::json::array subj;
    for (const auto& s : f.subjects) subj.emplace_back(s);
    o["subjects"] = std::move(subj);
    if (f.detail.is_object())
      for (const auto& kv : f.detail.as_object()) o[kv.key()] = kv.value();
    findings.push_back(std::move(o));
  }
  for (const auto& e : d.effects) {
    boost::json::object o;
    o["kind"] = e.kind;
    o["message"] = e.message;
    boost::json::array subj;
    for (const auto& s : e.subjects) subj.emplace_back(s);
    o["subjects"] = std::move(subj);
    effects.push_back(std::move(o));
  }
  out["codes"] = std::move(codes);
  out["findings"] = std::move(findings);
  out["effects"] = std::move(effects);
  return out;
}

}  // namespace orggov
