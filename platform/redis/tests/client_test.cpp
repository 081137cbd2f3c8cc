// The client against the private Redis that `make test` starts, and against tiny fake servers
// for what a real Redis will not do on request (hang up, never answer).
#include "platform/redis/client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <random>
#include <set>
#include <thread>

#include "platform/testing/run.hpp"

namespace fo::redis {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

Context Within(std::chrono::milliseconds timeout) {
  Context ctx;
  ctx.deadline = Clock::now() + timeout;
  return ctx;
}

std::string UniqueKey(std::string_view what) {
  static std::mt19937_64 rng{std::random_device{}()};
  return "fo:test:" + std::string(what) + ":" + std::to_string(rng());
}

class RedisTest : public ::testing::Test {
 protected:
  Options Real() { return Options::FromUrl(testing::RequiredEnv("REDIS_URL")); }
  Reply Run(Client& client, std::vector<std::string> args, std::chrono::milliseconds t = 2s) {
    return testing::RunIn(io_, client.Command(std::move(args), Within(t)));
  }
  asio::io_context io_;
};

TEST(RedisOptions, ParsesUrls) {
  auto plain = Options::FromUrl("redis://cache:6380");
  EXPECT_EQ(plain.host, "cache");
  EXPECT_EQ(plain.port, "6380");
  EXPECT_EQ(plain.database, 0);
  auto full = Options::FromUrl("redis://:s3cret@10.0.0.7/3");
  EXPECT_EQ(full.host, "10.0.0.7");
  EXPECT_EQ(full.port, "6379");
  EXPECT_EQ(full.password, "s3cret");
  EXPECT_EQ(full.database, 3);
  EXPECT_THROW(Options::FromUrl("http://cache:6379"), std::invalid_argument);
  EXPECT_THROW(Options::FromUrl("redis://cache/x"), std::invalid_argument);
  EXPECT_THROW(Options::FromUrl("redis:///0"), std::invalid_argument);
}

TEST(RedisScript, KnowsItsSha1) {
  // The SHA1 Redis computes for SCRIPT LOAD "return 1".
  EXPECT_EQ(Script("return 1").sha1, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

TEST_F(RedisTest, RepliesOfEveryType) {
  Client client(io_.get_executor(), Real());
  const auto key = UniqueKey("types");
  EXPECT_EQ(Run(client, {"SET", key, std::string("v\r\nwith bytes\0z", 15)}).type,
            Reply::Type::kStatus);
  auto value = Run(client, {"GET", key});
  EXPECT_EQ(value.type, Reply::Type::kString);
  EXPECT_EQ(value.text, std::string("v\r\nwith bytes\0z", 15));  // binary-safe
  EXPECT_TRUE(Run(client, {"GET", key + ":missing"}).IsNil());
  auto error = Run(client, {"INCR", key});
  EXPECT_TRUE(error.IsError());
  EXPECT_NE(error.text.find("not an integer"), std::string::npos);
  Run(client, {"RPUSH", key + ":list", "a", "b"});
  auto list = Run(client, {"LRANGE", key + ":list", "0", "-1"});
  ASSERT_EQ(list.type, Reply::Type::kArray);
  ASSERT_EQ(list.elements.size(), 2u);
  EXPECT_EQ(list.elements[1].text, "b");
  EXPECT_EQ(Run(client, {"DEL", key, key + ":list"}).integer, 2);
  EXPECT_TRUE(client.Connected());
}

TEST_F(RedisTest, ManyCoroutinesShareOnePipelinedConnection) {
  Client client(io_.get_executor(), Real());
  const auto key = UniqueKey("counter");
  constexpr int kCommands = 2000;
  std::set<std::int64_t> seen;
  std::vector<std::future<Reply>> replies;
  replies.reserve(kCommands);
  for (int i = 0; i < kCommands; ++i) {
    replies.push_back(
        asio::co_spawn(io_, client.Command({"INCR", key}, Within(5s)), asio::use_future));
  }
  std::thread runner([this] { io_.run(); });
  for (auto& reply : replies) seen.insert(reply.get().integer);
  io_.stop();  // the connection's reader never runs out of work
  runner.join();
  // Every command got its own reply, in order of arrival at the server: 1..N exactly once.
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kCommands));
  EXPECT_EQ(*seen.begin(), 1);
  EXPECT_EQ(*seen.rbegin(), kCommands);
  Run(client, {"DEL", key});
}

TEST_F(RedisTest, ScriptsLoadThemselvesAgainAfterAFlush) {
  Client client(io_.get_executor(), Real());
  Script script("return tonumber(ARGV[1]) + #KEYS");
  const std::vector<std::string> two_keys{"k1", "k2"}, forty{"40"}, one_key{"k1"}, one{"1"};
  auto first = testing::RunIn(io_, client.Eval(script, two_keys, forty, Within(2s)));
  EXPECT_EQ(first.integer, 42);
  Run(client, {"SCRIPT", "FLUSH"});
  auto again = testing::RunIn(io_, client.Eval(script, one_key, one, Within(2s)));
  EXPECT_EQ(again.integer, 2);
}

TEST_F(RedisTest, UnreachableRedisFailsFastAndBacksOff) {
  tcp::acceptor probe(io_, {asio::ip::make_address("127.0.0.1"), 0});
  Options options;
  options.port = std::to_string(probe.local_endpoint().port());
  probe.close();
  options.min_backoff = 500ms;
  Client client(io_.get_executor(), options);
  EXPECT_THROW(Run(client, {"PING"}), Unavailable);
  const auto started = Clock::now();
  EXPECT_THROW(Run(client, {"PING"}), Unavailable);  // within the backoff: no new attempt
  EXPECT_LT(Clock::now() - started, 50ms);
  EXPECT_FALSE(client.Connected());
}

// A fake Redis on its own thread: answers PING with PONG `answers` times per connection; the
// next command it reads, it leaves unanswered and either hangs up or goes silent.
class FakeRedis {
 public:
  FakeRedis(int answers, bool hang_up) : answers_(answers), hang_up_(hang_up) {
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeRedis() {
    io_.stop();
    thread_.join();
  }
  std::string Port() const { return std::to_string(acceptor_.local_endpoint().port()); }
  int Connections() const { return connections_; }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      ++connections_;
      asio::co_spawn(io_, Serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> Serve(tcp::socket socket) {
    std::string buffer;
    for (int i = 0;; ++i) {
      // "*1\r\n$4\r\nPING\r\n" is three lines.
      for (int line = 0; line < 3; ++line) {
        auto n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), "\r\n",
                                                 asio::use_awaitable);
        buffer.erase(0, n);
      }
      if (i == answers_) break;
      co_await asio::async_write(socket, asio::buffer(std::string("+PONG\r\n")),
                                 asio::use_awaitable);
    }
    if (hang_up_) co_return;  // with a command unanswered: the socket closes
    asio::steady_timer forever(io_, 1h);
    co_await forever.async_wait(asio::use_awaitable);
  }

  asio::io_context io_;
  tcp::acceptor acceptor_{io_, {asio::ip::make_address("127.0.0.1"), 0}};
  int answers_;
  bool hang_up_;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

TEST_F(RedisTest, ALostConnectionFailsItsCommandsAndTheNextOneReconnects) {
  FakeRedis fake(1, /*hang_up=*/true);
  Options options;
  options.port = fake.Port();
  options.min_backoff = 1ms;
  Client client(io_.get_executor(), options);
  EXPECT_EQ(Run(client, {"PING"}).text, "PONG");
  EXPECT_THROW(Run(client, {"PING"}), Unavailable);  // the server hung up on it
  EXPECT_EQ(Run(client, {"PING"}).text, "PONG");     // a new connection
  EXPECT_EQ(fake.Connections(), 2);
}

TEST_F(RedisTest, ASilentServerCostsTheDeadlineNotMore) {
  FakeRedis fake(0, /*hang_up=*/false);
  Options options;
  options.port = fake.Port();
  Client client(io_.get_executor(), options);
  const auto started = Clock::now();
  EXPECT_THROW(Run(client, {"PING"}, 100ms), Unavailable);
  const auto waited = Clock::now() - started;
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 400ms);
}

}  // namespace
}  // namespace fo::redis
