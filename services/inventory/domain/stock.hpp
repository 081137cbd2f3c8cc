#pragma once
// A product's stock at one location, and the rules for changing it. No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fo::inventory::domain {

inline constexpr std::string_view kDefaultLocation = "main";
inline constexpr std::size_t kLocationMax = 64, kReasonMax = 200;
inline constexpr std::int64_t kMaxOnHand = 1'000'000'000;  // per row, a sanity bound
inline constexpr std::int64_t kMaxCheckQuantity = 1'000'000;

struct StockItem {
  std::int64_t id = 0;
  std::int64_t product_id = 0;
  std::string location;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t version = 0;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;

  std::int64_t Available() const { return on_hand - reserved; }
};

// Each returns the problem with a value, or nullopt when it is fine.
std::optional<std::string> CheckLocation(std::string_view location);
std::optional<std::string> CheckReason(std::string_view reason);

// The quoted entity tag of a row version ("\"7\""), and the version an If-Match names.
std::string ETagOf(std::int64_t version);
// Accepts exactly one strong tag "\"<positive integer>\""; nullopt for anything else.
std::optional<std::int64_t> ParseIfMatch(std::string_view header);

// Who changed stock, for the movements trail.
std::string UserActor(std::int64_t user_id);
inline constexpr std::string_view kSweeperActor = "system:sweeper";
inline constexpr std::string_view kRpcActor = "rpc";
// Changes made because a payment event said so (purchase, failure, refund).
inline constexpr std::string_view kEventActor = "event:payment";

}  // namespace fo::inventory::domain
