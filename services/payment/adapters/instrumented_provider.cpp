#include "services/payment/adapters/instrumented_provider.hpp"

#include <chrono>
#include <exception>

#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::payment::adapters {
namespace {

using Clock = std::chrono::steady_clock;

// Providers answer in tens of milliseconds to seconds.
const prometheus::Histogram::BucketBoundaries& ProviderBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return buckets;
}

prometheus::Family<prometheus::Histogram>& Durations() {
  static auto& family = metrics::Global().Histogram(
      "payment_provider_request_duration_seconds",
      "Time the payment provider took to answer, by operation (charge, lookup, refund) and "
      "outcome (charged, declined, refunded, found, not_found, ok, error).");
  return family;
}

// One call to the provider: its span (a child of the caller's) and its timing.
class Call {
 public:
  Call(const Context& ctx, const std::string& provider, const char* operation)
      : provider_(provider),
        operation_(operation),
        span_(telemetry::GetTracer().StartSpan(std::string("payment provider ") + operation,
                                               telemetry::SpanKind::kClient, &ctx.span)),
        child_(ctx.WithSpan(span_.Context())) {
    span_.SetAttribute("peer.service", provider);
    span_.SetAttribute("payment.provider.operation", operation);
  }

  const Context& ctx() const { return child_; }
  telemetry::Span& span() { return span_; }

  void Done(const std::string& outcome) {
    span_.SetAttribute("payment.provider.outcome", outcome);
    Durations()
        .Add({{"provider", provider_}, {"operation", operation_}, {"outcome", outcome}},
             ProviderBuckets())
        .Observe(std::chrono::duration<double>(Clock::now() - started_).count());
    span_.End();
  }

  void Failed(const std::exception& error) {
    span_.RecordException(error);
    span_.SetStatus(telemetry::StatusCode::kError, error.what());
    Done("error");
  }

 private:
  const std::string& provider_;
  const char* operation_;
  telemetry::Span span_;
  Context child_;
  Clock::time_point started_ = Clock::now();
};

const char* ToOutcome(app::ChargeStatus status) {
  switch (status) {
    case app::ChargeStatus::kCharged:
      return "charged";
    case app::ChargeStatus::kRefunded:
      return "refunded";
    case app::ChargeStatus::kDeclined:
      break;
  }
  return "declined";
}

}  // namespace

app::Task<app::ChargeResult> InstrumentedProvider::Charge(const Context& ctx,
                                                          const app::ChargeRequest& request) {
  Call call(ctx, name_, "charge");
  call.span().SetAttribute("payment.id", request.payment_id);
  try {
    auto result = co_await inner_.Charge(call.ctx(), request);
    if (result.status == app::ChargeStatus::kDeclined) {
      call.span().SetStatus(telemetry::StatusCode::kError, "the charge was declined");
    }
    call.Done(ToOutcome(result.status));
    co_return result;
  } catch (const std::exception& e) {
    call.Failed(e);
    throw;
  }
}

app::Task<std::optional<app::ChargeResult>> InstrumentedProvider::Lookup(
    const Context& ctx, const std::string& payment_id) {
  Call call(ctx, name_, "lookup");
  call.span().SetAttribute("payment.id", payment_id);
  try {
    auto result = co_await inner_.Lookup(call.ctx(), payment_id);
    call.Done(result ? "found" : "not_found");
    co_return result;
  } catch (const std::exception& e) {
    call.Failed(e);
    throw;
  }
}

app::Task<void> InstrumentedProvider::Refund(const Context& ctx, const std::string& payment_id) {
  Call call(ctx, name_, "refund");
  call.span().SetAttribute("payment.id", payment_id);
  try {
    co_await inner_.Refund(call.ctx(), payment_id);
    call.Done("ok");
  } catch (const std::exception& e) {
    call.Failed(e);
    throw;
  }
}

}  // namespace fo::payment::adapters
