// The outbox, the relay and the inbox against the private PostgreSQL, with a fake publisher
// standing in for Kafka (the broker path is covered end to end by the payment black-box tests).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <set>
#include <stdexcept>

#include "platform/kafka/consumer.hpp"
#include "platform/messaging/cloud_event.hpp"
#include "platform/messaging/hex.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/relay.hpp"
#include "platform/pg/migrations.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/testing/run.hpp"

namespace fo::messaging {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using asio::awaitable;

// Records what it was asked to send; refuses records whose key is in `refuse`.
class FakePublisher final : public kafka::Publisher {
 public:
  std::vector<kafka::Record> sent;
  std::set<std::string> refuse;
  bool broken = false;  // every record fails, as when the broker is down

  awaitable<kafka::Delivery> Produce(const Context& ctx, kafka::Record record) override {
    std::vector<kafka::Record> one;
    one.push_back(std::move(record));
    auto outcomes = co_await ProduceAll(ctx, std::move(one));
    if (!outcomes[0].delivery) throw kafka::DeliveryError(outcomes[0].error);
    co_return *outcomes[0].delivery;
  }
  awaitable<std::vector<Outcome>> ProduceAll(const Context&,
                                             std::vector<kafka::Record> records) override {
    std::vector<Outcome> out;
    for (auto& record : records) {
      if (broken || refuse.contains(record.key)) {
        out.push_back(Outcome{std::nullopt, "broker unreachable"});
        continue;
      }
      out.push_back(Outcome{kafka::Delivery{0, static_cast<std::int64_t>(sent.size())}, ""});
      sent.push_back(std::move(record));
    }
    co_return out;
  }
};

class MessagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    options.url = fo::testing::RequiredEnv("FO_TEST_DATABASE_URL");
    pool_ = std::make_unique<pg::Pool>(io_.get_executor(), options);
    // The platform database is shared with other tests that reset schema_migrations: start
    // from no messaging tables and no record of them.
    Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text "
        "NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    Exec("DROP TABLE IF EXISTS outbox, inbox");
    Exec("DELETE FROM schema_migrations WHERE version >= 9000");
    Run(pg::Migrate(*pool_, Migrations(), "messaging-test"));
  }
  template <typename T>
  T Run(awaitable<T> work) {
    return fo::testing::RunIn(io_, std::move(work));
  }
  pg::Result Exec(std::string sql) {
    return Run([](pg::Pool& pool, std::string text) -> awaitable<pg::Result> {
      auto lease = co_await pool.Acquire(std::chrono::steady_clock::now() + 5s);
      co_return co_await lease->Execute(text, pg::Params(), std::chrono::steady_clock::now() + 5s);
    }(*pool_, std::move(sql)));
  }
  Context Ctx() {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + 5s;
    return ctx;
  }
  // Appends one event per key, each in its own transaction.
  void AppendAll(const std::vector<std::string>& keys, const Context& ctx) {
    for (const auto& key : keys) {
      Run(pool_->Transaction(ctx, [&](pg::Tx& tx) -> awaitable<std::string> {
        OutboxEvent event{"orders", key, "fo.test.v1.Thing", "payload-of-" + key, {}};
        co_return co_await Append(tx, ctx, std::move(event));
      }));
    }
  }
  RelayOptions Relay() {
    RelayOptions options;
    options.source = "/test";
    options.batch_size = 100;
    return options;
  }

  asio::io_context io_;
  std::unique_ptr<pg::Pool> pool_;
};

TEST_F(MessagingTest, AnEventRolledBackWithItsTransactionIsNeverPublished) {
  const Context ctx = Ctx();
  EXPECT_THROW(Run(pool_->Transaction(ctx,
                                      [&](pg::Tx& tx) -> awaitable<int> {
                                        OutboxEvent event{"orders", "1", "t", "x", {}};
                                        co_await Append(tx, ctx, std::move(event));
                                        throw std::runtime_error("the state change failed");
                                      })),
               std::runtime_error);
  EXPECT_EQ(Exec("SELECT count(*) FROM outbox")[0].Int(0), 0);
}

