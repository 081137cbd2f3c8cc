#pragma once
// Cached catalog responses in Redis: one string per entry (status, content type, ETag, body)
// with the route's TTL, plus one set per tag listing the entries that depend on it, so an
// event about product 7 drops exactly what showed product 7 (and the lists).
#include "platform/redis/client.hpp"
#include "services/gateway/app/ports.hpp"

namespace fo::gateway::adapters {

class RedisResponseCache final : public app::ResponseCache {
 public:
  explicit RedisResponseCache(redis::Client& redis) : redis_(redis) {}

  boost::asio::awaitable<std::optional<app::CachedResponse>> Get(const std::string& key,
                                                                 const Context& ctx) override;
  boost::asio::awaitable<void> Put(const std::string& key, const std::string& tag,
                                   const app::CachedResponse& response, std::chrono::seconds ttl,
                                   const Context& ctx) override;
  boost::asio::awaitable<std::int64_t> Invalidate(const std::string& tag,
                                                  const Context& ctx) override;

 private:
  boost::asio::awaitable<std::int64_t> PurgeAll(const Context& ctx);
  redis::Client& redis_;
};

// Entry format, exposed for tests: "1\n<status>\n<content type>\n<etag>\n<body>".
std::string EncodeEntry(const app::CachedResponse& response);
std::optional<app::CachedResponse> DecodeEntry(std::string_view text);

}  // namespace fo::gateway::adapters
