#pragma once
// Asynchronous Redis client over one pipelined connection (RESP2): commands from any number of
// coroutines are written back to back and their replies matched in order, so a busy process
// needs no pool. hiredis parses replies; asio does the I/O. Every command has a deadline; a
// lost connection fails what was in flight, and the next command reconnects (with backoff, so a
// Redis that is down costs each caller an immediate error, not a connect timeout).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/context/context.hpp"

namespace fo::redis {

struct Reply {
  enum class Type { kNil, kStatus, kError, kInteger, kString, kArray };
  Type type = Type::kNil;
  std::int64_t integer = 0;
  std::string text;  // status, error or bulk string
  std::vector<Reply> elements;

  bool IsError() const { return type == Type::kError; }
  bool IsNil() const { return type == Type::kNil; }
};

// The command never got an answer: Redis is unreachable, the connection broke, or the deadline
// passed. Error replies from Redis are Replies, not exceptions.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "6379";
  std::string password;  // AUTH on connect when set
  int database = 0;      // SELECT on connect when not 0
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds min_backoff{50};  // between failed connection attempts, doubling
  std::chrono::milliseconds max_backoff{2'000};
  // redis://[:password@]host[:port][/db]; throws std::invalid_argument on anything else.
  static Options FromUrl(std::string_view url);
};

// A Lua script run by its SHA1 (EVALSHA), loaded on first use or after a SCRIPT FLUSH.
struct Script {
  explicit Script(std::string source);
  std::string source;
  std::string sha1;  // lowercase hex
};

class Client {
 public:
  Client(boost::asio::any_io_executor executor, Options options);
  ~Client();  // closes the connection; commands in flight fail with Unavailable
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Throws Unavailable. A span per command, parented by ctx, and a latency metric. Everything
  // is taken by value: a coroutine started later (co_spawn) must not hold a caller's temporary.
  boost::asio::awaitable<Reply> Command(std::vector<std::string> args, Context ctx);
  boost::asio::awaitable<Reply> Eval(const Script& script, std::vector<std::string> keys,
                                     std::vector<std::string> args, Context ctx);

  bool Connected() const;
  const Options& Settings() const;

 private:
  boost::asio::awaitable<Reply> Send(std::string operation, std::string encoded, Context ctx);
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace fo::redis
