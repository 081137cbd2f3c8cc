#include "platform/http/json_body.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

namespace fo::http {

std::size_t CountCodePoints(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsCleanText(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    std::size_t extra = 0;
    std::uint32_t min = 0;
    if (c == 0) return false;
    if (c < 0x80) {
      ++p;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= extra) return false;
    std::uint32_t code = c & (0x3F >> extra);
    for (std::size_t i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      code = (code << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (code < min || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
    p += extra + 1;
  }
  return true;
}

JsonBody JsonBody::Parse(const Request& request) {
  auto type = request.Header("Content-Type");
  if (!type.empty() && type.substr(0, 16) != "application/json") {
    throw Error(ErrorKind::kInvalidArgument, "Content-Type must be application/json",
                {{"Content-Type", "must be application/json"}});
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) throw InvalidArgument("malformed JSON: " + ec.message(), {{"body", "malformed JSON"}});
  if (!value.is_object()) {
    throw InvalidArgument("the body must be a JSON object", {{"body", "must be a JSON object"}});
  }
  return JsonBody(std::move(value.as_object()));
}

bool JsonBody::Has(std::string_view field) const {
  auto it = object_.find(field);
  return it != object_.end() && !it->value().is_null();
}

const boost::json::value* JsonBody::Lookup(std::string_view field, bool required) {
  seen_.emplace_back(field);
  auto it = object_.find(field);
  if (it == object_.end() || it->value().is_null()) {
    if (required) errors_.push_back({std::string(field), "is required"});
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> JsonBody::String(std::string_view field, StringRule rule) {
  const auto* value = Lookup(field, rule.required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    errors_.push_back({std::string(field), "must be a string"});
    return std::nullopt;
  }
  std::string text(value->as_string());
  if (!IsCleanText(text)) {
    errors_.push_back({std::string(field), "must not contain NUL characters"});
    return std::nullopt;
  }
  auto length = CountCodePoints(text);
  if (length < rule.min) {
    errors_.push_back(
        {std::string(field), rule.min == 1
                                 ? "must not be empty"
                                 : "must be at least " + std::to_string(rule.min) + " characters"});
    return std::nullopt;
  }
  if (length > rule.max) {
    errors_.push_back(
        {std::string(field), "must be at most " + std::to_string(rule.max) + " characters"});
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> JsonBody::Int(std::string_view field, IntRule rule) {
  const auto* value = Lookup(field, rule.required);
  if (value == nullptr) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_int64()) {
    number = value->as_int64();
  } else if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    number = static_cast<std::int64_t>(value->as_uint64());
  }
  if (!number) {
    errors_.push_back({std::string(field), "must be an integer"});
    return std::nullopt;
  }
  if (*number < rule.min || *number > rule.max) {
    errors_.push_back({std::string(field), "must be between " + std::to_string(rule.min) + " and " +
                                               std::to_string(rule.max)});
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonBody::Bool(std::string_view field, bool required) {
  const auto* value = Lookup(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    errors_.push_back({std::string(field), "must be true or false"});
    return std::nullopt;
  }
  return value->as_bool();
}

void JsonBody::Fail(std::string_view field, std::string message) {
  errors_.push_back({std::string(field), std::move(message)});
}

void JsonBody::ReadOnly(std::string_view field, std::string message) {
  if (!object_.contains(field)) return;
  seen_.emplace_back(field);
  Fail(field, std::move(message));
}

void JsonBody::RefuseNulls() {
  for (const auto& item : object_) {
    if (!item.value().is_null()) continue;
    seen_.emplace_back(item.key());
    Fail(item.key(), "must not be null");
  }
}

void JsonBody::Finish() {
  for (const auto& item : object_) {
    if (std::find(seen_.begin(), seen_.end(), item.key()) == seen_.end()) {
      errors_.push_back({std::string(item.key()), "is not a known field"});
    }
  }
  if (errors_.empty()) return;
  std::string detail = "invalid request body: ";
  for (std::size_t i = 0; i < errors_.size(); ++i) {
    if (i > 0) detail += "; ";
    detail += errors_[i].field + " " + errors_[i].message;
  }
  throw InvalidArgument(std::move(detail), std::move(errors_));
}

}  // namespace fo::http
