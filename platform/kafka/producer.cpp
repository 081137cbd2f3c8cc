#include "platform/kafka/producer.hpp"

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <thread>

#include "platform/kafka/rdkafka_glue.hpp"
#include "platform/kafka/trace_headers.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::kafka {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// How long produce() waits between attempts while librdkafka's local queue is full.
constexpr std::chrono::milliseconds kQueueFullPause{5};
// Small enough to add nothing noticeable to a request, large enough to batch a relay burst.
constexpr const char* kLingerMs = "2";

struct ProducerMetrics {
  metrics::CounterChildren messages{
      metrics::Global().Counter("kafka_producer_messages_total",
                                "Records produced to Kafka, by topic and outcome."),
      {"topic", "outcome"}};
  metrics::HistogramChildren delivery{
      metrics::Global().Histogram(
          "kafka_producer_delivery_duration_seconds",
          "Time from handing a record to the producer to the broker's acknowledgement."),
      {"topic"},
      metrics::LatencyBuckets()};
};

ProducerMetrics& Metrics() {
  static ProducerMetrics m;
  return m;
}

using Outcomes = std::vector<Publisher::Outcome>;

// Collects the delivery reports of one ProduceAll call and resumes its caller, on the caller's
// executor, once the last one is in. Reports arrive on the poll thread, possibly before the
// caller has started waiting: whichever comes second completes.
class Batch {
 public:
  // `caller` is the executor of the coroutine that waits: it resumes there.
  Batch(std::size_t size, asio::any_io_executor caller)
      : outcomes_(size), remaining_(size), caller_(std::move(caller)) {}

  void Complete(std::size_t index, Publisher::Outcome outcome) {
    std::lock_guard lock(mutex_);
    outcomes_[index] = std::move(outcome);
    if (--remaining_ == 0 && handler_) Resume();
  }

  template <typename Token>
  auto Wait(Token&& token) {
    return asio::async_initiate<Token, void(Outcomes)>(
        [this](auto handler) {
          std::lock_guard lock(mutex_);
          handler_.emplace(std::move(handler));
          if (remaining_ == 0) Resume();
        },
        token);
  }

 private:
  void Resume() {  // mutex_ held; runs once
    asio::post(caller_,
               [handler = std::move(*handler_), outcomes = std::move(outcomes_)]() mutable {
                 std::move(handler)(std::move(outcomes));
               });
  }

  std::mutex mutex_;
  Outcomes outcomes_;
  std::size_t remaining_;
  asio::any_io_executor caller_;
  // Optional, and set with emplace: Boost 1.81's any_completion_handler move-assignment recurses
  // forever (it copies through its converting constructor).
  std::optional<asio::any_completion_handler<void(Outcomes)>> handler_;
};

// One record between produce() and its delivery report (librdkafka's msg_opaque).
struct InFlight {
  std::shared_ptr<Batch> batch;
  std::size_t index = 0;
  std::string topic;
  telemetry::Span span;
  Clock::time_point started = Clock::now();
};

void Finish(std::unique_ptr<InFlight> in_flight, Publisher::Outcome outcome) {
  auto& m = Metrics();
  auto& span = in_flight->span;
  if (outcome.delivery) {
    span.SetAttribute("messaging.kafka.destination.partition", outcome.delivery->partition);
    span.SetAttribute("messaging.destination.partition.id",
                      std::to_string(outcome.delivery->partition));
    span.SetAttribute("messaging.kafka.message.offset", outcome.delivery->offset);
    m.messages.With({in_flight->topic, "delivered"}).Increment();
    m.delivery.With({in_flight->topic})
        .Observe(std::chrono::duration<double>(Clock::now() - in_flight->started).count());
  } else {
    span.SetStatus(telemetry::StatusCode::kError, outcome.error);
    m.messages.With({in_flight->topic, "failed"}).Increment();
    // Debug: a broker outage fails every record in flight; callers report the summary.
    log::Debug("kafka delivery failed", {{"topic", in_flight->topic}, {"error", outcome.error}},
               {span.Context().TraceIdHex(), span.Context().SpanIdHex()});
  }
  span.End();
  in_flight->batch->Complete(in_flight->index, std::move(outcome));
}

Publisher::Outcome Failure(const std::string& topic, const std::string& reason) {
  Publisher::Outcome outcome;
  outcome.error = "kafka delivery to " + topic + " failed: " + reason;
  return outcome;
}

}  // namespace

