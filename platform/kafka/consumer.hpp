#pragma once
// A consumer-group member with at-least-once delivery done right: offsets are committed by hand,
// only after the handler's effect is durable (the handler returned). A failing record is retried
// with backoff a bounded number of times, then moved to "<topic>.dlq" (with the failure in its
// headers) and committed, so one poison record never blocks its partition. Records of one
// partition are handled one at a time, in order.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/context/context.hpp"
#include "platform/errors/error.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/kafka/record.hpp"

namespace fo::kafka {

struct ConsumerOptions {
  std::string brokers = "127.0.0.1:9092";  // KAFKA_BROKERS
  std::string group_id;                    // KAFKA_GROUP_ID, default: the service name
  std::vector<std::string> topics;
  int max_attempts = 5;  // KAFKA_MAX_ATTEMPTS: handler runs per record before the DLQ
  std::chrono::milliseconds initial_backoff{100};     // KAFKA_RETRY_BACKOFF_MS, doubled per retry
  std::chrono::milliseconds max_backoff{5'000};       // KAFKA_RETRY_MAX_BACKOFF_MS
  std::chrono::milliseconds handler_timeout{10'000};  // the deadline each handler run gets
  static ConsumerOptions FromEnv(std::string_view default_group_id,
                                 std::vector<std::string> topics);
};

// Thrown by a handler for a record that can never succeed (undecodable, unknown type): it goes
// to the DLQ at once, without retries.
class PoisonMessage : public Error {
 public:
  explicit PoisonMessage(std::string message)
      : Error(ErrorKind::kInvalidArgument, std::move(message)) {}
};

// Runs on the io_context; `ctx` carries the CONSUMER span ("<topic> process", a child of the
// record's traceparent) and the handler deadline.
using Handler = std::function<boost::asio::awaitable<void>(const Context& ctx, const Message&)>;

// One thread polls and handles one record at a time (across all its partitions), so a handler
// never runs concurrently with itself. The group uses the cooperative-sticky assignor; stored
// offsets are committed every 500 ms while records flow, at once when idle, on revoke and on
// stop. Metrics: kafka_consumer_messages_total{topic,outcome}, kafka_consumer_lag{topic,partition},
// kafka_consumer_handler_duration_seconds{topic}.
class Consumer {
 public:
  // `dead_letters` publishes to "<topic>.dlq"; it must outlive the consumer.
  Consumer(boost::asio::io_context& io, ConsumerOptions options, Publisher& dead_letters,
           Handler handler);
  ~Consumer();  // stops if still running
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  void Start();  // joins the group on its own thread
  // Finishes the record in hand, commits, leaves the group (a graceful rebalance for the rest).
  // A record waiting out a retry backoff is not finished: it stays uncommitted and its
  // partition's next owner runs it again. Waits on a timer, never blocking the io thread.
  boost::asio::awaitable<void> Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fo::kafka
