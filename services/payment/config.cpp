#include "services/payment/config.hpp"

#include <cstdlib>

#include "platform/config/env.hpp"

namespace fo::payment {
namespace {

// A probability 0..1; anything else stops start-up naming the variable.
double Rate(std::string_view name, double fallback) {
  const auto text = config::Get(name);
  if (!text || text->empty()) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size() || !(value >= 0 && value <= 1)) {
    throw config::ConfigError(std::string(name) + " must be a number from 0 to 1, got '" + *text +
                              "'");
  }
  return value;
}

}  // namespace

Config Config::FromEnv() {
  Config c;
  c.user_grpc_target = config::String("USER_GRPC_TARGET", "127.0.0.1:9090");
  c.product_grpc_target = config::String("PRODUCT_GRPC_TARGET", "127.0.0.1:9091");
  c.inventory_grpc_target = config::String("INVENTORY_GRPC_TARGET", "127.0.0.1:9092");
  c.grpc_timeout =
      std::chrono::milliseconds(config::Int("PAYMENT_GRPC_TIMEOUT_MS", 2000, 50, 60'000));
  c.reservation_ttl =
      std::chrono::seconds(config::Int("PAYMENT_RESERVATION_TTL_SECONDS", 300, 1, 3600));
  c.provider_latency =
      std::chrono::milliseconds(config::Int("PAYMENT_PROVIDER_LATENCY_MS", 0, 0, 60'000));
  c.provider_decline_rate = Rate("PAYMENT_PROVIDER_DECLINE_RATE", 0);
  c.recovery_interval =
      std::chrono::milliseconds(config::Int("PAYMENT_RECOVERY_INTERVAL_MS", 5000, 10, 3'600'000));
  c.recovery_after =
      std::chrono::seconds(config::Int("PAYMENT_RECOVERY_AFTER_SECONDS", 30, 1, 86'400));
  c.key_retention =
      std::chrono::hours(config::Int("IDEMPOTENCY_KEY_TTL_HOURS", 24, 24, std::int64_t{24} * 365));
  return c;
}

}  // namespace fo::payment
