#include "platform/kafka/dead_letter.hpp"

#include <string>

#include "platform/kafka/trace_headers.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"

namespace fo::kafka {

Record DeadLetterRecord(const Message& message, std::string_view reason, int attempts) {
  Record record;
  record.topic = message.topic + std::string(kDeadLetterSuffix);
  record.key = message.key;
  record.value = message.value;
  record.headers = message.headers;
  detail::RemoveHeader(record.headers, telemetry::kTraceparentHeader);
  detail::RemoveHeader(record.headers, telemetry::kTracestateHeader);
  // A record dead-lettered twice (replayed, failed again) keeps only the latest failure.
  detail::ReplaceHeader(record.headers, kDlqReasonHeader, std::string(reason));
  detail::ReplaceHeader(record.headers, kDlqTopicHeader, message.topic);
  detail::ReplaceHeader(record.headers, kDlqPartitionHeader, std::to_string(message.partition));
  detail::ReplaceHeader(record.headers, kDlqOffsetHeader, std::to_string(message.offset));
  detail::ReplaceHeader(record.headers, kDlqAttemptsHeader, std::to_string(attempts));
  return record;
}

}  // namespace fo::kafka
