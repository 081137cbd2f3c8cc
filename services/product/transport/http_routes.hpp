#pragma once
#include "platform/http/router.hpp"
#include "services/product/app/administration.hpp"
#include "services/product/app/catalog.hpp"
#include "services/product/app/favorites.hpp"

namespace fo::product::transport {

struct UseCases {
  app::Catalog& catalog;
  app::Administration& admin;
  app::Favorites& favorites;
};

// Public: the catalog, one product, stats and categories (admins also see inactive products).
void AddCatalogRoutes(http::Router& router, UseCases& use_cases);
// Signed-in users: their favorites.
void AddFavoriteRoutes(http::Router& router, UseCases& use_cases);
// Admins: create, replace, update, delete.
void AddAdminRoutes(http::Router& router, UseCases& use_cases);

}  // namespace fo::product::transport
