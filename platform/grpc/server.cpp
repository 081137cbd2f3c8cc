#include "platform/grpc/server.hpp"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>

#include "platform/config/env.hpp"
#include "platform/grpc/callback_anchor.hpp"
#include "platform/grpc/span_attributes.hpp"
#include "platform/grpc/status.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::rpc {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct ServerMetrics {
  metrics::CounterChildren handled{
      metrics::Global().Counter("grpc_server_handled_total",
                                "gRPC calls completed on the server, by method and code."),
      {"grpc_method", "grpc_code"}};
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("grpc_server_handling_seconds",
                                  "Time to complete a gRPC call on the server."),
      {"grpc_method"},
      metrics::LatencyBuckets()};
};

ServerMetrics& Metrics() {
  static ServerMetrics m;
  return m;
}

std::string_view Metadata(const ::grpc::CallbackServerContext* call, std::string_view key) {
  const auto& metadata = call->client_metadata();
  auto it = metadata.find(::grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return {};
  return {it->second.data(), it->second.size()};
}

Clock::time_point SteadyDeadline(std::chrono::system_clock::time_point deadline) {
  if (deadline >= std::chrono::system_clock::time_point::max() - std::chrono::hours(24 * 365)) {
    return Clock::now() + std::chrono::seconds(30);  // callers without a deadline get a bound
  }
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(deadline - std::chrono::system_clock::now());
}

}  // namespace

ServerOptions ServerOptions::FromEnv(std::uint16_t default_port) {
  ServerOptions o;
  o.address = config::String("GRPC_ADDRESS", o.address);
  o.port = static_cast<std::uint16_t>(config::Int("GRPC_PORT", default_port, 0, 65535));
  return o;
}

Server::Server(ServerOptions options) : options_(std::move(options)) {}

Server::~Server() {
  if (server_) server_->Shutdown();
}

void Server::Register(::grpc::Service* service) { services_.push_back(service); }

void Server::Start() {
  ::grpc::EnableDefaultHealthCheckService(true);
  ::grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.address + ":" + std::to_string(options_.port),
                           ::grpc::InsecureServerCredentials(), &port_);
  for (auto* service : services_) builder.RegisterService(service);
  if (services_.empty()) {
    anchor_ = std::make_unique<CallbackAnchor>();
    builder.RegisterService(anchor_.get());
  }
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    throw std::runtime_error("cannot listen for gRPC on " + options_.address + ":" +
                             std::to_string(options_.port) + " (set GRPC_PORT to another port)");
  }
  SetServing(true);
}

void Server::SetServing(bool serving) {
  if (server_ && server_->GetHealthCheckService()) {
    server_->GetHealthCheckService()->SetServingStatus(serving);
  }
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  if (!server_) return;
  SetServing(false);
  server_->Shutdown(std::chrono::system_clock::now() + grace);
}

::grpc::ServerUnaryReactor* RunUnary(asio::io_context& io, ::grpc::CallbackServerContext* call,
                                     std::string method, UnaryBody body) {
  auto* reactor = call->DefaultReactor();
  auto work = [call, reactor, method = std::move(method),
               body = std::move(body)]() -> asio::awaitable<void> {
    const auto started = Clock::now();
    auto parent =
        telemetry::ParseTraceparent(Metadata(call, "traceparent"), Metadata(call, "tracestate"));
    auto span = telemetry::GetTracer().StartSpan(method, telemetry::SpanKind::kServer,
                                                 parent ? &*parent : nullptr);
    SetRpcAttributes(span, method);
    Context ctx{span.Context(), SteadyDeadline(call->deadline())};
    ::grpc::Status status;
    bool internal = false;
    std::string error_text;
    if (ctx.Expired()) {
      status = {::grpc::StatusCode::DEADLINE_EXCEEDED, "deadline passed before the call started"};
    } else {
      try {
        co_await body(ctx);
      } catch (const std::exception& e) {
        error_text = e.what();
        status = StatusFromException(std::current_exception(), internal);
        if (internal) span.RecordException(e);
      } catch (...) {
        status = StatusFromException(std::current_exception(), internal);
      }
    }
    const auto code = static_cast<std::int64_t>(status.error_code());
    SetRpcStatus(span, status, /*server=*/true);
    auto& m = Metrics();
    m.handled.With({method, std::to_string(code)}).Increment();
    m.duration.With({method}).Observe(
        std::chrono::duration<double>(Clock::now() - started).count());
    if (internal) {
      log::Error("unhandled error in gRPC call", {{"method", method}, {"error", error_text}},
                 {ctx.span.TraceIdHex(), ctx.span.SpanIdHex()});
    }
    span.End();
    reactor->Finish(status);
  };
  asio::co_spawn(asio::make_strand(io), std::move(work), [](std::exception_ptr) {});
  return reactor;
}

}  // namespace fo::rpc
