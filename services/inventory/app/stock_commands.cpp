#include "services/inventory/app/stock_commands.hpp"

#include "platform/errors/error.hpp"

namespace fo::inventory::app {
namespace {

void ThrowIfAny(std::vector<FieldError> errors) {
  if (errors.empty()) return;
  std::string detail = "invalid fields:";
  for (const auto& e : errors) detail += " " + e.field + " " + e.message + ";";
  detail.pop_back();
  throw InvalidArgument(std::move(detail), std::move(errors));
}

std::string Units(std::int64_t n) { return std::to_string(n) + (n == 1 ? " unit" : " units"); }

}  // namespace

Task<StockItem> StockCommands::Create(const Context& ctx, CreateStock command) {
  std::vector<FieldError> errors;
  if (command.product_id <= 0) errors.push_back({"product_id", "must be a positive integer"});
  if (command.quantity < 0 || command.quantity > domain::kMaxOnHand) {
    errors.push_back({"quantity", "must be between 0 and 1000000000"});
  }
  const std::string location = command.location.value_or(std::string(domain::kDefaultLocation));
  if (auto problem = domain::CheckLocation(location)) errors.push_back({"location", *problem});
  ThrowIfAny(std::move(errors));

  const bool exists = co_await catalog_.Exists(ctx, command.product_id);
  if (!exists) {
    throw Error(ErrorKind::kUnprocessable,
                "product_id " + std::to_string(command.product_id) + " is not in the catalog",
                {{"product_id", "does not name an existing product"}});
  }
  NewStock stock{command.product_id, location, command.quantity, std::move(command.actor)};
  co_return co_await stock_.Create(ctx, std::move(stock));
}

Task<StockItem> StockCommands::PickRow(const Context& ctx, std::int64_t product_id,
                                       const std::optional<std::string>& location) {
  auto rows = co_await stock_.ForProduct(ctx, product_id);
  if (rows.empty()) {
    throw NotFound("product " + std::to_string(product_id) + " has no stock records");
  }
  if (location) {
    for (auto& row : rows) {
      if (row.location == *location) co_return std::move(row);
    }
    throw NotFound("product " + std::to_string(product_id) + " has no stock at location '" +
                   *location + "'");
  }
  if (rows.size() > 1) {
    throw Error(ErrorKind::kUnprocessable,
                "product " + std::to_string(product_id) + " is stocked at " +
                    std::to_string(rows.size()) + " locations: name the location",
                {{"location", "is required when the product has several locations"}});
  }
  co_return std::move(rows.front());
}

Task<StockItem> StockCommands::Change(const Context& ctx, ChangeQuantity command) {
  std::vector<FieldError> errors;
  if (command.quantity.has_value() == command.delta.has_value()) {
    errors.push_back({"quantity", "give exactly one of quantity (absolute) or delta (relative)"});
  }
  if (command.quantity && (*command.quantity < 0 || *command.quantity > domain::kMaxOnHand)) {
    errors.push_back({"quantity", "must be between 0 and 1000000000"});
  }
  if (command.delta && (*command.delta == 0 || *command.delta < -domain::kMaxOnHand ||
                        *command.delta > domain::kMaxOnHand)) {
    errors.push_back({"delta", "must be a non-zero integer between -1000000000 and 1000000000"});
  }
  if (command.location) {
    if (auto problem = domain::CheckLocation(*command.location)) {
      errors.push_back({"location", *problem});
    }
  }
  if (command.reason) {
    if (auto problem = domain::CheckReason(*command.reason)) errors.push_back({"reason", *problem});
  }
  std::optional<std::int64_t> expected_version;
  if (command.quantity && command.if_match) {
    expected_version = domain::ParseIfMatch(*command.if_match);
    if (!expected_version) {
      errors.push_back({"If-Match", "must be one entity tag \"<version>\" of the stock row"});
    }
  }
  ThrowIfAny(std::move(errors));
  if (command.quantity && !command.if_match) {
    throw PreconditionRequired(
        "setting an absolute quantity needs If-Match: \"<version>\" of the stock row (GET it "
        "first), or send a relative delta");
  }

  const auto row = co_await PickRow(ctx, command.product_id, command.location);
  const std::string reason = command.reason.value_or("");
  StockChange change;
  if (command.quantity) {
    change = co_await stock_.SetOnHand(ctx, row.id, *expected_version, *command.quantity,
                                       command.actor, reason);
  } else {
    change = co_await stock_.AdjustOnHand(ctx, row.id, *command.delta, command.actor, reason);
  }
  if (change.changed) co_return *change.changed;
  if (!change.current) throw NotFound("stock item " + std::to_string(row.id) + " does not exist");
  const auto& now = *change.current;
  if (command.quantity && now.version != *expected_version) {
    throw PreconditionFailed("the stock row changed: If-Match names version " +
                             std::to_string(*expected_version) + ", the current version is " +
                             std::to_string(now.version) + " (ETag " + domain::ETagOf(now.version) +
                             ")");
  }
  throw Conflict("on_hand cannot go below the " + Units(now.reserved) + " reserved: on_hand is " +
                 std::to_string(now.on_hand) + ", available is " + Units(now.Available()));
}

}  // namespace fo::inventory::app
