#pragma once
// The record that carries a failed message to "<topic>.dlq": the original key, value and
// headers, plus why and where it failed, so it can be inspected and replayed by hand.
#include <string_view>

#include "platform/kafka/record.hpp"

namespace fo::kafka {

inline constexpr std::string_view kDeadLetterSuffix = ".dlq";
inline constexpr std::string_view kDlqReasonHeader = "dlq.reason";
inline constexpr std::string_view kDlqTopicHeader = "dlq.original.topic";
inline constexpr std::string_view kDlqPartitionHeader = "dlq.original.partition";
inline constexpr std::string_view kDlqOffsetHeader = "dlq.original.offset";
inline constexpr std::string_view kDlqAttemptsHeader = "dlq.attempts";

// The trace context headers are dropped: the producer sets them to its own span, a child of the
// consumer span that gave up (pass that span in the Context).
Record DeadLetterRecord(const Message& message, std::string_view reason, int attempts);

}  // namespace fo::kafka
