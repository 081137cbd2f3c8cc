// The PostgreSQL adapters against the private test database (started by `make test`).
#include "services/product/adapters/pg_product_repository.hpp"

#include "services/product/tests/pg_test_base.hpp"

namespace fo::product::adapters {
namespace {

class PgProductRepositoryTest : public PgTest {
 protected:
  app::Product Make(const std::string& sku, std::int64_t price = 1000,
                    const std::string& category = "lamps", bool active = true,
                    const std::string& name = "") {
    domain::ProductFields f;
    f.name = name.empty() ? "Product " + sku : name;
    f.description = "About " + sku;
    f.price = price;
    f.category = category;
    f.sku = sku;
    f.is_active = active;
    return Run(products_.Create(Ctx(), f));
  }
  // A stock report with a fresh event id and no time (always applies).
  void SetStock(std::int64_t id, std::int64_t available) {
    const app::EventRef event{"set-" + std::to_string(++events_), "test", "test"};
    ASSERT_EQ(Run(products_.ApplyStockReport(Ctx(), event, {id, available, ""})),
              app::StockOutcome::kApplied);
  }
  std::vector<std::int64_t> Ids(const domain::ProductFilter& filter) {
    std::vector<std::int64_t> ids;
    for (const auto& p : Run(products_.List(Ctx(), filter)).items) ids.push_back(p.id);
    return ids;
  }

