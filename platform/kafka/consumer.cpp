#include "platform/kafka/consumer.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "platform/kafka/dead_letter.hpp"
#include "platform/kafka/rdkafka_glue.hpp"
#include "platform/kafka/trace_headers.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::kafka {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr int kPollTimeoutMs = 100;
// Stored offsets are committed at most this often while records flow, and at once when idle,
// on revoke and on stop: a crash redelivers at most this much (the inbox absorbs it).
constexpr auto kCommitInterval = 500ms;
constexpr auto kWaitSlice = 50ms;          // how often a wait for the io_context checks for stop
constexpr auto kStopPoll = 20ms;           // how often Stop() looks whether the thread is done
constexpr auto kErrorLogInterval = 30s;    // one line per repeated consume error
constexpr int kSessionTimeoutMs = 10'000;  // a dead member's partitions move on within 10 s
constexpr std::int64_t kMinPollIntervalMs = 300'000;
constexpr std::int64_t kMaxPollIntervalMs = 86'400'000;  // librdkafka's limit

struct ConsumerMetrics {
  metrics::CounterChildren messages{
      metrics::Global().Counter("kafka_consumer_messages_total",
                                "Records handled by Kafka consumers, by topic and outcome "
                                "(processed, retried, dead_lettered)."),
      {"topic", "outcome"}};
  metrics::GaugeChildren lag{
      metrics::Global().Gauge("kafka_consumer_lag",
                              "Records in the partition after the last one handled here."),
      {"topic", "partition"}};
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("kafka_consumer_handler_duration_seconds",
                                  "Time one handler run took, by topic."),
      {"topic"},
      metrics::LatencyBuckets()};
};

ConsumerMetrics& Metrics() {
  static ConsumerMetrics m;
  return m;
}

constexpr const char* kOutcomes[] = {"processed", "retried", "dead_lettered"};

void Count(const std::string& topic, const char* outcome) {
  Metrics().messages.With({topic, outcome}).Increment();
}

// Every outcome's series exists from the subscription on, at zero: a counter born at its first
// increment shows no increase() for that increment, so a rule or panel would miss it.
void CreateOutcomeSeries(const std::vector<std::string>& topics) {
  for (const std::string& topic : topics) {
    for (const char* outcome : kOutcomes) Metrics().messages.With({topic, outcome});
  }
}

// Owns the TopicPartition pointers librdkafka's list APIs take.
struct PartitionList {
  std::vector<RdKafka::TopicPartition*> items;
  PartitionList() = default;
  PartitionList(const PartitionList&) = delete;
  PartitionList& operator=(const PartitionList&) = delete;
  ~PartitionList() { RdKafka::TopicPartition::destroy(items); }
};

std::string Describe(const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::string out;
  for (const auto* partition : partitions) {
    if (!out.empty()) out += ",";
    out += partition->topic() + "/" + std::to_string(partition->partition());
  }
  return out;
}

Message ToMessage(RdKafka::Message& raw) {
  Message message;
  message.topic = raw.topic_name();
  message.partition = raw.partition();
  message.offset = raw.offset();
  if (raw.key_pointer() != nullptr) {
    message.key.assign(static_cast<const char*>(raw.key_pointer()), raw.key_len());
  }
  if (raw.payload() != nullptr) {
    message.value.assign(static_cast<const char*>(raw.payload()), raw.len());
  }
  message.headers = detail::ReadHeaders(raw);
  const auto timestamp = raw.timestamp();
  if (timestamp.type != RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE) {
    message.timestamp_ms = timestamp.timestamp;
  }
  return message;
}

// Coroutines spawned from the consumer thread own copies of everything they touch, so one
// abandoned at shutdown (its io_context stopped) never refers to the thread's stack.
asio::awaitable<void> RunHandler(std::shared_ptr<const Handler> handler, Context ctx,
                                 std::shared_ptr<const Message> message) {
  co_await (*handler)(ctx, *message);
}

asio::awaitable<Delivery> PublishDeadLetter(Publisher& publisher, Context ctx, Record record) {
  co_return co_await publisher.Produce(ctx, std::move(record));
}

std::int64_t MaxPollIntervalMs(const ConsumerOptions& options) {
  // The thread does not poll while it retries one record: the group must not evict it then.
  const auto per_attempt = options.handler_timeout + options.max_backoff;
  const std::int64_t worst = options.max_attempts * per_attempt.count() + 60'000;
  return std::clamp(worst, kMinPollIntervalMs, kMaxPollIntervalMs);
}

}  // namespace

