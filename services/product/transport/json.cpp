#include "services/product/transport/json.hpp"

#include <string>
#include <utility>

#include "platform/http/json_body.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::transport {
namespace {

enum class Mode { kCreate, kReplace, kPatch };

// `stock` is read-only (inventory reports it), and in a PATCH an explicit null is refused
// rather than read as "absent".
http::JsonBody ParseBody(const http::Request& request, Mode mode) {
  auto body = http::JsonBody::Parse(request);
  body.ReadOnly("stock", "is read-only: inventory reports the stock");
  if (mode == Mode::kPatch) body.RefuseNulls();
  return body;
}

struct Decoded {
  std::optional<std::string> name, description, currency, category, sku;
  std::optional<std::int64_t> price;
  std::optional<bool> is_active;
};

Decoded DecodeFields(http::JsonBody& body, Mode mode) {
  const bool all = mode == Mode::kReplace;
  const bool identity = mode != Mode::kPatch;  // name, sku and price
  Decoded d;
  d.name = body.String("name", {.required = identity, .max = domain::kNameMax});
  d.description = body.String("description", {.required = all, .max = domain::kDescriptionMax});
  d.price = body.Int("price", {.required = identity});
  d.currency = body.String("currency", {.required = all, .max = 3});
  d.category = body.String("category", {.required = all, .max = domain::kCategoryMax});
  d.sku = body.String("sku", {.required = identity, .max = domain::kSkuMax});
  d.is_active = body.Bool("is_active", all);
  body.Finish();
  return d;
}

domain::ProductFields ToFields(Decoded d) {
  domain::ProductFields fields;
  fields.name = std::move(d.name).value_or("");
  fields.description = std::move(d.description).value_or("");
  fields.price = d.price.value_or(0);
  fields.currency = std::move(d.currency).value_or("USD");
  fields.category = std::move(d.category).value_or("");
  fields.sku = std::move(d.sku).value_or("");
  fields.is_active = d.is_active.value_or(true);
  return fields;
}

}  // namespace

boost::json::object ToJson(const app::Product& product) {
  return {{"id", product.id},
          {"name", product.name},
          {"description", product.description},
          {"price", product.price},
          {"currency", product.currency},
          {"category", product.category},
          {"sku", product.sku},
          {"is_active", product.is_active},
          {"stock", product.stock},
          {"created_at", product.created_at},
          {"updated_at", product.updated_at}};
}

boost::json::object ToJson(const domain::Stats& stats) {
  boost::json::object by_category;
  for (const auto& [name, count] : stats.products_by_category) by_category[name] = count;
  return {{"total_products", stats.total_products},
          {"active_products", stats.active_products},
          {"out_of_stock", stats.out_of_stock},
          {"low_stock", stats.low_stock},
          {"total_stock", stats.total_stock},
          {"average_price", stats.average_price},
          {"total_categories", stats.total_categories},
          {"products_by_category", std::move(by_category)}};
}

boost::json::object ToJson(const std::vector<domain::CategoryCount>& categories) {
  boost::json::array items;
  for (const auto& category : categories) {
    items.push_back(boost::json::object{{"name", category.name}, {"count", category.count}});
  }
  const auto total = static_cast<std::int64_t>(items.size());
  return {{"items", std::move(items)}, {"total", total}};
}

boost::json::object ToJson(const app::Page& page, std::int64_t limit, std::int64_t offset) {
  boost::json::array items;
  for (const auto& product : page.items) items.push_back(ToJson(product));
  return {{"items", std::move(items)}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
}

domain::ProductFields DecodeNewProduct(const http::Request& request) {
  auto body = ParseBody(request, Mode::kCreate);
  return ToFields(DecodeFields(body, Mode::kCreate));
}

domain::ProductFields DecodeReplacement(const http::Request& request) {
  auto body = ParseBody(request, Mode::kReplace);
  return ToFields(DecodeFields(body, Mode::kReplace));
}

domain::ProductChanges DecodeChanges(const http::Request& request) {
  auto body = ParseBody(request, Mode::kPatch);
  auto d = DecodeFields(body, Mode::kPatch);
  return {std::move(d.name),     std::move(d.description), d.price,    std::move(d.currency),
          std::move(d.category), std::move(d.sku),         d.is_active};
}

}  // namespace fo::product::transport
