#pragma once
// One asynchronous libpq connection driven by asio: the socket is watched with a
// stream_descriptor, so a statement never blocks an I/O thread. Not thread-safe: the pool lends
// it to one coroutine at a time.
#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "platform/errors/error.hpp"
#include "platform/pg/types.hpp"

namespace fo::pg {

using Deadline = std::chrono::steady_clock::time_point;

// A statement the server refused; `sqlstate` tells why (23505 unique violation, ...).
class DbError : public Error {
 public:
  // what() is safe to show a client; the server's own words stay in server_message().
  DbError(ErrorKind kind, std::string server_message, std::string sqlstate, std::string constraint)
      : Error(kind, "the database refused the statement (SQLSTATE " + sqlstate + ")"),
        server_message_(std::move(server_message)),
        sqlstate_(std::move(sqlstate)),
        constraint_(std::move(constraint)) {}
  const std::string& server_message() const { return server_message_; }
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& constraint() const { return constraint_; }
  bool IsUniqueViolation() const { return sqlstate_ == "23505"; }

 private:
  std::string server_message_;
  std::string sqlstate_;
  std::string constraint_;
};

class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  static boost::asio::awaitable<std::unique_ptr<Connection>> Connect(
      boost::asio::any_io_executor executor, const std::string& url, Deadline deadline);

  // Runs a statement, preparing it on first use on this connection.
  boost::asio::awaitable<Result> Execute(const Statement& statement, const Params& params,
                                         Deadline deadline);
  // Runs ad-hoc SQL with parameters (migrations, BEGIN/COMMIT).
  boost::asio::awaitable<Result> Execute(std::string_view sql, const Params& params,
                                         Deadline deadline);

  // False once the connection failed or a deadline cut a statement short; the pool drops it.
  bool Usable() const;
  bool InTransaction() const;

 private:
  Connection(boost::asio::any_io_executor executor, PGconn* conn);
  boost::asio::awaitable<void> Flush(Deadline deadline);
  boost::asio::awaitable<Result> Collect(Deadline deadline);
  boost::asio::awaitable<void> Wait(bool write, Deadline deadline);
  [[noreturn]] void ThrowConnectionError(std::string_view what);

  PGconn* conn_;
  boost::asio::posix::stream_descriptor socket_;
  std::set<std::string, std::less<>> prepared_;
  bool broken_ = false;
};

}  // namespace fo::pg
