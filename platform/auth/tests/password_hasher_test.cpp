#include "platform/auth/password_hasher.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <thread>
#include <vector>

namespace fo::auth {
namespace {

namespace asio = boost::asio;

PasswordHasher::Options MinLimits() {
  PasswordHasher::Options options;
  options.opslimit = crypto_pwhash_OPSLIMIT_MIN;
  options.memlimit = crypto_pwhash_MEMLIMIT_MIN;
  return options;
}

// Runs one awaitable to completion on `io` and returns its value (or rethrows).
template <typename T>
T RunOn(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> value;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T v) {
    error = e;
    value = std::move(v);
  });
  io.restart();
  io.run();  // returns only when the task is done: proves pool jobs count as work
  if (error) std::rethrow_exception(error);
  return std::move(*value);
}

TEST(PasswordHasherTest, HashThenVerify) {
  PasswordHasher hasher(MinLimits());
  asio::io_context io;
  const auto hash = RunOn(io, hasher.Hash("correct horse"));
  EXPECT_NE(hash, "correct horse");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(RunOn(io, hasher.Verify("correct horse", hash)));
  EXPECT_FALSE(RunOn(io, hasher.Verify("wrong horse", hash)));
  EXPECT_NE(RunOn(io, hasher.Hash("correct horse")), hash);  // salted
}

TEST(PasswordHasherTest, TamperedOrGarbageHashVerifiesFalse) {
  PasswordHasher hasher(MinLimits());
  asio::io_context io;
  auto hash = RunOn(io, hasher.Hash("pw"));
  auto tampered = hash;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(RunOn(io, hasher.Verify("pw", tampered)));
  EXPECT_FALSE(RunOn(io, hasher.Verify("pw", "")));
  EXPECT_FALSE(RunOn(io, hasher.Verify("pw", "not a hash")));
  EXPECT_FALSE(RunOn(io, hasher.Verify("pw", std::string(500, '$'))));
}

TEST(PasswordHasherTest, NeedsRehashWhenLimitsChange) {
  PasswordHasher weak(MinLimits());
  asio::io_context io;
  const auto hash = RunOn(io, weak.Hash("pw"));
  EXPECT_FALSE(weak.NeedsRehash(hash));
  PasswordHasher::Options stronger = MinLimits();
  stronger.opslimit += 1;
  EXPECT_TRUE(PasswordHasher(stronger).NeedsRehash(hash));
  EXPECT_TRUE(weak.NeedsRehash("garbage"));
}

TEST(PasswordHasherTest, RunsOffTheCallerThreadAndResumesOnIt) {
  PasswordHasher hasher(MinLimits());
  asio::io_context io;
  const auto io_thread = std::this_thread::get_id();
  auto task = [&]() -> asio::awaitable<bool> {
    std::thread::id job_thread;
    co_await hasher.Run([&] { job_thread = std::this_thread::get_id(); });
    EXPECT_NE(job_thread, io_thread);
    EXPECT_EQ(std::this_thread::get_id(), io_thread);
    co_await hasher.Hash("pw");
    EXPECT_EQ(std::this_thread::get_id(), io_thread);
    co_return true;
  };
  EXPECT_TRUE(RunOn(io, task()));
}

TEST(PasswordHasherTest, ParsesPriorities) {
  PasswordHasher::Options options;
  EXPECT_EQ(options.priority, 10);
  EXPECT_TRUE(options.SetPriority("idle"));
  EXPECT_EQ(options.priority, PasswordHasher::Options::kIdle);
  EXPECT_TRUE(options.SetPriority("19"));
  EXPECT_EQ(options.priority, 19);
  for (const char* bad : {"", "-1", "20", "10x", "low"}) EXPECT_FALSE(options.SetPriority(bad));
}

// The pool's threads run at the configured priority, whatever the caller's.
TEST(PasswordHasherTest, PoolThreadsRunAtTheConfiguredPriority) {
  for (const char* priority : {"7", "idle"}) {
    auto options = MinLimits();
    ASSERT_TRUE(options.SetPriority(priority));
    PasswordHasher hasher(options);
    asio::io_context io;
    auto task = [&]() -> asio::awaitable<bool> {
      int nice = -100;
      int policy = -1;
      co_await hasher.Run([&] {
        nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
        policy = ::sched_getscheduler(0);
      });
      if (options.priority == PasswordHasher::Options::kIdle) {
        EXPECT_EQ(policy, SCHED_IDLE);
      } else {
        EXPECT_EQ(policy, SCHED_OTHER);
        EXPECT_EQ(nice, 7);
      }
      co_return true;
    };
    EXPECT_TRUE(RunOn(io, task())) << priority;
  }
}

TEST(PasswordHasherTest, HashDoesNotBlockTheIoThread) {
  // At INTERACTIVE limits a hash takes tens of ms; a 1 ms timer on the same single-threaded
  // io_context must fire first, which is impossible if Hash ran on the io thread.
  PasswordHasher hasher(PasswordHasher::Options{});
  asio::io_context io;
  std::vector<std::string> events;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await hasher.Hash("pw");
        events.push_back("hashed");
      },
      asio::detached);
  asio::steady_timer timer(io, std::chrono::milliseconds(1));
  timer.async_wait([&](boost::system::error_code) { events.push_back("tick"); });
  io.run();
  EXPECT_EQ(events, (std::vector<std::string>{"tick", "hashed"}));
}

TEST(PasswordHasherTest, ExceptionsPropagateToTheCaller) {
  PasswordHasher hasher(MinLimits());
  asio::io_context io;
  auto task = [&]() -> asio::awaitable<bool> {
    co_await hasher.Run([] { throw std::logic_error("boom"); });
    co_return true;
  };
  EXPECT_THROW(RunOn(io, task()), std::logic_error);
  EXPECT_EQ(hasher.Queued(), 0u);
}

TEST(PasswordHasherTest, ShedsLoadWhenTheQueueIsFull) {
  // One thread, one waiting slot, INTERACTIVE cost (~67 ms per hash): of six concurrent
  // logins, one runs, at most one waits, and the rest are refused immediately.
  PasswordHasher::Options options;
  options.threads = 1;
  options.max_queued = 1;
  PasswordHasher hasher(options);
  asio::io_context io;
  std::vector<std::string> outcomes;
  std::size_t max_queued_seen = 0;
  for (int i = 0; i < 6; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          try {
            co_await hasher.Hash("pw");
            outcomes.push_back("hashed");
          } catch (const Overloaded&) {
            outcomes.push_back("overloaded");
          }
          max_queued_seen = std::max(max_queued_seen, hasher.Queued());
        },
        asio::detached);
  }
  io.run();
  ASSERT_EQ(outcomes.size(), 6u);
  const auto hashed = std::count(outcomes.begin(), outcomes.end(), "hashed");
  EXPECT_GE(hashed, 1);
  EXPECT_LE(hashed, 2);
  // Refusals come at once, before any hash has finished.
  EXPECT_EQ(outcomes.front(), "overloaded");
  EXPECT_EQ(outcomes.back(), "hashed");
  EXPECT_LE(max_queued_seen, 1u);
  EXPECT_EQ(hasher.Queued(), 0u);
}

TEST(PasswordHasherTest, RejectsBadOptions) {
  PasswordHasher::Options options = MinLimits();
  options.threads = 0;
  EXPECT_THROW(PasswordHasher{options}, std::invalid_argument);
  options = MinLimits();
  options.memlimit = 1;
  EXPECT_THROW(PasswordHasher{options}, std::invalid_argument);
}

}  // namespace
}  // namespace fo::auth
