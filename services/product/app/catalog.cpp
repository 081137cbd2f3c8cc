#include "services/product/app/catalog.hpp"

#include <algorithm>

#include "platform/errors/error.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::app {
namespace {

[[noreturn]] void NoSuchProduct(std::int64_t id) {
  throw NotFound("product " + std::to_string(id) + " does not exist");
}

void CheckFilter(const domain::ProductFilter& filter) {
  auto errors = domain::Validate(filter);
  if (!errors.empty()) {
    auto detail = "query parameter " + errors.front().field + " " + errors.front().message;
    throw InvalidArgument(std::move(detail), std::move(errors));
  }
}

}  // namespace

Task<Product> Catalog::Get(const Context& ctx, std::int64_t id, Viewer viewer) {
  auto product = co_await products_.Find(ctx, id);
  if (!product || (!product->is_active && !viewer.is_admin)) NoSuchProduct(id);
  co_return *product;
}

Task<Page> Catalog::List(const Context& ctx, domain::ProductFilter filter, Viewer viewer) {
  if (!viewer.is_admin) {
    if (filter.is_active == false) {
      throw PermissionDenied("only admins may list inactive products");
    }
    filter.is_active = true;
  }
  CheckFilter(filter);
  co_return co_await products_.List(ctx, filter);
}

Task<domain::Stats> Catalog::Stats(const Context& ctx) {
  co_return co_await products_.Stats(ctx, low_stock_threshold_);
}

Task<std::vector<domain::CategoryCount>> Catalog::Categories(const Context& ctx) {
  co_return co_await products_.Categories(ctx);
}

Task<Product> Catalog::GetAny(const Context& ctx, std::int64_t id) {
  auto product = co_await products_.Find(ctx, id);
  if (!product) NoSuchProduct(id);
  co_return *product;
}

Task<std::vector<Product>> Catalog::GetMany(const Context& ctx, std::vector<std::int64_t> ids) {
  if (std::ssize(ids) > domain::kMaxBatch) throw InvalidArgument("at most 100 ids per call");
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) co_return std::vector<Product>{};
  co_return co_await products_.FindMany(ctx, ids);
}

Task<Page> Catalog::ListAny(const Context& ctx, domain::ProductFilter filter) {
  CheckFilter(filter);
  co_return co_await products_.List(ctx, filter);
}

}  // namespace fo::product::app
