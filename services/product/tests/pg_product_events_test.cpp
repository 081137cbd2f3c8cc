// Events against the private test database: every catalog write and its outbox row commit or
// roll back together, and a stock report applies at most once per event id.
#include <gtest/gtest.h>

#include "events/v1/events.pb.h"
#include "platform/messaging/hex.hpp"
#include "services/product/tests/pg_test_base.hpp"

namespace fo::product::adapters {
namespace {

namespace ev = ::fo::events::v1;

struct OutboxRow {
  std::string topic, key, type, payload;
};

class PgProductEventsTest : public PgTest {
 protected:
  PgProductEventsTest() { Exec("ALTER TABLE outbox DROP CONSTRAINT IF EXISTS test_refuse_events"); }
  ~PgProductEventsTest() override {
    Exec("ALTER TABLE outbox DROP CONSTRAINT IF EXISTS test_refuse_events");
  }

  domain::ProductFields Fields(const std::string& sku) {
    domain::ProductFields f;
    f.name = "Product " + sku;
    f.price = 1000;
    f.category = "lamps";
    f.sku = sku;
    return f;
  }
  std::vector<OutboxRow> Outbox() {
    auto rows = Exec("SELECT topic, key, type, encode(payload, 'hex') FROM outbox ORDER BY seq");
    std::vector<OutboxRow> out;
    out.reserve(static_cast<std::size_t>(rows.Rows()));
    for (int i = 0; i < rows.Rows(); ++i) {
      out.push_back({rows[i].String(0), rows[i].String(1), rows[i].String(2),
                     messaging::FromHex(rows[i].String(3))});
    }
    return out;
  }
  app::StockOutcome Apply(const std::string& event_id, std::int64_t product_id,
                          std::int64_t available, const std::string& as_of = "") {
    const app::EventRef event{event_id, "fo.events.v1.InventoryUpdated", "inventory.events"};
    return Run(products_.ApplyStockReport(Ctx(), event, {product_id, available, as_of}));
  }
  std::int64_t Stock(std::int64_t id) {
    return Scalar("SELECT stock FROM products WHERE id = $1", pg::Params(id));
  }

  PgProductRepository products_{pool_};
};

TEST_F(PgProductEventsTest, EveryWriteAppendsItsEvent) {
  auto lamp = Run(products_.Create(Ctx(), Fields("EV-1")));
  domain::ProductChanges deactivate;
  deactivate.is_active = false;
  auto updated = Run(products_.Update(Ctx(), lamp.id, deactivate));
  auto replacement = Fields("EV-2");
  replacement.price = 2500;
  auto replaced = Run(products_.Replace(Ctx(), lamp.id, replacement));
  ASSERT_TRUE(updated && replaced);
  ASSERT_TRUE(Run(products_.Delete(Ctx(), lamp.id)));

  const auto rows = Outbox();
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.topic, "product.events");
    EXPECT_EQ(row.key, std::to_string(lamp.id));
  }
  EXPECT_EQ(rows[0].type, "fo.events.v1.ProductCreated");
  ev::ProductCreated created;
  ASSERT_TRUE(created.ParseFromString(rows[0].payload));
  EXPECT_EQ(created.product_id(), lamp.id);
  EXPECT_EQ(created.sku(), "EV-1");
  EXPECT_TRUE(created.is_active());
  EXPECT_EQ(created.occurred_at(), lamp.created_at);

  EXPECT_EQ(rows[1].type, "fo.events.v1.ProductUpdated");
  ev::ProductUpdated deactivated;
  ASSERT_TRUE(deactivated.ParseFromString(rows[1].payload));
  EXPECT_FALSE(deactivated.is_active());
  EXPECT_EQ(deactivated.occurred_at(), updated->updated_at);

  EXPECT_EQ(rows[2].type, "fo.events.v1.ProductUpdated");
  ev::ProductUpdated full;
  ASSERT_TRUE(full.ParseFromString(rows[2].payload));
  EXPECT_EQ(full.sku(), "EV-2");
  EXPECT_EQ(full.price(), 2500);
  EXPECT_TRUE(full.is_active());

  EXPECT_EQ(rows[3].type, "fo.events.v1.ProductDeleted");
  ev::ProductDeleted deleted;
  ASSERT_TRUE(deleted.ParseFromString(rows[3].payload));
  EXPECT_EQ(deleted.product_id(), lamp.id);
  EXPECT_EQ(deleted.sku(), "EV-2");
  EXPECT_EQ(deleted.occurred_at().size(), 27u);
  EXPECT_GE(deleted.occurred_at(), replaced->updated_at);
  // The outbox row's own time is the write's transaction time, like the payload's.
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox o JOIN products p ON p.id = o.key::bigint "
                   "WHERE o.type = 'fo.events.v1.ProductDeleted' AND o.occurred_at = p.deleted_at"),
            1);
}

TEST_F(PgProductEventsTest, WritesThatChangeNothingAnnounceNothing) {
  auto lamp = Run(products_.Create(Ctx(), Fields("NO-1")));
  EXPECT_THROW(Run(products_.Create(Ctx(), Fields("NO-1"))), Error);  // sku taken
  domain::ProductChanges steal;
  steal.sku = "NO-1";
  auto other = Run(products_.Create(Ctx(), Fields("NO-2")));
  EXPECT_THROW(Run(products_.Update(Ctx(), other.id, steal)), Error);
  EXPECT_FALSE(Run(products_.Update(Ctx(), 999999, steal)));
  EXPECT_FALSE(Run(products_.Replace(Ctx(), 999999, Fields("NO-3"))));
  EXPECT_FALSE(Run(products_.Delete(Ctx(), 999999)));
  ASSERT_TRUE(Run(products_.Delete(Ctx(), lamp.id)));
  EXPECT_FALSE(Run(products_.Delete(Ctx(), lamp.id)));  // already deleted
  // Two creates and one delete.
  EXPECT_EQ(Outbox().size(), 3u);
}

