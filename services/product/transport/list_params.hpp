#pragma once
// The catalog's query-string filters; a malformed value is a 400 naming the parameter.
#include "platform/http/message.hpp"
#include "services/product/domain/product.hpp"

namespace fo::product::transport {

domain::ProductFilter ListFilterFromQuery(const http::Request& request);

}  // namespace fo::product::transport
