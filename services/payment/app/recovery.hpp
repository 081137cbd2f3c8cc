#pragma once
// Settles what a crash left behind, every interval: payments pending for longer than
// `settle_after` are completed or failed from the provider's ledger and the reservation's state
// (so nothing stays pending forever and no charge is recorded twice), in-flight keys whose saga
// died before recording a payment are freed, and finished keys older than the retention go.
// Several replicas may run one each: the repository skips rows another replica has locked.
#include <boost/asio/any_io_executor.hpp>

#include "platform/app/background_loop.hpp"
#include "services/payment/app/ports.hpp"

namespace fo::payment::app {

struct RecoverySettings {
  std::chrono::milliseconds interval{5000};
  std::chrono::seconds settle_after{30};
  std::chrono::hours key_retention{24};
  std::chrono::seconds reservation_ttl{300};  // for the idempotent Reserve that asks the state
};

struct RecoveryDependencies {
  PaymentRepository& payments;
  PaymentProvider& provider;
  Inventory& inventory;
  const Responses& responses;
  PaymentMetrics& metrics;
};

struct RecoveryReport {
  std::int64_t settled = 0;
  std::int64_t keys_dropped = 0;
  std::int64_t keys_purged = 0;
};

class Recovery {
 public:
  static constexpr int kBatch = 100;

  Recovery(RecoveryDependencies deps, RecoverySettings settings);

  // One pass: settles up to kBatch stale payments, frees abandoned keys, purges old ones.
  Task<RecoveryReport> RunOnce(const Context& ctx);
  // The decision for one stale pending payment (public for tests).
  Task<Change> Assess(Context ctx, Payment payment);

  void Start(const boost::asio::any_io_executor& executor) { loop_.Start(executor); }
  Task<void> Stop() { return loop_.Stop(); }

 private:
  Task<std::chrono::milliseconds> Pass();

  RecoveryDependencies deps_;
  RecoverySettings settings_;
  ::fo::app::BackgroundLoop loop_;
};

}  // namespace fo::payment::app
