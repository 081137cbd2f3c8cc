// End-to-end export against a tiny in-process OTLP/HTTP collector on 127.0.0.1.
#include "platform/telemetry/tracing/otlp_exporter.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "platform/telemetry/tracing/batch_processor.hpp"
#include "platform/telemetry/tracing/otlp_encoding.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::telemetry {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Received {
  std::string target;
  std::string content_type;
  std::string api_key;
  std::string body;
};

// Answers every POST with `status`, recording what it received. Plain callbacks on one thread.
class TestCollector {
 public:
  explicit TestCollector(http::status status = http::status::ok) : status_(status) {
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestCollector() {
    ioc_.stop();
    thread_.join();
  }

  std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/v1/traces";
  }

  // Waits until `count` requests have arrived and returns them all.
  std::vector<Received> WaitFor(std::size_t count, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
    return received_;
  }

  int Connections() {
    const std::lock_guard lock(mutex_);
    return connections_;
  }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(tcp::socket s, TestCollector* c) : socket(std::move(s)), collector(c) {}

    void Read() {
      parser.emplace();
      parser->body_limit(std::uint64_t{64} << 20);  // Beast's default for requests is 1 MiB
      http::async_read(socket, buffer, *parser,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (!ec) self->Respond();
                       });
    }

    void Respond() {
      const auto& request = parser->get();
      collector->Record(request);
      response = {collector->status_, request.version()};
      response.set(http::field::content_type, "application/json");
      response.body() = "{}";
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      http::async_write(socket, response,
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (!ec) self->Read();
                        });
    }

    tcp::socket socket;
    TestCollector* collector;
    beast::flat_buffer buffer;
    std::optional<http::request_parser<http::string_body>> parser;
    http::response<http::string_body> response;
  };

  void Accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      {
        const std::lock_guard lock(mutex_);
        ++connections_;
      }
      std::make_shared<Session>(std::move(socket), this)->Read();
      Accept();
    });
  }

  void Record(const http::request<http::string_body>& request) {
    {
      const std::lock_guard lock(mutex_);
      received_.push_back(Received{std::string(request.target()),
                                   std::string(request[http::field::content_type]),
                                   std::string(request["x-api-key"]), request.body()});
    }
    changed_.notify_all();
  }

  http::status status_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_{ioc_, {asio::ip::make_address("127.0.0.1"), 0}};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Received> received_;
  int connections_ = 0;
  std::thread thread_;
};

class CaptureProcessor : public SpanProcessor {
 public:
  void OnEnd(std::unique_ptr<SpanData> span) override { spans.push_back(std::move(span)); }
  std::vector<std::unique_ptr<SpanData>> spans;
};

TracingConfig TestConfig(const std::string& endpoint) {
  TracingConfig config;
  config.service_name = "payment";
  config.resource_attributes = {{"deployment.environment", "test"}};
  config.headers = {{"x-api-key", "secret"}};
  config.endpoint = endpoint;
  config.schedule_delay = 20ms;
  config.request_timeout = 2s;
  config.export_timeout = 5s;
  return config;
}

// A URL whose port nothing listens on.
std::string RefusedUrl() {
  asio::io_context ioc;
  tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  return "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
}

// What the batch processor does: each span encoded as it ends, then the batch sent at once.
bool ExportBatch(OtlpHttpExporter& exporter, const std::vector<std::unique_ptr<SpanData>>& spans,
                 Clock::time_point deadline) {
  std::string encoded;
  for (const auto& span : spans) exporter.Encode(*span, encoded);
  return exporter.Export(encoded, spans.size(), deadline);
}

const json::value* FindAttribute(const json::array& attributes, std::string_view key) {
  for (const auto& attribute : attributes) {
    if (attribute.at("key").as_string() == key) return &attribute.at("value");
  }
  return nullptr;
}

TEST(ParseHttpUrlTest, Forms) {
  const auto full = ParseHttpUrl("http://jaeger:4318/v1/traces");
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->host, "jaeger");
  EXPECT_EQ(full->port, "4318");
  EXPECT_EQ(full->target, "/v1/traces");
  const auto bare = ParseHttpUrl("http://collector");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->port, "80");
  EXPECT_EQ(bare->target, "/");
  const auto v6 = ParseHttpUrl("http://[::1]:4318/x?y=1");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/x?y=1");
  for (const char* bad : {"https://jaeger:4318", "jaeger:4318", "http://", "http://h:port/",
                          "http://user@h/", "http://[::1"}) {
    EXPECT_FALSE(ParseHttpUrl(bad).has_value()) << bad;
  }
}