struct Consumer::Impl final : RdKafka::RebalanceCb {
  Impl(asio::io_context& io_in, ConsumerOptions options_in, Publisher& dead_letters_in,
       Handler handler_in)
      : io(io_in),
        options(std::move(options_in)),
        dead_letters(dead_letters_in),
        handler(std::make_shared<const Handler>(std::move(handler_in))),
        events("consumer " + options.group_id) {
    if (options.group_id.empty()) throw InvalidArgument("kafka consumer needs a group id");
    if (options.topics.empty()) throw InvalidArgument("kafka consumer needs a topic");
    if (options.max_attempts < 1) throw InvalidArgument("kafka max_attempts must be >= 1");
    if (!*handler) throw InvalidArgument("kafka consumer needs a handler");
    auto conf = detail::MakeConf(options.brokers, events);
    detail::Set(*conf, "group.id", options.group_id);
    detail::Set(*conf, "client.id", options.group_id);
    detail::Set(*conf, "enable.auto.commit", "false");
    detail::Set(*conf, "enable.auto.offset.store", "false");
    detail::Set(*conf, "auto.offset.reset", "earliest");
    // Cooperative: a member joining or leaving moves only the partitions that change hands.
    detail::Set(*conf, "partition.assignment.strategy", "cooperative-sticky");
    detail::Set(*conf, "session.timeout.ms", std::to_string(kSessionTimeoutMs));
    detail::Set(*conf, "heartbeat.interval.ms", "1000");
    detail::Set(*conf, "max.poll.interval.ms", std::to_string(MaxPollIntervalMs(options)));
    detail::Set(*conf, "allow.auto.create.topics", "false");
    std::string error;
    if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(this), error) !=
        RdKafka::Conf::CONF_OK) {
      throw InvalidArgument("kafka rebalance_cb rejected: " + error);
    }
    consumer.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
    if (!consumer) throw InvalidArgument("cannot create the kafka consumer: " + error);
  }

  void RequestStop() {
    {
      std::lock_guard lock(sleep_mutex);
      stopping = true;
    }
    sleep_cv.notify_all();
  }

  void Join() {
    std::call_once(join_once, [this] { thread.join(); });
  }

  // The consumer thread: poll, handle one record at a time, commit what is done.
  void Run() {
    last_commit = Clock::now();
    while (!stopping.load()) {
      std::unique_ptr<RdKafka::Message> raw(consumer->consume(kPollTimeoutMs));
      const auto code = raw->err();
      if (code == RdKafka::ERR_NO_ERROR) {
        Process(*raw);
      } else if (code != RdKafka::ERR__TIMED_OUT && code != RdKafka::ERR__PARTITION_EOF) {
        LogConsumeError(*raw);
      }
      const bool idle = code == RdKafka::ERR__TIMED_OUT;
      if (uncommitted && (idle || Clock::now() - last_commit >= kCommitInterval)) {
        Commit(*consumer);
      }
    }
    Commit(*consumer);
    // Revokes the assignment (the rebalance callback commits again) and leaves the group, so the
    // other members take over at once instead of after the session timeout.
    const auto closed = consumer->close();
    if (closed != RdKafka::ERR_NO_ERROR) {
      log::Warn("kafka consumer close failed",
                {{"group", options.group_id}, {"error", RdKafka::err2str(closed)}});
    }
    finished = true;
  }

  void Process(RdKafka::Message& raw) {
    auto message = std::make_shared<const Message>(ToMessage(raw));
    const auto parent = detail::ExtractTraceContext(message->headers);
    auto span = telemetry::GetTracer().StartSpan(
        message->topic + " process", telemetry::SpanKind::kConsumer, parent ? &*parent : nullptr);
    span.SetAttribute("messaging.system", "kafka");
    span.SetAttribute("messaging.operation.type", "process");
    span.SetAttribute("messaging.operation", "process");
    span.SetAttribute("messaging.destination.name", message->topic);
    span.SetAttribute("messaging.kafka.consumer.group", options.group_id);
    span.SetAttribute("messaging.consumer.group.name", options.group_id);
    span.SetAttribute("messaging.kafka.destination.partition", message->partition);
    span.SetAttribute("messaging.destination.partition.id", std::to_string(message->partition));
    span.SetAttribute("messaging.kafka.message.offset", message->offset);
    if (!message->key.empty()) span.SetAttribute("messaging.kafka.message.key", message->key);
    if (auto id = FindHeader(message->headers, "ce_id")) {
      span.SetAttribute("messaging.message.id", *id);
    }
    const std::string trace_id = span.Context().TraceIdHex();
    const std::string span_id = span.Context().SpanIdHex();

    auto backoff = options.initial_backoff;
    std::string reason;
    int attempt = 0;
    for (;;) {
      ++attempt;
      const Context ctx{span.Context(), Clock::now() + options.handler_timeout};
      const auto started = Clock::now();
      auto done = asio::co_spawn(io, RunHandler(handler, ctx, message), asio::use_future);
      if (!Settle(done)) {
        span.SetStatus(telemetry::StatusCode::kError, "abandoned: the io_context stopped");
        return;  // not committed: redelivered after a restart
      }
      Metrics()
          .duration.With({message->topic})
          .Observe(std::chrono::duration<double>(Clock::now() - started).count());
      bool poison = false;
      try {
        done.get();
        Count(message->topic, "processed");
        Store(*message);
        return;
      } catch (const PoisonMessage& e) {
        reason = e.what();
        poison = true;
      } catch (const std::exception& e) {
        reason = e.what();
      } catch (...) {
        reason = "unknown exception";
      }
      if (poison || attempt >= options.max_attempts) break;
      Count(message->topic, "retried");
      span.AddEvent("retry", {{"attempt", std::int64_t{attempt}}, {"error", reason}});
      log::Warn("kafka handler failed, retrying",
                {{"topic", message->topic},
                 {"partition", message->partition},
                 {"offset", message->offset},
                 {"attempt", attempt},
                 {"backoff_ms", static_cast<std::int64_t>(backoff.count())},
                 {"error", reason}},
                {trace_id, span_id});
      if (!Sleep(backoff)) {
        span.SetStatus(telemetry::StatusCode::kError, "abandoned: stopping");
        return;  // not committed: the next owner of the partition runs it again
      }
      backoff = std::min(backoff * 2, options.max_backoff);
    }
    span.SetStatus(telemetry::StatusCode::kError, reason);
    log::Error("kafka record dead-lettered",
               {{"topic", message->topic},
                {"partition", message->partition},
                {"offset", message->offset},
                {"attempts", attempt},
                {"error", reason}},
               {trace_id, span_id});
    if (DeadLetter(*message, span.Context(), reason, attempt)) {
      Count(message->topic, "dead_lettered");
      Store(*message);
    }
  }

  // Publishes to the DLQ until the broker takes it: a record is never committed unseen.
  bool DeadLetter(const Message& message, const telemetry::SpanContext& span,
                  const std::string& reason, int attempts) {
    const auto record = DeadLetterRecord(message, reason, attempts);
    auto backoff = options.initial_backoff;
    for (;;) {
      const Context ctx{span, Clock::time_point::max()};
      auto done =
          asio::co_spawn(io, PublishDeadLetter(dead_letters, ctx, record), asio::use_future);
      if (!Settle(done)) return false;
      try {
        done.get();
        return true;
      } catch (const std::exception& e) {
        log::Error("kafka dead letter not delivered, retrying",
                   {{"topic", record.topic},
                    {"backoff_ms", static_cast<std::int64_t>(backoff.count())},
                    {"error", e.what()}},
                   {span.TraceIdHex(), span.SpanIdHex()});
      }
      if (!Sleep(backoff)) return false;
      backoff = std::min(backoff * 2, options.max_backoff);
    }
  }

  // Waits for work spawned on the io_context; false when it can never finish (stopping, and the
  // io_context no longer runs). A stop alone waits: the record in hand is finished.
  template <typename T>
  bool Settle(std::future<T>& done) {
    while (done.wait_for(kWaitSlice) != std::future_status::ready) {
      if (stopping.load() && io.stopped()) return false;
    }
    return true;
  }

  // Sleeps for a retry backoff; false (at once) when a stop is requested.
  bool Sleep(std::chrono::milliseconds duration) {
    std::unique_lock lock(sleep_mutex);
    return !sleep_cv.wait_for(lock, duration, [this] { return stopping.load(); });
  }

  void Store(const Message& message) {
    PartitionList offsets;
    offsets.items.push_back(
        RdKafka::TopicPartition::create(message.topic, message.partition, message.offset + 1));
    const auto code = consumer->offsets_store(offsets.items);
    const auto partition_code = code == RdKafka::ERR_NO_ERROR ? offsets.items[0]->err() : code;
    if (partition_code != RdKafka::ERR_NO_ERROR) {
      // The partition was taken away meanwhile: its next owner handles the record again.
      log::Warn("kafka offset not stored", {{"topic", message.topic},
                                            {"partition", message.partition},
                                            {"offset", message.offset},
                                            {"error", RdKafka::err2str(partition_code)}});
      return;
    }
    uncommitted = true;
    std::int64_t low = 0;
    std::int64_t high = 0;
    if (consumer->get_watermark_offsets(message.topic, message.partition, &low, &high) ==
            RdKafka::ERR_NO_ERROR &&
        high >= 0) {
      Metrics()
          .lag.With({message.topic, std::to_string(message.partition)})
          .Set(static_cast<double>(std::max<std::int64_t>(0, high - (message.offset + 1))));
    }
  }

  // Commits the stored offsets (synchronously: on revoke and stop they must be in before the
  // partitions move on).
  void Commit(RdKafka::KafkaConsumer& handle) {
    last_commit = Clock::now();
    if (!uncommitted) return;
    const auto code = handle.commitSync();
    if (code == RdKafka::ERR_NO_ERROR || code == RdKafka::ERR__NO_OFFSET) {
      uncommitted = false;
      return;
    }
    log::Warn("kafka commit failed",
              {{"group", options.group_id}, {"error", RdKafka::err2str(code)}});
  }

  // The new owner reports the lag of a partition that moved away.
  static void ForgetLag(const RdKafka::TopicPartition& partition) {
    Metrics().lag.Remove({partition.topic(), std::to_string(partition.partition())});
  }

  void LogConsumeError(RdKafka::Message& raw) {
    const auto now = Clock::now();
    if (raw.err() == last_error && now - last_error_logged < kErrorLogInterval) return;
    last_error = raw.err();
    last_error_logged = now;
    log::Warn("kafka consume error", {{"group", options.group_id},
                                      {"topic", raw.topic_name()},
                                      {"error", RdKafka::err2str(raw.err())},
                                      {"detail", raw.errstr()}});
  }

  // Runs on the consumer thread, inside consume() or close(), so no record is in hand.
  void rebalance_cb(RdKafka::KafkaConsumer* handle, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = handle->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      log::Info("kafka partitions assigned",
                {{"group", options.group_id}, {"partitions", Describe(partitions)}});
      if (cooperative) {
        std::unique_ptr<RdKafka::Error> error(handle->incremental_assign(partitions));
        if (error) log::Error("kafka assign failed", {{"error", error->str()}});
      } else {
        handle->assign(partitions);
      }
      return;
    }
    if (err == RdKafka::ERR__REVOKE_PARTITIONS) {
      log::Info("kafka partitions revoked",
                {{"group", options.group_id}, {"partitions", Describe(partitions)}});
      // Commit what is done before another member takes over (pointless when already lost).
      if (!handle->assignment_lost()) Commit(*handle);
      for (const auto* partition : partitions) ForgetLag(*partition);
      if (cooperative) {
        std::unique_ptr<RdKafka::Error> error(handle->incremental_unassign(partitions));
        if (error) log::Error("kafka unassign failed", {{"error", error->str()}});
      } else {
        handle->unassign();
      }
      return;
    }
    log::Error("kafka rebalance failed",
               {{"group", options.group_id}, {"error", RdKafka::err2str(err)}});
    handle->unassign();
  }

  asio::io_context& io;
  ConsumerOptions options;
  Publisher& dead_letters;
  std::shared_ptr<const Handler> handler;
  detail::LogEvents events;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer;

  std::atomic<bool> stopping{false};
  std::atomic<bool> finished{false};
  std::mutex sleep_mutex;
  std::condition_variable sleep_cv;

  // Consumer thread only.
  bool uncommitted = false;
  Clock::time_point last_commit;
  RdKafka::ErrorCode last_error = RdKafka::ERR_NO_ERROR;
  Clock::time_point last_error_logged;

  std::once_flag join_once;
  std::thread thread;
};

Consumer::Consumer(asio::io_context& io, ConsumerOptions options, Publisher& dead_letters,
                   Handler handler)
    : impl_(std::make_unique<Impl>(io, std::move(options), dead_letters, std::move(handler))) {}

Consumer::~Consumer() {
  if (impl_->thread.joinable()) {
    impl_->RequestStop();
    impl_->Join();
  }
}

void Consumer::Start() {
  if (impl_->thread.joinable() || impl_->stopping.load()) return;
  const auto code = impl_->consumer->subscribe(impl_->options.topics);
  if (code != RdKafka::ERR_NO_ERROR) {
    throw InvalidArgument("kafka subscribe failed: " + RdKafka::err2str(code));
  }
  CreateOutcomeSeries(impl_->options.topics);
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

asio::awaitable<void> Consumer::Stop() {
  impl_->RequestStop();
  if (!impl_->thread.joinable()) co_return;
  // Never block an io thread: the record in hand may need this very io_context to finish.
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  while (!impl_->finished.load()) {
    timer.expires_after(kStopPoll);
    co_await timer.async_wait(asio::use_awaitable);
  }
  impl_->Join();
}

}  // namespace fo::kafka
