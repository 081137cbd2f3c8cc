#include "services/user/transport/json.hpp"

#include <boost/json/object.hpp>

namespace fo::user::transport {

boost::json::object ToJson(const app::User& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"email", user.email},
          {"full_name", user.full_name},
          {"role", domain::ToString(user.role)},
          {"is_active", user.is_active},
          {"created_at", user.created_at},
          {"updated_at", user.updated_at}};
}

boost::json::object ToJson(const app::Session& session) {
  return {{"access_token", session.access.token},
          {"token_type", "Bearer"},
          {"expires_in", session.access.expires_in},
          {"refresh_token", session.refresh_token},
          {"refresh_expires_in", session.refresh_ttl.count()},
          {"user", ToJson(session.user)}};
}

boost::json::object ToJson(const domain::Stats& stats) {
  return {{"total_users", stats.total_users},
          {"admin_count", stats.admin_count},
          {"user_count", stats.user_count},
          {"active_users", stats.active_users}};
}

}  // namespace fo::user::transport
