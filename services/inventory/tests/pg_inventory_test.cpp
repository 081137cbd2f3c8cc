// The PostgreSQL adapters against the private test database (started by `make test`):
// reservations end to end, idempotency, the CHECK constraints, the movements trail, and
// concurrent changes.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "events/v1/events.pb.h"
#include "platform/messaging/hex.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/testing/run.hpp"
#include "services/inventory/adapters/pg_reservation_store.hpp"
#include "services/inventory/adapters/pg_settlement_store.hpp"
#include "services/inventory/adapters/pg_stock_repository.hpp"
#include "services/inventory/migrations.hpp"

namespace fo::inventory::adapters {
namespace {
namespace asio = boost::asio;
using app::Task;
using domain::ReservationState;
using domain::Transition;
using namespace std::chrono_literals;

Context Deadline20s() {
  Context ctx;
  ctx.deadline = std::chrono::steady_clock::now() + 20s;
  return ctx;
}

Task<void> HoldOne(PgReservationStore& store, app::HoldRequest request, std::atomic<int>& held,
                   std::atomic<int>& fresh) {
  auto outcome = co_await store.Hold(Deadline20s(), request);
  if (outcome.state == ReservationState::kHeld) held++;
  if (!outcome.replayed) fresh++;
}

Task<void> AddOne(PgStockRepository& stock, std::int64_t id, std::atomic<int>& changed) {
  auto change = co_await stock.AdjustOnHand(Deadline20s(), id, 1, "user:1", "");
  if (change.changed) changed++;
}

// Runs `work` on a 4-thread io_context and waits for every item.
void RunParallel(asio::io_context& io, std::vector<asio::awaitable<void>> work) {
  std::vector<std::future<void>> done;
  done.reserve(work.size());
  for (auto& w : work) done.push_back(asio::co_spawn(io, std::move(w), asio::use_future));
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) threads.emplace_back([&io] { io.run(); });
  for (auto& t : threads) t.join();
  for (auto& f : done) f.get();
}

class PgInventoryTest : public ::testing::Test {
 protected:
  PgInventoryTest() : pool_(io_.get_executor(), Options()) {
    Run(pg::Migrate(pool_, messaging::WithMessagingMigrations(Migrations()), "inventory-service"));
    Exec(
        "TRUNCATE stock_items, reservations, reservation_lines, reservation_shortages, "
        "inventory_movements, outbox, inbox RESTART IDENTITY CASCADE");
  }

  static pg::PoolOptions Options() {
    pg::PoolOptions o;
    o.url = fo::testing::RequiredEnv("FO_TEST_INVENTORY_DATABASE_URL");
    o.max_size = 8;
    return o;
  }
  static Context Ctx() {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + 20s;
    return ctx;
  }
  template <typename T>
  T Run(asio::awaitable<T> work) {
    return fo::testing::RunIn(io_, std::move(work));
  }
  // Ad-hoc SQL (not a prepared statement) in its own transaction.
  pg::Result Exec(std::string sql) {
    return Run(pool_.Transaction(Ctx(), [sql = std::move(sql)](pg::Tx& tx) -> Task<pg::Result> {
      co_return co_await tx.Query(sql);
    }));
  }
  std::int64_t Scalar(std::string sql) { return Exec(std::move(sql))[0].Int(0); }
  app::StockItem Stock(std::int64_t product, std::int64_t on_hand, std::string location = "main") {
    return Run(stock_.Create(Ctx(), {product, std::move(location), on_hand, "user:1"}));
  }
  app::HoldRequest Request(std::string id, std::vector<domain::Line> lines,
                           std::chrono::seconds ttl = 60s) {
    auto sorted = domain::SortedLines(std::move(lines));
    return {std::move(id), sorted, domain::CanonicalItems(sorted), ttl};
  }
  app::HoldOutcome Hold(app::HoldRequest request) { return Run(store_.Hold(Ctx(), request)); }
  app::StockItem Row(std::int64_t id) { return *Run(stock_.Find(Ctx(), id)); }
  std::string StateOf(const std::string& id) {
    return Exec("SELECT state FROM reservations WHERE id = '" + id + "'")[0].String(0);
  }
  // Every row's movements replay to its current on_hand and reserved, step by step.
  void ExpectMovementsExplainStock() {
    auto rows = Exec("SELECT id, on_hand, reserved FROM stock_items");
    for (int i = 0; i < rows.Rows(); ++i) {
      const auto id = rows[i].Int(0);
      auto moves = Exec(
          "SELECT delta_on_hand, delta_reserved, on_hand_after, reserved_after FROM "
          "inventory_movements WHERE stock_item_id = " +
          std::to_string(id) + " ORDER BY id");
      std::int64_t on_hand = 0, reserved = 0;
      for (int m = 0; m < moves.Rows(); ++m) {
        on_hand += moves[m].Int(0);
        reserved += moves[m].Int(1);
        EXPECT_EQ(on_hand, moves[m].Int(2)) << "stock " << id << " movement " << m;
        EXPECT_EQ(reserved, moves[m].Int(3)) << "stock " << id << " movement " << m;
      }
      EXPECT_EQ(on_hand, rows[i].Int(1));
      EXPECT_EQ(reserved, rows[i].Int(2));
    }
  }

