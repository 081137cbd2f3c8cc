#include "platform/telemetry/tracing/baggage.hpp"

#include <algorithm>

#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {
namespace {

bool IsValidValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), detail::IsBaggageOctet);
}

// Adds `member` to `out` unless that would break the member-count or byte limit.
bool Append(std::string& out, std::size_t& count, std::string_view member) {
  const std::size_t added = member.size() + (out.empty() ? 0 : 1);
  if (count >= kMaxBaggageMembers || out.size() + added > kMaxBaggageBytes) return false;
  if (!out.empty()) out += ',';
  out.append(member);
  ++count;
  return true;
}

}  // namespace

Baggage ParseBaggage(std::string_view header) {
  Baggage baggage;
  std::string accepted;  // the members kept so far, to enforce the limits on the wire form
  std::size_t count = 0;
  for (std::string_view raw : detail::Split(header, ',')) {
    std::string_view member = detail::TrimOws(raw);
    member = detail::TrimOws(member.substr(0, member.find(';')));  // properties are not kept
    const std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = detail::TrimOws(member.substr(0, eq));
    const std::string_view value = detail::TrimOws(member.substr(eq + 1));
    if (!detail::IsToken(key) || !IsValidValue(value)) continue;
    if (!Append(accepted, count, member)) {
      if (count >= kMaxBaggageMembers) break;
      continue;
    }
    detail::Upsert(baggage, std::string(key), detail::PercentDecode(value));
  }
  return baggage;
}

std::string FormatBaggage(const Baggage& baggage) {
  std::string out;
  std::size_t count = 0;
  for (const auto& [key, value] : baggage) {
    if (!detail::IsToken(key)) continue;
    if (!Append(out, count, key + "=" + detail::PercentEncode(value)) &&
        count >= kMaxBaggageMembers) {
      break;
    }
  }
  return out;
}

}  // namespace fo::telemetry
