#include "platform/pg/pool.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/config/env.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::pg {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct StatementMetrics {
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("db_client_operation_duration_seconds",
                                  "Duration of database statements."),
      {"operation", "table"},
      metrics::LatencyBuckets()};
  metrics::CounterChildren errors{
      metrics::Global().Counter("db_client_operation_errors_total",
                                "Database statements that failed, by SQLSTATE class."),
      {"table", "class"}};
};

StatementMetrics& GetStatementMetrics() {
  static StatementMetrics m;
  return m;
}

std::string WithSessionSettings(const std::string& url, const PoolOptions& options) {
  // libpq takes both URIs and key=value strings; add the server-side statement cap to either.
  const std::string setting =
      "-c statement_timeout=" + std::to_string(options.statement_timeout.count());
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    std::string encoded = setting;
    for (std::size_t i = 0; (i = encoded.find(' ', i)) != std::string::npos;) {
      encoded.replace(i, 1, "%20");
    }
    for (std::size_t i = 0; (i = encoded.find('=', i)) != std::string::npos;) {
      encoded.replace(i, 1, "%3D");
    }
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=" + encoded;
  }
  return url + " options='" + setting + "'";
}

}  // namespace

PoolOptions PoolOptions::FromEnv(std::string_view url_variable, std::string_view default_url) {
  PoolOptions o;
  o.url = config::String(url_variable, config::String("DATABASE_URL", default_url));
  o.max_size = static_cast<std::size_t>(config::Int("DB_POOL_SIZE", 10, 1, 1000));
  o.acquire_timeout = config::Millis("DB_ACQUIRE_TIMEOUT_MS", o.acquire_timeout);
  o.statement_timeout = config::Millis("DB_STATEMENT_TIMEOUT_MS", o.statement_timeout);
  return o;
}

struct Pool::Metrics {
  prometheus::Gauge& size = metrics::Global()
                                .Gauge("db_client_connections", "Open database connections.")
                                .Add({{"state", "open"}});
  prometheus::Counter& timeouts = metrics::Global()
                                      .Counter("db_client_connection_timeouts_total",
                                               "Acquires that found no free connection in time.")
                                      .Add({});
};

Lease::Lease(Pool* pool, std::unique_ptr<Connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

Lease::~Lease() {
  if (connection_) pool_->Return(std::move(connection_));
}

struct Pool::Waiter {
  explicit Waiter(asio::any_io_executor executor) : timer(executor) {}
  asio::steady_timer timer;
  std::unique_ptr<Connection> connection;  // set under the pool's mutex
  bool retry = false;                      // a slot freed up: try again (open a new connection)
};

void Pool::Forget(bool opened) {
  if (opened) metrics_->size.Decrement();
  std::lock_guard lock(mutex_);
  --size_;
  if (!waiters_.empty()) {
    auto waiter = std::move(waiters_.front());
    waiters_.pop_front();
    waiter->retry = true;
    waiter->timer.cancel();
  }
}

Pool::Pool(asio::any_io_executor executor, PoolOptions options)
    : executor_(executor),
      options_(std::move(options)),
      url_(WithSessionSettings(options_.url, options_)),
      metrics_(std::make_unique<Metrics>()) {}

Pool::~Pool() = default;

void Pool::Return(std::unique_ptr<Connection> connection) {
  if (!connection->Usable() || connection->InTransaction()) {
    connection.reset();  // dropped: closing it also aborts whatever it was running
    Forget(true);
    return;
  }
  std::lock_guard lock(mutex_);
  if (!waiters_.empty()) {
    auto waiter = std::move(waiters_.front());
    waiters_.pop_front();
    waiter->connection = std::move(connection);
    waiter->timer.cancel();  // wakes the waiter, which finds its connection
    return;
  }
  idle_.push_back(std::move(connection));
}

asio::awaitable<std::unique_ptr<Connection>> Pool::Open(Deadline deadline) {
  try {
    auto connection = co_await Connection::Connect(
        executor_, url_, std::min(deadline, Clock::now() + options_.connect_timeout));
    metrics_->size.Increment();
    co_return connection;
  } catch (...) {
    Forget(false);
    throw;
  }
}

asio::awaitable<Lease> Pool::Acquire(Deadline deadline) {
  if (Clock::now() >= deadline) throw Error(ErrorKind::kDeadlineExceeded, "deadline exceeded");
  std::shared_ptr<Waiter> waiter;
  for (;;) {
    std::unique_ptr<Connection> connection;
    bool open_new = false;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        connection = std::move(idle_.front());
        idle_.pop_front();
      } else if (size_ < options_.max_size) {
        ++size_;
        open_new = true;
      } else {
        waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
        waiter->timer.expires_at(std::min(deadline, Clock::now() + options_.acquire_timeout));
        waiters_.push_back(waiter);
      }
    }
    if (open_new) co_return Lease(this, co_await Open(deadline));
    if (!waiter) {
      // NOLINTNEXTLINE(clang-analyzer-cplusplus.Move): co_return leaves the loop
      if (connection->Usable()) co_return Lease(this, std::move(connection));
      connection.reset();
      Forget(true);
      continue;
    }
    boost::system::error_code ec;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    bool retry = false;
    {
      std::lock_guard lock(mutex_);
      connection = std::move(waiter->connection);
      retry = waiter->retry;
      if (!connection && !retry) std::erase(waiters_, waiter);
    }
    waiter.reset();
    if (retry) continue;
    if (!connection) {
      metrics_->timeouts.Increment();
      throw Error(ErrorKind::kUnavailable, "no database connection free in time");
    }
    co_return Lease(this, std::move(connection));
  }
}

