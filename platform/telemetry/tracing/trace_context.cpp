#include "platform/telemetry/tracing/trace_context.hpp"

#include <span>
#include <vector>

#include "platform/telemetry/tracing/hex.hpp"
#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {
namespace {

constexpr std::size_t kTraceparentV0Size = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2
constexpr std::size_t kMaxTracestateMembers = 32;
constexpr std::size_t kMaxTracestateSize = 512;
constexpr std::size_t kLargeMemberSize = 128;  // dropped first when truncating

bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}

// key = simple-key / multi-tenant-key (tenant-id "@" system-id).
bool IsValidKey(std::string_view key) {
  const std::size_t at = key.find('@');
  if (at == std::string_view::npos) {
    if (key.empty() || key.size() > 256 || !IsLcAlpha(key[0])) return false;
    for (char c : key) {
      if (!IsKeyChar(c)) return false;
    }
    return true;
  }
  const std::string_view tenant = key.substr(0, at);
  const std::string_view system = key.substr(at + 1);
  if (tenant.empty() || tenant.size() > 241 || !(IsLcAlpha(tenant[0]) || IsDigit(tenant[0]))) {
    return false;
  }
  if (system.empty() || system.size() > 14 || !IsLcAlpha(system[0])) return false;
  for (char c : tenant) {
    if (!IsKeyChar(c)) return false;
  }
  for (char c : system) {
    if (!IsKeyChar(c)) return false;
  }
  return true;
}

// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr excludes ',' and '='.
bool IsValidValue(std::string_view value) {
  if (value.empty() || value.size() > 256 || value.back() == ' ') return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
  }
  return true;
}

std::string Join(const std::vector<std::string_view>& members) {
  std::string out;
  for (std::string_view m : members) {
    if (!out.empty()) out += ',';
    out.append(m);
  }
  return out;
}

std::size_t JoinedSize(const std::vector<std::string_view>& members) {
  std::size_t size = members.empty() ? 0 : members.size() - 1;
  for (std::string_view m : members) size += m.size();
  return size;
}

}  // namespace

std::string NormalizeTracestate(std::string_view tracestate) {
  std::vector<std::string_view> members;
  std::vector<std::string_view> keys;
  for (std::string_view raw : detail::Split(tracestate, ',')) {
    const std::string_view member = detail::TrimOws(raw);
    if (member.empty()) continue;  // empty list-members are allowed and ignored
    const std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) return {};
    const std::string_view key = member.substr(0, eq);
    if (!IsValidKey(key) || !IsValidValue(member.substr(eq + 1))) return {};
    for (std::string_view seen : keys) {
      if (seen == key) return {};  // duplicate keys make the whole header invalid
    }
    keys.push_back(key);
    members.push_back(member);
  }
  if (members.size() > kMaxTracestateMembers) return {};
  // Over the limit: drop members longer than 128 characters first, then from the right.
  if (JoinedSize(members) > kMaxTracestateSize) {
    std::erase_if(members, [](std::string_view m) { return m.size() > kLargeMemberSize; });
    while (JoinedSize(members) > kMaxTracestateSize) members.pop_back();
  }
  return Join(members);
}

std::optional<SpanContext> ParseTraceparent(std::string_view traceparent,
                                            std::string_view tracestate) {
  const std::string_view tp = detail::TrimOws(traceparent);
  if (tp.size() < kTraceparentV0Size) return std::nullopt;
  std::uint8_t version = 0;
  if (!detail::FromLowerHex(tp.substr(0, 2), std::span(&version, 1)) || version == 0xff) {
    return std::nullopt;
  }
  // Version 00 has exactly four fields; a higher version may append "-..." fields we ignore.
  if (version == 0 && tp.size() != kTraceparentV0Size) return std::nullopt;
  if (tp.size() > kTraceparentV0Size && tp[kTraceparentV0Size] != '-') return std::nullopt;
  if (tp[2] != '-' || tp[35] != '-' || tp[52] != '-') return std::nullopt;

  SpanContext context;
  std::uint8_t flags = 0;
  if (!detail::FromLowerHex(tp.substr(3, 32), context.trace_id) ||
      !detail::FromLowerHex(tp.substr(36, 16), context.span_id) ||
      !detail::FromLowerHex(tp.substr(53, 2), std::span(&flags, 1))) {
    return std::nullopt;
  }
  if (!context.IsValid()) return std::nullopt;
  context.flags = flags & kTraceFlagSampled;  // unknown flags must not be propagated
  context.remote = true;
  context.trace_state = NormalizeTracestate(tracestate);
  return context;
}

std::string FormatTraceparent(const SpanContext& context) {
  std::string out;
  out.reserve(kTraceparentV0Size);
  out += "00-";
  detail::AppendHex(out, context.trace_id);
  out += '-';
  detail::AppendHex(out, context.span_id);
  out += '-';
  const std::uint8_t flags = context.flags & kTraceFlagSampled;
  detail::AppendHex(out, std::span(&flags, 1));
  return out;
}

}  // namespace fo::telemetry
