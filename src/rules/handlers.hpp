// Internal: one handler per operation, one answer function per query.
#pragma once

#include <boost/json/object.hpp>

#include "rules/txn.hpp"

namespace orggov::detail {

void handle(txn& t, const ops::add_entity& op);
void handle(txn& t, const ops::set_entity_status& op);
void handle(txn& t, const ops::rename_entity& op);
void handle(txn& t, const ops::set_entity_kind& op);
void handle(txn& t, const ops::add_relation& op);
void handle(txn& t, const ops::remove_relation& op);
void handle(txn& t, const ops::add_account& op);
void handle(txn& t, const ops::set_verified& op);
void handle(txn& t, const ops::set_cash& op);
void handle(txn& t, const ops::create_organization& op);
void handle(txn& t, const ops::associate_entity& op);
void handle(txn& t, const ops::set_entity_admin& op);
void handle(txn& t, const ops::clear_entity_admin& op);
void handle(txn& t, const ops::create_member& op);
void handle(txn& t, const ops::invite_member& op);
void handle(txn& t, const ops::accept_invitation& op);
void handle(txn& t, const ops::request_to_join& op);
void handle(txn& t, const ops::approve_join_request& op);
void handle(txn& t, const ops::set_exit_allowed& op);
void handle(txn& t, const ops::leave_organization& op);
void handle(txn& t, const ops::remove_member& op);
void handle(txn& t, const ops::delete_member_account& op);
void handle(txn& t, const ops::delete_organization& op);
void handle(txn& t, const ops::set_payment_mode& op);
void handle(txn& t, const ops::can_view& op);
void handle(txn& t, const ops::set_discount_inheritance& op);
void handle(txn& t, const ops::set_billing_basis& op);
void handle(txn& t, const ops::authorize_consolidated_billing& op);
void handle(txn& t, const ops::create_bill_group& op);
void handle(txn& t, const ops::grant_special_permission& op);
void handle(txn& t, const ops::transfer_funds& op);
void handle(txn& t, const ops::return_funds& op);
void handle(txn& t, const ops::withdraw& op);
void handle(txn& t, const ops::set_credit_limit& op);
void handle(txn& t, const ops::create_login_permission& op);
void handle(txn& t, const ops::delete_login_permission& op);
void handle(txn& t, const ops::grant_login& op);
void handle(txn& t, const ops::create_sharing_unit& op);
void handle(txn& t, const ops::add_shared_resource& op);
void handle(txn& t, const ops::add_sharee& op);
void handle(txn& t, const ops::accept_share& op);
void handle(txn& t, const ops::leave_share& op);
void handle(txn& t, const ops::remove_sharee& op);
void handle(txn& t, const ops::delete_sharing_unit& op);
void handle(txn& t, const ops::enable_policy_type& op);
void handle(txn& t, const ops::disable_policy_type& op);
void handle(txn& t, const ops::create_policy& op);
void handle(txn& t, const ops::update_policy& op);
void handle(txn& t, const ops::delete_policy& op);
void handle(txn& t, const ops::attach_policy& op);
void handle(txn& t, const ops::detach_policy& op);
void handle(txn& t, const ops::create_unit& op);
void handle(txn& t, const ops::move_member& op);
void handle(txn& t, const ops::delete_unit& op);
void handle(txn& t, const ops::delegate_admin& op);
void handle(txn& t, const ops::remove_delegated_admin& op);
void handle(txn& t, const ops::enable_identity_center& op);
void handle(txn& t, const ops::create_identity_user& op);
void handle(txn& t, const ops::sync_identity_user& op);
void handle(txn& t, const ops::change_realname& op);
void handle(txn& t, const ops::replace_management_account& op);

boost::json::object answer(const world& w, const ops::can_view& q);
boost::json::object answer(const world& w, const ops::authorize& q);
boost::json::object answer(const world& w, const ops::explain& q);
boost::json::object answer(const world& w, const ops::bill_payer& q);
boost::json::object answer(const world& w, const ops::notification_recipient& q);
boost::json::object answer(const world& w, const ops::payment_sources& q);
boost::json::object answer(const world& w, const ops::discount_source& q);
boost::json::object answer(const world& w, const ops::can_login& q);
boost::json::object answer(const world& w, const ops::service_roles& q);
boost::json::object answer(const world& w, const ops::audit& q);
boost::json::object answer(const world& w, const ops::portal_accounts& q);
boost::json::object answer(const world& w, const ops::delegated_admin& q);
boost::json::object answer(const world& w, const ops::members& q);
boost::json::object answer(const world& w, const ops::balance& q);

}  // namespace orggov::detail
