#include "services/product/domain/rules.hpp"

#include <algorithm>

namespace fo::product::domain {
namespace {

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return IsControl(static_cast<unsigned char>(c)); });
}

bool IsSkuChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// The number in text[at, at + digits), or -1 when a character there is not a digit.
int Digits(std::string_view text, std::size_t at, std::size_t digits) {
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

void Check(std::vector<FieldError>& errors, const char* field, std::optional<std::string> problem) {
  if (problem) errors.push_back({field, std::move(*problem)});
}

}  // namespace

std::optional<std::string> CheckName(std::string_view name) {
  const auto length = CodePoints(name);
  if (length < kNameMin) return "must not be empty";
  if (length > kNameMax) return "must be at most 200 characters";
  if (name.find_first_not_of(' ') == std::string_view::npos) return "must not be blank";
  if (HasControl(name)) return "must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> CheckSku(std::string_view sku) {
  if (sku.size() < kSkuMin) return "must not be empty";
  if (sku.size() > kSkuMax) return "must be at most 64 characters";
  if (!std::all_of(sku.begin(), sku.end(), IsSkuChar)) {
    return "may contain only A-Z, a-z, 0-9, '.', '_' and '-'";
  }
  return std::nullopt;
}

std::optional<std::string> CheckPrice(std::int64_t price) {
  if (price < 0 || price > kPriceMax) return "must be between 0 and 1000000000000";
  return std::nullopt;
}

std::optional<std::string> CheckCurrency(std::string_view currency) {
  if (currency.size() != 3 ||
      !std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return "must be a three-letter ISO 4217 code in capitals";
  }
  return std::nullopt;
}

std::optional<std::string> CheckCategory(std::string_view category) {
  if (CodePoints(category) > kCategoryMax) return "must be at most 100 characters";
  if (HasControl(category)) return "must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> CheckDescription(std::string_view description) {
  if (CodePoints(description) > kDescriptionMax) return "must be at most 5000 characters";
  return std::nullopt;
}

std::optional<std::string> CheckTimestamp(std::string_view t) {
  // yyyy-mm-ddThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)
  static constexpr std::string_view kProblem = "must be an RFC 3339 date-time with a zone";
  const int year = Digits(t, 0, 4), month = Digits(t, 5, 2), day = Digits(t, 8, 2);
  const int hour = Digits(t, 11, 2), minute = Digits(t, 14, 2), second = Digits(t, 17, 2);
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':' || year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 ||
      day > DaysInMonth(year, month)) {
    return std::string(kProblem);
  }
  std::size_t at = 19;
  if (t[at] == '.') {
    const std::size_t start = ++at;
    while (at < t.size() && t[at] >= '0' && t[at] <= '9') ++at;
    if (at == start) return std::string(kProblem);
  }
  const auto zone = t.substr(at);
  if (zone == "Z" || zone == "z") return std::nullopt;
  const bool offset = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':';
  const int zone_hour = Digits(zone, 1, 2), zone_minute = Digits(zone, 4, 2);
  if (!offset || zone_hour < 0 || zone_hour > 23 || zone_minute < 0 || zone_minute > 59) {
    return std::string(kProblem);
  }
  return std::nullopt;
}

std::vector<FieldError> Validate(const ProductFields& fields) {
  std::vector<FieldError> errors;
  Check(errors, "name", CheckName(fields.name));
  Check(errors, "description", CheckDescription(fields.description));
  Check(errors, "price", CheckPrice(fields.price));
  Check(errors, "currency", CheckCurrency(fields.currency));
  Check(errors, "category", CheckCategory(fields.category));
  Check(errors, "sku", CheckSku(fields.sku));
  return errors;
}

std::vector<FieldError> Validate(const ProductChanges& changes) {
  std::vector<FieldError> errors;
  if (changes.name) Check(errors, "name", CheckName(*changes.name));
  if (changes.description) Check(errors, "description", CheckDescription(*changes.description));
  if (changes.price) Check(errors, "price", CheckPrice(*changes.price));
  if (changes.currency) Check(errors, "currency", CheckCurrency(*changes.currency));
  if (changes.category) Check(errors, "category", CheckCategory(*changes.category));
  if (changes.sku) Check(errors, "sku", CheckSku(*changes.sku));
  return errors;
}

std::vector<FieldError> Validate(const ProductFilter& filter) {
  std::vector<FieldError> errors;
  if (filter.category) Check(errors, "category", CheckCategory(*filter.category));
  if (filter.min_price && (*filter.min_price < 0 || *filter.min_price > kPriceMax)) {
    errors.push_back({"min_price", "must be between 0 and 1000000000000"});
  }
  if (filter.max_price && (*filter.max_price < 0 || *filter.max_price > kPriceMax)) {
    errors.push_back({"max_price", "must be between 0 and 1000000000000"});
  }
  if (filter.min_price && filter.max_price && *filter.min_price > *filter.max_price) {
    errors.push_back({"min_price", "must not be greater than max_price"});
  }
  if (filter.q && CodePoints(*filter.q) > kSearchMax) {
    errors.push_back({"q", "must be at most 100 characters"});
  }
  if (filter.limit < 1 || filter.limit > 100) {
    errors.push_back({"limit", "must be between 1 and 100"});
  }
  if (filter.offset < 0) errors.push_back({"offset", "must not be negative"});
  return errors;
}

std::optional<Sort> ParseSort(std::string_view text) {
  if (text == "price") return Sort::kPrice;
  if (text == "-price") return Sort::kPriceDesc;
  if (text == "name") return Sort::kName;
  if (text == "created_at") return Sort::kCreatedAt;
  if (text == "-created_at") return Sort::kCreatedAtDesc;
  return std::nullopt;
}

std::string_view ToString(Sort sort) {
  switch (sort) {
    case Sort::kPrice:
      return "price";
    case Sort::kPriceDesc:
      return "-price";
    case Sort::kName:
      return "name";
    case Sort::kCreatedAt:
      return "created_at";
    case Sort::kCreatedAtDesc:
      return "-created_at";
    case Sort::kId:
      break;
  }
  return "id";
}

}  // namespace fo::product::domain
