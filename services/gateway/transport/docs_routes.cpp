#include <fstream>
#include <map>
#include <sstream>

#include "platform/config/env.hpp"
#include "platform/http/problem.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/gateway/transport/routes.hpp"

namespace fo::gateway::transport {
namespace asio = boost::asio;

namespace {

// The files of the swagger-ui-dist npm package the page needs, and their types.
constexpr std::pair<std::string_view, std::string_view> kAssets[] = {
    {"swagger-ui.css", "text/css; charset=utf-8"},
    {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
    {"swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8"},
    {"favicon-32x32.png", "image/png"},
};

constexpr std::string_view kPage = R"html(<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>full-observability API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/docs/openapi.yaml",
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    });
  </script>
</body>
</html>
)html";

constexpr std::string_view kNoAssets = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>full-observability API</title></head>
<body><p>Swagger UI is not installed next to this gateway (GATEWAY_DOCS_DIR); run
scripts/install-deps. The API contract itself is at <a href="/docs/openapi.yaml">/docs/openapi.yaml</a>.</p>
</body></html>
)html";

struct Asset {
  std::string content_type;
  std::string body;
};

// Read once at start: the page never touches the disk while serving.
std::map<std::string, Asset, std::less<>> LoadAssets(const std::string& dir) {
  std::map<std::string, Asset, std::less<>> assets;
  for (const auto& [name, type] : kAssets) {
    std::ifstream file(dir + "/" + std::string(name), std::ios::binary);
    if (!file) continue;
    std::stringstream contents;
    contents << file.rdbuf();
    assets.emplace(std::string(name), Asset{std::string(type), contents.str()});
  }
  if (assets.size() != std::size(kAssets)) {
    log::Warn("Swagger UI assets not found; /docs serves a plain page",
              {{"dir", std::string_view(dir)}});
  }
  return assets;
}

}  // namespace

void AddDocsRoutes(http::Router& router, std::string_view openapi_yaml) {
  auto assets = std::make_shared<const std::map<std::string, Asset, std::less<>>>(LoadAssets(
      config::String("GATEWAY_DOCS_DIR", ".local/swagger/node_modules/swagger-ui-dist")));
  const bool complete = assets->size() == std::size(kAssets);
  router.Get("/docs", [complete](http::Request&) -> asio::awaitable<http::Response> {
    co_return http::Text(http::status::kOk, std::string(complete ? kPage : kNoAssets),
                         "text/html; charset=utf-8");
  });
  router.Get(
      "/docs/openapi.yaml", [openapi_yaml](http::Request&) -> asio::awaitable<http::Response> {
        co_return http::Text(http::status::kOk, std::string(openapi_yaml), "application/yaml");
      });
  router.Get("/docs/{file}", [assets](http::Request& request) -> asio::awaitable<http::Response> {
    auto it = assets->find(request.Param("file"));
    if (it == assets->end()) {
      co_return http::Problem(http::status::kNotFound, "no such file", {},
                              request.span.TraceIdHex());
    }
    co_return http::Text(http::status::kOk, it->second.body, it->second.content_type)
        .With("Cache-Control", "public, max-age=86400");
  });
}

}  // namespace fo::gateway::transport
