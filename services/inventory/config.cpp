#include "services/inventory/config.hpp"

#include "platform/config/env.hpp"

namespace fo::inventory {

Config Config::FromEnv() {
  Config c;
  c.product_grpc_target = config::String("PRODUCT_GRPC_TARGET", "127.0.0.1:9091");
  c.product_timeout =
      std::chrono::milliseconds(config::Int("PRODUCT_GRPC_TIMEOUT_MS", 2000, 50, 60'000));
  c.reservation_ttl = std::chrono::seconds(config::Int("RESERVATION_TTL_SECONDS", 900, 1, 3600));
  c.sweep_interval =
      std::chrono::milliseconds(config::Int("RESERVATION_SWEEP_INTERVAL_MS", 1000, 10, 3'600'000));
  return c;
}

}  // namespace fo::inventory
