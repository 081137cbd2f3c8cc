#include "services/product/adapters/product_events.hpp"

#include "events/v1/events.pb.h"

namespace fo::product::adapters {
namespace {

namespace events = fo::events::v1;

// ce_type is the message's full name, "fo.events.v1.<MessageName>".
messaging::OutboxEvent Event(std::int64_t product_id, const google::protobuf::Message& message) {
  messaging::OutboxEvent event;
  event.topic = std::string(kProductEventsTopic);
  event.key = std::to_string(product_id);
  event.type = message.GetTypeName();
  event.payload = message.SerializeAsString();
  return event;
}

// ProductCreated and ProductUpdated carry the same fields.
template <typename Message>
Message Snapshot(const domain::Product& product, const std::string& occurred_at) {
  Message message;
  message.set_product_id(product.id);
  message.set_sku(product.sku);
  message.set_name(product.name);
  message.set_price(product.price);
  message.set_currency(product.currency);
  message.set_category(product.category);
  message.set_is_active(product.is_active);
  message.set_occurred_at(occurred_at);
  return message;
}

}  // namespace

messaging::OutboxEvent ProductCreatedEvent(const domain::Product& product) {
  return Event(product.id, Snapshot<events::ProductCreated>(product, product.created_at));
}

messaging::OutboxEvent ProductUpdatedEvent(const domain::Product& product) {
  return Event(product.id, Snapshot<events::ProductUpdated>(product, product.updated_at));
}

messaging::OutboxEvent ProductDeletedEvent(std::int64_t product_id, std::string sku,
                                           std::string occurred_at) {
  events::ProductDeleted message;
  message.set_product_id(product_id);
  message.set_sku(std::move(sku));
  message.set_occurred_at(std::move(occurred_at));
  return Event(product_id, message);
}

}  // namespace fo::product::adapters
