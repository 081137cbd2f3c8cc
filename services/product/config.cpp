#include "services/product/config.hpp"

#include "platform/config/env.hpp"

namespace fo::product {

Config Config::FromEnv() {
  Config c;
  c.low_stock_threshold = config::Int("LOW_STOCK_THRESHOLD", 10, 0, 1'000'000'000);
  return c;
}

}  // namespace fo::product
