// Payment modes (§6, 3.3) and finance (§7, 3.2).
#include <limits>

#include "rules/handlers.hpp"

namespace orggov::detail {

namespace {
constexpr std::int64_t max_cents = std::numeric_limits<std::int64_t>::max();

// Records `funds.invalid_amount` unless `amount` lies in [min, max_cents] and
// `balance + amount` stays within 64 bits. Returns the amount when valid.
std::optional<std::int64_t> valid_amount(txn& t, const cents& amount, std::int64_t min,
                                         std::int64_t balance) {
  if (!amount.value || *amount.value < min || *amount.value > max_cents - balance) {
    t.fail(code::funds_invalid_amount, {},
           "amounts are whole cents from {} up to 2^63-1, and no balance may exceed 2^63-1", min);
    return std::nullopt;
  }
  return amount.value;
}

const member* member_or_ref(txn& t, const organization* o, const std::string& uin) {
  return t.member_of(o, t.acct(uin));
}

void put_member(organization& o, member m) {
  std::string uin = m.uin;
  o.members = o.members.set(uin, std::make_shared<const member>(std::move(m)));
}
}  // namespace

void handle(txn& t, const ops::set_payment_mode& op) {
  const organization* o = t.org(op.org);
  const member* m = member_or_ref(t, o, op.account);
  const account* payer = op.payer ? t.acct(*op.payer) : nullptr;
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const account* a = t.w.find_account(op.account);
  if (op.mode == payment_mode::self_pay) {
    if (m->payer.empty()) return;
    const std::string old = m->payer;
    organization oc = *o;
    member mc = *m;
    mc.payer.clear();
    put_member(oc, std::move(mc));
    t.put(std::move(oc));
    record_payer(t, op.account, "");
    t.effect("self_pay", {op.account, old}, "account {} pays its own bills from this period",
             op.account);
    return;
  }
  const std::string& p = payer->uin;
  const account* mgmt = t.w.find_account(o->management);
  if (mgmt->channel_customer)
    t.fail(code::payment_channel_customer_self_pay_only, {o->management},
           "the management account {} is a channel customer: self-pay only", o->management);
  const member* pm = o->find_member(p);
  if (p != o->management && !pm)
    t.fail(code::payment_payer_not_in_org, {p, o->id},
           "payer {} is neither the management account nor a member of organization {}", p, o->id);
  if (pm && !pm->pay_on_behalf)
    t.fail(code::payment_payer_not_capable, {p},
           "member {} does not hold the pay-on-behalf permission", p);
  if (payer->entity != a->entity)
    t.fail(code::payment_payer_entity_mismatch, {p, op.account},
           "payer {} (entity {}) and account {} (entity {}) have different entities", p,
           payer->entity, op.account, a->entity);
  if (p == op.account)
    t.fail(code::payment_payer_is_member, {p}, "account {} cannot pay on behalf of itself", p);
  if (pm && !pm->payer.empty())
    t.fail(code::payment_payer_is_paid_for, {p, pm->payer},
           "payer {} is itself paid for by {}: no chains", p, pm->payer);
  if (!paid_for_by(*o, op.account).empty())
    t.fail(code::payment_member_is_payer, {op.account},
           "account {} pays on behalf of others and cannot itself be paid for: no chains",
           op.account);
  if (t.failed() || m->payer == p) return;
  organization oc = *o;
  member mc = *m;
  mc.payer = p;
  put_member(oc, std::move(mc));
  t.put(std::move(oc));
  record_payer(t, op.account, p);
  t.effect("pay_on_behalf", {op.account, p}, "account {} pays the bills of {} from this period", p,
           op.account);
}

void handle(txn& t, const ops::can_view& op) {
  const account* viewer = t.acct(op.viewer);
  const account* subject = t.acct(op.subject);
  if (t.refs_failed()) return;
  const organization* o = t.w.org_of(subject->uin);
  const bool mgmt_of_member =
      o && o->management == viewer->uin && o->members.contains(subject->uin);
  if (viewer->uin != subject->uin && !mgmt_of_member)
    t.fail(code::view_not_permitted, {op.viewer, op.subject},
           "account {} may not view the {} of {}", op.viewer,
           op.what == view_what::bills     ? "bills"
           : op.what == view_what::balance ? "balance"
                                           : "cost analysis",
           op.subject);
}

void handle(txn& t, const ops::set_discount_inheritance& op) {
  const organization* o = t.org(op.org);
  const member* m = member_or_ref(t, o, op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const account* a = t.w.find_account(op.account);
  const account* mgmt = t.w.find_account(o->management);
  if (op.enabled && a->entity != mgmt->entity && !op.approved.value_or(false))
    t.fail(code::discount_cross_entity_needs_approval, {op.account, a->entity},
           "account {} has another entity ({}) than the management account: discount inheritance "
           "needs the provider's approval",
           op.account, a->entity);
  if (t.failed() || m->discount_inherited == op.enabled) return;
  const std::string from = op.enabled ? o->management : std::string();
  organization oc = *o;
  member mc = *m;
  mc.discount_inherited = op.enabled;
  put_member(oc, std::move(mc));
  t.put(std::move(oc));
  record_discount(t, op.account, from);
  t.effect(op.enabled ? "discount_inheritance_on" : "discount_inheritance_off", {op.account},
           "discount inheritance of account {} {}", op.account, op.enabled ? "on" : "off");
}

void handle(txn& t, const ops::set_billing_basis& op) {
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  if (a->basis == op.basis) return;
  account ac = *a;
  ac.basis = op.basis;
  t.put(std::move(ac));
  t.effect("billing_basis_set", {op.account}, "billing basis of account {} set to {}", op.account,
           op.basis == billing_basis::billing ? "billing" : "deduction");
}

void handle(txn& t, const ops::authorize_consolidated_billing& op) {
  const organization* o = t.org(op.org);
  const member* m = member_or_ref(t, o, op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  if (m->consolidated_consent) return;
  organization oc = *o;
  member mc = *m;
  mc.consolidated_consent = true;
  put_member(oc, std::move(mc));
  t.put(std::move(oc));
  t.effect("consolidated_billing_authorized", {op.account},
           "account {} authorizes consolidated billing", op.account);
}

void handle(txn& t, const ops::create_bill_group& op) {
  const organization* o = t.org(op.org);
  if (o) t.id_in_use(o->bill_groups.contains(op.group), "bill group", op.group);
  for (const auto& uin : op.members) {
    const account* a = t.acct(uin);
    if (o && a && o->management != uin) t.member_of(o, a);
  }
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  std::optional<billing_basis> first;
  bool mismatch = false;
  for (const auto& uin : op.members) {
    const account* a = t.w.find_account(uin);
    const member* m = o->find_member(uin);
    if (!m || !m->consolidated_consent)
      t.fail(code::consolidated_not_authorized, {uin},
             "account {} has not authorized consolidated billing{}", uin,
             m ? "" : " (the management account cannot be in a bill group)");
    if (!a->basis || (first && *first != *a->basis)) mismatch = true;
    if (!first) first = a->basis;
  }
  if (op.members.size() >= 2 && mismatch)
    t.fail(code::consolidated_basis_mismatch, {op.group},
           "members of bill group {} must all have the same billing basis", op.group);
  if (t.failed()) return;
  organization oc = *o;
  oc.bill_groups = oc.bill_groups.set(op.group, op.members);
  t.put(std::move(oc));
  t.effect("bill_group_created", {op.group}, "bill group {} created with {} member(s)", op.group,
           op.members.size());
}

void handle(txn& t, const ops::grant_special_permission& op) {
  const organization* o = t.org(op.org);
  const member* m = op.account ? member_or_ref(t, o, *op.account) : nullptr;
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  organization oc = *o;
  if (op.permission == special_permission::credit_limit) {
    if (o->credit_limit_permission) return;
    oc.credit_limit_permission = true;
  } else {
    member mc = *m;
    bool& flag = op.permission == special_permission::fund_transfer   ? mc.fund_transfer
                 : op.permission == special_permission::pay_on_behalf ? mc.pay_on_behalf
                                                                      : mc.finance_custody;
    if (flag) return;
    flag = true;
    put_member(oc, std::move(mc));
  }
  t.put(std::move(oc));
  t.effect("special_permission_granted", {op.account.value_or(op.org)},
           "special permission granted to {}", op.account.value_or("organization " + op.org));
}

void handle(txn& t, const ops::transfer_funds& op) {
  const organization* o = t.org(op.org);
  const member* m = member_or_ref(t, o, op.to);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management})) return;
  const account* to = t.w.find_account(op.to);
  const account* mgmt = t.w.find_account(o->management);
  auto amount = valid_amount(t, op.amount, 1, to->transferred);
  if (!m->fund_transfer)
    t.fail(code::funds_permission_not_granted, {op.to},
           "fund transfer to {} is a special permission not granted", op.to);
  if (to->entity != mgmt->entity)
    t.fail(code::funds_entity_mismatch, {op.to, to->entity},
           "funds go only to members of the management entity {}", mgmt->entity);
  if (amount && mgmt->cash < *amount)
    t.fail(code::funds_insufficient_balance, {o->management},
           "the management account's cash {} does not cover {}", mgmt->cash, *amount);
  if (t.failed()) return;
  account mc = *mgmt;
  mc.cash -= *amount;
  t.put(std::move(mc));
  account tc = *to;
  tc.transferred += *amount;
  t.put(std::move(tc));
  t.effect("funds_transferred", {o->management, op.to}, "{} cents transferred from {} to {}",
           *amount, o->management, op.to);
}

