#pragma once
// Reservations: the hold/commit/release protocol of the purchase saga, its field rules and its
// state machine. No I/O here.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fo::inventory::domain {

// kReturned: committed, then refunded (the units went back on hand).
enum class ReservationState { kHeld, kCommitted, kReleased, kExpired, kRejected, kReturned };

std::string_view ToString(ReservationState state);
std::optional<ReservationState> ParseReservationState(std::string_view text);

inline constexpr std::size_t kReservationIdMax = 64;
inline constexpr std::size_t kMaxLines = 100;
inline constexpr std::int64_t kMaxLineQuantity = 1'000'000;
inline constexpr std::chrono::seconds kMaxTtl{3600};

struct Line {
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
  bool operator==(const Line&) const = default;
};

struct Shortage {
  std::int64_t product_id = 0;
  std::int64_t requested = 0;
  std::int64_t available = 0;
  bool operator==(const Shortage&) const = default;
};

// 1-64 characters of [A-Za-z0-9_-]; the problem, or nullopt.
std::optional<std::string> CheckReservationId(std::string_view id);
// 1..100 lines, positive product ids, quantities 1..1,000,000, each product once.
std::optional<std::string> CheckLines(const std::vector<Line>& lines);
// Availability questions: 1..100 items with positive ids and quantities 1..1,000,000
// (a product may be asked twice).
std::optional<std::string> CheckItems(const std::vector<Line>& items);
// 0 means the service default; otherwise 1..3600 seconds.
std::optional<std::string> CheckTtl(std::int64_t ttl_seconds);
std::chrono::seconds EffectiveTtl(std::int64_t ttl_seconds, std::chrono::seconds fallback);

// The lines sorted by product: the order stock rows are locked in (no deadlocks between
// concurrent reservations) and the canonical form a repeat is compared by.
std::vector<Line> SortedLines(std::vector<Line> lines);
std::string CanonicalItems(const std::vector<Line>& sorted_lines);

// What Commit or Release does to a reservation in `state` (`past_expiry`: a held one whose
// expires_at has passed, not yet swept).
enum class Transition {
  kApply,           // move units and change the state
  kAlreadyDone,     // idempotent repeat: nothing to do, answer OK
  kExpireThenFail,  // expire it now (release its units), then refuse
  kRefuse,          // FAILED_PRECONDITION
};
Transition DecideCommit(ReservationState state, bool past_expiry);
Transition DecideRelease(ReservationState state, bool past_expiry);
// A refund puts committed units back on hand, once.
Transition DecideReturn(ReservationState state);

}  // namespace fo::inventory::domain
