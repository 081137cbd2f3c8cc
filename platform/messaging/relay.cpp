#include "platform/messaging/relay.hpp"

#include <algorithm>

#include "platform/config/env.hpp"
#include "platform/messaging/cloud_event.hpp"
#include "platform/messaging/hex.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::messaging {
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

// Only one replica relays at a time, so the rows leave in `seq` order. Transaction-scoped: a
// crashed relay cannot keep it.
const pg::Statement kLock{"messaging_relay_lock",
                          "SELECT pg_try_advisory_xact_lock(hashtext('fo.outbox.relay'))", "SELECT",
                          "outbox"};
const pg::Statement kPending{
    "messaging_relay_pending",
    "SELECT seq, id::text, topic, key, type, encode(payload, 'hex'), traceparent, tracestate, "
    "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
    "FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1",
    "SELECT", "outbox"};
const pg::Statement kMarkPublished{
    "messaging_relay_mark", "UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])",
    "UPDATE", "outbox"};
const pg::Statement kBacklog{
    "messaging_relay_backlog",
    "SELECT count(*), coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8::text "
    "FROM outbox WHERE published_at IS NULL",
    "SELECT", "outbox"};
const pg::Statement kPurge{
    "messaging_relay_purge",
    "DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1::int)", "DELETE",
    "outbox"};

Context PassContext() {
  Context ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  return ctx;
}

}  // namespace

struct OutboxRelay::Metrics {
  prometheus::Counter& published;
  prometheus::Counter& failed;
  prometheus::Gauge& backlog;
  prometheus::Gauge& oldest_age;
};

RelayOptions RelayOptions::FromEnv(std::string source) {
  RelayOptions o;
  o.source = std::move(source);
  o.batch_size = static_cast<int>(config::Int("OUTBOX_BATCH_SIZE", o.batch_size, 1, 10'000));
  o.poll_interval =
      milliseconds(config::Int("OUTBOX_POLL_INTERVAL_MS", o.poll_interval.count(), 1, 60'000));
  o.retention = std::chrono::hours(
      config::Int("OUTBOX_RETENTION_HOURS", o.retention.count(), 1, std::int64_t{24} * 365));
  return o;
}

OutboxRelay::OutboxRelay(pg::Pool& pool, kafka::Publisher& publisher, RelayOptions options)
    : pool_(pool),
      publisher_(publisher),
      options_(std::move(options)),
      backoff_(options_.poll_interval),
      loop_(
          "outbox-relay", [this] { return Pass(); }, options_.poll_interval) {
  auto& registry = metrics::Global();
  metrics_ = std::make_unique<Metrics>(Metrics{
      registry.Counter("outbox_events_published_total", "Outbox events the broker acknowledged")
          .Add({}),
      registry
          .Counter("outbox_publish_failures_total",
                   "Outbox events the broker did not take (they stay pending and are retried)")
          .Add({}),
      registry.Gauge("outbox_pending_events", "Outbox events written but not yet published")
          .Add({}),
      registry
          .Gauge("outbox_oldest_pending_age_seconds",
                 "Age of the oldest unpublished outbox event (0 when none)")
          .Add({})});
}

OutboxRelay::~OutboxRelay() = default;

asio::awaitable<void> OutboxRelay::Stop() {
  co_await loop_.Stop([this] { publisher_.AbortInFlight(); });
}

asio::awaitable<OutboxRelay::PassResult> OutboxRelay::PublishPending() {
  const Context ctx = PassContext();
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> asio::awaitable<PassResult> {
    PassResult pass;
    const auto lock = co_await tx.Query(kLock);
    if (!lock[0].Bool(0)) {
      pass.locked = true;
      co_return pass;
    }
    const auto rows = co_await tx.Query(kPending, pg::Params(options_.batch_size));
    if (rows.Empty()) co_return pass;
    std::vector<std::int64_t> seqs;
    std::vector<kafka::Record> records;
    records.reserve(static_cast<std::size_t>(rows.Rows()));
    for (int i = 0; i < rows.Rows(); ++i) {
      const auto row = rows[i];
      seqs.push_back(row.Int(0));
      kafka::Record record;
      record.topic = row.String(2);
      record.key = row.String(3);
      if (auto traceparent = row.String(6); !traceparent.empty()) {
        record.headers.push_back({"traceparent", std::move(traceparent)});
        if (auto tracestate = row.String(7); !tracestate.empty()) {
          record.headers.push_back({"tracestate", std::move(tracestate)});
        }
      }
      Encode(CloudEvent{.id = row.String(1),
                        .type = row.String(4),
                        .source = options_.source,
                        .time = row.String(8),
                        .subject = record.key,
                        .data = FromHex(row.String(5))},
             record);
      records.push_back(std::move(record));
    }
    const auto outcomes = co_await publisher_.ProduceAll(ctx, std::move(records));
    std::vector<std::int64_t> delivered;
    std::string first_error;
    for (std::size_t i = 0; i < outcomes.size() && i < seqs.size(); ++i) {
      if (outcomes[i].delivery) {
        delivered.push_back(seqs[i]);
      } else {
        ++pass.failed;
        if (first_error.empty()) first_error = outcomes[i].error;
      }
    }
    if (!delivered.empty()) co_await tx.Query(kMarkPublished, pg::Params(delivered));
    pass.published = static_cast<int>(delivered.size());
    if (pass.failed > 0) {
      log::Warn("outbox events not published; they stay pending",
                {{"failed", std::int64_t{pass.failed}}, {"error", std::string_view(first_error)}});
    }
    co_return pass;
  });
}

asio::awaitable<std::int64_t> OutboxRelay::Purge() {
  const auto result = co_await pool_.Query(
      PassContext(), kPurge, pg::Params(static_cast<std::int64_t>(options_.retention.count())));
  co_return result.AffectedRows();
}

asio::awaitable<milliseconds> OutboxRelay::Pass() {
  PassResult pass;
  try {
    pass = co_await PublishPending();
  } catch (const std::exception& e) {
    log::Warn("outbox relay pass failed", {{"error", std::string_view(e.what())}});
    pass.failed = 1;
  }
  metrics_->published.Increment(pass.published);
  metrics_->failed.Increment(pass.failed);
  try {
    const auto backlog = co_await pool_.Query(PassContext(), kBacklog);
    metrics_->backlog.Set(static_cast<double>(backlog[0].Int(0)));
    metrics_->oldest_age.Set(std::stod(backlog[0].String(1)));
    if (std::chrono::steady_clock::now() >= next_purge_) {
      next_purge_ = std::chrono::steady_clock::now() + std::chrono::minutes(10);
      co_await Purge();
    }
  } catch (const std::exception& e) {
    log::Warn("outbox bookkeeping failed", {{"error", std::string_view(e.what())}});
  }
  if (pass.failed > 0) {  // the broker or the database is down: back off, doubling
    backoff_ = std::min(options_.max_backoff, backoff_ * 2);
    co_return backoff_;
  }
  backoff_ = options_.poll_interval;
  // A full batch means more may be waiting: go again at once.
  co_return pass.published >= options_.batch_size ? milliseconds(0) : options_.poll_interval;
}

}  // namespace fo::messaging
