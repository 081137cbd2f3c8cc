#pragma once
// The payment service's settings, all from environment variables (see README's table).
#include <chrono>
#include <string>

namespace fo::payment {

struct Config {
  std::string user_grpc_target;                       // USER_GRPC_TARGET
  std::string product_grpc_target;                    // PRODUCT_GRPC_TARGET
  std::string inventory_grpc_target;                  // INVENTORY_GRPC_TARGET
  std::chrono::milliseconds grpc_timeout{2000};       // PAYMENT_GRPC_TIMEOUT_MS
  std::chrono::seconds reservation_ttl{300};          // PAYMENT_RESERVATION_TTL_SECONDS
  std::chrono::milliseconds provider_latency{0};      // PAYMENT_PROVIDER_LATENCY_MS
  double provider_decline_rate = 0;                   // PAYMENT_PROVIDER_DECLINE_RATE
  std::chrono::milliseconds recovery_interval{5000};  // PAYMENT_RECOVERY_INTERVAL_MS
  std::chrono::seconds recovery_after{30};            // PAYMENT_RECOVERY_AFTER_SECONDS
  std::chrono::hours key_retention{24};               // IDEMPOTENCY_KEY_TTL_HOURS

  static Config FromEnv();
};

}  // namespace fo::payment
