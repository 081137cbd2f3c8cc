#pragma once
// CORS from an allow-list of origins. "*" is allowed only without credentials: a wildcard that
// also lets browsers send cookies or tokens to any site is exactly the mistake to rule out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/message.hpp"

namespace fo::gateway {

class CorsPolicy {
 public:
  CorsPolicy() = default;  // no origin allowed: no CORS headers at all
  // Throws config::ConfigError on "*" together with credentials, or an origin that is not
  // scheme://host[:port].
  CorsPolicy(std::vector<std::string> origins, bool allow_credentials);
  static CorsPolicy FromEnv();  // GATEWAY_CORS_ORIGINS (comma-separated), GATEWAY_CORS_CREDENTIALS

  bool Allows(std::string_view origin) const;
  // The answer to a preflight (OPTIONS with Access-Control-Request-Method); nullopt when the
  // origin is not allowed (the gateway then answers 403).
  std::optional<http::Headers> Preflight(std::string_view origin) const;
  // Headers to add to an actual response for this origin (none when not allowed).
  http::Headers ForResponse(std::string_view origin) const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
  bool credentials_ = false;
};

}  // namespace fo::gateway