TEST(OtlpJsonTest, RepairsInvalidUtf8) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  spans.back()->name = "GET /caf\xc3\xa9/\xff";
  spans.back()->attributes = {{"url.path", std::string("/\xfe")}};
  const json::value body = json::parse(EncodeOtlpJson({{"service.name", "s"}}, spans));
  const auto& encoded = body.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_EQ(encoded.at("name").as_string(), "GET /caf\xc3\xa9/\xef\xbf\xbd");
  EXPECT_EQ(
      FindAttribute(encoded.at("attributes").as_array(), "url.path")->at("stringValue").as_string(),
      "/\xef\xbf\xbd");
}

TEST(OtlpJsonTest, EncodesEventsAndNonFiniteDoubles) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  SpanData& span = *spans.back();
  span.context.trace_id[15] = 1;
  span.context.span_id[7] = 2;
  span.kind = SpanKind::kConsumer;
  span.attributes = {{"nan", std::nan("")}, {"big", std::int64_t{-9007199254740993}}};
  span.events.push_back(SpanEvent{"exception", 42, {{"exception.message", std::string("x")}}});
  span.dropped_attributes = 3;
  const json::value body = json::parse(EncodeOtlpJson({{"service.name", "s"}}, spans));
  const auto& encoded = body.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_EQ(encoded.at("traceId").as_string(), "00000000000000000000000000000001");
  EXPECT_EQ(encoded.at("spanId").as_string(), "0000000000000002");
  EXPECT_FALSE(encoded.as_object().contains("parentSpanId"));  // root span
  EXPECT_EQ(encoded.at("kind").as_int64(), 5);
  const auto& attributes = encoded.at("attributes").as_array();
  EXPECT_EQ(FindAttribute(attributes, "nan")->at("doubleValue").as_string(), "NaN");
  EXPECT_EQ(FindAttribute(attributes, "big")->at("intValue").as_string(), "-9007199254740993");
  EXPECT_EQ(encoded.at("droppedAttributesCount").as_int64(), 3);
  EXPECT_EQ(encoded.at("events").at(0).at("timeUnixNano").as_string(), "42");
  EXPECT_EQ(encoded.at("status").at("code").as_int64(), 0);
}

// The JSON is written by hand, so a strict parser must read back exactly what went in: every
// character JSON escapes, in every string field, and doubles to the last bit.
TEST(OtlpJsonTest, EscapesEveryStringAndKeepsDoublesExact) {
  const std::string nasty = std::string("q\"b\\s/n\nr\rt\tz") + '\0' + "\x01\x1f\x7f end";
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  SpanData& span = *spans.back();
  span.name = nasty;
  span.context.trace_state = "k=v";
  span.attributes = {{nasty, nasty},
                     {"tenth", 0.1},
                     {"huge", 1e300},
                     {"tiny", -5e-324},
                     {"negative_zero", -0.0},
                     {"minus_infinity", -std::numeric_limits<double>::infinity()},
                     {"min", std::numeric_limits<std::int64_t>::min()},
                     {"yes", true}};
  span.events.push_back(SpanEvent{nasty, 7, {{"k", nasty}}});
  span.status = StatusCode::kError;
  span.status_message = nasty;
  spans.push_back(std::make_unique<SpanData>());  // a second span: the separator between them
  spans.back()->name = "second";
  const json::value body = json::parse(EncodeOtlpJson({{"service.name", nasty}}, spans));
  const auto& scope_spans = body.at("resourceSpans").at(0).at("scopeSpans").at(0);
  ASSERT_EQ(scope_spans.at("spans").as_array().size(), 2U);
  const auto& encoded = scope_spans.at("spans").at(0);
  EXPECT_EQ(encoded.at("name").as_string(), nasty);
  EXPECT_EQ(encoded.at("traceState").as_string(), "k=v");
  const auto& attributes = encoded.at("attributes").as_array();
  EXPECT_EQ(FindAttribute(attributes, nasty)->at("stringValue").as_string(), nasty);
  for (const auto& [key, expected] : std::vector<std::pair<std::string, double>>{
           {"tenth", 0.1}, {"huge", 1e300}, {"tiny", -5e-324}, {"negative_zero", -0.0}}) {
    const double read = FindAttribute(attributes, key)->at("doubleValue").to_number<double>();
    EXPECT_EQ(std::bit_cast<std::uint64_t>(read), std::bit_cast<std::uint64_t>(expected)) << key;
  }
  EXPECT_EQ(FindAttribute(attributes, "minus_infinity")->at("doubleValue").as_string(),
            "-Infinity");
  EXPECT_EQ(FindAttribute(attributes, "min")->at("intValue").as_string(), "-9223372036854775808");
  EXPECT_EQ(FindAttribute(attributes, "yes")->at("boolValue").as_bool(), true);
  EXPECT_EQ(encoded.at("events").at(0).at("name").as_string(), nasty);
  EXPECT_EQ(FindAttribute(encoded.at("events").at(0).at("attributes").as_array(), "k")
                ->at("stringValue")
                .as_string(),
            nasty);
  EXPECT_EQ(encoded.at("status").at("code").as_int64(), 2);
  EXPECT_EQ(encoded.at("status").at("message").as_string(), nasty);
  EXPECT_EQ(scope_spans.at("spans").at(1).at("name").as_string(), "second");
  EXPECT_TRUE(scope_spans.at("spans").at(1).at("attributes").as_array().empty());
}

