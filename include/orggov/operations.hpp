// orggov/operations.hpp — one struct per operation and per query.
//
// Every operation and query of operations.md is a plain struct whose members
// are its JSON fields (described with Boost.Describe, so the JSON reader in
// io/json.hpp needs no hand-written code per operation). Optional fields are
// `std::optional`; the defaults of operations.md are applied by the engine.
// `operation` and `query` are variants over them.
//
//   orggov::ops::invite_member op{.org = "o1", .account = "100002"};
//   orggov::decision d = engine.check(world, op);          // engine.hpp
//   auto parsed = orggov::parse_operation(json, "/steps/3/do");   // io/json.hpp
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "orggov/error.hpp"
#include "orggov/time.hpp"
#include "orggov/world.hpp"

namespace orggov {

enum class payment_mode : std::uint8_t { self_pay, pay_on_behalf };
enum class view_what : std::uint8_t { bills, balance, cost };
enum class special_permission : std::uint8_t {
  fund_transfer,
  credit_limit,
  pay_on_behalf,
  finance_custody
};
enum class notification_kind : std::uint8_t { arrears, expiry };
enum class principal_type : std::uint8_t { user, service_linked_role };
BOOST_DESCRIBE_ENUM(payment_mode, self_pay, pay_on_behalf)
BOOST_DESCRIBE_ENUM(view_what, bills, balance, cost)
BOOST_DESCRIBE_ENUM(special_permission, fund_transfer, credit_limit, pay_on_behalf, finance_custody)
BOOST_DESCRIBE_ENUM(notification_kind, arrears, expiry)
BOOST_DESCRIBE_ENUM(principal_type, user, service_linked_role)

/// An amount of money in cents. JSON gives any number with an integral
/// value; one outside the 64-bit signed range is kept as `std::nullopt`, so
/// that the rule `funds.invalid_amount` (not an input error) can refuse it.
struct cents {
  std::optional<std::int64_t> value{};
};

/// An SCP attachment target: `root`, `unit:<id>` or `account:<uin>`.
struct target_ref {
  enum class kind : std::uint8_t { root, unit, account };
  enum kind kind = kind::root;
  std::string id;  // unit id or uin; empty for root
  /// The canonical text (`unit:root` is written `root`).
  [[nodiscard]] std::string text() const;
};

/// A sub-account written `<uin>/<id>`.
struct sub_account_ref {
  std::string uin{};
  std::string id{};
  [[nodiscard]] std::string text() const { return uin + "/" + id; }
};

namespace ops {

struct can_view {
  static constexpr std::string_view op_name = "can_view";
  std::string viewer{};
  std::string subject{};
  view_what what{};
};
BOOST_DESCRIBE_STRUCT(can_view, (), (viewer, subject, what))

struct add_entity {
  static constexpr std::string_view op_name = "add_entity";
  std::string entity{};
  std::string name{};
  entity_kind kind{};
  std::optional<entity_status> status{};
};
BOOST_DESCRIBE_STRUCT(add_entity, (), (entity, name, kind, status))

struct set_entity_status {
  static constexpr std::string_view op_name = "set_entity_status";
  std::string entity{};
  entity_status status{};
};
BOOST_DESCRIBE_STRUCT(set_entity_status, (), (entity, status))

struct rename_entity {
  static constexpr std::string_view op_name = "rename_entity";
  std::string entity{};
  std::string name{};
};
BOOST_DESCRIBE_STRUCT(rename_entity, (), (entity, name))

struct set_entity_kind {
  static constexpr std::string_view op_name = "set_entity_kind";
  std::string entity{};
  entity_kind kind{};
};
BOOST_DESCRIBE_STRUCT(set_entity_kind, (), (entity, kind))

struct add_relation {
  static constexpr std::string_view op_name = "add_relation";
  std::string from{};
  std::string to{};
  relation_kind kind{};
  std::optional<bool> evidenced{};
};
BOOST_DESCRIBE_STRUCT(add_relation, (), (from, to, kind, evidenced))

struct remove_relation {
  static constexpr std::string_view op_name = "remove_relation";
  std::string from{};
  std::string to{};
  relation_kind kind{};
};
BOOST_DESCRIBE_STRUCT(remove_relation, (), (from, to, kind))

struct add_account {
  static constexpr std::string_view op_name = "add_account";
  std::string account{};
  std::string entity{};
  std::optional<bool> verified{};
  std::optional<bool> channel_customer{};
  std::optional<std::int64_t> cash{};
  std::optional<std::vector<sub_account>> sub_accounts{};
};
BOOST_DESCRIBE_STRUCT(add_account, (),
                      (account, entity, verified, channel_customer, cash, sub_accounts))

struct set_verified {
  static constexpr std::string_view op_name = "set_verified";
  std::string account{};
  bool verified{};
};
BOOST_DESCRIBE_STRUCT(set_verified, (), (account, verified))

struct set_cash {
  static constexpr std::string_view op_name = "set_cash";
  std::string account{};
  std::int64_t cash{};
};
BOOST_DESCRIBE_STRUCT(set_cash, (), (account, cash))

struct create_organization {
  static constexpr std::string_view op_name = "create_organization";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_organization, (), (org, account, actor))

struct associate_entity {
  static constexpr std::string_view op_name = "associate_entity";
  std::string org{};
  std::string entity{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(associate_entity, (), (org, entity, actor))

struct set_entity_admin {
  static constexpr std::string_view op_name = "set_entity_admin";
  std::string org{};
  std::string entity{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(set_entity_admin, (), (org, entity, account, actor))

struct clear_entity_admin {
  static constexpr std::string_view op_name = "clear_entity_admin";
  std::string org{};
  std::string entity{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(clear_entity_admin, (), (org, entity, actor))

struct create_member {
  static constexpr std::string_view op_name = "create_member";
  std::string org{};
  std::string entity{};
  std::string account{};
  std::optional<std::string> unit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_member, (), (org, entity, account, unit, actor))

struct invite_member {
  static constexpr std::string_view op_name = "invite_member";
  std::string org{};
  std::string account{};
  std::optional<std::string> unit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(invite_member, (), (org, account, unit, actor))

struct accept_invitation {
  static constexpr std::string_view op_name = "accept_invitation";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(accept_invitation, (), (org, account, actor))

struct request_to_join {
  static constexpr std::string_view op_name = "request_to_join";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(request_to_join, (), (org, account, actor))

struct approve_join_request {
  static constexpr std::string_view op_name = "approve_join_request";
  std::string org{};
  std::string account{};
  std::optional<std::string> unit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(approve_join_request, (), (org, account, unit, actor))

struct set_exit_allowed {
  static constexpr std::string_view op_name = "set_exit_allowed";
  std::string org{};
  std::string account{};
  bool allowed{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(set_exit_allowed, (), (org, account, allowed, actor))

struct leave_organization {
  static constexpr std::string_view op_name = "leave_organization";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(leave_organization, (), (org, account, actor))

struct remove_member {
  static constexpr std::string_view op_name = "remove_member";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(remove_member, (), (org, account, actor))

struct delete_member_account {
  static constexpr std::string_view op_name = "delete_member_account";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delete_member_account, (), (org, account, actor))

struct delete_organization {
  static constexpr std::string_view op_name = "delete_organization";
  std::string org{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delete_organization, (), (org, actor))

struct set_payment_mode {
  static constexpr std::string_view op_name = "set_payment_mode";
  std::string org{};
  std::string account{};
  payment_mode mode{};
  std::optional<std::string> payer{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(set_payment_mode, (), (org, account, mode, payer, actor))

struct set_discount_inheritance {
  static constexpr std::string_view op_name = "set_discount_inheritance";
  std::string org{};
  std::string account{};
  bool enabled{};
  std::optional<bool> approved{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(set_discount_inheritance, (), (org, account, enabled, approved, actor))

struct set_billing_basis {
  static constexpr std::string_view op_name = "set_billing_basis";
  std::string account{};
  billing_basis basis{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(set_billing_basis, (), (account, basis, actor))

struct authorize_consolidated_billing {
  static constexpr std::string_view op_name = "authorize_consolidated_billing";
  std::string org{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(authorize_consolidated_billing, (), (org, account, actor))

struct create_bill_group {
  static constexpr std::string_view op_name = "create_bill_group";
  std::string org{};
  std::string group{};
  std::vector<std::string> members{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_bill_group, (), (org, group, members, actor))

struct grant_special_permission {
  static constexpr std::string_view op_name = "grant_special_permission";
  std::string org{};
  special_permission permission{};
  std::optional<std::string> account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(grant_special_permission, (), (org, permission, account, actor))

struct transfer_funds {
  static constexpr std::string_view op_name = "transfer_funds";
  std::string org{};
  std::string to{};
  cents amount{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(transfer_funds, (), (org, to, amount, actor))

struct return_funds {
  static constexpr std::string_view op_name = "return_funds";
  std::string org{};
  std::string from{};
  cents amount{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(return_funds, (), (org, from, amount, actor))

struct withdraw {
  static constexpr std::string_view op_name = "withdraw";
  std::string account{};
  cents amount{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(withdraw, (), (account, amount, actor))

struct set_credit_limit {
  static constexpr std::string_view op_name = "set_credit_limit";
  std::string org{};
  std::string account{};
  cents amount{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(set_credit_limit, (), (org, account, amount, actor))

struct create_login_permission {
  static constexpr std::string_view op_name = "create_login_permission";
  std::string org{};
  std::string account{};
  std::string name{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_login_permission, (), (org, account, name, actor))

struct delete_login_permission {
  static constexpr std::string_view op_name = "delete_login_permission";
  std::string org{};
  std::string account{};
  std::string name{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delete_login_permission, (), (org, account, name, actor))

struct grant_login {
  static constexpr std::string_view op_name = "grant_login";
  std::string org{};
  std::string account{};
  std::string permission{};
  sub_account_ref sub_account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(grant_login, (), (org, account, permission, sub_account, actor))

struct create_sharing_unit {
  static constexpr std::string_view op_name = "create_sharing_unit";
  std::string sharing_unit{};
  std::string owner{};
  sharing_scope scope{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_sharing_unit, (), (sharing_unit, owner, scope, actor))

struct add_shared_resource {
  static constexpr std::string_view op_name = "add_shared_resource";
  std::string sharing_unit{};
  std::string resource{};
  bool supports_exit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(add_shared_resource, (), (sharing_unit, resource, supports_exit, actor))

struct add_sharee {
  static constexpr std::string_view op_name = "add_sharee";
  std::string sharing_unit{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(add_sharee, (), (sharing_unit, account, actor))

struct accept_share {
  static constexpr std::string_view op_name = "accept_share";
  std::string sharing_unit{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(accept_share, (), (sharing_unit, account, actor))

struct leave_share {
  static constexpr std::string_view op_name = "leave_share";
  std::string sharing_unit{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(leave_share, (), (sharing_unit, account, actor))

struct remove_sharee {
  static constexpr std::string_view op_name = "remove_sharee";
  std::string sharing_unit{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(remove_sharee, (), (sharing_unit, account, actor))

struct delete_sharing_unit {
  static constexpr std::string_view op_name = "delete_sharing_unit";
  std::string sharing_unit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delete_sharing_unit, (), (sharing_unit, actor))

struct enable_policy_type {
  static constexpr std::string_view op_name = "enable_policy_type";
  std::string org{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(enable_policy_type, (), (org, actor))

struct disable_policy_type {
  static constexpr std::string_view op_name = "disable_policy_type";
  std::string org{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(disable_policy_type, (), (org, actor))

struct create_policy {
  static constexpr std::string_view op_name = "create_policy";
  std::string org{};
  std::string policy{};
  std::string name{};
  boost::json::value document{};
  std::optional<std::string> actor{};
  /// Not a JSON field: duplicate keys that a strict JSON reader dropped inside an
  /// object `document` (pointers relative to the document). Each is a
  /// `policy.invalid` finding, as it would be for a document given as text.
  std::vector<input_error> document_problems{};
};
BOOST_DESCRIBE_STRUCT(create_policy, (), (org, policy, name, document, actor))

struct update_policy {
  static constexpr std::string_view op_name = "update_policy";
  std::string org{};
  std::string policy{};
  boost::json::value document{};
  std::optional<std::string> actor{};
  /// Not a JSON field: duplicate keys that a strict JSON reader dropped inside an
  /// object `document` (pointers relative to the document). Each is a
  /// `policy.invalid` finding, as it would be for a document given as text.
  std::vector<input_error> document_problems{};
};
BOOST_DESCRIBE_STRUCT(update_policy, (), (org, policy, document, actor))

struct delete_policy {
  static constexpr std::string_view op_name = "delete_policy";
  std::string org{};
  std::string policy{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delete_policy, (), (org, policy, actor))

struct attach_policy {
  static constexpr std::string_view op_name = "attach_policy";
  std::string org{};
  std::string policy{};
  target_ref target{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(attach_policy, (), (org, policy, target, actor))

struct detach_policy {
  static constexpr std::string_view op_name = "detach_policy";
  std::string org{};
  std::string policy{};
  target_ref target{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(detach_policy, (), (org, policy, target, actor))

struct create_unit {
  static constexpr std::string_view op_name = "create_unit";
  std::string org{};
  std::string unit{};
  std::string parent{};
  std::string name{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_unit, (), (org, unit, parent, name, actor))

struct move_member {
  static constexpr std::string_view op_name = "move_member";
  std::string org{};
  std::string account{};
  std::string unit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(move_member, (), (org, account, unit, actor))

struct delete_unit {
  static constexpr std::string_view op_name = "delete_unit";
  std::string org{};
  std::string unit{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delete_unit, (), (org, unit, actor))

struct delegate_admin {
  static constexpr std::string_view op_name = "delegate_admin";
  std::string org{};
  std::string service{};
  std::string account{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(delegate_admin, (), (org, service, account, actor))

struct remove_delegated_admin {
  static constexpr std::string_view op_name = "remove_delegated_admin";
  std::string org{};
  std::string service{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(remove_delegated_admin, (), (org, service, actor))

struct enable_identity_center {
  static constexpr std::string_view op_name = "enable_identity_center";
  std::string org{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(enable_identity_center, (), (org, actor))

struct create_identity_user {
  static constexpr std::string_view op_name = "create_identity_user";
  std::string org{};
  std::string user{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(create_identity_user, (), (org, user, actor))

struct sync_identity_user {
  static constexpr std::string_view op_name = "sync_identity_user";
  std::string org{};
  std::string user{};
  std::string account{};
  sync_kind as{};
  std::optional<std::vector<std::string>> permissions{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(sync_identity_user, (), (org, user, account, as, permissions, actor))

struct change_realname {
  static constexpr std::string_view op_name = "change_realname";
  std::string account{};
  std::string entity{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(change_realname, (), (account, entity, actor))

struct replace_management_account {
  static constexpr std::string_view op_name = "replace_management_account";
  std::string org{};
  std::string account{};
  std::optional<bool> approved{};
  std::optional<std::string> actor{};
};
BOOST_DESCRIBE_STRUCT(replace_management_account, (), (org, account, approved, actor))

// queries

struct authorize {
  static constexpr std::string_view op_name = "authorize";
  std::string account{};
  std::string action{};
  std::string resource{};
  std::optional<boost::json::object> context{};
  std::optional<::orggov::principal_type> principal_type{};
};
BOOST_DESCRIBE_STRUCT(authorize, (), (account, action, resource, context, principal_type))

struct explain {
  static constexpr std::string_view op_name = "explain";
  std::string account{};
  std::string action{};
  std::string resource{};
  std::optional<boost::json::object> context{};
  std::optional<::orggov::principal_type> principal_type{};
};
BOOST_DESCRIBE_STRUCT(explain, (), (account, action, resource, context, principal_type))

struct bill_payer {
  static constexpr std::string_view op_name = "bill_payer";
  std::string account{};
  timestamp period_start{};
  timestamp period_end{};
};
BOOST_DESCRIBE_STRUCT(bill_payer, (), (account, period_start, period_end))

// `as_of` (optional, an addition to operations.md): the instant whose state
// answers; a change at exactly `as_of` is in force. Omitted: the world's
// clock, i.e. the current state. (Not `at`: every request's `at` is the
// step's time and moves the clock.)

struct notification_recipient {
  static constexpr std::string_view op_name = "notification_recipient";
  std::string account{};
  notification_kind kind{};
  std::optional<timestamp> as_of{};
};
BOOST_DESCRIBE_STRUCT(notification_recipient, (), (account, kind, as_of))

struct payment_sources {
  static constexpr std::string_view op_name = "payment_sources";
  std::string account{};
  std::optional<timestamp> as_of{};
};
BOOST_DESCRIBE_STRUCT(payment_sources, (), (account, as_of))

struct discount_source {
  static constexpr std::string_view op_name = "discount_source";
  std::string account{};
  std::optional<timestamp> as_of{};
};
BOOST_DESCRIBE_STRUCT(discount_source, (), (account, as_of))

struct can_login {
  static constexpr std::string_view op_name = "can_login";
  sub_account_ref sub_account{};
  std::string account{};
};
BOOST_DESCRIBE_STRUCT(can_login, (), (sub_account, account))

struct service_roles {
  static constexpr std::string_view op_name = "service_roles";
  std::string account{};
};
BOOST_DESCRIBE_STRUCT(service_roles, (), (account))

struct audit {
  static constexpr std::string_view op_name = "audit";
  std::string org{};
};
BOOST_DESCRIBE_STRUCT(audit, (), (org))

struct portal_accounts {
  static constexpr std::string_view op_name = "portal_accounts";
  std::string org{};
  std::string user{};
};
BOOST_DESCRIBE_STRUCT(portal_accounts, (), (org, user))

struct delegated_admin {
  static constexpr std::string_view op_name = "delegated_admin";
  std::string org{};
  std::string service{};
};
BOOST_DESCRIBE_STRUCT(delegated_admin, (), (org, service))

struct members {
  static constexpr std::string_view op_name = "members";
  std::string org{};
};
BOOST_DESCRIBE_STRUCT(members, (), (org))

struct balance {
  static constexpr std::string_view op_name = "balance";
  std::string account{};
};
BOOST_DESCRIBE_STRUCT(balance, (), (account))

using operation = std::variant<
    add_entity, set_entity_status, rename_entity, set_entity_kind, add_relation, remove_relation,
    add_account, set_verified, set_cash, create_organization, associate_entity, set_entity_admin,
    clear_entity_admin, create_member, invite_member, accept_invitation, request_to_join,
    approve_join_request, set_exit_allowed, leave_organization, remove_member,
    delete_member_account, delete_organization, set_payment_mode, can_view,
    set_discount_inheritance, set_billing_basis, authorize_consolidated_billing, create_bill_group,
    grant_special_permission, transfer_funds, return_funds, withdraw, set_credit_limit,
    create_login_permission, delete_login_permission, grant_login, create_sharing_unit,
    add_shared_resource, add_sharee, accept_share, leave_share, remove_sharee, delete_sharing_unit,
    enable_policy_type, disable_policy_type, create_policy, update_policy, delete_policy,
    attach_policy, detach_policy, create_unit, move_member, delete_unit, delegate_admin,
    remove_delegated_admin, enable_identity_center, create_identity_user, sync_identity_user,
    change_realname, replace_management_account>;

using query = std::variant<can_view, authorize, explain, bill_payer, notification_recipient,
                           payment_sources, discount_source, can_login, service_roles, audit,
                           portal_accounts, delegated_admin, members, balance>;

}  // namespace ops

using ops::operation;
using ops::query;

/// The name of an operation or query, as its `op` field spells it.
[[nodiscard]] std::string_view op_name(const operation& op) noexcept;
[[nodiscard]] std::string_view op_name(const query& q) noexcept;

}  // namespace orggov
