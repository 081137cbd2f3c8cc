#pragma once
// In-memory ports for use-case tests.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "platform/errors/error.hpp"
#include "services/payment/app/ports.hpp"

namespace fo::payment::testing {

using app::Task;

class FakeUsers final : public app::UserDirectory {
 public:
  std::map<std::int64_t, app::UserStatus> users;
  bool down = false;
  int calls = 0;
  Task<app::UserStatus> Validate(const Context&, std::int64_t id) override {
    ++calls;
    if (down) throw Unavailable("users down");
    auto it = users.find(id);
    co_return it == users.end() ? app::UserStatus() : it->second;
  }
};

class FakeCatalog final : public app::ProductCatalog {
 public:
  std::map<std::int64_t, app::Product> products;
  bool down = false;
  Task<std::optional<app::Product>> Find(const Context&, std::int64_t id) override {
    if (down) throw Unavailable("catalog down");
    auto it = products.find(id);
    if (it == products.end()) co_return std::nullopt;
    co_return it->second;
  }
};

class FakeInventory final : public app::Inventory {
 public:
  std::map<std::int64_t, std::int64_t> available;  // product -> units
  std::map<std::string, app::HoldState> holds;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> lines;  // id -> product, qty
  bool down = false;
  bool release_down = false;
  std::vector<std::string> released;

  Task<app::Hold> Reserve(const Context&, const std::string& id, std::int64_t product,
                          std::int64_t quantity, std::chrono::seconds) override {
    if (down) throw Unavailable("inventory down");
    app::Hold hold;
    if (auto it = holds.find(id); it != holds.end()) {
      hold.state = it->second;
      co_return hold;
    }
    if (available[product] < quantity) {
      hold.state = app::HoldState::kRejected;
      hold.available = available[product];
    } else {
      available[product] -= quantity;
      hold.state = app::HoldState::kHeld;
      lines[id] = {product, quantity};
    }
    holds[id] = hold.state;
    co_return hold;
  }
  Task<void> Release(const Context&, const std::string& id) override {
    if (down || release_down) throw Unavailable("inventory down");
    released.push_back(id);
    auto it = holds.find(id);
    if (it != holds.end() && it->second == app::HoldState::kHeld) {
      it->second = app::HoldState::kGone;
      available[lines[id].first] += lines[id].second;
    }
    co_return;
  }
};

class FakeProvider final : public app::PaymentProvider {
 public:
  std::map<std::string, app::ChargeResult> ledger;
  bool down = false;
  int charges = 0;
  int next = 1;

  Task<app::ChargeResult> Charge(const Context&, const app::ChargeRequest& request) override {
    ++charges;
    if (down || request.payment_method == "test_unavailable") throw Unavailable("provider down");
    if (auto it = ledger.find(request.payment_id); it != ledger.end()) co_return it->second;
    app::ChargeResult charge;
    charge.status = request.payment_method == "test_decline" ? app::ChargeStatus::kDeclined
                                                             : app::ChargeStatus::kCharged;
    charge.transaction_id = "txn-" + std::to_string(next++);
    ledger[request.payment_id] = charge;
    co_return charge;
  }
  Task<std::optional<app::ChargeResult>> Lookup(const Context&, const std::string& id) override {
    if (down) throw Unavailable("provider down");
    auto it = ledger.find(id);
    if (it == ledger.end()) co_return std::nullopt;
    co_return it->second;
  }
  Task<void> Refund(const Context&, const std::string& id) override {
    if (down) throw Unavailable("provider down");
    auto it = ledger.find(id);
    if (it == ledger.end() || it->second.status == app::ChargeStatus::kDeclined) {
      throw Conflict("nothing charged");
    }
    it->second.status = app::ChargeStatus::kRefunded;
    co_return;
  }
};

struct FakeKey {
  std::string hash;
  bool done = false;
  app::StoredResponse response;
  std::optional<std::string> payment_id;
  bool stale = false;  // older than any threshold (for the recovery job)
};

class FakePayments final : public app::PaymentRepository {
 public:
  std::map<std::pair<std::int64_t, std::string>, FakeKey> keys;
  std::map<std::string, app::Payment> payments;
  std::set<std::string> stale;  // pending payments the recovery job may settle
  std::vector<std::pair<std::string, std::string>> events;  // payment id, type
  bool down = false;
  bool fail_moves = false;
  bool recovery_fails_first = false;  // the recovery job fails the payment before completion
  int tick = 0;

