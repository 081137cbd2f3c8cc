#include "platform/grpc/client.hpp"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "platform/grpc/span_attributes.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::rpc {
using Clock = std::chrono::steady_clock;

namespace {

struct ClientMetrics {
  metrics::CounterChildren handled{
      metrics::Global().Counter("grpc_client_handled_total",
                                "gRPC calls completed by this client, by method and code."),
      {"grpc_method", "grpc_code"}};
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("grpc_client_handling_seconds",
                                  "Time from starting a gRPC call to its status."),
      {"grpc_method"},
      metrics::LatencyBuckets()};
};

ClientMetrics& Metrics() {
  static ClientMetrics m;
  return m;
}

}  // namespace

std::shared_ptr<::grpc::Channel> MakeChannel(const std::string& target) {
  ::grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10'000);
  return ::grpc::CreateCustomChannel(target, ::grpc::InsecureChannelCredentials(), args);
}

struct CallScope::State {
  std::string method;
  telemetry::Span span;
  Clock::time_point started = Clock::now();
};

CallScope::CallScope(const Context& ctx, std::string method, ::grpc::ClientContext& call)
    : state_(std::make_unique<State>()) {
  state_->method = std::move(method);
  state_->span =
      telemetry::GetTracer().StartSpan(state_->method, telemetry::SpanKind::kClient, &ctx.span);
  SetRpcAttributes(state_->span, state_->method);
  if (state_->span.Context().IsValid()) {
    call.AddMetadata("traceparent", telemetry::FormatTraceparent(state_->span.Context()));
    if (!ctx.span.trace_state.empty()) call.AddMetadata("tracestate", ctx.span.trace_state);
  }
  if (ctx.deadline != Clock::time_point::max()) {
    call.set_deadline(std::chrono::system_clock::now() + (ctx.deadline - Clock::now()));
  }
}

CallScope::~CallScope() = default;

void CallScope::Done(const ::grpc::Status& status) {
  const auto code = static_cast<std::int64_t>(status.error_code());
  SetRpcStatus(state_->span, status, /*server=*/false);
  state_->span.End();
  auto& m = Metrics();
  m.handled.With({state_->method, std::to_string(code)}).Increment();
  m.duration.With({state_->method})
      .Observe(std::chrono::duration<double>(Clock::now() - state_->started).count());
}

}  // namespace fo::rpc
