// The PostgreSQL adapters against the private test database (started by `make test`): key
// claims, the payment state machine with its outbox rows and key settlement, the recovery scan,
// lists, and the simulated provider's idempotent ledger.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "events/v1/events.pb.h"
#include "platform/ids/uuid.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/testing/run.hpp"
#include "services/payment/adapters/pg_payment_repository.hpp"
#include "services/payment/adapters/simulated_provider.hpp"
#include "services/payment/migrations.hpp"

namespace fo::payment::adapters {
namespace {
namespace asio = boost::asio;
using app::Task;
using domain::Status;
using namespace std::chrono_literals;

Context Ctx() {
  Context ctx;
  ctx.deadline = std::chrono::steady_clock::now() + 20s;
  return ctx;
}

std::optional<app::StoredResponse> Store201(const app::Payment& p) {
  return app::StoredResponse{201, "body of " + p.id};
}
std::optional<app::StoredResponse> FreeKey(const app::Payment&) { return std::nullopt; }

class PgPaymentTest : public ::testing::Test {
 protected:
  PgPaymentTest() : pool_(io_.get_executor(), Options()) {
    Run(pg::Migrate(pool_, messaging::WithMessagingMigrations(Migrations()), "payment-service"));
    Exec("TRUNCATE payments, idempotency_keys, provider_charges, outbox CASCADE");
  }

  static pg::PoolOptions Options() {
    pg::PoolOptions o;
    o.url = fo::testing::RequiredEnv("FO_TEST_PAYMENT_DATABASE_URL");
    o.max_size = 8;
    return o;
  }
  template <typename T>
  T Run(asio::awaitable<T> work) {
    return fo::testing::RunIn(io_, std::move(work));
  }
  pg::Result Exec(std::string sql) {
    return Run(pool_.Transaction(Ctx(), [sql = std::move(sql)](pg::Tx& tx) -> Task<pg::Result> {
      co_return co_await tx.Query(sql);
    }));
  }
  std::int64_t Scalar(std::string sql) { return Exec(std::move(sql))[0].Int(0); }

  app::Claim Claim(std::int64_t user, std::string key, std::string hash = "h1") {
    return Run(repo_.ClaimKey(Ctx(), {user, std::move(key)}, hash));
  }
  app::Payment Pending(std::int64_t user, std::string key, std::int64_t product = 10) {
    EXPECT_EQ(Claim(user, key).kind, app::ClaimKind::kClaimed);
    app::Payment p;
    p.id = ids::NewUuidV7();
    p.user_id = user;
    p.product_id = product;
    p.quantity = 2;
    p.amount = 500;
    p.currency = "USD";
    p.payment_method = "card";
    return Run(repo_.InsertPending(Ctx(), p, {user, std::move(key)}));
  }
  app::Payment Move(const std::string& id, Status to, const app::Respond& respond = Store201) {
    app::Change change;
    change.to = to;
    if (to != Status::kFailed) change.transaction_id = "txn-" + id;
    if (to == Status::kFailed) change.failure_reason = "declined";
    return Run(repo_.Move(Ctx(), id, change, respond));
  }

