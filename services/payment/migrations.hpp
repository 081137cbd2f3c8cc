#pragma once
#include <vector>

#include "platform/pg/migrations.hpp"

namespace fo::payment {

// The payment service's schema, embedded from services/payment/migrations/*.sql at build time.
// Pass messaging::WithMessagingMigrations(Migrations()) to pg::Migrate: it adds the outbox.
const std::vector<fo::pg::Migration>& Migrations();

}  // namespace fo::payment
