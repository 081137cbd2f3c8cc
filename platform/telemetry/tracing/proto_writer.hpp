#pragma once
// The protobuf wire format, write side only: enough to encode OTLP without generated code (Debian
// 12 ships no OTLP protos). A request is written in one pass into one reusable buffer; a nested
// message of unknown size reserves room for its length and is closed up when it ends.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace fo::telemetry::detail {

enum class WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

constexpr std::size_t VarintSize(std::uint64_t value) {
  std::size_t size = 1;
  for (; value >= 0x80; value >>= 7) ++size;
  return size;
}

// Bytes of a tag plus a length-delimited payload of `size` bytes.
constexpr std::size_t LenFieldSize(std::uint32_t field, std::size_t size) {
  return VarintSize(std::uint64_t{field} << 3) + VarintSize(size) + size;
}

class ProtoWriter {
 public:
  explicit ProtoWriter(std::string& out) : out_(out) {}

  void Varint(std::uint32_t field, std::uint64_t value) {
    Tag(field, WireType::kVarint);
    AppendVarint(value);
  }
  void Fixed32(std::uint32_t field, std::uint32_t value) {
    Tag(field, WireType::kFixed32);
    AppendLittleEndian(value);
  }
  void Fixed64(std::uint32_t field, std::uint64_t value) {
    Tag(field, WireType::kFixed64);
    AppendLittleEndian(value);
  }
  void Double(std::uint32_t field, double value) {
    Fixed64(field, std::bit_cast<std::uint64_t>(value));
  }
  void Bytes(std::uint32_t field, std::string_view value) {
    Header(field, value.size());
    out_.append(value);
  }
  void Bytes(std::uint32_t field, std::span<const std::uint8_t> value) {
    Header(field, value.size());
    out_.append(reinterpret_cast<const char*>(value.data()), value.size());
  }
  // The tag and length of a length-delimited field whose `size` bytes the caller appends next.
  void Header(std::uint32_t field, std::size_t size) {
    Tag(field, WireType::kLen);
    AppendVarint(size);
  }

  // A nested message whose size is known only once written: Begin, write its fields, End.
  std::size_t Begin(std::uint32_t field) {
    Tag(field, WireType::kLen);
    out_.append(kLengthRoom, '\0');
    return out_.size();
  }
  void End(std::size_t body_start) {
    const std::size_t size = out_.size() - body_start;
    const std::size_t used = VarintSize(size);
    if (used > kLengthRoom) {  // 16 KiB or more: the body moves up to make room
      out_.insert(body_start, used - kLengthRoom, '\0');
    } else if (used < kLengthRoom) {  // under 128 bytes: the body moves down a byte
      std::memmove(out_.data() + body_start - 1, out_.data() + body_start, size);
      out_.resize(out_.size() - 1);
    }
    WriteVarint(size, out_.data() + body_start - kLengthRoom);
  }

  std::string& Out() { return out_; }

 private:
  // Two varint bytes hold lengths from 128 bytes to 16 KiB, where a typical span falls, so its
  // body is written in place; only a message outside that range is moved once when it ends.
  static constexpr std::size_t kLengthRoom = 2;

  static std::size_t WriteVarint(std::uint64_t value, char* at) {
    std::size_t n = 0;
    for (; value >= 0x80; value >>= 7) at[n++] = static_cast<char>((value & 0x7f) | 0x80);
    at[n++] = static_cast<char>(value);
    return n;
  }
  void AppendVarint(std::uint64_t value) {
    char bytes[10];
    out_.append(bytes, WriteVarint(value, bytes));
  }
  void Tag(std::uint32_t field, WireType type) {
    AppendVarint(std::uint64_t{field} << 3 | static_cast<std::uint8_t>(type));
  }
  template <typename T>
  void AppendLittleEndian(T value) {
    static_assert(std::endian::native == std::endian::little, "big-endian hosts need a byte swap");
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out_.append(bytes, sizeof(T));
  }

  std::string& out_;
};

}  // namespace fo::telemetry::detail
