#include "services/product/transport/list_params.hpp"

#include "platform/errors/error.hpp"
#include "platform/http/query.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::transport {

domain::ProductFilter ListFilterFromQuery(const http::Request& request) {
  domain::ProductFilter filter;
  filter.category = http::QueryString(request, "category", domain::kCategoryMax);
  filter.min_price = http::QueryInt(request, "min_price", 0, domain::kPriceMax);
  filter.max_price = http::QueryInt(request, "max_price", 0, domain::kPriceMax);
  filter.in_stock = http::QueryBool(request, "in_stock").value_or(false);
  filter.is_active = http::QueryBool(request, "is_active");
  filter.q = http::QueryString(request, "q", domain::kSearchMax);
  if (auto sort = http::QueryString(request, "sort", 32)) {
    auto parsed = domain::ParseSort(*sort);
    if (!parsed) {
      const char* message = "must be one of price, -price, name, created_at, -created_at";
      throw InvalidArgument(std::string("query parameter sort ") + message, {{"sort", message}});
    }
    filter.sort = *parsed;
  }
  const auto paging = http::QueryPaging(request);
  filter.limit = paging.limit;
  filter.offset = paging.offset;
  return filter;
}

}  // namespace fo::product::transport
