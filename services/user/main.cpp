// Wiring only: config -> adapters -> use cases -> transports.
#include <boost/asio/use_awaitable.hpp>
#include <iostream>

#include "platform/app/service.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/auth/password_hasher.hpp"
#include "platform/auth/tokens.hpp"
#include "platform/grpc/server.hpp"
#include "platform/http/jwt_authenticator.hpp"
#include "platform/http/server.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/user/adapters/pg_user_repository.hpp"
#include "services/user/adapters/security.hpp"
#include "services/user/config.hpp"
#include "services/user/migrations.hpp"
#include "services/user/transport/admin_guard.hpp"
#include "services/user/transport/grpc_service.hpp"
#include "services/user/transport/http_routes.hpp"

namespace {
namespace asio = boost::asio;
using namespace fo;
namespace svc = fo::user;

constexpr const char* kDefaultDatabase = "postgresql://fo:fo@127.0.0.1:25432/userdb";

int Main(int argc, char** argv) {
  const auto parsed =
      app::ParseCommand(argc, argv, "user", {"serve", "--migrate-only", "create-admin"});
  if (!parsed) return 2;
  const std::string& command = *parsed;
  app::App application("user");
  auto& io = application.Io();
  // Settings first: a missing key is reported even when the database is down.
  const auto config = svc::Config::FromEnv();
  pg::Pool pool(io.get_executor(), pg::PoolOptions::FromEnv("USER_DATABASE_URL", kDefaultDatabase));
  application.BlockOn(pg::Migrate(pool, svc::Migrations(), "user-service"));
  if (command == "--migrate-only") return 0;

  auth::PasswordHasher hasher(config.hashing);
  auto signer = auth::JwtSigner::FromPem(config.jwt_private_key_pem, config.jwt_key_id,
                                         config.jwt_issuer, config.jwt_audience, config.access_ttl);
  auto verifier =
      auth::JwtVerifier::FromJwks(signer.PublicJwks(), config.jwt_issuer, config.jwt_audience);

  svc::adapters::PgUserRepository users(pool);
  svc::adapters::PgRefreshTokenStore tokens(pool);
  svc::adapters::Argon2Hashing hashing(hasher);
  svc::adapters::JwtIssuer issuer(signer, config.access_ttl);

  svc::app::Accounts accounts(users, hashing);
  svc::app::Administration admin(users, hashing);
  svc::app::Directory directory(users);
  // Logins for unknown users verify against this, so they cost what a real login costs.
  const auto dummy_hash = application.BlockOn(hashing.Hash(auth::RandomToken()));
  svc::app::Sessions sessions(users, tokens, hashing, issuer, config.refresh_ttl, dummy_hash);

  if (config.admin_username && config.admin_password) {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    const bool created = application.BlockOn(
        admin.EnsureAdmin(ctx, *config.admin_username, *config.admin_password, config.admin_email));
    log::Info(created ? "admin created" : "admin exists", {{"username", *config.admin_username}});
  } else if (command == "create-admin") {
    std::cerr << "create-admin needs ADMIN_USERNAME and ADMIN_PASSWORD\n";
    return 2;
  }
  if (command == "create-admin") return 0;

  svc::transport::UseCases use_cases{accounts, sessions, admin, signer.PublicJwks()};
  http::Router router;
  application.AddProbeRoutes(router);
  svc::transport::AddAuthRoutes(router, use_cases);
  svc::transport::AddProfileRoutes(router, use_cases);
  svc::transport::AddAdminRoutes(router, use_cases);

  http::Server http_server(io, http::ServerOptions::FromEnv(8080), std::move(router),
                           http::MakeJwtAuthenticator(verifier));
  http_server.Use(svc::transport::MakeAdminGuard(directory));
  svc::transport::UserGrpcService grpc_service(io, directory);
  rpc::Server grpc_server(rpc::ServerOptions::FromEnv(9090));
  grpc_server.Register(&grpc_service);

  app::Serve(application, pool, http_server, grpc_server);
  return application.Run();
}

}  // namespace

int main(int argc, char** argv) {
  return fo::app::GuardedMain([&] { return Main(argc, argv); });
}
