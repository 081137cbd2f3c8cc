#include "platform/auth/password_hasher.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <exception>

#include "platform/auth/detail/sodium_init.hpp"

namespace fo::auth {

namespace asio = boost::asio;

namespace {

// Hashing threads yield to the I/O threads (a higher nice value, or SCHED_IDLE), so under a
// login storm other routes keep their latency and logins slow down (and are shed by the
// bounded queue) instead. Neither needs privileges.
void LowerThisThreadsPriority(int priority) {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  if (priority == PasswordHasher::Options::kIdle) {
    sched_param param{};
    if (::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &param) == 0) return;
    priority = 19;
  }
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), priority);
}

}  // namespace

struct PasswordHasher::Pool {
  explicit Pool(std::size_t threads) : pool(threads) {}
  ~Pool() { pool.join(); }
  asio::thread_pool pool;
};

bool PasswordHasher::Options::SetPriority(std::string_view text) {
  if (text == "idle") {
    priority = kIdle;
    return true;
  }
  int value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 19) {
    return false;
  }
  priority = value;
  return true;
}

bool PasswordHasher::Options::SetCost(std::string_view cost) {
  if (cost == "interactive") {
    opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  } else if (cost == "owasp") {
    opslimit = 2;
    memlimit = std::size_t{19} << 20;
  } else if (cost == "minimum") {
    opslimit = crypto_pwhash_OPSLIMIT_MIN;
    memlimit = crypto_pwhash_MEMLIMIT_MIN;
  } else {
    return false;
  }
  return true;
}

PasswordHasher::PasswordHasher(Options options) : options_(options) {
  detail::EnsureSodium();
  if (options_.threads == 0 || options_.max_queued == 0) {
    throw std::invalid_argument("PasswordHasher needs threads >= 1 and max_queued >= 1");
  }
  if (options_.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      options_.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      options_.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
      options_.memlimit > crypto_pwhash_MEMLIMIT_MAX) {
    throw std::invalid_argument("PasswordHasher limits are outside libsodium's range");
  }
  pool_ = std::make_unique<Pool>(options_.threads);
}

PasswordHasher::~PasswordHasher() = default;

std::size_t PasswordHasher::Queued() const { return queued_.load(std::memory_order_relaxed); }

void PasswordHasher::Admit() {
  // CAS so concurrent callers can never push the count past the bound.
  std::size_t waiting = queued_.load(std::memory_order_relaxed);
  do {
    if (waiting >= options_.max_queued) throw Overloaded("password hashing queue is full");
  } while (!queued_.compare_exchange_weak(waiting, waiting + 1, std::memory_order_relaxed));
}

asio::awaitable<void> PasswordHasher::Run(std::function<void()> job) {
  Admit();
  auto initiate = [this](auto handler, std::function<void()> work) {
    // Counts as work on the caller's executor, so its io_context.run() cannot return while
    // the job is on the pool.
    auto guard = asio::make_work_guard(handler);
    asio::post(pool_->pool, [this, work = std::move(work), handler = std::move(handler),
                             guard = std::move(guard)]() mutable {
      queued_.fetch_sub(1, std::memory_order_relaxed);
      LowerThisThreadsPriority(options_.priority);
      std::exception_ptr error;
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
      // Back to the handler's associated executor: the coroutine resumes where it was called.
      // The guard goes along and is released there, after the handler: released here, it could
      // drop the io_context's work count to zero after the handler ran, and that stops it.
      auto executor = guard.get_executor();
      asio::post(executor, [handler = std::move(handler), error,
                            guard = std::move(guard)]() mutable { std::move(handler)(error); });
    });
  };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      std::move(initiate), asio::use_awaitable, std::move(job));
}

asio::awaitable<std::string> PasswordHasher::Hash(std::string password) {
  std::string hash;
  // The coroutine frame outlives the job (we are suspended until it completes), so capturing
  // locals by reference is safe.
  std::function<void()> job = [&] {
    char out[crypto_pwhash_STRBYTES];
    const int rc = crypto_pwhash_str(out, password.data(), password.size(), options_.opslimit,
                                     options_.memlimit);
    sodium_memzero(password.data(), password.size());
    if (rc != 0) throw std::runtime_error("crypto_pwhash_str failed (out of memory?)");
    hash = out;
  };
  co_await Run(std::move(job));
  co_return hash;
}

asio::awaitable<bool> PasswordHasher::Verify(std::string password, std::string stored_hash) {
  bool ok = false;
  std::function<void()> job = [&] {
    // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
    ok = stored_hash.size() < crypto_pwhash_STRBYTES &&
         crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
    sodium_memzero(password.data(), password.size());
  };
  co_await Run(std::move(job));
  co_return ok;
}

bool PasswordHasher::NeedsRehash(std::string_view stored_hash) const {
  if (stored_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(stored_hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), options_.opslimit, options_.memlimit) !=
         0;
}

}  // namespace fo::auth
