#include "services/product/adapters/list_query.hpp"

#include <gtest/gtest.h>

#include <set>

namespace fo::product::adapters {
namespace {

std::vector<std::string> Values(const pg::Params& params) {
  std::vector<std::string> out;
  for (const char* p : params.Pointers()) out.emplace_back(p == nullptr ? "<null>" : p);
  return out;
}

TEST(ListQuery, NoFiltersListsLiveProductsById) {
  auto q = BuildListQuery({});
  EXPECT_EQ(q.count_sql, "SELECT count(*) FROM products p WHERE p.deleted_at IS NULL");
  EXPECT_NE(q.page_sql.find("WHERE p.deleted_at IS NULL ORDER BY p.id LIMIT $1 OFFSET $2"),
            std::string::npos)
      << q.page_sql;
  EXPECT_EQ(Values(q.page_params), (std::vector<std::string>{"50", "0"}));
  EXPECT_TRUE(Values(q.count_params).empty());
}

TEST(ListQuery, EveryFilterIsABindParameter) {
  domain::ProductFilter f;
  f.category = "toys'; DROP TABLE products; --";
  f.min_price = 100;
  f.max_price = 900;
  f.in_stock = true;
  f.is_active = true;
  f.q = "50%_off\\";
  f.sort = domain::Sort::kPriceDesc;
  f.limit = 20;
  f.offset = 40;
  auto q = BuildListQuery(f);
  const std::string where =
      " WHERE p.deleted_at IS NULL AND p.category = $1 AND p.price >= $2 AND p.price <= $3"
      " AND p.stock > 0 AND p.is_active = $4"
      " AND (p.name ILIKE $5 OR p.description ILIKE $5 OR p.sku ILIKE $5)";
  EXPECT_EQ(q.count_sql, "SELECT count(*) FROM products p" + where);
  EXPECT_NE(q.page_sql.find(where + " ORDER BY p.price DESC, p.id DESC LIMIT $6 OFFSET $7"),
            std::string::npos)
      << q.page_sql;
  EXPECT_EQ(q.page_sql.find("DROP"), std::string::npos);
  const std::vector<std::string> filter_values{"toys'; DROP TABLE products; --", "100", "900", "t",
                                               "%50\\%\\_off\\\\%"};
  EXPECT_EQ(Values(q.count_params), filter_values);
  auto page_values = filter_values;
  page_values.insert(page_values.end(), {"20", "40"});
  EXPECT_EQ(Values(q.page_params), page_values);
}

TEST(ListQuery, PlaceholdersFollowThePresentFilters) {
  domain::ProductFilter f;
  f.max_price = 10;
  f.is_active = false;
  auto q = BuildListQuery(f);
  EXPECT_EQ(q.count_sql,
            "SELECT count(*) FROM products p WHERE p.deleted_at IS NULL AND p.price <= $1 AND "
            "p.is_active = $2");
  EXPECT_EQ(Values(q.count_params), (std::vector<std::string>{"10", "f"}));
  EXPECT_NE(q.page_sql.find("LIMIT $3 OFFSET $4"), std::string::npos);
}

TEST(ListQuery, SortOrdersBreakTiesById) {
  const std::pair<domain::Sort, const char*> cases[] = {
      {domain::Sort::kId, " ORDER BY p.id LIMIT"},
      {domain::Sort::kPrice, " ORDER BY p.price, p.id LIMIT"},
      {domain::Sort::kPriceDesc, " ORDER BY p.price DESC, p.id DESC LIMIT"},
      {domain::Sort::kName, " ORDER BY p.name, p.id LIMIT"},
      {domain::Sort::kCreatedAt, " ORDER BY p.created_at, p.id LIMIT"},
      {domain::Sort::kCreatedAtDesc, " ORDER BY p.created_at DESC, p.id DESC LIMIT"}};
  for (const auto& [sort, order] : cases) {
    domain::ProductFilter f;
    f.sort = sort;
    EXPECT_NE(BuildListQuery(f).page_sql.find(order), std::string::npos) << order;
  }
}

TEST(ListQuery, StatementNamesAreUniquePerText) {
  // Names are prepared-statement names: two different texts must never share one.
  std::map<std::string, std::string> texts;
  for (int mask = 0; mask < 64; ++mask) {
    for (auto sort : {domain::Sort::kId, domain::Sort::kPrice, domain::Sort::kName}) {
      domain::ProductFilter f;
      if (mask & 1) f.category = "c";
      if (mask & 2) f.min_price = 1;
      if (mask & 4) f.max_price = 2;
      if (mask & 8) f.in_stock = true;
      if (mask & 16) f.is_active = (mask & 1) != 0;
      if (mask & 32) f.q = "x";
      f.sort = sort;
      auto q = BuildListQuery(f);
      for (const auto& [name, sql] :
           {std::pair{q.page_name, q.page_sql}, {q.count_name, q.count_sql}}) {
        auto [it, inserted] = texts.emplace(name, sql);
        EXPECT_EQ(it->second, sql) << name;
      }
    }
  }
  EXPECT_EQ(texts.size(), 64u + 64u * 3u);
}

TEST(ListQuery, ContainsPatternEscapesWildcards) {
  EXPECT_EQ(ContainsPattern("lamp"), "%lamp%");
  EXPECT_EQ(ContainsPattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
}

}  // namespace
}  // namespace fo::product::adapters
