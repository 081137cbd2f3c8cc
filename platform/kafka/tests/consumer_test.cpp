// The consumer against the real broker: retries, the dead-letter topic, commits, rebalancing.
#include "platform/kafka/consumer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <set>
#include <stdexcept>

#include "kafka_support.hpp"
#include "platform/kafka/producer.hpp"

namespace fo::kafka {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::Collected;
using testing::MakeRecord;
using testing::WaitUntil;

// A dead-letter publisher that records what it was given and fails the first `failures` calls.
class FakeDeadLetters final : public Publisher {
 public:
  explicit FakeDeadLetters(int failures = 0) : failures_(failures) {}
  asio::awaitable<Delivery> Produce(const Context&, Record record) override {
    calls_++;
    if (failures_.fetch_sub(1) > 0) throw DeliveryError("broker away");
    records_.Add(std::move(record));
    co_return Delivery{0, 0};
  }
  asio::awaitable<std::vector<Outcome>> ProduceAll(const Context&, std::vector<Record>) override {
    throw std::logic_error("not used by the consumer");
  }
  int Calls() const { return calls_; }
  std::vector<Record> Records() const { return records_.Items(); }

 private:
  std::atomic<int> failures_;
  std::atomic<int> calls_{0};
  Collected<Record> records_;
};

class ConsumerTest : public ::testing::Test {
 protected:
  ConsumerTest() {
    topic_ = testing::UniqueName("kafka-consume");
    testing::CreateTopic(topic_, 1);
  }
  static ProducerOptions ProducerSettings() {
    ProducerOptions options;
    options.brokers = testing::Brokers();
    options.client_id = "kafka-consumer-test";
    options.delivery_timeout = 10s;
    return options;
  }
  ConsumerOptions Options(const std::string& group) const {
    ConsumerOptions options;
    options.brokers = testing::Brokers();
    options.group_id = group;
    options.topics = {topic_};
    options.max_attempts = 3;
    options.initial_backoff = 10ms;
    options.max_backoff = 40ms;
    return options;
  }
  void Send(const std::string& key, const std::string& value, Headers headers = {}) {
    auto record = MakeRecord(topic_, key, value);
    record.headers = std::move(headers);
    io_.Run(producer_.Produce(Context(), std::move(record)));
  }
  double Count(const std::string& outcome) const {
    return testing::MetricValue("kafka_consumer_messages_total",
                                "outcome=\"" + outcome + "\",topic=\"" + topic_ + "\"");
  }

