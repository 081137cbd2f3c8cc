#pragma once
// The product.events outbox entries that announce catalog changes (fo.events.v1 messages, keyed
// by the product id so one product's events stay in order).
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/messaging/outbox.hpp"
#include "services/product/domain/product.hpp"

namespace fo::product::adapters {

inline constexpr std::string_view kProductEventsTopic = "product.events";

// occurred_at is the product's created_at.
messaging::OutboxEvent ProductCreatedEvent(const domain::Product& product);
// occurred_at is the product's updated_at (replace, partial update, activation).
messaging::OutboxEvent ProductUpdatedEvent(const domain::Product& product);
// occurred_at is when the product was (soft) deleted, RFC 3339 UTC.
messaging::OutboxEvent ProductDeletedEvent(std::int64_t product_id, std::string sku,
                                           std::string occurred_at);

}  // namespace fo::product::adapters
