#include "services/inventory/transport/payment_events.hpp"

#include "events/v1/events.pb.h"
#include "platform/messaging/cloud_event.hpp"
#include "platform/telemetry/log/log.hpp"

namespace fo::inventory::transport {
namespace {

namespace ev = ::fo::events::v1;
using app::PaymentOutcome;

template <typename Message>
std::string PaymentIdOf(const std::string& data, std::string_view type) {
  Message message;
  if (!message.ParseFromString(data) || message.payment_id().empty()) {
    throw kafka::PoisonMessage(std::string(type) + " payload does not decode");
  }
  return message.payment_id();
}

// nullopt: a type this service does not act on.
std::optional<app::PaymentEvent> ToPaymentEvent(const messaging::CloudEvent& event,
                                                const kafka::Message& record) {
  app::PaymentEvent out;
  out.event_id = event.id;
  out.type = event.type;
  out.topic = record.topic;
  if (event.type == "fo.events.v1.ProductPurchased") {
    out.outcome = PaymentOutcome::kPurchased;
    out.payment_id = PaymentIdOf<ev::ProductPurchased>(event.data, event.type);
  } else if (event.type == "fo.events.v1.PaymentFailed") {
    out.outcome = PaymentOutcome::kFailed;
    out.payment_id = PaymentIdOf<ev::PaymentFailed>(event.data, event.type);
  } else if (event.type == "fo.events.v1.PaymentRefunded") {
    out.outcome = PaymentOutcome::kRefunded;
    out.payment_id = PaymentIdOf<ev::PaymentRefunded>(event.data, event.type);
  } else {
    return std::nullopt;
  }
  return out;
}

}  // namespace

kafka::Handler PaymentEventsHandler(app::Settlement& settlement) {
  return [&settlement](const Context& ctx,
                       const kafka::Message& record) -> boost::asio::awaitable<void> {
    const auto event = messaging::Decode(record);
    const auto payment_event = ToPaymentEvent(event, record);
    if (!payment_event) {
      log::Debug("payment event type ignored", {{"type", std::string_view(event.type)}});
      co_return;
    }
    co_await settlement.Apply(ctx, *payment_event);
  };
}

}  // namespace fo::inventory::transport
