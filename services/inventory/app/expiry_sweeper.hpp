#pragma once
// Expires held reservations past their expiry, every interval, in batches. Several replicas may
// run one each: the store skips reservations another replica is expiring.
#include <boost/asio/any_io_executor.hpp>

#include "platform/app/background_loop.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::app {

class ExpirySweeper {
 public:
  static constexpr int kBatch = 100;

  ExpirySweeper(ReservationStore& store, ReservationMetrics& metrics,
                std::chrono::milliseconds interval);

  // Expires every due reservation now (batch after batch); returns how many.
  Task<int> SweepOnce(const Context& ctx);

  // Starts the loop on its own strand of `executor`.
  void Start(const boost::asio::any_io_executor& executor) { loop_.Start(executor); }
  // Ends the loop and waits until a sweep in progress has finished.
  Task<void> Stop() { return loop_.Stop(); }

 private:
  Task<std::chrono::milliseconds> Pass();

  ReservationStore& store_;
  ReservationMetrics& metrics_;
  std::chrono::milliseconds interval_;
  ::fo::app::BackgroundLoop loop_;
};

}  // namespace fo::inventory::app
