#include "services/inventory/app/stock_commands.hpp"

#include <gtest/gtest.h>

#include "platform/testing/run.hpp"
#include "services/inventory/app/stock_queries.hpp"
#include "services/inventory/tests/fakes.hpp"

namespace fo::inventory::app {
namespace {
using namespace fo::inventory::testing;

class InventoryStockCommandsTest : public ::testing::Test {
 protected:
  InventoryStockCommandsTest() { catalog.products = {1, 2, 3}; }

  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return fo::testing::RunIn(io, std::move(work));
  }
  template <typename T>
  Error FailureOf(boost::asio::awaitable<T> work) {
    return fo::testing::FailureIn(io, std::move(work));
  }
  StockItem Create(std::int64_t product, std::int64_t quantity,
                   std::optional<std::string> location = std::nullopt) {
    return Run(commands.Create(ctx, {product, quantity, std::move(location), "user:9"}));
  }
  ChangeQuantity Absolute(std::int64_t product, std::int64_t quantity,
                          std::optional<std::string> if_match) {
    ChangeQuantity c;
    c.product_id = product;
    c.quantity = quantity;
    c.if_match = std::move(if_match);
    c.actor = "user:9";
    return c;
  }
  ChangeQuantity Relative(std::int64_t product, std::int64_t delta) {
    ChangeQuantity c;
    c.product_id = product;
    c.delta = delta;
    c.actor = "user:9";
    return c;
  }

