#pragma once
// One OTLP KeyValue (opentelemetry/proto/common/v1) in binary protobuf, as a field of the message
// that holds it: what AttributeList stores as each attribute is set, and what the span encoder
// writes for events and the resource. Sizes are computed up front, so a KeyValue is written in one
// pass with no length to patch afterwards.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "platform/telemetry/tracing/proto_writer.hpp"

namespace fo::telemetry::detail {

// An attribute's value without owning its text.
using AttributeValueRef = std::variant<std::string_view, std::int64_t, double, bool>;

namespace key_value_field {
constexpr std::uint32_t kKey = 1;  // KeyValue
constexpr std::uint32_t kValue = 2;
constexpr std::uint32_t kString = 1;  // AnyValue is a oneof: its member is written even if 0
constexpr std::uint32_t kBool = 2;
constexpr std::uint32_t kInt = 3;
constexpr std::uint32_t kDouble = 4;
}  // namespace key_value_field

// The sizes of a KeyValue's AnyValue and of the KeyValue itself (bodies, without tag or length).
struct KeyValueSizes {
  std::size_t any = 0;
  std::size_t body = 0;
};
inline KeyValueSizes SizesOf(std::string_view key, const AttributeValueRef& value) {
  namespace f = key_value_field;
  std::size_t any = 2;  // a bool: tag and one byte
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    any = LenFieldSize(f::kString, text->size());
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    any = 1 + VarintSize(static_cast<std::uint64_t>(*integer));
  } else if (std::holds_alternative<double>(value)) {
    any = 1 + sizeof(double);
  }
  return KeyValueSizes{.any = any,
                       .body = LenFieldSize(f::kKey, key.size()) + LenFieldSize(f::kValue, any)};
}

// Writes field `kNumber` holding the KeyValue at `at`, which has room for its
// LenFieldSize(kNumber, sizes.body) bytes, and returns the end. `key` and the text must be valid
// UTF-8; `sizes` are SizesOf(key, value). The field number is a template argument so that every
// tag is a constant byte.
template <std::uint32_t kNumber>
char* PutKeyValue(char* at, std::string_view key, const AttributeValueRef& value,
                  const KeyValueSizes& sizes) {
  namespace f = key_value_field;
  at = PutVarint(PutTag(at, kNumber, WireType::kLen), sizes.body);
  at = PutBytes(at, f::kKey, key);
  at = PutVarint(PutTag(at, f::kValue, WireType::kLen), sizes.any);
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    return PutBytes(at, f::kString, *text);
  }
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    // Two's complement, 10 bytes for a negative number.
    return PutVarint(PutTag(at, f::kInt, WireType::kVarint), static_cast<std::uint64_t>(*integer));
  }
  if (const auto* real = std::get_if<double>(&value)) {
    return PutLittleEndian(PutTag(at, f::kDouble, WireType::kFixed64),
                           std::bit_cast<std::uint64_t>(*real));
  }
  return PutVarint(PutTag(at, f::kBool, WireType::kVarint), std::get<bool>(value) ? 1 : 0);
}

}  // namespace fo::telemetry::detail
