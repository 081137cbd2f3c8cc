#pragma once
// Helpers for the Kafka integration tests: unique topics created through the admin API (the
// broker never auto-creates), an io_context on its own thread, span capture, polling waits.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/kafka/producer.hpp"
#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::kafka::testing {

std::string Brokers();  // KAFKA_BROKERS, required
std::string UniqueName(std::string_view prefix);
Record MakeRecord(const std::string& topic, std::string key, std::string value);
// Creates `name` with `partitions` partitions (replication 1) and waits until it is visible.
void CreateTopic(const std::string& name, int partitions);

// An io_context run by one background thread for the test's lifetime.
class IoThread {
 public:
  IoThread();
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& io() { return io_; }
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future).get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

// Installs an always-on tracer that keeps every ended span; restores the no-op tracer after.
class SpanCapture {
 public:
  SpanCapture();
  ~SpanCapture();
  SpanCapture(const SpanCapture&) = delete;
  SpanCapture& operator=(const SpanCapture&) = delete;

  std::vector<telemetry::SpanData> Spans() const;
  // The first ended span named `name`; fails the test when there is none.
  telemetry::SpanData Find(std::string_view name) const;

 private:
  class Processor;
  std::shared_ptr<Processor> processor_;
};

// Polls `done` every 20 ms until it holds or `timeout` passes; returns its last value.
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A thread-safe list the handlers (on the io thread) fill and the test reads.
template <typename T>
class Collected {
 public:
  void Add(T item) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(item));
  }
  std::vector<T> Items() const {
    std::lock_guard lock(mutex_);
    return items_;
  }
  std::size_t Size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<T> items_;
};

// Value of one counter or gauge sample in the global registry's text output (0 when absent).
double MetricValue(std::string_view name, std::string_view labels);
bool HasMetric(std::string_view name, std::string_view labels);

}  // namespace fo::kafka::testing
