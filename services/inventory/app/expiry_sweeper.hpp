#pragma once
// Expires held reservations past their expiry, every interval, in batches. Several replicas may
// run one each: the store skips reservations another replica is expiring.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "services/inventory/app/ports.hpp"

namespace fo::inventory::app {

class ExpirySweeper {
 public:
  static constexpr int kBatch = 100;

  ExpirySweeper(ReservationStore& store, ReservationMetrics& metrics,
                std::chrono::milliseconds interval)
      : store_(store), metrics_(metrics), interval_(interval) {}

  // Expires every due reservation now (batch after batch); returns how many.
  Task<int> SweepOnce(const Context& ctx);

  // Starts the loop on its own strand of `executor`.
  void Start(const boost::asio::any_io_executor& executor);
  // Ends the loop and waits until a sweep in progress has finished.
  Task<void> Stop();

 private:
  Task<void> Loop();

  ReservationStore& store_;
  ReservationMetrics& metrics_;
  std::chrono::milliseconds interval_;
  std::optional<boost::asio::strand<boost::asio::any_io_executor>> strand_;
  std::optional<boost::asio::steady_timer> timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{true};
};

}  // namespace fo::inventory::app
