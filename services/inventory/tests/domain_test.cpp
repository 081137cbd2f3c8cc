#include <gtest/gtest.h>

#include "services/inventory/domain/reservation.hpp"
#include "services/inventory/domain/stock.hpp"

namespace fo::inventory::domain {
namespace {
using namespace std::chrono_literals;

TEST(InventoryReservationRules, IdsAreShortAndPlain) {
  EXPECT_FALSE(CheckReservationId("pay-0193c1a2_X9"));
  EXPECT_FALSE(CheckReservationId(std::string(64, 'a')));
  EXPECT_TRUE(CheckReservationId(""));
  EXPECT_TRUE(CheckReservationId(std::string(65, 'a')));
  for (const char* bad : {"a b", "a/b", "a.b", "ä", "a'b", "a,b", "{a}"}) {
    EXPECT_TRUE(CheckReservationId(bad)) << bad;
  }
}

TEST(InventoryReservationRules, LinesAreBoundedAndEachProductOnce) {
  EXPECT_FALSE(CheckLines({{1, 1}, {2, 1'000'000}}));
  EXPECT_TRUE(CheckLines({}));
  EXPECT_TRUE(CheckLines(std::vector<Line>(101, Line{1, 1})));
  EXPECT_TRUE(CheckLines({{0, 1}}));
  EXPECT_TRUE(CheckLines({{-3, 1}}));
  EXPECT_TRUE(CheckLines({{1, 0}}));
  EXPECT_TRUE(CheckLines({{1, -1}}));
  EXPECT_TRUE(CheckLines({{1, 1'000'001}}));
  auto duplicate = CheckLines({{4, 1}, {5, 1}, {4, 2}});
  ASSERT_TRUE(duplicate);
  EXPECT_NE(duplicate->find("product 4"), std::string::npos);
  std::vector<Line> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back({i, 1});
  EXPECT_FALSE(CheckLines(hundred));
  // An availability question may name a product twice.
  EXPECT_FALSE(CheckItems({{4, 1}, {4, 2}}));
}

TEST(InventoryReservationRules, TtlZeroMeansTheDefault) {
  EXPECT_FALSE(CheckTtl(0));
  EXPECT_FALSE(CheckTtl(3600));
  EXPECT_TRUE(CheckTtl(3601));
  EXPECT_TRUE(CheckTtl(-1));
  EXPECT_EQ(EffectiveTtl(0, 900s), 900s);
  EXPECT_EQ(EffectiveTtl(5, 900s), 5s);
}

TEST(InventoryReservationRules, CanonicalItemsAreSortedByProduct) {
  auto lines = SortedLines({{9, 1}, {2, 5}, {4, 3}});
  EXPECT_EQ(lines.front().product_id, 2);
  EXPECT_EQ(CanonicalItems(lines), "2:5,4:3,9:1");
}

TEST(InventoryReservationStates, RoundTripTheirNames) {
  for (auto state :
       {ReservationState::kHeld, ReservationState::kCommitted, ReservationState::kReleased,
        ReservationState::kExpired, ReservationState::kRejected, ReservationState::kReturned}) {
    EXPECT_EQ(ParseReservationState(ToString(state)), state);
  }
  EXPECT_FALSE(ParseReservationState("HELD"));
}

TEST(InventoryReservationStates, CommitTransitions) {
  EXPECT_EQ(DecideCommit(ReservationState::kHeld, false), Transition::kApply);
  EXPECT_EQ(DecideCommit(ReservationState::kHeld, true), Transition::kExpireThenFail);
  EXPECT_EQ(DecideCommit(ReservationState::kCommitted, false), Transition::kAlreadyDone);
  EXPECT_EQ(DecideCommit(ReservationState::kCommitted, true), Transition::kAlreadyDone);
  EXPECT_EQ(DecideCommit(ReservationState::kReleased, false), Transition::kRefuse);
  EXPECT_EQ(DecideCommit(ReservationState::kExpired, false), Transition::kRefuse);
  EXPECT_EQ(DecideCommit(ReservationState::kRejected, false), Transition::kRefuse);
}

TEST(InventoryReservationStates, ReleaseTransitions) {
  EXPECT_EQ(DecideRelease(ReservationState::kHeld, false), Transition::kApply);
  EXPECT_EQ(DecideRelease(ReservationState::kHeld, true), Transition::kExpireThenFail);
  EXPECT_EQ(DecideRelease(ReservationState::kReleased, false), Transition::kAlreadyDone);
  EXPECT_EQ(DecideRelease(ReservationState::kCommitted, false), Transition::kRefuse);
  EXPECT_EQ(DecideRelease(ReservationState::kExpired, false), Transition::kRefuse);
  EXPECT_EQ(DecideRelease(ReservationState::kRejected, false), Transition::kRefuse);
  EXPECT_EQ(DecideRelease(ReservationState::kReturned, false), Transition::kRefuse);
}

TEST(InventoryReservationStates, ReturnMovesCommittedUnitsBackOnce) {
  EXPECT_EQ(DecideReturn(ReservationState::kCommitted), Transition::kApply);
  EXPECT_EQ(DecideReturn(ReservationState::kReturned), Transition::kAlreadyDone);
  EXPECT_EQ(DecideReturn(ReservationState::kHeld), Transition::kRefuse);
  EXPECT_EQ(DecideReturn(ReservationState::kReleased), Transition::kRefuse);
  EXPECT_EQ(DecideReturn(ReservationState::kExpired), Transition::kRefuse);
  EXPECT_EQ(DecideReturn(ReservationState::kRejected), Transition::kRefuse);
  EXPECT_EQ(DecideCommit(ReservationState::kReturned, false), Transition::kAlreadyDone);
}

TEST(InventoryStockRules, Locations) {
  EXPECT_FALSE(CheckLocation("main"));
  EXPECT_FALSE(CheckLocation("Lager Süd"));
  EXPECT_FALSE(CheckLocation(std::string(64, 'x')));
  EXPECT_TRUE(CheckLocation(""));
  EXPECT_TRUE(CheckLocation(std::string(65, 'x')));
  EXPECT_TRUE(CheckLocation("a\nb"));
  EXPECT_TRUE(CheckLocation(" main"));
}

TEST(InventoryStockRules, Reasons) {
  EXPECT_FALSE(CheckReason(""));
  EXPECT_FALSE(CheckReason(std::string(200, 'r')));
  EXPECT_TRUE(CheckReason(std::string(201, 'r')));
  EXPECT_TRUE(CheckReason("tab\there"));
}

TEST(InventoryStockRules, EntityTags) {
  EXPECT_EQ(ETagOf(7), "\"7\"");
  EXPECT_EQ(ParseIfMatch("\"7\""), 7);
  EXPECT_EQ(ParseIfMatch(ETagOf(123456789)), 123456789);
  for (const char* bad : {"7", "\"\"", "W/\"7\"", "*", "\"0\"", "\"-1\"", "\"7\", \"8\"", "\"x\"",
                          "\"99999999999999999999\"", ""}) {
    EXPECT_FALSE(ParseIfMatch(bad)) << bad;
  }
}

TEST(InventoryStockRules, AvailableIsOnHandLessReserved) {
  StockItem item;
  item.on_hand = 10;
  item.reserved = 4;
  EXPECT_EQ(item.Available(), 6);
  EXPECT_EQ(UserActor(12), "user:12");
}

}  // namespace
}  // namespace fo::inventory::domain
