#include <gtest/gtest.h>

#include "platform/errors/error.hpp"
#include "platform/testing/run.hpp"
#include "services/payment/domain/payment.hpp"

namespace fo::payment::domain {
namespace {

TEST(PaymentStatus, RoundTripsItsNames) {
  for (auto s : {Status::kPending, Status::kCompleted, Status::kFailed, Status::kRefunded}) {
    EXPECT_EQ(ParseStatus(ToString(s)), s);
  }
  EXPECT_FALSE(ParseStatus("PENDING"));
  EXPECT_FALSE(ParseStatus(""));
}

TEST(PaymentStatus, OnlyTheSagaAndRefundMovesAreAllowed) {
  const Status all[] = {Status::kPending, Status::kCompleted, Status::kFailed, Status::kRefunded};
  for (auto from : all) {
    for (auto to : all) {
      const bool allowed = (from == Status::kPending && to == Status::kCompleted) ||
                           (from == Status::kPending && to == Status::kFailed) ||
                           (from == Status::kCompleted && to == Status::kRefunded);
      EXPECT_EQ(CanMove(from, to), allowed) << ToString(from) << "->" << ToString(to);
      if (!allowed) {
        EXPECT_EQ(fo::testing::ErrorFrom([&] { CheckMove(from, to); }).kind(),
                  ErrorKind::kConflict);
      }
    }
  }
}

TEST(PaymentFields, PaymentMethodIsLowerSnakeCaseUpTo64) {
  EXPECT_FALSE(CheckPaymentMethod("card"));
  EXPECT_FALSE(CheckPaymentMethod("test_decline_2"));
  EXPECT_FALSE(CheckPaymentMethod(std::string(64, 'a')));
  EXPECT_TRUE(CheckPaymentMethod(""));
  EXPECT_TRUE(CheckPaymentMethod(std::string(65, 'a')));
  EXPECT_TRUE(CheckPaymentMethod("Card"));
  EXPECT_TRUE(CheckPaymentMethod("credit-card"));
  EXPECT_TRUE(CheckPaymentMethod("card "));
}

TEST(PaymentFields, CurrencyIsThreeUpperCaseLetters) {
  EXPECT_FALSE(CheckCurrency("USD"));
  EXPECT_TRUE(CheckCurrency("usd"));
  EXPECT_TRUE(CheckCurrency("US"));
  EXPECT_TRUE(CheckCurrency("USDX"));
  EXPECT_TRUE(CheckCurrency("U5D"));
}

TEST(PaymentFields, IdempotencyKeyIsPrintableAsciiUpTo255) {
  EXPECT_FALSE(CheckIdempotencyKey("a"));
  EXPECT_FALSE(CheckIdempotencyKey("order 17 / retry ~!"));
  EXPECT_FALSE(CheckIdempotencyKey(std::string(255, 'k')));
  EXPECT_TRUE(CheckIdempotencyKey(""));
  EXPECT_TRUE(CheckIdempotencyKey(std::string(256, 'k')));
  EXPECT_TRUE(CheckIdempotencyKey("tab\there"));
  EXPECT_TRUE(CheckIdempotencyKey("caf\xc3\xa9"));
}

TEST(PaymentAmount, IsPriceTimesQuantityWithoutOverflow) {
  EXPECT_EQ(AmountOf(1999, 3), 5997);
  EXPECT_EQ(AmountOf(0, 5), 0);
  EXPECT_FALSE(AmountOf(INT64_MAX / 2, 3));
  EXPECT_FALSE(AmountOf(-1, 1));
}

TEST(PaymentRequest, HashDependsOnEveryDecodedField) {
  PurchaseRequest a{7, 2, "card", std::nullopt};
  auto hash = RequestHash(a);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, RequestHash(a));
  auto b = a;
  b.quantity = 3;
  EXPECT_NE(RequestHash(b), hash);
  b = a;
  b.product_id = 8;
  EXPECT_NE(RequestHash(b), hash);
  b = a;
  b.payment_method = "card2";
  EXPECT_NE(RequestHash(b), hash);
  b = a;
  b.currency = "USD";
  EXPECT_NE(RequestHash(b), hash);
}

}  // namespace
}  // namespace fo::payment::domain
