#include "services/gateway/domain/forwarding.hpp"

#include <strings.h>

#include <array>
#include <boost/asio/ip/address.hpp>
#include <charconv>

#include "platform/config/env.hpp"

namespace fo::gateway {
namespace ip = boost::asio::ip;

namespace {

bool Equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<unsigned char> Bytes(const ip::address& address) {
  if (address.is_v4()) {
    auto b = address.to_v4().to_bytes();
    return {b.begin(), b.end()};
  }
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    auto b = ip::make_address_v4(ip::v4_mapped, v6).to_bytes();
    return {b.begin(), b.end()};
  }
  auto b = v6.to_bytes();
  return {b.begin(), b.end()};
}

bool Parse(std::string_view text, ip::address& out) {
  boost::system::error_code ec;
  out = ip::make_address(std::string(Trim(text)), ec);
  return !ec;
}

// Headers a client may not dictate to the upstream: the gateway sets them itself.
bool SetByGateway(std::string_view name) {
  for (std::string_view own : {"host", "content-length", "x-forwarded-for", "x-forwarded-proto",
                               "x-forwarded-host", "x-request-id", "x-request-timeout-ms",
                               "traceparent", "tracestate", "forwarded", "x-real-ip"}) {
    if (Equal(name, own)) return true;
  }
  return false;
}

// Connection: close, x-foo -> also drop x-foo (RFC 9110 §7.6.1).
bool NamedByConnection(std::string_view name, std::string_view connection) {
  std::size_t start = 0;
  while (start <= connection.size()) {
    auto end = connection.find(',', start);
    if (end == std::string_view::npos) end = connection.size();
    if (Equal(Trim(connection.substr(start, end - start)), name)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

bool IsHopByHop(std::string_view name) {
  for (std::string_view hop :
       {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade"}) {
    if (Equal(name, hop)) return true;
  }
  return false;
}

TrustedProxies::TrustedProxies(std::string_view list) {
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    auto item = Trim(list.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    const auto slash = item.find('/');
    ip::address address;
    if (!Parse(item.substr(0, slash), address)) {
      throw config::ConfigError("GATEWAY_TRUSTED_PROXIES: not an address: " + std::string(item));
    }
    Block block{Bytes(address), 0};
    const int max_bits = static_cast<int>(block.bytes.size()) * 8;
    block.prefix_bits = max_bits;
    if (slash != std::string_view::npos) {
      auto bits = item.substr(slash + 1);
      auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), block.prefix_bits);
      if (ec != std::errc() || p != bits.data() + bits.size() || block.prefix_bits < 0 ||
          block.prefix_bits > max_bits) {
        throw config::ConfigError("GATEWAY_TRUSTED_PROXIES: bad prefix length: " +
                                  std::string(item));
      }
    }
    blocks_.push_back(std::move(block));
  }
}

bool TrustedProxies::Contains(std::string_view text) const {
  ip::address address;
  if (blocks_.empty() || !Parse(text, address)) return false;
  const auto bytes = Bytes(address);
  for (const auto& block : blocks_) {
    if (block.bytes.size() != bytes.size()) continue;
    int bits = block.prefix_bits;
    bool match = true;
    for (std::size_t i = 0; bits > 0 && match; ++i, bits -= 8) {
      const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
      match = (bytes[i] & mask) == (block.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string ClientAddress(const http::Request& request, const TrustedProxies& trusted) {
  if (!trusted.Contains(request.remote_address)) return request.remote_address;
  const auto chain = request.Header("X-Forwarded-For");
  // Right to left: each hop appended the address it saw; the first one we do not trust is the
  // client as far as anyone we trust can tell.
  std::size_t end = chain.size();
  while (end > 0) {
    const auto comma = chain.rfind(',', end - 1);
    const std::size_t start = comma == std::string_view::npos ? 0 : comma + 1;
    auto hop = Trim(chain.substr(start, end - start));
    ip::address parsed;
    if (!hop.empty() && Parse(hop, parsed) && !trusted.Contains(hop)) return std::string(hop);
    if (comma == std::string_view::npos) break;
    end = comma;
  }
  return request.remote_address;
}

http::Headers UpstreamRequestHeaders(const http::Request& request, const TrustedProxies& trusted) {
  const bool from_proxy = trusted.Contains(request.remote_address);
  const auto connection = request.Header("Connection");
  http::Headers out;
  out.reserve(request.headers.size() + 8);
  for (const auto& [name, value] : request.headers) {
    if (IsHopByHop(name) || SetByGateway(name) || NamedByConnection(name, connection)) continue;
    out.emplace_back(name, value);
  }
  std::string chain;
  if (from_proxy && !request.Header("X-Forwarded-For").empty()) {
    chain = std::string(request.Header("X-Forwarded-For")) + ", ";
  }
  out.emplace_back("X-Forwarded-For", chain + request.remote_address);
  auto proto = from_proxy ? request.Header("X-Forwarded-Proto") : std::string_view();
  out.emplace_back("X-Forwarded-Proto", proto.empty() ? "http" : std::string(proto));
  auto host = from_proxy ? request.Header("X-Forwarded-Host") : std::string_view();
  if (host.empty()) host = request.Header("Host");
  if (!host.empty()) out.emplace_back("X-Forwarded-Host", host);
  out.emplace_back("X-Request-Id", request.request_id);
  return out;
}

http::Headers ClientResponseHeaders(http::Headers upstream) {
  const std::string connection(http::FindHeader(upstream, "Connection"));
  std::erase_if(upstream, [&](const auto& header) {
    const auto& name = header.first;
    return IsHopByHop(name) || NamedByConnection(name, connection) ||
           Equal(name, "content-length") || Equal(name, "x-request-id") ||
           Equal(name, "x-trace-id");
  });
  return upstream;
}

}  // namespace fo::gateway
