// Kafka pieces that need no broker: header helpers, settings from the environment, the
// dead-letter record, and delivery failure against an address where no broker listens.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "platform/config/env.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/dead_letter.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/kafka/trace_headers.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/testing/run.hpp"

namespace fo::kafka {
namespace {
using namespace std::chrono_literals;

TEST(FindHeader, ReturnsTheFirstMatchOrNothing) {
  const Headers headers = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  ASSERT_TRUE(FindHeader(headers, "a"));
  EXPECT_EQ(*FindHeader(headers, "a"), "1");
  EXPECT_EQ(*FindHeader(headers, "b"), "2");
  EXPECT_FALSE(FindHeader(headers, "A"));
  EXPECT_FALSE(FindHeader({}, "a"));
}

TEST(TraceHeaders, InjectReplacesAndExtractReadsBack) {
  Headers headers = {{"traceparent", "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01"},
                     {"tracestate", "old=1"},
                     {"x", "y"}};
  const auto carried = detail::ExtractTraceContext(headers);
  ASSERT_TRUE(carried);
  EXPECT_EQ(carried->TraceIdHex(), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(carried->trace_state, "old=1");

  telemetry::SpanContext next = *carried;
  next.span_id.fill(0x0c);
  next.trace_state.clear();
  detail::InjectTraceContext(headers, next);
  EXPECT_EQ(*FindHeader(headers, "traceparent"),
            "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-0c0c0c0c0c0c0c0c-01");
  EXPECT_FALSE(FindHeader(headers, "tracestate"));
  EXPECT_EQ(headers.size(), 2u);

  detail::InjectTraceContext(headers, telemetry::SpanContext());  // invalid: left alone
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_FALSE(detail::ExtractTraceContext({{"traceparent", "garbage"}}));
}

TEST(DeadLetterRecord, KeepsTheOriginalAndSaysWhy) {
  Message message;
  message.topic = "orders";
  message.partition = 2;
  message.offset = 41;
  message.key = "k";
  message.value = "v";
  message.headers = {{"ce_id", "e1"},
                     {"traceparent", "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01"},
                     {"dlq.reason", "an older failure"}};
  const auto record = DeadLetterRecord(message, "bad payload", 3);
  EXPECT_EQ(record.topic, "orders.dlq");
  EXPECT_EQ(record.key, "k");
  EXPECT_EQ(record.value, "v");
  EXPECT_EQ(*FindHeader(record.headers, "ce_id"), "e1");
  EXPECT_FALSE(FindHeader(record.headers, "traceparent"));
  EXPECT_EQ(*FindHeader(record.headers, "dlq.reason"), "bad payload");
  EXPECT_EQ(*FindHeader(record.headers, "dlq.original.topic"), "orders");
  EXPECT_EQ(*FindHeader(record.headers, "dlq.original.partition"), "2");
  EXPECT_EQ(*FindHeader(record.headers, "dlq.original.offset"), "41");
  EXPECT_EQ(*FindHeader(record.headers, "dlq.attempts"), "3");
  std::size_t reasons = 0;
  for (const auto& header : record.headers) reasons += header.key == "dlq.reason" ? 1 : 0;
  EXPECT_EQ(reasons, 1u);
}

class EnvTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"KAFKA_BROKERS", "KAFKA_CLIENT_ID", "KAFKA_DELIVERY_TIMEOUT_MS",
                             "KAFKA_GROUP_ID", "KAFKA_MAX_ATTEMPTS", "KAFKA_RETRY_BACKOFF_MS",
                             "KAFKA_RETRY_MAX_BACKOFF_MS", "KAFKA_HANDLER_TIMEOUT_MS"}) {
      unsetenv(name);
    }
  }
};

TEST_F(EnvTest, DefaultsAreSafeForLocalRuns) {
  TearDown();
  const auto producer = ProducerOptions::FromEnv("payment");
  EXPECT_EQ(producer.brokers, "127.0.0.1:9092");
  EXPECT_EQ(producer.client_id, "payment");
  EXPECT_EQ(producer.delivery_timeout, 30s);
  const auto consumer = ConsumerOptions::FromEnv("inventory", {"payments"});
  EXPECT_EQ(consumer.brokers, "127.0.0.1:9092");
  EXPECT_EQ(consumer.group_id, "inventory");
  EXPECT_EQ(consumer.topics, std::vector<std::string>{"payments"});
  EXPECT_EQ(consumer.max_attempts, 5);
  EXPECT_EQ(consumer.initial_backoff, 100ms);
  EXPECT_EQ(consumer.max_backoff, 5s);
  EXPECT_EQ(consumer.handler_timeout, 10s);
}

