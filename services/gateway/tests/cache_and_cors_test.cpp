#include <gtest/gtest.h>

#include "platform/config/env.hpp"
#include "services/gateway/domain/cache_key.hpp"
#include "services/gateway/domain/cors.hpp"
#include "services/gateway/domain/etag.hpp"

namespace fo::gateway {
namespace {

http::Request Get(std::string path, std::vector<std::pair<std::string, std::string>> query) {
  http::Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.query = std::move(query);
  return request;
}

TEST(CacheKey, QueryOrderDoesNotMatterAndEncodingIsCanonical) {
  const auto a = CatalogCacheKey(Get("/api/products", {{"b", "2"}, {"a", "x y"}}));
  const auto b = CatalogCacheKey(Get("/api/products", {{"a", "x y"}, {"b", "2"}}));
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.key, "gw:cache:v1:%2Fapi%2Fproducts?a=x%20y&b=2");
  EXPECT_NE(a.key, CatalogCacheKey(Get("/api/products", {{"a", "x y"}, {"b", "3"}})).key);
  // A value holding the separators cannot forge another key.
  EXPECT_NE(CatalogCacheKey(Get("/api/products", {{"a", "1&b=2"}})).key, a.key);
}

TEST(CacheKey, TagsNameWhatAnEntryDependsOn) {
  EXPECT_EQ(CatalogCacheKey(Get("/api/products/42", {})).tag, "product:42");
  EXPECT_EQ(CatalogCacheKey(Get("/api/products/42/reviews", {})).tag, "product:42");
  EXPECT_EQ(CatalogCacheKey(Get("/api/products", {{"q", "1"}})).tag, kListsTag);
  EXPECT_EQ(CatalogCacheKey(Get("/api/products/stats", {})).tag, kListsTag);
  EXPECT_EQ(CatalogCacheKey(Get("/api/categories", {})).tag, kListsTag);
  EXPECT_EQ(ProductTag(42), "product:42");
}

TEST(Etag, StrongTagsAndWeakComparison) {
  const auto tag = StrongEtag("{\"id\":1}");
  EXPECT_EQ(tag, StrongEtag("{\"id\":1}"));
  EXPECT_NE(tag, StrongEtag("{\"id\":2}"));
  EXPECT_EQ(tag.front(), '"');
  EXPECT_TRUE(EtagMatches(tag, tag));
  EXPECT_TRUE(EtagMatches("W/" + tag, tag));
  EXPECT_TRUE(EtagMatches("\"x\" , " + tag, tag));
  EXPECT_TRUE(EtagMatches(" * ", tag));
  EXPECT_FALSE(EtagMatches("\"x\"", tag));
  EXPECT_FALSE(EtagMatches("", tag));
}

TEST(Cors, OnlyListedOriginsGetHeaders) {
  CorsPolicy policy({"https://shop.example"}, true);
  EXPECT_TRUE(policy.Allows("https://shop.example"));
  EXPECT_FALSE(policy.Allows("https://evil.example"));
  EXPECT_FALSE(policy.Preflight("https://evil.example").has_value());
  EXPECT_TRUE(policy.ForResponse("https://evil.example").empty());
  const auto headers = policy.ForResponse("https://shop.example");
  EXPECT_EQ(http::FindHeader(headers, "Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(http::FindHeader(headers, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(http::FindHeader(headers, "Vary"), "Origin");
  const auto preflight = policy.Preflight("https://shop.example");
  ASSERT_TRUE(preflight.has_value());
  EXPECT_NE(http::FindHeader(*preflight, "Access-Control-Allow-Headers").find("authorization"),
            std::string::npos);
  EXPECT_FALSE(CorsPolicy().Allows("https://shop.example"));
}

TEST(Cors, WildcardNeverGoesWithCredentials) {
  EXPECT_THROW(CorsPolicy({"*"}, true), config::ConfigError);
  CorsPolicy any({"*"}, false);
  EXPECT_EQ(http::FindHeader(any.ForResponse("https://x.example"), "Access-Control-Allow-Origin"),
            "*");
  EXPECT_EQ(
      http::FindHeader(any.ForResponse("https://x.example"), "Access-Control-Allow-Credentials"),
      "");
  EXPECT_THROW(CorsPolicy({"shop.example"}, false), config::ConfigError);
  EXPECT_THROW(CorsPolicy({"https://shop.example/path"}, false), config::ConfigError);
}

}  // namespace
}  // namespace fo::gateway
