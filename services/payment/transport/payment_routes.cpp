// /api/payments routes. Access is checked by the router before a handler runs.
#include <boost/json/serialize.hpp>

#include "platform/http/json_body.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "services/payment/transport/http_routes.hpp"
#include "services/payment/transport/json.hpp"

namespace fo::payment::transport {
namespace asio = boost::asio;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::string_view kKeyHeader = "Idempotency-Key";

app::PurchaseCommand DecodePurchase(const Request& req) {
  auto body = http::JsonBody::Parse(req);
  app::PurchaseCommand command;
  auto& r = command.request;
  r.product_id = body.Int("product_id", {.required = true, .min = 1}).value_or(0);
  r.quantity =
      body.Int("quantity", {.required = true, .min = 1, .max = domain::kMaxQuantity}).value_or(0);
  auto method = body.String("payment_method", {.required = true, .min = 1, .max = 64});
  if (method) {
    if (auto problem = domain::CheckPaymentMethod(*method)) body.Fail("payment_method", *problem);
    r.payment_method = std::move(*method);
  }
  r.currency = body.String("currency", {.min = 1, .max = 8});
  if (r.currency) {
    if (auto problem = domain::CheckCurrency(*r.currency)) body.Fail("currency", *problem);
  }
  command.idempotency_key = std::string(req.Header(kKeyHeader));
  if (auto problem = domain::CheckIdempotencyKey(command.idempotency_key)) {
    body.Fail(kKeyHeader, *problem);
  }
  body.Finish();
  command.user_id = req.Caller().user_id;
  return command;
}

std::string PaymentIdParam(const Request& req) { return std::string(req.Param("id")); }

}  // namespace

void AddPaymentRoutes(http::Router& router, UseCases& uc) {
  router.Post(
      "/api/payments",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto command = DecodePurchase(req);
        app::PurchaseResult result;
        std::exception_ptr failure;
        try {
          result = co_await uc.purchases.Execute(req.Ctx(), std::move(command));
        } catch (const Error& e) {
          // The key is busy (in flight): worth retrying shortly, unlike a refused request.
          if (e.kind() != ErrorKind::kConflict) throw;
          failure = std::current_exception();
        }
        if (failure) {
          bool internal = false;
          auto busy = http::ProblemFromException(failure, req.span.TraceIdHex(), internal);
          busy.With("Retry-After", "1");
          co_return busy;
        }
        const bool problem = result.response.status >= 400;
        Response response{
            result.response.status,
            {{"Content-Type", problem ? "application/problem+json" : "application/json"}},
            std::move(result.response.body)};
        if (result.replayed) response.With("Idempotent-Replayed", "true");
        co_return response;
      },
      Access::kUser);

  router.Get(
      "/api/payments/my",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto paging = http::QueryPaging(req);
        auto page =
            co_await uc.queries.Mine(req.Ctx(), req.Caller().user_id, paging.limit, paging.offset);
        co_return http::Json(http::status::kOk,
                             boost::json::serialize(ToJson(page, paging.limit, paging.offset)));
      },
      Access::kUser);

  router.Get(
      "/api/payments/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        app::Caller caller;
        caller.user_id = req.Caller().user_id;
        caller.admin = req.Caller().IsAdmin();
        auto payment = co_await uc.queries.Get(req.Ctx(), caller, PaymentIdParam(req));
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(payment)));
      },
      Access::kUser);

  router.Get(
      "/api/payments",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto paging = http::QueryPaging(req);
        app::PaymentFilter filter;
        filter.limit = paging.limit;
        filter.offset = paging.offset;
        if (auto status = http::QueryString(req, "status", 32)) {
          filter.status = domain::ParseStatus(*status);
          if (!filter.status) {
            throw InvalidArgument("status must be pending, completed, failed or refunded",
                                  {{"status", "must be pending, completed, failed or refunded"}});
          }
        }
        filter.user_id = http::QueryInt(req, "user_id", 1, INT64_MAX);
        auto page = co_await uc.queries.List(req.Ctx(), filter);
        co_return http::Json(http::status::kOk,
                             boost::json::serialize(ToJson(page, paging.limit, paging.offset)));
      },
      Access::kAdmin);

  router.Post(
      "/api/payments/{id}/refund",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto payment = co_await uc.refunds.Refund(req.Ctx(), PaymentIdParam(req));
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(payment)));
      },
      Access::kAdmin);
}

}  // namespace fo::payment::transport
