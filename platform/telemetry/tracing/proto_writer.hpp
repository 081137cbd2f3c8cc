#pragma once
// The protobuf wire format, write side only: enough to encode OTLP without generated code (Debian
// 12 ships no OTLP protos). A request is written in one pass into one reusable buffer; a nested
// message of unknown size reserves room for its length and is closed up when it ends.
#include <algorithm>
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

// The primitives: each writes at `at`, which must have room, and returns the end of what it wrote.
// The caller keeps the position in a local, so the stores through a char pointer (which may alias
// anything) do not make the compiler reload it from memory after every byte.
inline char* PutVarint(char* at, std::uint64_t value) {
  for (; value >= 0x80; value >>= 7) *at++ = static_cast<char>((value & 0x7f) | 0x80);
  *at++ = static_cast<char>(value);
  return at;
}
inline char* PutTag(char* at, std::uint32_t field, WireType type) {
  return PutVarint(at, std::uint64_t{field} << 3 | static_cast<std::uint8_t>(type));
}
inline char* PutRaw(char* at, std::string_view bytes) {
  if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
  return at + bytes.size();
}
// The tag, the length and the bytes of a length-delimited field.
inline char* PutBytes(char* at, std::uint32_t field, std::string_view bytes) {
  return PutRaw(PutVarint(PutTag(at, field, WireType::kLen), bytes.size()), bytes);
}
template <typename T>
char* PutLittleEndian(char* at, T value) {
  static_assert(std::endian::native == std::endian::little, "big-endian hosts need a byte swap");
  std::memcpy(at, &value, sizeof(T));
  return at + sizeof(T);
}

// Writes through a cursor into room it claims in `out` ahead of the bytes, so a field costs one
// bounds check and a few stores rather than a std::string append per tag, length and value
// (those appends were a quarter of a span's encoding instructions). `out` holds exactly the bytes
// written once the writer is destroyed or Finish() is called; until then its size includes the
// unused room.
class ProtoWriter {
 public:
  static constexpr std::size_t kMaxVarint = 10;
  static constexpr std::size_t kMaxTag = 5;

  explicit ProtoWriter(std::string& out) : out_(out), base_(out.size()) {}
  ~ProtoWriter() { Finish(); }
  ProtoWriter(const ProtoWriter&) = delete;
  ProtoWriter& operator=(const ProtoWriter&) = delete;

  // Room for `bytes` more, claimed up front: one resize for a message whose size the caller can
  // estimate, instead of several as it grows.
  void Reserve(std::size_t bytes) {
    if (static_cast<std::size_t>(limit_ - cursor_) < bytes) Grow(bytes);
  }
  // For a run of fields of known total size: Claim returns where to write them with the Put
  // functions, Commit takes the end they returned.
  char* Claim(std::size_t bytes) {
    Reserve(bytes);
    return cursor_;
  }
  void Commit(char* end) { cursor_ = end; }

  void Varint(std::uint32_t field, std::uint64_t value) {
    Commit(PutVarint(PutTag(Claim(kMaxTag + kMaxVarint), field, WireType::kVarint), value));
  }
  void Fixed32(std::uint32_t field, std::uint32_t value) {
    Commit(
        PutLittleEndian(PutTag(Claim(kMaxTag + sizeof value), field, WireType::kFixed32), value));
  }
  void Fixed64(std::uint32_t field, std::uint64_t value) {
    Commit(
        PutLittleEndian(PutTag(Claim(kMaxTag + sizeof value), field, WireType::kFixed64), value));
  }
  void Double(std::uint32_t field, double value) {
    Fixed64(field, std::bit_cast<std::uint64_t>(value));
  }
  void Bytes(std::uint32_t field, std::string_view value) {
    Commit(PutBytes(Claim(kMaxTag + kMaxVarint + value.size()), field, value));
  }
  void Bytes(std::uint32_t field, std::span<const std::uint8_t> value) {
    Bytes(field, std::string_view(reinterpret_cast<const char*>(value.data()), value.size()));
  }
  // The tag and length of a length-delimited field whose `size` bytes the caller writes next.
  void Header(std::uint32_t field, std::size_t size) {
    Commit(PutVarint(PutTag(Claim(kMaxTag + kMaxVarint), field, WireType::kLen), size));
  }
  // Bytes written as they are: an already encoded field or a message's body.
  void Raw(std::string_view bytes) { Commit(PutRaw(Claim(bytes.size()), bytes)); }

  // A nested message whose size is known only once written: Begin, write its fields, End. The
  // position returned is an offset, as claiming room may move the buffer.
  std::size_t Begin(std::uint32_t field) {
    Commit(PutTag(Claim(kMaxTag + kLengthRoom), field, WireType::kLen) + kLengthRoom);
    return Written();
  }
  void End(std::size_t body_start) {
    const std::size_t size = Written() - body_start;
    const std::size_t used = VarintSize(size);
    if (used > kLengthRoom) {  // 16 KiB or more: the body moves up to make room
      Reserve(used - kLengthRoom);
      char* body = out_.data() + body_start;
      std::memmove(body + (used - kLengthRoom), body, size);
      cursor_ += used - kLengthRoom;
    } else if (used < kLengthRoom) {  // under 128 bytes: the body moves down a byte
      char* body = out_.data() + body_start;
      std::memmove(body - 1, body, size);
      --cursor_;
    }
    PutVarint(out_.data() + body_start - kLengthRoom, size);
  }

  // Bytes written so far, from the start of `out` (not of this writer).
  std::size_t Written() const {
    return cursor_ == nullptr ? base_ : static_cast<std::size_t>(cursor_ - out_.data());
  }
  // Gives back the unused room: `out` then holds exactly the bytes written. Idempotent.
  void Finish() {
    if (cursor_ != nullptr) out_.resize(Written());
    cursor_ = limit_ = nullptr;
    base_ = out_.size();
  }

 private:
  // Two varint bytes hold lengths from 128 bytes to 16 KiB, where a typical span falls, so its
  // body is written in place; only a message outside that range is moved once when it ends.
  static constexpr std::size_t kLengthRoom = 2;
  static constexpr std::size_t kMinRoom = 256;

  // Out of line: rare, and Reserve stays small enough to inline into every field's write.
  [[gnu::noinline]] void Grow(std::size_t bytes) {
    const std::size_t written = Written();
    // At least doubles, so a message that keeps growing costs amortized constant time per byte.
    out_.resize(std::max({written + bytes, out_.size() * 2, written + kMinRoom}));
    cursor_ = out_.data() + written;
    limit_ = out_.data() + out_.size();
  }

  std::string& out_;
  std::size_t base_;        // out_'s size before the first byte this writer wrote
  char* cursor_ = nullptr;  // the next byte to write; null until room is first claimed
  char* limit_ = nullptr;   // the end of the claimed room
};

}  // namespace fo::telemetry::detail
