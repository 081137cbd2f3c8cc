// The product.events outbox entries: topic, key, ce_type and every payload field.
#include "services/product/adapters/product_events.hpp"

#include <gtest/gtest.h>

#include "events/v1/events.pb.h"

namespace fo::product::adapters {
namespace {

namespace ev = ::fo::events::v1;

domain::Product Lamp() {
  domain::Product p;
  p.id = 42;
  p.name = "Desk lamp";
  p.description = "not in the event";
  p.price = 1999;
  p.currency = "EUR";
  p.category = "lamps";
  p.sku = "LAMP-1";
  p.is_active = false;
  p.stock = 7;
  p.created_at = "2026-11-25T10:00:00.000001Z";
  p.updated_at = "2026-11-25T11:00:00.000002Z";
  return p;
}

template <typename Message>
Message Decoded(const messaging::OutboxEvent& event) {
  Message message;
  EXPECT_TRUE(message.ParseFromString(event.payload));
  return message;
}

TEST(ProductEvents, CreatedCarriesTheNewProduct) {
  const auto event = ProductCreatedEvent(Lamp());
  EXPECT_EQ(event.topic, "product.events");
  EXPECT_EQ(event.key, "42");
  EXPECT_EQ(event.type, "fo.events.v1.ProductCreated");
  EXPECT_TRUE(event.id.empty());  // Append gives it a UUIDv7
  const auto m = Decoded<ev::ProductCreated>(event);
  EXPECT_EQ(m.product_id(), 42);
  EXPECT_EQ(m.sku(), "LAMP-1");
  EXPECT_EQ(m.name(), "Desk lamp");
  EXPECT_EQ(m.price(), 1999);
  EXPECT_EQ(m.currency(), "EUR");
  EXPECT_EQ(m.category(), "lamps");
  EXPECT_FALSE(m.is_active());
  EXPECT_EQ(m.occurred_at(), "2026-11-25T10:00:00.000001Z");
}

TEST(ProductEvents, UpdatedCarriesTheProductAfterTheChange) {
  auto lamp = Lamp();
  lamp.is_active = true;
  const auto event = ProductUpdatedEvent(lamp);
  EXPECT_EQ(event.topic, "product.events");
  EXPECT_EQ(event.key, "42");
  EXPECT_EQ(event.type, "fo.events.v1.ProductUpdated");
  const auto m = Decoded<ev::ProductUpdated>(event);
  EXPECT_EQ(m.product_id(), 42);
  EXPECT_EQ(m.sku(), "LAMP-1");
  EXPECT_EQ(m.name(), "Desk lamp");
  EXPECT_EQ(m.price(), 1999);
  EXPECT_EQ(m.currency(), "EUR");
  EXPECT_EQ(m.category(), "lamps");
  EXPECT_TRUE(m.is_active());
  EXPECT_EQ(m.occurred_at(), "2026-11-25T11:00:00.000002Z");
}

TEST(ProductEvents, DeletedCarriesIdSkuAndTime) {
  const auto event = ProductDeletedEvent(9000000000, "OLD-1", "2026-11-25T12:00:00.000000Z");
  EXPECT_EQ(event.topic, "product.events");
  EXPECT_EQ(event.key, "9000000000");
  EXPECT_EQ(event.type, "fo.events.v1.ProductDeleted");
  const auto m = Decoded<ev::ProductDeleted>(event);
  EXPECT_EQ(m.product_id(), 9000000000);
  EXPECT_EQ(m.sku(), "OLD-1");
  EXPECT_EQ(m.occurred_at(), "2026-11-25T12:00:00.000000Z");
}

}  // namespace
}  // namespace fo::product::adapters
