#include "platform/telemetry/tracing/attribute_list.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>  // Ref: std::out_of_range
#include <utility>

#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {
namespace {

using detail::AttributeValueRef;

// Reads the varint at `at` (written by this list, so well-formed) and moves past it.
std::uint64_t ReadVarint(const char*& at) {
  std::uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<std::uint8_t>(*at++);
    value |= std::uint64_t{byte & 0x7fU} << shift;
    if ((byte & 0x80U) == 0) return value;
  }
}

AttributeValue Owned(const AttributeValueRef& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) return std::string(*text);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value)) return *real;
  return std::get<bool>(value);
}

}  // namespace

AttributeList::AttributeList(std::initializer_list<Attribute> attributes) {
  for (const auto& [key, value] : attributes) Set(key, value);
}

AttributeList::AttributeList(const AttributeList& other)
    : bytes_(other.size_ != 0 ? std::make_unique_for_overwrite<char[]>(other.size_) : nullptr),
      size_(other.size_),
      capacity_(other.size_),
      entries_(other.entries_) {
  if (size_ != 0) std::memcpy(bytes_.get(), other.bytes_.get(), size_);
}

AttributeList& AttributeList::operator=(const AttributeList& other) {
  if (this != &other) *this = AttributeList(other);
  return *this;
}

