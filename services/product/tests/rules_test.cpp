#include "services/product/domain/rules.hpp"

#include <gtest/gtest.h>

namespace fo::product::domain {
namespace {

std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  out.reserve(errors.size());
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

ProductFields Valid() {
  ProductFields f;
  f.name = "Blue Lamp";
  f.description = "A lamp";
  f.price = 1999;
  f.currency = "EUR";
  f.category = "lighting";
  f.sku = "LAMP-01.b_2";
  return f;
}

TEST(Rules, Name) {
  EXPECT_EQ(CheckName("Lamp"), std::nullopt);
  EXPECT_EQ(CheckName(std::string(200, 'a')), std::nullopt);
  EXPECT_EQ(CheckName("Lämpchen ☀"), std::nullopt);
  EXPECT_NE(CheckName(""), std::nullopt);
  EXPECT_NE(CheckName("   "), std::nullopt);
  EXPECT_NE(CheckName(std::string(201, 'a')), std::nullopt);
  EXPECT_NE(CheckName("line\nbreak"), std::nullopt);
}

TEST(Rules, Sku) {
  EXPECT_EQ(CheckSku("A-z_0.9"), std::nullopt);
  EXPECT_EQ(CheckSku(std::string(64, 'X')), std::nullopt);
  for (std::string bad : {"", "with space", "semi;colon", "ümlaut", "slash/", "pct%"}) {
    EXPECT_NE(CheckSku(bad), std::nullopt) << bad;
  }
  EXPECT_NE(CheckSku(std::string(65, 'X')), std::nullopt);
}

TEST(Rules, PriceCurrencyCategoryDescription) {
  EXPECT_EQ(CheckPrice(0), std::nullopt);
  EXPECT_EQ(CheckPrice(kPriceMax), std::nullopt);
  EXPECT_NE(CheckPrice(-1), std::nullopt);
  EXPECT_NE(CheckPrice(kPriceMax + 1), std::nullopt);
  EXPECT_EQ(CheckCurrency("USD"), std::nullopt);
  for (std::string bad : {"", "usd", "US", "USDD", "U5D"}) {
    EXPECT_NE(CheckCurrency(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(CheckCategory(""), std::nullopt);
  EXPECT_EQ(CheckCategory(std::string(100, 'c')), std::nullopt);
  EXPECT_NE(CheckCategory(std::string(101, 'c')), std::nullopt);
  EXPECT_EQ(CheckDescription(std::string(5000, 'd')), std::nullopt);
  EXPECT_NE(CheckDescription(std::string(5001, 'd')), std::nullopt);
}

TEST(Rules, Timestamp) {
  for (const char* good :
       {"2026-11-25T15:32:15Z", "2026-11-25T15:32:15.123456Z", "2024-02-29t00:00:00z",
        "2026-11-25T15:32:15+01:00", "2026-12-31T23:59:60.5-11:30"}) {
    EXPECT_EQ(CheckTimestamp(good), std::nullopt) << good;
  }
  for (const char* bad :
       {"", "yesterday", "2026-11-25", "2026-11-25T15:32:15", "2026-11-25 15:32:15Z",
        "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
        "2026-11-25T24:00:00Z", "2026-11-25T15:60:00Z", "2026-11-25T15:32:15.Z",
        "2026-11-25T15:32:15+1:00", "2026-11-25T15:32:15+01:00x", "0000-01-01T00:00:00Z",
        "2026-11-25T15:32:15ZZ", "2026-1a-25T15:32:15Z"}) {
    EXPECT_NE(CheckTimestamp(bad), std::nullopt) << bad;
  }
}

TEST(Rules, ValidateFieldsNamesEveryBadField) {
  EXPECT_TRUE(Validate(Valid()).empty());
  auto f = Valid();
  f.name = "";
  f.price = -5;
  f.currency = "usd";
  f.sku = "bad sku";
  EXPECT_EQ(Fields(Validate(f)), (std::vector<std::string>{"name", "price", "currency", "sku"}));
}

TEST(Rules, ValidateChangesChecksOnlyWhatIsSet) {
  EXPECT_TRUE(Validate(ProductChanges{}).empty());
  ProductChanges c;
  c.price = 10;
  EXPECT_TRUE(Validate(c).empty());
  c.sku = "";
  c.category = std::string(101, 'x');
  EXPECT_EQ(Fields(Validate(c)), (std::vector<std::string>{"category", "sku"}));
}

TEST(Rules, ValidateFilter) {
  ProductFilter filter;
  EXPECT_TRUE(Validate(filter).empty());
  filter.min_price = 500;
  filter.max_price = 100;
  EXPECT_EQ(Fields(Validate(filter)), std::vector<std::string>{"min_price"});
  filter.max_price = 500;
  EXPECT_TRUE(Validate(filter).empty());
  filter.q = std::string(101, 'q');
  filter.limit = 0;
  filter.offset = -1;
  EXPECT_EQ(Fields(Validate(filter)), (std::vector<std::string>{"q", "limit", "offset"}));
}

TEST(Rules, Sort) {
  for (std::string text : {"price", "-price", "name", "created_at", "-created_at"}) {
    auto sort = ParseSort(text);
    ASSERT_TRUE(sort) << text;
    EXPECT_EQ(ToString(*sort), text);
  }
  for (std::string bad : {"", "id", "-name", "PRICE", "price;drop"}) {
    EXPECT_EQ(ParseSort(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ToString(Sort::kId), "id");
}

}  // namespace
}  // namespace fo::product::domain
