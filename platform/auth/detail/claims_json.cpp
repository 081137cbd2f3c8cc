#include "platform/auth/detail/claims_json.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <limits>

namespace fo::auth::detail {

namespace {

// Returns false only on a present claim of the wrong type.
bool ReadString(const boost::json::object& object, std::string_view name,
                std::optional<std::string>& out) {
  const auto* value = object.if_contains(name);
  if (!value) return true;
  if (!value->is_string()) return false;
  out = std::string(value->get_string());
  return true;
}

// NumericDate (RFC 7519 §2) may be fractional; whole seconds are enough for us.
bool ReadTime(const boost::json::object& object, std::string_view name,
              std::optional<std::int64_t>& out) {
  const auto* value = object.if_contains(name);
  if (!value) return true;
  if (value->is_int64()) {
    out = value->get_int64();
  } else if (value->is_uint64()) {
    if (value->get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return false;
    out = static_cast<std::int64_t>(value->get_uint64());
  } else if (value->is_double()) {
    const double seconds = std::floor(value->get_double());
    // 2^62 keeps the conversion defined and is far beyond any real date.
    if (!std::isfinite(seconds) || std::fabs(seconds) > 4.6e18) return false;
    out = static_cast<std::int64_t>(seconds);
  } else {
    return false;
  }
  return true;
}

bool ReadAudience(const boost::json::object& object, std::optional<std::vector<std::string>>& out) {
  const auto* value = object.if_contains("aud");
  if (!value) return true;
  if (value->is_string()) {
    out = std::vector<std::string>{std::string(value->get_string())};
    return true;
  }
  if (!value->is_array()) return false;
  std::vector<std::string> audiences;
  for (const auto& item : value->get_array()) {
    if (!item.is_string()) return false;
    audiences.emplace_back(item.get_string());
  }
  out = std::move(audiences);
  return true;
}

}  // namespace

std::optional<PayloadClaims> ParsePayload(std::string_view json) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& object = value.get_object();
  PayloadClaims claims;
  if (ReadString(object, "sub", claims.sub) && ReadString(object, "role", claims.role) &&
      ReadString(object, "iss", claims.iss) && ReadString(object, "jti", claims.jti) &&
      ReadAudience(object, claims.aud) && ReadTime(object, "iat", claims.iat) &&
      ReadTime(object, "nbf", claims.nbf) && ReadTime(object, "exp", claims.exp)) {
    return claims;
  }
  return std::nullopt;
}

}  // namespace fo::auth::detail
