// orggov/codes.hpp — every reason code orggov can give, in one table.
//
// A code is `operation.reason` in lower snake case (`join.already_in_org`).
// Codes are public API: hosts and scenario files match on them. Each has the
// agreement clause it comes from (empty where the rule is orggov's own, such as
// the `ref.*` codes).
//
//   orggov::code c = orggov::code::join_already_in_org;
//   fmt::print("{} ({})\n", orggov::name(c), orggov::clause(c));   // join.already_in_org
//   (2.2.2(1)) auto back = orggov::code_from_name("join.already_in_org");      //
//   std::optional<code>
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace orggov {

// X(enumerator, "name", "clause")
#define ORGGOV_CODES(X)                                                                        \
  X(ref_unknown_account, "ref.unknown_account", "")                                            \
  X(ref_unknown_entity, "ref.unknown_entity", "")                                              \
  X(ref_unknown_org, "ref.unknown_org", "")                                                    \
  X(ref_unknown_unit, "ref.unknown_unit", "")                                                  \
  X(ref_unknown_policy, "ref.unknown_policy", "")                                              \
  X(ref_unknown_sharing_unit, "ref.unknown_sharing_unit", "")                                  \
  X(ref_unknown_user, "ref.unknown_user", "")                                                  \
  X(ref_unknown_login_permission, "ref.unknown_login_permission", "")                          \
  X(ref_not_member, "ref.not_member", "")                                                      \
  X(ref_id_in_use, "ref.id_in_use", "")                                                        \
  X(actor_not_permitted, "actor.not_permitted", "")                                            \
  X(create_org_not_verified, "create_org.not_verified", "2.1.1")                               \
  X(create_org_entity_not_enterprise, "create_org.entity_not_enterprise", "2.1.1")             \
  X(create_org_entity_extinct, "create_org.entity_extinct", "2.1.1")                           \
  X(create_org_already_in_org, "create_org.already_in_org", "2.1.2")                           \
  X(associate_entity_not_enterprise, "associate.entity_not_enterprise", "2.2.2(3)")            \
  X(associate_entity_extinct, "associate.entity_extinct", "1.2.4")                             \
  X(associate_no_group_relation, "associate.no_group_relation", "2.2.2(4)")                    \
  X(associate_already_associated, "associate.already_associated", "1.2.4")                     \
  X(entity_admin_entity_not_associated, "entity_admin.entity_not_associated", "2.2.1")         \
  X(entity_admin_account_entity_mismatch, "entity_admin.account_entity_mismatch", "2.2.1")     \
  X(create_member_entity_not_in_org, "create_member.entity_not_in_org", "2.2.1")               \
  X(create_member_no_entity_admin, "create_member.no_entity_admin", "2.2.1")                   \
  X(create_member_entity_extinct, "create_member.entity_extinct", "2.2.1")                     \
  X(create_member_member_limit, "create_member.member_limit", "2.2")                           \
  X(join_already_member, "join.already_member", "2.2.2")                                       \
  X(join_already_in_org, "join.already_in_org", "2.2.2(1)")                                    \
  X(join_out_of_org_sharing, "join.out_of_org_sharing", "2.2.2(2)")                            \
  X(join_not_verified, "join.not_verified", "2.2.2(3)")                                        \
  X(join_entity_not_enterprise, "join.entity_not_enterprise", "2.2.2(3)")                      \
  X(join_entity_extinct, "join.entity_extinct", "2.2.2(3)")                                    \
  X(join_entity_not_in_org, "join.entity_not_in_org", "2.2.2(4)")                              \
  X(join_no_pending_invitation, "join.no_pending_invitation", "2.2.2")                         \
  X(join_no_pending_request, "join.no_pending_request", "2.2.2")                               \
  X(join_member_limit, "join.member_limit", "2.2")                                             \
  X(exit_not_allowed, "exit.not_allowed", "3.1, 4.2.1")                                        \
  X(exit_is_management_account, "exit.is_management_account", "4.2.1")                         \
  X(exit_created_by_org, "exit.created_by_org", "2.2.1, 4.2.2")                                \
  X(exit_pay_on_behalf_active, "exit.pay_on_behalf_active", "3.3.2")                           \
  X(exit_is_payer_for_others, "exit.is_payer_for_others", "3.3.2")                             \
  X(exit_is_entity_admin, "exit.is_entity_admin", "2.2.1")                                     \
  X(exit_is_delegated_admin, "exit.is_delegated_admin", "3.6.2")                               \
  X(remove_is_management_account, "remove.is_management_account", "4.2.2")                     \
  X(remove_is_payer_for_others, "remove.is_payer_for_others", "3.3.2")                         \
  X(remove_is_entity_admin, "remove.is_entity_admin", "2.2.1")                                 \
  X(remove_is_delegated_admin, "remove.is_delegated_admin", "3.6.2")                           \
  X(delete_account_not_created_by_org, "delete_account.not_created_by_org", "4.2.2")           \
  X(delete_org_has_members, "delete_org.has_members", "4.2.3(1)")                              \
  X(delete_org_sharing_in_progress, "delete_org.sharing_in_progress", "4.2.3(2)")              \
  X(payment_channel_customer_self_pay_only, "payment.channel_customer_self_pay_only", "3.3.1") \
  X(payment_payer_not_in_org, "payment.payer_not_in_org", "3.3.1")                             \
  X(payment_payer_not_capable, "payment.payer_not_capable", "3.3.1")                           \
  X(payment_payer_entity_mismatch, "payment.payer_entity_mismatch", "3.3.2")                   \
  X(payment_payer_is_member, "payment.payer_is_member", "3.3.2")                               \
  X(payment_payer_is_paid_for, "payment.payer_is_paid_for", "3.3.2")                           \
  X(payment_member_is_payer, "payment.member_is_payer", "3.3.2")                               \
  X(view_not_permitted, "view.not_permitted", "3.2.1-3.2.3")                                   \
  X(discount_cross_entity_needs_approval, "discount.cross_entity_needs_approval", "3.2.4")     \
  X(consolidated_basis_mismatch, "consolidated.basis_mismatch", "3.2.5")                       \
  X(consolidated_not_authorized, "consolidated.not_authorized", "3.2.5")                       \
  X(funds_permission_not_granted, "funds.permission_not_granted", "3.2.6")                     \
  X(funds_entity_mismatch, "funds.entity_mismatch", "3.2.6")                                   \
  X(funds_insufficient_balance, "funds.insufficient_balance", "3.2.6")                         \
  X(funds_invalid_amount, "funds.invalid_amount", "3.2.6")                                     \
  X(funds_exceeds_transferred_balance, "funds.exceeds_transferred_balance", "3.2.6")           \
  X(funds_transferred_not_withdrawable, "funds.transferred_not_withdrawable", "3.2.6")         \
  X(credit_permission_not_granted, "credit.permission_not_granted", "3.2.8")                   \
  X(login_limit_exceeded, "login.limit_exceeded", "3.4.1")                                     \
  X(login_duplicate_name, "login.duplicate_name", "3.4.1")                                     \
  X(login_builtin_admin, "login.builtin_admin", "3.4.2")                                       \
  X(login_not_management_sub_account, "login.not_management_sub_account", "3.4.3")             \
  X(share_owner_not_in_org, "share.owner_not_in_org", "3.6.1")                                 \
  X(share_sharee_not_in_org, "share.sharee_not_in_org", "3.6.1")                               \
  X(share_sharee_in_org, "share.sharee_in_org", "3.6.1")                                       \
  X(share_sharee_in_other_org, "share.sharee_in_other_org", "3.6.1")                           \
  X(share_sharee_entity_mismatch, "share.sharee_entity_mismatch", "3.6.1")                     \
  X(share_single_sharee, "share.single_sharee", "3.6.1")                                       \
  X(share_not_pending, "share.not_pending", "3.6.1")                                           \
  X(share_in_org_cannot_leave, "share.in_org_cannot_leave", "3.6.1")                           \
  X(share_resource_blocks_exit, "share.resource_blocks_exit", "3.6.1")                         \
  X(share_not_owner, "share.not_owner", "3.6.1")                                               \
  X(policy_type_already_enabled, "policy.type_already_enabled", "3.5")                         \
  X(policy_type_not_enabled, "policy.type_not_enabled", "3.5")                                 \
  X(policy_invalid, "policy.invalid", "3.5")                                                   \
  X(policy_too_long, "policy.too_long", "3.5")                                                 \
  X(policy_duplicate_name, "policy.duplicate_name", "3.5")                                     \
  X(policy_limit_exceeded, "policy.limit_exceeded", "3.5")                                     \
  X(policy_system_policy, "policy.system_policy", "3.5")                                       \
  X(policy_attached, "policy.attached", "3.5")                                                 \
  X(policy_attachment_limit, "policy.attachment_limit", "3.5")                                 \
  X(policy_already_attached, "policy.already_attached", "3.5")                                 \
  X(policy_not_attached, "policy.not_attached", "3.5")                                         \
  X(policy_detach_last, "policy.detach_last", "3.5")                                           \
  X(unit_depth_exceeded, "unit.depth_exceeded", "1.2")                                         \
  X(unit_duplicate_name, "unit.duplicate_name", "1.2")                                         \
  X(unit_is_root, "unit.is_root", "1.2")                                                       \
  X(unit_not_empty, "unit.not_empty", "1.2")                                                   \
  X(delegate_not_member, "delegate.not_member", "3.6.2")                                       \
  X(delegate_service_not_delegable, "delegate.service_not_delegable", "3.6.2")                 \
  X(identity_not_enabled, "identity.not_enabled", "3.7")                                       \
  X(identity_not_member, "identity.not_member", "3.7.2")                                       \
  X(realname_entity_not_enterprise, "realname.entity_not_enterprise", "4.1.4(2)")              \
  X(realname_pay_on_behalf_active, "realname.pay_on_behalf_active", "4.1.4(3)")                \
  X(realname_is_payer_for_others, "realname.is_payer_for_others", "3.3.2")                     \
  X(realname_entity_not_in_org, "realname.entity_not_in_org", "4.1.4(4)")                      \
  X(realname_out_of_org_sharing, "realname.out_of_org_sharing", "4.1.3, 4.1.4(5)")             \
  X(replace_mgmt_not_extinct, "replace_mgmt.not_extinct", "4.2.5")                             \
  X(replace_mgmt_not_approved, "replace_mgmt.not_approved", "4.2.5")                           \
  X(replace_mgmt_not_member, "replace_mgmt.not_member", "4.2.5")                               \
  X(replace_mgmt_entity_not_enterprise, "replace_mgmt.entity_not_enterprise", "4.2.5")         \
  X(audit_member_entity_extinct, "audit.member_entity_extinct", "4.2.4")                       \
  X(audit_member_entity_not_in_group, "audit.member_entity_not_in_group", "4.2.4")             \
  X(audit_member_ineligible, "audit.member_ineligible", "4.2.4")                               \
  X(audit_pay_on_behalf_entity_mismatch, "audit.pay_on_behalf_entity_mismatch", "3.3.2")       \
  X(audit_management_entity_extinct, "audit.management_entity_extinct", "4.2.5")

enum class code : std::uint16_t {
#define ORGGOV_X(e, n, c) e,
  ORGGOV_CODES(ORGGOV_X)
#undef ORGGOV_X
};

/// Number of codes in the table.
inline constexpr std::size_t code_count = 0
#define ORGGOV_X(e, n, c) +1
    ORGGOV_CODES(ORGGOV_X)
#undef ORGGOV_X
    ;

/// The stable name, e.g. `join.already_in_org`.
[[nodiscard]] std::string_view name(code c) noexcept;
/// The agreement clause behind the code; empty for orggov's own codes.
[[nodiscard]] std::string_view clause(code c) noexcept;
/// The code with that name, if any.
[[nodiscard]] std::optional<code> code_from_name(std::string_view n) noexcept;
/// True for the `ref.*` codes, which suppress every other code.
[[nodiscard]] constexpr bool is_reference_code(code c) noexcept {
  return c <= code::ref_id_in_use;
}

}  // namespace orggov