void handle(txn& t, const ops::return_funds& op) {
  const organization* o = t.org(op.org);
  member_or_ref(t, o, op.from);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {o->management, op.from})) return;
  const account* from = t.w.find_account(op.from);
  const account* mgmt = t.w.find_account(o->management);
  auto amount = valid_amount(t, op.amount, 1, mgmt->cash);
  if (amount && *amount > from->transferred)
    t.fail(code::funds_exceeds_transferred_balance, {op.from},
           "account {} holds {} cents of unconsumed transferred funds, less than {}", op.from,
           from->transferred, *amount);
  if (t.failed()) return;
  account fc = *from;
  fc.transferred -= *amount;
  t.put(std::move(fc));
  account mc = t.acct_copy(o->management);
  mc.cash += *amount;
  t.put(std::move(mc));
  t.effect("funds_returned", {op.from, o->management}, "{} cents returned from {} to {}", *amount,
           op.from, o->management);
}

void handle(txn& t, const ops::withdraw& op) {
  const account* a = t.acct(op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed() || !t.actor_ok(op.actor, {op.account})) return;
  auto amount = valid_amount(t, op.amount, 1, 0);
  if (amount && *amount > a->cash) {
    // own cash + transferred may exceed 64 bits: compare without adding.
    if (*amount - a->cash <= a->transferred)
      t.fail(code::funds_transferred_not_withdrawable, {op.account},
             "only own cash ({} cents) can be withdrawn, not transferred funds", a->cash);
    else
      t.fail(code::funds_insufficient_balance, {op.account},
             "account {} holds {} cents of cash, less than {}", op.account, a->cash, *amount);
  }
  if (t.failed()) return;
  account ac = *a;
  ac.cash -= *amount;
  t.put(std::move(ac));
  t.effect("withdrawn", {op.account}, "{} cents withdrawn from {}", *amount, op.account);
}

void handle(txn& t, const ops::set_credit_limit& op) {
  const organization* o = t.org(op.org);
  const member* m = member_or_ref(t, o, op.account);
  t.actor_ref(op.actor);
  if (t.refs_failed()) return;
  if (op.actor && *op.actor != o->management) {
    const member* holder = o->find_member(*op.actor);
    if (!holder || !holder->finance_custody) {
      t.actor_ok(op.actor, {o->management});
      return;
    }
  }
  if (!o->credit_limit_permission)
    t.fail(code::credit_permission_not_granted, {o->id},
           "credit-limit setting is a special permission not granted to organization {}", o->id);
  auto amount = valid_amount(t, op.amount, 0, 0);
  if (t.failed() || m->credit_limit == amount) return;  // the same limit again: no-op
  organization oc = *o;
  member mc = *m;
  mc.credit_limit = *amount;
  put_member(oc, std::move(mc));
  t.put(std::move(oc));
  t.effect("credit_limit_set", {op.account}, "credit limit of {} set to {} cents", op.account,
           *amount);
  t.effect("notice", {op.account}, "account {} is notified of its new credit limit", op.account);
}

}  // namespace orggov::detail
