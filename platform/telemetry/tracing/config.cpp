#include "platform/telemetry/tracing/config.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>

#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {
namespace {

constexpr std::string_view kDefaultBaseEndpoint = "http://localhost:4318";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return detail::AsciiLower(a) == detail::AsciiLower(b);
}

// "k1=v1,k2=v2" in W3C baggage syntax without properties, keys and values percent-decoded. The
// spec says a malformed list is discarded whole, so any bad member yields nullopt.
std::optional<KeyValues> ParseKeyValueList(std::string_view text) {
  KeyValues out;
  for (std::string_view raw : detail::Split(text, ',')) {
    const std::string_view member = detail::TrimOws(raw);
    if (member.empty()) continue;
    const std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = detail::PercentDecode(detail::TrimOws(member.substr(0, eq)));
    std::string value = detail::PercentDecode(detail::TrimOws(member.substr(eq + 1)));
    if (key.empty()) return std::nullopt;
    detail::Upsert(out, std::move(key), std::move(value));
  }
  return out;
}

class EnvReader {
 public:
  EnvReader(const EnvLookup& lookup, std::vector<std::string>& warnings)
      : lookup_(lookup), warnings_(warnings) {}

  std::optional<std::string> Get(const char* name) const {
    std::optional<std::string> value = lookup_(name);
    if (!value) return std::nullopt;
    const std::string_view trimmed = detail::TrimOws(*value);
    if (trimmed.empty()) return std::nullopt;
    return std::string(trimmed);
  }

  void Warn(const char* name, std::string_view problem) const {
    warnings_.push_back(std::string(name) + ": " + std::string(problem));
  }

  // A strictly positive integer (or >= 0 when `allow_zero`), else the fallback.
  std::optional<std::int64_t> Integer(const char* name, bool allow_zero = false) const {
    const auto value = Get(name);
    if (!value) return std::nullopt;
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
    if (ec != std::errc() || end != value->data() + value->size() || parsed < 0 ||
        (parsed == 0 && !allow_zero)) {
      Warn(name, "expected a " + std::string(allow_zero ? "non-negative" : "positive") +
                     " integer, got \"" + *value + "\"; using the default");
      return std::nullopt;
    }
    return parsed;
  }

  std::optional<KeyValues> List(const char* name) const {
    const auto value = Get(name);
    if (!value) return KeyValues{};
    auto parsed = ParseKeyValueList(*value);
    if (!parsed) Warn(name, "malformed key=value list; ignored");
    return parsed;
  }

 private:
  const EnvLookup& lookup_;
  std::vector<std::string>& warnings_;
};

void ReadService(const EnvReader& env, std::string_view fallback, TracingConfig& config) {
  config.resource_attributes = env.List("OTEL_RESOURCE_ATTRIBUTES").value_or(KeyValues{});
  auto& attrs = config.resource_attributes;
  auto service = std::find_if(attrs.begin(), attrs.end(),
                              [](const auto& kv) { return kv.first == "service.name"; });
  if (service != attrs.end()) {
    config.service_name = service->second;
    attrs.erase(service);
  }
  if (auto name = env.Get("OTEL_SERVICE_NAME")) config.service_name = *name;
  if (config.service_name.empty()) {
    config.service_name = !fallback.empty()
                              ? std::string(fallback)
                              : "unknown_service:" + std::string(program_invocation_short_name);
  }
}

void ReadSampler(const EnvReader& env, TracingConfig& config) {
  struct Named {
    std::string_view name;
    SamplerKind kind;
  };
  static constexpr Named kSamplers[] = {
      {"always_on", SamplerKind::kAlwaysOn},
      {"always_off", SamplerKind::kAlwaysOff},
      {"traceidratio", SamplerKind::kTraceIdRatio},
      {"parentbased_always_on", SamplerKind::kParentBasedAlwaysOn},
      {"parentbased_always_off", SamplerKind::kParentBasedAlwaysOff},
      {"parentbased_traceidratio", SamplerKind::kParentBasedTraceIdRatio},
  };
  if (auto name = env.Get("OTEL_TRACES_SAMPLER")) {
    const std::string lower = detail::AsciiLower(*name);
    const auto* found = std::find_if(std::begin(kSamplers), std::end(kSamplers),
                                     [&](const Named& s) { return s.name == lower; });
    if (found != std::end(kSamplers)) {
      config.sampler.kind = found->kind;
    } else {
      env.Warn("OTEL_TRACES_SAMPLER", "unsupported sampler \"" + *name + "\"; using the default");
    }
  }
  const bool ratio_based = config.sampler.kind == SamplerKind::kTraceIdRatio ||
                           config.sampler.kind == SamplerKind::kParentBasedTraceIdRatio;
  const auto arg = env.Get("OTEL_TRACES_SAMPLER_ARG");
  if (!ratio_based || !arg) return;
  char* end = nullptr;
  errno = 0;
  const double ratio = std::strtod(arg->c_str(), &end);
  if (errno != 0 || end != arg->c_str() + arg->size() || !(ratio >= 0.0 && ratio <= 1.0)) {
    env.Warn("OTEL_TRACES_SAMPLER_ARG",
             "expected a ratio in [0, 1], got \"" + *arg + "\"; using 1.0");
    return;
  }
  config.sampler.ratio = ratio;
}

