#include "services/gateway/domain/cache_key.hpp"

#include <algorithm>
#include <cctype>

namespace fo::gateway {
namespace {

void Encode(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

// /api/products/<digits>[/...] depends on one product; everything else on the lists.
std::string TagFor(std::string_view path) {
  constexpr std::string_view kProducts = "/api/products/";
  if (!path.starts_with(kProducts)) return std::string(kListsTag);
  auto rest = path.substr(kProducts.size());
  const auto end = rest.find('/');
  auto id = rest.substr(0, end);
  if (id.empty() || id.size() > 18 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(kListsTag);
  }
  return "product:" + std::string(id);
}

}  // namespace

std::string ProductTag(std::int64_t product_id) { return "product:" + std::to_string(product_id); }

CacheKey CatalogCacheKey(const http::Request& request) {
  auto query = request.query;
  std::sort(query.begin(), query.end());
  CacheKey out;
  out.key.reserve(request.path.size() + 64);
  out.key = "gw:cache:v1:";
  Encode(request.path, out.key);
  char separator = '?';
  for (const auto& [name, value] : query) {
    out.key += separator;
    separator = '&';
    Encode(name, out.key);
    out.key += '=';
    Encode(value, out.key);
  }
  out.tag = TagFor(request.path);
  return out;
}

}  // namespace fo::gateway
