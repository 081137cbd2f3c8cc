#pragma once
// config/routes.json, compiled into the binary (cmake fo_embed_text).
#include <string_view>

namespace fo::gateway {
std::string_view DefaultRoutes();
}
