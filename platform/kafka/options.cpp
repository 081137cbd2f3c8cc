// ProducerOptions and ConsumerOptions from the environment (the README's Kafka table).
#include <cstdint>

#include "platform/config/env.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"

namespace fo::kafka {
namespace {

constexpr std::int64_t kMaxMillis = 2'147'483'647;  // librdkafka takes int milliseconds

std::chrono::milliseconds Millis(std::string_view name, std::chrono::milliseconds fallback,
                                 std::int64_t min) {
  return std::chrono::milliseconds(config::Int(name, fallback.count(), min, kMaxMillis));
}

}  // namespace

ProducerOptions ProducerOptions::FromEnv(std::string_view default_client_id) {
  ProducerOptions options;
  options.brokers = config::String("KAFKA_BROKERS", options.brokers);
  options.client_id = config::String("KAFKA_CLIENT_ID", default_client_id);
  // linger.ms (a few ms) must stay below message.timeout.ms.
  options.delivery_timeout =
      Millis("KAFKA_DELIVERY_TIMEOUT_MS", options.delivery_timeout, /*min=*/100);
  return options;
}

ConsumerOptions ConsumerOptions::FromEnv(std::string_view default_group_id,
                                         std::vector<std::string> topics) {
  ConsumerOptions options;
  options.brokers = config::String("KAFKA_BROKERS", options.brokers);
  options.group_id = config::String("KAFKA_GROUP_ID", default_group_id);
  options.topics = std::move(topics);
  options.max_attempts =
      static_cast<int>(config::Int("KAFKA_MAX_ATTEMPTS", options.max_attempts, 1, 100));
  options.initial_backoff = Millis("KAFKA_RETRY_BACKOFF_MS", options.initial_backoff, 1);
  options.max_backoff = Millis("KAFKA_RETRY_MAX_BACKOFF_MS", options.max_backoff, 1);
  if (options.max_backoff < options.initial_backoff) options.max_backoff = options.initial_backoff;
  options.handler_timeout = Millis("KAFKA_HANDLER_TIMEOUT_MS", options.handler_timeout, 1);
  return options;
}

}  // namespace fo::kafka
