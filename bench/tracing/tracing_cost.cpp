// The tracing SDK's own CPU cost per request, with no network and no collector in the way: what a
// product read request records (a server span with five attributes and a child SQL span with
// four), ended into the batch processor, whose exporter encodes every batch (OTLP protobuf or
// JSON) and discards it. Service-level runs on a shared VM swing by 10% between rounds; this
// isolates the part of the cost the SDK controls.
//
// Modes alternate within one process; each reports the median over rounds of the process's CPU
// time (request thread and export thread) per request. "off" is the SDK disabled: the loop's own
// work, the reference the others are read against.
//
// `fo_tracing_cost threads SPANS ROUNDS` measures something else: the wall time to start and end a
// span with one thread, then with two threads at once on two CPUs, as a service with an I/O thread
// per core does. Any state the SDK shares between threads shows up as the gap between the two.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/telemetry/tracing/batch_processor.hpp"
#include "platform/telemetry/tracing/otlp_encoding.hpp"
#include "platform/telemetry/tracing/sampler.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::telemetry {
namespace {

enum class Mode { kOff, kUnsampled, kProtobuf, kJson };

// The OTLP exporter without its HTTP client: spans encoded as they end, each batch's request
// written and discarded.
class EncodingSink final : public SpanExporter {
 public:
  explicit EncodingSink(bool json)
      : encoder_(json ? OtlpProtocol::kHttpJson : OtlpProtocol::kHttpProtobuf,
                 {{"service.name", "product"}, {"service.version", "bench"}}) {}
  void Encode(const SpanData& span, std::string& out) const override {
    encoder_.AppendSpan(span, out);
  }
  bool Export(std::string_view spans, std::size_t /*count*/,
              std::chrono::steady_clock::time_point /*deadline*/) override {
    encoder_.FrameRequest(spans, frame_);
    return !frame_.head.empty();
  }

 private:
  const OtlpEncoder encoder_;
  OtlpRequestFrame frame_;
};

double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// What pipeline.cpp and pg/pool.cpp record for GET /api/products/{id}.
void OneRequest(const Tracer& tracer) {
  static const std::string kMethod = "GET";
  static const std::string kRoute = "/api/products/{id}";
  static const std::string kPath = "/api/products/450";
  static const std::string kClient = "127.0.0.1";
  static const std::string kSql =
      "SELECT id, name, description, price_cents, currency, active, created_at, updated_at "
      "FROM products WHERE id = $1 AND active";
  auto span = tracer.StartSpan(kMethod + " " + kRoute, SpanKind::kServer, nullptr);
  span.SetAttribute("http.request.method", kMethod);
  span.SetAttribute("http.route", kRoute);
  span.SetAttribute("url.path", kPath);
  span.SetAttribute("client.address", kClient);
  {
    const SpanContext& parent = span.Context();
    auto query = tracer.StartSpan("SELECT products", SpanKind::kClient, &parent);
    query.SetAttribute("db.system", "postgresql");
    query.SetAttribute("db.operation.name", std::string_view("SELECT"));
    query.SetAttribute("db.collection.name", std::string_view("products"));
    query.SetAttribute("db.query.text", kSql);
  }
  span.SetAttribute("http.response.status_code", std::int64_t{200});
}

struct Measurement {
  double cpu_us_per_request = 0;
  std::uint64_t dropped = 0;
};

Measurement Run(Mode mode, int requests) {
  auto processor = std::make_shared<BatchSpanProcessor>(
      std::make_unique<EncodingSink>(mode == Mode::kJson), BatchOptions{});
  const SamplerKind kind =
      mode == Mode::kUnsampled ? SamplerKind::kAlwaysOff : SamplerKind::kAlwaysOn;
  Tracer tracer;
  tracer.Configure(mode != Mode::kOff, Sampler({.kind = kind}), processor);
  const double start = ProcessCpuSeconds();
  for (int i = 1; i <= requests; ++i) {
    OneRequest(tracer);
    // The export thread runs beside the requests, as in a service, where it gets the CPU some
    // time after a batch fills: a 1 ms pause every 300 requests (600 spans, one batch and a bit)
    // gives it the CPU (a pause costs no CPU time), and a wait for it every 900 requests keeps a
    // slow encoder from overflowing the queue (2048): a dropped span would flatter the figure.
    if (i % 300 == 0) {
      const timespec pause{0, 1'000'000};
      nanosleep(&pause, nullptr);
    }
    if (i % 900 == 0) processor->ForceFlush(std::chrono::seconds(30));
  }
  processor->ForceFlush(std::chrono::seconds(30));
  const double cpu = ProcessCpuSeconds() - start;
  processor->Shutdown(std::chrono::seconds(5));
  return {.cpu_us_per_request = cpu * 1e6 / requests, .dropped = processor->Stats().dropped};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Hands each thread back the SpanData it ended last, so the figure is the tracer's own work: no
// encoding, no queue, no allocation.
thread_local std::unique_ptr<SpanData> last_ended;
class RecyclingProcessor final : public SpanProcessor {
 public:
  std::unique_ptr<SpanData> NewSpanData() override {
    return last_ended ? std::move(last_ended) : std::make_unique<SpanData>();
  }
  void OnEnd(std::unique_ptr<SpanData> span) override {
    ResetForReuse(*span);
    last_ended = std::move(span);
  }
};

// Nanoseconds of wall time per span for each of `threads` threads starting and ending spans at
// once (the mean over the threads).
double NanosPerSpan(const Tracer& tracer, int threads, int spans) {
  std::vector<double> nanos(static_cast<std::size_t>(threads));
  std::atomic<int> ready{0};
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < threads) {
      }  // all start together, so they overlap
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < spans; ++i) {
        const Span span = tracer.StartSpan("span", SpanKind::kInternal, nullptr);
      }
      nanos[static_cast<std::size_t>(t)] =
          std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
              .count() /
          spans;
    });
  }
  for (std::thread& worker : workers) worker.join();
  double sum = 0;
  for (const double n : nanos) sum += n;
  return sum / threads;
}

