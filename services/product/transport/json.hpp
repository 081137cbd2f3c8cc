#pragma once
// JSON shapes of the product service's REST API: encoding, and strict decoding of bodies.
#include <boost/json/object.hpp>
#include <vector>

#include "platform/http/message.hpp"
#include "services/product/app/ports.hpp"

namespace fo::product::transport {

boost::json::object ToJson(const app::Product& product);
boost::json::object ToJson(const domain::Stats& stats);
boost::json::object ToJson(const std::vector<domain::CategoryCount>& categories);
boost::json::object ToJson(const app::Page& page, std::int64_t limit, std::int64_t offset);

// POST: name, sku and price required; the rest take their defaults.
domain::ProductFields DecodeNewProduct(const http::Request& request);
// PUT: every writable field required.
domain::ProductFields DecodeReplacement(const http::Request& request);
// PATCH: any subset of the writable fields; null is refused (no field is nullable).
domain::ProductChanges DecodeChanges(const http::Request& request);

}  // namespace fo::product::transport