struct Producer::Impl final : RdKafka::DeliveryReportCb {
  Impl(asio::any_io_executor executor_in, ProducerOptions options_in)
      : executor(std::move(executor_in)), options(std::move(options_in)) {
    auto conf = detail::MakeConf(options.brokers, events);
    if (!options.client_id.empty()) detail::Set(*conf, "client.id", options.client_id);
    detail::Set(*conf, "enable.idempotence", "true");
    detail::Set(*conf, "acks", "all");
    detail::Set(*conf, "message.timeout.ms", std::to_string(options.delivery_timeout.count()));
    detail::Set(*conf, "linger.ms", kLingerMs);
    std::string error;
    if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(this), error) !=
        RdKafka::Conf::CONF_OK) {
      throw InvalidArgument("kafka dr_cb rejected: " + error);
    }
    handle.reset(RdKafka::Producer::create(conf.get(), error));
    if (!handle) throw InvalidArgument("cannot create the kafka producer: " + error);
    poller = std::thread([this] {
      while (!stopping.load(std::memory_order_relaxed)) handle->poll(100);
    });
  }

  ~Impl() override {
    if (handle->flush(5'000) != RdKafka::ERR_NO_ERROR) {
      log::Warn("kafka producer closed with records in flight", {{"records", handle->outq_len()}});
    }
    // Whatever is left fails now (ERR__PURGE_*) so no caller waits forever.
    handle->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
    handle->flush(1'000);
    stopping = true;
    poller.join();
    handle->poll(0);
  }

  // On the poll thread (or a thread in Flush): completes the record's caller.
  void dr_cb(RdKafka::Message& message) override {
    std::unique_ptr<InFlight> in_flight(static_cast<InFlight*>(message.msg_opaque()));
    Outcome outcome;
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      outcome.delivery = Delivery{message.partition(), message.offset()};
    } else {
      outcome = Failure(in_flight->topic, message.errstr());
    }
    Finish(std::move(in_flight), std::move(outcome));
  }

  // Hands one record to librdkafka; its outcome lands in batch[index].
  asio::awaitable<void> Enqueue(const Context& ctx, Record record,
                                const std::shared_ptr<Batch>& batch, std::size_t index) {
    auto in_flight = std::make_unique<InFlight>();
    in_flight->batch = batch;
    in_flight->index = index;
    in_flight->topic = record.topic;
    // An outbox row carries the trace of the request that wrote it: that is the parent.
    const auto carried = detail::ExtractTraceContext(record.headers);
    const telemetry::SpanContext& parent = carried ? *carried : ctx.span;
    in_flight->span = telemetry::GetTracer().StartSpan(record.topic + " publish",
                                                       telemetry::SpanKind::kProducer, &parent);
    auto& span = in_flight->span;
    span.SetAttribute("messaging.system", "kafka");
    span.SetAttribute("messaging.operation.type", "publish");
    span.SetAttribute("messaging.operation", "publish");
    span.SetAttribute("messaging.destination.name", record.topic);
    if (!record.key.empty()) span.SetAttribute("messaging.kafka.message.key", record.key);
    span.SetAttribute("messaging.message.body.size",
                      static_cast<std::int64_t>(record.value.size()));
    detail::InjectTraceContext(record.headers, span.Context());

    asio::steady_timer pause(executor);
    for (;;) {
      auto headers = detail::WriteHeaders(record.headers);
      // An empty key is a null key: the partitioner spreads such records.
      const void* key = record.key.empty() ? nullptr : record.key.data();
      const auto code =
          handle->produce(record.topic, RdKafka::Topic::PARTITION_UA,
                          RdKafka::Producer::RK_MSG_COPY, record.value.data(), record.value.size(),
                          key, record.key.size(), 0, headers.get(), in_flight.get());
      if (code == RdKafka::ERR_NO_ERROR) {
        (void)headers.release();    // librdkafka owns them now
        (void)in_flight.release();  // back in dr_cb
        co_return;
      }
      if (code != RdKafka::ERR__QUEUE_FULL) {
        auto outcome = Failure(record.topic, RdKafka::err2str(code));
        Finish(std::move(in_flight), std::move(outcome));
        co_return;
      }
      // The poll thread drains delivery reports, which frees room: wait, do not fail.
      pause.expires_after(kQueueFullPause);
      co_await pause.async_wait(asio::use_awaitable);
    }
  }

  asio::any_io_executor executor;
  ProducerOptions options;
  detail::LogEvents events{"producer"};
  std::unique_ptr<RdKafka::Producer> handle;
  std::atomic<bool> stopping{false};
  std::thread poller;  // last: started once the rest exists
};

Producer::Producer(asio::any_io_executor executor, ProducerOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options))) {}

Producer::~Producer() = default;

asio::awaitable<Delivery> Producer::Produce(const Context& ctx, Record record) {
  std::vector<Record> records;
  records.push_back(std::move(record));
  auto outcomes = co_await ProduceAll(ctx, std::move(records));
  auto& outcome = outcomes.front();
  if (!outcome.delivery) throw DeliveryError(outcome.error);
  co_return *outcome.delivery;
}

asio::awaitable<std::vector<Publisher::Outcome>> Producer::ProduceAll(const Context& ctx,
                                                                      std::vector<Record> records) {
  if (records.empty()) co_return Outcomes();
  auto caller = co_await asio::this_coro::executor;
  auto batch = std::make_shared<Batch>(records.size(), caller);
  // In order, one at a time: librdkafka keeps the order of produce() calls per partition.
  for (std::size_t i = 0; i < records.size(); ++i) {
    co_await impl_->Enqueue(ctx, std::move(records[i]), batch, i);
  }
  co_return co_await batch->Wait(asio::use_awaitable);
}

void Producer::AbortInFlight() {
  impl_->handle->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
}

bool Producer::Flush(std::chrono::milliseconds timeout) {
  return impl_->handle->flush(static_cast<int>(timeout.count())) == RdKafka::ERR_NO_ERROR;
}

}  // namespace fo::kafka
