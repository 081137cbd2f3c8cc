#pragma once
#include <string>

#include "platform/http/router.hpp"
#include "services/user/app/administration.hpp"
#include "services/user/app/sessions.hpp"

namespace fo::user::transport {

struct UseCases {
  app::Accounts& accounts;
  app::Sessions& sessions;
  app::Administration& admin;
  std::string jwks;  // the public keys document, served as is
};

void AddAuthRoutes(http::Router& router, UseCases& use_cases);
void AddProfileRoutes(http::Router& router, UseCases& use_cases);
void AddAdminRoutes(http::Router& router, UseCases& use_cases);

}  // namespace fo::user::transport
