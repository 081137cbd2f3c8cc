#include "services/gateway/domain/cors.hpp"

#include <algorithm>

#include "platform/config/env.hpp"

namespace fo::gateway {
namespace {

constexpr std::string_view kMethods = "GET, HEAD, POST, PUT, PATCH, DELETE";
constexpr std::string_view kExposed =
    "X-Request-Id, X-Trace-Id, X-Cache, ETag, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset, Idempotent-Replayed, Location";
constexpr std::string_view kAllowedHeaders =
    "authorization, content-type, idempotency-key, if-match, if-none-match, x-request-id";

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins, bool allow_credentials)
    : credentials_(allow_credentials) {
  for (auto& origin : origins) {
    if (origin == "*") {
      if (allow_credentials) {
        throw config::ConfigError(
            "GATEWAY_CORS_ORIGINS=* cannot go with GATEWAY_CORS_CREDENTIALS=true: list the "
            "origins that may send credentials");
      }
      any_ = true;
      continue;
    }
    const auto scheme = origin.find("://");
    if (scheme == std::string::npos || scheme == 0 || origin.size() == scheme + 3 ||
        origin.find('/', scheme + 3) != std::string::npos) {
      throw config::ConfigError("GATEWAY_CORS_ORIGINS: not an origin (scheme://host[:port]): " +
                                origin);
    }
    origins_.push_back(std::move(origin));
  }
}

CorsPolicy CorsPolicy::FromEnv() {
  std::vector<std::string> origins;
  const auto list = config::String("GATEWAY_CORS_ORIGINS", "");
  std::size_t start = 0;
  while (start < list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    auto item = list.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) origins.push_back(item);
    start = end + 1;
  }
  return CorsPolicy(std::move(origins), config::Bool("GATEWAY_CORS_CREDENTIALS", false));
}

bool CorsPolicy::Allows(std::string_view origin) const {
  if (origin.empty()) return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::optional<http::Headers> CorsPolicy::Preflight(std::string_view origin) const {
  if (!Allows(origin)) return std::nullopt;
  auto headers = ForResponse(origin);
  headers.emplace_back("Access-Control-Allow-Methods", kMethods);
  // A fixed list, not an echo of what was asked: the browser refuses anything else.
  headers.emplace_back("Access-Control-Allow-Headers", kAllowedHeaders);
  headers.emplace_back("Access-Control-Max-Age", "600");
  return headers;
}

http::Headers CorsPolicy::ForResponse(std::string_view origin) const {
  if (!Allows(origin)) return {};
  http::Headers headers;
  // The origin itself, never "*" for a listed origin, so responses may vary per origin.
  headers.emplace_back("Access-Control-Allow-Origin", any_ && !credentials_ && origins_.empty()
                                                          ? std::string("*")
                                                          : std::string(origin));
  headers.emplace_back("Vary", "Origin");
  if (credentials_) headers.emplace_back("Access-Control-Allow-Credentials", "true");
  headers.emplace_back("Access-Control-Expose-Headers", kExposed);
  return headers;
}

}  // namespace fo::gateway
