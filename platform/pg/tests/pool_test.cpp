// Integration tests against the private PostgreSQL started by `make test`.
#include "platform/pg/pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/detached.hpp>

#include "platform/pg/migrations.hpp"
#include "platform/testing/run.hpp"

namespace fo::pg {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using asio::awaitable;

class PoolTest : public ::testing::Test {
 protected:
  PoolOptions Options(std::size_t size = 4) {
    PoolOptions o;
    o.url = fo::testing::RequiredEnv("FO_TEST_DATABASE_URL");
    o.max_size = size;
    o.acquire_timeout = 300ms;
    return o;
  }
  Context Ctx(std::chrono::milliseconds budget = 5s) {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + budget;
    return ctx;
  }
  asio::io_context io;
};

const Statement kSelectSum{"test_sum", "SELECT $1::bigint + $2::bigint, $3::text, $4::bool, NULL",
                           "SELECT", "none"};

TEST_F(PoolTest, RunsPreparedStatementsWithTypedParams) {
  Pool pool(io.get_executor(), Options());
  auto result = fo::testing::RunIn(io, [&]() -> awaitable<Result> {
    co_await pool.Query(Ctx(), kSelectSum, Params(1, 2, "x", true));  // prepares
    co_return co_await pool.Query(Ctx(), kSelectSum, Params(40, 2, "héllo", false));
  }());
  ASSERT_EQ(result.Rows(), 1);
  EXPECT_EQ(result[0].Int(0), 42);
  EXPECT_EQ(result[0].String(1), "héllo");
  EXPECT_FALSE(result[0].Bool(2));
  EXPECT_TRUE(result[0].IsNull(3));
  EXPECT_EQ(result[0].OptionalInt(3), std::nullopt);
}

TEST_F(PoolTest, PassesArraysElementByElement) {
  const Statement unnest{"test_arrays",
                         "SELECT a, b FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY "
                         "AS t(a, b, n) ORDER BY n",
                         "SELECT", "none"};
  const std::vector<std::string> texts{"plain",       "a,b",  "{x}", "say \"hi\"",
                                       "back\\slash", "NULL", ""};
  const std::vector<std::int64_t> ids{1, -2, 3, 4, 5, 6, 7};
  Pool pool(io.get_executor(), Options());
  auto result = fo::testing::RunIn(io, [&]() -> awaitable<Result> {
    co_return co_await pool.Query(Ctx(), unnest, Params(ids, texts));
  }());
  ASSERT_EQ(result.Rows(), 7);
  for (int i = 0; i < result.Rows(); ++i) {
    EXPECT_EQ(result[i].Int(0), ids[static_cast<std::size_t>(i)]);
    EXPECT_FALSE(result[i].IsNull(1)) << i;  // "NULL" is text, not a null element
    EXPECT_EQ(result[i].String(1), texts[static_cast<std::size_t>(i)]);
  }
}

TEST_F(PoolTest, TransactionRollsBackOnException) {
  Pool pool(io.get_executor(), Options());
  const Statement create{"tx_create", "CREATE TABLE IF NOT EXISTS pool_test_tx (v int UNIQUE)",
                         "CREATE", "pool_test_tx"};
  const Statement insert{"tx_insert", "INSERT INTO pool_test_tx VALUES ($1)", "INSERT",
                         "pool_test_tx"};
  const Statement count{"tx_count", "SELECT count(*) FROM pool_test_tx", "SELECT", "pool_test_tx"};
  auto rows = fo::testing::RunIn(io, [&]() -> awaitable<std::int64_t> {
    co_await pool.Query(Ctx(), create);
    const Statement truncate{"tx_trunc", "TRUNCATE pool_test_tx", "TRUNCATE", "pool_test_tx"};
    co_await pool.Query(Ctx(), truncate);
    bool threw = false;
    try {
      co_await pool.Transaction(Ctx(), [&](Tx& tx) -> awaitable<int> {
        co_await tx.Query(insert, Params(1));
        co_await tx.Query(insert, Params(1));  // unique violation
        co_return 0;
      });
    } catch (const DbError& e) {
      threw = e.IsUniqueViolation() && e.kind() == ErrorKind::kConflict;
    }
    EXPECT_TRUE(threw);
    co_await pool.Transaction(Ctx(), [&](Tx& tx) -> awaitable<int> {
      co_await tx.Query(insert, Params(2));
      co_return 0;
    });
    auto r = co_await pool.Query(Ctx(), count);
    co_return r[0].Int(0);
  }());
  EXPECT_EQ(rows, 1);  // only the committed row
}

TEST_F(PoolTest, DeadlineCutsALongStatementAndDropsTheConnection) {
  Pool pool(io.get_executor(), Options(1));
  const Statement sleep{"sleep", "SELECT pg_sleep(5)", "SELECT", "none"};
  const auto started = std::chrono::steady_clock::now();
  auto kind = fo::testing::RunIn(io, [&]() -> awaitable<ErrorKind> {
    try {
      co_await pool.Query(Ctx(200ms), sleep);
    } catch (const Error& e) {
      co_return e.kind();
    }
    co_return ErrorKind::kInvalidArgument;
  }());
  EXPECT_EQ(kind, ErrorKind::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(pool.Size(), 0u);  // the cut connection was not returned to the pool
  EXPECT_TRUE(fo::testing::RunIn(io, pool.Ping(std::chrono::steady_clock::now() + 5s)));
}

TEST_F(PoolTest, AcquireTimesOutWhenThePoolIsExhausted) {
  Pool pool(io.get_executor(), Options(1));
  auto kind = fo::testing::RunIn(io, [&]() -> awaitable<ErrorKind> {
    auto held = co_await pool.Acquire(std::chrono::steady_clock::now() + 5s);
    try {
      auto second = co_await pool.Acquire(std::chrono::steady_clock::now() + 5s);
    } catch (const Error& e) {
      co_return e.kind();
    }
    co_return ErrorKind::kInvalidArgument;
  }());
  EXPECT_EQ(kind, ErrorKind::kUnavailable);
  EXPECT_EQ(pool.Size(), 1u);
}

TEST_F(PoolTest, ServesManyConcurrentCoroutinesWithFewConnections) {
  Pool pool(io.get_executor(), Options(3));
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> awaitable<void> {
          auto r = co_await pool.Query(Ctx(), kSelectSum, Params(i, 1, "c", true));
          if (r[0].Int(0) == i + 1) ++done;
        },
        asio::detached);
  }
  io.run();
  EXPECT_EQ(done.load(), 50);
  EXPECT_LE(pool.Size(), 3u);
}

