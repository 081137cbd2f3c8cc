#pragma once
// A span's attributes in the order they were first set, kept as they go on the wire: each is
// encoded when it is set, as the OTLP protobuf Span.attributes field (a KeyValue) it becomes, back
// to back in one buffer. The span's encoding then copies them all at once, and a cleared list
// (a recycled SpanData) encodes its next attributes into the same buffer without allocating.
// Keys and text that are not valid UTF-8 are repaired (U+FFFD) when set. Reading an attribute
// back (the JSON encoding, tests) decodes it.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "platform/telemetry/tracing/key_value_encoding.hpp"

namespace fo::telemetry {

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
using Attribute = std::pair<std::string, AttributeValue>;
using Attributes = std::vector<Attribute>;

// OTel's default span limit (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT) keeps a runaway loop from growing
// one span without bound.
inline constexpr std::size_t kMaxSpanAttributes = 128;

// Span.attributes: the field number the list's encoding carries.
inline constexpr std::uint32_t kSpanAttributesField = 9;

// A view of `value` (its text is not copied).
inline detail::AttributeValueRef RefOf(const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return std::string_view(*text);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value)) return *real;
  return std::get<bool>(value);
}

// An attribute read in place: valid until the list changes.
struct AttributeRef {
  std::string_view key;
  detail::AttributeValueRef value;
};

class AttributeList {
 public:
  AttributeList() = default;
  AttributeList(std::initializer_list<Attribute> attributes);
  AttributeList(const AttributeList& other);
  AttributeList& operator=(const AttributeList& other);
  AttributeList(AttributeList&& other) noexcept;  // leaves `other` empty
  AttributeList& operator=(AttributeList&& other) noexcept;
  ~AttributeList() = default;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  AttributeRef Ref(std::size_t index) const;
  Attribute operator[](std::size_t index) const;  // a copy

  // Iterates over copies, in order (`for (const auto& [key, value] : list)`).
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Attribute;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const AttributeList* list, std::size_t index) : list_(list), index_(index) {}
    Attribute operator*() const { return (*list_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const AttributeList* list_ = nullptr;
    std::size_t index_ = 0;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, entries_.size()); }

  // Every attribute as a Span.attributes field (tag, length, KeyValue), in order.
  std::string_view Encoded() const { return {bytes_.get(), size_}; }

  // Setting a key again replaces its value. False when the key is new and the list is full.
  bool Set(std::string_view key, std::string_view value);
  bool Set(std::string_view key, std::int64_t value);
  bool Set(std::string_view key, double value);
  bool Set(std::string_view key, bool value);
  bool Set(std::string_view key, const AttributeValue& value);

  void clear() {  // keeps the buffers for the next use
    size_ = 0;
    entries_.clear();
  }
  void reserve(std::size_t count, std::size_t bytes) {
    entries_.reserve(count);
    if (bytes > capacity_) Grow(bytes);
  }

 private:
  struct Entry {
    std::uint32_t offset;      // of the field in bytes_
    std::uint32_t size;        // of the whole field
    std::uint32_t key_offset;  // of the key's bytes
    std::uint32_t key_size;
  };

  bool Put(std::string_view key, detail::AttributeValueRef value);
  bool PutCopy(std::string_view key, detail::AttributeValueRef value);
  // `key` and the text are valid UTF-8; `owned`: neither can be in bytes_.
  bool PutValid(std::string_view key, const detail::AttributeValueRef& value, bool owned);
  bool Holds(std::string_view text) const;  // whether `text` is in bytes_
  // Encodes the field into `at` (room for `field_size` bytes) and returns its entry there.
  static Entry Write(char* at, std::size_t offset, std::string_view key,
                     const detail::AttributeValueRef& value, const detail::KeyValueSizes& sizes,
                     std::size_t field_size);

  void Grow(std::size_t needed);  // to at least `needed` bytes, at least doubling

  // The encoding. Not a std::string: its resize zero-fills what it adds and is out of line, a
  // quarter of the instructions of setting a short attribute.
  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace fo::telemetry
