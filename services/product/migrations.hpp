#pragma once
#include <vector>

#include "platform/pg/migrations.hpp"

namespace fo::product {

// The product service's schema, embedded from services/product/migrations/*.sql at build time.
const std::vector<fo::pg::Migration>& Migrations();

}  // namespace fo::product
