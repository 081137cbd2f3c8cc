#pragma once
#include "platform/http/router.hpp"
#include "services/inventory/app/stock_commands.hpp"
#include "services/inventory/app/stock_queries.hpp"

namespace fo::inventory::transport {

struct UseCases {
  app::StockQueries& queries;
  app::StockCommands& commands;
};

// /api/inventory...: reads for any signed-in user, changes for admins.
void AddStockRoutes(http::Router& router, UseCases& use_cases);

}  // namespace fo::inventory::transport
