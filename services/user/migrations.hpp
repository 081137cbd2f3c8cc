#pragma once
#include <vector>

#include "platform/pg/migrations.hpp"

namespace fo::user {

// The user service's schema, embedded from services/user/migrations/*.sql at build time.
const std::vector<fo::pg::Migration>& Migrations();

}  // namespace fo::user