  std::string topic_;
  testing::IoThread io_;
  Producer producer_{io_.io().get_executor(), ProducerSettings()};
};

TEST_F(ConsumerTest, PoisonGoesToTheDeadLetterTopicAndTheNextRecordIsStillHandled) {
  testing::CreateTopic(topic_ + ".dlq", 1);
  Send("k", "poison", {{"ce_id", "e-1"}, {"ce_type", "t"}});
  Send("k", "fine", {{"ce_id", "e-2"}});

  std::atomic<int> poison_runs{0};
  Collected<std::string> handled;
  Consumer consumer(io_.io(), Options(testing::UniqueName("poison")), producer_,
                    [&](const Context&, const Message& message) -> asio::awaitable<void> {
                      if (message.value == "poison") {
                        poison_runs++;
                        throw PoisonMessage("cannot decode the payload");
                      }
                      handled.Add(message.value);
                      co_return;
                    });
  consumer.Start();
  ASSERT_TRUE(WaitUntil([&] { return handled.Size() == 1; }));
  EXPECT_EQ(poison_runs.load(), 1) << "a poison message is not retried";
  EXPECT_EQ(handled.Items()[0], "fine");
  io_.Run(consumer.Stop());
  EXPECT_EQ(Count("dead_lettered"), 1);
  EXPECT_EQ(Count("processed"), 1);

  // What landed in the DLQ: the original record plus why and where it failed.
  Collected<Message> dead;
  ConsumerOptions dlq_options = Options(testing::UniqueName("dlq-reader"));
  dlq_options.topics = {topic_ + ".dlq"};
  Consumer reader(io_.io(), dlq_options, producer_,
                  [&](const Context&, const Message& message) -> asio::awaitable<void> {
                    dead.Add(message);
                    co_return;
                  });
  reader.Start();
  ASSERT_TRUE(WaitUntil([&] { return dead.Size() == 1; }));
  io_.Run(reader.Stop());
  const auto message = dead.Items()[0];
  EXPECT_EQ(message.key, "k");
  EXPECT_EQ(message.value, "poison");
  EXPECT_EQ(*FindHeader(message.headers, "ce_id"), "e-1");
  EXPECT_EQ(*FindHeader(message.headers, "ce_type"), "t");
  EXPECT_EQ(*FindHeader(message.headers, "dlq.reason"), "cannot decode the payload");
  EXPECT_EQ(*FindHeader(message.headers, "dlq.original.topic"), topic_);
  EXPECT_EQ(*FindHeader(message.headers, "dlq.original.partition"), "0");
  EXPECT_EQ(*FindHeader(message.headers, "dlq.original.offset"), "0");
  EXPECT_EQ(*FindHeader(message.headers, "dlq.attempts"), "1");
}

TEST_F(ConsumerTest, EveryOutcomeSeriesExistsAtZeroFromTheSubscription) {
  Consumer consumer(io_.io(), Options(testing::UniqueName("series")), producer_,
                    [](const Context&, const Message&) -> asio::awaitable<void> { co_return; });
  const auto labels = [&](const char* outcome) {
    return "outcome=\"" + std::string(outcome) + "\",topic=\"" + topic_ + "\"";
  };
  EXPECT_FALSE(testing::HasMetric("kafka_consumer_messages_total", labels("processed")));
  consumer.Start();
  // So the first dead letter is already an increase to a rule or a panel.
  for (const char* outcome : {"processed", "retried", "dead_lettered"}) {
    EXPECT_TRUE(testing::HasMetric("kafka_consumer_messages_total", labels(outcome))) << outcome;
    EXPECT_EQ(Count(outcome), 0) << outcome;
  }
  io_.Run(consumer.Stop());
}

TEST_F(ConsumerTest, TransientFailureIsRetriedWithBackoffThenProcessed) {
  Send("k", "flaky");
  Send("k", "after");
  FakeDeadLetters dead_letters;
  std::atomic<int> runs{0};
  Collected<std::string> handled;
  Consumer consumer(io_.io(), Options(testing::UniqueName("transient")), dead_letters,
                    [&](const Context&, const Message& message) -> asio::awaitable<void> {
                      if (message.value == "flaky" && ++runs < 3) {
                        throw std::runtime_error("database busy");
                      }
                      handled.Add(message.value);
                      co_return;
                    });
  consumer.Start();
  ASSERT_TRUE(WaitUntil([&] { return handled.Size() == 2; }));
  io_.Run(consumer.Stop());
  EXPECT_EQ(runs.load(), 3);
  EXPECT_EQ(handled.Items(), (std::vector<std::string>{"flaky", "after"}));
  EXPECT_EQ(Count("retried"), 2);
  EXPECT_EQ(Count("processed"), 2);
  EXPECT_EQ(Count("dead_lettered"), 0);
  EXPECT_EQ(dead_letters.Calls(), 0);
}

TEST_F(ConsumerTest, ExhaustedRetriesDeadLetterAndAFailingDlqIsRetriedNotSkipped) {
  Send("k", "always-fails");
  Send("k", "next");
  FakeDeadLetters dead_letters(/*failures=*/2);
  std::atomic<int> runs{0};
  Collected<std::string> handled;
  Consumer consumer(io_.io(), Options(testing::UniqueName("exhausted")), dead_letters,
                    [&](const Context&, const Message& message) -> asio::awaitable<void> {
                      if (message.value == "always-fails") {
                        runs++;
                        throw std::runtime_error("still broken");
                      }
                      handled.Add(message.value);
                      co_return;
                    });
  consumer.Start();
  ASSERT_TRUE(WaitUntil([&] { return handled.Size() == 1; }));
  io_.Run(consumer.Stop());
  EXPECT_EQ(runs.load(), 3) << "max_attempts runs in all";
  EXPECT_EQ(dead_letters.Calls(), 3) << "two failed DLQ publishes, then one that worked";
  const auto records = dead_letters.Records();
  ASSERT_EQ(records.size(), 1u);
  const auto& record = records[0];
  EXPECT_EQ(record.topic, topic_ + ".dlq");
  EXPECT_EQ(*FindHeader(record.headers, "dlq.reason"), "still broken");
  EXPECT_EQ(*FindHeader(record.headers, "dlq.attempts"), "3");
  EXPECT_EQ(Count("retried"), 2);
  EXPECT_EQ(Count("dead_lettered"), 1);
}

TEST_F(ConsumerTest, StopCommitsSoTheGroupResumesAfterTheLastHandledRecord) {
  const auto group = testing::UniqueName("commit");
  for (int i = 0; i < 5; ++i) Send("k", "first-" + std::to_string(i));
  FakeDeadLetters dead_letters;
  Collected<std::string> first;
  {
    Consumer consumer(io_.io(), Options(group), dead_letters,
                      [&](const Context&, const Message& message) -> asio::awaitable<void> {
                        first.Add(message.value);
                        co_return;
                      });
    consumer.Start();
    ASSERT_TRUE(WaitUntil([&] { return first.Size() == 5; }));
    const auto lag = "partition=\"0\",topic=\"" + topic_ + "\"";
    EXPECT_TRUE(WaitUntil([&] { return testing::HasMetric("kafka_consumer_lag", lag); }));
    EXPECT_EQ(testing::MetricValue("kafka_consumer_lag", lag), 0);
    io_.Run(consumer.Stop());
    EXPECT_FALSE(testing::HasMetric("kafka_consumer_lag", lag)) << "dropped with the partition";
  }
  Send("k", "second");
  Collected<std::string> second;
  Consumer consumer(io_.io(), Options(group), dead_letters,
                    [&](const Context&, const Message& message) -> asio::awaitable<void> {
                      second.Add(message.value);
                      co_return;
                    });
  consumer.Start();
  ASSERT_TRUE(WaitUntil([&] { return second.Size() >= 1; }));
  std::this_thread::sleep_for(300ms);  // room for a wrongly redelivered record to show up
  io_.Run(consumer.Stop());
  EXPECT_EQ(second.Items(), std::vector<std::string>{"second"});
}

TEST_F(ConsumerTest, StopFinishesTheRecordInHandWithoutBlockingTheIoThread) {
  const auto group = testing::UniqueName("in-hand");
  Send("k", "slow");
  FakeDeadLetters dead_letters;
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  {
    // The handler needs the io thread for its timer while Stop() runs on that same thread.
    Consumer consumer(io_.io(), Options(group), dead_letters,
                      [&](const Context&, const Message&) -> asio::awaitable<void> {
                        started = true;
                        auto executor = co_await asio::this_coro::executor;
                        asio::steady_timer timer(executor, 300ms);
                        co_await timer.async_wait(asio::use_awaitable);
                        finished = true;
                      });
    consumer.Start();
    ASSERT_TRUE(WaitUntil([&] { return started.load(); }));
    io_.Run(consumer.Stop());
    EXPECT_TRUE(finished.load());
  }
  Send("k", "fresh");
  Collected<std::string> next;
  Consumer consumer(io_.io(), Options(group), dead_letters,
                    [&](const Context&, const Message& message) -> asio::awaitable<void> {
                      next.Add(message.value);
                      co_return;
                    });
  consumer.Start();
  ASSERT_TRUE(WaitUntil([&] { return next.Size() >= 1; }));
  io_.Run(consumer.Stop());
  EXPECT_EQ(next.Items(), std::vector<std::string>{"fresh"}) << "the finished record was committed";
}

TEST_F(ConsumerTest, TwoMembersShareFourPartitionsAndLoseNothingWhenOneLeaves) {
  const auto topic = testing::UniqueName("kafka-rebalance");
  testing::CreateTopic(topic, 4);
  const auto group = testing::UniqueName("rebalance");
  auto options = Options(group);
  options.topics = {topic};
  FakeDeadLetters dead_letters;
  Collected<std::string> seen_a;
  Collected<std::string> seen_b;
  const auto collect = [](Collected<std::string>& into) {
    return [&into](const Context&, const Message& message) -> asio::awaitable<void> {
      into.Add(message.value);
      co_return;
    };
  };
  Consumer a(io_.io(), options, dead_letters, collect(seen_a));
  Consumer b(io_.io(), options, dead_letters, collect(seen_b));
  a.Start();
  b.Start();

  std::set<std::string> sent;
  const auto send_batch = [&](const std::string& prefix) {
    std::vector<Record> records;
    for (int i = 0; i < 40; ++i) {
      const auto value = prefix + std::to_string(i);
      records.push_back(MakeRecord(topic, "key-" + std::to_string(i), value));
      sent.insert(value);
    }
    for (const auto& outcome : io_.Run(producer_.ProduceAll(Context(), records))) {
      ASSERT_TRUE(outcome.delivery) << outcome.error;
    }
  };
  const auto all_seen = [&](const std::vector<Collected<std::string>*>& by) {
    std::set<std::string> seen;
    for (auto* collected : by) {
      for (auto& value : collected->Items()) seen.insert(value);
    }
    return std::includes(seen.begin(), seen.end(), sent.begin(), sent.end());
  };

  // Both members own partitions once the group settles: each sees part of a batch.
  int round = 0;
  ASSERT_TRUE(WaitUntil(
      [&] {
        send_batch("r" + std::to_string(round++) + "-");
        return WaitUntil(
                   [&] {
                     return all_seen({&seen_a, &seen_b});
                   },
                   2s) &&
               seen_a.Size() > 0 && seen_b.Size() > 0;
      },
      12s));

  // A leaves gracefully: B takes over its partitions from A's committed offsets.
  io_.Run(a.Stop());
  const auto b_before = seen_b.Size();
  send_batch("after-");
  ASSERT_TRUE(WaitUntil([&] { return all_seen({&seen_a, &seen_b}); }));
  io_.Run(b.Stop());
  std::size_t after_in_b = 0;
  for (auto& value : seen_b.Items()) after_in_b += value.starts_with("after-") ? 1 : 0;
  EXPECT_EQ(after_in_b, 40u) << "every record sent after A left reached B";
  // At-least-once: a member whose commit loses a race with a rebalance (its generation moved
  // on) sees its uncommitted records handled again by the new owner; nothing is ever skipped.
  EXPECT_GE(seen_a.Size() + seen_b.Size(), sent.size());
  EXPECT_GT(seen_b.Size(), b_before);
}

}  // namespace
}  // namespace fo::kafka
