#pragma once
// Keeps the response cache honest: every product event (created, updated, deleted) and every
// stock report from inventory drops the cached pages of that product and every list, moments
// after the change committed upstream.
#include <string_view>

#include "platform/kafka/consumer.hpp"
#include "services/gateway/app/ports.hpp"

namespace fo::gateway::transport {

inline constexpr std::string_view kProductEventsTopic = "product.events";
inline constexpr std::string_view kInventoryEventsTopic = "inventory.events";

// A handler for kafka::Consumer. Unknown event types are skipped; a record that is not a
// CloudEvent or does not decode is a kafka::PoisonMessage. A cache that cannot be reached
// throws, so the consumer retries (and the record is not committed before it worked).
kafka::Handler CatalogEventsHandler(app::ResponseCache& cache);

}  // namespace fo::gateway::transport
