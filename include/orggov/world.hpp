// orggov/world.hpp — the immutable snapshot of everything orggov decides on.
//
// Main types: `world` (entities, accounts, organizations, sharing units, the
// clock and the limits), and the records it holds: `entity`, `account`,
// `organization`, `member`, `unit`, `sharing_unit`. A world never changes:
// `engine::apply` returns a new world that shares every untouched record with
// the old one (persistent hash tries, `detail::pmap`), so applying one
// operation costs in proportion to what it changes, and a reader holding a
// `std::shared_ptr<const world>` never needs a lock.
//
//   auto w = orggov::load_world(json).value();            // io/json.hpp
//   if (const orggov::account* a = w.find_account("100001")) use(a->entity);
//   const orggov::organization* o = w.org_of("100001");   // its org, or null
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/describe/enum.hpp>

#include "orggov/detail/pmap.hpp"
#include "orggov/time.hpp"

namespace orggov {

namespace policy {
class compiled_policy;
class path;
}  // namespace policy

template <class T>
using ptr = std::shared_ptr<const T>;

enum class entity_kind : std::uint8_t {
  legal_person,
  unincorporated_org,
  natural_person,
  individual_business,
  rural_contractor
};
enum class entity_status : std::uint8_t { active, deregistered, revoked };
enum class relation_kind : std::uint8_t {
  legal_affiliation,
  control,
  financial_affiliation,
  management
};
enum class sub_account_kind : std::uint8_t { sub_user, wecom_sub_user, collaborator };
enum class join_method : std::uint8_t { created, invited, requested };
enum class billing_basis : std::uint8_t { billing, deduction };
enum class sharing_scope : std::uint8_t { in_org, out_of_org };
enum class sync_kind : std::uint8_t { sub_account, role };

BOOST_DESCRIBE_ENUM(entity_kind, legal_person, unincorporated_org, natural_person,
                    individual_business, rural_contractor)
BOOST_DESCRIBE_ENUM(entity_status, active, deregistered, revoked)
BOOST_DESCRIBE_ENUM(relation_kind, legal_affiliation, control, financial_affiliation, management)
BOOST_DESCRIBE_ENUM(sub_account_kind, sub_user, wecom_sub_user, collaborator)
BOOST_DESCRIBE_ENUM(join_method, created, invited, requested)
BOOST_DESCRIBE_ENUM(billing_basis, billing, deduction)
BOOST_DESCRIBE_ENUM(sharing_scope, in_org, out_of_org)
BOOST_DESCRIBE_ENUM(sync_kind, sub_account, role)

/// `legal_person` and `unincorporated_org`.
[[nodiscard]] constexpr bool is_enterprise(entity_kind k) noexcept {
  return k == entity_kind::legal_person || k == entity_kind::unincorporated_org;
}
/// `deregistered` and `revoked`.
[[nodiscard]] constexpr bool is_extinct(entity_status s) noexcept {
  return s != entity_status::active;
}

/// Limits a host configures; defaults are the agreement's figures.
struct limits {
  std::int64_t members_per_org = 100;
  std::int64_t unit_depth = 5;
  std::int64_t custom_login_permissions = 20;
  std::int64_t policy_document_length = 6144;
  std::int64_t policies_per_target = 10;
  std::int64_t policies_per_org = 1000;
  friend bool operator==(const limits&, const limits&) = default;
};

/// One end of a relation as seen from an entity.
struct relation_edge {
  std::string other{};
  relation_kind kind{};
  bool outgoing = true;  // this entity is the relation's `from`
  bool evidenced = true;
};

struct entity {
  std::string id{};
  std::string name{};
  entity_kind kind{};
  entity_status status = entity_status::active;
  std::vector<relation_edge> edges{};  // sorted by (other, kind, outgoing)
  std::uint64_t group = 0;             // entity group (derived; see graph.hpp)
};

struct sub_account {
  std::string id{};
  sub_account_kind kind = sub_account_kind::sub_user;
};

/// A change of payer at `at`; an empty payer means self-pay from then on.
struct payment_change {
  timestamp at{};
  std::string payer{};
};

/// A change of discount inheritance at `at`: from then on the account's
/// discount is inherited from `from` (the management account of its org at
/// that time); an empty `from` means its own discount from then on.
struct discount_change {
  timestamp at{};
  std::string from{};
};

struct account {
  std::string uin{};
  std::string entity{};
  bool verified = false;
  bool channel_customer = false;
  std::int64_t cash = 0;
  std::int64_t transferred = 0;  // funds transferred from the management account
  std::vector<sub_account> sub_accounts{};
  std::optional<billing_basis> basis{};
  std::vector<payment_change> payment_history{};    // time-ordered
  std::vector<discount_change> discount_history{};  // time-ordered
  // Derived indexes (rebuilt on load, never saved):
  std::string org{};                   // the org it is in (management or member), or empty
  std::vector<std::string> pending{};  // orgs with an open invitation or request for it
  std::vector<std::string> sharing{};  // sharing units it owns or takes part in
};

struct unit {
  std::string id{};
  std::string parent{};  // empty for root
  std::string name{};
  int depth = 0;  // root 0, its children 1
};

struct login_permission {
  std::string name{};
  std::vector<std::string> grants{};  // sub-accounts `<uin>/<id>` of the management account
};

struct member {
  std::string uin{};
  std::string unit = "root";
  join_method how = join_method::invited;
  bool exit_allowed = true;
  std::string payer{};  // empty: self-pay
  bool discount_inherited = false;
  bool consolidated_consent = false;
  std::optional<std::int64_t> credit_limit{};
  bool fund_transfer = false;  // special permissions, per member
  bool pay_on_behalf = false;  // may pay on behalf of others
  bool finance_custody = false;
  std::vector<login_permission> logins{};  // [0] is the built-in `admin`
};

struct policy_rec {
  std::string id{};
  std::string name{};
  std::string document{};  // the document as JSON text (compact)
  bool system = false;     // FullQcloudAccess
  ptr<policy::compiled_policy> compiled{};
};

struct identity_sync {
  std::string user{};
  std::string account{};
  sync_kind as = sync_kind::sub_account;
  std::vector<std::string> permissions{};
};

struct organization {
  std::string id{};
  std::string management{};
  detail::pmap<std::string, unit> units{};
  detail::pmap<std::string, ptr<member>> members{};
  [[nodiscard]] const member* find_member(std::string_view uin) const {
    const ptr<member>* m = members.find(uin);
    return m ? m->get() : nullptr;
  }
  detail::pmap<std::string, std::string> associated{};   // entity -> entity admin uin ("" none)
  detail::pmap<std::string, std::string> invitations{};  // uin -> unit
  detail::pset<std::string> requests{};                  // uins
  // service control policies
  bool scp_enabled = false;
  detail::pmap<std::string, policy_rec> policies{};
  detail::pmap<std::string, std::vector<std::string>> attachments{};  // target -> policy ids
  detail::pmap<std::string, ptr<policy::path>> paths{};  // member uin -> prepared path (derived)
  // finance
  bool credit_limit_permission = false;
  detail::pmap<std::string, std::vector<std::string>> bill_groups{};
  // access
  detail::pmap<std::string, std::string> delegations{};  // service -> uin
  bool identity_center = false;
  detail::pmap<std::string, std::vector<identity_sync>> identity_users{};  // user -> syncs
};

struct shared_resource {
  std::string id{};
  bool supports_exit = true;
};

struct sharing_unit {
  std::string id{};
  std::string owner{};
  sharing_scope scope = sharing_scope::in_org;
  std::vector<shared_resource> resources{};
  std::map<std::string, bool> sharees{};  // uin -> accepted
};

/// The snapshot. Cheap to copy (a handful of pointers); never mutated once
/// published. Lookups are O(1) expected (hash tries, depth log16 n).
class world {
  template <class T>
  using buffer = std::unordered_map<std::string, ptr<T>, detail::string_hash, std::equal_to<>>;
  struct pending {  // buffered writes; a null record is an erasure
    buffer<entity> entities;
    buffer<account> accounts;
    buffer<organization> orgs;
    buffer<sharing_unit> sharing;
  };

