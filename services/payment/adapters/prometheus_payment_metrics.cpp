#include "services/payment/adapters/prometheus_payment_metrics.hpp"

#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::payment::adapters {
namespace {

// A saga spans several remote calls and a provider that may take seconds.
const prometheus::Histogram::BucketBoundaries& SagaBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return buckets;
}

}  // namespace

PrometheusPaymentMetrics::PrometheusPaymentMetrics()
    : payments_(metrics::Global().Counter(
          "payments_total",
          "Payments entering each status: pending, completed, failed, refunded.")),
      saga_(metrics::Global().Histogram(
          "payment_saga_duration_seconds",
          "Time to answer POST /api/payments, by outcome (completed, declined, out_of_stock, "
          "forbidden, not_found, unprocessable, unavailable, replayed).")) {
  // Every status shows from the start, at zero, so rates work before the first payment.
  for (auto status : {app::Status::kPending, app::Status::kCompleted, app::Status::kFailed,
                      app::Status::kRefunded}) {
    payments_.Add({{"status", std::string(domain::ToString(status))}});
  }
}

void PrometheusPaymentMetrics::Count(app::Status status) {
  payments_.Add({{"status", std::string(domain::ToString(status))}}).Increment();
}

void PrometheusPaymentMetrics::SagaFinished(std::string_view outcome,
                                            std::chrono::duration<double> took) {
  saga_.Add({{"outcome", std::string(outcome)}}, SagaBuckets()).Observe(took.count());
}

}  // namespace fo::payment::adapters
