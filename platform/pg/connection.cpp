#include "platform/pg/connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/telemetry/log/log.hpp"

namespace fo::pg {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

ErrorKind KindOf(std::string_view sqlstate) {
  if (sqlstate == "23505" || sqlstate == "40001" || sqlstate == "40P01")
    return ErrorKind::kConflict;
  if (sqlstate.starts_with("22") || sqlstate.starts_with("23")) return ErrorKind::kInvalidArgument;
  if (sqlstate == "57014") return ErrorKind::kDeadlineExceeded;
  return ErrorKind::kUnavailable;  // connection (08), resources (53), operator (57), the rest
}

std::string Field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value ? value : "";
}

// Waits until `fd` is ready or `deadline` passes; true when ready.
asio::awaitable<bool> WaitFd(asio::posix::stream_descriptor& socket, bool write,
                             Deadline deadline) {
  auto wait = write ? asio::posix::stream_descriptor::wait_write
                    : asio::posix::stream_descriptor::wait_read;
  if (deadline == Deadline::max()) {
    co_await socket.async_wait(wait, asio::use_awaitable);
    co_return true;
  }
  asio::steady_timer timer(socket.get_executor());
  timer.expires_at(deadline);
  // as_tuple: the branch that loses completes with operation_aborted as a value. With plain
  // use_awaitable it threw inside the branch and co_spawn rethrew it to hand it to the group:
  // two C++ exceptions on every statement.
  // A failed wait counts as ready; libpq then reads the socket and reports the error itself.
  constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
  auto outcome = co_await (socket.async_wait(wait, kTuple) || timer.async_wait(kTuple));
  co_return outcome.index() == 0;
}

}  // namespace

Connection::Connection(asio::any_io_executor executor, PGconn* conn)
    : conn_(conn), socket_(executor) {}

Connection::~Connection() {
  // The descriptor belongs to libpq: release it before PQfinish closes it.
  if (socket_.is_open()) socket_.release();
  PQfinish(conn_);
}

bool Connection::Usable() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

void Connection::ThrowConnectionError(std::string_view what) {
  broken_ = true;
  throw Error(ErrorKind::kUnavailable,
              "database " + std::string(what) + ": " + std::string(PQerrorMessage(conn_)));
}

asio::awaitable<std::unique_ptr<Connection>> Connection::Connect(asio::any_io_executor executor,
                                                                 const std::string& url,
                                                                 Deadline deadline) {
  PGconn* raw = PQconnectStart(url.c_str());
  if (raw == nullptr) throw Unavailable("database: out of memory");
  std::unique_ptr<Connection> connection(new Connection(executor, raw));
  if (PQstatus(raw) == CONNECTION_BAD) connection->ThrowConnectionError("connect");
  // PQsocket may change while libpq tries addresses, so watch the current one at each step.
  for (PostgresPollingStatusType poll = PGRES_POLLING_WRITING;;) {
    if (poll == PGRES_POLLING_OK) break;
    if (poll == PGRES_POLLING_FAILED) connection->ThrowConnectionError("connect");
    asio::posix::stream_descriptor watch(executor, PQsocket(raw));
    bool ready = false;
    try {
      ready = co_await WaitFd(watch, poll == PGRES_POLLING_WRITING, deadline);
    } catch (...) {
      watch.release();
      throw;
    }
    watch.release();
    if (!ready) {
      connection->broken_ = true;
      throw Error(ErrorKind::kUnavailable, "database connect timed out");
    }
    poll = PQconnectPoll(raw);
  }
  if (PQsetnonblocking(raw, 1) != 0) connection->ThrowConnectionError("setnonblocking");
  // Server notices would go to stderr as plain text; keep every line of output JSON.
  PQsetNoticeProcessor(
      raw,
      [](void*, const char* message) {
        log::Debug("database notice", {{"message", message}});
      },
      nullptr);
  connection->socket_.assign(PQsocket(raw));
  co_return connection;
}

asio::awaitable<void> Connection::Wait(bool write, Deadline deadline) {
  // (Awaited into a local: GCC 12 miscompiles co_await inside a condition.)
  const bool ready = co_await WaitFd(socket_, write, deadline);
  if (!ready) {
    // The statement may still run on the server; this connection's state is unknown now, so
    // it is never reused (dropping it makes the server abort the statement).
    broken_ = true;
    throw Error(ErrorKind::kDeadlineExceeded, "database statement exceeded the deadline");
  }
}

asio::awaitable<void> Connection::Flush(Deadline deadline) {
  for (;;) {
    int rc = PQflush(conn_);
    if (rc == 0) co_return;
    if (rc < 0) ThrowConnectionError("send");
    co_await Wait(true, deadline);
  }
}

asio::awaitable<Result> Connection::Collect(Deadline deadline) {
  Result last;
  PGresult* error = nullptr;
  for (;;) {
    while (PQisBusy(conn_) == 0) {
      PGresult* result = PQgetResult(conn_);
      if (result == nullptr) {
        if (error != nullptr) {
          const std::string sqlstate = Field(error, PG_DIAG_SQLSTATE);
          std::string message = Field(error, PG_DIAG_MESSAGE_PRIMARY);
          std::string constraint = Field(error, PG_DIAG_CONSTRAINT_NAME);
          PQclear(error);
          throw DbError(KindOf(sqlstate), message, sqlstate, constraint);
        }
        co_return last;
      }
      auto status = PQresultStatus(result);
      if (status == PGRES_FATAL_ERROR) {
        if (error != nullptr) PQclear(error);
        error = result;
      } else {
        last = Result(result);
      }
    }
    try {
      co_await Wait(false, deadline);
    } catch (...) {
      if (error != nullptr) PQclear(error);
      throw;
    }
    if (PQconsumeInput(conn_) == 0) {
      if (error != nullptr) PQclear(error);
      ThrowConnectionError("receive");
    }
  }
}

asio::awaitable<Result> Connection::Execute(const Statement& statement, const Params& params,
                                            Deadline deadline) {
  if (!prepared_.contains(statement.name)) {
    std::string name(statement.name), sql(statement.sql);
    if (PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr) == 0) {
      ThrowConnectionError("prepare");
    }
    co_await Flush(deadline);
    co_await Collect(deadline);
    prepared_.insert(std::move(name));
  }
  auto values = params.Pointers();
  if (PQsendQueryPrepared(conn_, std::string(statement.name).c_str(), params.Size(), values.data(),
                          nullptr, nullptr, 0) == 0) {
    ThrowConnectionError("send");
  }
  co_await Flush(deadline);
  co_return co_await Collect(deadline);
}

asio::awaitable<Result> Connection::Execute(std::string_view sql, const Params& params,
                                            Deadline deadline) {
  auto values = params.Pointers();
  std::string text(sql);
  int sent = params.Size() == 0 ? PQsendQuery(conn_, text.c_str())
                                : PQsendQueryParams(conn_, text.c_str(), params.Size(), nullptr,
                                                    values.data(), nullptr, nullptr, 0);
  if (sent == 0) ThrowConnectionError("send");
  co_await Flush(deadline);
  co_return co_await Collect(deadline);
}

}  // namespace fo::pg
