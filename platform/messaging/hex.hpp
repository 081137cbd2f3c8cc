#pragma once
// Binary payloads cross libpq's text protocol as hex (`decode($n, 'hex')` / `encode(col, 'hex')`).
#include <string>
#include <string_view>

namespace fo::messaging {

std::string ToHex(std::string_view bytes);
// Throws std::invalid_argument on odd length or a non-hex digit.
std::string FromHex(std::string_view hex);

}  // namespace fo::messaging
