// The producer against the real broker: delivery, headers, per-key order, trace propagation.
#include "platform/kafka/producer.hpp"

#include <gtest/gtest.h>

#include <map>

#include "kafka_support.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::kafka {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::Collected;
using testing::MakeRecord;
using testing::WaitUntil;

class ProducerTest : public ::testing::Test {
 protected:
  ProducerOptions Options() {
    ProducerOptions options;
    options.brokers = testing::Brokers();
    options.client_id = "kafka-producer-test";
    options.delivery_timeout = 10s;
    return options;
  }
  ConsumerOptions ConsumerFor(const std::string& topic) {
    ConsumerOptions options;
    options.brokers = testing::Brokers();
    options.group_id = testing::UniqueName("producer-test");
    options.topics = {topic};
    options.initial_backoff = 10ms;
    return options;
  }
  // Consumes `topic` until `count` messages arrived.
  std::vector<Message> ConsumeAll(const std::string& topic, std::size_t count,
                                  Collected<Context>* contexts = nullptr) {
    Collected<Message> got;
    Consumer consumer(io_.io(), ConsumerFor(topic), producer_,
                      [&](const Context& ctx, const Message& message) -> asio::awaitable<void> {
                        if (contexts != nullptr) contexts->Add(ctx);
                        got.Add(message);
                        co_return;
                      });
    consumer.Start();
    EXPECT_TRUE(WaitUntil([&] { return got.Size() >= count; }))
        << "got " << got.Size() << " of " << count;
    io_.Run(consumer.Stop());
    return got.Items();
  }

  testing::IoThread io_;
  Producer producer_{io_.io().get_executor(), Options()};
};

TEST_F(ProducerTest, RoundTripKeepsHeadersAndPerKeyOrder) {
  const auto topic = testing::UniqueName("kafka-roundtrip");
  testing::CreateTopic(topic, 3);
  std::vector<Record> records;
  for (int i = 0; i < 30; ++i) {
    auto record = MakeRecord(topic, "key-" + std::to_string(i % 5), std::to_string(i));
    record.headers = {{"ce_id", "id-" + std::to_string(i)}, {"x-binary", std::string("a\0b", 3)}};
    records.push_back(std::move(record));
  }
  const auto outcomes = io_.Run(producer_.ProduceAll(Context(), records));
  ASSERT_EQ(outcomes.size(), records.size());
  std::map<std::string, std::int32_t> partition_of;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].delivery) << outcomes[i].error;
    auto [it, inserted] = partition_of.emplace(records[i].key, outcomes[i].delivery->partition);
    EXPECT_EQ(it->second, outcomes[i].delivery->partition) << "one key, one partition";
  }

  const auto messages = ConsumeAll(topic, records.size());
  ASSERT_EQ(messages.size(), records.size());
  std::map<std::string, int> last_value;
  for (const auto& message : messages) {
    const int value = std::stoi(message.value);
    EXPECT_EQ(message.topic, topic);
    EXPECT_EQ(message.key, "key-" + std::to_string(value % 5));
    EXPECT_EQ(message.partition, partition_of[message.key]);
    EXPECT_EQ(*FindHeader(message.headers, "ce_id"), "id-" + std::to_string(value));
    EXPECT_EQ(*FindHeader(message.headers, "x-binary"), std::string("a\0b", 3));
    // Tracing is off here (no-op tracer, no parent): there is no context to propagate.
    EXPECT_FALSE(FindHeader(message.headers, "traceparent"));
    EXPECT_GT(message.timestamp_ms, 0);
    // Records of one key arrive in the order they were produced.
    auto [it, inserted] = last_value.emplace(message.key, value);
    if (!inserted) {
      EXPECT_GT(value, it->second) << "key " << message.key;
      it->second = value;
    }
  }
}

TEST_F(ProducerTest, ProduceAllReportsEveryRecordInOrder) {
  const auto topic = testing::UniqueName("kafka-produce-all");
  testing::CreateTopic(topic, 1);
  std::vector<Record> records;
  records.reserve(5);
  for (int i = 0; i < 5; ++i) records.push_back(MakeRecord(topic, "k", std::to_string(i)));
  // Over the broker's default message.max.bytes: refused locally, the others still go.
  records[2].value.assign(std::size_t{2} * 1024 * 1024, 'x');
  const auto outcomes = io_.Run(producer_.ProduceAll(Context(), records));
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_FALSE(outcomes[2].delivery);
  EXPECT_NE(outcomes[2].error.find(topic), std::string::npos) << outcomes[2].error;
  std::int64_t previous = -1;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    ASSERT_TRUE(outcomes[i].delivery) << outcomes[i].error;
    EXPECT_EQ(outcomes[i].delivery->partition, 0);
    EXPECT_GT(outcomes[i].delivery->offset, previous);
    previous = outcomes[i].delivery->offset;
  }
  EXPECT_EQ(testing::MetricValue("kafka_producer_messages_total",
                                 "outcome=\"delivered\",topic=\"" + topic + "\""),
            4);
  EXPECT_EQ(testing::MetricValue("kafka_producer_messages_total",
                                 "outcome=\"failed\",topic=\"" + topic + "\""),
            1);

  const auto delivery = io_.Run(producer_.Produce(Context(), MakeRecord(topic, "k", "last")));
  EXPECT_EQ(delivery.partition, 0);
  EXPECT_GT(delivery.offset, previous);
  EXPECT_TRUE(producer_.Flush(1s));
}

