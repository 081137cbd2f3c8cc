#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fo::auth::detail {

// base64url without padding (RFC 4648 §5), as JWS and our opaque tokens use it.
std::string Base64UrlEncode(std::string_view bytes);

// Strict decode: rejects padding, characters outside the alphabet and non-canonical trailing
// bits, so one value has exactly one encoding (no token malleability).
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace fo::auth::detail
