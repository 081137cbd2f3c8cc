// The inventory.events handler over an in-memory stock view: what applies, what is skipped and
// what is poison (straight to the DLQ).
#include "services/product/transport/inventory_events.hpp"

#include <gtest/gtest.h>

#include "events/v1/events.pb.h"
#include "platform/messaging/cloud_event.hpp"
#include "platform/testing/run.hpp"
#include "services/product/tests/fake_stock_levels.hpp"

namespace fo::product::transport {
namespace {

namespace ev = ::fo::events::v1;

kafka::Message Record(std::string id, std::string type, std::string data,
                      std::string time = "2026-11-25T10:00:00.000000Z") {
  kafka::Record record;
  messaging::Encode(messaging::CloudEvent{.id = std::move(id),
                                          .type = std::move(type),
                                          .source = "/inventory",
                                          .time = std::move(time),
                                          .subject = "7",
                                          .data = std::move(data)},
                    record);
  kafka::Message message;
  message.topic = "inventory.events";
  message.key = "7";
  message.value = std::move(record.value);
  message.headers = std::move(record.headers);
  return message;
}

std::string Updated(std::int64_t product_id, std::int64_t available,
                    std::string occurred_at = "2026-11-25T10:00:00.000000Z") {
  ev::InventoryUpdated m;
  m.set_product_id(product_id);
  m.set_on_hand(available + 2);
  m.set_reserved(2);
  m.set_available(available);
  m.set_reason("purchase");
  m.set_occurred_at(std::move(occurred_at));
  return m.SerializeAsString();
}

constexpr const char* kUpdatedType = "fo.events.v1.InventoryUpdated";

class InventoryEventsTest : public ::testing::Test {
 protected:
  InventoryEventsTest() { levels_.products[7] = {}; }

  void Handle(const kafka::Message& message) { fo::testing::RunIn(io_, handler_(ctx_, message)); }
  // Whether handling `message` is a PoisonMessage (anything else thrown fails the test).
  bool Poison(const kafka::Message& message) {
    try {
      Handle(message);
    } catch (const kafka::PoisonMessage&) {
      return true;
    }
    return false;
  }

  boost::asio::io_context io_;
  Context ctx_;
  testing::FakeStockLevels levels_;
  app::StockView view_{levels_};
  kafka::Handler handler_ = InventoryEventsHandler(view_);
};

TEST_F(InventoryEventsTest, InventoryUpdatedSetsTheStockOncePerEventId) {
  Handle(Record("ev-1", kUpdatedType, Updated(7, 5)));
  EXPECT_EQ(levels_.products[7].available, 5);
  ASSERT_EQ(levels_.seen.size(), 1u);
  EXPECT_EQ(levels_.seen[0].id, "ev-1");
  EXPECT_EQ(levels_.seen[0].type, kUpdatedType);
  EXPECT_EQ(levels_.seen[0].topic, "inventory.events");
  // Redelivered (or replayed with other numbers): no second effect.
  Handle(Record("ev-1", kUpdatedType, Updated(7, 9, "2026-11-25T11:00:00.000000Z")));
  EXPECT_EQ(levels_.products[7].available, 5);
  Handle(Record("ev-2", kUpdatedType, Updated(7, 3, "2026-11-25T11:00:00.000000Z")));
  EXPECT_EQ(levels_.products[7].available, 3);
}

TEST_F(InventoryEventsTest, AnOlderReportDoesNotOverwriteANewerOne) {
  Handle(Record("ev-new", kUpdatedType, Updated(7, 4, "2026-11-25T12:00:00.000000Z")));
  Handle(Record("ev-old", kUpdatedType, Updated(7, 8, "2026-11-25T11:00:00.000000Z")));
  EXPECT_EQ(levels_.products[7].available, 4);
  EXPECT_EQ(levels_.products[7].as_of, "2026-11-25T12:00:00.000000Z");
}

TEST_F(InventoryEventsTest, WithoutOccurredAtTheEnvelopeTimeOrders) {
  Handle(Record("ev-1", kUpdatedType, Updated(7, 4, ""), "2026-11-25T13:00:00.000000Z"));
  EXPECT_EQ(levels_.products[7].as_of, "2026-11-25T13:00:00.000000Z");
}

TEST_F(InventoryEventsTest, OtherTypesAndUnknownProductsAreSkipped) {
  Handle(Record("ev-1", "fo.events.v1.SomethingNew", "whatever"));
  EXPECT_TRUE(levels_.seen.empty());
  Handle(Record("ev-2", kUpdatedType, Updated(12345, 5)));  // no such product here
  EXPECT_EQ(levels_.seen.size(), 1u);
  EXPECT_EQ(levels_.products[7].available, 0);
}

TEST_F(InventoryEventsTest, RecordsThatCanNeverApplyArePoison) {
  kafka::Message bare;
  bare.topic = "inventory.events";
  bare.value = "garbage";
  EXPECT_TRUE(Poison(bare));                                                 // not a CloudEvent
  EXPECT_TRUE(Poison(Record("ev-1", kUpdatedType, "\xff\xff\xff")));         // no protobuf
  EXPECT_TRUE(Poison(Record("ev-2", kUpdatedType, Updated(7, -1))));         // negative stock
  EXPECT_TRUE(Poison(Record("ev-3", kUpdatedType, Updated(0, 1))));          // no product id
  EXPECT_TRUE(Poison(Record("ev-4", kUpdatedType, Updated(7, 1, "soon"))));  // bad time
  EXPECT_TRUE(levels_.seen.empty());
  EXPECT_EQ(levels_.products[7].available, 0);
}

// A database outage is not poison: the consumer retries it.
TEST_F(InventoryEventsTest, StoreFailuresAreRetriedNotDeadLettered) {
  class Down final : public app::StockLevels {
    app::Task<app::StockOutcome> ApplyStockReport(const Context&, const app::EventRef&,
                                                  const app::StockReport&) override {
      throw Unavailable("database down");
      co_return app::StockOutcome::kApplied;
    }
  } down;
  app::StockView view(down);
  auto handler = InventoryEventsHandler(view);
  try {
    fo::testing::RunIn(io_, handler(ctx_, Record("ev-1", kUpdatedType, Updated(7, 1))));
    FAIL() << "expected an error";
  } catch (const kafka::PoisonMessage&) {
    FAIL() << "an outage must not be poison";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
  }
}

}  // namespace
}  // namespace fo::product::transport