asio::awaitable<Result> Instrumented(Connection& connection, const Context& ctx,
                                     const Statement& statement, const Params& params) {
  if (ctx.Expired()) throw Error(ErrorKind::kDeadlineExceeded, "deadline exceeded");
  const auto name = std::string(statement.operation) + " " + std::string(statement.table);
  auto span = telemetry::GetTracer().StartSpan(name, telemetry::SpanKind::kClient, &ctx.span);
  span.SetAttribute("db.system", "postgresql");
  span.SetAttribute("db.operation.name", statement.operation);
  span.SetAttribute("db.collection.name", statement.table);
  span.SetAttribute("db.query.text", statement.sql);
  const auto started = Clock::now();
  auto& m = GetStatementMetrics();
  try {
    auto result = co_await connection.Execute(statement, params, ctx.deadline);
    m.duration.With({statement.operation, statement.table})
        .Observe(std::chrono::duration<double>(Clock::now() - started).count());
    co_return result;
  } catch (const DbError& e) {
    span.SetStatus(telemetry::StatusCode::kError, e.server_message());
    span.SetAttribute("db.response.status_code", e.sqlstate());
    // Constraint and data errors (classes 22, 23) are the caller's: 409s and 400s, not alarms.
    const bool callers = e.sqlstate().starts_with("22") || e.sqlstate().starts_with("23");
    const auto level = callers ? log::Level::kDebug : log::Level::kWarn;
    if (log::Enabled(level)) {
      log::Write(level, "database statement failed",
                 {{"statement", statement.name},
                  {"sqlstate", e.sqlstate()},
                  {"error", e.server_message()}},
                 {ctx.span.TraceIdHex(), ctx.span.SpanIdHex()});
    }
    m.errors.With({statement.table, e.sqlstate().substr(0, 2)}).Increment();
    throw;
  } catch (const std::exception& e) {
    span.SetStatus(telemetry::StatusCode::kError, e.what());
    m.errors.With({statement.table, "connection"}).Increment();
    throw;
  }
}

asio::awaitable<Result> Pool::Query(const Context& ctx, const Statement& statement,
                                    const Params& params) {
  auto lease = co_await Acquire(ctx.deadline);
  co_return co_await Instrumented(*lease, ctx, statement, params);
}

asio::awaitable<Result> Tx::Query(const Statement& statement, const Params& params) {
  co_return co_await Instrumented(connection_, ctx_, statement, params);
}

asio::awaitable<Result> Tx::Query(std::string_view sql, const Params& params) {
  co_return co_await connection_.Execute(sql, params, ctx_.deadline);
}

asio::awaitable<bool> Pool::Ping(Deadline deadline) {
  try {
    auto lease = co_await Acquire(deadline);
    co_await lease->Execute("SELECT 1", Params(), deadline);
    co_return true;
  } catch (const std::exception&) {
    co_return false;
  }
}

}  // namespace fo::pg
