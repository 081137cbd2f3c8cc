#include "platform/auth/detail/sodium_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace fo::auth::detail {

void EnsureSodium() {
  // A function-local static makes the first call thread-safe; sodium_init() is idempotent anyway.
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium initialisation failed");
}

}  // namespace fo::auth::detail
