#include "services/inventory/app/reservations.hpp"

#include <gtest/gtest.h>

#include "platform/testing/run.hpp"
#include "services/inventory/app/expiry_sweeper.hpp"
#include "services/inventory/tests/fakes.hpp"

namespace fo::inventory::app {
namespace {
using namespace fo::inventory::testing;
using namespace std::chrono_literals;

class InventoryReservationsTest : public ::testing::Test {
 protected:
  InventoryReservationsTest() {
    stock.rows[1] = StockItem{1, 10, "main", 5, 0, 1, "t", "t"};
    stock.rows[2] = StockItem{2, 20, "main", 1, 0, 1, "t", "t"};
  }
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return fo::testing::RunIn(io, std::move(work));
  }
  template <typename T>
  Error FailureOf(boost::asio::awaitable<T> work) {
    return fo::testing::FailureIn(io, std::move(work));
  }
  ReserveResult Hold(std::string id, std::vector<Line> lines, std::int64_t ttl = 0) {
    return Run(reservations.Hold(ctx, {std::move(id), std::move(lines), ttl}));
  }

  boost::asio::io_context io;
  Context ctx;
  FakeStock stock;
  FakeReservations store{stock};
  FakeMetrics metrics;
  Reservations reservations{store, metrics, 900s};
};

TEST_F(InventoryReservationsTest, HoldsSortedLinesWithTheDefaultTtl) {
  auto held = Hold("r1", {{20, 1}, {10, 2}});
  EXPECT_EQ(held.state, ReservationState::kHeld);
  EXPECT_EQ(held.expires_at, "in 900s");
  EXPECT_EQ(store.last_request.items, "10:2,20:1");
  EXPECT_EQ(store.last_request.lines.front().product_id, 10);
  EXPECT_EQ(Hold("r2", {{10, 1}}, 30).expires_at, "in 30s");
  EXPECT_EQ(metrics.counts["held"], 2);
}

TEST_F(InventoryReservationsTest, ShortagesAreAnOutcomeNotAnError) {
  auto rejected = Hold("r1", {{10, 1}, {20, 2}});
  EXPECT_EQ(rejected.state, ReservationState::kRejected);
  ASSERT_EQ(rejected.shortages.size(), 1u);
  EXPECT_EQ(rejected.shortages[0], (Shortage{20, 2, 1}));
  EXPECT_EQ(stock.rows[1].reserved, 0);
  EXPECT_EQ(metrics.counts["rejected"], 1);
}

TEST_F(InventoryReservationsTest, RepeatsReplayAndReuseIsRefused) {
  auto first = Hold("r1", {{10, 2}});
  auto again = Hold("r1", {{10, 2}});
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.state, ReservationState::kHeld);
  EXPECT_EQ(again.expires_at, first.expires_at);
  EXPECT_EQ(stock.rows[1].reserved, 2);
  EXPECT_EQ(metrics.counts["replayed"], 1);
  auto reuse = FailureOf(reservations.Hold(ctx, {"r1", {{10, 3}}, 0}));
  EXPECT_EQ(reuse.kind(), ErrorKind::kPrecondition);
  // The same items in another order are the same request.
  EXPECT_TRUE(Hold("r2", {{10, 1}, {20, 1}}).state == ReservationState::kHeld);
  EXPECT_TRUE(Hold("r2", {{20, 1}, {10, 1}}).replayed);
}

TEST_F(InventoryReservationsTest, ALapsedHoldReplaysAsExpired) {
  Hold("r1", {{10, 2}});
  store.reservations["r1"].past_expiry = true;
  EXPECT_EQ(Hold("r1", {{10, 2}}).state, ReservationState::kExpired);
}

