#pragma once
// A span's attributes in the order they were first set. Clearing keeps every entry's strings, so a
// recycled SpanData sets its next attributes into the capacity of its last ones: once the pool is
// warm, recording a span's attributes allocates nothing.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace fo::telemetry {

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
using Attribute = std::pair<std::string, AttributeValue>;
using Attributes = std::vector<Attribute>;

// OTel's default span limit (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT) keeps a runaway loop from growing
// one span without bound.
inline constexpr std::size_t kMaxSpanAttributes = 128;

class AttributeList {
 public:
  AttributeList() = default;
  AttributeList(std::initializer_list<Attribute> attributes);

  const Attribute* begin() const { return entries_.data(); }
  const Attribute* end() const { return entries_.data() + size_; }
  const Attribute& operator[](std::size_t index) const { return entries_[index]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Setting a key again replaces its value. False when the key is new and the list is full.
  bool Set(std::string_view key, std::string_view value);
  bool Set(std::string_view key, std::int64_t value);
  bool Set(std::string_view key, double value);
  bool Set(std::string_view key, bool value);
  bool Set(std::string_view key, const AttributeValue& value);

  void clear() { size_ = 0; }  // keeps the entries (and their strings) for the next use
  void reserve(std::size_t count) { entries_.reserve(count); }

 private:
  // The entry holding `key`, or a newly claimed one with that key; null when the list is full.
  Attribute* Slot(std::string_view key);

  std::vector<Attribute> entries_;  // [0, size_) are live; the rest are spare, strings kept
  std::size_t size_ = 0;
};

}  // namespace fo::telemetry
