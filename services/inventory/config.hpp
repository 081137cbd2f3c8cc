#pragma once
// The inventory service's settings, all from environment variables (see README's table).
#include <chrono>
#include <string>

namespace fo::inventory {

struct Config {
  std::string product_grpc_target;                 // PRODUCT_GRPC_TARGET
  std::chrono::milliseconds product_timeout{};     // PRODUCT_GRPC_TIMEOUT_MS
  std::chrono::seconds reservation_ttl{900};       // RESERVATION_TTL_SECONDS
  std::chrono::milliseconds sweep_interval{1000};  // RESERVATION_SWEEP_INTERVAL_MS

  static Config FromEnv();
};

}  // namespace fo::inventory