AttributeList::AttributeList(AttributeList&& other) noexcept
    : bytes_(std::move(other.bytes_)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      entries_(std::move(other.entries_)) {
  other.entries_.clear();
}

AttributeList& AttributeList::operator=(AttributeList&& other) noexcept {
  if (this != &other) {
    bytes_ = std::move(other.bytes_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    entries_ = std::move(other.entries_);
    other.entries_.clear();
  }
  return *this;
}

AttributeRef AttributeList::Ref(std::size_t index) const {
  namespace f = detail::key_value_field;
  const Entry& entry = entries_.at(index);
  const char* at = bytes_.get() + entry.key_offset + entry.key_size;
  const std::string_view key(bytes_.get() + entry.key_offset, entry.key_size);
  ++at;            // KeyValue.value's tag
  ReadVarint(at);  // its length
  const auto tag = static_cast<std::uint8_t>(*at++);
  switch (tag >> 3) {
    case f::kString: {
      const std::size_t size = ReadVarint(at);
      return AttributeRef{key, std::string_view(at, size)};
    }
    case f::kInt:
      return AttributeRef{key, static_cast<std::int64_t>(ReadVarint(at))};
    case f::kDouble: {
      std::uint64_t bits = 0;
      std::memcpy(&bits, at, sizeof bits);
      return AttributeRef{key, std::bit_cast<double>(bits)};
    }
    default:
      return AttributeRef{key, ReadVarint(at) != 0};
  }
}

Attribute AttributeList::operator[](std::size_t index) const {
  const AttributeRef ref = Ref(index);
  return Attribute(std::string(ref.key), Owned(ref.value));
}

bool AttributeList::Set(std::string_view key, std::string_view value) { return Put(key, value); }

bool AttributeList::Set(std::string_view key, std::int64_t value) { return Put(key, value); }

bool AttributeList::Set(std::string_view key, double value) { return Put(key, value); }

bool AttributeList::Set(std::string_view key, bool value) { return Put(key, value); }

bool AttributeList::Set(std::string_view key, const AttributeValue& value) {
  return Put(key, RefOf(value));
}

AttributeList::Entry AttributeList::Write(char* at, std::size_t offset, std::string_view key,
                                          const AttributeValueRef& value,
                                          const detail::KeyValueSizes& sizes,
                                          std::size_t field_size) {
  detail::PutKeyValue<kSpanAttributesField>(at, key, value, sizes);
  // The key follows the field's tag and length, then its own tag and length.
  const std::size_t key_offset =
      offset + (field_size - sizes.body) + 1 + detail::VarintSize(key.size());
  return Entry{.offset = static_cast<std::uint32_t>(offset),
               .size = static_cast<std::uint32_t>(field_size),
               .key_offset = static_cast<std::uint32_t>(key_offset),
               .key_size = static_cast<std::uint32_t>(key.size())};
}

bool AttributeList::Put(std::string_view key, AttributeValueRef value) {
  // Almost every key and value is ASCII, which a few loads tell: no UTF-8 check, no copy.
  const auto* text = std::get_if<std::string_view>(&value);
  const std::uint64_t non_ascii =
      detail::NonAsciiBits(key) | (text != nullptr ? detail::NonAsciiBits(*text) : 0);
  if (non_ascii != 0) return PutCopy(key, value);
  return PutValid(key, value, /*owned=*/false);
}

// Copies key and text first, repaired where they are not valid UTF-8.
bool AttributeList::PutCopy(std::string_view key, AttributeValueRef value) {
  std::string key_scratch;
  const std::string owned_key(detail::AsValidUtf8(key, key_scratch));
  std::string text_scratch;
  std::string owned_text;
  if (auto* text = std::get_if<std::string_view>(&value)) {
    owned_text = detail::AsValidUtf8(*text, text_scratch);
    *text = owned_text;
  }
  return PutValid(owned_key, value, /*owned=*/true);
}

bool AttributeList::PutValid(std::string_view key, const AttributeValueRef& value, bool owned) {
  Entry* found = nullptr;
  for (Entry& entry : entries_) {
    if (entry.key_size == key.size() &&
        std::memcmp(bytes_.get() + entry.key_offset, key.data(), key.size()) == 0) {
      found = &entry;
      break;
    }
  }
  if (found == nullptr && entries_.size() >= kMaxSpanAttributes) return false;

  const detail::KeyValueSizes sizes = detail::SizesOf(key, value);
  const std::size_t field_size = detail::LenFieldSize(kSpanAttributesField, sizes.body);
  // Offsets are 32-bit: 4 GiB of attributes on one span is refused rather than wrapped.
  if (size_ + field_size > std::numeric_limits<std::uint32_t>::max()) return false;
  if (found == nullptr) {
    const std::size_t offset = size_;
    if (offset + field_size > capacity_) {
      // A key or text read from this list (Ref) would move with the buffer.
      const auto* text = std::get_if<std::string_view>(&value);
      if (!owned && (Holds(key) || (text != nullptr && Holds(*text)))) return PutCopy(key, value);
      Grow(offset + field_size);
    }
    size_ += field_size;
    entries_.push_back(Write(bytes_.get() + offset, offset, key, value, sizes, field_size));
    return true;
  }
  // A new value for a key already set (rare): the field is re-encoded (apart, as the key may be
  // the list's own) and put in the old one's place; the fields after it move.
  std::string field(field_size, '\0');
  const Entry old = *found;
  *found = Write(field.data(), old.offset, key, value, sizes, field_size);
  const std::size_t new_size = size_ - old.size + field_size;
  if (new_size > capacity_) Grow(new_size);
  char* const at = bytes_.get() + old.offset;
  std::memmove(at + field_size, at + old.size, size_ - old.offset - old.size);
  std::memcpy(at, field.data(), field_size);
  size_ = new_size;
  const auto moved_by = static_cast<std::uint32_t>(field_size - old.size);  // modulo 2^32
  for (Entry* after = found + 1; after != entries_.data() + entries_.size(); ++after) {
    after->offset += moved_by;
    after->key_offset += moved_by;
  }
  return true;
}

bool AttributeList::Holds(std::string_view text) const {
  const std::less<> before;
  return !text.empty() && !before(text.data(), bytes_.get()) &&
         before(text.data(), bytes_.get() + size_);
}

void AttributeList::Grow(std::size_t needed) {
  const std::size_t capacity = std::max(needed, 2 * capacity_);
  auto grown = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ != 0) std::memcpy(grown.get(), bytes_.get(), size_);
  bytes_ = std::move(grown);
  capacity_ = capacity;
}

}  // namespace fo::telemetry
