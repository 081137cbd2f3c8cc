#pragma once
// Admin routes act on other people's accounts, so the token's role claim is not enough: the
// caller must still exist, be active and be an admin right now (a demotion or deactivation
// takes effect at once instead of when the access token expires).
#include "platform/http/server.hpp"
#include "services/user/app/directory.hpp"

namespace fo::user::transport {

http::Middleware MakeAdminGuard(app::Directory& directory);

}  // namespace fo::user::transport
