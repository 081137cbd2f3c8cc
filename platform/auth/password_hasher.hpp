#pragma once

#include <sodium.h>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fo::auth {

// Thrown at once when the hashing queue is full: a login storm is shed (-> 503/429), not queued.
class Overloaded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// argon2id password hashing (libsodium crypto_pwhash_str). One hash costs ~67 ms of CPU at the
// INTERACTIVE limits, so it runs on its own bounded thread pool and never on an I/O thread.
class PasswordHasher {
 public:
  struct Options {
    std::size_t threads = 1;
    std::size_t max_queued = 64;  // jobs waiting for a thread; more are refused with Overloaded
    unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    std::size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

    // Scheduling of the hashing threads: a nice value 0-19, or kIdle for SCHED_IDLE. Nice 10
    // lets I/O threads preempt hashing at once yet leaves logins ~10% of a contended core;
    // SCHED_IDLE gives them only what nothing else wants, so another busy process on the node
    // can starve every login.
    static constexpr int kIdle = 20;
    int priority = 10;

    // Named costs: "interactive" (libsodium's, 64 MiB, ~67 ms), "owasp" (19 MiB, 2 passes:
    // OWASP's minimum for argon2id), "minimum" (tests only). False for an unknown name.
    bool SetCost(std::string_view cost);
    // "idle" or a nice value "0".."19". False otherwise.
    bool SetPriority(std::string_view priority);
  };

  // Throws std::invalid_argument on zero threads/max_queued or limits libsodium rejects.
  explicit PasswordHasher(Options options);
  ~PasswordHasher();  // finishes queued jobs, then joins the pool
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Awaitable from any executor; resumes on the caller's executor. Throws Overloaded when
  // max_queued jobs are already waiting.
  boost::asio::awaitable<std::string> Hash(std::string password);
  // False for a wrong password or a malformed/tampered stored hash.
  boost::asio::awaitable<bool> Verify(std::string password, std::string stored_hash);

  // Cheap (no hashing): true when stored_hash was made with other limits and should be
  // replaced after a successful login, or is not a valid hash string.
  bool NeedsRehash(std::string_view stored_hash) const;

  // Runs any other CPU-heavy job on the same bounded pool, with the same Overloaded rule;
  // exceptions thrown by the job are rethrown to the awaiting coroutine.
  boost::asio::awaitable<void> Run(std::function<void()> job);

  std::size_t Queued() const;  // jobs waiting for a pool thread, for a gauge

 private:
  struct Pool;
  void Admit();

  Options options_;
  std::atomic<std::size_t> queued_{0};
  std::unique_ptr<Pool> pool_;  // last member: destroyed (joined) first
};

}  // namespace fo::auth
