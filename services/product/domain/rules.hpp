#pragma once
// Field rules for products; each returns the problem with a value, or nullopt when it is fine.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/errors/error.hpp"
#include "services/product/domain/product.hpp"

namespace fo::product::domain {

inline constexpr std::size_t kNameMin = 1, kNameMax = 200;
inline constexpr std::size_t kSkuMin = 1, kSkuMax = 64;
inline constexpr std::size_t kCategoryMax = 100;
inline constexpr std::size_t kDescriptionMax = 5000;
inline constexpr std::size_t kSearchMax = 100;
inline constexpr std::int64_t kPriceMax = 1'000'000'000'000;  // 10^12 minor units
inline constexpr std::int64_t kMaxBatch = 100;                // ids per GetProducts call

std::optional<std::string> CheckName(std::string_view name);
std::optional<std::string> CheckSku(std::string_view sku);
std::optional<std::string> CheckPrice(std::int64_t price);
std::optional<std::string> CheckCurrency(std::string_view currency);
std::optional<std::string> CheckCategory(std::string_view category);
std::optional<std::string> CheckDescription(std::string_view description);
// An RFC 3339 date-time with a zone (Z or +hh:mm), e.g. 2026-11-25T15:32:15.123Z.
std::optional<std::string> CheckTimestamp(std::string_view text);

// Every problem of a full set of fields, named by field.
std::vector<FieldError> Validate(const ProductFields& fields);
// Every problem of the fields a partial update sets.
std::vector<FieldError> Validate(const ProductChanges& changes);
// Problems of a catalog query (min_price above max_price, an over-long search, ...).
std::vector<FieldError> Validate(const ProductFilter& filter);

// "price", "-price", "name", "created_at", "-created_at"; nullopt for anything else.
std::optional<Sort> ParseSort(std::string_view text);
std::string_view ToString(Sort sort);

}  // namespace fo::product::domain
