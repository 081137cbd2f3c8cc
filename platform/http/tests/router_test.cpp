#include "platform/http/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace fo::http {
namespace {

Handler Noop() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

TEST(Router, MatchesLiteralsAndParameters) {
  Router router;
  router.Get("/admin/users/{id}", Noop(), Access::kAdmin);
  router.Put("/admin/users/{id}/role", Noop(), Access::kAdmin);
  auto match = router.Find("GET", "/admin/users/42");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/admin/users/{id}");
  EXPECT_EQ(match.route->access, Access::kAdmin);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].first, "id");
  EXPECT_EQ(match.params[0].second, "42");
  EXPECT_NE(router.Find("PUT", "/admin/users/42/role").route, nullptr);
}

TEST(Router, LiteralWinsOverParameterAndBacktracks) {
  Router router;
  router.Get("/api/products/{id}", Noop());
  router.Get("/api/products/favorites", Noop());
  router.Post("/api/products/{id}/favorite", Noop());
  EXPECT_EQ(router.Find("GET", "/api/products/favorites").route->pattern,
            "/api/products/favorites");
  EXPECT_EQ(router.Find("GET", "/api/products/7").route->pattern, "/api/products/{id}");
  // "favorites" as a literal leads nowhere for this path; the parameter branch must match.
  auto match = router.Find("POST", "/api/products/favorites/favorite");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params[0].second, "favorites");
}

TEST(Router, DistinguishesNotFoundFromMethodNotAllowed) {
  Router router;
  router.Get("/users/me", Noop());
  router.Put("/users/me", Noop());
  auto missing = router.Find("GET", "/users/you");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_FALSE(missing.path_exists);
  auto wrong = router.Find("DELETE", "/users/me");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_exists);
  EXPECT_EQ(wrong.allow, "GET, PUT");
  EXPECT_EQ(router.Find("GET", "/").route, nullptr);
  EXPECT_NE(router.Find("GET", "/users/me/").route, nullptr);  // trailing slash
}

TEST(Router, RejectsDuplicateRoutes) {
  Router router;
  router.Get("/a", Noop());
  EXPECT_THROW(router.Get("/a", Noop()), std::logic_error);
  router.Get("/b/{id}", Noop());
  EXPECT_THROW(router.Get("/b/{other}", Noop()), std::logic_error);  // same path, renamed
}

TEST(Router, NamesParametersByTheRouteThatMatched) {
  Router router;
  router.Get("/api/inventory/{id}", Noop());
  router.Patch("/api/inventory/{product_id}/quantity", Noop());
  auto row = router.Find("GET", "/api/inventory/5");
  ASSERT_NE(row.route, nullptr);
  EXPECT_EQ(row.params[0].first, "id");
  auto stock = router.Find("PATCH", "/api/inventory/9/quantity");
  ASSERT_NE(stock.route, nullptr);
  EXPECT_EQ(stock.route->pattern, "/api/inventory/{product_id}/quantity");
  ASSERT_EQ(stock.params.size(), 1u);
  EXPECT_EQ(stock.params[0].first, "product_id");
  EXPECT_EQ(stock.params[0].second, "9");
  EXPECT_TRUE(router.Find("PUT", "/api/inventory/9/quantity").params.empty());  // 405
}

TEST(Router, PrefixRoutesAnswerEverythingBelowThemAsALastResort) {
  Router router;
  router.AddPrefix("/api/products", Noop());
  router.AddPrefix("/api/products/admin", Noop(), Access::kAdmin);
  router.AddPrefix("/", Noop());
  router.Get("/api/products/stats", Noop());
  for (const char* method : {"GET", "POST", "DELETE", "PROPFIND"}) {
    auto match = router.Find(method, "/api/products/7/reviews");
    ASSERT_NE(match.route, nullptr) << method;
    EXPECT_EQ(match.route->pattern, "/api/products");
  }
  EXPECT_EQ(router.Find("GET", "/api/products").route->pattern, "/api/products");
  EXPECT_EQ(router.Find("GET", "/api/products/").route->pattern, "/api/products");
  EXPECT_EQ(router.Find("PUT", "/api/products/admin/x").route->access, Access::kAdmin);
  // Segment-wise: /api/productsX is not below /api/products; the root prefix takes it.
  EXPECT_EQ(router.Find("GET", "/api/productsX").route->pattern, "/");
  // An exact route wins, and its path answers 405 for other methods, not the prefix.
  EXPECT_EQ(router.Find("GET", "/api/products/stats").route->pattern, "/api/products/stats");
  EXPECT_EQ(router.Find("POST", "/api/products/stats").route, nullptr);
  EXPECT_THROW(router.AddPrefix("/api/products", Noop()), std::logic_error);
  EXPECT_THROW(router.AddPrefix("/api/{id}", Noop()), std::logic_error);
}

TEST(Router, WithoutAPrefixRouteUnknownPathsAreNotFound) {
  Router router;
  router.AddPrefix("/auth", Noop());
  auto match = router.Find("GET", "/users/me");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.path_exists);
}

TEST(Router, ListsEveryRoute) {
  Router router;
  router.Get("/a/{id}", Noop());
  router.Post("/a/{id}", Noop());
  router.AddPrefix("/b", Noop());
  auto all = router.MethodsAndPatterns();
  std::sort(all.begin(), all.end());
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(all, (std::vector<Pair>{{"*", "/b"}, {"GET", "/a/{id}"}, {"POST", "/a/{id}"}}));
}

}  // namespace
}  // namespace fo::http
