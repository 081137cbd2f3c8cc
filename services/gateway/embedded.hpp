#pragma once
// Documents compiled into the binary (cmake fo_embed_text), so it needs no files at run time.
#include <string_view>

namespace fo::gateway {
std::string_view DefaultRoutes();  // config/routes.json
std::string_view OpenApiYaml();    // api/openapi/openapi.yaml
}  // namespace fo::gateway
