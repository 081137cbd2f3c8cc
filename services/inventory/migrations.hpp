#pragma once
#include <vector>

#include "platform/pg/migrations.hpp"

namespace fo::inventory {

// The inventory service's schema, embedded from services/inventory/migrations/*.sql at build time.
const std::vector<fo::pg::Migration>& Migrations();

}  // namespace fo::inventory
