#include "platform/pg/migrations.hpp"

#include <algorithm>
#include <set>

#include "platform/telemetry/log/log.hpp"

namespace fo::pg {
namespace asio = boost::asio;

asio::awaitable<int> Migrate(Pool& pool, const std::vector<Migration>& migrations,
                             std::string_view lock_name) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  auto lease = co_await pool.Acquire(deadline);
  auto& c = *lease;
  // A session-level lock: held across the per-migration transactions below.
  co_await c.Execute("SELECT pg_advisory_lock(hashtext($1))", Params(lock_name), deadline);
  int applied = 0;
  std::exception_ptr failure;
  try {
    co_await c.Execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text NOT "
        "NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        Params(), deadline);
    auto rows = co_await c.Execute("SELECT version FROM schema_migrations", Params(), deadline);
    std::set<std::int64_t> done;
    for (int i = 0; i < rows.Rows(); ++i) done.insert(rows[i].Int(0));
    auto ordered = migrations;
    std::sort(ordered.begin(), ordered.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (const auto& m : ordered) {
      if (done.contains(m.version)) continue;
      co_await c.Execute("BEGIN", Params(), deadline);
      try {
        co_await c.Execute(m.sql, Params(), deadline);
        co_await c.Execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                           Params(m.version, m.name), deadline);
        co_await c.Execute("COMMIT", Params(), deadline);
      } catch (...) {
        failure = std::current_exception();
      }
      if (failure) {
        if (c.Usable()) co_await c.Execute("ROLLBACK", Params(), deadline);
        log::Error("migration failed", {{"version", m.version}, {"name", m.name}});
        break;
      }
      log::Info("migration applied", {{"version", m.version}, {"name", m.name}});
      ++applied;
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (c.Usable()) {
    co_await c.Execute("SELECT pg_advisory_unlock(hashtext($1))", Params(lock_name), deadline);
  }
  if (failure) std::rethrow_exception(failure);
  co_return applied;
}

}  // namespace fo::pg
