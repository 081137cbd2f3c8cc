#pragma once
// A simulated payment provider for demos and fault tests. Its ledger (provider_charges) stands
// for the provider's own records: charges are keyed by payment id, so a repeat never charges
// twice and the recovery job can ask what happened to a payment after a crash.
#include <chrono>
#include <string>

#include "platform/pg/pool.hpp"
#include "services/payment/app/ports.hpp"

namespace fo::payment::adapters {

struct ProviderSettings {
  std::chrono::milliseconds latency{0};  // PAYMENT_PROVIDER_LATENCY_MS, before each charge
  double decline_rate = 0;               // PAYMENT_PROVIDER_DECLINE_RATE, 0..1
};

// Deterministic methods for tests: this one is always declined...
inline constexpr std::string_view kDeclineMethod = "test_decline";
// ...and this one finds the provider unavailable (nothing is charged).
inline constexpr std::string_view kUnavailableMethod = "test_unavailable";

class SimulatedProvider final : public app::PaymentProvider {
 public:
  SimulatedProvider(pg::Pool& pool, ProviderSettings settings) : pool_(pool), settings_(settings) {}

  app::Task<app::ChargeResult> Charge(const Context& ctx,
                                      const app::ChargeRequest& request) override;
  app::Task<std::optional<app::ChargeResult>> Lookup(const Context& ctx,
                                                     const std::string& payment_id) override;
  app::Task<void> Refund(const Context& ctx, const std::string& payment_id) override;

 private:
  bool Declines(const std::string& method) const;

  pg::Pool& pool_;
  ProviderSettings settings_;
};

}  // namespace fo::payment::adapters
