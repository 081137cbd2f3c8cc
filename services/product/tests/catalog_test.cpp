// Use cases over an in-memory repository: who sees what, and input rules before any I/O.
#include "services/product/app/catalog.hpp"

#include <gtest/gtest.h>

#include <map>

#include "platform/errors/error.hpp"
#include "platform/testing/run.hpp"
#include "services/product/app/administration.hpp"
#include "services/product/app/stock_view.hpp"
#include "services/product/tests/fake_stock_levels.hpp"

namespace fo::product::app {
namespace {

class FakeProducts final : public ProductRepository {
 public:
  Task<Product> Create(const Context&, domain::ProductFields f) override {
    Product p;
    p.id = ++next_id_;
    p.name = f.name;
    p.sku = f.sku;
    p.price = f.price;
    p.is_active = f.is_active;
    products_[p.id] = p;
    co_return p;
  }
  Task<std::optional<Product>> Find(const Context&, std::int64_t id) override {
    auto it = products_.find(id);
    if (it == products_.end()) co_return std::nullopt;
    co_return it->second;
  }
  Task<std::vector<Product>> FindMany(const Context&,
                                      const std::vector<std::int64_t>& ids) override {
    last_ids = ids;
    std::vector<Product> out;
    for (auto id : ids) {
      if (products_.contains(id)) out.push_back(products_[id]);
    }
    co_return out;
  }
  Task<std::optional<Product>> Replace(const Context&, std::int64_t,
                                       domain::ProductFields) override {
    co_return std::nullopt;
  }
  Task<std::optional<Product>> Update(const Context&, std::int64_t,
                                      domain::ProductChanges) override {
    co_return std::nullopt;
  }
  Task<bool> Delete(const Context&, std::int64_t id) override { co_return products_.erase(id) > 0; }
  Task<Page> List(const Context&, const domain::ProductFilter& filter) override {
    last_filter = filter;
    co_return Page{};
  }
  Task<domain::Stats> Stats(const Context&, std::int64_t threshold) override {
    last_threshold = threshold;
    co_return domain::Stats{};
  }
  Task<std::vector<domain::CategoryCount>> Categories(const Context&) override {
    co_return std::vector<domain::CategoryCount>{};
  }

  std::optional<domain::ProductFilter> last_filter;
  std::vector<std::int64_t> last_ids;
  std::int64_t last_threshold = -1;

 private:
  std::map<std::int64_t, Product> products_;
  std::int64_t next_id_ = 0;
};

class CatalogTest : public ::testing::Test {
 protected:
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return fo::testing::RunIn(io_, std::move(work));
  }
  ErrorKind KindOf(const std::function<void()>& fn) { return fo::testing::ErrorFrom(fn).kind(); }
  Product Make(bool active) {
    domain::ProductFields f;
    f.name = "Lamp";
    f.sku = "SKU-" + std::to_string(++skus_);
    f.is_active = active;
    return Run(admin_.Create(ctx_, f));
  }