TEST_F(PoolTest, UnreachableDatabaseIsUnavailableNotACrash) {
  auto options = Options();
  options.url = "postgresql://fo:fo@127.0.0.1:1/none?connect_timeout=2";
  Pool pool(io.get_executor(), options);
  EXPECT_FALSE(fo::testing::RunIn(io, pool.Ping(std::chrono::steady_clock::now() + 3s)));
}

TEST_F(PoolTest, MigrationsApplyOnceUnderTheLock) {
  Pool pool(io.get_executor(), Options());
  const std::vector<Migration> migrations{
      {2, "002_add", "ALTER TABLE mig_test ADD COLUMN IF NOT EXISTS b int"},
      {1, "001_create", "DROP TABLE IF EXISTS mig_test; CREATE TABLE mig_test (a int)"},
  };
  auto counts = fo::testing::RunIn(io, [&]() -> awaitable<std::pair<int, int>> {
    const Statement reset{"mig_reset", "DROP TABLE IF EXISTS schema_migrations", "DROP",
                          "schema_migrations"};
    co_await pool.Query(Ctx(), reset);
    int first = co_await Migrate(pool, migrations, "pool_test");
    int second = co_await Migrate(pool, migrations, "pool_test");
    co_return std::pair{first, second};
  }());
  EXPECT_EQ(counts.first, 2);
  EXPECT_EQ(counts.second, 0);
}

}  // namespace
}  // namespace fo::pg
