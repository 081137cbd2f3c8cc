#pragma once
// process_* metrics (CPU seconds, RSS, open fds, threads, start time) read from /proc at scrape
// time, named as the Prometheus client libraries of other languages name them.
#include <prometheus/collectable.h>

#include <memory>

namespace fo::metrics {

std::shared_ptr<prometheus::Collectable> MakeProcessCollector();

}  // namespace fo::metrics
