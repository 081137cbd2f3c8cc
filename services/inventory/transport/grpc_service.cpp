#include "services/inventory/transport/grpc_service.hpp"

#include "platform/errors/error.hpp"
#include "platform/grpc/server.hpp"

namespace fo::inventory::transport {
namespace asio = boost::asio;
namespace v1 = ::inventory::v1;

namespace {

v1::ReservationState ToProto(domain::ReservationState state) {
  switch (state) {
    case domain::ReservationState::kHeld:
      return v1::RESERVATION_STATE_HELD;
    case domain::ReservationState::kCommitted:
      return v1::RESERVATION_STATE_COMMITTED;
    case domain::ReservationState::kReleased:
      return v1::RESERVATION_STATE_RELEASED;
    case domain::ReservationState::kExpired:
      return v1::RESERVATION_STATE_EXPIRED;
    case domain::ReservationState::kRejected:
      return v1::RESERVATION_STATE_REJECTED;
    case domain::ReservationState::kReturned:
      return v1::RESERVATION_STATE_RETURNED;
  }
  return v1::RESERVATION_STATE_UNSPECIFIED;
}

std::vector<domain::Line> LinesOf(const google::protobuf::RepeatedPtrField<v1::Item>& items) {
  std::vector<domain::Line> lines;
  lines.reserve(static_cast<std::size_t>(items.size()));
  for (const auto& item : items) lines.push_back(domain::Line{item.product_id(), item.quantity()});
  return lines;
}

void Fill(const domain::Shortage& shortage, v1::Availability& out) {
  out.set_product_id(shortage.product_id);
  out.set_requested(static_cast<std::int32_t>(shortage.requested));
  out.set_available(shortage.available);
  out.set_in_stock(shortage.available >= shortage.requested);
}

}  // namespace

::grpc::ServerUnaryReactor* InventoryGrpcService::CheckAvailability(
    ::grpc::CallbackServerContext* call, const v1::CheckAvailabilityRequest* request,
    v1::CheckAvailabilityResponse* response) {
  return rpc::Unary(io_, call, "inventory.v1.InventoryService/CheckAvailability", request, response,
                    [this](const Context& ctx, const v1::CheckAvailabilityRequest& req,
                           v1::CheckAvailabilityResponse& resp) -> asio::awaitable<void> {
                      auto items = LinesOf(req.items());
                      if (auto problem = domain::CheckItems(items)) throw InvalidArgument(*problem);
                      auto answers = co_await queries_.CheckMany(ctx, items);
                      bool all = true;
                      for (const auto& answer : answers) {
                        auto& out = *resp.add_items();
                        out.set_product_id(answer.product_id);
                        out.set_requested(static_cast<std::int32_t>(answer.requested));
                        out.set_available(answer.available);
                        out.set_in_stock(answer.in_stock);
                        all = all && answer.in_stock;
                      }
                      resp.set_all_in_stock(all);
                    });
}

::grpc::ServerUnaryReactor* InventoryGrpcService::Reserve(::grpc::CallbackServerContext* call,
                                                          const v1::ReserveRequest* request,
                                                          v1::ReserveResponse* response) {
  return rpc::Unary(io_, call, "inventory.v1.InventoryService/Reserve", request, response,
                    [this](const Context& ctx, const v1::ReserveRequest& req,
                           v1::ReserveResponse& resp) -> asio::awaitable<void> {
                      app::Reserve command;
                      command.reservation_id = req.reservation_id();
                      command.lines = LinesOf(req.items());
                      command.ttl_seconds = req.ttl_seconds();
                      auto result = co_await reservations_.Hold(ctx, std::move(command));
                      resp.set_reservation_id(result.reservation_id);
                      resp.set_state(ToProto(result.state));
                      resp.set_expires_at(result.expires_at);
                      for (const auto& shortage : result.shortages) {
                        Fill(shortage, *resp.add_shortages());
                      }
                    });
}

::grpc::ServerUnaryReactor* InventoryGrpcService::Commit(::grpc::CallbackServerContext* call,
                                                         const v1::CommitRequest* request,
                                                         v1::ReservationResponse* response) {
  return rpc::Unary(io_, call, "inventory.v1.InventoryService/Commit", request, response,
                    [this](const Context& ctx, const v1::CommitRequest& req,
                           v1::ReservationResponse& resp) -> asio::awaitable<void> {
                      auto state = co_await reservations_.Commit(ctx, req.reservation_id());
                      resp.set_reservation_id(req.reservation_id());
                      resp.set_state(ToProto(state));
                    });
}

::grpc::ServerUnaryReactor* InventoryGrpcService::Release(::grpc::CallbackServerContext* call,
                                                          const v1::ReleaseRequest* request,
                                                          v1::ReservationResponse* response) {
  return rpc::Unary(io_, call, "inventory.v1.InventoryService/Release", request, response,
                    [this](const Context& ctx, const v1::ReleaseRequest& req,
                           v1::ReservationResponse& resp) -> asio::awaitable<void> {
                      auto state = co_await reservations_.Release(ctx, req.reservation_id());
                      resp.set_reservation_id(req.reservation_id());
                      resp.set_state(ToProto(state));
                    });
}

}  // namespace fo::inventory::transport