 public:
  [[nodiscard]] const entity* find_entity(std::string_view id) const;
  /// `out[i] = find_entity(ids[i])` for `n` ids, their trie walks interleaved
  /// so that the cache misses of the lookups overlap (a large world).
  void find_entities(const std::string_view* ids, std::size_t n, const entity** out) const;
  [[nodiscard]] const account* find_account(std::string_view uin) const;
  [[nodiscard]] const organization* find_org(std::string_view id) const;
  [[nodiscard]] const sharing_unit* find_sharing_unit(std::string_view id) const;
  /// The org the account is in (as management account or member), or null.
  [[nodiscard]] const organization* org_of(std::string_view uin) const;
  /// True when both entities are in the same entity group.
  [[nodiscard]] bool same_group(std::string_view a, std::string_view b) const;
  /// Whether a service supports a delegated admin; unknown services do not.
  [[nodiscard]] bool delegable(std::string_view service) const;

  [[nodiscard]] const detail::pmap<std::string, ptr<entity>>& entities() const { return entities_; }
  [[nodiscard]] const detail::pmap<std::string, ptr<account>>& accounts() const {
    return accounts_;
  }
  [[nodiscard]] const detail::pmap<std::string, ptr<organization>>& orgs() const { return orgs_; }
  [[nodiscard]] const detail::pmap<std::string, ptr<sharing_unit>>& sharing_units() const {
    return sharing_;
  }
  [[nodiscard]] const detail::pmap<std::string, bool>& services() const { return services_; }
  [[nodiscard]] timestamp now() const { return now_; }
  [[nodiscard]] const struct limits& limits() const { return limits_; }

