#pragma once
// Publishes outbox rows to Kafka in `seq` order and stamps them published, only after the broker
// acknowledged them. While the broker is down the rows wait and the relay backs off; nothing is
// lost. After a crash between the acknowledgement and the stamp, the rows are sent again: the
// consumers' inbox absorbs the duplicates. Replicas of a service run one relay at a time (a
// transaction-scoped advisory lock), which keeps the order.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "platform/app/background_loop.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/pg/pool.hpp"

namespace fo::messaging {

struct RelayOptions {
  std::string source;                            // ce_source, e.g. "/payment"
  int batch_size = 100;                          // OUTBOX_BATCH_SIZE
  std::chrono::milliseconds poll_interval{50};   // OUTBOX_POLL_INTERVAL_MS: idle wait
  std::chrono::milliseconds max_backoff{5'000};  // after failures, doubling from poll_interval
  std::chrono::hours retention{24 * 7};  // OUTBOX_RETENTION_HOURS: published rows kept this long
  static RelayOptions FromEnv(std::string source);
};

class OutboxRelay {
 public:
  OutboxRelay(pg::Pool& pool, kafka::Publisher& publisher, RelayOptions options);
  ~OutboxRelay();

  void Start(const boost::asio::any_io_executor& executor) { loop_.Start(executor); }
  // Finishes the batch in hand, failing its unacknowledged records at once (they stay pending
  // for the next start) rather than waiting out the delivery timeout.
  boost::asio::awaitable<void> Stop();

  struct PassResult {
    int published = 0;    // rows stamped published
    int failed = 0;       // rows the broker did not take (they stay pending)
    bool locked = false;  // another replica holds the relay lock: nothing was tried
  };
  // One pass: publishes up to batch_size pending rows. Throws when the database fails.
  boost::asio::awaitable<PassResult> PublishPending();
  // Deletes published rows older than the retention; returns how many.
  boost::asio::awaitable<std::int64_t> Purge();

 private:
  boost::asio::awaitable<std::chrono::milliseconds> Pass();

  pg::Pool& pool_;
  kafka::Publisher& publisher_;
  RelayOptions options_;
  std::chrono::milliseconds backoff_;
  std::chrono::steady_clock::time_point next_purge_{};
  struct Metrics;
  std::unique_ptr<Metrics> metrics_;
  app::BackgroundLoop loop_;
};

}  // namespace fo::messaging
