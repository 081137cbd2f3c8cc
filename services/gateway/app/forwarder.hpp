#pragma once
// Sends one client request to a pool: an instance chosen by the pool's balancer, a client span
// per attempt, and retries exactly when they are safe and useful: idempotent requests (or POSTs
// with an Idempotency-Key) after a connect error, a lost connection, 502, 503 or 504, with
// backoff (100 ms, 200 ms, jittered), on another instance when there is one, never past the
// deadline, never after a 4xx.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "platform/context/context.hpp"
#include "platform/http/message.hpp"
#include "services/gateway/app/ports.hpp"

namespace fo::gateway::app {

struct ForwardOptions {
  bool retryable = false;
  int max_attempts = 3;
  std::chrono::milliseconds backoff_base{100};
  std::string hash_key;  // consistent hashing
};

struct ForwardResult {
  http::Response response;  // upstream's (hop-by-hop headers removed) or the gateway's problem
  bool from_upstream = false;
  int attempts = 0;
};

// Never throws: every failure is a problem+json response (502, 503 with Retry-After, 504).
boost::asio::awaitable<ForwardResult> Forward(Pool& pool, http::ClientRequest request,
                                              const ForwardOptions& options, const Context& ctx);

// GET, HEAD, PUT, DELETE and OPTIONS; POST only with an Idempotency-Key (RFC 9110 §9.2.2).
bool SafeToRetry(std::string_view method, bool has_idempotency_key);

}  // namespace fo::gateway::app