  app::SettlementOutcome Settle(std::string event_id, std::string payment_id,
                                app::PaymentOutcome outcome) {
    app::PaymentEvent event;
    event.event_id = std::move(event_id);
    event.type = "fo.events.v1.Test";
    event.topic = "payment.events";
    event.payment_id = std::move(payment_id);
    event.outcome = outcome;
    return Run(settlement_.Apply(Ctx(), event));
  }

  asio::io_context io_;
  pg::Pool pool_;
  PgStockRepository stock_{pool_};
  PgReservationStore store_{pool_};
  PgSettlementStore settlement_{pool_};
};

TEST_F(PgInventoryTest, APurchaseEventCommitsOnceHoweverOftenItIsDelivered) {
  auto row = Stock(7, 10);
  ASSERT_EQ(Hold(Request("pay-1", {{7, 3}})).state, ReservationState::kHeld);
  auto first = Settle("event-1", "pay-1", app::PaymentOutcome::kPurchased);
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.decision, Transition::kApply);
  ASSERT_EQ(first.levels.size(), 1u);
  EXPECT_EQ(first.levels[0].product_id, 7);
  EXPECT_EQ(first.levels[0].on_hand, 7);
  EXPECT_EQ(first.levels[0].reserved, 0);
  EXPECT_TRUE(Settle("event-1", "pay-1", app::PaymentOutcome::kPurchased).duplicate);
  // A different event about the same payment finds it done.
  EXPECT_EQ(Settle("event-2", "pay-1", app::PaymentOutcome::kPurchased).decision,
            Transition::kAlreadyDone);
  EXPECT_EQ(Row(row.id).on_hand, 7);
  EXPECT_EQ(Row(row.id).reserved, 0);
  EXPECT_EQ(StateOf("pay-1"), "committed");
  // One for stocking the product, one for the purchase.
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE type = 'fo.events.v1.InventoryUpdated' "
                   "AND key = '7'"),
            2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM inbox"), 2);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, ARefundReturnsTheUnitsOnce) {
  auto row = Stock(8, 5);
  Hold(Request("pay-2", {{8, 2}}));
  Settle("event-1", "pay-2", app::PaymentOutcome::kPurchased);
  EXPECT_EQ(Row(row.id).on_hand, 3);
  auto refund = Settle("event-2", "pay-2", app::PaymentOutcome::kRefunded);
  EXPECT_EQ(refund.decision, Transition::kApply);
  EXPECT_EQ(Row(row.id).on_hand, 5);
  EXPECT_EQ(StateOf("pay-2"), "returned");
  EXPECT_TRUE(Settle("event-2", "pay-2", app::PaymentOutcome::kRefunded).duplicate);
  EXPECT_EQ(Settle("event-3", "pay-2", app::PaymentOutcome::kRefunded).decision,
            Transition::kAlreadyDone);
  EXPECT_EQ(Row(row.id).on_hand, 5);
  EXPECT_EQ(Scalar("SELECT count(*) FROM inventory_movements WHERE kind = 'returned'"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), 3);  // stocking, purchase and refund
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, AFailedPaymentReleasesItsHoldAndAnUnknownOneIsANoOp) {
  auto row = Stock(9, 4);
  Hold(Request("pay-3", {{9, 4}}));
  EXPECT_EQ(Settle("event-1", "pay-3", app::PaymentOutcome::kFailed).decision, Transition::kApply);
  EXPECT_EQ(Row(row.id).reserved, 0);
  EXPECT_EQ(StateOf("pay-3"), "released");
  auto unknown = Settle("event-2", "never-reserved", app::PaymentOutcome::kFailed);
  EXPECT_FALSE(unknown.found);
  EXPECT_TRUE(unknown.levels.empty());
  // A refund of something never committed moves nothing.
  EXPECT_EQ(Settle("event-3", "pay-3", app::PaymentOutcome::kRefunded).decision,
            Transition::kRefuse);
  EXPECT_EQ(Row(row.id).on_hand, 4);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, EveryStockChangeAnnouncesItselfAndARefusedOneDoesNot) {
  auto row = Stock(11, 5);
  Stock(11, 2, "east");
  EXPECT_TRUE(Run(stock_.AdjustOnHand(Ctx(), row.id, 3, "user:1", "")).changed);
  EXPECT_FALSE(Run(stock_.AdjustOnHand(Ctx(), row.id, -100, "user:1", "")).changed);
  EXPECT_TRUE(Run(stock_.SetOnHand(Ctx(), row.id, 2, 1, "user:1", "")).changed);
  EXPECT_FALSE(Run(stock_.SetOnHand(Ctx(), row.id, 2, 9, "user:1", "")).changed);  // stale
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE key = '11'"), 4);
  // The last event carries the product's total over both locations: 1 + 2.
  const auto payload = Exec("SELECT encode(payload, 'hex') FROM outbox ORDER BY seq DESC LIMIT 1");
  ::fo::events::v1::InventoryUpdated last;
  ASSERT_TRUE(last.ParseFromString(messaging::FromHex(payload[0].String(0))));
  EXPECT_EQ(last.product_id(), 11);
  EXPECT_EQ(last.on_hand(), 3);
  EXPECT_EQ(last.available(), 3);
  EXPECT_EQ(last.reason(), "adjustment");
}

