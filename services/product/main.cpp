// Wiring only: config -> adapters -> use cases -> transports.
#include <boost/asio/use_awaitable.hpp>

#include "platform/app/service.hpp"
#include "platform/auth/verifier_config.hpp"
#include "platform/grpc/server.hpp"
#include "platform/http/jwt_authenticator.hpp"
#include "platform/http/server.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/relay.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/product/adapters/pg_product_repository.hpp"
#include "services/product/app/stock_view.hpp"
#include "services/product/config.hpp"
#include "services/product/migrations.hpp"
#include "services/product/transport/grpc_service.hpp"
#include "services/product/transport/http_routes.hpp"
#include "services/product/transport/inventory_events.hpp"

namespace {
namespace asio = boost::asio;
using namespace fo;
namespace svc = fo::product;

constexpr const char* kDefaultDatabase = "postgresql://fo:fo@127.0.0.1:25432/productdb";

int Main(int argc, char** argv) {
  const auto parsed = app::ParseCommand(argc, argv, "product", {"serve", "--migrate-only"});
  if (!parsed) return 2;
  const std::string& command = *parsed;
  app::App application("product");
  auto& io = application.Io();
  // Settings first: a bad value is reported even when the database is down.
  const auto config = svc::Config::FromEnv();
  pg::Pool pool(io.get_executor(),
                pg::PoolOptions::FromEnv("PRODUCT_DATABASE_URL", kDefaultDatabase));
  application.BlockOn(
      pg::Migrate(pool, messaging::WithMessagingMigrations(svc::Migrations()), "product-service"));
  if (command == "--migrate-only") return 0;

  const auto verifier = auth::VerifierFromEnv();

  svc::adapters::PgProductRepository products(pool);
  svc::adapters::PgFavoriteRepository favorite_store(pool);

  svc::app::Catalog catalog(products, config.low_stock_threshold);
  svc::app::Administration admin(products);
  svc::app::Favorites favorites(favorite_store);
  svc::app::StockView stock_view(products);

  svc::transport::UseCases use_cases{catalog, admin, favorites};
  http::Router router;
  application.AddProbeRoutes(router);
  svc::transport::AddCatalogRoutes(router, use_cases);
  svc::transport::AddFavoriteRoutes(router, use_cases);
  svc::transport::AddAdminRoutes(router, use_cases);

  http::Server http_server(io, http::ServerOptions::FromEnv(8081), std::move(router),
                           http::MakeJwtAuthenticator(verifier));
  svc::transport::ProductGrpcService grpc_service(io, catalog);
  rpc::Server grpc_server(rpc::ServerOptions::FromEnv(9091));
  grpc_server.Register(&grpc_service);

  // Catalog writes leave product.events rows in the outbox; the relay publishes them. Inventory's
  // stock reports feed the stock view; poison records go to inventory.events.dlq through the same
  // producer. Neither blocks start-up while the broker is unreachable (librdkafka retries).
  kafka::Producer producer(io.get_executor(), kafka::ProducerOptions::FromEnv("product"));
  messaging::OutboxRelay relay(pool, producer, messaging::RelayOptions::FromEnv("/product"));
  kafka::Consumer consumer(io,
                           kafka::ConsumerOptions::FromEnv(
                               "product", {std::string(svc::transport::kInventoryEventsTopic)}),
                           producer, svc::transport::InventoryEventsHandler(stock_view));

  app::Serve(application, pool, http_server, grpc_server);
  // After the listeners drained: the consumer finishes its record and commits, then the relay
  // its batch.
  application.OnStop([&consumer, &relay]() -> asio::awaitable<void> {
    co_await consumer.Stop();
    co_await relay.Stop();
  });
  relay.Start(io.get_executor());
  consumer.Start();
  return application.Run();
}

}  // namespace

int main(int argc, char** argv) {
  return fo::app::GuardedMain([&] { return Main(argc, argv); });
}
