#pragma once
// An idempotent producer (enable.idempotence, acks=all): records of one key are written once and
// in order, even across broker retries. Produce() resolves when the broker has acknowledged the
// record (the delivery report), so a caller only marks work done after it is durable.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/context/context.hpp"
#include "platform/errors/error.hpp"
#include "platform/kafka/record.hpp"

namespace fo::kafka {

struct ProducerOptions {
  std::string brokers = "127.0.0.1:9092";  // KAFKA_BROKERS
  std::string client_id;                   // KAFKA_CLIENT_ID, default: the service name
  // How long librdkafka keeps retrying one record before its delivery fails
  // (KAFKA_DELIVERY_TIMEOUT_MS, librdkafka's message.timeout.ms).
  std::chrono::milliseconds delivery_timeout{30'000};
  static ProducerOptions FromEnv(std::string_view default_client_id);
};

// The broker did not take the record within the delivery timeout (or refused it for good).
class DeliveryError : public Error {
 public:
  explicit DeliveryError(std::string message)
      : Error(ErrorKind::kUnavailable, std::move(message)) {}
};

// The seam for code that publishes (the outbox relay, the dead-letter path) so tests can fake it.
class Publisher {
 public:
  virtual ~Publisher() = default;
  // Sends `record` and resolves once the broker acknowledged it; throws DeliveryError.
  // Tracing: a PRODUCER span "<topic> publish" (messaging.* attributes) whose parent is the
  // record's own `traceparent` header when it has one (an outbox row carries the context of the
  // request that wrote it), else ctx.span; the header is then set to the producer span.
  virtual boost::asio::awaitable<Delivery> Produce(const Context& ctx, Record record) = 0;

  // Sends all records in order (so one key's records keep their order), then waits for every
  // delivery report; element i is the outcome of records[i]. Never throws for a failed record.
  struct Outcome {
    std::optional<Delivery> delivery;  // empty: failed
    std::string error;
  };
  virtual boost::asio::awaitable<std::vector<Outcome>> ProduceAll(const Context& ctx,
                                                                  std::vector<Record> records) = 0;

  // Fails every record not yet acknowledged at once instead of after the delivery timeout, so
  // a shutdown while the broker is unreachable is not held up (the outbox keeps those rows).
  virtual void AbortInFlight() {}
};

// A poll thread serves librdkafka's delivery reports and resumes each waiting coroutine on its
// own executor. A full local queue makes Produce wait and retry, never fail. ctx.deadline is not
// applied: delivery_timeout bounds every record. Metrics:
// kafka_producer_messages_total{topic,outcome="delivered|failed"},
// kafka_producer_delivery_duration_seconds{topic}.
class Producer final : public Publisher {
 public:
  // The executor's io_context must outlive the producer. Throws fo::Error for a rejected setting.
  Producer(boost::asio::any_io_executor executor, ProducerOptions options);
  ~Producer() override;  // flushes for at most 5 s
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  boost::asio::awaitable<Delivery> Produce(const Context& ctx, Record record) override;
  boost::asio::awaitable<std::vector<Outcome>> ProduceAll(const Context& ctx,
                                                          std::vector<Record> records) override;
  void AbortInFlight() override;
  // Waits until every record in flight is acknowledged or failed; false on timeout.
  bool Flush(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fo::kafka