TEST_F(PgInventoryTest, APurchaseCommitsAHoldPastItsExpiryThatWasNotSweptYet) {
  auto row = Stock(10, 2);
  Hold(Request("pay-4", {{10, 1}}));
  Exec("UPDATE reservations SET expires_at = now() - interval '1 minute' WHERE id = 'pay-4'");
  EXPECT_EQ(Settle("event-1", "pay-4", app::PaymentOutcome::kPurchased).decision,
            Transition::kApply);
  EXPECT_EQ(StateOf("pay-4"), "committed");
  EXPECT_EQ(Row(row.id).on_hand, 1);
}

TEST_F(PgInventoryTest, MigrationsAppliedTwiceAreANoOp) {
  EXPECT_EQ(Run(pg::Migrate(pool_, messaging::WithMessagingMigrations(Migrations()),
                            "inventory-service")),
            0);
}

TEST_F(PgInventoryTest, CreatesRowsOnePerProductAndLocation) {
  auto row = Stock(7, 10);
  EXPECT_EQ(row.location, "main");
  EXPECT_EQ(row.version, 1);
  EXPECT_EQ(row.Available(), 10);
  EXPECT_EQ(row.created_at.size(), 27u);
  Stock(7, 3, "east");
  try {
    Stock(7, 1);
    FAIL() << "a duplicate location must conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
  auto rows = Run(stock_.ForProduct(Ctx(), 7));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].location, "east");
  auto available = Run(stock_.Available(Ctx(), {7, 8}));
  EXPECT_EQ(available.at(7), 13);
  EXPECT_FALSE(available.contains(8));
  auto page = Run(stock_.List(Ctx(), 1, 1));
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 1u);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, SetNeedsTheCurrentVersionAndKeepsReservedUnits) {
  auto row = Stock(1, 10);
  auto set = Run(stock_.SetOnHand(Ctx(), row.id, 1, 25, "user:1", "recount"));
  ASSERT_TRUE(set.changed);
  EXPECT_EQ(set.changed->on_hand, 25);
  EXPECT_EQ(set.changed->version, 2);
  auto stale = Run(stock_.SetOnHand(Ctx(), row.id, 1, 30, "user:1", ""));
  EXPECT_FALSE(stale.changed);
  ASSERT_TRUE(stale.current);
  EXPECT_EQ(stale.current->version, 2);
  Hold(Request("r1", {{1, 20}}));
  auto below = Run(stock_.SetOnHand(Ctx(), row.id, 3, 19, "user:1", ""));
  EXPECT_FALSE(below.changed);
  EXPECT_EQ(below.current->reserved, 20);
  EXPECT_TRUE(Run(stock_.SetOnHand(Ctx(), row.id, 3, 20, "user:1", "")).changed);
  auto moves = Exec(
      "SELECT kind, delta_on_hand, reason, actor FROM inventory_movements "
      "WHERE kind = 'set' ORDER BY id");
  ASSERT_EQ(moves.Rows(), 2);
  EXPECT_EQ(moves[0].Int(1), 15);
  EXPECT_EQ(moves[0].String(2), "recount");
  EXPECT_EQ(moves[1].Int(1), -5);
  EXPECT_FALSE(Run(stock_.SetOnHand(Ctx(), 999, 1, 1, "user:1", "")).current);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, DeltasNeverGoBelowReserved) {
  auto row = Stock(1, 5);
  Hold(Request("r1", {{1, 3}}));
  auto minus = Run(stock_.AdjustOnHand(Ctx(), row.id, -2, "user:1", ""));
  ASSERT_TRUE(minus.changed);
  EXPECT_EQ(minus.changed->on_hand, 3);
  auto too_far = Run(stock_.AdjustOnHand(Ctx(), row.id, -1, "user:1", ""));
  EXPECT_FALSE(too_far.changed);
  EXPECT_EQ(too_far.current->Available(), 0);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, TheCheckConstraintHoldsAgainstDirectWrites) {
  auto row = Stock(1, 5);
  const auto id = std::to_string(row.id);
  for (const std::string& sql : {"UPDATE stock_items SET reserved = 6 WHERE id = " + id,
                                 "UPDATE stock_items SET reserved = -1 WHERE id = " + id,
                                 "UPDATE stock_items SET on_hand = -1 WHERE id = " + id}) {
    try {
      Exec(sql);
      ADD_FAILURE() << sql << " must violate the CHECK";
    } catch (const pg::DbError& e) {
      EXPECT_EQ(e.sqlstate(), "23514") << sql;
    }
  }
}

