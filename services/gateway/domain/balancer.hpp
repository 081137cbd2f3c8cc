#pragma once
// Load balancing over one pool's instances: round robin, least request (power of two choices)
// and consistent hashing on a request header. Pure: the caller says which instances may take a
// request now (healthy, breaker letting it through, not tried yet) and how busy each is.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/gateway/domain/route_table.hpp"

namespace fo::gateway {

class Balancer {
 public:
  virtual ~Balancer() = default;
  // eligible[i] != 0: instance i may be chosen; in_flight[i]: its requests in flight. `key` is
  // the hash header's value (consistent hashing only). nullopt when nothing is eligible.
  virtual std::optional<std::size_t> Pick(std::span<const char> eligible,
                                          std::span<const std::int64_t> in_flight,
                                          std::string_view key) = 0;
};

// `instance_ids` name the instances stably ("host:port"), so every gateway replica builds the
// same hash ring and sends one key to the same instance.
std::unique_ptr<Balancer> MakeBalancer(Balance balance,
                                       const std::vector<std::string>& instance_ids);

// 64-bit FNV-1a with a final mix: stable across processes and builds (std::hash is not).
std::uint64_t StableHash(std::string_view text);

}  // namespace fo::gateway
