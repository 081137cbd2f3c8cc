#include "kafka_support.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"
#include "platform/testing/run.hpp"

namespace fo::kafka::testing {

std::string Brokers() { return fo::testing::RequiredEnv("KAFKA_BROKERS"); }

Record MakeRecord(const std::string& topic, std::string key, std::string value) {
  Record record;
  record.topic = topic;
  record.key = std::move(key);
  record.value = std::move(value);
  return record;
}

std::string UniqueName(std::string_view prefix) {
  static std::atomic<int> counter{0};
  static const auto run = std::random_device()() % 1'000'000;
  return std::string(prefix) + "-" + std::to_string(getpid()) + "-" + std::to_string(run) + "-" +
         std::to_string(counter++);
}

namespace {

struct AdminClient {
  rd_kafka_t* handle = nullptr;
  explicit AdminClient(const std::string& brokers) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw std::runtime_error(error);
    }
    handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (handle == nullptr) {
      rd_kafka_conf_destroy(conf);
      throw std::runtime_error(error);
    }
  }
  ~AdminClient() { rd_kafka_destroy(handle); }
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;
};

bool TopicVisible(rd_kafka_t* handle, const std::string& name, int partitions) {
  const struct rd_kafka_metadata* metadata = nullptr;
  rd_kafka_topic_t* topic = rd_kafka_topic_new(handle, name.c_str(), nullptr);
  const auto err = rd_kafka_metadata(handle, 0, topic, &metadata, 5000);
  bool visible = false;
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < metadata->topic_cnt; ++i) {
      const auto& t = metadata->topics[i];
      if (name == t.topic && t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt == partitions) {
        visible = true;
      }
    }
    rd_kafka_metadata_destroy(metadata);
  }
  rd_kafka_topic_destroy(topic);
  return visible;
}

}  // namespace

void CreateTopic(const std::string& name, int partitions) {
  AdminClient admin(Brokers());
  char error[512];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(name.c_str(), partitions, 1, error, sizeof error);
  if (topic == nullptr) throw std::runtime_error(error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin.handle);
  rd_kafka_CreateTopics(admin.handle, &topic, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 15'000);
  std::string failure;
  if (event == nullptr) {
    failure = "no answer to CreateTopics";
  } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failure = rd_kafka_event_error_string(event);
  } else {
    size_t count = 0;
    const auto* result = rd_kafka_event_CreateTopics_result(event);
    const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(result, &count);
    if (count != 1 || rd_kafka_topic_result_error(topics[0]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      failure = count == 1 ? rd_kafka_topic_result_error_string(topics[0]) : "no topic result";
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
  if (!failure.empty()) throw std::runtime_error("create topic " + name + ": " + failure);
  if (!WaitUntil([&] { return TopicVisible(admin.handle, name, partitions); })) {
    throw std::runtime_error("topic " + name + " never became visible");
  }
}

IoThread::IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}

IoThread::~IoThread() {
  work_.reset();
  io_.stop();
  thread_.join();
}

class SpanCapture::Processor final : public telemetry::SpanProcessor {
 public:
  void OnEnd(std::unique_ptr<telemetry::SpanData> span) override {
    std::lock_guard lock(mutex_);
    spans_.push_back(*span);
  }
  std::vector<telemetry::SpanData> Spans() const {
    std::lock_guard lock(mutex_);
    return spans_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<telemetry::SpanData> spans_;
};

SpanCapture::SpanCapture() : processor_(std::make_shared<Processor>()) {
  telemetry::GetTracer().Configure(true, telemetry::Sampler(), processor_);
}

SpanCapture::~SpanCapture() {
  telemetry::GetTracer().Configure(false, telemetry::Sampler(), nullptr);
}

std::vector<telemetry::SpanData> SpanCapture::Spans() const { return processor_->Spans(); }

telemetry::SpanData SpanCapture::Find(std::string_view name) const {
  for (auto& span : Spans()) {
    if (span.name == name) return span;
  }
  ADD_FAILURE() << "no span named " << name;
  return {};
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

namespace {

std::optional<double> FindMetric(std::string_view name, std::string_view labels) {
  const std::string prefix = std::string(name) + "{" + std::string(labels) + "} ";
  std::istringstream text(metrics::Global().Scrape());
  std::string line;
  while (std::getline(text, line)) {
    if (line.starts_with(prefix)) return std::stod(line.substr(prefix.size()));
  }
  return std::nullopt;
}

}  // namespace

double MetricValue(std::string_view name, std::string_view labels) {
  return FindMetric(name, labels).value_or(0);
}

bool HasMetric(std::string_view name, std::string_view labels) {
  return FindMetric(name, labels).has_value();
}

}  // namespace fo::kafka::testing
