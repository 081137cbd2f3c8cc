#include "platform/pg/types.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace fo::pg {

Params& Params::Add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Add(bool value) {
  values_.emplace_back(value ? "t" : "f");
  return *this;
}

Params& Params::Add(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::Add(const std::vector<std::int64_t>& values) {
  std::string array = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) array += ',';
    array += std::to_string(values[i]);
  }
  values_.emplace_back(array + '}');
  return *this;
}

Params& Params::Add(const std::vector<std::string>& values) {
  // Every element quoted, so commas, braces, spaces and NULL-looking text stay plain text.
  std::string array = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) array += ',';
    array += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  values_.emplace_back(array + '}');
  return *this;
}

Params& Params::Add(std::nullopt_t) {
  values_.emplace_back(std::nullopt);
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

bool Row::IsNull(int column) const { return PQgetisnull(result_, row_, column) == 1; }

std::string Row::String(int column) const {
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::int64_t Row::Int(int column) const {
  const char* text = PQgetvalue(result_, row_, column);
  const char* end = text + PQgetlength(result_, row_, column);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || ptr != end) {
    throw std::runtime_error("column " + std::to_string(column) + " is not an integer");
  }
  return value;
}

bool Row::Bool(int column) const { return PQgetvalue(result_, row_, column)[0] == 't'; }

std::optional<std::string> Row::OptionalString(int column) const {
  if (IsNull(column)) return std::nullopt;
  return String(column);
}

std::optional<std::int64_t> Row::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::int64_t Result::AffectedRows() const {
  if (!result_) return 0;
  const char* text = PQcmdTuples(result_.get());
  return text[0] == '\0' ? 0 : std::strtoll(text, nullptr, 10);
}

}  // namespace fo::pg
