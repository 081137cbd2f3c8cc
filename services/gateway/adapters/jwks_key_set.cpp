#include "services/gateway/adapters/jwks_key_set.hpp"

#include "platform/auth/verified_token_cache.hpp"
#include "platform/auth/verifier_config.hpp"
#include "platform/config/env.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::gateway::adapters {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

prometheus::Family<prometheus::Counter>& Refreshes() {
  static auto& family = metrics::Global().Counter(
      "gateway_jwks_refreshes_total", "Fetches of the user service's keys, by outcome.");
  return family;
}

}  // namespace

KeySetOptions KeySetOptions::FromEnv() {
  KeySetOptions o;
  o.issuer = config::String("JWT_ISSUER", auth::kDefaultIssuer);
  o.audience = config::String("JWT_AUDIENCE", auth::kDefaultAudience);
  o.path = config::String("GATEWAY_JWKS_PATH", o.path);
  o.refresh_every = config::Millis("GATEWAY_JWKS_REFRESH_MS", o.refresh_every);
  o.min_refresh_gap = config::Millis("GATEWAY_JWKS_MIN_REFRESH_GAP_MS", o.min_refresh_gap);
  return o;
}

// The verifier and the cache of tokens it accepted live and die together: a refreshed key set
// starts with an empty cache, so a key that was withdrawn stops working at once.
struct JwksKeySet::Keys {
  explicit Keys(auth::JwtVerifier v) : verifier(std::move(v)), cache(verifier) {}
  auth::JwtVerifier verifier;
  auth::VerifiedTokenCache cache;
};

JwksKeySet::JwksKeySet(app::Pool& user_pool, KeySetOptions options)
    : pool_(&user_pool),
      options_(std::move(options)),
      loop_(
          "jwks refresh",
          [this]() -> asio::awaitable<std::chrono::milliseconds> {
            const bool ok = co_await Refresh();
            co_return ok ? options_.refresh_every : options_.retry_every;
          },
          options_.retry_every) {}

JwksKeySet::JwksKeySet(auth::JwtVerifier verifier, KeySetOptions options)
    : options_(std::move(options)),
      loop_(
          "jwks refresh",
          []() -> asio::awaitable<std::chrono::milliseconds> { co_return std::chrono::hours(24); },
          std::chrono::hours(24)) {
  Install(std::move(verifier));
}

JwksKeySet::~JwksKeySet() = default;

void JwksKeySet::Install(auth::JwtVerifier verifier) {
  keys_.store(std::make_shared<Keys>(std::move(verifier)));
}

void JwksKeySet::Start(const asio::any_io_executor& executor) {
  if (pool_ != nullptr) loop_.Start(executor);
}

asio::awaitable<void> JwksKeySet::Stop() { co_await loop_.Stop(); }

asio::awaitable<bool> JwksKeySet::Refresh() {
  if (pool_ == nullptr) co_return true;
  std::string error;
  auto choice = pool_->Choose("", {});
  if (!choice) {
    error = "no healthy " + pool_->Name() + " instance";
  } else {
    http::ClientRequest request;
    request.method = "GET";
    request.target = options_.path;
    request.headers = {{"Host", std::string(pool_->Authority(choice->instance))},
                       {"Accept", "application/json"}};
    request.replayable = true;
    const auto started = Clock::now();
    bool answered = false;
    try {
      auto response =
          co_await pool_->Send(choice->instance, request, started + std::chrono::seconds(5));
      answered = response.status < 500;
      if (response.status != 200) {
        error = "status " + std::to_string(response.status);
      } else {
        Install(auth::JwtVerifier::FromJwks(response.body, options_.issuer, options_.audience));
      }
    } catch (const std::exception& e) {  // ClientError, or a JWKS with no usable key
      error = e.what();
    }
    pool_->Report(*choice, answered, Clock::now() - started);
  }
  Refreshes().Add({{"outcome", error.empty() ? "ok" : "failed"}}).Increment();
  if (!error.empty()) {
    log::Warn("cannot load the token keys", {{"error", error}, {"loaded_before", Loaded()}});
    co_return false;
  }
  co_return true;
}

asio::awaitable<std::optional<auth::VerifyResult>> JwksKeySet::Verify(std::string_view token) {
  auto keys = keys_.load();
  if (!keys) co_return std::nullopt;
  auto result = keys->cache.Verify(token);
  if (result || result.error != auth::VerifyError::kUnknownKey || pool_ == nullptr) {
    co_return result;
  }
  // A kid we do not know: refresh once per gap, so forged kids cannot hammer the user service.
  auto due = next_forced_refresh_ms_.load();
  const auto now = NowMs();
  if (now < due || !next_forced_refresh_ms_.compare_exchange_strong(
                       due, now + options_.min_refresh_gap.count())) {
    co_return result;
  }
  co_await Refresh();
  co_return keys_.load()->cache.Verify(token);
}

}  // namespace fo::gateway::adapters
