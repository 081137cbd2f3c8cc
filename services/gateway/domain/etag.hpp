#pragma once
// Entity tags for cached responses (RFC 9110 §8.8.3) and If-None-Match matching (§13.1.2).
#include <string>
#include <string_view>

namespace fo::gateway {

// A strong tag derived from the body: equal bodies, equal tags, on every gateway replica.
std::string StrongEtag(std::string_view body);
// True when If-None-Match lists `etag` (weak comparison, as GET requires) or is "*".
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace fo::gateway
