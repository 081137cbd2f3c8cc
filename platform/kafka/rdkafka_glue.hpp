#pragma once
// What the producer and the consumer share on top of librdkafka's C++ API: configuration that
// fails loudly, its log events routed to the platform log, and header conversion. Internal to
// platform/kafka: callers only ever see record.hpp types.
#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>

#include "platform/kafka/record.hpp"

namespace fo::kafka::detail {

// librdkafka's logs and error events as platform log lines (instead of stderr). Called from
// librdkafka's own threads; logging is thread-safe.
class LogEvents final : public RdKafka::EventCb {
 public:
  explicit LogEvents(std::string client) : client_(std::move(client)) {}
  void event_cb(RdKafka::Event& event) override;

 private:
  std::string client_;  // "producer" or "consumer <group>", to tell lines apart
};

// A global configuration with bootstrap.servers and the log events set; throws fo::Error when a
// property is rejected.
std::unique_ptr<RdKafka::Conf> MakeConf(const std::string& brokers, LogEvents& events);
void Set(RdKafka::Conf& conf, const std::string& name, const std::string& value);

Headers ReadHeaders(RdKafka::Message& message);
// Null for no headers (what produce() expects); owned by librdkafka once produce() succeeds.
std::unique_ptr<RdKafka::Headers> WriteHeaders(const Headers& headers);

}  // namespace fo::kafka::detail