  Task<app::Claim> ClaimKey(const Context&, const app::KeyRef& key,
                            const std::string& hash) override {
    if (down) throw Unavailable("db down");
    app::Claim claim;
    auto [it, inserted] = keys.try_emplace({key.user_id, key.key});
    if (inserted) {
      it->second.hash = hash;
      co_return claim;
    }
    if (it->second.hash != hash) {
      claim.kind = app::ClaimKind::kMismatch;
    } else if (it->second.done) {
      claim.kind = app::ClaimKind::kReplay;
      claim.response = it->second.response;
    } else {
      claim.kind = app::ClaimKind::kInFlight;
    }
    co_return claim;
  }
  Task<void> FinishKey(const Context&, const app::KeyRef& key,
                       const app::StoredResponse& response) override {
    auto& k = keys.at({key.user_id, key.key});
    k.done = true;
    k.response = response;
    co_return;
  }
  Task<void> DeleteKey(const Context&, const app::KeyRef& key) override {
    auto it = keys.find({key.user_id, key.key});
    if (it != keys.end() && !it->second.done) keys.erase(it);
    co_return;
  }
  Task<app::Payment> InsertPending(const Context&, const app::Payment& payment,
                                   const app::KeyRef& key) override {
    auto it = keys.find({key.user_id, key.key});
    if (it == keys.end() || it->second.done) throw Conflict("key gone");
    it->second.payment_id = payment.id;
    auto stored = payment;
    stored.created_at = stored.updated_at = "t" + std::to_string(tick++);
    payments[payment.id] = stored;
    co_return stored;
  }
  app::Payment Apply(const std::string& id, const app::Change& change,
                     const app::Respond& respond) {
    auto& p = payments.at(id);
    domain::CheckMove(p.status, change.to);
    p.status = change.to;
    if (change.transaction_id) p.transaction_id = change.transaction_id;
    if (change.failure_reason) p.failure_reason = change.failure_reason;
    p.updated_at = "t" + std::to_string(tick++);
    events.emplace_back(id, std::string(domain::ToString(change.to)));
    auto response = respond(p);
    for (auto it = keys.begin(); it != keys.end();) {
      if (it->second.payment_id == id && !it->second.done) {
        if (response) {
          it->second.done = true;
          it->second.response = *response;
        } else {
          it = keys.erase(it);
          continue;
        }
      }
      ++it;
    }
    return p;
  }
  Task<app::Payment> Move(const Context&, const std::string& id, const app::Change& change,
                          const app::Respond& respond) override {
    if (down || fail_moves) throw Unavailable("db down");
    if (!payments.contains(id)) throw NotFound("no payment");
    if (recovery_fails_first && change.to == app::Status::kCompleted) {
      app::Change failed;
      failed.failure_reason = "interrupted";
      Apply(id, failed, [](const app::Payment&) { return std::optional<app::StoredResponse>(); });
    }
    co_return Apply(id, change, respond);
  }
  Task<bool> SettleStale(const Context&, std::chrono::seconds, const app::Decide& decide,
                         const app::Respond& respond) override {
    for (const auto& id : stale) {
      if (payments.at(id).status != app::Status::kPending) continue;
      const auto change = co_await decide(payments.at(id));
      Apply(id, change, respond);
      co_return true;
    }
    co_return false;
  }
  Task<std::int64_t> DropAbandonedKeys(const Context&, std::chrono::seconds) override {
    std::int64_t dropped = 0;
    for (auto it = keys.begin(); it != keys.end();) {
      if (it->second.stale && !it->second.done && !it->second.payment_id) {
        it = keys.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
    co_return dropped;
  }
  Task<std::int64_t> PurgeKeys(const Context&, std::chrono::hours) override { co_return 0; }
  Task<std::optional<app::Payment>> Find(const Context&, const std::string& id) override {
    if (down) throw Unavailable("db down");
    auto it = payments.find(id);
    if (it == payments.end()) co_return std::nullopt;
    co_return it->second;
  }
  Task<app::PaymentPage> List(const Context&, const app::PaymentFilter& filter) override {
    app::PaymentPage page;
    for (auto& [id, p] : payments) {
      if (filter.user_id && p.user_id != *filter.user_id) continue;
      if (filter.status && p.status != *filter.status) continue;
      page.items.push_back(p);
    }
    page.total = static_cast<std::int64_t>(page.items.size());
    co_return page;
  }

  app::Payment Only() const {
    EXPECT_EQ(payments.size(), 1u);
    return payments.begin()->second;
  }
};

class FakeResponses final : public app::Responses {
 public:
  app::StoredResponse Created(const app::Payment& p) const override {
    return {201, "payment " + p.id + " " + std::string(domain::ToString(p.status))};
  }
  app::StoredResponse Problem(const Context& /*ctx*/, int status, std::string_view detail,
                              std::optional<std::int64_t> available) const override {
    std::string body = std::to_string(status) + " " + std::string(detail);
    if (available) body += " available=" + std::to_string(*available);
    return {status, body};
  }
};

class FakeMetrics final : public app::PaymentMetrics {
 public:
  std::map<std::string, int> counts;
  std::map<std::string, int> outcomes;
  void Count(app::Status status) override { counts[std::string(domain::ToString(status))]++; }
  void SagaFinished(std::string_view outcome, std::chrono::duration<double>) override {
    outcomes[std::string(outcome)]++;
  }
};

}  // namespace fo::payment::testing
