#pragma once
// Typed decoding of a JSON request body. Every problem (malformed JSON, wrong type, missing,
// too long, unknown field) becomes a 400 that names the field; all of them are reported at once.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/errors/error.hpp"
#include "platform/http/message.hpp"

namespace fo::http {

struct StringRule {
  bool required = false;
  std::size_t min = 0;     // in characters (code points)
  std::size_t max = 1024;  // in characters (code points)
};

struct IntRule {
  bool required = false;
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
};

class JsonBody {
 public:
  // Throws 400 (naming Content-Type) for a non-JSON content type, and for malformed JSON or a
  // non-object body.
  static JsonBody Parse(const Request& request);
  explicit JsonBody(boost::json::object object) : object_(std::move(object)) {}

  std::optional<std::string> String(std::string_view field, StringRule rule = {});
  std::optional<std::int64_t> Int(std::string_view field, IntRule rule = {});
  std::optional<bool> Bool(std::string_view field, bool required = false);
  bool Has(std::string_view field) const;

  void Fail(std::string_view field, std::string message);  // a rule the caller checks itself
  // A field clients may read but never write: when present, an error with `message` instead
  // of "is not a known field".
  void ReadOnly(std::string_view field, std::string message);
  // Refuses every explicit null, for bodies where null must not read as "absent" (PATCH).
  void RefuseNulls();
  // Throws one 400 listing every error so far, including fields nobody asked for.
  void Finish();

 private:
  const boost::json::value* Lookup(std::string_view field, bool required);

  boost::json::object object_;
  std::vector<std::string> seen_;
  std::vector<FieldError> errors_;
};

std::size_t CountCodePoints(std::string_view utf8);
// Well-formed UTF-8 without NUL: what a text column and a C string can both hold.
bool IsCleanText(std::string_view text);

}  // namespace fo::http