  PgProductRepository products_{pool_};
  PgFavoriteRepository favorites_{pool_};
  int events_ = 0;
};

TEST_F(PgProductRepositoryTest, MigrationsAppliedTwiceAreANoOp) {
  EXPECT_EQ(
      Run(pg::Migrate(pool_, messaging::WithMessagingMigrations(Migrations()), "product-service")),
      0);
}

TEST_F(PgProductRepositoryTest, CreatesFindsReplacesAndUpdates) {
  auto lamp = Make("LAMP-1", 1999);
  EXPECT_GT(lamp.id, 0);
  EXPECT_EQ(lamp.currency, "USD");
  EXPECT_EQ(lamp.stock, 0);
  EXPECT_TRUE(lamp.is_active);
  EXPECT_EQ(lamp.created_at.size(), 27u);
  EXPECT_EQ(lamp.created_at.back(), 'Z');
  auto found = Run(products_.Find(Ctx(), lamp.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sku, "LAMP-1");
  EXPECT_EQ(found->price, 1999);
  EXPECT_FALSE(Run(products_.Find(Ctx(), 999999)));

  domain::ProductFields replacement{"Desk lamp", "", 2500, "EUR", "desk", "LAMP-2", false};
  auto replaced = Run(products_.Replace(Ctx(), lamp.id, replacement));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->name, "Desk lamp");
  EXPECT_EQ(replaced->description, "");
  EXPECT_EQ(replaced->currency, "EUR");
  EXPECT_FALSE(replaced->is_active);
  EXPECT_EQ(replaced->created_at, lamp.created_at);
  EXPECT_GE(replaced->updated_at, lamp.updated_at);

  domain::ProductChanges changes;
  changes.price = 3000;
  auto updated = Run(products_.Update(Ctx(), lamp.id, changes));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->price, 3000);
  EXPECT_EQ(updated->name, "Desk lamp");  // untouched
  EXPECT_EQ(updated->sku, "LAMP-2");
  EXPECT_FALSE(Run(products_.Replace(Ctx(), 999999, replacement)));
  EXPECT_FALSE(Run(products_.Update(Ctx(), 999999, changes)));
}

TEST_F(PgProductRepositoryTest, SkuIsUniqueAmongLiveProductsAndReusableAfterDelete) {
  auto first = Make("DUP-1");
  auto other = Make("DUP-2");
  try {
    Make("DUP-1");
    FAIL() << "duplicate sku accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].field, "sku");
  }
  domain::ProductChanges to_dup;
  to_dup.sku = "DUP-1";
  EXPECT_EQ(KindOf([&] { Run(products_.Update(Ctx(), other.id, to_dup)); }), ErrorKind::kConflict);

  EXPECT_TRUE(Run(products_.Delete(Ctx(), first.id)));
  EXPECT_FALSE(Run(products_.Delete(Ctx(), first.id)));  // already deleted
  EXPECT_FALSE(Run(products_.Delete(Ctx(), 999999)));
  EXPECT_FALSE(Run(products_.Find(Ctx(), first.id)));
  EXPECT_FALSE(Run(products_.Update(Ctx(), first.id, to_dup)));
  auto reused = Make("DUP-1");
  EXPECT_NE(reused.id, first.id);
  EXPECT_EQ(Scalar("SELECT count(*) FROM products WHERE sku = 'DUP-1'"), 2);
}

TEST_F(PgProductRepositoryTest, FindManyLeavesOutUnknownAndDeleted) {
  auto a = Make("A");
  auto b = Make("B", 1, "x", false);
  auto c = Make("C");
  Run(products_.Delete(Ctx(), c.id));
  auto found = Run(products_.FindMany(Ctx(), {a.id, b.id, c.id, 424242}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, a.id);
  EXPECT_EQ(found[1].id, b.id);
}

TEST_F(PgProductRepositoryTest, ListFiltersSortsAndPages) {
  auto cheap = Make("F-1", 100, "lamps", true, "Brass Lamp");
  auto mid = Make("F-2", 500, "lamps", true, "alpha chair");
  auto dear = Make("F-3", 900, "chairs", true, "Zinc stool");
  auto hidden = Make("F-4", 300, "lamps", false, "Hidden lamp");
  auto gone = Make("F-5", 400, "lamps", true, "Gone lamp");
  Run(products_.Delete(Ctx(), gone.id));
  SetStock(mid.id, 4);
  SetStock(hidden.id, 2);

  domain::ProductFilter all;
  EXPECT_EQ(Ids(all), (std::vector<std::int64_t>{cheap.id, mid.id, dear.id, hidden.id}));
  EXPECT_EQ(Run(products_.List(Ctx(), all)).total, 4);

  domain::ProductFilter f;
  f.category = "lamps";
  EXPECT_EQ(Ids(f), (std::vector<std::int64_t>{cheap.id, mid.id, hidden.id}));
  f.is_active = true;
  EXPECT_EQ(Ids(f), (std::vector<std::int64_t>{cheap.id, mid.id}));
  f.is_active = false;
  EXPECT_EQ(Ids(f), (std::vector<std::int64_t>{hidden.id}));

  domain::ProductFilter price;
  price.min_price = 300;
  price.max_price = 900;
  price.sort = domain::Sort::kPriceDesc;
  EXPECT_EQ(Ids(price), (std::vector<std::int64_t>{dear.id, mid.id, hidden.id}));

  domain::ProductFilter stock;
  stock.in_stock = true;
  EXPECT_EQ(Ids(stock), (std::vector<std::int64_t>{mid.id, hidden.id}));

  domain::ProductFilter search;
  search.q = "LAMP";  // case-insensitive, name/description/sku
  EXPECT_EQ(Ids(search), (std::vector<std::int64_t>{cheap.id, hidden.id}));
  search.q = "f-3";
  EXPECT_EQ(Ids(search), std::vector<std::int64_t>{dear.id});
  search.q = "%";  // a literal percent sign, not a wildcard
  EXPECT_TRUE(Ids(search).empty());

  domain::ProductFilter by_name;
  by_name.sort = domain::Sort::kName;
  by_name.is_active = true;
  auto names = Run(products_.List(Ctx(), by_name)).items;
  ASSERT_EQ(names.size(), 3u);
  EXPECT_LE(names[0].name, names[1].name);

  domain::ProductFilter paged;
  paged.sort = domain::Sort::kPrice;
  paged.limit = 2;
  paged.offset = 1;
  auto page = Run(products_.List(Ctx(), paged));
  EXPECT_EQ(page.total, 4);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, hidden.id);
  EXPECT_EQ(page.items[1].id, mid.id);

  domain::ProductFilter newest;
  newest.sort = domain::Sort::kCreatedAtDesc;
  EXPECT_EQ(Ids(newest).front(), hidden.id);
}

TEST_F(PgProductRepositoryTest, StatsAndCategoriesAreTrueCounts) {
  auto a = Make("S-1", 100, "lamps");
  auto b = Make("S-2", 201, "lamps");
  auto c = Make("S-3", 1000, "chairs");
  Make("S-4", 5000, "hidden", false);
  auto gone = Make("S-5", 7, "gone");
  Make("S-6", 50, "");
  Run(products_.Delete(Ctx(), gone.id));
  SetStock(a.id, 3);
  SetStock(b.id, 10);
  SetStock(c.id, 11);

  auto stats = Run(products_.Stats(Ctx(), 10));
  EXPECT_EQ(stats.total_products, 5);
  EXPECT_EQ(stats.active_products, 4);
  EXPECT_EQ(stats.out_of_stock, 1);  // S-6
  EXPECT_EQ(stats.low_stock, 2);     // 3 and 10
  EXPECT_EQ(stats.total_stock, 24);
  EXPECT_EQ(stats.average_price, (100 + 201 + 1000 + 50) / 4);
  EXPECT_EQ(stats.total_categories, 2);
  EXPECT_EQ(stats.products_by_category,
            (std::map<std::string, std::int64_t>{{"chairs", 1}, {"lamps", 2}}));

  auto categories = Run(products_.Categories(Ctx()));
  ASSERT_EQ(categories.size(), 2u);
  EXPECT_EQ(categories[0].name, "chairs");
  EXPECT_EQ(categories[0].count, 1);
  EXPECT_EQ(categories[1].name, "lamps");
  EXPECT_EQ(categories[1].count, 2);

  auto empty_threshold = Run(products_.Stats(Ctx(), 0));
  EXPECT_EQ(empty_threshold.low_stock, 0);
}

TEST_F(PgProductRepositoryTest, FavoritesAreIdempotentAndShowLiveActiveProducts) {
  auto a = Make("FAV-1");
  auto b = Make("FAV-2");
  auto c = Make("FAV-3");
  auto inactive = Make("FAV-4", 1, "x", false);
  EXPECT_TRUE(Run(favorites_.Add(Ctx(), 7, a.id)));
  EXPECT_TRUE(Run(favorites_.Add(Ctx(), 7, a.id)));  // idempotent
  EXPECT_TRUE(Run(favorites_.Add(Ctx(), 7, b.id)));
  EXPECT_TRUE(Run(favorites_.Add(Ctx(), 7, c.id)));
  EXPECT_TRUE(Run(favorites_.Add(Ctx(), 8, a.id)));
  EXPECT_FALSE(Run(favorites_.Add(Ctx(), 7, 999999)));
  EXPECT_FALSE(Run(favorites_.Add(Ctx(), 7, inactive.id)));
  EXPECT_EQ(Scalar("SELECT count(*) FROM favorites WHERE user_id = 7"), 3);

  Run(products_.Delete(Ctx(), c.id));
  auto page = Run(favorites_.List(Ctx(), 7, 50, 0));
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 2u);
  auto one = Run(favorites_.List(Ctx(), 7, 1, 1));
  EXPECT_EQ(one.total, 2);
  ASSERT_EQ(one.items.size(), 1u);

  Run(favorites_.Remove(Ctx(), 7, a.id));
  Run(favorites_.Remove(Ctx(), 7, a.id));  // idempotent
  page = Run(favorites_.List(Ctx(), 7, 50, 0));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, b.id);
  EXPECT_EQ(Run(favorites_.List(Ctx(), 8, 50, 0)).total, 1);
}

}  // namespace
}  // namespace fo::product::adapters
