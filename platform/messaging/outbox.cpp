#include "platform/messaging/outbox.hpp"

#include "platform/ids/uuid.hpp"
#include "platform/messaging/hex.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"

namespace fo::messaging {

boost::asio::awaitable<std::string> Append(pg::Tx& tx, const Context& ctx, OutboxEvent event) {
  static const pg::Statement kInsert{
      "messaging_outbox_append",
      "INSERT INTO outbox (id, topic, key, type, payload, traceparent, tracestate) "
      "VALUES ($1::uuid, $2, $3, $4, decode($5, 'hex'), $6, $7)",
      "INSERT", "outbox"};
  if (event.id.empty()) event.id = ids::NewUuidV7();
  std::string traceparent;
  std::string tracestate;
  if (ctx.span.IsValid()) {
    traceparent = telemetry::FormatTraceparent(ctx.span);
    tracestate = ctx.span.trace_state;
  }
  // Parameters built before the co_await: GCC 12 mishandles temporaries of a conditional
  // expression inside a co_await statement.
  const pg::Params params(event.id, event.topic, event.key, event.type, ToHex(event.payload),
                          traceparent, tracestate);
  co_await tx.Query(kInsert, params);
  co_return event.id;
}

std::vector<pg::Migration> WithMessagingMigrations(const std::vector<pg::Migration>& service) {
  std::vector<pg::Migration> all = service;
  const auto& own = Migrations();
  all.insert(all.end(), own.begin(), own.end());
  return all;
}

}  // namespace fo::messaging
