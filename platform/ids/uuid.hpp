#pragma once
// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness, so ids sort by creation time
// and index well. Used for payments and events.
#include <string>
#include <string_view>

namespace fo::ids {

// Lower-case canonical form, e.g. "01937f6e-8c5a-7b3e-9f1a-2c4d6e8f0a1b".
std::string NewUuidV7();
// True for any canonical 36-character UUID (any version), in either case.
bool IsUuid(std::string_view text);

}  // namespace fo::ids