TEST_F(PgInventoryTest, ReserveIsAllOrNothingAndRecordsShortages) {
  auto a = Stock(1, 5);
  auto b = Stock(2, 1);
  auto rejected = Hold(Request("r1", {{2, 3}, {1, 2}}));
  EXPECT_EQ(rejected.state, ReservationState::kRejected);
  ASSERT_EQ(rejected.shortages.size(), 1u);
  EXPECT_EQ(rejected.shortages[0], (domain::Shortage{2, 3, 1}));
  EXPECT_EQ(Row(a.id).reserved, 0);  // product 1 came first and was undone
  EXPECT_EQ(Row(b.id).reserved, 0);
  EXPECT_EQ(StateOf("r1"), "rejected");
  EXPECT_EQ(Scalar("SELECT count(*) FROM reservation_lines"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM inventory_movements WHERE kind = 'reserved'"), 0);

  auto held = Hold(Request("r2", {{2, 1}, {1, 2}}));
  EXPECT_EQ(held.state, ReservationState::kHeld);
  EXPECT_FALSE(held.replayed);
  EXPECT_EQ(held.expires_at.size(), 27u);
  EXPECT_EQ(Row(a.id).reserved, 2);
  EXPECT_EQ(Row(b.id).reserved, 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM inventory_movements WHERE kind = 'reserved' AND "
                   "reservation_id = 'r2' AND actor = 'rpc'"),
            2);
  // Unknown products are shortages with nothing available.
  auto unknown = Hold(Request("r3", {{99, 1}}));
  EXPECT_EQ(unknown.state, ReservationState::kRejected);
  EXPECT_EQ(unknown.shortages.at(0), (domain::Shortage{99, 1, 0}));
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, TakesUnitsFromALocationWithEnough) {
  auto main = Stock(1, 2);
  auto east = Stock(1, 5, "east");
  auto held = Hold(Request("r1", {{1, 4}}));
  EXPECT_EQ(held.state, ReservationState::kHeld);
  EXPECT_EQ(Row(east.id).reserved, 4);
  EXPECT_EQ(Row(main.id).reserved, 0);
  // 3 available in total but no single location has 3 left.
  auto rejected = Hold(Request("r2", {{1, 3}}));
  EXPECT_EQ(rejected.state, ReservationState::kRejected);
  EXPECT_EQ(rejected.shortages.at(0), (domain::Shortage{1, 3, 3}));
}

TEST_F(PgInventoryTest, RepeatsReturnTheStoredOutcome) {
  Stock(1, 5);
  auto first = Hold(Request("r1", {{1, 2}}));
  auto again = Hold(Request("r1", {{1, 2}}));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.state, ReservationState::kHeld);
  EXPECT_EQ(again.expires_at, first.expires_at);
  EXPECT_EQ(again.items, "1:2");
  auto other = Hold(Request("r1", {{1, 3}}));
  EXPECT_TRUE(other.replayed);
  EXPECT_EQ(other.items, "1:2");  // the use case refuses the reuse
  Hold(Request("big", {{1, 50}}));
  auto rejected = Hold(Request("big", {{1, 50}}));
  EXPECT_TRUE(rejected.replayed);
  EXPECT_EQ(rejected.state, ReservationState::kRejected);
  EXPECT_EQ(rejected.shortages.at(0), (domain::Shortage{1, 50, 3}));
  EXPECT_EQ(Scalar("SELECT reserved FROM stock_items"), 2);
}

