#pragma once
// Response-cache keys: the path and the query with its parameters sorted and re-encoded, so
// ?a=1&b=2 and ?b=2&a=1 share an entry. Each entry also gets a tag naming what it depends on,
// for invalidation: one product ("product:7") or the catalog's lists ("lists").
#include <string>

#include "platform/http/message.hpp"

namespace fo::gateway {

struct CacheKey {
  std::string key;
  std::string tag;
};

CacheKey CatalogCacheKey(const http::Request& request);
std::string ProductTag(std::int64_t product_id);
inline constexpr std::string_view kListsTag = "lists";

}  // namespace fo::gateway
