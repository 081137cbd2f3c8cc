// Wiring only: config -> adapters -> use cases -> transports.
#include <boost/asio/use_awaitable.hpp>

#include "platform/app/service.hpp"
#include "platform/auth/verifier_config.hpp"
#include "platform/grpc/client.hpp"
#include "platform/grpc/server.hpp"
#include "platform/http/jwt_authenticator.hpp"
#include "platform/http/server.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/relay.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/inventory/adapters/grpc_product_catalog.hpp"
#include "services/inventory/adapters/pg_reservation_store.hpp"
#include "services/inventory/adapters/pg_settlement_store.hpp"
#include "services/inventory/adapters/pg_stock_repository.hpp"
#include "services/inventory/adapters/prometheus_reservation_metrics.hpp"
#include "services/inventory/app/expiry_sweeper.hpp"
#include "services/inventory/config.hpp"
#include "services/inventory/migrations.hpp"
#include "services/inventory/transport/grpc_service.hpp"
#include "services/inventory/transport/http_routes.hpp"
#include "services/inventory/transport/payment_events.hpp"

namespace {
namespace asio = boost::asio;
using namespace fo;
namespace svc = fo::inventory;

constexpr const char* kDefaultDatabase = "postgresql://fo:fo@127.0.0.1:25432/inventorydb";

int Main(int argc, char** argv) {
  const auto parsed = app::ParseCommand(argc, argv, "inventory", {"serve", "--migrate-only"});
  if (!parsed) return 2;
  const std::string& command = *parsed;
  app::App application("inventory");
  auto& io = application.Io();
  // Settings first: a bad value is reported even when the database is down.
  const auto config = svc::Config::FromEnv();
  pg::Pool pool(io.get_executor(),
                pg::PoolOptions::FromEnv("INVENTORY_DATABASE_URL", kDefaultDatabase));
  application.BlockOn(pg::Migrate(pool, messaging::WithMessagingMigrations(svc::Migrations()),
                                  "inventory-service"));
  if (command == "--migrate-only") return 0;

  auto verifier = auth::VerifierFromEnv();

  svc::adapters::PgStockRepository stock(pool);
  svc::adapters::PgReservationStore store(pool);
  svc::adapters::GrpcProductCatalog catalog(rpc::MakeChannel(config.product_grpc_target),
                                            config.product_timeout);
  svc::adapters::PrometheusReservationMetrics metrics;
  svc::adapters::PgSettlementStore settlement_store(pool);

  svc::app::StockQueries queries(stock);
  svc::app::StockCommands commands(stock, catalog);
  svc::app::Reservations reservations(store, metrics, config.reservation_ttl);
  svc::app::ExpirySweeper sweeper(store, metrics, config.sweep_interval);
  svc::app::Settlement settlement(settlement_store, metrics);

  // Events: InventoryUpdated leaves through the outbox; payment outcomes arrive from Kafka.
  kafka::Producer producer(io.get_executor(), kafka::ProducerOptions::FromEnv("inventory"));
  messaging::OutboxRelay relay(pool, producer, messaging::RelayOptions::FromEnv("/inventory"));
  kafka::Consumer payment_events(
      io,
      kafka::ConsumerOptions::FromEnv("inventory",
                                      {std::string(svc::transport::kPaymentEventsTopic)}),
      producer, svc::transport::PaymentEventsHandler(settlement));

  svc::transport::UseCases use_cases{queries, commands};
  http::Router router;
  application.AddProbeRoutes(router);
  svc::transport::AddStockRoutes(router, use_cases);

  http::Server http_server(io, http::ServerOptions::FromEnv(8082), std::move(router),
                           http::MakeJwtAuthenticator(verifier));
  svc::transport::InventoryGrpcService grpc_service(io, queries, reservations);
  rpc::Server grpc_server(rpc::ServerOptions::FromEnv(9092));
  grpc_server.Register(&grpc_service);

  app::Serve(application, pool, http_server, grpc_server);
  application.OnStop([&]() -> asio::awaitable<void> {
    co_await payment_events.Stop();  // commits what it applied, leaves the group
    co_await sweeper.Stop();
    co_await relay.Stop();
  });
  sweeper.Start(io.get_executor());
  relay.Start(io.get_executor());
  payment_events.Start();
  return application.Run();
}

}  // namespace

int main(int argc, char** argv) {
  return fo::app::GuardedMain([&] { return Main(argc, argv); });
}