// The other direction: when the event cannot be written, neither is the change.
TEST_F(PgProductEventsTest, AFailedAppendRollsTheWriteBack) {
  auto lamp = Run(products_.Create(Ctx(), Fields("RB-1")));
  Exec("ALTER TABLE outbox ADD CONSTRAINT test_refuse_events CHECK (false) NOT VALID");
  EXPECT_THROW(Run(products_.Create(Ctx(), Fields("RB-2"))), pg::DbError);
  domain::ProductChanges rename;
  rename.name = "Renamed";
  EXPECT_THROW(Run(products_.Update(Ctx(), lamp.id, rename)), pg::DbError);
  EXPECT_THROW(Run(products_.Replace(Ctx(), lamp.id, Fields("RB-3"))), pg::DbError);
  EXPECT_THROW(Run(products_.Delete(Ctx(), lamp.id)), pg::DbError);
  Exec("ALTER TABLE outbox DROP CONSTRAINT test_refuse_events");

  EXPECT_EQ(Scalar("SELECT count(*) FROM products"), 1);
  auto found = Run(products_.Find(Ctx(), lamp.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, lamp.name);
  EXPECT_EQ(found->sku, "RB-1");
  EXPECT_EQ(found->updated_at, lamp.updated_at);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(PgProductEventsTest, TheSameStockReportAppliesOnce) {
  auto lamp = Run(products_.Create(Ctx(), Fields("ST-1")));
  EXPECT_EQ(Apply("ev-1", lamp.id, 5, "2026-11-25T10:00:00Z"), app::StockOutcome::kApplied);
  EXPECT_EQ(Apply("ev-1", lamp.id, 9, "2026-11-25T11:00:00Z"), app::StockOutcome::kDuplicate);
  EXPECT_EQ(Stock(lamp.id), 5);
  EXPECT_EQ(Scalar("SELECT count(*) FROM inbox WHERE event_id = 'ev-1'"), 1);
  // The catalog's updated_at tracks catalog edits, not stock.
  EXPECT_EQ(Run(products_.Find(Ctx(), lamp.id))->updated_at, lamp.updated_at);
  EXPECT_EQ(Outbox().size(), 1u);  // only ProductCreated
}

TEST_F(PgProductEventsTest, AnOlderReportNeverOverwritesANewerOne) {
  auto lamp = Run(products_.Create(Ctx(), Fields("ST-2")));
  EXPECT_EQ(Apply("ev-new", lamp.id, 4, "2026-11-25T12:00:00.5+01:00"),
            app::StockOutcome::kApplied);
  // 12:00:00.5+01:00 is 11:00:00.5Z: later than 11:00:00Z, whatever the text says.
  EXPECT_EQ(Apply("ev-old", lamp.id, 8, "2026-11-25T11:00:00Z"), app::StockOutcome::kStale);
  EXPECT_EQ(Stock(lamp.id), 4);
  EXPECT_EQ(Apply("ev-same", lamp.id, 6, "2026-11-25T11:00:00.5Z"), app::StockOutcome::kApplied);
  EXPECT_EQ(Apply("ev-untimed", lamp.id, 7), app::StockOutcome::kApplied);
  EXPECT_EQ(Stock(lamp.id), 7);
  EXPECT_EQ(Apply("ev-older", lamp.id, 1, "2026-11-25T11:00:00Z"), app::StockOutcome::kStale);
  EXPECT_EQ(Apply("ev-later", lamp.id, 2, "2026-11-25T11:30:00Z"), app::StockOutcome::kApplied);
  EXPECT_EQ(Stock(lamp.id), 2);
  // A stale report was still consumed: its redelivery is a duplicate.
  EXPECT_EQ(Apply("ev-old", lamp.id, 8, "2026-11-25T13:00:00Z"), app::StockOutcome::kDuplicate);
}

TEST_F(PgProductEventsTest, UnknownProductsAreConsumedWithoutEffect) {
  EXPECT_EQ(Apply("ev-1", 999999, 5), app::StockOutcome::kUnknownProduct);
  EXPECT_EQ(Apply("ev-1", 999999, 5), app::StockOutcome::kDuplicate);
}

// The inbox claim and the effect commit together: a report that fails is not marked processed,
// so its retry applies.
TEST_F(PgProductEventsTest, AFailedReportDoesNotClaimItsEventId) {
  auto lamp = Run(products_.Create(Ctx(), Fields("ST-3")));
  EXPECT_THROW(Apply("ev-1", lamp.id, -1), pg::DbError);  // the CHECK constraint refuses it
  EXPECT_EQ(Scalar("SELECT count(*) FROM inbox"), 0);
  EXPECT_EQ(Apply("ev-1", lamp.id, 3), app::StockOutcome::kApplied);
  EXPECT_EQ(Stock(lamp.id), 3);
}

}  // namespace
}  // namespace fo::product::adapters