  // Writers: used by the engine and the loader on a private copy.
  void put_entity(entity e) { put(entities_, &entity::id, std::move(e), &pending::entities); }
  void put_account(account a) { put(accounts_, &account::uin, std::move(a), &pending::accounts); }
  void erase_account(std::string_view uin) { erase(accounts_, uin, &pending::accounts); }
  void put_org(organization o) { put(orgs_, &organization::id, std::move(o), &pending::orgs); }
  void erase_org(std::string_view id) { erase(orgs_, id, &pending::orgs); }
  void put_sharing_unit(sharing_unit s) {
    put(sharing_, &sharing_unit::id, std::move(s), &pending::sharing);
  }
  void erase_sharing_unit(std::string_view id) { erase(sharing_, id, &pending::sharing); }

  /// Buffers later writes of records (entities, accounts, orgs, sharing
  /// units) instead of copying trie paths; `find_*` read the buffer first.
  /// `commit_writes` folds them into the tries, `discard_writes` drops them.
  /// The engine buffers each operation: a check that never commits costs its
  /// lookups only, and a record written twice is copied into the trie once.
  /// Iterating `entities()` etc. does not see buffered writes.
  void buffer_writes();
  void commit_writes();
  void discard_writes() noexcept { pending_.reset(); }

  world() = default;
  world(const world& o);
  world& operator=(const world& o);
  world(world&&) noexcept = default;
  world& operator=(world&&) noexcept = default;
  ~world();

  void set_service(std::string name, bool delegable) {
    services_ = services_.set(std::move(name), delegable);
  }
  void set_now(timestamp t) { now_ = t; }
  void set_limits(const struct limits& l) { limits_ = l; }
  // Entity groups (graph.hpp keeps them).
  [[nodiscard]] std::uint64_t next_group_id() { return ++group_counter_; }

 private:
  template <class T>
  void put(detail::pmap<std::string, ptr<T>>& m, std::string T::*key, T value,
           buffer<T> pending::*slot) {
    std::string k = value.*key;  // copied before the record is moved
    // Records come from the world's pools (detail/memory.hpp), like trie nodes.
    auto p = std::allocate_shared<const T>(detail::world_allocator<T>{}, std::move(value));
    if (pending_) {
      buffered(slot).insert_or_assign(std::move(k), std::move(p));
      return;
    }
    // Consuming set: nodes no other snapshot shares are updated in place.
    m = std::move(m).set(std::move(k), std::move(p));
  }
  template <class T>
  void erase(detail::pmap<std::string, ptr<T>>& m, std::string_view key, buffer<T> pending::*slot) {
    if (pending_)
      buffered(slot).insert_or_assign(std::string(key), nullptr);  // a tombstone
    else
      m = m.erase(key);
  }
  template <class T>
  buffer<T>& buffered(buffer<T> pending::*slot) {
    return (*pending_).*slot;
  }
  template <class T>
  const T* lookup(const detail::pmap<std::string, ptr<T>>& m, std::string_view key,
                  buffer<T> pending::*slot) const;

  detail::pmap<std::string, ptr<entity>> entities_;
  detail::pmap<std::string, ptr<account>> accounts_;
  detail::pmap<std::string, ptr<organization>> orgs_;
  detail::pmap<std::string, ptr<sharing_unit>> sharing_;
  detail::pmap<std::string, bool> services_;
  std::uint64_t group_counter_ = 0;
  timestamp now_{};
  struct limits limits_ {};
  std::unique_ptr<pending> pending_;
};

}  // namespace orggov