// Merges `overrides` into `base`; header names compare case-insensitively.
void MergeHeaders(KeyValues& base, const KeyValues& overrides) {
  for (const auto& header : overrides) {
    auto same = std::find_if(base.begin(), base.end(), [&](const auto& kv) {
      return EqualsIgnoreCase(kv.first, header.first);
    });
    if (same != base.end()) {
      same->second = header.second;
    } else {
      base.push_back(header);
    }
  }
}

void ReadExporter(const EnvReader& env, TracingConfig& config) {
  if (auto exporters = env.Get("OTEL_TRACES_EXPORTER")) {
    bool any_otlp = false;
    for (std::string_view raw : detail::Split(*exporters, ',')) {
      const std::string name = detail::AsciiLower(detail::TrimOws(raw));
      if (name == "otlp") {
        any_otlp = true;
      } else if (name != "none") {
        env.Warn("OTEL_TRACES_EXPORTER", "unsupported exporter \"" + name + "\"; using otlp");
        any_otlp = true;
      }
    }
    config.export_enabled = any_otlp;
  }
  // The signal-specific variable wins over the general one.
  const char* protocol_variable = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  auto protocol = env.Get(protocol_variable);
  if (!protocol) {
    protocol_variable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    protocol = env.Get(protocol_variable);
  }
  if (protocol == "http/json") {
    config.protocol = OtlpProtocol::kHttpJson;
  } else if (protocol && *protocol != "http/protobuf") {
    env.Warn(protocol_variable, "\"" + *protocol + "\" is not supported; using http/protobuf");
  }
  if (auto endpoint = env.Get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    config.endpoint = *endpoint;  // the signal-specific URL is used as is
  } else {
    std::string base =
        env.Get("OTEL_EXPORTER_OTLP_ENDPOINT").value_or(std::string(kDefaultBaseEndpoint));
    if (base.back() != '/') base += '/';
    config.endpoint = base + "v1/traces";
  }
  KeyValues headers = env.List("OTEL_EXPORTER_OTLP_HEADERS").value_or(KeyValues{});
  MergeHeaders(headers, env.List("OTEL_EXPORTER_OTLP_TRACES_HEADERS").value_or(KeyValues{}));
  for (auto& [name, value] : headers) {
    if (!detail::IsToken(name) || value.find_first_of("\r\n", 0) != std::string::npos ||
        value.find('\0') != std::string::npos) {
      env.Warn("OTEL_EXPORTER_OTLP_HEADERS", "invalid header \"" + name + "\" ignored");
      continue;
    }
    config.headers.emplace_back(std::move(name), std::move(value));
  }
  auto timeout = env.Integer("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT");
  if (!timeout) timeout = env.Integer("OTEL_EXPORTER_OTLP_TIMEOUT");
  if (timeout) config.request_timeout = std::chrono::milliseconds(*timeout);
}

void ReadBatching(const EnvReader& env, TracingConfig& config) {
  if (auto v = env.Integer("OTEL_BSP_SCHEDULE_DELAY", /*allow_zero=*/true)) {
    config.schedule_delay = std::chrono::milliseconds(*v);
  }
  if (auto v = env.Integer("OTEL_BSP_MAX_QUEUE_SIZE")) {
    config.max_queue_size = static_cast<std::size_t>(*v);
  }
  if (auto v = env.Integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE")) {
    config.max_export_batch_size = static_cast<std::size_t>(*v);
  }
  if (auto v = env.Integer("OTEL_BSP_EXPORT_TIMEOUT")) {
    config.export_timeout = std::chrono::milliseconds(*v);
  }
  if (config.max_export_batch_size > config.max_queue_size) {
    env.Warn("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "larger than OTEL_BSP_MAX_QUEUE_SIZE; clamped");
    config.max_export_batch_size = config.max_queue_size;
  }
}

}  // namespace

TracingConfig TracingConfig::FromEnv(std::string_view fallback_service_name) {
  return FromLookup(
      [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at startup
        if (value == nullptr || *value == '\0') return std::nullopt;
        return std::string(value);
      },
      fallback_service_name);
}

TracingConfig TracingConfig::FromLookup(const EnvLookup& lookup,
                                        std::string_view fallback_service_name) {
  TracingConfig config;
  const EnvReader env(lookup, config.warnings);
  if (auto disabled = env.Get("OTEL_SDK_DISABLED")) {
    config.enabled = !EqualsIgnoreCase(*disabled, "true");
    if (config.enabled && !EqualsIgnoreCase(*disabled, "false")) {
      env.Warn("OTEL_SDK_DISABLED", "expected true or false; tracing stays enabled");
    }
  }
  ReadService(env, fallback_service_name, config);
  ReadSampler(env, config);
  ReadExporter(env, config);
  ReadBatching(env, config);
  return config;
}

}  // namespace fo::telemetry
