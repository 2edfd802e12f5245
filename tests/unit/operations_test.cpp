#include "orggov/operations.hpp"

#include <doctest/doctest.h>

TEST_CASE("operations and queries name themselves as their op field spells it") {
  orggov::operation op = orggov::ops::invite_member{.org = "o1", .account = "2"};
  CHECK(orggov::op_name(op) == "invite_member");
  orggov::query q = orggov::ops::bill_payer{};
  CHECK(orggov::op_name(q) == "bill_payer");
  orggov::query both = orggov::ops::can_view{};
  CHECK(orggov::op_name(both) == "can_view");
}

TEST_CASE("targets print canonically") {
  CHECK(orggov::target_ref{}.text() == "root");
  CHECK((orggov::target_ref{orggov::target_ref::kind::unit, "dev"}.text()) == "unit:dev");
  CHECK((orggov::target_ref{orggov::target_ref::kind::account, "7"}.text()) == "account:7");
  CHECK((orggov::sub_account_ref{"100001", "ops"}.text()) == "100001/ops");
}
