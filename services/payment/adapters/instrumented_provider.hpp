#pragma once
// Wraps any payment provider with what an operator needs to see of it: one client span per call
// (a declined or failed charge marks it as an error) and a latency histogram by operation and
// outcome, so the purchase trace and the saga dashboard show the provider like any other hop.
#include <string>

#include "services/payment/app/ports.hpp"

namespace fo::payment::adapters {

class InstrumentedProvider final : public app::PaymentProvider {
 public:
  // `name` becomes the spans' peer.service and the histogram's provider label.
  InstrumentedProvider(app::PaymentProvider& inner, std::string name)
      : inner_(inner), name_(std::move(name)) {}

  app::Task<app::ChargeResult> Charge(const Context& ctx,
                                      const app::ChargeRequest& request) override;
  app::Task<std::optional<app::ChargeResult>> Lookup(const Context& ctx,
                                                     const std::string& payment_id) override;
  app::Task<void> Refund(const Context& ctx, const std::string& payment_id) override;

 private:
  app::PaymentProvider& inner_;
  std::string name_;
};

}  // namespace fo::payment::adapters