TEST_F(ProducerTest, TraceContextFlowsFromRequestToProducerToConsumer) {
  testing::SpanCapture capture;
  const auto topic = testing::UniqueName("kafka-trace");
  testing::CreateTopic(topic, 1);
  auto request = telemetry::GetTracer().StartSpan("request", telemetry::SpanKind::kServer, nullptr);
  Context ctx;
  ctx.span = request.Context();
  io_.Run(producer_.Produce(ctx, MakeRecord(topic, "order-1", "v")));

  // An outbox record carries the context of the request that wrote it: that one wins.
  const auto stored =
      telemetry::ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  auto outbox = MakeRecord(topic, "order-2", "w");
  outbox.headers = {{"traceparent", telemetry::FormatTraceparent(*stored)},
                    {"tracestate", "vendor=1"}};
  io_.Run(producer_.Produce(ctx, outbox));
  request.End();

  Collected<Context> contexts;
  const auto messages = ConsumeAll(topic, 2, &contexts);
  ASSERT_EQ(messages.size(), 2u);

  std::vector<telemetry::SpanData> publishes;
  std::vector<telemetry::SpanData> processes;
  for (auto& span : capture.Spans()) {
    if (span.name == topic + " publish") publishes.push_back(span);
    if (span.name == topic + " process") processes.push_back(span);
  }
  ASSERT_EQ(publishes.size(), 2u);
  ASSERT_EQ(processes.size(), 2u);

  const auto& first = publishes[0];
  EXPECT_EQ(first.kind, telemetry::SpanKind::kProducer);
  EXPECT_EQ(first.context.trace_id, request.Context().trace_id);
  EXPECT_EQ(first.parent_span_id, request.Context().span_id);
  const auto attribute = [](const telemetry::SpanData& span, const std::string& key) {
    for (const auto& [name, value] : span.attributes) {
      if (name == key) return value;
    }
    return telemetry::AttributeValue(std::string("<missing>"));
  };
  EXPECT_EQ(attribute(first, "messaging.system"), telemetry::AttributeValue("kafka"));
  EXPECT_EQ(attribute(first, "messaging.operation.type"), telemetry::AttributeValue("publish"));
  EXPECT_EQ(attribute(first, "messaging.destination.name"), telemetry::AttributeValue(topic));
  EXPECT_EQ(attribute(first, "messaging.kafka.message.key"), telemetry::AttributeValue("order-1"));
  EXPECT_EQ(attribute(first, "messaging.kafka.destination.partition"),
            telemetry::AttributeValue(std::int64_t{0}));

  const auto& second = publishes[1];
  EXPECT_EQ(second.context.trace_id, stored->trace_id);
  EXPECT_EQ(second.parent_span_id, stored->span_id);
  EXPECT_TRUE(second.parent_remote);

  for (std::size_t i = 0; i < 2; ++i) {
    const auto& message = messages[i];
    const auto& publish = message.key == "order-1" ? first : second;
    // The record carries the producer span; the consumer span is its child.
    EXPECT_EQ(*FindHeader(message.headers, "traceparent"),
              telemetry::FormatTraceparent(publish.context));
    const auto ctx_seen = contexts.Items()[i];
    EXPECT_EQ(ctx_seen.span.trace_id, publish.context.trace_id);
    EXPECT_NE(ctx_seen.deadline, std::chrono::steady_clock::time_point::max());
    const auto& process = processes[i];
    EXPECT_EQ(process.kind, telemetry::SpanKind::kConsumer);
    EXPECT_EQ(process.context.span_id, ctx_seen.span.span_id);
    EXPECT_EQ(process.parent_span_id, publish.context.span_id);
    EXPECT_EQ(attribute(process, "messaging.operation.type"), telemetry::AttributeValue("process"));
    EXPECT_EQ(attribute(process, "messaging.kafka.message.offset"),
              telemetry::AttributeValue(message.offset));
  }
  EXPECT_EQ(*FindHeader(messages[1].headers, "tracestate"), "vendor=1");
}

}  // namespace
}  // namespace fo::kafka
