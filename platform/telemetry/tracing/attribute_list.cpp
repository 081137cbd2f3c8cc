#include "platform/telemetry/tracing/attribute_list.hpp"

#include <algorithm>

namespace fo::telemetry {
namespace {

// clear() and append() rather than assign(): assign goes through _M_replace, which must handle
// `text` overlapping the string itself, at about twice the instructions for these short strings.
void Overwrite(std::string& into, std::string_view text) {
  into.clear();
  into.append(text);
}

}  // namespace

AttributeList::AttributeList(std::initializer_list<Attribute> attributes) {
  for (const auto& [key, value] : attributes) Set(key, value);
}

Attribute* AttributeList::Slot(std::string_view key) {
  const auto live_end = entries_.begin() + static_cast<std::ptrdiff_t>(size_);
  const auto found = std::find_if(entries_.begin(), live_end,
                                  [&](const Attribute& entry) { return entry.first == key; });
  if (found != live_end) return &*found;
  if (size_ >= kMaxSpanAttributes) return nullptr;
  if (size_ == entries_.size()) entries_.emplace_back();
  Attribute& entry = entries_[size_++];
  // A recycled list is mostly refilled by the same code with the same keys in the same order:
  // comparing is cheaper than copying. Otherwise the key goes into the capacity left behind.
  if (entry.first != key) Overwrite(entry.first, key);
  return &entry;
}

bool AttributeList::Set(std::string_view key, std::string_view value) {
  Attribute* entry = Slot(key);
  if (entry == nullptr) return false;
  if (auto* text = std::get_if<std::string>(&entry->second)) {
    Overwrite(*text, value);
  } else {
    entry->second.emplace<std::string>(value);
  }
  return true;
}

bool AttributeList::Set(std::string_view key, std::int64_t value) {
  return Set(key, AttributeValue(value));
}

bool AttributeList::Set(std::string_view key, double value) {
  return Set(key, AttributeValue(value));
}

bool AttributeList::Set(std::string_view key, bool value) {
  return Set(key, AttributeValue(value));
}

// Text goes through Set(key, string_view), which reuses the entry's buffer; a number replaces it.
bool AttributeList::Set(std::string_view key, const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return Set(key, std::string_view(*text));
  Attribute* entry = Slot(key);
  if (entry != nullptr) entry->second = value;
  return entry != nullptr;
}

}  // namespace fo::telemetry
