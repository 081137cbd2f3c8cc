#include "services/user/transport/admin_guard.hpp"

#include "platform/errors/error.hpp"

namespace fo::user::transport {

http::Middleware MakeAdminGuard(app::Directory& directory) {
  return [&directory](http::Request& req,
                      const http::Next& next) -> boost::asio::awaitable<http::Response> {
    if (req.access == http::Access::kAdmin) {
      const auto caller = co_await directory.Validate(req.Ctx(), req.Caller().user_id);
      if (!caller.exists || !caller.is_active) {
        throw Unauthenticated("the account no longer exists or is inactive");
      }
      if (caller.role != domain::Role::kAdmin)
        throw PermissionDenied("this action needs the admin role");
    }
    co_return co_await next(req);
  };
}

}  // namespace fo::user::transport
