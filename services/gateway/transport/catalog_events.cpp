#include "services/gateway/transport/catalog_events.hpp"

#include "events/v1/events.pb.h"
#include "platform/messaging/cloud_event.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "services/gateway/domain/cache_key.hpp"

namespace fo::gateway::transport {
namespace ev = ::fo::events::v1;

namespace {

template <typename Event>
std::int64_t ProductOf(const messaging::CloudEvent& event) {
  Event message;
  if (!message.ParseFromString(event.data)) {
    throw kafka::PoisonMessage(event.type + " payload does not decode");
  }
  return message.product_id();
}

// The product an event is about, or 0 for types that do not concern the catalog's pages.
std::int64_t AffectedProduct(const messaging::CloudEvent& event) {
  if (event.type == ev::InventoryUpdated::descriptor()->full_name()) {
    return ProductOf<ev::InventoryUpdated>(event);
  }
  if (event.type == ev::ProductCreated::descriptor()->full_name()) {
    return ProductOf<ev::ProductCreated>(event);
  }
  if (event.type == ev::ProductUpdated::descriptor()->full_name()) {
    return ProductOf<ev::ProductUpdated>(event);
  }
  if (event.type == ev::ProductDeleted::descriptor()->full_name()) {
    return ProductOf<ev::ProductDeleted>(event);
  }
  return 0;
}

prometheus::Family<prometheus::Counter>& Invalidations() {
  static auto& family = metrics::Global().Counter(
      "gateway_cache_invalidations_total",
      "Cache entries dropped because of catalog and stock events, by event type.");
  return family;
}

boost::asio::awaitable<void> Handle(app::ResponseCache& cache, const Context& ctx,
                                    const kafka::Message& record) {
  const auto event = messaging::Decode(record);
  const auto product = AffectedProduct(event);
  if (product <= 0) {
    log::Debug("catalog event ignored", {{"type", std::string_view(event.type)}});
    co_return;
  }
  const auto pages = co_await cache.Invalidate(ProductTag(product), ctx);
  const auto lists = co_await cache.Invalidate(std::string(kListsTag), ctx);
  Invalidations().Add({{"type", event.type}}).Increment(static_cast<double>(pages + lists));
  log::Debug("cache invalidated", {{"type", std::string_view(event.type)},
                                   {"product_id", product},
                                   {"entries", pages + lists}});
}

}  // namespace

kafka::Handler CatalogEventsHandler(app::ResponseCache& cache) {
  return [&cache](const Context& ctx, const kafka::Message& record) {
    return Handle(cache, ctx, record);
  };
}

}  // namespace fo::gateway::transport
