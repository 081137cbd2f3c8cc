#pragma once
// The writing half of the transactional outbox: an event becomes a row in the same transaction
// as the state change it announces, so either both happen or neither does. OutboxRelay
// (relay.hpp) later publishes the rows.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "platform/context/context.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/pg/pool.hpp"

namespace fo::messaging {

struct OutboxEvent {
  std::string topic;    // e.g. "payment.events"
  std::string key;      // the aggregate id
  std::string type;     // ce_type, e.g. "fo.events.v1.ProductPurchased"
  std::string payload;  // serialized protobuf (binary)
  std::string id;       // ce_id; empty: a new UUIDv7
};

// Inserts the event with ctx's trace context (the producer span later becomes its child).
// Returns the event id.
boost::asio::awaitable<std::string> Append(pg::Tx& tx, const Context& ctx, OutboxEvent event);

// The outbox and inbox tables (versions 9000+), to apply beside the service's own migrations.
const std::vector<pg::Migration>& Migrations();
// `service` followed by the messaging migrations: what a publishing service passes to Migrate.
std::vector<pg::Migration> WithMessagingMigrations(const std::vector<pg::Migration>& service);

}  // namespace fo::messaging
