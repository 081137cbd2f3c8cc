#pragma once

namespace fo::auth::detail {

// libsodium must be initialised once before randombytes/pwhash are used; safe to call from
// any thread, any number of times. Throws std::runtime_error if libsodium cannot start.
void EnsureSodium();

}  // namespace fo::auth::detail