  asio::io_context io_;
  pg::Pool pool_;
  PgPaymentRepository repo_{pool_};
};

TEST_F(PgPaymentTest, MigrationsAppliedTwiceAreANoOp) {
  EXPECT_EQ(
      Run(pg::Migrate(pool_, messaging::WithMessagingMigrations(Migrations()), "payment-service")),
      0);
}

TEST_F(PgPaymentTest, KeysAreClaimedOncePerUserAndReplayOnlyTheSameRequest) {
  EXPECT_EQ(Claim(1, "k").kind, app::ClaimKind::kClaimed);
  EXPECT_EQ(Claim(1, "k").kind, app::ClaimKind::kInFlight);
  EXPECT_EQ(Claim(1, "k", "h2").kind, app::ClaimKind::kMismatch);
  EXPECT_EQ(Claim(2, "k").kind, app::ClaimKind::kClaimed);  // keys are per user
  Run(repo_.FinishKey(Ctx(), {1, "k"}, {404, "{\"x\":1}"}));
  auto replay = Claim(1, "k");
  EXPECT_EQ(replay.kind, app::ClaimKind::kReplay);
  EXPECT_EQ(replay.response, (app::StoredResponse{404, "{\"x\":1}"}));
  EXPECT_EQ(Claim(1, "k", "h2").kind, app::ClaimKind::kMismatch);
  // A deleted (given up) key may be claimed again; a finished one is never deleted.
  Run(repo_.DeleteKey(Ctx(), {2, "k"}));
  EXPECT_EQ(Claim(2, "k").kind, app::ClaimKind::kClaimed);
  Run(repo_.DeleteKey(Ctx(), {1, "k"}));
  EXPECT_EQ(Claim(1, "k").kind, app::ClaimKind::kReplay);
}

TEST_F(PgPaymentTest, ParallelClaimsOfOneKeyHaveOneWinner) {
  // Its own io_context and pool, run by 4 threads until every claim is answered.
  asio::io_context io;
  pg::Pool pool(io.get_executor(), Options());
  PgPaymentRepository repo(pool);
  std::atomic<int> claimed{0};
  std::vector<std::future<void>> done;
  done.reserve(20);
  const app::KeyRef key{7, "same"};
  for (int i = 0; i < 20; ++i) {
    done.push_back(asio::co_spawn(
        io,
        [&]() -> Task<void> {
          auto claim = co_await repo.ClaimKey(Ctx(), key, "h");
          if (claim.kind == app::ClaimKind::kClaimed) claimed++;
        },
        asio::use_future));
  }
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) threads.emplace_back([&io] { io.run(); });
  for (auto& t : threads) t.join();
  for (auto& f : done) f.get();
  EXPECT_EQ(claimed.load(), 1);
}

TEST_F(PgPaymentTest, CompletionWritesStatusEventAndKeyInOneGo) {
  auto p = Pending(1, "k");
  EXPECT_EQ(p.status, Status::kPending);
  EXPECT_EQ(p.created_at.size(), 27u);
  auto done = Move(p.id, Status::kCompleted);
  EXPECT_EQ(done.status, Status::kCompleted);
  EXPECT_EQ(done.transaction_id, "txn-" + p.id);
  auto replay = Claim(1, "k");
  EXPECT_EQ(replay.kind, app::ClaimKind::kReplay);
  EXPECT_EQ(replay.response.body, "body of " + p.id);
  auto rows = Exec("SELECT topic, key, type, payload FROM outbox ORDER BY seq");
  ASSERT_EQ(rows.Rows(), 1);
  EXPECT_EQ(rows[0].String(0), "payment.events");
  EXPECT_EQ(rows[0].String(1), p.id);
  EXPECT_EQ(rows[0].String(2), "fo.events.v1.ProductPurchased");
  auto event = EventOf(done);
  events::v1::ProductPurchased purchased;
  ASSERT_TRUE(purchased.ParseFromString(event.payload));
  EXPECT_EQ(purchased.payment_id(), p.id);
  EXPECT_EQ(purchased.amount(), 500);
  EXPECT_EQ(purchased.quantity(), 2);
  EXPECT_EQ(purchased.transaction_id(), "txn-" + p.id);
}

TEST_F(PgPaymentTest, TheStateMachineIsEnforcedUnderTheRowLock) {
  auto p = Pending(1, "k");
  Move(p.id, Status::kFailed, FreeKey);
  EXPECT_EQ(Claim(1, "k").kind, app::ClaimKind::kClaimed);  // freed
  try {
    Move(p.id, Status::kCompleted);
    FAIL() << "failed -> completed must conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE type = 'fo.events.v1.PaymentFailed'"), 1);
  auto q = Pending(1, "k2");
  Move(q.id, Status::kCompleted);
  EXPECT_EQ(Move(q.id, Status::kRefunded, FreeKey).status, Status::kRefunded);
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE type = 'fo.events.v1.PaymentRefunded'"), 1);
  EXPECT_EQ(Run(repo_.Find(Ctx(), q.id))->transaction_id, "txn-" + q.id);
}

