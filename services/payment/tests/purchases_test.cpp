#include "services/payment/app/purchases.hpp"

#include <gtest/gtest.h>

#include "platform/testing/run.hpp"
#include "services/payment/app/payment_queries.hpp"
#include "services/payment/tests/fakes.hpp"

namespace fo::payment::app {
namespace {
using namespace fo::payment::testing;
using namespace std::chrono_literals;

class PaymentPurchasesTest : public ::testing::Test {
 protected:
  PaymentPurchasesTest() {
    users.users[1] = {true, true};
    users.users[2] = {true, false};
    catalog.products[10] = {10, 250, "USD", true};
    catalog.products[11] = {11, 100, "USD", false};
    inventory.available[10] = 5;
  }
  PurchaseResult Buy(std::string key, std::int64_t product = 10, std::int64_t quantity = 2,
                     std::string method = "card", std::int64_t user = 1,
                     std::optional<std::string> currency = std::nullopt) {
    PurchaseCommand command;
    command.user_id = user;
    command.idempotency_key = std::move(key);
    command.request = {product, quantity, std::move(method), std::move(currency)};
    return fo::testing::RunIn(io, purchases.Execute(ctx, std::move(command)));
  }
  Error BuyFails(std::string key, std::string method = "card") {
    return fo::testing::ErrorFrom([&] { Buy(std::move(key), 10, 2, std::move(method)); });
  }
  const FakeKey& Key(const std::string& key, std::int64_t user = 1) {
    return payments.keys.at({user, key});
  }

  boost::asio::io_context io;
  Context ctx;
  FakeUsers users;
  FakeCatalog catalog;
  FakeInventory inventory;
  FakeProvider provider;
  FakePayments payments;
  FakeResponses responses;
  FakeMetrics metrics;
  Purchases purchases{{users, catalog, inventory, provider, payments, responses, metrics}, 300s};
};

TEST_F(PaymentPurchasesTest, HappyPathCompletesChargesHoldsAndStoresTheAnswer) {
  auto result = Buy("k1");
  EXPECT_EQ(result.response.status, 201);
  EXPECT_FALSE(result.replayed);
  auto p = payments.Only();
  EXPECT_EQ(p.status, Status::kCompleted);
  EXPECT_EQ(p.amount, 500);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.user_id, 1);
  EXPECT_EQ(p.transaction_id, provider.ledger.at(p.id).transaction_id);
  EXPECT_EQ(result.response.body, "payment " + p.id + " completed");
  EXPECT_EQ(inventory.holds.at(p.id), HoldState::kHeld);
  EXPECT_EQ(inventory.available[10], 3);
  EXPECT_TRUE(Key("k1").done);
  EXPECT_EQ(Key("k1").response, result.response);
  ASSERT_EQ(payments.events.size(), 1u);
  EXPECT_EQ(payments.events[0].second, "completed");
  EXPECT_EQ(metrics.counts["pending"], 1);
  EXPECT_EQ(metrics.counts["completed"], 1);
  EXPECT_EQ(metrics.outcomes["completed"], 1);
}

TEST_F(PaymentPurchasesTest, SameKeySameRequestReplaysWithoutASecondPayment) {
  auto first = Buy("k1");
  auto again = Buy("k1");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.response, first.response);
  EXPECT_EQ(payments.payments.size(), 1u);
  EXPECT_EQ(provider.charges, 1);
  EXPECT_EQ(users.calls, 1);
}

TEST_F(PaymentPurchasesTest, SameKeyDifferentRequestIs422AndInFlightIs409) {
  Buy("k1");
  auto other = fo::testing::ErrorFrom([&] { Buy("k1", 10, 3); });
  EXPECT_EQ(other.kind(), ErrorKind::kUnprocessable);
  FakeKey busy;
  busy.hash = domain::RequestHash({10, 2, "card", std::nullopt});
  payments.keys[{1, "busy"}] = busy;
  EXPECT_EQ(BuyFails("busy").kind(), ErrorKind::kConflict);
  // The same key is per user: another user may use it.
  users.users[3] = {true, true};
  EXPECT_EQ(Buy("k1", 10, 1, "card", 3).response.status, 201);
}

TEST_F(PaymentPurchasesTest, RefusalsAreStoredAndLeaveNoPayment) {
  EXPECT_EQ(Buy("a", 10, 1, "card", 2).response.status, 403);   // inactive
  EXPECT_EQ(Buy("b", 10, 1, "card", 99).response.status, 403);  // unknown user
  EXPECT_EQ(Buy("c", 99).response.status, 404);
  EXPECT_EQ(Buy("d", 11).response.status, 422);                       // not for sale
  EXPECT_EQ(Buy("e", 10, 1, "card", 1, "EUR").response.status, 422);  // wrong currency
  EXPECT_EQ(Buy("f", 10, 1, "card", 1, "USD").response.status, 201);  // right currency
  EXPECT_TRUE(Key("a", 2).done);
  EXPECT_EQ(Key("c").response.status, 404);
  EXPECT_EQ(Buy("c", 99).response.status, 404);
  EXPECT_TRUE(Buy("c", 99).replayed);
  EXPECT_EQ(payments.payments.size(), 1u);
}

TEST_F(PaymentPurchasesTest, OutOfStockFailsThePaymentWith409AndAvailable) {
  auto result = Buy("k1", 10, 6);
  EXPECT_EQ(result.response.status, 409);
  EXPECT_EQ(result.response.body, "409 not enough stock for this purchase available=5");
  auto p = payments.Only();
  EXPECT_EQ(p.status, Status::kFailed);
  EXPECT_EQ(p.failure_reason, "out_of_stock");
  EXPECT_EQ(provider.charges, 0);
  EXPECT_EQ(Key("k1").response, result.response);
  EXPECT_EQ(payments.events.back().second, "failed");
}

