#pragma once
// Versioned SQL migrations, embedded in the binary at build time (see cmake/Migrations.cmake),
// applied in order under an advisory lock so replicas starting together do not race, and
// recorded in schema_migrations so a second run is a no-op.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string_view>
#include <vector>

#include "platform/pg/pool.hpp"

namespace fo::pg {

struct Migration {
  std::int64_t version;
  std::string_view name;
  std::string_view sql;
};

// Returns how many migrations this call applied.
boost::asio::awaitable<int> Migrate(Pool& pool, const std::vector<Migration>& migrations,
                                    std::string_view lock_name);

}  // namespace fo::pg
