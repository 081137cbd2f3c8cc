#pragma once
// The catalog list as SQL: a pure function from a filter to the page and count statements, so
// the exact text the repository runs can be unit-tested and EXPLAINed. Every user value is a
// bind parameter; the text only varies with which filters are present and the sort, so each
// shape is prepared once per connection.
#include <string>

#include "platform/pg/types.hpp"
#include "services/product/domain/product.hpp"

namespace fo::product::adapters {

struct ListQuery {
  std::string page_name;  // prepared-statement names, unique per SQL text
  std::string page_sql;
  pg::Params page_params;
  std::string count_name;
  std::string count_sql;
  pg::Params count_params;
};

ListQuery BuildListQuery(const domain::ProductFilter& filter);

// q as an ILIKE pattern matching it anywhere, with the wildcards % _ and \ escaped.
std::string ContainsPattern(const std::string& q);

}  // namespace fo::product::adapters
