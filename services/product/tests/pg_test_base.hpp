#pragma once
// Shared set-up of the PostgreSQL integration tests: a pool on the private test database
// (FO_TEST_PRODUCT_DATABASE_URL, set by scripts/test), migrated (with the outbox and inbox) and
// emptied.
#include <gtest/gtest.h>

#include <functional>

#include "platform/errors/error.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/testing/run.hpp"
#include "services/product/adapters/pg_product_repository.hpp"
#include "services/product/migrations.hpp"

namespace fo::product::adapters {

class PgTest : public ::testing::Test {
 protected:
  PgTest() : pool_(io_.get_executor(), Options()) {
    Run(pg::Migrate(pool_, messaging::WithMessagingMigrations(Migrations()), "product-service"));
    Exec("TRUNCATE favorites, products, outbox, inbox RESTART IDENTITY");
  }

  static pg::PoolOptions Options() {
    pg::PoolOptions o;
    o.url = fo::testing::RequiredEnv("FO_TEST_PRODUCT_DATABASE_URL");
    o.max_size = 8;
    o.statement_timeout = std::chrono::seconds(60);
    return o;
  }
  static Context Ctx() {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    return ctx;
  }
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return fo::testing::RunIn(io_, std::move(work));
  }
  // Ad-hoc SQL with parameters, outside the repository (set-up and checks).
  pg::Result Exec(std::string sql, pg::Params params = {}) {
    return Run(pool_.Transaction(Ctx(),
                                 [sql = std::move(sql), params = std::move(params)](
                                     pg::Tx& tx) -> boost::asio::awaitable<pg::Result> {
                                   co_return co_await tx.Query(sql, params);
                                 }));
  }
  // SQL that must run outside a transaction block (VACUUM).
  void ExecOutsideTransaction(std::string sql) {
    Run([](pg::Pool& pool, std::string text) -> boost::asio::awaitable<void> {
      const auto deadline = Ctx().deadline;
      auto lease = co_await pool.Acquire(deadline);
      co_await lease->Execute(text, pg::Params(), deadline);
    }(pool_, std::move(sql)));
  }
  std::int64_t Scalar(std::string sql, pg::Params params = {}) {
    return Exec(std::move(sql), std::move(params))[0].Int(0);
  }
  ErrorKind KindOf(const std::function<void()>& fn) { return fo::testing::ErrorFrom(fn).kind(); }

  boost::asio::io_context io_;
  pg::Pool pool_;
};

}  // namespace fo::product::adapters
