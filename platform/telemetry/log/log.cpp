#include "platform/telemetry/log/log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "platform/config/env.hpp"

namespace fo::log {
namespace {

std::mutex options_mutex;

Options& CurrentOptions() {
  static Options options;  // function-local: constructed on first use, never at load time
  return options;
}
std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string Timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = floor<seconds>(now);
  auto micros = duration_cast<microseconds>(now - secs).count();
  std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += boost::json::serialize(boost::json::string(s));
}

void AppendValue(std::string& out, const Field::Value& value, bool json) {
  if (const auto* s = std::get_if<std::string_view>(&value)) {
    if (json) {
      AppendJsonString(out, *s);
    } else {
      out += *s;
    }
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", *d);
    out += buf;
  } else {
    out += std::get<bool>(value) ? "true" : "false";
  }
}

}  // namespace

void Configure(Options options) {
  std::lock_guard lock(options_mutex);
  min_level = static_cast<int>(options.level);
  CurrentOptions() = std::move(options);
}

Options OptionsFromEnv(std::string_view service) {
  Options options;
  options.service = std::string(service);
  auto format = config::String("LOG_FORMAT", "json");
  if (format == "text") {
    options.format = Format::kText;
  } else if (format != "json") {
    throw config::ConfigError("LOG_FORMAT must be json or text");
  }
  auto level = config::String("LOG_LEVEL", "info");
  if (level == "debug") {
    options.level = Level::kDebug;
  } else if (level == "info") {
    options.level = Level::kInfo;
  } else if (level == "warn") {
    options.level = Level::kWarn;
  } else if (level == "error") {
    options.level = Level::kError;
  } else {
    throw config::ConfigError("LOG_LEVEL must be debug, info, warn or error");
  }
  return options;
}

bool Enabled(Level level) { return static_cast<int>(level) >= min_level.load(); }

std::string FormatLine(Level level, std::string_view msg, std::initializer_list<Field> fields,
                       TraceRef trace) {
  Options options;
  {
    std::lock_guard lock(options_mutex);
    options = CurrentOptions();
  }
  std::string line;
  line.reserve(256);
  if (options.format == Format::kText) {
    line += Timestamp();
    line += ' ';
    line += LevelName(level);
    line += ' ';
    line += msg;
    for (const auto& f : fields) {
      line += ' ';
      line += f.key;
      line += '=';
      AppendValue(line, f.value, false);
    }
    if (!trace.trace_id.empty()) {
      line += " trace_id=";
      line += trace.trace_id;
    }
  } else {
    line += "{\"ts\":\"" + Timestamp() + "\",\"level\":\"";
    line += LevelName(level);
    line += "\",\"service\":";
    AppendJsonString(line, options.service);
    line += ",\"msg\":";
    AppendJsonString(line, msg);
    if (!trace.trace_id.empty()) {
      line += ",\"trace_id\":\"";
      line += trace.trace_id;
      line += "\",\"span_id\":\"";
      line += trace.span_id;
      line += '"';
    }
    for (const auto& f : fields) {
      line += ',';
      AppendJsonString(line, f.key);
      line += ':';
      AppendValue(line, f.value, true);
    }
    line += '}';
  }
  line += '\n';
  return line;
}

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields, TraceRef trace) {
  std::string line = FormatLine(level, msg, fields, trace);
  // One write(2) per line: atomic for a pipe up to PIPE_BUF and never interleaved in practice.
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, data, left);
    if (n <= 0) return;  // logging must never take the process down
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace fo::log
