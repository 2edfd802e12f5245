#include "orggov/error.hpp"

#include <doctest/doctest.h>

TEST_CASE("input errors name their pointer; value() throws them") {
  orggov::input_error e{"/steps/3/do/account", "missing field `account`"};
  CHECK(e.what() == "/steps/3/do/account: missing field `account`");
  CHECK(orggov::input_error{"", "not valid JSON"}.what() == "not valid JSON");
  orggov::result<int> r = e;
  CHECK(r.has_error());
  CHECK_THROWS_AS((void)r.value(), orggov::input_exception);
  try {
    (void)r.value();
  } catch (const orggov::input_exception& x) {
    CHECK(x.error().pointer == "/steps/3/do/account");
    CHECK(std::string(x.what()) == e.what());
  }
  orggov::result<int> ok = 5;
  CHECK(ok.value() == 5);
}
