#include "services/gateway/domain/route_table.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "platform/config/env.hpp"
#include "services/gateway/embedded.hpp"

namespace fo::gateway {
namespace {

std::string ErrorOf(std::string_view json) {
  try {
    ParseRouteTable(json);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

constexpr std::string_view kMinimal = R"({"upstreams": {"a": {"instances": "h:1"}}, "routes": [)";

TEST(RouteTable, TheDefaultTableCoversEveryPublicPrefix) {
  const auto table = ParseRouteTable(DefaultRoutes());
  std::set<std::string> prefixes;
  for (const auto& route : table.routes) prefixes.insert(route.path);
  for (const char* wanted :
       {"/auth", "/users", "/admin/users", "/admin/stats", "/.well-known/jwks.json",
        "/api/products", "/api/categories", "/api/inventory", "/api/payments"}) {
    EXPECT_TRUE(prefixes.contains(wanted)) << wanted;
  }
  const auto* payment = table.Upstream("payment");
  ASSERT_NE(payment, nullptr);
  EXPECT_EQ(payment->balance, Balance::kConsistentHash);
  EXPECT_EQ(payment->hash_header, "Idempotency-Key");
  EXPECT_TRUE(table.rate_classes.at("login").per_username);
  EXPECT_LT(table.rate_classes.at("login").bucket.rate_per_second,
            table.rate_classes.at("default").bucket.rate_per_second);
}

TEST(RouteTable, ErrorsNameTheField) {
  EXPECT_NE(ErrorOf("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + R"({"prefix": "/x", "upstream": "b"}]})")
                .find("routes[0].upstream"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(std::string(kMinimal) + R"({"prefix": "/x", "upstream": "a", "auth": "root"}]})")
          .find("routes[0].auth"),
      std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + R"({"prefix": "/x", "upstream": "a", "cache": true,
                                                "auth": "user"}]})")
                .find("only public routes"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + R"({"prefix": "/x", "upstream": "a", "colour": 1}]})")
                .find("routes[0].colour: is not a known setting"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + R"({"prefix": "/x/{id}", "upstream": "a"}]})")
                .find("literal segments"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + R"({"upstream": "a"}]})").find("exactly one"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"upstreams": {"a": {"instances": "h:1", "balance": "consistent_hash"}},
                        "routes": []})")
                .find("hash_header"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(R"({"upstreams": {"a": {"instances": "h:99999"}}, "routes": []})").find("bad port"),
      std::string::npos);
  EXPECT_NE(
      ErrorOf(std::string(kMinimal) + R"({"prefix": "/x", "upstream": "a", "timeout_ms": 0}]})")
          .find("timeout_ms"),
      std::string::npos);
}

TEST(RouteTable, InstancesTakeIpv6AndSpaces) {
  auto list = ParseInstances(" a:1, [::1]:8080 ,b.example:65535", "x");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1], (HostPort{"::1", "8080"}));
  EXPECT_EQ(list[2], (HostPort{"b.example", "65535"}));
  EXPECT_THROW(ParseInstances("", "x"), config::ConfigError);
  EXPECT_THROW(ParseInstances("nohost", "x"), config::ConfigError);
  EXPECT_THROW(ParseInstances("[::1]8080", "x"), config::ConfigError);
}

TEST(RouteTable, EnvironmentOverridesPoolsRatesAndTimeouts) {
  auto table = ParseRouteTable(DefaultRoutes());
  ::setenv("GATEWAY_UPSTREAM_PRODUCT", "10.0.0.1:81,10.0.0.2:81", 1);
  ::setenv("GATEWAY_UPSTREAM_PRODUCT_BALANCE", "round_robin", 1);
  ::setenv("GATEWAY_RATE_DEFAULT_PER_SECOND", "2.5", 1);
  ::setenv("GATEWAY_RATE_DEFAULT_BURST", "7", 1);
  ::setenv("GATEWAY_ROUTE_TIMEOUT_MS", "1234", 1);
  ApplyEnvironment(table);
  for (const char* name : {"GATEWAY_UPSTREAM_PRODUCT", "GATEWAY_UPSTREAM_PRODUCT_BALANCE",
                           "GATEWAY_RATE_DEFAULT_PER_SECOND", "GATEWAY_RATE_DEFAULT_BURST",
                           "GATEWAY_ROUTE_TIMEOUT_MS"}) {
    ::unsetenv(name);
  }
  const auto* product = table.Upstream("product");
  EXPECT_EQ(product->instances.size(), 2u);
  EXPECT_EQ(product->balance, Balance::kRoundRobin);
  EXPECT_DOUBLE_EQ(table.rate_classes.at("default").bucket.rate_per_second, 2.5);
  EXPECT_DOUBLE_EQ(table.rate_classes.at("default").bucket.burst, 7);
  for (const auto& route : table.routes) {
    // Payments keep the longer timeout their route asked for.
    EXPECT_EQ(route.timeout.count(), route.upstream == "payment" ? 30000 : 1234) << route.path;
  }
  ::setenv("GATEWAY_RATE_LOGIN_PER_SECOND", "fast", 1);
  EXPECT_THROW(ApplyEnvironment(table), config::ConfigError);
  ::unsetenv("GATEWAY_RATE_LOGIN_PER_SECOND");
}

TEST(RouteTable, MethodsFilterPolicies) {
  RoutePolicy any;
  EXPECT_TRUE(any.Allows("PATCH"));
  RoutePolicy reads;
  reads.methods = {"GET"};
  EXPECT_TRUE(reads.Allows("GET"));
  EXPECT_FALSE(reads.Allows("POST"));
}

}  // namespace
}  // namespace fo::gateway