TEST_F(PgPaymentTest, InsertNeedsTheKeyStillInFlight) {
  auto p = Pending(1, "k");
  Move(p.id, Status::kCompleted);
  app::Payment again = p;
  again.id = ids::NewUuidV7();
  try {
    Run(repo_.InsertPending(Ctx(), again, {1, "k"}));
    FAIL() << "a finished key cannot take another payment";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
  EXPECT_FALSE(Run(repo_.Find(Ctx(), again.id)));
}

TEST_F(PgPaymentTest, RecoverySettlesOnlyStalePendingPayments) {
  auto old = Pending(1, "old");
  auto fresh = Pending(1, "fresh");
  Exec("UPDATE payments SET created_at = now() - interval '1 hour' WHERE id = '" + old.id + "'");
  int asked = 0;
  const app::Decide decide = [&](const app::Payment& p) -> Task<app::Change> {
    ++asked;
    EXPECT_EQ(p.id, old.id);
    app::Change change;
    change.to = Status::kCompleted;
    change.transaction_id = "t";
    co_return change;
  };
  EXPECT_TRUE(Run(repo_.SettleStale(Ctx(), 60s, decide, Store201)));
  EXPECT_FALSE(Run(repo_.SettleStale(Ctx(), 60s, decide, Store201)));
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(Run(repo_.Find(Ctx(), old.id))->status, Status::kCompleted);
  EXPECT_EQ(Run(repo_.Find(Ctx(), fresh.id))->status, Status::kPending);
  EXPECT_EQ(Claim(1, "old").kind, app::ClaimKind::kReplay);
}

TEST_F(PgPaymentTest, AbandonedAndExpiredKeysAreCleanedUp) {
  Claim(1, "orphan");
  Pending(1, "with-payment");
  Claim(1, "done");
  Run(repo_.FinishKey(Ctx(), {1, "done"}, {404, "x"}));
  Exec("UPDATE idempotency_keys SET created_at = now() - interval '3 days'");
  EXPECT_EQ(Run(repo_.DropAbandonedKeys(Ctx(), 30s)), 1);
  EXPECT_EQ(Run(repo_.PurgeKeys(Ctx(), 24h)), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM idempotency_keys"), 1);  // the one with a payment
}

TEST_F(PgPaymentTest, ListsNewestFirstWithFilters) {
  auto a = Pending(1, "a");
  auto b = Pending(2, "b");
  auto c = Pending(1, "c");
  Move(c.id, Status::kCompleted);
  app::PaymentFilter mine;
  mine.user_id = 1;
  auto page = Run(repo_.List(Ctx(), mine));
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(page.items[0].id, c.id);
  EXPECT_EQ(page.items[1].id, a.id);
  app::PaymentFilter pending;
  pending.status = Status::kPending;
  pending.limit = 1;
  page = Run(repo_.List(Ctx(), pending));
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, b.id);
  pending.offset = 5;
  page = Run(repo_.List(Ctx(), pending));
  EXPECT_TRUE(page.items.empty());
  EXPECT_EQ(page.total, 2);
}

TEST_F(PgPaymentTest, TheSimulatedProviderChargesEachPaymentOnce) {
  SimulatedProvider provider(pool_, {});
  app::ChargeRequest request;
  request.payment_id = ids::NewUuidV7();
  request.amount = 500;
  request.currency = "USD";
  request.payment_method = "card";
  auto first = Run(provider.Charge(Ctx(), request));
  auto again = Run(provider.Charge(Ctx(), request));
  EXPECT_EQ(first.status, app::ChargeStatus::kCharged);
  EXPECT_EQ(again.transaction_id, first.transaction_id);
  EXPECT_EQ(Run(provider.Lookup(Ctx(), request.payment_id))->transaction_id, first.transaction_id);
  EXPECT_FALSE(Run(provider.Lookup(Ctx(), ids::NewUuidV7())));
  Run(provider.Refund(Ctx(), request.payment_id));
  Run(provider.Refund(Ctx(), request.payment_id));  // idempotent
  EXPECT_EQ(Run(provider.Lookup(Ctx(), request.payment_id))->status, app::ChargeStatus::kRefunded);
  EXPECT_EQ(Scalar("SELECT count(*) FROM provider_charges"), 1);

  request.payment_id = ids::NewUuidV7();
  request.payment_method = "test_decline";
  EXPECT_EQ(Run(provider.Charge(Ctx(), request)).status, app::ChargeStatus::kDeclined);
  EXPECT_EQ(fo::testing::FailureIn(io_, provider.Refund(Ctx(), request.payment_id)).kind(),
            ErrorKind::kConflict);
  request.payment_id = ids::NewUuidV7();
  request.payment_method = "test_unavailable";
  EXPECT_EQ(fo::testing::FailureIn(io_, provider.Charge(Ctx(), request)).kind(),
            ErrorKind::kUnavailable);
  EXPECT_FALSE(Run(provider.Lookup(Ctx(), request.payment_id)));
  SimulatedProvider always_declines(pool_, {.latency = 1ms, .decline_rate = 1});
  request.payment_id = ids::NewUuidV7();
  request.payment_method = "card";
  EXPECT_EQ(Run(always_declines.Charge(Ctx(), request)).status, app::ChargeStatus::kDeclined);
}

}  // namespace
}  // namespace fo::payment::adapters
