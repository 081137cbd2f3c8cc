#include "services/gateway/domain/forwarding.hpp"

#include <gtest/gtest.h>

#include "platform/config/env.hpp"

namespace fo::gateway {
namespace {

http::Request From(std::string remote, http::Headers headers) {
  http::Request request;
  request.remote_address = std::move(remote);
  request.headers = std::move(headers);
  request.request_id = "rid";
  return request;
}

TEST(TrustedProxies, AddressesAndBlocks) {
  TrustedProxies trusted("10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1");
  EXPECT_TRUE(trusted.Contains("10.200.3.4"));
  EXPECT_TRUE(trusted.Contains("192.168.1.7"));
  EXPECT_FALSE(trusted.Contains("192.168.1.8"));
  EXPECT_TRUE(trusted.Contains("fd12::1"));
  EXPECT_TRUE(trusted.Contains("::1"));
  EXPECT_TRUE(trusted.Contains("::ffff:10.1.1.1"));  // v4-mapped, as dual-stack sockets report
  EXPECT_FALSE(trusted.Contains("11.0.0.1"));
  EXPECT_FALSE(trusted.Contains("not an address"));
  EXPECT_FALSE(TrustedProxies().Contains("127.0.0.1"));
  EXPECT_THROW(TrustedProxies("10.0.0.0/33"), config::ConfigError);
  EXPECT_THROW(TrustedProxies("example.com"), config::ConfigError);
}

TEST(Forwarding, ClientAddressBelievesOnlyTrustedHops) {
  TrustedProxies trusted("10.0.0.0/8");
  const auto spoofed = From("203.0.113.9", {{"X-Forwarded-For", "1.2.3.4"}});
  EXPECT_EQ(ClientAddress(spoofed, trusted), "203.0.113.9");
  const auto proxied = From("10.0.0.5", {{"X-Forwarded-For", "1.2.3.4, 198.51.100.7, 10.0.0.9"}});
  // Right to left, the first hop we do not trust: 1.2.3.4 is whatever that client claimed.
  EXPECT_EQ(ClientAddress(proxied, trusted), "198.51.100.7");
  const auto garbage = From("10.0.0.5", {{"X-Forwarded-For", "junk"}});
  EXPECT_EQ(ClientAddress(garbage, trusted), "10.0.0.5");
}

TEST(Forwarding, RequestHeadersLoseHopByHopAndGainForwarding) {
  auto request = From("203.0.113.9", {{"Host", "api.example"},
                                      {"Connection", "keep-alive, X-Hop"},
                                      {"X-Hop", "1"},
                                      {"Keep-Alive", "timeout=5"},
                                      {"Transfer-Encoding", "chunked"},
                                      {"Upgrade", "websocket"},
                                      {"Authorization", "Bearer t"},
                                      {"X-Forwarded-For", "6.6.6.6"},
                                      {"X-Request-Timeout-Ms", "99999"},
                                      {"traceparent", "00-spoof"},
                                      {"Content-Length", "3"}});
  const auto out = UpstreamRequestHeaders(request, TrustedProxies());
  for (const char* gone : {"Connection", "X-Hop", "Keep-Alive", "Transfer-Encoding", "Upgrade",
                           "X-Request-Timeout-Ms", "traceparent", "Content-Length", "Host"}) {
    EXPECT_EQ(http::FindHeader(out, gone), "") << gone;
  }
  EXPECT_EQ(http::FindHeader(out, "Authorization"), "Bearer t");
  EXPECT_EQ(http::FindHeader(out, "X-Forwarded-For"), "203.0.113.9");
  EXPECT_EQ(http::FindHeader(out, "X-Forwarded-Proto"), "http");
  EXPECT_EQ(http::FindHeader(out, "X-Forwarded-Host"), "api.example");
  EXPECT_EQ(http::FindHeader(out, "X-Request-Id"), "rid");
}

TEST(Forwarding, ATrustedProxysChainIsExtended) {
  auto request = From("10.0.0.5", {{"X-Forwarded-For", "1.2.3.4"},
                                   {"X-Forwarded-Proto", "https"},
                                   {"X-Forwarded-Host", "shop.example"}});
  const auto out = UpstreamRequestHeaders(request, TrustedProxies("10.0.0.0/8"));
  EXPECT_EQ(http::FindHeader(out, "X-Forwarded-For"), "1.2.3.4, 10.0.0.5");
  EXPECT_EQ(http::FindHeader(out, "X-Forwarded-Proto"), "https");
  EXPECT_EQ(http::FindHeader(out, "X-Forwarded-Host"), "shop.example");
}

TEST(Forwarding, ResponseHeadersLoseFramingAndIds) {
  const auto out = ClientResponseHeaders({{"Content-Type", "application/json"},
                                          {"Content-Length", "10"},
                                          {"Connection", "close, X-Secret"},
                                          {"X-Secret", "s"},
                                          {"Transfer-Encoding", "chunked"},
                                          {"X-Request-Id", "upstream"},
                                          {"X-Trace-Id", "upstream"},
                                          {"ETag", "\"1\""}});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].first, "Content-Type");
  EXPECT_EQ(out[1].first, "ETag");
}

}  // namespace
}  // namespace fo::gateway
