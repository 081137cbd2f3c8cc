#pragma once
// In-memory ports for use-case tests.
#include <algorithm>
#include <map>
#include <set>

#include "platform/errors/error.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::testing {

using app::Task;

class FakeStock final : public app::StockRepository {
 public:
  std::map<std::int64_t, app::StockItem> rows;
  std::int64_t next_id = 1;
  std::vector<std::string> actors;  // who changed what, in order

  Task<app::StockItem> Create(const Context&, app::NewStock s) override {
    for (auto& [id, row] : rows) {
      if (row.product_id == s.product_id && row.location == s.location) throw Conflict("dup");
    }
    app::StockItem item{next_id++, s.product_id, s.location, s.on_hand, 0, 1, "t", "t"};
    rows[item.id] = item;
    actors.push_back(s.actor);
    co_return item;
  }
  Task<std::optional<app::StockItem>> Find(const Context&, std::int64_t id) override {
    auto it = rows.find(id);
    if (it == rows.end()) co_return std::nullopt;
    co_return it->second;
  }
  Task<app::StockPage> List(const Context&, std::int64_t, std::int64_t) override {
    app::StockPage page;
    for (auto& [id, row] : rows) page.items.push_back(row);
    page.total = static_cast<std::int64_t>(rows.size());
    co_return page;
  }
  Task<std::vector<app::StockItem>> ForProduct(const Context&, std::int64_t product) override {
    std::vector<app::StockItem> out;
    for (auto& [id, row] : rows) {
      if (row.product_id == product) out.push_back(row);
    }
    co_return out;
  }
  Task<std::map<std::int64_t, std::int64_t>> Available(
      const Context&, const std::vector<std::int64_t>& ids) override {
    std::map<std::int64_t, std::int64_t> out;
    for (auto& [id, row] : rows) {
      if (std::find(ids.begin(), ids.end(), row.product_id) != ids.end()) {
        out[row.product_id] += row.Available();
      }
    }
    co_return out;
  }
  Task<app::StockChange> SetOnHand(const Context&, std::int64_t id, std::int64_t version,
                                   std::int64_t on_hand, const std::string& actor,
                                   const std::string&) override {
    app::StockChange change;
    auto it = rows.find(id);
    if (it == rows.end()) co_return change;
    auto& row = it->second;
    if (row.version == version && on_hand >= row.reserved) {
      row.on_hand = on_hand;
      ++row.version;
      actors.push_back(actor);
      change.changed = row;
    } else {
      change.current = row;
    }
    co_return change;
  }
  Task<app::StockChange> AdjustOnHand(const Context&, std::int64_t id, std::int64_t delta,
                                      const std::string& actor, const std::string&) override {
    app::StockChange change;
    auto it = rows.find(id);
    if (it == rows.end()) co_return change;
    auto& row = it->second;
    if (row.on_hand + delta >= row.reserved) {
      row.on_hand += delta;
      ++row.version;
      actors.push_back(actor);
      change.changed = row;
    } else {
      change.current = row;
    }
    co_return change;
  }
};

class FakeCatalog final : public app::ProductCatalog {
 public:
  std::set<std::int64_t> products;
  bool down = false;
  int calls = 0;
  Task<bool> Exists(const Context&, std::int64_t id) override {
    ++calls;
    if (down) throw Unavailable("catalog down");
    co_return products.contains(id);
  }
};

// Reservations in memory over FakeStock's rows (one location per product is enough here).
class FakeReservations final : public app::ReservationStore {
 public:
  struct Stored {
    app::HoldOutcome outcome;
    std::vector<domain::Line> lines;
    bool past_expiry = false;
  };
  explicit FakeReservations(FakeStock& stock) : stock_(stock) {}
  std::map<std::string, Stored> reservations;
  app::HoldRequest last_request;

  Task<app::HoldOutcome> Hold(const Context&, const app::HoldRequest& request) override {
    last_request = request;
    if (auto it = reservations.find(request.reservation_id); it != reservations.end()) {
      auto out = it->second.outcome;
      out.replayed = true;
      out.past_expiry = it->second.past_expiry;
      co_return out;
    }
    app::HoldOutcome out;
    out.items = request.items;
    for (const auto& line : request.lines) {
      auto* row = RowOf(line.product_id);
      const auto available = row ? row->Available() : 0;
      if (available < line.quantity) {
        out.shortages.push_back({line.product_id, line.quantity, available});
      }
    }
    if (out.shortages.empty()) {
      for (const auto& line : request.lines) RowOf(line.product_id)->reserved += line.quantity;
      out.state = app::ReservationState::kHeld;
      out.expires_at = "in " + std::to_string(request.ttl.count()) + "s";
    }
    reservations[request.reservation_id] = {out, request.lines, false};
    co_return out;
  }
  Task<app::TransitionOutcome> Commit(const Context&, const std::string& id) override {
    co_return Move(id, true);
  }
  Task<app::TransitionOutcome> Release(const Context&, const std::string& id) override {
    co_return Move(id, false);
  }
  Task<int> ExpireDue(const Context&, int batch) override {
    int n = 0;
    for (auto& [id, r] : reservations) {
      if (n < batch && r.outcome.state == app::ReservationState::kHeld && r.past_expiry) {
        Free(r, app::ReservationState::kExpired);
        ++n;
      }
    }
    co_return n;
  }

 private:
  app::StockItem* RowOf(std::int64_t product) {
    for (auto& [id, row] : stock_.rows) {
      if (row.product_id == product) return &row;
    }
    return nullptr;
  }
  void Free(Stored& r, app::ReservationState state) {
    for (const auto& line : r.lines) RowOf(line.product_id)->reserved -= line.quantity;
    r.outcome.state = state;
  }
  app::TransitionOutcome Move(const std::string& id, bool commit) {
    app::TransitionOutcome out;
    auto it = reservations.find(id);
    if (it == reservations.end()) return out;
    auto& r = it->second;
    out.found = true;
    out.before = r.outcome.state;
    out.decision = commit ? domain::DecideCommit(r.outcome.state, r.past_expiry)
                          : domain::DecideRelease(r.outcome.state, r.past_expiry);
    if (out.decision == domain::Transition::kApply) {
      if (commit) {
        for (const auto& line : r.lines) {
          RowOf(line.product_id)->reserved -= line.quantity;
          RowOf(line.product_id)->on_hand -= line.quantity;
        }
        r.outcome.state = app::ReservationState::kCommitted;
      } else {
        Free(r, app::ReservationState::kReleased);
      }
    } else if (out.decision == domain::Transition::kExpireThenFail) {
      Free(r, app::ReservationState::kExpired);
    }
    return out;
  }

  FakeStock& stock_;
};

class FakeMetrics final : public app::ReservationMetrics {
 public:
  std::map<std::string, std::int64_t> counts;
  void Count(std::string_view outcome, std::int64_t n) override {
    counts[std::string(outcome)] += n;
  }
};

}  // namespace fo::inventory::testing
