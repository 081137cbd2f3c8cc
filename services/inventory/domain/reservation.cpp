#include "services/inventory/domain/reservation.hpp"

#include <algorithm>
#include <set>

namespace fo::inventory::domain {

std::string_view ToString(ReservationState state) {
  switch (state) {
    case ReservationState::kHeld:
      return "held";
    case ReservationState::kCommitted:
      return "committed";
    case ReservationState::kReleased:
      return "released";
    case ReservationState::kExpired:
      return "expired";
    case ReservationState::kRejected:
      return "rejected";
    case ReservationState::kReturned:
      return "returned";
  }
  return "held";
}

std::optional<ReservationState> ParseReservationState(std::string_view text) {
  for (auto state :
       {ReservationState::kHeld, ReservationState::kCommitted, ReservationState::kReleased,
        ReservationState::kExpired, ReservationState::kRejected, ReservationState::kReturned}) {
    if (ToString(state) == text) return state;
  }
  return std::nullopt;
}

std::optional<std::string> CheckReservationId(std::string_view id) {
  if (id.empty() || id.size() > kReservationIdMax) {
    return "reservation_id must be 1 to 64 characters";
  }
  const bool clean = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  if (!clean) return "reservation_id may contain only A-Z, a-z, 0-9, '_' and '-'";
  return std::nullopt;
}

std::optional<std::string> CheckItems(const std::vector<Line>& items) {
  if (items.empty() || items.size() > kMaxLines) return "items must hold 1 to 100 lines";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto at = "items[" + std::to_string(i) + "]";
    if (items[i].product_id <= 0) return at + ".product_id must be a positive integer";
    if (items[i].quantity < 1 || items[i].quantity > kMaxLineQuantity) {
      return at + ".quantity must be between 1 and 1000000";
    }
  }
  return std::nullopt;
}

std::optional<std::string> CheckLines(const std::vector<Line>& lines) {
  if (auto problem = CheckItems(lines)) return problem;
  std::set<std::int64_t> products;
  for (const auto& line : lines) {
    if (!products.insert(line.product_id).second) {
      return "product " + std::to_string(line.product_id) + " appears more than once";
    }
  }
  return std::nullopt;
}

std::optional<std::string> CheckTtl(std::int64_t ttl_seconds) {
  if (ttl_seconds < 0 || ttl_seconds > kMaxTtl.count()) {
    return "ttl_seconds must be between 0 and 3600";
  }
  return std::nullopt;
}

std::chrono::seconds EffectiveTtl(std::int64_t ttl_seconds, std::chrono::seconds fallback) {
  return ttl_seconds == 0 ? fallback : std::chrono::seconds(ttl_seconds);
}

std::vector<Line> SortedLines(std::vector<Line> lines) {
  std::sort(lines.begin(), lines.end(),
            [](const Line& a, const Line& b) { return a.product_id < b.product_id; });
  return lines;
}

std::string CanonicalItems(const std::vector<Line>& sorted_lines) {
  std::string out;
  for (const auto& line : sorted_lines) {
    if (!out.empty()) out += ',';
    out += std::to_string(line.product_id) + ':' + std::to_string(line.quantity);
  }
  return out;
}

Transition DecideCommit(ReservationState state, bool past_expiry) {
  switch (state) {
    case ReservationState::kHeld:
      return past_expiry ? Transition::kExpireThenFail : Transition::kApply;
    case ReservationState::kCommitted:
    case ReservationState::kReturned:  // it was committed; the refund came after
      return Transition::kAlreadyDone;
    case ReservationState::kReleased:
    case ReservationState::kExpired:
    case ReservationState::kRejected:
      return Transition::kRefuse;
  }
  return Transition::kRefuse;
}

Transition DecideRelease(ReservationState state, bool past_expiry) {
  switch (state) {
    case ReservationState::kHeld:
      // Releasing a lapsed hold gives the same units back; record it as the expiry it was.
      return past_expiry ? Transition::kExpireThenFail : Transition::kApply;
    case ReservationState::kReleased:
      return Transition::kAlreadyDone;
    case ReservationState::kCommitted:
    case ReservationState::kExpired:
    case ReservationState::kRejected:
    case ReservationState::kReturned:
      return Transition::kRefuse;
  }
  return Transition::kRefuse;
}

Transition DecideReturn(ReservationState state) {
  switch (state) {
    case ReservationState::kCommitted:
      return Transition::kApply;
    case ReservationState::kReturned:
      return Transition::kAlreadyDone;
    case ReservationState::kHeld:
    case ReservationState::kReleased:
    case ReservationState::kExpired:
    case ReservationState::kRejected:
      return Transition::kRefuse;
  }
  return Transition::kRefuse;
}

}  // namespace fo::inventory::domain