TEST_F(PgInventoryTest, CommitTakesUnitsOutOfStockOnce) {
  auto row = Stock(1, 5);
  Hold(Request("r1", {{1, 2}}));
  auto done = Run(store_.Commit(Ctx(), "r1"));
  EXPECT_TRUE(done.found);
  EXPECT_EQ(done.decision, Transition::kApply);
  EXPECT_EQ(Row(row.id).on_hand, 3);
  EXPECT_EQ(Row(row.id).reserved, 0);
  auto again = Run(store_.Commit(Ctx(), "r1"));
  EXPECT_EQ(again.decision, Transition::kAlreadyDone);
  EXPECT_EQ(Row(row.id).on_hand, 3);
  EXPECT_EQ(Run(store_.Release(Ctx(), "r1")).decision, Transition::kRefuse);
  EXPECT_FALSE(Run(store_.Commit(Ctx(), "nope")).found);
  EXPECT_EQ(StateOf("r1"), "committed");
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, ReleaseGivesUnitsBackOnce) {
  auto row = Stock(1, 5);
  Hold(Request("r1", {{1, 2}}));
  EXPECT_EQ(Run(store_.Release(Ctx(), "r1")).decision, Transition::kApply);
  EXPECT_EQ(Row(row.id).reserved, 0);
  EXPECT_EQ(Row(row.id).on_hand, 5);
  EXPECT_EQ(Run(store_.Release(Ctx(), "r1")).decision, Transition::kAlreadyDone);
  EXPECT_EQ(Run(store_.Commit(Ctx(), "r1")).decision, Transition::kRefuse);
  EXPECT_EQ(StateOf("r1"), "released");
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, ALapsedHoldIsExpiredByCommit) {
  auto row = Stock(1, 5);
  Hold(Request("r1", {{1, 2}}));
  Exec("UPDATE reservations SET expires_at = now() - interval '1 second'");
  auto replay = Hold(Request("r1", {{1, 2}}));
  EXPECT_TRUE(replay.past_expiry);
  auto outcome = Run(store_.Commit(Ctx(), "r1"));
  EXPECT_EQ(outcome.decision, Transition::kExpireThenFail);
  EXPECT_EQ(StateOf("r1"), "expired");
  EXPECT_EQ(Row(row.id).reserved, 0);
  EXPECT_EQ(Row(row.id).on_hand, 5);
  EXPECT_EQ(Run(store_.Commit(Ctx(), "r1")).decision, Transition::kRefuse);
  EXPECT_EQ(Run(store_.Release(Ctx(), "r1")).decision, Transition::kRefuse);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, TheSweeperExpiresDueHoldsInBatches) {
  auto row = Stock(1, 500);
  for (int i = 0; i < 150; ++i) Hold(Request("r" + std::to_string(i), {{1, 2}}));
  Hold(Request("later", {{1, 1}}, 3600s));
  Exec("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id <> 'later'");
  EXPECT_EQ(Run(store_.ExpireDue(Ctx(), 100)), 100);
  EXPECT_EQ(Run(store_.ExpireDue(Ctx(), 100)), 50);
  EXPECT_EQ(Run(store_.ExpireDue(Ctx(), 100)), 0);
  EXPECT_EQ(Row(row.id).reserved, 1);
  EXPECT_EQ(StateOf("later"), "held");
  EXPECT_EQ(Scalar("SELECT count(*) FROM inventory_movements WHERE kind = 'expired' AND actor = "
                   "'system:sweeper'"),
            150);
  ExpectMovementsExplainStock();
}

