#pragma once
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>

#include "services/payment/app/ports.hpp"

namespace fo::payment::adapters {

// payments_total{status} and payment_saga_duration_seconds{outcome}.
class PrometheusPaymentMetrics final : public app::PaymentMetrics {
 public:
  PrometheusPaymentMetrics();
  void Count(app::Status status) override;
  void SagaFinished(std::string_view outcome, std::chrono::duration<double> took) override;

 private:
  prometheus::Family<prometheus::Counter>& payments_;
  prometheus::Family<prometheus::Histogram>& saga_;
};

}  // namespace fo::payment::adapters
