#include "services/payment/app/recovery.hpp"

#include <gtest/gtest.h>

#include "platform/testing/run.hpp"
#include "services/payment/tests/fakes.hpp"

namespace fo::payment::app {
namespace {
using namespace fo::payment::testing;
using namespace std::chrono_literals;

class PaymentRecoveryTest : public ::testing::Test {
 protected:
  PaymentRecoveryTest() { inventory.available[10] = 10; }

  // A payment left pending by a crash after the given steps, with its key in flight.
  std::string Crashed(std::string id, bool reserved, bool charged, std::string method = "card") {
    Payment p;
    p.id = id;
    p.user_id = 1;
    p.product_id = 10;
    p.quantity = 2;
    p.amount = 200;
    p.currency = "USD";
    p.payment_method = method;
    FakeKey key;
    key.hash = "h";
    key.payment_id = id;
    payments.keys[{1, "key-" + id}] = key;
    payments.payments[id] = p;
    payments.stale.insert(id);
    if (reserved) Run(inventory.Reserve(ctx, id, 10, 2, 300s));
    if (charged) {
      ChargeRequest request;
      request.payment_id = id;
      request.payment_method = method;
      Run(provider.Charge(ctx, request));
    }
    return id;
  }
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return fo::testing::RunIn(io, std::move(work));
  }
  RecoveryReport Pass() { return Run(recovery.RunOnce(ctx)); }

  boost::asio::io_context io;
  Context ctx;
  FakeInventory inventory;
  FakeProvider provider;
  FakePayments payments;
  FakeResponses responses;
  FakeMetrics metrics;
  Recovery recovery{
      {payments, provider, inventory, responses, metrics},
      {.interval = 10ms, .settle_after = 1s, .key_retention = 24h, .reservation_ttl = 300s}};
};

TEST_F(PaymentRecoveryTest, ChargedAndStillHeldCompletesAndKeepsThe201) {
  Crashed("p1", true, true);
  EXPECT_EQ(Pass().settled, 1);
  const auto& p = payments.payments.at("p1");
  EXPECT_EQ(p.status, Status::kCompleted);
  EXPECT_EQ(p.transaction_id, provider.ledger.at("p1").transaction_id);
  EXPECT_TRUE(payments.keys.at({1, "key-p1"}).done);
  EXPECT_EQ(payments.keys.at({1, "key-p1"}).response.status, 201);
  EXPECT_EQ(inventory.holds.at("p1"), HoldState::kHeld);
  EXPECT_EQ(payments.events.back().second, "completed");
  EXPECT_EQ(metrics.counts["completed"], 1);
}

TEST_F(PaymentRecoveryTest, ChargedButLapsedRefundsAndFails) {
  Crashed("p1", true, true);
  inventory.holds["p1"] = HoldState::kGone;  // expired meanwhile
  Pass();
  const auto& p = payments.payments.at("p1");
  EXPECT_EQ(p.status, Status::kFailed);
  EXPECT_EQ(p.failure_reason, "reservation_lapsed");
  EXPECT_EQ(provider.ledger.at("p1").status, ChargeStatus::kRefunded);
  EXPECT_FALSE(payments.keys.contains({1, "key-p1"}));
}

TEST_F(PaymentRecoveryTest, NotChargedReleasesAndFailsAsInterrupted) {
  Crashed("p1", true, false);
  Crashed("p2", false, false);
  EXPECT_EQ(Pass().settled, 2);
  EXPECT_EQ(payments.payments.at("p1").failure_reason, "interrupted");
  EXPECT_EQ(payments.payments.at("p2").failure_reason, "interrupted");
  EXPECT_EQ(inventory.holds.at("p1"), HoldState::kGone);
  EXPECT_FALSE(inventory.holds.contains("p2"));  // asking never created a hold
  EXPECT_EQ(inventory.available[10], 10);
  EXPECT_TRUE(provider.ledger.empty());  // and never charged
  EXPECT_TRUE(payments.keys.empty());
}

TEST_F(PaymentRecoveryTest, DeclinedFailsAsDeclined) {
  Crashed("p1", true, true, "test_decline");
  Pass();
  EXPECT_EQ(payments.payments.at("p1").failure_reason, "declined");
  EXPECT_EQ(inventory.available[10], 10);
}

TEST_F(PaymentRecoveryTest, ADependencyDownLeavesItPendingForTheNextPass) {
  Crashed("p1", true, true);
  provider.down = true;
  EXPECT_EQ(fo::testing::FailureIn(io, recovery.RunOnce(ctx)).kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(payments.payments.at("p1").status, Status::kPending);
  provider.down = false;
  Pass();
  EXPECT_EQ(payments.payments.at("p1").status, Status::kCompleted);
  EXPECT_EQ(Pass().settled, 0);  // settled once only
}

TEST_F(PaymentRecoveryTest, AbandonedKeysWithoutAPaymentAreDropped) {
  FakeKey orphan;
  orphan.stale = true;
  payments.keys[{1, "orphan"}] = orphan;
  FakeKey fresh;
  payments.keys[{1, "fresh"}] = fresh;
  EXPECT_EQ(Pass().keys_dropped, 1);
  EXPECT_FALSE(payments.keys.contains({1, "orphan"}));
  EXPECT_TRUE(payments.keys.contains({1, "fresh"}));
}

TEST_F(PaymentRecoveryTest, StartAndStopRunTheLoop) {
  Crashed("p1", true, true);
  recovery.Start(io.get_executor());
  Run(recovery.Stop());
  EXPECT_EQ(payments.payments.at("p1").status, Status::kCompleted);
}

}  // namespace
}  // namespace fo::payment::app
