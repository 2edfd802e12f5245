// Internal: the state of one decision while the rules judge an operation.
//
// Every handler follows the judgment order of operations.md in four stages:
// resolve references (collecting `ref.*`), check the actor, judge the rules,
// then apply effects to `w`, a private copy of the world that shares all
// untouched records with `before`.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "orggov/decision.hpp"
#include "orggov/operations.hpp"
#include "orggov/world.hpp"

namespace orggov::detail {

class txn {
 public:
  explicit txn(const world& base) : before(base), w(base) {}

  const world& before;
  world w;
  decision d;

  // ---- findings and effects
  template <class... A>
  void fail(code c, std::vector<std::string> subjects, fmt::format_string<A...> f, A&&... a) {
    d.findings.push_back({c, fmt::format(f, std::forward<A>(a)...), std::move(subjects), {}});
  }
  template <class... A>
  void effect(std::string kind, std::vector<std::string> subjects, fmt::format_string<A...> f,
              A&&... a) {
    d.effects.push_back(
        {std::move(kind), fmt::format(f, std::forward<A>(a)...), std::move(subjects)});
  }
  [[nodiscard]] bool failed() const { return !d.findings.empty(); }

  // ---- references: each returns the record, or records the `ref.*` code and returns null
  const organization* org(const std::string& id);
  const account* acct(const std::string& uin);
  const account* acct(const std::optional<std::string>& uin) { return uin ? acct(*uin) : nullptr; }
  const entity* ent(const std::string& id);
  const unit* unit_in(const organization* o, const std::string& id);
  const sharing_unit* sharing(const std::string& id);
  /// A member of `o` (not the management account), or `ref.not_member`.
  const member* member_of(const organization* o, const account* a);
  void id_in_use(bool taken, std::string_view what, const std::string& id);
  /// After the references: true when any `ref.*` code was found.
  [[nodiscard]] bool refs_failed() const { return failed(); }

  /// Checks the actor: none given, or one of `allowed`. Otherwise records
  /// `actor.not_permitted` and returns false. The actor's existence is a
  /// reference, checked by `actor_ref` in the reference stage.
  bool actor_ok(const std::optional<std::string>& actor,
                std::initializer_list<std::string_view> allowed);
  void actor_ref(const std::optional<std::string>& actor) {
    if (actor) acct(*actor);
  }

  // ---- writers on the working copy
  organization org_copy(const std::string& id) const { return *w.find_org(id); }
  account acct_copy(const std::string& uin) const { return *w.find_account(uin); }
  void put(organization o) { w.put_org(std::move(o)); }
  void put(account a) { w.put_account(std::move(a)); }
};

// Shared rule fragments (membership.cpp, sharing.cpp, ...).
/// The join check of 2.2.2 for account `a` joining `o`.
void join_check(txn& t, const organization& o, const account& a);
/// Makes `uin` a member of org `org_id` under `unit_id`.
void join(txn& t, const std::string& org_id, const std::string& uin, const std::string& unit_id,
          join_method how);
/// Ends `uin`'s membership of `org_id` (leave, remove, delete): drops the
/// member-only state of operations.md "Departure", listing each as an effect.
void depart(txn& t, const std::string& org_id, const std::string& uin);
/// Drops the member-only state of `uin` in `o` (payer, discount, logins,
/// identity center, attachments, permissions, bill groups, credit limit) and
/// removes the member record; lists each as an effect.
void drop_member_state(txn& t, organization& o, const std::string& uin);
/// Ends the management account's part (delete_organization, replacement).
void depart_management(txn& t, organization& o);
/// Deletes a sharing unit, keeping its owner's and sharees' indexes.
void erase_sharing_unit(txn& t, const sharing_unit& s);
/// Ends `uin`'s part in its sharing units (of scope `only`, or all): units it
/// owns are deleted, it leaves the others. Lists each as an effect.
void end_sharing(txn& t, const std::string& uin, std::optional<sharing_scope> only);
/// True when the account owns, or takes part in (pending or accepted), an
/// out-of-org sharing unit.
[[nodiscard]] bool in_out_of_org_sharing(const world& w, const account& a);
/// Whether `entity` is the management entity or associated with `o`.
[[nodiscard]] bool entity_in_org(const world& w, const organization& o, std::string_view entity);
/// The members `uin` pays for.
[[nodiscard]] std::vector<std::string> paid_for_by(const organization& o, std::string_view uin);
/// Records a payer change for `uin` at the clock's time.
void record_payer(txn& t, const std::string& uin, const std::string& payer);
/// Records a discount-inheritance change for `uin` at the clock's time:
/// inherited from `from` (a management account), or its own discount when empty.
void record_discount(txn& t, const std::string& uin, const std::string& from);
/// Recomputes the prepared SCP paths of every member of `o`.
void refresh_paths(organization& o);
/// Index maintenance on accounts.
void index_add(std::vector<std::string>& v, const std::string& id);
void index_remove(std::vector<std::string>& v, std::string_view id);

std::string_view to_string(entity_kind k);
std::string_view to_string(entity_status s);

}  // namespace orggov::detail
