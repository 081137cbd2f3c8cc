#pragma once
#include "platform/http/router.hpp"
#include "services/payment/app/payment_queries.hpp"
#include "services/payment/app/purchases.hpp"

namespace fo::payment::transport {

struct UseCases {
  app::Purchases& purchases;
  app::PaymentQueries& queries;
  app::Refunds& refunds;
};

// /api/payments...: purchases and own payments for any signed-in user; the list of all payments
// and refunds for admins.
void AddPaymentRoutes(http::Router& router, UseCases& use_cases);

}  // namespace fo::payment::transport
