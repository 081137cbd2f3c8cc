#include "services/product/adapters/list_query.hpp"

#include "services/product/adapters/pg_statements.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::adapters {
namespace {

// Ties broken by id so paging is stable; each order matches an index read forwards or backwards.
const char* OrderBy(domain::Sort sort) {
  switch (sort) {
    case domain::Sort::kPrice:
      return " ORDER BY p.price, p.id";
    case domain::Sort::kPriceDesc:
      return " ORDER BY p.price DESC, p.id DESC";
    case domain::Sort::kName:
      return " ORDER BY p.name, p.id";
    case domain::Sort::kCreatedAt:
      return " ORDER BY p.created_at, p.id";
    case domain::Sort::kCreatedAtDesc:
      return " ORDER BY p.created_at DESC, p.id DESC";
    case domain::Sort::kId:
      break;
  }
  return " ORDER BY p.id";
}

// Appends one condition with its parameter; `shape` records which filters are present.
class Where {
 public:
  template <typename T>
  void Add(const char* condition_with_placeholder, const T& value, char tag) {
    const auto n = std::to_string(params_.Size() + 1);
    std::string condition(condition_with_placeholder);
    for (auto at = condition.find("$n"); at != std::string::npos; at = condition.find("$n")) {
      condition.replace(at, 2, "$" + n);
    }
    sql_ += " AND " + condition;
    params_.Add(value);
    shape_ += tag;
  }
  void AddLiteral(const char* condition, char tag) {
    sql_ += " AND ";
    sql_ += condition;
    shape_ += tag;
  }
  const std::string& Sql() const { return sql_; }
  const std::string& Shape() const { return shape_; }
  const pg::Params& Params() const { return params_; }

 private:
  std::string sql_ = " WHERE p.deleted_at IS NULL";
  std::string shape_;
  pg::Params params_;
};

}  // namespace

std::string ContainsPattern(const std::string& q) {
  std::string pattern = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

ListQuery BuildListQuery(const domain::ProductFilter& filter) {
  Where where;
  if (filter.category) where.Add("p.category = $n", *filter.category, 'c');
  if (filter.min_price) where.Add("p.price >= $n", *filter.min_price, 'm');
  if (filter.max_price) where.Add("p.price <= $n", *filter.max_price, 'x');
  if (filter.in_stock) where.AddLiteral("p.stock > 0", 's');
  if (filter.is_active) where.Add("p.is_active = $n", *filter.is_active, 'a');
  if (filter.q) {
    where.Add("(p.name ILIKE $n OR p.description ILIKE $n OR p.sku ILIKE $n)",
              ContainsPattern(*filter.q), 'q');
  }
  const std::string shape = where.Shape().empty() ? "all" : where.Shape();

  ListQuery query;
  query.count_name = "products_count_" + shape;
  query.count_sql = "SELECT count(*) FROM products p" + where.Sql();
  query.count_params = where.Params();

  const auto limit = std::to_string(where.Params().Size() + 1);
  const auto offset = std::to_string(where.Params().Size() + 2);
  query.page_name = "products_list_" + shape + "_" + std::string(domain::ToString(filter.sort));
  query.page_sql = "SELECT " FO_PRODUCT_COLUMNS " FROM products p" + where.Sql() +
                   OrderBy(filter.sort) + " LIMIT $" + limit + " OFFSET $" + offset;
  query.page_params = where.Params();
  query.page_params.Add(filter.limit).Add(filter.offset);
  return query;
}

}  // namespace fo::product::adapters
