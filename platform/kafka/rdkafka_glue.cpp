#include "platform/kafka/rdkafka_glue.hpp"

#include "platform/errors/error.hpp"
#include "platform/telemetry/log/log.hpp"

namespace fo::kafka::detail {

void LogEvents::event_cb(RdKafka::Event& event) {
  switch (event.type()) {
    case RdKafka::Event::EVENT_ERROR: {
      // Most errors are transient (a broker restarting); librdkafka retries them itself.
      const auto level = event.fatal() ? log::Level::kError : log::Level::kWarn;
      if (log::Enabled(level)) {
        log::Write(level, "kafka client error",
                   {{"client", client_},
                    {"error", RdKafka::err2str(event.err())},
                    {"detail", event.str()},
                    {"fatal", event.fatal()}});
      }
      break;
    }
    case RdKafka::Event::EVENT_LOG: {
      const int severity = event.severity();
      // Client-side "errors" (a refused connection) are retried by librdkafka: warnings for us.
      log::Level level = log::Level::kDebug;
      if (severity <= RdKafka::Event::EVENT_SEVERITY_WARNING) {
        level = log::Level::kWarn;
      } else if (severity <= RdKafka::Event::EVENT_SEVERITY_INFO) {
        level = log::Level::kInfo;
      }
      if (log::Enabled(level)) {
        log::Write(level, "kafka client log",
                   {{"client", client_}, {"facility", event.fac()}, {"detail", event.str()}});
      }
      break;
    }
    case RdKafka::Event::EVENT_THROTTLE:
      log::Debug("kafka broker throttled the client", {{"client", client_},
                                                       {"broker", event.broker_name()},
                                                       {"throttle_ms", event.throttle_time()}});
      break;
    case RdKafka::Event::EVENT_STATS:
      break;
  }
}

void Set(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string error;
  if (conf.set(name, value, error) != RdKafka::Conf::CONF_OK) {
    throw InvalidArgument("kafka setting " + name + "=" + value + " rejected: " + error);
  }
}

std::unique_ptr<RdKafka::Conf> MakeConf(const std::string& brokers, LogEvents& events) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  Set(*conf, "bootstrap.servers", brokers);
  // Idle connections closed by the broker are routine, not worth a log line each.
  Set(*conf, "log.connection.close", "false");
  std::string error;
  if (conf->set("event_cb", &events, error) != RdKafka::Conf::CONF_OK) {
    throw InvalidArgument("kafka event_cb rejected: " + error);
  }
  return conf;
}

Headers ReadHeaders(RdKafka::Message& message) {
  Headers headers;
  const RdKafka::Headers* raw = message.headers();
  if (raw == nullptr) return headers;
  const auto all = raw->get_all();
  headers.reserve(all.size());
  for (const auto& header : all) {
    const auto* bytes = static_cast<const char*>(header.value());
    headers.push_back(Header{
        header.key(), bytes == nullptr ? std::string() : std::string(bytes, header.value_size())});
  }
  return headers;
}

std::unique_ptr<RdKafka::Headers> WriteHeaders(const Headers& headers) {
  if (headers.empty()) return nullptr;
  std::unique_ptr<RdKafka::Headers> out(RdKafka::Headers::create());
  for (const auto& header : headers) {
    out->add(header.key, header.value.data(), header.value.size());
  }
  return out;
}

}  // namespace fo::kafka::detail
