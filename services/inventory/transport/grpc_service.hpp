#pragma once
// inventory.v1.InventoryService over the reservation and stock use cases.
#include <boost/asio/io_context.hpp>

#include "inventory/v1/inventory.grpc.pb.h"
#include "services/inventory/app/reservations.hpp"
#include "services/inventory/app/stock_queries.hpp"

namespace fo::inventory::transport {

class InventoryGrpcService final : public ::inventory::v1::InventoryService::CallbackService {
 public:
  InventoryGrpcService(boost::asio::io_context& io, app::StockQueries& queries,
                       app::Reservations& reservations)
      : io_(io), queries_(queries), reservations_(reservations) {}

  ::grpc::ServerUnaryReactor* CheckAvailability(
      ::grpc::CallbackServerContext* call, const ::inventory::v1::CheckAvailabilityRequest* request,
      ::inventory::v1::CheckAvailabilityResponse* response) override;
  ::grpc::ServerUnaryReactor* Reserve(::grpc::CallbackServerContext* call,
                                      const ::inventory::v1::ReserveRequest* request,
                                      ::inventory::v1::ReserveResponse* response) override;
  ::grpc::ServerUnaryReactor* Commit(::grpc::CallbackServerContext* call,
                                     const ::inventory::v1::CommitRequest* request,
                                     ::inventory::v1::ReservationResponse* response) override;
  ::grpc::ServerUnaryReactor* Release(::grpc::CallbackServerContext* call,
                                      const ::inventory::v1::ReleaseRequest* request,
                                      ::inventory::v1::ReservationResponse* response) override;

 private:
  boost::asio::io_context& io_;
  app::StockQueries& queries_;
  app::Reservations& reservations_;
};

}  // namespace fo::inventory::transport