  boost::asio::io_context io_;
  Context ctx_;
  FakeProducts products_;
  Catalog catalog_{products_, 7};
  Administration admin_{products_};
  int skus_ = 0;
};

TEST_F(CatalogTest, InactiveProductsAreHiddenFromShoppersOnly) {
  auto hidden = Make(false);
  EXPECT_EQ(KindOf([&] { Run(catalog_.Get(ctx_, hidden.id, Viewer{false})); }),
            ErrorKind::kNotFound);
  EXPECT_EQ(Run(catalog_.Get(ctx_, hidden.id, Viewer{true})).id, hidden.id);
  EXPECT_EQ(Run(catalog_.GetAny(ctx_, hidden.id)).id, hidden.id);
  EXPECT_EQ(KindOf([&] { Run(catalog_.GetAny(ctx_, 999)); }), ErrorKind::kNotFound);
}

TEST_F(CatalogTest, ShoppersListActiveProductsOnly) {
  domain::ProductFilter filter;
  Run(catalog_.List(ctx_, filter, Viewer{false}));
  EXPECT_EQ(products_.last_filter->is_active, std::optional<bool>(true));
  filter.is_active = false;
  EXPECT_EQ(KindOf([&] { Run(catalog_.List(ctx_, filter, Viewer{false})); }),
            ErrorKind::kPermissionDenied);
  Run(catalog_.List(ctx_, filter, Viewer{true}));
  EXPECT_EQ(products_.last_filter->is_active, std::optional<bool>(false));
  filter.is_active.reset();
  Run(catalog_.List(ctx_, filter, Viewer{true}));
  EXPECT_EQ(products_.last_filter->is_active, std::nullopt);
}

TEST_F(CatalogTest, BadFiltersAreRefusedBeforeTheRepository) {
  domain::ProductFilter filter;
  filter.min_price = 10;
  filter.max_price = 5;
  products_.last_filter.reset();
  EXPECT_EQ(KindOf([&] { Run(catalog_.List(ctx_, filter, Viewer{true})); }),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(KindOf([&] { Run(catalog_.ListAny(ctx_, filter)); }), ErrorKind::kInvalidArgument);
  EXPECT_FALSE(products_.last_filter);
}

TEST_F(CatalogTest, GetManyDeduplicatesAndCapsTheBatch) {
  auto a = Make(true);
  auto b = Make(false);
  auto found = Run(catalog_.GetMany(ctx_, {b.id, a.id, b.id, 12345}));
  EXPECT_EQ(products_.last_ids, (std::vector<std::int64_t>{a.id, b.id, 12345}));
  EXPECT_EQ(found.size(), 2u);
  EXPECT_TRUE(Run(catalog_.GetMany(ctx_, {})).empty());
  EXPECT_EQ(KindOf([&] { Run(catalog_.GetMany(ctx_, std::vector<std::int64_t>(101, 1))); }),
            ErrorKind::kInvalidArgument);
}

TEST_F(CatalogTest, StatsUseTheConfiguredThreshold) {
  Run(catalog_.Stats(ctx_));
  EXPECT_EQ(products_.last_threshold, 7);
}

TEST_F(CatalogTest, AdministrationValidatesAndReportsMissingProducts) {
  domain::ProductFields bad;
  bad.name = "";
  bad.sku = "no spaces";
  try {
    Run(admin_.Create(ctx_, bad));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument);
    ASSERT_EQ(e.fields().size(), 2u);
    EXPECT_EQ(e.fields()[0].field, "name");
    EXPECT_EQ(e.fields()[1].field, "sku");
  }
  domain::ProductFields good;
  good.name = "Lamp";
  good.sku = "LAMP";
  EXPECT_EQ(KindOf([&] { Run(admin_.Replace(ctx_, 42, good)); }), ErrorKind::kNotFound);
  EXPECT_EQ(KindOf([&] { Run(admin_.Update(ctx_, 42, {})); }), ErrorKind::kNotFound);
  EXPECT_EQ(KindOf([&] { Run(admin_.Delete(ctx_, 42)); }), ErrorKind::kNotFound);
}

TEST_F(CatalogTest, StockViewAppliesReportsOncePerEvent) {
  testing::FakeStockLevels levels;
  levels.products[7] = {};
  StockView view(levels);
  const EventRef first{"ev-1", "fo.events.v1.InventoryUpdated", "inventory.events"};
  EXPECT_EQ(Run(view.Apply(ctx_, first, {7, 5, "2026-11-25T10:00:00.000000Z"})),
            StockOutcome::kApplied);
  EXPECT_EQ(levels.products[7].available, 5);
  EXPECT_EQ(Run(view.Apply(ctx_, first, {7, 9, "2026-11-25T11:00:00.000000Z"})),
            StockOutcome::kDuplicate);
  EXPECT_EQ(levels.products[7].available, 5);
  const EventRef older{"ev-0", first.type, first.topic};
  EXPECT_EQ(Run(view.Apply(ctx_, older, {7, 1, "2026-11-25T09:00:00.000000Z"})),
            StockOutcome::kStale);
  const EventRef other{"ev-2", first.type, first.topic};
  EXPECT_EQ(Run(view.Apply(ctx_, other, {999, 1, ""})), StockOutcome::kUnknownProduct);
  EXPECT_EQ(levels.products[7].available, 5);
}

TEST_F(CatalogTest, StockViewRefusesReportsThatCanNeverApply) {
  testing::FakeStockLevels levels;
  levels.products[7] = {};
  StockView view(levels);
  const EventRef event{"ev-1", "fo.events.v1.InventoryUpdated", "inventory.events"};
  const auto field = [&](const EventRef& ref, const StockReport& report) {
    auto error = fo::testing::FailureIn(io_, view.Apply(ctx_, ref, report));
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument);
    return error.fields().empty() ? std::string() : error.fields()[0].field;
  };
  EXPECT_EQ(field(event, {7, -1, ""}), "available");
  EXPECT_EQ(field(event, {0, 1, ""}), "product_id");
  EXPECT_EQ(field(event, {7, 1, "yesterday"}), "occurred_at");
  EXPECT_EQ(field(EventRef{"", event.type, event.topic}, {7, 1, ""}), "event_id");
  EXPECT_TRUE(levels.seen.empty());  // refused before any I/O
}

}  // namespace
}  // namespace fo::product::app