TEST_F(MessagingTest, RelayPublishesInOrderAsCloudEventsAndMarksPublished) {
  telemetry::SpanContext writer;
  writer.trace_id = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  writer.span_id = {1, 1, 1, 1, 1, 1, 1, 1};
  writer.flags = telemetry::kTraceFlagSampled;
  Context ctx = Ctx().WithSpan(writer);
  AppendAll({"a", "b", "a", "c"}, ctx);
  FakePublisher publisher;
  OutboxRelay relay(*pool_, publisher, Relay());
  const auto pass = Run(relay.PublishPending());
  EXPECT_EQ(pass.published, 4);
  EXPECT_EQ(pass.failed, 0);
  ASSERT_EQ(publisher.sent.size(), 4u);
  std::vector<std::string> keys;
  for (const auto& record : publisher.sent) keys.push_back(record.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "a", "c"}));

  const auto& first = publisher.sent[0];
  EXPECT_EQ(first.topic, "orders");
  EXPECT_EQ(first.value, "payload-of-a");
  EXPECT_EQ(kafka::FindHeader(first.headers, "ce_specversion"), "1.0");
  EXPECT_EQ(kafka::FindHeader(first.headers, "ce_type"), "fo.test.v1.Thing");
  EXPECT_EQ(kafka::FindHeader(first.headers, "ce_source"), "/test");
  EXPECT_EQ(kafka::FindHeader(first.headers, "ce_subject"), "a");
  EXPECT_EQ(kafka::FindHeader(first.headers, "content-type"), "application/protobuf");
  EXPECT_EQ(kafka::FindHeader(first.headers, "traceparent"), telemetry::FormatTraceparent(writer));
  EXPECT_EQ(kafka::FindHeader(first.headers, "ce_id")->size(), 36u);
  EXPECT_EQ(kafka::FindHeader(first.headers, "ce_time")->back(), 'Z');

  EXPECT_EQ(Exec("SELECT count(*) FROM outbox WHERE published_at IS NULL")[0].Int(0), 0);
  EXPECT_EQ(Run(relay.PublishPending()).published, 0);  // nothing is sent twice
  EXPECT_EQ(publisher.sent.size(), 4u);
}

TEST_F(MessagingTest, RowsWaitWhileTheBrokerIsDownAndLeaveOnceItIsBack) {
  AppendAll({"a", "b"}, Ctx());
  FakePublisher publisher;
  publisher.broken = true;
  OutboxRelay relay(*pool_, publisher, Relay());
  for (int i = 0; i < 3; ++i) {
    const auto pass = Run(relay.PublishPending());
    EXPECT_EQ(pass.published, 0);
    EXPECT_EQ(pass.failed, 2);
  }
  EXPECT_EQ(Exec("SELECT count(*) FROM outbox WHERE published_at IS NULL")[0].Int(0), 2);
  publisher.broken = false;
  EXPECT_EQ(Run(relay.PublishPending()).published, 2);
  EXPECT_EQ(publisher.sent.size(), 2u);
}

TEST_F(MessagingTest, OnlyDeliveredRowsAreMarked) {
  AppendAll({"ok", "refused", "ok2"}, Ctx());
  FakePublisher publisher;
  publisher.refuse = {"refused"};
  OutboxRelay relay(*pool_, publisher, Relay());
  const auto pass = Run(relay.PublishPending());
  EXPECT_EQ(pass.published, 2);
  EXPECT_EQ(pass.failed, 1);
  EXPECT_EQ(Exec("SELECT key FROM outbox WHERE published_at IS NULL")[0].String(0), "refused");
}

TEST_F(MessagingTest, OneRelayAtATime) {
  AppendAll({"a"}, Ctx());
  FakePublisher publisher;
  OutboxRelay relay(*pool_, publisher, Relay());
  // Another replica's relay holds the lock for the length of its transaction.
  const auto held = Run(pool_->Transaction(Ctx(), [&](pg::Tx& tx) -> awaitable<bool> {
    co_await tx.Query("SELECT pg_advisory_xact_lock(hashtext('fo.outbox.relay'))");
    // A second connection tries meanwhile.
    co_return (co_await relay.PublishPending()).locked;
  }));
  EXPECT_TRUE(held);
  EXPECT_TRUE(publisher.sent.empty());
  EXPECT_EQ(Run(relay.PublishPending()).published, 1);
}

