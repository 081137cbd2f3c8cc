#pragma once
// The Kafka face of app::Settlement: decodes CloudEvents from payment.events and hands the
// payment outcomes to the use case.
#include "platform/kafka/consumer.hpp"
#include "services/inventory/app/settlement.hpp"

namespace fo::inventory::transport {

inline constexpr std::string_view kPaymentEventsTopic = "payment.events";

// A handler for kafka::Consumer. Unknown event types are skipped (newer producers may add some);
// an undecodable record is a kafka::PoisonMessage.
kafka::Handler PaymentEventsHandler(app::Settlement& settlement);

}  // namespace fo::inventory::transport
