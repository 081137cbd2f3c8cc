#pragma once
// JSON shapes of the payment service's REST API.
#include <boost/json/object.hpp>

#include "services/payment/app/ports.hpp"

namespace fo::payment::transport {

boost::json::object ToJson(const app::Payment& payment);
boost::json::object ToJson(const app::PaymentPage& page, std::int64_t limit, std::int64_t offset);

// The answers of POST /api/payments as stored on an idempotency key: a payment, or a
// problem+json without a trace id (a replay is not the request that was traced).
class JsonResponses final : public app::Responses {
 public:
  app::StoredResponse Created(const app::Payment& payment) const override;
  app::StoredResponse Problem(const Context& ctx, int status, std::string_view detail,
                              std::optional<std::int64_t> available) const override;
};

}  // namespace fo::payment::transport
