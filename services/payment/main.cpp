// Wiring only: config -> adapters -> use cases -> transports.
#include <boost/asio/use_awaitable.hpp>

#include "platform/app/service.hpp"
#include "platform/auth/verifier_config.hpp"
#include "platform/grpc/client.hpp"
#include "platform/grpc/server.hpp"
#include "platform/http/jwt_authenticator.hpp"
#include "platform/http/server.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/relay.hpp"
#include "platform/pg/migrations.hpp"
#include "services/payment/adapters/grpc_clients.hpp"
#include "services/payment/adapters/instrumented_provider.hpp"
#include "services/payment/adapters/pg_payment_repository.hpp"
#include "services/payment/adapters/prometheus_payment_metrics.hpp"
#include "services/payment/adapters/simulated_provider.hpp"
#include "services/payment/app/recovery.hpp"
#include "services/payment/config.hpp"
#include "services/payment/migrations.hpp"
#include "services/payment/transport/http_routes.hpp"
#include "services/payment/transport/json.hpp"

namespace {
namespace asio = boost::asio;
using namespace fo;
namespace svc = fo::payment;

constexpr const char* kDefaultDatabase = "postgresql://fo:fo@127.0.0.1:25432/paymentdb";

int Main(int argc, char** argv) {
  const auto parsed = app::ParseCommand(argc, argv, "payment", {"serve", "--migrate-only"});
  if (!parsed) return 2;
  const std::string& command = *parsed;
  app::App application("payment");
  auto& io = application.Io();
  // Settings first: a bad value is reported even when the database is down.
  const auto config = svc::Config::FromEnv();
  pg::Pool pool(io.get_executor(),
                pg::PoolOptions::FromEnv("PAYMENT_DATABASE_URL", kDefaultDatabase));
  application.BlockOn(
      pg::Migrate(pool, messaging::WithMessagingMigrations(svc::Migrations()), "payment-service"));
  if (command == "--migrate-only") return 0;

  auto verifier = auth::VerifierFromEnv();

  svc::adapters::GrpcUserDirectory users(rpc::MakeChannel(config.user_grpc_target),
                                         config.grpc_timeout);
  svc::adapters::GrpcProductCatalog catalog(rpc::MakeChannel(config.product_grpc_target),
                                            config.grpc_timeout);
  svc::adapters::GrpcInventory inventory(rpc::MakeChannel(config.inventory_grpc_target),
                                         config.grpc_timeout);
  svc::adapters::SimulatedProvider simulated_provider(
      pool, {.latency = config.provider_latency, .decline_rate = config.provider_decline_rate});
  svc::adapters::InstrumentedProvider provider(simulated_provider, "simulated-provider");
  svc::adapters::PgPaymentRepository payments(pool);
  svc::adapters::PrometheusPaymentMetrics metrics;
  svc::transport::JsonResponses responses;

  svc::app::Purchases purchases({users, catalog, inventory, provider, payments, responses, metrics},
                                config.reservation_ttl);
  svc::app::PaymentQueries queries(payments);
  svc::app::Refunds refunds(payments, provider, metrics);
  svc::app::Recovery recovery({payments, provider, inventory, responses, metrics},
                              {.interval = config.recovery_interval,
                               .settle_after = config.recovery_after,
                               .key_retention = config.key_retention,
                               .reservation_ttl = config.reservation_ttl});

  svc::transport::UseCases use_cases{purchases, queries, refunds};
  http::Router router;
  application.AddProbeRoutes(router);
  svc::transport::AddPaymentRoutes(router, use_cases);

  http::Server http_server(io, http::ServerOptions::FromEnv(8083), std::move(router),
                           http::MakeJwtAuthenticator(verifier));
  // gRPC only for the standard health service.
  rpc::Server grpc_server(rpc::ServerOptions::FromEnv(9093));

  // Payment events leave through the outbox, written in the same transactions as the payments.
  kafka::Producer producer(io.get_executor(), kafka::ProducerOptions::FromEnv("payment"));
  messaging::OutboxRelay relay(pool, producer, messaging::RelayOptions::FromEnv("/payment"));

  app::Serve(application, pool, http_server, grpc_server);
  application.OnStop([&]() -> asio::awaitable<void> {
    co_await recovery.Stop();
    co_await relay.Stop();
  });
  recovery.Start(io.get_executor());
  relay.Start(io.get_executor());
  return application.Run();
}

}  // namespace

int main(int argc, char** argv) {
  return fo::app::GuardedMain([&] { return Main(argc, argv); });
}