int ThreadsMain(int spans, int rounds) {
  std::printf(
      "| spans started and ended | ns per span, 1 thread | ns per span, each of 2 threads at once "
      "|\n|---|---|---|\n");
  for (const bool sampled : {false, true}) {
    Tracer tracer(Sampler({.kind = sampled ? SamplerKind::kAlwaysOn : SamplerKind::kAlwaysOff}),
                  std::make_shared<RecyclingProcessor>());
    NanosPerSpan(tracer, 2, spans / 4);  // warm up
    std::vector<double> one;
    std::vector<double> two;
    for (int round = 0; round < rounds; ++round) {
      one.push_back(NanosPerSpan(tracer, 1, spans));
      two.push_back(NanosPerSpan(tracer, 2, spans));
    }
    std::printf("| %s | %.1f | %.1f |\n", sampled ? "sampled" : "not sampled", Median(one),
                Median(two));
  }
  std::printf("\n%d rounds of %d spans per thread, medians.\n", rounds, spans);
  return 0;
}

int Main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "threads") {
    const int spans = argc > 2 ? std::max(1000, std::atoi(argv[2])) : 2'000'000;
    const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    return ThreadsMain(spans, rounds);
  }
  const int requests = argc > 1 ? std::max(1000, std::atoi(argv[1])) : 200'000;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  struct Row {
    Mode mode;
    const char* label;
    std::vector<double> samples;
    std::uint64_t dropped = 0;
  };
  std::vector<Row> rows{{Mode::kOff, "off (SDK disabled)", {}},
                        {Mode::kUnsampled, "on, not sampled", {}},
                        {Mode::kProtobuf, "sampled, OTLP protobuf", {}},
                        {Mode::kJson, "sampled, OTLP JSON", {}}};
  Run(Mode::kProtobuf, requests / 4);  // warm the allocator and the caches
  for (int round = 0; round < rounds; ++round) {
    for (Row& row : rows) {
      const Measurement m = Run(row.mode, requests);
      row.samples.push_back(m.cpu_us_per_request);
      row.dropped += m.dropped;
    }
  }
  const double off = Median(rows.front().samples);
  std::printf(
      "| mode | CPU µs per request | SDK's cost, µs | spans dropped |\n|---|---|---|---|\n");
  for (const Row& row : rows) {
    const double median = Median(row.samples);
    std::printf("| %s | %.3f | %+.3f | %llu |\n", row.label, median, median - off,
                static_cast<unsigned long long>(row.dropped));
  }
  std::printf("\n%d rounds of %d requests per mode (two spans each), medians.\n", rounds, requests);
  return 0;
}

}  // namespace
}  // namespace fo::telemetry

int main(int argc, char** argv) { return fo::telemetry::Main(argc, argv); }