TEST(OtlpHttpExporterTest, PostsOtlpJsonWhenAskedAndReusesTheConnection) {
  TestCollector collector;
  auto capture = std::make_shared<CaptureProcessor>();
  const Tracer tracer(Sampler(), capture);
  const auto parent = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  {
    Span span = tracer.StartSpan("POST /api/payments", SpanKind::kServer, &*parent);
    span.SetAttribute("http.request.method", "POST");
    span.SetAttribute("http.response.status_code", 201);
    span.SetAttribute("payment.retried", false);
    span.SetAttribute("payment.amount_ratio", 0.25);
    span.SetStatus(StatusCode::kError, "card declined");
  }
  ASSERT_EQ(capture->spans.size(), 1U);
  const SpanData& data = *capture->spans[0];

  TracingConfig config = TestConfig(collector.Url());
  config.protocol = OtlpProtocol::kHttpJson;
  OtlpHttpExporter exporter(config, *ParseHttpUrl(collector.Url()));
  ASSERT_TRUE(ExportBatch(exporter, capture->spans, Clock::now() + 5s));
  ASSERT_TRUE(ExportBatch(exporter, capture->spans, Clock::now() + 5s));
  const auto received = collector.WaitFor(2);
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(collector.Connections(), 1);  // keep-alive
  EXPECT_EQ(received[0].target, "/v1/traces");
  EXPECT_EQ(received[0].content_type, "application/json");
  EXPECT_EQ(received[0].api_key, "secret");

  const json::value body = json::parse(received[0].body);
  const auto& resource_spans = body.at("resourceSpans").at(0);
  const auto& resource = resource_spans.at("resource").at("attributes").as_array();
  EXPECT_EQ(FindAttribute(resource, "service.name")->at("stringValue").as_string(), "payment");
  EXPECT_EQ(FindAttribute(resource, "deployment.environment")->at("stringValue").as_string(),
            "test");
  EXPECT_EQ(FindAttribute(resource, "telemetry.sdk.language")->at("stringValue").as_string(),
            "cpp");
  const auto& scope_spans = resource_spans.at("scopeSpans").at(0);
  EXPECT_EQ(scope_spans.at("scope").at("name").as_string(), "full-observability");
  const auto& span = scope_spans.at("spans").at(0);
  EXPECT_EQ(span.at("name").as_string(), "POST /api/payments");
  EXPECT_EQ(span.at("traceId").as_string(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(span.at("spanId").as_string(), data.context.SpanIdHex());
  EXPECT_EQ(span.at("spanId").as_string().size(), 16U);
  EXPECT_EQ(span.at("parentSpanId").as_string(), "b7ad6b7169203331");
  EXPECT_EQ(span.at("kind").as_int64(), 2);       // SPAN_KIND_SERVER
  EXPECT_EQ(span.at("flags").as_int64(), 0x301);  // sampled, has-is-remote, remote parent
  EXPECT_EQ(span.at("startTimeUnixNano").as_string(), std::to_string(data.start_unix_nano));
  EXPECT_EQ(span.at("endTimeUnixNano").as_string(), std::to_string(data.end_unix_nano));
  const auto& attributes = span.at("attributes").as_array();
  EXPECT_EQ(FindAttribute(attributes, "http.request.method")->at("stringValue").as_string(),
            "POST");
  EXPECT_EQ(FindAttribute(attributes, "http.response.status_code")->at("intValue").as_string(),
            "201");
  EXPECT_EQ(FindAttribute(attributes, "payment.retried")->at("boolValue").as_bool(), false);
  EXPECT_DOUBLE_EQ(
      FindAttribute(attributes, "payment.amount_ratio")->at("doubleValue").to_number<double>(),
      0.25);
  EXPECT_EQ(span.at("status").at("code").as_int64(), 2);
  EXPECT_EQ(span.at("status").at("message").as_string(), "card declined");
}

TEST(OtlpHttpExporterTest, PostsProtobufByDefault) {
  TestCollector collector;
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  spans.back()->name = "GET /api/products/{id}";
  OtlpHttpExporter exporter(TestConfig(collector.Url()), *ParseHttpUrl(collector.Url()));
  ASSERT_TRUE(ExportBatch(exporter, spans, Clock::now() + 5s));
  spans.back()->name = "second";
  ASSERT_TRUE(ExportBatch(exporter, spans, Clock::now() + 5s));
  const auto received = collector.WaitFor(2);
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[0].content_type, "application/x-protobuf");
  std::string expected;
  EncodeOtlpProtobuf(BuildResource(TestConfig(collector.Url())), spans, expected);
  EXPECT_EQ(received[1].body, expected);  // the reused buffer holds the second batch alone
  EXPECT_NE(received[0].body.find("GET /api/products/{id}"), std::string::npos);
  EXPECT_EQ(received[0].body.find("second"), std::string::npos);
}

// The request goes out as three parts (head, the batch where it lies, tail) in one write; a batch
// larger than a loopback socket's buffer is written in pieces that cross the parts' boundaries.
TEST(OtlpHttpExporterTest, ABatchLargerThanTheSocketBufferArrivesWholeInBothEncodings) {
  std::vector<std::unique_ptr<SpanData>> spans;
  const std::string query(200, 'q');
  for (int i = 0; i < 4000; ++i) {
    spans.push_back(std::make_unique<SpanData>());
    spans.back()->name = "SELECT products " + std::to_string(i);
    spans.back()->attributes.Set("db.query.text", std::string_view(query));
  }
  for (const auto protocol : {OtlpProtocol::kHttpProtobuf, OtlpProtocol::kHttpJson}) {
    TestCollector collector;
    auto config = TestConfig(collector.Url());
    config.protocol = protocol;
    OtlpHttpExporter exporter(config, *ParseHttpUrl(collector.Url()));
    ASSERT_TRUE(ExportBatch(exporter, spans, Clock::now() + 5s));
    const auto received = collector.WaitFor(1);
    ASSERT_EQ(received.size(), 1U);
    std::string expected;
    if (protocol == OtlpProtocol::kHttpJson) {
      expected = EncodeOtlpJson(BuildResource(config), spans);
    } else {
      EncodeOtlpProtobuf(BuildResource(config), spans, expected);
    }
    EXPECT_GT(expected.size(), std::size_t{1} << 20);
    EXPECT_EQ(received[0].body, expected);
  }
}

TEST(OtlpHttpExporterTest, ServerErrorIsNotRetriedButUnavailableIsRetriedOnce) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  {
    TestCollector collector(http::status::bad_request);
    OtlpHttpExporter exporter(TestConfig(collector.Url()), *ParseHttpUrl(collector.Url()));
    EXPECT_FALSE(ExportBatch(exporter, spans, Clock::now() + 5s));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(collector.WaitFor(1).size(), 1U);
  }
  {
    TestCollector collector(http::status::service_unavailable);
    OtlpHttpExporter exporter(TestConfig(collector.Url()), *ParseHttpUrl(collector.Url()));
    EXPECT_FALSE(ExportBatch(exporter, spans, Clock::now() + 5s));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(collector.WaitFor(3, 100ms).size(), 2U);  // one retry, no more
  }
}

