#pragma once
// The product entity, the catalog's query shape and its statistics. No I/O here.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fo::product::domain {

struct Product {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::int64_t price = 0;  // minor units of `currency`
  std::string currency = "USD";
  std::string category;
  std::string sku;
  bool is_active = true;
  std::int64_t stock = 0;  // available units as last reported by inventory (read-only here)
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
};

// The writable fields of a product: what create and full replace take.
struct ProductFields {
  std::string name;
  std::string description;
  std::int64_t price = 0;
  std::string currency = "USD";
  std::string category;
  std::string sku;
  bool is_active = true;
};

// A partial update: absent fields stay as they are.
struct ProductChanges {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::int64_t> price;
  std::optional<std::string> currency;
  std::optional<std::string> category;
  std::optional<std::string> sku;
  std::optional<bool> is_active;
};

enum class Sort { kId, kPrice, kPriceDesc, kName, kCreatedAt, kCreatedAtDesc };

// One page of the catalog. Absent filters match everything.
struct ProductFilter {
  std::optional<std::string> category;
  std::optional<std::int64_t> min_price;
  std::optional<std::int64_t> max_price;
  bool in_stock = false;          // true: only stock > 0
  std::optional<bool> is_active;  // nullopt: active and inactive
  std::optional<std::string> q;   // case-insensitive substring of name, description or sku
  Sort sort = Sort::kId;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

struct Stats {
  std::int64_t total_products = 0;  // live (not deleted)
  std::int64_t active_products = 0;
  std::int64_t out_of_stock = 0;      // active with stock 0
  std::int64_t low_stock = 0;         // active with 0 < stock <= threshold
  std::int64_t total_stock = 0;       // over live products
  std::int64_t average_price = 0;     // integer mean over active products
  std::int64_t total_categories = 0;  // distinct categories of active products
  std::map<std::string, std::int64_t> products_by_category;  // active products per category
};

struct CategoryCount {
  std::string name;
  std::int64_t count = 0;
};

}  // namespace fo::product::domain
