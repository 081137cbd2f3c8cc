#pragma once
// The product service's settings, all from environment variables (see README's table). The
// database, ports, token verification, Kafka and the outbox relay read their own variables
// (pg::PoolOptions, http::ServerOptions, rpc::ServerOptions, auth::VerifierFromEnv,
// kafka::ProducerOptions / ConsumerOptions, messaging::RelayOptions).
#include <cstdint>

namespace fo::product {

struct Config {
  std::int64_t low_stock_threshold = 10;  // LOW_STOCK_THRESHOLD: stats count 0 < stock <= this

  static Config FromEnv();
};

}  // namespace fo::product
