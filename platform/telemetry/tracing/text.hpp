#pragma once
// Small string helpers shared by the header parsers (traceparent, baggage) and the env config.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fo::telemetry::detail {

// Strips HTTP optional whitespace (SP / HTAB) from both ends.
std::string_view TrimOws(std::string_view s);
std::string AsciiLower(std::string_view s);
// Splits on every `sep`; empty pieces are kept so callers can decide how to treat them.
std::vector<std::string_view> Split(std::string_view s, char sep);
// Sets `key` to `value`, replacing an existing entry in place or appending a new one.
void Upsert(std::vector<std::pair<std::string, std::string>>& list, std::string key,
            std::string value);
// RFC 7230 token (header names, baggage keys).
bool IsToken(std::string_view s);
// W3C baggage-octet: printable ASCII except SP, DQUOTE, comma, semicolon and backslash.
bool IsBaggageOctet(char c);
// The bytes of `s` OR-ed together, eight at a time (the last word may overlap the one before it),
// masked to their top bits: zero when `s` is all ASCII. Inline, so a caller can check a span's
// dozen short strings in one pass (otlp_protobuf.cpp).
inline std::uint64_t NonAsciiBits(std::string_view s) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  std::uint64_t seen = 0;
  if (s.size() >= sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i + sizeof word <= s.size(); i += sizeof word) {
      std::memcpy(&word, s.data() + i, sizeof word);
      seen |= word;
    }
    std::memcpy(&word, s.data() + s.size() - sizeof word, sizeof word);
    seen |= word;
  } else {
    for (const char c : s) seen |= static_cast<std::uint8_t>(c);
  }
  return seen & kHighBits;
}
// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Replaces every byte that does not start a well-formed sequence with U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view s);
// `s` itself when it is valid UTF-8, else its repair, kept in `scratch`. The ASCII test first:
// almost every string passes it, in a few loads.
inline std::string_view AsValidUtf8(std::string_view s, std::string& scratch) {
  if (NonAsciiBits(s) == 0 || IsValidUtf8(s)) return s;
  scratch = ReplaceInvalidUtf8(s);
  return scratch;
}
// Decodes %XX escapes (others are kept literally), then replaces invalid UTF-8 with U+FFFD as the
// baggage spec requires.
std::string PercentDecode(std::string_view s);
// Escapes every byte that is not a baggage-octet, and '%' itself so decoding round-trips.
std::string PercentEncode(std::string_view s);

}  // namespace fo::telemetry::detail
