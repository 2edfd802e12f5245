// Readers decide on a shared snapshot from several threads while a writer
// applies operations and publishes new snapshots. Snapshots are immutable:
// a reader holding one sees it whole, whatever the writer does meanwhile.
// Run under ThreadSanitizer as docs/reliability.md describes.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <boost/json.hpp>

#include "orggov/engine.hpp"
#include "orggov/io/json.hpp"
#include "support.hpp"

using namespace orggov;

namespace {

// The publication point: readers copy the current snapshot pointer, the
// writer replaces it. A mutex held only to copy the pointer, not
// std::atomic<std::shared_ptr>: libstdc++ 12's load() releases that type's
// internal lock with a relaxed store, which ThreadSanitizer reports as a race
// on the stored pointer (docs/reliability.md, "Concurrency").
class published {
 public:
  explicit published(std::shared_ptr<const world> w) : w_(std::move(w)) {}
  std::shared_ptr<const world> load() const {
    std::lock_guard lock(m_);
    return w_;
  }
  void store(std::shared_ptr<const world> w) {
    {
      std::lock_guard lock(m_);
      w_.swap(w);
    }
    // `w` now holds the old snapshot; the last reader of it frees it.
  }

 private:
  mutable std::mutex m_;
  std::shared_ptr<const world> w_;
};

}  // namespace

TEST_CASE("readers see consistent snapshots while a writer publishes new ones") {
  std::string accounts;
  constexpr int members = 40;
  for (int i = 0; i < members; ++i)
    accounts += R"(, {"uin": "m)" + std::to_string(i) + R"(", "entity": "E1", "verified": true})";
  world w = test::world_from(R"({"entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
      "accounts": [{"uin": "1", "entity": "E1", "verified": true}, {"uin": "probe", "entity": "E1", "verified": true})" +
                             accounts + "]}");
  w = test::must(w, ops::create_organization{.org = "o", .account = "1"});
  w = test::must(w, ops::enable_policy_type{.org = "o"});
  w = test::must(
      w,
      ops::create_policy{
          .org = "o",
          .policy = "deny-run",
          .name = "DenyRun",
          .document = boost::json::parse(
              R"({"version": "2.0", "statement": [{"effect": "deny", "action": "cvm:RunInstances", "resource": "*"}]})")});

  published current(std::make_shared<const world>(w));
  std::atomic<bool> done{false};
  std::atomic<long> decisions{0}, violations{0};

  auto reader = [&] {
    auto authorize = parse_query(boost::json::parse(
        R"({"op": "authorize", "account": "m0", "action": "cvm:RunInstances", "resource": "*"})"));
    while (!done.load(std::memory_order_acquire)) {
      std::shared_ptr<const world> snap = current.load();
      const organization* o = snap->find_org("o");
      // 1. membership is consistent across the org and the accounts
      for (const auto& [uin, m] : o->members)
        if (snap->find_account(uin)->org != "o") ++violations;
      // 2. the decision matches the attachments of this very snapshot
      if (o->members.contains("m0")) {
        const auto* root = o->attachments.find("root");
        const bool denied =
            root && std::find(root->begin(), root->end(), "deny-run") != root->end();
        auto answer = ask(*snap, *authorize);
        if ((answer.at("decision") == "deny") != denied) ++violations;
      }
      // 3. a join check on the snapshot agrees with its membership
      decision d = check(*snap, ops::invite_member{.org = "o", .account = "probe"});
      if (d.allowed == o->members.contains("probe")) ++violations;
      ++decisions;
    }
  };

  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(reader);

  // The writer: members join one by one; the deny policy is attached and detached in turn.
  world next = w;
  for (int i = 0; i < members; ++i) {
    const std::string uin = "m" + std::to_string(i);
    next = test::must(next, ops::invite_member{.org = "o", .account = uin});
    next = test::must(next, ops::accept_invitation{.org = "o", .account = uin});
    current.store(std::make_shared<const world>(next));
    next =
        i % 2 == 0
            ? test::must(next, ops::attach_policy{.org = "o", .policy = "deny-run", .target = {}})
            : test::must(next, ops::detach_policy{.org = "o", .policy = "deny-run", .target = {}});
    current.store(std::make_shared<const world>(next));
  }
  // Then many toggles, so that readers overlap the writer for a while.
  for (int i = 0; i < 2000; ++i) {
    auto out = i % 2 == 0
                   ? orggov::apply(
                         next, ops::attach_policy{.org = "o", .policy = "deny-run", .target = {}})
                   : orggov::apply(
                         next, ops::detach_policy{.org = "o", .policy = "deny-run", .target = {}});
    if (!out.result.allowed) continue;  // attached already after an odd number of joins
    next = std::move(out.after);
    current.store(std::make_shared<const world>(next));
  }
  while (decisions.load() < 200) std::this_thread::yield();
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  MESSAGE(
      decisions.load() << " reader passes (authorize, join check, membership) over the writer's "
                       << "snapshots, " << violations.load() << " inconsistencies");
  CHECK(violations.load() == 0);
  CHECK(decisions.load() >= 200);
  CHECK(current.load()->find_org("o")->members.size() == members);
}
