#include "services/payment/transport/json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "platform/http/message.hpp"

namespace fo::payment::transport {
namespace {

boost::json::value OrNull(const std::optional<std::string>& text) {
  if (text) return boost::json::value(*text);
  return nullptr;
}

}  // namespace

boost::json::object ToJson(const app::Payment& p) {
  return {{"id", p.id},
          {"user_id", p.user_id},
          {"product_id", p.product_id},
          {"quantity", p.quantity},
          {"amount", p.amount},
          {"currency", p.currency},
          {"status", domain::ToString(p.status)},
          {"payment_method", p.payment_method},
          {"transaction_id", OrNull(p.transaction_id)},
          {"failure_reason", OrNull(p.failure_reason)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

boost::json::object ToJson(const app::PaymentPage& page, std::int64_t limit, std::int64_t offset) {
  boost::json::array items;
  for (const auto& p : page.items) items.push_back(ToJson(p));
  return {{"items", std::move(items)}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
}

app::StoredResponse JsonResponses::Created(const app::Payment& payment) const {
  return {http::status::kCreated, boost::json::serialize(ToJson(payment))};
}

app::StoredResponse JsonResponses::Problem(const Context& ctx, int status, std::string_view detail,
                                           std::optional<std::int64_t> available) const {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = http::ReasonPhrase(status);
  body["status"] = status;
  body["detail"] = detail;
  if (available) body["available"] = *available;
  if (ctx.span.IsValid()) body["trace_id"] = ctx.span.TraceIdHex();
  return {status, boost::json::serialize(body)};
}

}  // namespace fo::payment::transport