TEST_F(EnvTest, ReadsEveryVariable) {
  setenv("KAFKA_BROKERS", "k1:9092,k2:9092", 1);
  setenv("KAFKA_CLIENT_ID", "relay-1", 1);
  setenv("KAFKA_DELIVERY_TIMEOUT_MS", "1500", 1);
  setenv("KAFKA_GROUP_ID", "g", 1);
  setenv("KAFKA_MAX_ATTEMPTS", "7", 1);
  setenv("KAFKA_RETRY_BACKOFF_MS", "20", 1);
  setenv("KAFKA_RETRY_MAX_BACKOFF_MS", "400", 1);
  setenv("KAFKA_HANDLER_TIMEOUT_MS", "2500", 1);
  const auto producer = ProducerOptions::FromEnv("payment");
  EXPECT_EQ(producer.brokers, "k1:9092,k2:9092");
  EXPECT_EQ(producer.client_id, "relay-1");
  EXPECT_EQ(producer.delivery_timeout, 1500ms);
  const auto consumer = ConsumerOptions::FromEnv("inventory", {"t"});
  EXPECT_EQ(consumer.brokers, "k1:9092,k2:9092");
  EXPECT_EQ(consumer.group_id, "g");
  EXPECT_EQ(consumer.max_attempts, 7);
  EXPECT_EQ(consumer.initial_backoff, 20ms);
  EXPECT_EQ(consumer.max_backoff, 400ms);
  EXPECT_EQ(consumer.handler_timeout, 2500ms);
}

TEST_F(EnvTest, RejectsMalformedValues) {
  setenv("KAFKA_MAX_ATTEMPTS", "0", 1);
  EXPECT_THROW(ConsumerOptions::FromEnv("g", {"t"}), config::ConfigError);
  setenv("KAFKA_MAX_ATTEMPTS", "101", 1);
  EXPECT_THROW(ConsumerOptions::FromEnv("g", {"t"}), config::ConfigError);
  unsetenv("KAFKA_MAX_ATTEMPTS");
  setenv("KAFKA_DELIVERY_TIMEOUT_MS", "soon", 1);
  EXPECT_THROW(ProducerOptions::FromEnv("p"), config::ConfigError);
}

TEST(ConsumerOptionsCheck, ConstructorRejectsAnIncompleteSetup) {
  boost::asio::io_context io;
  class NoPublisher final : public Publisher {
   public:
    boost::asio::awaitable<Delivery> Produce(const Context&, Record) override {
      co_return Delivery();
    }
    boost::asio::awaitable<std::vector<Outcome>> ProduceAll(const Context&,
                                                            std::vector<Record>) override {
      co_return std::vector<Outcome>();
    }
  } dlq;
  const Handler handler = [](const Context&, const Message&) -> boost::asio::awaitable<void> {
    co_return;
  };
  ConsumerOptions no_group;
  no_group.topics = {"t"};
  EXPECT_THROW(Consumer(io, no_group, dlq, handler), Error);
  ConsumerOptions no_topic;
  no_topic.group_id = "g";
  EXPECT_THROW(Consumer(io, no_topic, dlq, handler), Error);
}

// Nothing listens on port 1: every record fails once the delivery timeout runs out.
class UnreachableBroker : public ::testing::Test {
 protected:
  UnreachableBroker() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~UnreachableBroker() override {
    work_.reset();
    thread_.join();
  }
  static ProducerOptions Options() {
    ProducerOptions options;
    options.brokers = "127.0.0.1:1";
    options.client_id = "kafka-unit-test";
    options.delivery_timeout = 500ms;
    return options;
  }
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future).get();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

TEST_F(UnreachableBroker, ProduceThrowsDeliveryError) {
  Producer producer(io_.get_executor(), Options());
  const auto started = std::chrono::steady_clock::now();
  Record record;
  record.topic = "nowhere";
  record.key = "k";
  record.value = "v";
  try {
    Run(producer.Produce(Context(), record));
    ADD_FAILURE() << "expected a DeliveryError";
  } catch (const DeliveryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(UnreachableBroker, ProduceAllReportsEachFailureWithoutThrowing) {
  Producer producer(io_.get_executor(), Options());
  std::vector<Record> records(3);
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].topic = "nowhere-all";
    records[i].value = std::to_string(i);
  }
  const auto outcomes = Run(producer.ProduceAll(Context(), records));
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& outcome : outcomes) {
    EXPECT_FALSE(outcome.delivery);
    EXPECT_FALSE(outcome.error.empty());
  }
  EXPECT_NE(metrics::Global().Scrape().find(
                "kafka_producer_messages_total{outcome=\"failed\",topic=\"nowhere-all\"} 3"),
            std::string::npos);
  EXPECT_TRUE(Run(producer.ProduceAll(Context(), {})).empty());
}

}  // namespace
}  // namespace fo::kafka