// Many coroutines on a multi-threaded io_context, each with its own pool connection.
TEST_F(PgInventoryTest, ConcurrentReservesNeverOversell) {
  auto row = Stock(1, 10);
  std::atomic<int> held{0}, fresh{0};
  asio::io_context io;
  pg::Pool pool(io.get_executor(), Options());
  PgReservationStore store(pool);
  std::vector<asio::awaitable<void>> work;
  work.reserve(100);
  for (int i = 0; i < 60; ++i) {
    work.push_back(HoldOne(store, Request("c" + std::to_string(i), {{1, 1}}), held, fresh));
  }
  RunParallel(io, std::move(work));
  EXPECT_EQ(held, 10);
  EXPECT_EQ(fresh, 60);
  EXPECT_EQ(Row(row.id).reserved, 10);
  EXPECT_EQ(Scalar("SELECT count(*) FROM reservations WHERE state = 'rejected'"), 50);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, ConcurrentDeltasAllCount) {
  auto row = Stock(1, 0);
  asio::io_context io;
  pg::Pool pool(io.get_executor(), Options());
  PgStockRepository stock(pool);
  std::atomic<int> changed{0};
  std::vector<asio::awaitable<void>> work;
  work.reserve(100);
  for (int i = 0; i < 100; ++i) work.push_back(AddOne(stock, row.id, changed));
  RunParallel(io, std::move(work));
  EXPECT_EQ(changed, 100);
  EXPECT_EQ(Row(row.id).on_hand, 100);
  EXPECT_EQ(Row(row.id).version, 101);
  ExpectMovementsExplainStock();
}

TEST_F(PgInventoryTest, ConcurrentRepeatsOfOneIdAgree) {
  Stock(1, 3);
  asio::io_context io;
  pg::Pool pool(io.get_executor(), Options());
  PgReservationStore store(pool);
  std::atomic<int> held{0}, fresh{0};
  std::vector<asio::awaitable<void>> work;
  work.reserve(100);
  for (int i = 0; i < 8; ++i)
    work.push_back(HoldOne(store, Request("same", {{1, 2}}), held, fresh));
  RunParallel(io, std::move(work));
  EXPECT_EQ(fresh, 1);
  EXPECT_EQ(held, 8);
  EXPECT_EQ(Scalar("SELECT reserved FROM stock_items"), 2);
}

}  // namespace
}  // namespace fo::inventory::adapters
