#include "services/payment/adapters/grpc_clients.hpp"

#include "platform/errors/error.hpp"
#include "platform/grpc/client.hpp"

namespace fo::payment::adapters {
namespace {

Context Capped(const Context& ctx, std::chrono::milliseconds timeout) {
  Context call = ctx;
  call.deadline = std::min(ctx.deadline, std::chrono::steady_clock::now() + timeout);
  return call;
}

[[noreturn]] void ThrowUnavailable(std::string_view who, const std::string& message) {
  // Unreachable, timed out or failing: the saga must not act on a guess.
  throw Unavailable(std::string(who) + " cannot be asked right now (" + message + ")");
}

}  // namespace

GrpcUserDirectory::GrpcUserDirectory(std::shared_ptr<::grpc::Channel> channel,
                                     std::chrono::milliseconds timeout)
    : stub_(::user::v1::UserService::NewStub(std::move(channel))), timeout_(timeout) {}

app::Task<app::UserStatus> GrpcUserDirectory::Validate(const Context& ctx, std::int64_t user_id) {
  ::user::v1::ValidateUserRequest request;
  request.set_user_id(user_id);
  const auto call = Capped(ctx, timeout_);
  std::optional<ErrorKind> failure;
  std::string message;
  try {
    auto response = co_await rpc::Call<::user::v1::ValidateUserResponse>(
        call, "user.v1.UserService/ValidateUser",
        [&](::grpc::ClientContext* c, ::user::v1::ValidateUserResponse* r, auto done) {
          stub_->async()->ValidateUser(c, &request, r, std::move(done));
        });
    app::UserStatus status;
    status.exists = response.exists();
    status.active = response.exists() && response.is_active();
    co_return status;
  } catch (const Error& e) {
    failure = e.kind();
    message = e.what();
  }
  if (failure == ErrorKind::kNotFound) co_return app::UserStatus();
  ThrowUnavailable("the user directory", message);
}

GrpcProductCatalog::GrpcProductCatalog(std::shared_ptr<::grpc::Channel> channel,
                                       std::chrono::milliseconds timeout)
    : stub_(::product::v1::ProductService::NewStub(std::move(channel))), timeout_(timeout) {}

app::Task<std::optional<app::Product>> GrpcProductCatalog::Find(const Context& ctx,
                                                                std::int64_t product_id) {
  ::product::v1::GetProductRequest request;
  request.set_product_id(product_id);
  const auto call = Capped(ctx, timeout_);
  std::optional<ErrorKind> failure;
  std::string message;
  try {
    auto response = co_await rpc::Call<::product::v1::GetProductResponse>(
        call, "product.v1.ProductService/GetProduct",
        [&](::grpc::ClientContext* c, ::product::v1::GetProductResponse* r, auto done) {
          stub_->async()->GetProduct(c, &request, r, std::move(done));
        });
    app::Product product;
    product.id = response.product().id();
    product.price = response.product().price();
    product.currency = response.product().currency();
    product.active = response.product().is_active();
    co_return product;
  } catch (const Error& e) {
    failure = e.kind();
    message = e.what();
  }
  if (failure == ErrorKind::kNotFound) co_return std::nullopt;
  ThrowUnavailable("the product catalog", message);
}

GrpcInventory::GrpcInventory(std::shared_ptr<::grpc::Channel> channel,
                             std::chrono::milliseconds timeout)
    : stub_(::inventory::v1::InventoryService::NewStub(std::move(channel))), timeout_(timeout) {}

app::Task<app::Hold> GrpcInventory::Reserve(const Context& ctx, const std::string& reservation_id,
                                            std::int64_t product_id, std::int64_t quantity,
                                            std::chrono::seconds ttl) {
  ::inventory::v1::ReserveRequest request;
  request.set_reservation_id(reservation_id);
  auto* item = request.add_items();
  item->set_product_id(product_id);
  item->set_quantity(static_cast<std::int32_t>(quantity));
  request.set_ttl_seconds(static_cast<std::int32_t>(ttl.count()));
  const auto call = Capped(ctx, timeout_);
  std::string message;
  try {
    auto response = co_await rpc::Call<::inventory::v1::ReserveResponse>(
        call, "inventory.v1.InventoryService/Reserve",
        [&](::grpc::ClientContext* c, ::inventory::v1::ReserveResponse* r, auto done) {
          stub_->async()->Reserve(c, &request, r, std::move(done));
        });
    app::Hold hold;
    switch (response.state()) {
      case ::inventory::v1::RESERVATION_STATE_HELD:
        hold.state = app::HoldState::kHeld;
        break;
      case ::inventory::v1::RESERVATION_STATE_COMMITTED:
        hold.state = app::HoldState::kCommitted;
        break;
      case ::inventory::v1::RESERVATION_STATE_REJECTED:
        hold.state = app::HoldState::kRejected;
        for (const auto& shortage : response.shortages()) {
          if (shortage.product_id() == product_id) hold.available = shortage.available();
        }
        break;
      default:  // released or expired
        hold.state = app::HoldState::kGone;
        break;
    }
    co_return hold;
  } catch (const Error& e) {
    message = e.what();
  }
  ThrowUnavailable("the inventory", message);
}

app::Task<void> GrpcInventory::Release(const Context& ctx, const std::string& reservation_id) {
  ::inventory::v1::ReleaseRequest request;
  request.set_reservation_id(reservation_id);
  const auto call = Capped(ctx, timeout_);
  std::optional<ErrorKind> failure;
  std::string message;
  try {
    co_await rpc::Call<::inventory::v1::ReservationResponse>(
        call, "inventory.v1.InventoryService/Release",
        [&](::grpc::ClientContext* c, ::inventory::v1::ReservationResponse* r, auto done) {
          stub_->async()->Release(c, &request, r, std::move(done));
        });
    co_return;
  } catch (const Error& e) {
    failure = e.kind();
    message = e.what();
  }
  // Never held, or already committed / expired: nothing is held for this payment any more.
  if (failure == ErrorKind::kNotFound || failure == ErrorKind::kPrecondition) co_return;
  ThrowUnavailable("the inventory", message);
}

}  // namespace fo::payment::adapters
