#pragma once
// JSON shapes of the user service's REST API.
#include <boost/json/value.hpp>

#include "services/user/app/commands.hpp"

namespace fo::user::transport {

boost::json::object ToJson(const app::User& user);
boost::json::object ToJson(const app::Session& session);
boost::json::object ToJson(const domain::Stats& stats);

}  // namespace fo::user::transport