  boost::asio::io_context io;
  Context ctx;
  FakeStock stock;
  FakeCatalog catalog;
  StockCommands commands{stock, catalog};
  StockQueries queries{stock};
};

TEST_F(InventoryStockCommandsTest, CreatesAtMainByDefault) {
  auto row = Create(1, 5);
  EXPECT_EQ(row.location, "main");
  EXPECT_EQ(row.on_hand, 5);
  EXPECT_EQ(stock.actors.back(), "user:9");
  EXPECT_EQ(Create(1, 0, "east").location, "east");
}

TEST_F(InventoryStockCommandsTest, CreateChecksTheCatalogBeforeWriting) {
  auto missing = FailureOf(commands.Create(ctx, {42, 1, std::nullopt, "user:9"}));
  EXPECT_EQ(missing.kind(), ErrorKind::kUnprocessable);
  ASSERT_EQ(missing.fields().size(), 1u);
  EXPECT_EQ(missing.fields()[0].field, "product_id");
  catalog.down = true;
  EXPECT_EQ(FailureOf(commands.Create(ctx, {1, 1, std::nullopt, "user:9"})).kind(),
            ErrorKind::kUnavailable);
  EXPECT_TRUE(stock.rows.empty());
}

TEST_F(InventoryStockCommandsTest, CreateRefusesBadFieldsWithoutAskingTheCatalog) {
  auto bad = FailureOf(commands.Create(ctx, {0, -1, std::string(65, 'x'), "user:9"}));
  EXPECT_EQ(bad.kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(bad.fields().size(), 3u);
  EXPECT_EQ(catalog.calls, 0);
}

TEST_F(InventoryStockCommandsTest, DuplicateLocationsConflict) {
  Create(1, 5);
  EXPECT_EQ(FailureOf(commands.Create(ctx, {1, 2, std::nullopt, "user:9"})).kind(),
            ErrorKind::kConflict);
}

TEST_F(InventoryStockCommandsTest, AbsoluteNeedsIfMatch) {
  Create(1, 5);
  EXPECT_EQ(FailureOf(commands.Change(ctx, Absolute(1, 7, std::nullopt))).kind(),
            ErrorKind::kPreconditionRequired);
  auto stale = FailureOf(commands.Change(ctx, Absolute(1, 7, "\"9\"")));
  EXPECT_EQ(stale.kind(), ErrorKind::kPrecondition);
  EXPECT_EQ(FailureOf(commands.Change(ctx, Absolute(1, 7, "W/\"1\""))).kind(),
            ErrorKind::kInvalidArgument);
  auto row = Run(commands.Change(ctx, Absolute(1, 7, "\"1\"")));
  EXPECT_EQ(row.on_hand, 7);
  EXPECT_EQ(row.version, 2);
}

TEST_F(InventoryStockCommandsTest, ExactlyOneOfQuantityOrDelta) {
  Create(1, 5);
  auto both = Relative(1, 1);
  both.quantity = 3;
  EXPECT_EQ(FailureOf(commands.Change(ctx, both)).kind(), ErrorKind::kInvalidArgument);
  auto neither = Relative(1, 1);
  neither.delta.reset();
  EXPECT_EQ(FailureOf(commands.Change(ctx, neither)).kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(FailureOf(commands.Change(ctx, Relative(1, 0))).kind(), ErrorKind::kInvalidArgument);
  auto long_reason = Relative(1, 1);
  long_reason.reason = std::string(201, 'r');
  EXPECT_EQ(FailureOf(commands.Change(ctx, long_reason)).fields().at(0).field, "reason");
}

TEST_F(InventoryStockCommandsTest, DeltasStopAtReserved) {
  auto row = Create(1, 5);
  stock.rows[row.id].reserved = 3;
  EXPECT_EQ(Run(commands.Change(ctx, Relative(1, -2))).on_hand, 3);
  auto short_of = FailureOf(commands.Change(ctx, Relative(1, -1)));
  EXPECT_EQ(short_of.kind(), ErrorKind::kConflict);
  EXPECT_NE(std::string(short_of.what()).find("available is 0 units"), std::string::npos)
      << short_of.what();
  auto below = FailureOf(commands.Change(ctx, Absolute(1, 2, "\"2\"")));
  EXPECT_EQ(below.kind(), ErrorKind::kConflict);
}

TEST_F(InventoryStockCommandsTest, SeveralLocationsNeedOneNamed) {
  Create(1, 5);
  Create(1, 5, "east");
  auto ambiguous = FailureOf(commands.Change(ctx, Relative(1, 1)));
  EXPECT_EQ(ambiguous.kind(), ErrorKind::kUnprocessable);
  EXPECT_EQ(ambiguous.fields().at(0).field, "location");
  auto east = Relative(1, 2);
  east.location = "east";
  auto row = Run(commands.Change(ctx, east));
  EXPECT_EQ(row.location, "east");
  EXPECT_EQ(row.on_hand, 7);
  auto nowhere = Relative(1, 2);
  nowhere.location = "west";
  EXPECT_EQ(FailureOf(commands.Change(ctx, nowhere)).kind(), ErrorKind::kNotFound);
}

TEST_F(InventoryStockCommandsTest, ProductsWithoutRowsAreNotFound) {
  EXPECT_EQ(FailureOf(commands.Change(ctx, Relative(3, 1))).kind(), ErrorKind::kNotFound);
  EXPECT_EQ(FailureOf(queries.ForProduct(ctx, 3)).kind(), ErrorKind::kNotFound);
  EXPECT_EQ(FailureOf(queries.Get(ctx, 77)).kind(), ErrorKind::kNotFound);
}

TEST_F(InventoryStockCommandsTest, QueriesSumLocationsAndCheckAvailability) {
  auto main = Create(1, 5);
  Create(1, 4, "east");
  stock.rows[main.id].reserved = 2;
  auto product = Run(queries.ForProduct(ctx, 1));
  EXPECT_EQ(product.on_hand, 9);
  EXPECT_EQ(product.reserved, 2);
  EXPECT_EQ(product.available, 7);
  EXPECT_EQ(product.locations.size(), 2u);
  auto enough = Run(queries.Check(ctx, 1, 7));
  EXPECT_TRUE(enough.in_stock);
  EXPECT_EQ(enough.available, 7);
  EXPECT_FALSE(Run(queries.Check(ctx, 1, 8)).in_stock);
  auto none = Run(queries.Check(ctx, 2, 1));
  EXPECT_EQ(none.available, 0);
  EXPECT_FALSE(none.in_stock);
}

}  // namespace
}  // namespace fo::inventory::app