TEST_F(MessagingTest, PurgeDeletesOnlyOldPublishedRows) {
  AppendAll({"old", "recent", "pending"}, Ctx());
  Exec("UPDATE outbox SET published_at = now() - interval '200 hours' WHERE key = 'old'");
  Exec("UPDATE outbox SET published_at = now() WHERE key = 'recent'");
  FakePublisher publisher;
  RelayOptions options = Relay();
  options.retention = std::chrono::hours(24);
  OutboxRelay relay(*pool_, publisher, options);
  EXPECT_EQ(Run(relay.Purge()), 1);
  EXPECT_EQ(Exec("SELECT count(*) FROM outbox")[0].Int(0), 2);
}

TEST_F(MessagingTest, InboxClaimsAnEventIdOnce) {
  auto claim = [&](const std::string& id) {
    return Run(pool_->Transaction(Ctx(), [&](pg::Tx& tx) -> awaitable<bool> {
      co_return co_await ClaimInbox(tx, id, "fo.test.v1.Thing", "orders");
    }));
  };
  EXPECT_TRUE(claim("event-1"));
  EXPECT_FALSE(claim("event-1"));
  EXPECT_TRUE(claim("event-2"));
}

TEST_F(MessagingTest, AClaimRolledBackWithItsEffectCanBeRetried) {
  EXPECT_THROW(Run(pool_->Transaction(Ctx(),
                                      [&](pg::Tx& tx) -> awaitable<int> {
                                        co_await ClaimInbox(tx, "event-x", "t", "orders");
                                        throw std::runtime_error("the effect failed");
                                      })),
               std::runtime_error);
  const bool claimed = Run(pool_->Transaction(Ctx(), [&](pg::Tx& tx) -> awaitable<bool> {
    co_return co_await ClaimInbox(tx, "event-x", "t", "orders");
  }));
  EXPECT_TRUE(claimed);
}

TEST(CloudEventTest, RoundTripsThroughRecordHeaders) {
  kafka::Record record;
  Encode(CloudEvent{"id-1", "fo.test.v1.Thing", "/svc", "2026-01-02T03:04:05Z", "42",
                    std::string("\0binary\xff", 8)},
         record);
  kafka::Message message;
  message.headers = record.headers;
  message.value = record.value;
  const auto event = Decode(message);
  EXPECT_EQ(event.id, "id-1");
  EXPECT_EQ(event.type, "fo.test.v1.Thing");
  EXPECT_EQ(event.source, "/svc");
  EXPECT_EQ(event.time, "2026-01-02T03:04:05Z");
  EXPECT_EQ(event.subject, "42");
  EXPECT_EQ(event.data, std::string("\0binary\xff", 8));
}

TEST(CloudEventTest, ARecordWithoutTheEnvelopeIsPoison) {
  kafka::Message message;
  message.value = "x";
  EXPECT_THROW(Decode(message), kafka::PoisonMessage);
  message.headers = {
      {"ce_specversion", "0.3"}, {"ce_id", "1"}, {"ce_type", "t"}, {"ce_source", "/s"}};
  EXPECT_THROW(Decode(message), kafka::PoisonMessage);
  message.headers[0].value = "1.0";
  message.headers.erase(message.headers.begin() + 1);  // no ce_id
  EXPECT_THROW(Decode(message), kafka::PoisonMessage);
}

TEST(HexTest, RoundTripsEveryByteAndRejectsGarbage) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(FromHex(ToHex(all)), all);
  EXPECT_THROW(FromHex("abc"), std::invalid_argument);
  EXPECT_THROW(FromHex("zz"), std::invalid_argument);
}

}  // namespace
}  // namespace fo::messaging
