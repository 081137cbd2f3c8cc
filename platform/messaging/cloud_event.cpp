#include "platform/messaging/cloud_event.hpp"

#include <utility>

#include "platform/kafka/consumer.hpp"

namespace fo::messaging {
namespace {

void Set(kafka::Headers& headers, std::string_view key, std::string value) {
  for (auto& header : headers) {
    if (header.key == key) {
      header.value = std::move(value);
      return;
    }
  }
  headers.push_back({std::string(key), std::move(value)});
}

std::string Required(const kafka::Message& message, std::string_view key) {
  const auto value = kafka::FindHeader(message.headers, key);
  if (!value || value->empty()) {
    throw kafka::PoisonMessage("not a CloudEvent: header " + std::string(key) + " is missing");
  }
  return std::string(*value);
}

}  // namespace

void Encode(CloudEvent event, kafka::Record& record) {
  Set(record.headers, "ce_specversion", "1.0");
  Set(record.headers, "ce_id", std::move(event.id));
  Set(record.headers, "ce_type", std::move(event.type));
  Set(record.headers, "ce_source", std::move(event.source));
  Set(record.headers, "ce_time", std::move(event.time));
  if (!event.subject.empty()) Set(record.headers, "ce_subject", std::move(event.subject));
  Set(record.headers, "content-type", std::string(kProtobufContentType));
  record.value = std::move(event.data);
}

CloudEvent Decode(const kafka::Message& message) {
  if (Required(message, "ce_specversion") != "1.0") {
    throw kafka::PoisonMessage("unsupported CloudEvents spec version");
  }
  CloudEvent event;
  event.id = Required(message, "ce_id");
  event.type = Required(message, "ce_type");
  event.source = Required(message, "ce_source");
  event.time = std::string(kafka::FindHeader(message.headers, "ce_time").value_or(""));
  event.subject = std::string(kafka::FindHeader(message.headers, "ce_subject").value_or(""));
  event.data = message.value;
  return event;
}

}  // namespace fo::messaging