TEST(OtlpHttpExporterTest, UnreachableEndpointCountsAFailedBatchQuickly) {
  const std::string url = RefusedUrl();
  BatchSpanProcessor processor(
      std::make_unique<OtlpHttpExporter>(TestConfig(url), *ParseHttpUrl(url)),
      BatchOptions{.max_queue_size = 16,
                   .max_export_batch_size = 16,
                   .schedule_delay = 10s,
                   .export_timeout = 5s});
  processor.OnEnd(std::make_unique<SpanData>());
  const auto start = Clock::now();
  EXPECT_TRUE(processor.ForceFlush(5s));
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(processor.Stats().failed_batches, 1U);
  EXPECT_EQ(processor.Stats().exported, 0U);
}

TEST(OtlpHttpExporterTest, SilentCollectorTimesOut) {
  // Connections complete in the kernel's backlog, but nothing ever answers.
  asio::io_context ioc;
  tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const std::string url =
      "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/v1/traces";
  TracingConfig config = TestConfig(url);
  config.request_timeout = 200ms;
  OtlpHttpExporter exporter(config, *ParseHttpUrl(url));
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  const auto start = Clock::now();
  EXPECT_FALSE(ExportBatch(exporter, spans, Clock::now() + 10s));
  const auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 2s);  // two attempts of 200 ms at most
}