TEST_F(InventoryReservationsTest, BadRequestsAreInvalidArguments) {
  const std::vector<Reserve> bad = {{"", {{10, 1}}, 0},
                                    {std::string(65, 'a'), {{10, 1}}, 0},
                                    {"a b", {{10, 1}}, 0},
                                    {"r", {}, 0},
                                    {"r", {{10, 0}}, 0},
                                    {"r", {{10, 1'000'001}}, 0},
                                    {"r", {{0, 1}}, 0},
                                    {"r", {{10, 1}, {10, 1}}, 0},
                                    {"r", {{10, 1}}, -1},
                                    {"r", {{10, 1}}, 3601},
                                    {"r", std::vector<Line>(101, Line{10, 1}), 0}};
  for (const auto& command : bad) {
    EXPECT_EQ(FailureOf(reservations.Hold(ctx, command)).kind(), ErrorKind::kInvalidArgument)
        << command.reservation_id;
  }
  EXPECT_TRUE(store.reservations.empty());
  EXPECT_EQ(FailureOf(reservations.Commit(ctx, "")).kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(FailureOf(reservations.Release(ctx, "x/y")).kind(), ErrorKind::kInvalidArgument);
}

TEST_F(InventoryReservationsTest, CommitIsIdempotent) {
  Hold("r1", {{10, 2}});
  EXPECT_EQ(Run(reservations.Commit(ctx, "r1")), ReservationState::kCommitted);
  EXPECT_EQ(Run(reservations.Commit(ctx, "r1")), ReservationState::kCommitted);
  EXPECT_EQ(stock.rows[1].on_hand, 3);
  EXPECT_EQ(stock.rows[1].reserved, 0);
  EXPECT_EQ(metrics.counts["committed"], 1);
  EXPECT_EQ(FailureOf(reservations.Release(ctx, "r1")).kind(), ErrorKind::kPrecondition);
  EXPECT_EQ(FailureOf(reservations.Commit(ctx, "unknown")).kind(), ErrorKind::kNotFound);
}

TEST_F(InventoryReservationsTest, ReleaseIsIdempotent) {
  Hold("r1", {{10, 2}});
  EXPECT_EQ(Run(reservations.Release(ctx, "r1")), ReservationState::kReleased);
  EXPECT_EQ(Run(reservations.Release(ctx, "r1")), ReservationState::kReleased);
  EXPECT_EQ(stock.rows[1].reserved, 0);
  EXPECT_EQ(metrics.counts["released"], 1);
  EXPECT_EQ(FailureOf(reservations.Commit(ctx, "r1")).kind(), ErrorKind::kPrecondition);
  EXPECT_EQ(FailureOf(reservations.Release(ctx, "unknown")).kind(), ErrorKind::kNotFound);
}

TEST_F(InventoryReservationsTest, CommittingALapsedHoldExpiresIt) {
  Hold("r1", {{10, 2}});
  store.reservations["r1"].past_expiry = true;
  auto expired = FailureOf(reservations.Commit(ctx, "r1"));
  EXPECT_EQ(expired.kind(), ErrorKind::kPrecondition);
  EXPECT_NE(std::string(expired.what()).find("expired"), std::string::npos);
  EXPECT_EQ(stock.rows[1].reserved, 0);
  EXPECT_EQ(stock.rows[1].on_hand, 5);
  EXPECT_EQ(metrics.counts["expired"], 1);
  EXPECT_EQ(FailureOf(reservations.Commit(ctx, "r1")).kind(), ErrorKind::kPrecondition);
}

TEST_F(InventoryReservationsTest, RejectedReservationsCannotMove) {
  Hold("r1", {{20, 5}});
  EXPECT_EQ(FailureOf(reservations.Commit(ctx, "r1")).kind(), ErrorKind::kPrecondition);
  EXPECT_EQ(FailureOf(reservations.Release(ctx, "r1")).kind(), ErrorKind::kPrecondition);
}

TEST_F(InventoryReservationsTest, TheSweeperExpiresDueHoldsAndCountsThem) {
  Hold("r1", {{10, 1}});
  Hold("r2", {{10, 1}});
  Hold("r3", {{10, 1}});
  store.reservations["r1"].past_expiry = true;
  store.reservations["r3"].past_expiry = true;
  ExpirySweeper sweeper(store, metrics, 10ms);
  EXPECT_EQ(Run(sweeper.SweepOnce(ctx)), 2);
  EXPECT_EQ(stock.rows[1].reserved, 1);
  EXPECT_EQ(metrics.counts["expired"], 2);
  EXPECT_EQ(Run(sweeper.SweepOnce(ctx)), 0);
}

TEST_F(InventoryReservationsTest, TheSweeperLoopRunsUntilStopped) {
  Hold("r1", {{10, 1}});
  store.reservations["r1"].past_expiry = true;
  ExpirySweeper sweeper(store, metrics, 5ms);
  sweeper.Start(io.get_executor());
  auto until = std::chrono::steady_clock::now() + 5s;
  while (store.reservations["r1"].outcome.state != ReservationState::kExpired &&
         std::chrono::steady_clock::now() < until) {
    io.restart();
    io.run_for(5ms);
  }
  EXPECT_EQ(store.reservations["r1"].outcome.state, ReservationState::kExpired);
  Run(sweeper.Stop());
}

}  // namespace
}  // namespace fo::inventory::app
