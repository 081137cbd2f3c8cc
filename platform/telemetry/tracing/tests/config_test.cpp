#include "platform/telemetry/tracing/config.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace fo::telemetry {
namespace {

using Env = std::map<std::string, std::string>;
using Pair = std::pair<std::string, std::string>;

TracingConfig FromMap(const Env& env, std::string_view fallback = {}) {
  return TracingConfig::FromLookup(
      [&env](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end() || it->second.empty()) return std::nullopt;
        return it->second;
      },
      fallback);
}

TEST(TracingConfigTest, Defaults) {
  const TracingConfig config = FromMap({});
  EXPECT_TRUE(config.enabled);
  EXPECT_TRUE(config.export_enabled);
  EXPECT_EQ(config.service_name.rfind("unknown_service:", 0), 0U);
  EXPECT_EQ(config.sampler.kind, SamplerKind::kParentBasedAlwaysOn);
  EXPECT_EQ(config.endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(config.protocol, OtlpProtocol::kHttpProtobuf);  // the spec's default
  EXPECT_EQ(config.schedule_delay, std::chrono::milliseconds(5000));
  EXPECT_EQ(config.max_queue_size, 2048U);
  EXPECT_EQ(config.max_export_batch_size, 512U);
  EXPECT_EQ(config.export_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(config.request_timeout, std::chrono::milliseconds(10000));
  EXPECT_TRUE(config.headers.empty());
  EXPECT_TRUE(config.warnings.empty());
  EXPECT_EQ(FromMap({}, "user").service_name, "user");
}

TEST(TracingConfigTest, SdkDisabled) {
  EXPECT_FALSE(FromMap({{"OTEL_SDK_DISABLED", "true"}}).enabled);
  EXPECT_FALSE(FromMap({{"OTEL_SDK_DISABLED", "TRUE"}}).enabled);
  EXPECT_TRUE(FromMap({{"OTEL_SDK_DISABLED", "false"}}).enabled);
  const TracingConfig odd = FromMap({{"OTEL_SDK_DISABLED", "yes"}});
  EXPECT_TRUE(odd.enabled);  // only "true" disables
  EXPECT_EQ(odd.warnings.size(), 1U);
}

TEST(TracingConfigTest, ServiceNameAndResourceAttributes) {
  const TracingConfig config =
      FromMap({{"OTEL_RESOURCE_ATTRIBUTES",
                "service.name=from-attrs, deployment.environment = prod ,team=a%2Cb%20c"}});
  EXPECT_EQ(config.service_name, "from-attrs");
  EXPECT_EQ(config.resource_attributes,
            (KeyValues{Pair{"deployment.environment", "prod"}, Pair{"team", "a,b c"}}));

  const TracingConfig named = FromMap(
      {{"OTEL_SERVICE_NAME", "payment"}, {"OTEL_RESOURCE_ATTRIBUTES", "service.name=other"}},
      "fallback");
  EXPECT_EQ(named.service_name, "payment");  // OTEL_SERVICE_NAME wins
}

TEST(TracingConfigTest, MalformedResourceAttributesAreDiscardedWhole) {
  const TracingConfig config = FromMap({{"OTEL_RESOURCE_ATTRIBUTES", "a=1,broken,b=2"}}, "svc");
  EXPECT_TRUE(config.resource_attributes.empty());
  EXPECT_EQ(config.service_name, "svc");
  EXPECT_EQ(config.warnings.size(), 1U);
}

TEST(TracingConfigTest, Samplers) {
  struct Case {
    const char* name;
    SamplerKind kind;
  };
  for (const Case& c :
       {Case{"always_on", SamplerKind::kAlwaysOn}, Case{"always_off", SamplerKind::kAlwaysOff},
        Case{"traceidratio", SamplerKind::kTraceIdRatio},
        Case{"parentbased_always_on", SamplerKind::kParentBasedAlwaysOn},
        Case{"parentbased_always_off", SamplerKind::kParentBasedAlwaysOff},
        Case{"ParentBased_TraceIdRatio", SamplerKind::kParentBasedTraceIdRatio}}) {
    EXPECT_EQ(FromMap({{"OTEL_TRACES_SAMPLER", c.name}}).sampler.kind, c.kind) << c.name;
  }
  const TracingConfig unknown = FromMap({{"OTEL_TRACES_SAMPLER", "jaeger_remote"}});
  EXPECT_EQ(unknown.sampler.kind, SamplerKind::kParentBasedAlwaysOn);
  EXPECT_EQ(unknown.warnings.size(), 1U);
}

TEST(TracingConfigTest, SamplerRatio) {
  const TracingConfig config =
      FromMap({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.25"}});
  EXPECT_DOUBLE_EQ(config.sampler.ratio, 0.25);
  for (const char* bad : {"abc", "1.5", "-0.1", "0.5x"}) {
    const TracingConfig invalid = FromMap(
        {{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", bad}});
    EXPECT_DOUBLE_EQ(invalid.sampler.ratio, 1.0) << bad;
    EXPECT_EQ(invalid.warnings.size(), 1U) << bad;
  }
}

TEST(TracingConfigTest, Protocols) {
  EXPECT_EQ(FromMap({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}}).protocol,
            OtlpProtocol::kHttpJson);
  EXPECT_EQ(FromMap({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"}}).protocol,
            OtlpProtocol::kHttpProtobuf);
  const TracingConfig specific = FromMap({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
                                          {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"}});
  EXPECT_EQ(specific.protocol, OtlpProtocol::kHttpProtobuf);  // the traces variable wins
  EXPECT_TRUE(specific.warnings.empty());
  const TracingConfig grpc = FromMap({{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"}});
  EXPECT_EQ(grpc.protocol, OtlpProtocol::kHttpProtobuf);
  ASSERT_EQ(grpc.warnings.size(), 1U);
  EXPECT_NE(grpc.warnings[0].find("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"), std::string::npos);
}

TEST(TracingConfigTest, Endpoints) {
  EXPECT_EQ(FromMap({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318"}}).endpoint,
            "http://jaeger:4318/v1/traces");
  EXPECT_EQ(FromMap({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector/otlp/"}}).endpoint,
            "http://collector/otlp/v1/traces");
  EXPECT_EQ(FromMap({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318"},
                     {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://other:9999/custom"}})
                .endpoint,
            "http://other:9999/custom");  // used as is
}

TEST(TracingConfigTest, HeadersMergeSignalSpecificOverGeneric) {
  const TracingConfig config =
      FromMap({{"OTEL_EXPORTER_OTLP_HEADERS", "api-key=generic,X-Tenant=a%20b"},
               {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "API-Key=traces"}});
  EXPECT_EQ(config.headers, (KeyValues{Pair{"api-key", "traces"}, Pair{"X-Tenant", "a b"}}));
  const TracingConfig injected =
      FromMap({{"OTEL_EXPORTER_OTLP_HEADERS", "good=1,evil=x%0D%0AHost: attacker"}});
  EXPECT_EQ(injected.headers, (KeyValues{Pair{"good", "1"}}));
}

TEST(TracingConfigTest, ExporterNone) {
  const TracingConfig config = FromMap({{"OTEL_TRACES_EXPORTER", "none"}});
  EXPECT_TRUE(config.enabled);
  EXPECT_FALSE(config.export_enabled);
  EXPECT_TRUE(FromMap({{"OTEL_TRACES_EXPORTER", "otlp"}}).export_enabled);
}

TEST(TracingConfigTest, BatchSettings) {
  const TracingConfig config = FromMap({{"OTEL_BSP_SCHEDULE_DELAY", "250"},
                                        {"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
                                        {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"},
                                        {"OTEL_BSP_EXPORT_TIMEOUT", "1500"},
                                        {"OTEL_EXPORTER_OTLP_TIMEOUT", "700"}});
  EXPECT_EQ(config.schedule_delay, std::chrono::milliseconds(250));
  EXPECT_EQ(config.max_queue_size, 100U);
  EXPECT_EQ(config.max_export_batch_size, 10U);
  EXPECT_EQ(config.export_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(config.request_timeout, std::chrono::milliseconds(700));
  EXPECT_TRUE(config.warnings.empty());
}

TEST(TracingConfigTest, InvalidBatchSettingsKeepDefaults) {
  const TracingConfig config = FromMap({{"OTEL_BSP_SCHEDULE_DELAY", "soon"},
                                        {"OTEL_BSP_MAX_QUEUE_SIZE", "-5"},
                                        {"OTEL_BSP_EXPORT_TIMEOUT", "0"}});
  EXPECT_EQ(config.schedule_delay, std::chrono::milliseconds(5000));
  EXPECT_EQ(config.max_queue_size, 2048U);
  EXPECT_EQ(config.export_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(config.warnings.size(), 3U);

  const TracingConfig clamped =
      FromMap({{"OTEL_BSP_MAX_QUEUE_SIZE", "8"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64"}});
  EXPECT_EQ(clamped.max_export_batch_size, 8U);
}

}  // namespace
}  // namespace fo::telemetry