TEST(GlobalTracingTest, InitExportShutdown) {
  TestCollector collector;
  InitTracing(TestConfig(collector.Url()));
  const auto parent = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  {
    Span span = GetTracer().StartSpan("GET /health", SpanKind::kServer, &*parent);
    EXPECT_TRUE(span.IsRecording());
  }
  ShutdownTracing(5s);
  const auto received = collector.WaitFor(1);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_NE(received[0].body.find("GET /health"), std::string::npos);
  EXPECT_EQ(GetExporterStats().exported, 1U);
  // After shutdown spans still carry ids for logs, but are not recorded.
  const Span late = GetTracer().StartSpan("late", SpanKind::kInternal, nullptr);
  EXPECT_TRUE(late.Context().IsValid());
  EXPECT_FALSE(late.IsRecording());

  TracingConfig disabled;
  disabled.enabled = false;
  InitTracing(disabled);
  EXPECT_FALSE(GetTracer().StartSpan("x", SpanKind::kInternal, nullptr).Context().IsValid());
  EXPECT_EQ(GetExporterStats().exported, 0U);
}

TEST(GlobalTracingTest, ShutdownDoesNotHangPastItsTimeout) {
  asio::io_context ioc;
  tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const std::string url =
      "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/v1/traces";
  TracingConfig config = TestConfig(url);
  config.request_timeout = 30s;
  config.export_timeout = 30s;
  config.schedule_delay = 1ms;
  InitTracing(config);
  GetTracer().StartSpan("stuck", SpanKind::kClient, nullptr).End();
  std::this_thread::sleep_for(50ms);  // the export is now waiting for an answer
  const auto start = Clock::now();
  ShutdownTracing(300ms);
  const auto elapsed = Clock::now() - start;
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(GetExporterStats().failed_batches, 1U);

  TracingConfig disabled;
  disabled.enabled = false;
  InitTracing(disabled);
}

TEST(GlobalTracingTest, ExporterNoneStillGivesIds) {
  TracingConfig config;
  config.export_enabled = false;
  InitTracing(config);
  Span span = GetTracer().StartSpan("x", SpanKind::kServer, nullptr);
  EXPECT_TRUE(span.Context().IsValid());
  EXPECT_TRUE(span.Context().Sampled());
  EXPECT_FALSE(span.IsRecording());
  TracingConfig disabled;
  disabled.enabled = false;
  InitTracing(disabled);
}

}  // namespace
}  // namespace fo::telemetry
