#include "services/product/app/administration.hpp"

#include "platform/errors/error.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::app {
namespace {

[[noreturn]] void NoSuchProduct(std::int64_t id) {
  throw NotFound("product " + std::to_string(id) + " does not exist");
}

void ThrowIfInvalid(std::vector<FieldError> errors) {
  if (errors.empty()) return;
  std::string detail = "invalid request body: ";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) detail += "; ";
    detail += errors[i].field + " " + errors[i].message;
  }
  throw InvalidArgument(std::move(detail), std::move(errors));
}

// Catalog changes by kind, for the business dashboard.
void Count(const char* change) {
  static auto& family =
      metrics::Global().Counter("product_catalog_changes_total", "Catalog changes by admins");
  family.Add({{"change", change}}).Increment();
}

}  // namespace

Task<Product> Administration::Create(const Context& ctx, domain::ProductFields fields) {
  ThrowIfInvalid(domain::Validate(fields));
  auto product = co_await products_.Create(ctx, std::move(fields));
  Count("create");
  co_return product;
}

Task<Product> Administration::Replace(const Context& ctx, std::int64_t id,
                                      domain::ProductFields fields) {
  ThrowIfInvalid(domain::Validate(fields));
  auto product = co_await products_.Replace(ctx, id, std::move(fields));
  if (!product) NoSuchProduct(id);
  Count("replace");
  co_return *product;
}

Task<Product> Administration::Update(const Context& ctx, std::int64_t id,
                                     domain::ProductChanges changes) {
  ThrowIfInvalid(domain::Validate(changes));
  auto product = co_await products_.Update(ctx, id, std::move(changes));
  if (!product) NoSuchProduct(id);
  Count("update");
  co_return *product;
}

Task<void> Administration::Delete(const Context& ctx, std::int64_t id) {
  const bool deleted = co_await products_.Delete(ctx, id);
  if (!deleted) NoSuchProduct(id);
  Count("delete");
}

}  // namespace fo::product::app
