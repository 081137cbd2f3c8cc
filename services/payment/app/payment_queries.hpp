#pragma once
// Reads of payments, and the admin's refund.
#include "services/payment/app/ports.hpp"

namespace fo::payment::app {

struct Caller {
  std::int64_t user_id = 0;
  bool admin = false;
};

class PaymentQueries {
 public:
  explicit PaymentQueries(PaymentRepository& payments) : payments_(payments) {}

  // NotFound for an unknown id and for another user's payment (its existence is not revealed);
  // admins see every payment.
  Task<Payment> Get(const Context& ctx, const Caller& caller, const std::string& id);
  Task<PaymentPage> Mine(const Context& ctx, std::int64_t user_id, std::int64_t limit,
                         std::int64_t offset);
  Task<PaymentPage> List(const Context& ctx, PaymentFilter filter);

 private:
  PaymentRepository& payments_;
};

class Refunds {
 public:
  Refunds(PaymentRepository& payments, PaymentProvider& provider, PaymentMetrics& metrics)
      : payments_(payments), provider_(provider), metrics_(metrics) {}

  // Gives a completed payment's money back and records it refunded (with PaymentRefunded);
  // NotFound, or Conflict when the payment is not completed.
  Task<Payment> Refund(const Context& ctx, const std::string& id);

 private:
  PaymentRepository& payments_;
  PaymentProvider& provider_;
  PaymentMetrics& metrics_;
};

}  // namespace fo::payment::app