TEST_F(PaymentPurchasesTest, DeclineReleasesTheHoldAndAnswers402) {
  auto result = Buy("k1", 10, 2, "test_decline");
  EXPECT_EQ(result.response.status, 402);
  auto p = payments.Only();
  EXPECT_EQ(p.status, Status::kFailed);
  EXPECT_EQ(p.failure_reason, "declined");
  EXPECT_EQ(inventory.holds.at(p.id), HoldState::kGone);
  EXPECT_EQ(inventory.available[10], 5);
  EXPECT_TRUE(Key("k1").done);
  EXPECT_EQ(metrics.outcomes["declined"], 1);
}

TEST_F(PaymentPurchasesTest, ProviderDownUndoesEverythingAndFreesTheKey) {
  EXPECT_EQ(BuyFails("k1", "test_unavailable").kind(), ErrorKind::kUnavailable);
  auto p = payments.Only();
  EXPECT_EQ(p.status, Status::kFailed);
  EXPECT_EQ(p.failure_reason, "dependency_unavailable");
  EXPECT_EQ(inventory.available[10], 5);
  EXPECT_FALSE(payments.keys.contains({1, "k1"}));
  EXPECT_EQ(payments.events.back().second, "failed");
  // The client may retry the same key once the provider is back.
  EXPECT_EQ(Buy("k1", 10, 2, "test_unavailable_not").response.status, 201);
}

TEST_F(PaymentPurchasesTest, InventoryDownFailsThePaymentAndFreesTheKey) {
  inventory.down = true;
  EXPECT_EQ(BuyFails("k1").kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(payments.Only().status, Status::kFailed);
  EXPECT_FALSE(payments.keys.contains({1, "k1"}));
  EXPECT_EQ(provider.charges, 0);
}

TEST_F(PaymentPurchasesTest, UserOrCatalogDownLeavesNothing) {
  users.down = true;
  EXPECT_EQ(BuyFails("k1").kind(), ErrorKind::kUnavailable);
  users.down = false;
  catalog.down = true;
  EXPECT_EQ(BuyFails("k1").kind(), ErrorKind::kUnavailable);
  EXPECT_TRUE(payments.payments.empty());
  EXPECT_TRUE(payments.keys.empty());
  EXPECT_EQ(metrics.outcomes["unavailable"], 2);
}

TEST_F(PaymentPurchasesTest, DeclineStillAnswers402WhenTheReleaseFails) {
  inventory.release_down = true;  // the hold then expires (and PaymentFailed releases it)
  auto result = Buy("k1", 10, 2, "test_decline");
  EXPECT_EQ(result.response.status, 402);
  EXPECT_EQ(payments.Only().status, Status::kFailed);
}

TEST_F(PaymentPurchasesTest, AFailedCompletionRefundsAndLeavesThePaymentToRecovery) {
  payments.fail_moves = true;
  EXPECT_EQ(BuyFails("k1").kind(), ErrorKind::kUnavailable);
  auto p = payments.Only();
  EXPECT_EQ(p.status, Status::kPending);  // nothing could be recorded
  EXPECT_EQ(provider.ledger.at(p.id).status, ChargeStatus::kRefunded);
  EXPECT_EQ(inventory.available[10], 5);
  EXPECT_EQ(Key("k1").payment_id, p.id);  // settled by the recovery job with the payment
}

TEST_F(PaymentPurchasesTest, AChargeForAPaymentRecoveryAlreadyFailedIsRefunded) {
  payments.recovery_fails_first = true;
  EXPECT_EQ(BuyFails("k1").kind(), ErrorKind::kUnavailable);
  auto p = payments.Only();
  EXPECT_EQ(p.status, Status::kFailed);
  EXPECT_EQ(p.failure_reason, "interrupted");  // recovery's verdict stands
  EXPECT_EQ(provider.ledger.at(p.id).status, ChargeStatus::kRefunded);
  EXPECT_EQ(inventory.available[10], 5);
  EXPECT_FALSE(payments.keys.contains({1, "k1"}));
}

TEST_F(PaymentPurchasesTest, QueriesHideOtherUsersPaymentsAndRefundsMoveCompletedOnly) {
  Buy("k1");
  const auto id = payments.Only().id;
  PaymentQueries queries(payments);
  Caller owner{1, false}, stranger{5, false}, admin{9, true};
  EXPECT_EQ(fo::testing::RunIn(io, queries.Get(ctx, owner, id)).id, id);
  EXPECT_EQ(fo::testing::RunIn(io, queries.Get(ctx, admin, id)).id, id);
  EXPECT_EQ(fo::testing::FailureIn(io, queries.Get(ctx, stranger, id)).kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(fo::testing::FailureIn(io, queries.Get(ctx, owner, "nope")).kind(),
            ErrorKind::kInvalidArgument);
  Refunds refunds(payments, provider, metrics);
  auto refunded = fo::testing::RunIn(io, refunds.Refund(ctx, id));
  EXPECT_EQ(refunded.status, Status::kRefunded);
  EXPECT_EQ(provider.ledger.at(id).status, ChargeStatus::kRefunded);
  EXPECT_EQ(payments.events.back().second, "refunded");
  EXPECT_EQ(fo::testing::FailureIn(io, refunds.Refund(ctx, id)).kind(), ErrorKind::kConflict);
  EXPECT_EQ(fo::testing::FailureIn(io, refunds.Refund(ctx, "01937f6e-8c5a-7b3e-9f1a-2c4d6e8f0a1b"))
                .kind(),
            ErrorKind::kNotFound);
}

}  // namespace
}  // namespace fo::payment::app
