#include "services/gateway/domain/etag.hpp"

#include <cstdio>

#include "services/gateway/domain/balancer.hpp"

namespace fo::gateway {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view Opaque(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string StrongEtag(std::string_view body) {
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"",
                static_cast<unsigned long long>(StableHash(body)));
  return text;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty() || etag.empty()) return false;
  if (Trim(if_none_match) == "*") return true;
  std::size_t start = 0;
  while (start <= if_none_match.size()) {
    auto end = if_none_match.find(',', start);
    if (end == std::string_view::npos) end = if_none_match.size();
    if (Opaque(Trim(if_none_match.substr(start, end - start))) == Opaque(etag)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace fo::gateway
