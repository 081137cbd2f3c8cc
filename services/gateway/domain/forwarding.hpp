#pragma once
// How a request and its response change as they cross the gateway (RFC 9110 §7.6): hop-by-hop
// headers stay behind, X-Forwarded-For/Proto/Host tell the upstream who really called, and a
// client's own X-Forwarded-* count only when it is one of our trusted proxies.
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/message.hpp"

namespace fo::gateway {

// Addresses and CIDR blocks ("10.0.0.0/8", "::1") whose X-Forwarded-* headers are believed.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Throws config::ConfigError on an entry that is neither an address nor a CIDR block.
  explicit TrustedProxies(std::string_view comma_separated);
  bool Contains(std::string_view address) const;
  bool Empty() const { return blocks_.empty(); }

 private:
  struct Block {
    std::vector<unsigned char> bytes;  // 4 or 16
    int prefix_bits = 0;
  };
  std::vector<Block> blocks_;
};

// The caller's address: the peer, or with a trusted peer the right-most address in
// X-Forwarded-For that is not itself a trusted proxy.
std::string ClientAddress(const http::Request& request, const TrustedProxies& trusted);

// The request headers to send upstream, but for the three that change with every attempt:
// Host (the instance), traceparent (the attempt's span) and X-Request-Timeout-Ms (time left).
http::Headers UpstreamRequestHeaders(const http::Request& request, const TrustedProxies& trusted);
// The upstream's response headers to pass on (the gateway adds its own ids and framing).
http::Headers ClientResponseHeaders(http::Headers upstream);

bool IsHopByHop(std::string_view name);

}  // namespace fo::gateway
