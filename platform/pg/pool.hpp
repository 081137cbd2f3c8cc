#pragma once
// A bounded pool of asynchronous connections. Acquire waits at most until the caller's deadline
// or the acquire timeout; every statement gets a client span and a duration observation.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

#include "platform/context/context.hpp"
#include "platform/pg/connection.hpp"

namespace fo::pg {

struct PoolOptions {
  std::string url;
  std::size_t max_size = 10;
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{10'000};  // server-side cap for every statement
  // DATABASE_URL (or `url_variable`), DB_POOL_SIZE, DB_ACQUIRE_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS
  static PoolOptions FromEnv(std::string_view url_variable, std::string_view default_url);
};

class Pool;

// A connection on loan; it goes back to the pool (or is dropped if unusable) on destruction.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> connection);
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) noexcept = default;
  ~Lease();
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> connection_;
};

// Statements inside one transaction.
class Tx {
 public:
  Tx(Connection& connection, const Context& context) : connection_(connection), ctx_(context) {}
  boost::asio::awaitable<Result> Query(const Statement& statement, const Params& params = {});
  boost::asio::awaitable<Result> Query(std::string_view sql, const Params& params = {});

 private:
  Connection& connection_;
  const Context& ctx_;
};

class Pool {
 public:
  Pool(boost::asio::any_io_executor executor, PoolOptions options);
  ~Pool();

  boost::asio::awaitable<Lease> Acquire(Deadline deadline);
  boost::asio::awaitable<Result> Query(const Context& ctx, const Statement& statement,
                                       const Params& params = {});

  // Runs fn(Tx&) between BEGIN and COMMIT; any exception rolls back and propagates.
  template <typename Fn>
  auto Transaction(const Context& ctx, Fn fn) -> decltype(fn(std::declval<Tx&>())) {
    auto lease = co_await Acquire(ctx.deadline);
    Tx tx(*lease, ctx);
    co_await tx.Query("BEGIN");
    std::exception_ptr failure;
    try {
      auto result = co_await fn(tx);
      co_await tx.Query("COMMIT");
      co_return result;
    } catch (...) {
      failure = std::current_exception();
    }
    if (lease->Usable() && lease->InTransaction()) {
      try {
        co_await tx.Query("ROLLBACK");
      } catch (...) {  // the connection is dropped by the lease if it broke
      }
    }
    std::rethrow_exception(failure);
  }

  // True when a connection can run SELECT 1 before the deadline (readiness).
  boost::asio::awaitable<bool> Ping(Deadline deadline);
  std::size_t Size() const { return size_.load(); }
  std::size_t MaxSize() const { return options_.max_size; }

 private:
  friend class Lease;
  void Return(std::unique_ptr<Connection> connection);
  void Forget(bool opened);  // a connection slot is free again
  boost::asio::awaitable<std::unique_ptr<Connection>> Open(Deadline deadline);

  // A coroutine waiting for a connection: Return() fills `connection` and cancels the timer.
  struct Waiter;
  boost::asio::any_io_executor executor_;
  PoolOptions options_;
  std::string url_;  // with the statement timeout added
  std::mutex mutex_;
  std::deque<std::unique_ptr<Connection>> idle_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
  std::atomic<std::size_t> size_{0};
  struct Metrics;
  std::unique_ptr<Metrics> metrics_;
};

// Runs one statement with its span and metrics (Pool::Query and Tx::Query share it).
boost::asio::awaitable<Result> Instrumented(Connection& connection, const Context& ctx,
                                            const Statement& statement, const Params& params);

}  // namespace fo::pg
