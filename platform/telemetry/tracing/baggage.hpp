#pragma once
// W3C Baggage (https://www.w3.org/TR/baggage/): application key/value pairs that travel with a
// request. Values are percent-decoded here; member properties (";...") are not kept.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fo::telemetry {

inline constexpr std::string_view kBaggageHeader = "baggage";
inline constexpr std::size_t kMaxBaggageMembers = 180;
inline constexpr std::size_t kMaxBaggageBytes = 8192;

using Baggage = std::vector<std::pair<std::string, std::string>>;

// Invalid members are skipped, a repeated key keeps its last value, and members beyond the limits
// are dropped whole (never truncated).
Baggage ParseBaggage(std::string_view header);
// Members with a key that is not a token, or that would exceed the limits, are left out.
std::string FormatBaggage(const Baggage& baggage);

}  // namespace fo::telemetry
