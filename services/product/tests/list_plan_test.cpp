// "Backed by indexes": at 100k products, the plan of every list filter combination — for both
// the page and the total-count statement, exactly as the repository builds them — is an index
// scan, never a sequential scan.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "services/product/adapters/list_query.hpp"
#include "services/product/domain/rules.hpp"
#include "services/product/tests/pg_test_base.hpp"

namespace fo::product::adapters {
namespace {

// 100k products with a realistic spread: 50 categories (hashed, not round-robin), prices from
// 1.00 to 20,000.99 spread by a hash, one in ten inactive, one in five out of stock, names from
// 10 adjectives x 12 nouns, descriptions of 60-140 characters with varied words, unique skus.
constexpr const char* kSeed = R"sql(
INSERT INTO products (name, description, price, currency, category, sku, is_active, stock,
                      created_at, updated_at)
SELECT
  (ARRAY['Red','Blue','Green','Steel','Wooden','Smart','Compact','Deluxe','Classic','Eco'])
    [1 + g % 10] || ' ' ||
  (ARRAY['Widget','Lamp','Chair','Phone','Kettle','Drill','Backpack','Monitor','Sneaker',
         'Blender','Guitar','Camera'])[1 + (g / 10) % 12] || ' ' || (g % 5000),
  'Model ' || md5(g::text) || ' for everyday use; ' ||
  (ARRAY['durable','lightweight','waterproof','ergonomic','wireless','handmade','recycled',
         'portable'])[1 + g % 8] ||
  ' design with a ' || (1 + g % 5) || '-year warranty. ' ||
  repeat(substr(md5((g * 7)::text), 1, 12) || ' ', 1 + g % 5),
  100 + (hashint4(g) & 2147483647) % 2000000,
  'USD',
  'cat-' || lpad(((hashint4(g + 1) & 2147483647) % 50)::text, 2, '0'),
  'SKU-' || lpad(g::text, 7, '0'),
  g % 10 <> 0,
  CASE WHEN g % 5 = 3 THEN 0 ELSE (hashint4(g + 2) & 2147483647) % 500 END,
  now() - make_interval(mins => g),
  now() - make_interval(mins => g)
FROM generate_series(1, 100000) AS g
)sql";

class ListPlanTest : public PgTest {
 protected:
  // Bulk load the way an operator would: drop the secondary indexes, insert, rebuild them from
  // their own definitions (so the plans below see exactly the migration's indexes), then
  // VACUUM (visibility map, for index-only scans) and ANALYZE (statistics).
  void Seed() {
    auto definitions = Exec(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = 'products' AND indexname <> 'products_pkey'");
    ASSERT_GE(definitions.Rows(), 7);
    for (int i = 0; i < definitions.Rows(); ++i) {
      Exec("DROP INDEX " + definitions[i].String(0));
    }
    // The test does the maintenance itself; an autovacuum run racing it can leave pages
    // not all-visible, which makes index-only scans look costlier than they are in steady state.
    Exec("ALTER TABLE products SET (autovacuum_enabled = false)");
    Exec(kSeed);
    for (int i = 0; i < definitions.Rows(); ++i) {
      // More sort memory makes the trigram GIN build several times faster.
      Exec("SET LOCAL maintenance_work_mem = '256MB'; " + definitions[i].String(1));
    }
    // A concurrent snapshot in this database (another client, an autovacuum of a catalog)
    // can hold the visibility horizon back for a while: retry for up to 30 s.
    for (int attempt = 0; attempt < 120; ++attempt) {
      ExecOutsideTransaction("VACUUM ANALYZE products");
      if (Scalar("SELECT (relallvisible >= relpages)::int FROM pg_class "
                 "WHERE oid = 'products'::regclass") == 1) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    Exec("ALTER TABLE products RESET (autovacuum_enabled)");
    ASSERT_EQ(Scalar("SELECT (relallvisible >= relpages)::int FROM pg_class "
                     "WHERE oid = 'products'::regclass"),
              1)
        << "VACUUM could not mark every page all-visible (a long transaction elsewhere?)";
  }

  // The node types of a JSON plan, depth first.
  static void NodeTypes(const boost::json::value& node, std::vector<std::string>& out) {
    const auto& plan = node.as_object();
    out.emplace_back(plan.at("Node Type").as_string());
    if (const auto* index = plan.if_contains("Index Name")) {
      out.back() += " (" + std::string(index->as_string()) + ")";
    }
    if (const auto* children = plan.if_contains("Plans")) {
      for (const auto& child : children->as_array()) NodeTypes(child, out);
    }
  }

  // The custom plan: what the server plans for these parameter values.
  std::vector<std::string> Plan(const std::string& sql, const pg::Params& params) {
    return Nodes(Exec("EXPLAIN (FORMAT JSON) " + sql, params));
  }

  // The generic plan: the repository runs prepared statements, and after a few executions the
  // server may reuse one plan for any parameter values. That plan must use the indexes too.
  std::vector<std::string> GenericPlan(const std::string& sql, const pg::Params& params) {
    const auto name = "fo_plan_" + std::to_string(++prepared_);
    // EXECUTE takes no bind parameters, so the (test-chosen) values go in as quoted literals.
    std::string arguments;
    for (const char* value : params.Pointers()) {
      std::string literal(value);
      for (auto at = literal.find('\''); at != std::string::npos; at = literal.find('\'', at + 2)) {
        literal.insert(at, 1, '\'');
      }
      arguments += (arguments.empty() ? "'" : ", '") + literal + "'";
    }
    const auto prepare = "PREPARE " + name + " AS " + sql;
    const auto explain =
        "EXPLAIN (FORMAT JSON) EXECUTE " + name + (arguments.empty() ? "" : "(" + arguments + ")");
    return Nodes(
        Run(pool_.Transaction(Ctx(), [&](pg::Tx& tx) -> boost::asio::awaitable<pg::Result> {
          co_await tx.Query("SET LOCAL plan_cache_mode = force_generic_plan");
          co_await tx.Query(prepare);
          auto plan = co_await tx.Query(explain);
          co_await tx.Query("DEALLOCATE " + name);
          co_return plan;
        })));
  }

  static std::vector<std::string> Nodes(const pg::Result& result) {
    auto json = boost::json::parse(result[0].String(0));
    std::vector<std::string> nodes;
    NodeTypes(json.as_array().at(0).as_object().at("Plan"), nodes);
    return nodes;
  }

  // See the definition: the tolerated sequential counts, with their reasons.
  void CheckDocumentedExceptions();

  int prepared_ = 0;
};

std::string Describe(const domain::ProductFilter& f) {
  std::string text = "sort=" + std::string(domain::ToString(f.sort));
  if (f.category) text += " category=" + *f.category;
  if (f.min_price) text += " min_price=" + std::to_string(*f.min_price);
  if (f.max_price) text += " max_price=" + std::to_string(*f.max_price);
  if (f.in_stock) text += " in_stock";
  if (f.is_active) text += *f.is_active ? " is_active=true" : " is_active=false";
  if (f.q) text += " q=" + *f.q;
  return text;
}

std::string Join(const std::vector<std::string>& nodes) {
  std::string text;
  for (const auto& node : nodes) text += (text.empty() ? "" : " > ") + node;
  return text;
}

TEST_F(ListPlanTest, EveryFilterCombinationIsAnIndexScanAt100kProducts) {
  const auto started = std::chrono::steady_clock::now();
  Seed();
  ASSERT_EQ(Scalar("SELECT count(*) FROM products"), 100000);
  // The detector itself: a filter no index backs must be reported as a sequential scan.
  ASSERT_NE(Join(Plan("SELECT count(*) FROM products p WHERE p.currency = $1",
                      pg::Params(std::string("EUR"))))
                .find("Seq Scan"),
            std::string::npos);

  struct PriceRange {
    std::optional<std::int64_t> min, max;
  };
  // Realistic, selective values: one category of 50, a 10% price band, a lower or upper bound
  // on the price, a word in one product name of twelve, a sku prefix.
  const std::vector<std::optional<std::string>> categories{std::nullopt, "cat-07"};
  const std::vector<PriceRange> prices{
      {}, {500'000, 700'000}, {1'500'000, std::nullopt}, {std::nullopt, 200'000}};
  const std::vector<std::optional<bool>> actives{std::nullopt, true, false};
  const std::vector<std::optional<std::string>> searches{std::nullopt, "Kettle", "sku-00042"};
  const domain::Sort sorts[] = {domain::Sort::kId,        domain::Sort::kPrice,
                                domain::Sort::kPriceDesc, domain::Sort::kName,
                                domain::Sort::kCreatedAt, domain::Sort::kCreatedAtDesc};

  int plans = 0;
  std::set<std::string> counted;  // a count does not depend on the sort: explain it once
  std::vector<std::string> sequential;
  auto check = [&](const char* what, const domain::ProductFilter& f, const std::string& sql,
                   const pg::Params& params) {
    for (bool generic : {false, true}) {
      auto nodes = generic ? GenericPlan(sql, params) : Plan(sql, params);
      ++plans;
      if (Join(nodes).find("Seq Scan") != std::string::npos) {
        sequential.push_back(std::string(what) + (generic ? " (generic) " : " ") + Describe(f) +
                             ": " + Join(nodes));
      }
    }
  };
  for (const auto& category : categories) {
    for (const auto& price : prices) {
      for (bool in_stock : {false, true}) {
        for (const auto& active : actives) {
          for (const auto& q : searches) {
            for (auto sort : sorts) {
              domain::ProductFilter f;
              f.category = category;
              f.min_price = price.min;
              f.max_price = price.max;
              f.in_stock = in_stock;
              f.is_active = active;
              f.q = q;
              f.sort = sort;
              const auto query = BuildListQuery(f);
              check("page", f, query.page_sql, query.page_params);
              if (counted.insert(Describe(f).substr(Describe(f).find(' ') + 1)).second) {
                check("count", f, query.count_sql, query.count_params);
              }
            }
          }
        }
      }
    }
  }
  std::string report;
  for (const auto& line : sequential) report += line + "\n";
  EXPECT_TRUE(sequential.empty()) << sequential.size() << " of " << plans
                                  << " plans scan the table:\n"
                                  << report;
  EXPECT_GT(plans, 1600);
  CheckDocumentedExceptions();
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  RecordProperty("seconds", std::to_string(seconds.count()));
}

// Documented exceptions: counts over a search that the trigram index cannot narrow. A search
// shorter than three characters has no trigram to look up (pg_trgm then reads the whole index),
// and a word found in nearly every description ("use") matches most of the table; either way
// the count has to visit nearly every row, and PostgreSQL rightly prefers reading the table in
// order. Their page queries are still index-backed: the LIMIT walks an ordered index and stops
// after one page. The counts' plans are reported here, not failed.
void ListPlanTest::CheckDocumentedExceptions() {
  struct Exception {
    const char* q;
    const char* reason;
  };
  const Exception exceptions[] = {
      {"ab", "shorter than a trigram: the GIN index cannot narrow it"},
      {"e", "one character: matches almost every product"},
      {"use", "in nearly every description (\"for everyday use\")"},
  };
  for (const auto& exception : exceptions) {
    for (auto sort : {domain::Sort::kId, domain::Sort::kPrice, domain::Sort::kName}) {
      domain::ProductFilter f;
      f.is_active = true;
      f.q = exception.q;
      f.sort = sort;
      const auto query = BuildListQuery(f);
      auto page = Plan(query.page_sql, query.page_params);
      EXPECT_EQ(Join(page).find("Seq Scan"), std::string::npos)
          << Describe(f) << ": " << Join(page);
    }
    domain::ProductFilter f;
    f.is_active = true;
    f.q = exception.q;
    const auto query = BuildListQuery(f);
    const auto count = Join(Plan(query.count_sql, query.count_params));
    std::cout << "tolerated: count q=" << exception.q << " (" << exception.reason << "): " << count
              << "\n";
    RecordProperty(std::string("count_q_") + exception.q, count);
  }
}

}  // namespace
}  // namespace fo::product::adapters
