#include "services/gateway/adapters/redis_response_cache.hpp"

#include <charconv>

#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::gateway::adapters {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kTagPrefix = "gw:cache:tag:";

// Store an entry and list it under its tag; the tag set lives as long as its longest entry.
const redis::Script& PutScript() {
  static const redis::Script script(R"lua(
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
if redis.call('TTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return 1
)lua");
  return script;
}

// Drop every entry listed under a tag, and the list.
const redis::Script& InvalidateScript() {
  static const redis::Script script(R"lua(
local members = redis.call('SMEMBERS', KEYS[1])
for i = 1, #members, 500 do
  redis.call('UNLINK', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('DEL', KEYS[1])
return #members
)lua");
  return script;
}

prometheus::Counter& StoreErrors() {
  static auto& counter =
      metrics::Global()
          .Counter("gateway_cache_store_errors_total",
                   "Cache reads and writes that failed because Redis was unreachable.")
          .Add({});
  return counter;
}

}  // namespace

std::string EncodeEntry(const app::CachedResponse& response) {
  std::string out = "1\n" + std::to_string(response.status) + "\n";
  out += response.content_type;
  out += '\n';
  out += response.etag;
  out += '\n';
  out += response.body;
  return out;
}

std::optional<app::CachedResponse> DecodeEntry(std::string_view text) {
  std::string_view fields[4];
  for (auto& field : fields) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    field = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  if (fields[0] != "1") return std::nullopt;  // a format this build does not know
  app::CachedResponse response;
  auto [p, ec] =
      std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), response.status);
  if (ec != std::errc() || response.status < 200 || response.status > 599) return std::nullopt;
  response.content_type = std::string(fields[2]);
  response.etag = std::string(fields[3]);
  response.body = std::string(text);
  return response;
}

asio::awaitable<std::optional<app::CachedResponse>> RedisResponseCache::Get(const std::string& key,
                                                                            const Context& ctx) {
  try {
    std::vector<std::string> command{"GET", key};
    auto reply = co_await redis_.Command(std::move(command), ctx);
    if (reply.type == redis::Reply::Type::kString) co_return DecodeEntry(reply.text);
  } catch (const redis::Unavailable&) {
    StoreErrors().Increment();  // a miss: the upstream answers instead
  }
  co_return std::nullopt;
}

asio::awaitable<void> RedisResponseCache::Put(const std::string& key, const std::string& tag,
                                              const app::CachedResponse& response,
                                              std::chrono::seconds ttl, const Context& ctx) {
  try {
    std::vector<std::string> keys{key, std::string(kTagPrefix) + tag};
    std::vector<std::string> args{EncodeEntry(response), std::to_string(ttl.count())};
    auto reply = co_await redis_.Eval(PutScript(), keys, args, ctx);
    if (reply.IsError()) log::Warn("cache write refused", {{"error", reply.text}});
  } catch (const redis::Unavailable&) {
    StoreErrors().Increment();
  }
}

asio::awaitable<std::int64_t> RedisResponseCache::Invalidate(const std::string& tag,
                                                             const Context& ctx) {
  if (tag.empty()) co_return co_await PurgeAll(ctx);
  std::vector<std::string> keys{std::string(kTagPrefix) + tag};
  std::vector<std::string> no_args;
  auto reply = co_await redis_.Eval(InvalidateScript(), keys, no_args, ctx);
  if (reply.IsError()) throw redis::Unavailable("cache invalidation refused: " + reply.text);
  co_return reply.integer;
}

asio::awaitable<std::int64_t> RedisResponseCache::PurgeAll(const Context& ctx) {
  std::int64_t removed = 0;
  std::string cursor = "0";
  do {
    std::vector<std::string> scan{"SCAN", cursor, "MATCH", "gw:cache:*", "COUNT", "1000"};
    auto page = co_await redis_.Command(std::move(scan), ctx);
    if (page.type != redis::Reply::Type::kArray || page.elements.size() != 2) {
      throw redis::Unavailable("unexpected SCAN reply while purging the cache");
    }
    cursor = page.elements[0].text;
    std::vector<std::string> unlink{"UNLINK"};
    for (const auto& key : page.elements[1].elements) {
      if (!key.text.starts_with(kTagPrefix)) ++removed;
      unlink.push_back(key.text);
    }
    if (unlink.size() > 1) co_await redis_.Command(std::move(unlink), ctx);
  } while (cursor != "0");
  co_return removed;
}

}  // namespace fo::gateway::adapters
