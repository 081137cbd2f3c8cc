#include "services/product/transport/inventory_events.hpp"

#include "events/v1/events.pb.h"
#include "platform/messaging/cloud_event.hpp"
#include "platform/telemetry/log/log.hpp"

namespace fo::product::transport {
namespace {

namespace ev = ::fo::events::v1;

app::StockReport ToReport(const messaging::CloudEvent& event) {
  ev::InventoryUpdated message;
  if (!message.ParseFromString(event.data)) {
    throw kafka::PoisonMessage(event.type + " payload does not decode");
  }
  app::StockReport report;
  report.product_id = message.product_id();
  report.available = message.available();
  // The change's own time; the envelope's time (when inventory wrote the event) otherwise.
  report.as_of = message.occurred_at().empty() ? event.time : message.occurred_at();
  return report;
}

// A report the use case refuses can never apply: retrying it would only delay the DLQ.
boost::asio::awaitable<app::StockOutcome> Apply(app::StockView& stock, const Context& ctx,
                                                const app::EventRef& ref,
                                                const app::StockReport& report) {
  try {
    co_return co_await stock.Apply(ctx, ref, report);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kInvalidArgument) throw;
    throw kafka::PoisonMessage(e.what());
  }
}

boost::asio::awaitable<void> Handle(app::StockView& stock, const Context& ctx,
                                    const kafka::Message& record) {
  const auto event = messaging::Decode(record);
  if (event.type != ev::InventoryUpdated::descriptor()->full_name()) {
    log::Debug("inventory event type ignored", {{"type", std::string_view(event.type)}});
    co_return;
  }
  const auto report = ToReport(event);
  app::EventRef ref;
  ref.id = event.id;
  ref.type = event.type;
  ref.topic = record.topic;
  const auto outcome = co_await Apply(stock, ctx, ref, report);
  log::Debug("stock report", {{"event_id", std::string_view(ref.id)},
                              {"product_id", report.product_id},
                              {"available", report.available},
                              {"outcome", app::ToString(outcome)}});
}

}  // namespace

kafka::Handler InventoryEventsHandler(app::StockView& stock) {
  return [&stock](const Context& ctx, const kafka::Message& record) {
    return Handle(stock, ctx, record);
  };
}

}  // namespace fo::product::transport
