#pragma once
// Structured logs: one JSON object per line on stdout (ts, level, service, msg, trace_id,
// span_id, fields), or LOG_FORMAT=text for humans. A line is written with one call so lines
// from different threads never interleave.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace fo::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kJson, kText };

struct Field {
  using Value = std::variant<std::string_view, std::int64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  Field(std::string_view k, unsigned v) : key(k), value(std::int64_t{v}) {}
  Field(std::string_view k, std::uint64_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  Value value;
};

// Trace ids of the current operation, as lowercase hex; empty when there is none.
struct TraceRef {
  std::string_view trace_id;
  std::string_view span_id;
};

struct Options {
  std::string service = "unknown";
  Format format = Format::kJson;
  Level level = Level::kInfo;
};

void Configure(Options options);
Options OptionsFromEnv(std::string_view service);  // LOG_FORMAT, LOG_LEVEL
bool Enabled(Level level);

// Formats a line without writing it (tests and the sink share this).
std::string FormatLine(Level level, std::string_view msg, std::initializer_list<Field> fields,
                       TraceRef trace);
void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {},
           TraceRef trace = {});

inline void Debug(std::string_view msg, std::initializer_list<Field> f = {}, TraceRef t = {}) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, msg, f, t);
}
inline void Info(std::string_view msg, std::initializer_list<Field> f = {}, TraceRef t = {}) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, msg, f, t);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}, TraceRef t = {}) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, msg, f, t);
}
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}, TraceRef t = {}) {
  Write(Level::kError, msg, f, t);
}

}  // namespace fo::log
