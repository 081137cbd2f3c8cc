#pragma once
// Lowercase hex codec for ids: W3C and OTLP both require lowercase, so uppercase is rejected.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fo::telemetry::detail {

// Sized once and written through a pointer: appending a character at a time checked the capacity
// 32 times for a trace id, which every request formats for its X-Trace-Id header.
inline void AppendHex(std::string& out, std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.resize(start + bytes.size() * 2);
  char* at = out.data() + start;
  for (std::uint8_t byte : bytes) {
    *at++ = kDigits[byte >> 4];
    *at++ = kDigits[byte & 0x0f];
  }
}

inline std::string ToHex(std::span<const std::uint8_t> bytes) {
  std::string out;
  AppendHex(out, bytes);
  return out;
}

inline int LowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes exactly out.size() bytes from 2 * out.size() lowercase hex digits.
inline bool FromLowerHex(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = LowerHexValue(hex[2 * i]);
    const int lo = LowerHexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

inline bool AllZero(std::span<const std::uint8_t> bytes) {
  for (std::uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace fo::telemetry::detail
