#pragma once
// The CloudEvents 1.0 Kafka protocol binding, binary mode: the record value is the event data
// (a serialized protobuf message) and the attributes travel as `ce_*` record headers.
// https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md
#include <string>
#include <string_view>

#include "platform/kafka/record.hpp"

namespace fo::messaging {

inline constexpr std::string_view kProtobufContentType = "application/protobuf";

struct CloudEvent {
  std::string id;       // ce_id, a UUIDv7
  std::string type;     // ce_type, e.g. "fo.events.v1.ProductPurchased"
  std::string source;   // ce_source, e.g. "/payment"
  std::string time;     // ce_time, RFC 3339 UTC
  std::string subject;  // ce_subject, the aggregate id (optional)
  std::string data;     // the record value
};

// Adds ce_specversion, ce_id, ce_type, ce_source, ce_time, ce_subject (when set) and
// content-type headers to `record` and moves `event.data` into its value.
void Encode(CloudEvent event, kafka::Record& record);
// Reads the envelope back; throws kafka::PoisonMessage when a required attribute is missing or
// the spec version is not 1.0, so a malformed record goes to the dead-letter topic.
CloudEvent Decode(const kafka::Message& message);

}  // namespace fo::messaging
