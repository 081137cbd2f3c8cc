#include "platform/redis/client.hpp"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <deque>
#include <mutex>
#include <span>

#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::redis {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Used when the caller's deadline is further away (or absent): Redis answers in microseconds,
// so a command still unanswered after this is lost to a stalled server or network.
constexpr std::chrono::milliseconds kMaxCommandTime{2'000};
constexpr std::size_t kMaxInFlight = 1 << 16;

Options Options::FromUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "redis" || parsed->host().empty()) {
    throw std::invalid_argument("expected redis://[:password@]host[:port][/db]");
  }
  Options options;
  options.host = std::string(parsed->host_address());
  if (parsed->has_port()) options.port = std::string(parsed->port());
  if (parsed->has_password()) options.password = std::string(parsed->password());
  const std::string decoded = parsed->path();  // a std::string: Boost.URL decodes into a copy
  std::string_view path = decoded;
  if (!path.empty() && path != "/") {
    path.remove_prefix(1);
    auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), options.database);
    if (ec != std::errc() || end != path.data() + path.size() || options.database < 0) {
      throw std::invalid_argument("the database in a redis:// URL is a number");
    }
  }
  return options;
}

Script::Script(std::string text) : source(std::move(text)) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  ::SHA1(reinterpret_cast<const unsigned char*>(source.data()), source.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char byte : digest) {
    sha1 += kHex[byte >> 4];
    sha1 += kHex[byte & 0xF];
  }
}

namespace {

void AppendBulk(std::string& out, std::string_view arg) {
  out += '$';
  out += std::to_string(arg.size());
  out += "\r\n";
  out += arg;
  out += "\r\n";
}

void AppendArrayHeader(std::string& out, std::size_t count) {
  out += '*';
  out += std::to_string(count);
  out += "\r\n";
}

std::string Encode(const std::vector<std::string>& args) {
  std::size_t size = 16;
  for (const auto& arg : args) size += arg.size() + 16;
  std::string out;
  out.reserve(size);
  AppendArrayHeader(out, args.size());
  for (const auto& arg : args) AppendBulk(out, arg);
  return out;
}

// EVALSHA sha numkeys keys... args... (or EVAL source ...), encoded without a vector of copies.
std::string EncodeEval(std::string_view verb, std::string_view script,
                       std::span<const std::string> keys, std::span<const std::string> args) {
  std::size_t size = script.size() + 64;
  for (const auto& part : keys) size += part.size() + 16;
  for (const auto& part : args) size += part.size() + 16;
  std::string out;
  out.reserve(size);
  AppendArrayHeader(out, 3 + keys.size() + args.size());
  AppendBulk(out, verb);
  AppendBulk(out, script);
  AppendBulk(out, std::to_string(keys.size()));
  for (const auto& key : keys) AppendBulk(out, key);
  for (const auto& arg : args) AppendBulk(out, arg);
  return out;
}

Reply Convert(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      return reply;
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (std::size_t i = 0; i < raw.elements; ++i)
        reply.elements.push_back(Convert(*raw.element[i]));
      return reply;
    default:
      return reply;  // nil
  }
  reply.text.assign(raw.str, raw.len);
  return reply;
}

struct Metrics {
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("redis_client_command_duration_seconds",
                                  "Redis commands, from send to reply."),
      {"command"},
      metrics::LatencyBuckets()};
  metrics::CounterChildren failures{
      metrics::Global().Counter("redis_client_command_failures_total",
                                "Redis commands that got no reply (unavailable)."),
      {"command"}};
  prometheus::Gauge& connected =
      metrics::Global().Gauge("redis_client_connected", "1 while connected to Redis.").Add({});
};

Metrics& M() {
  static Metrics metrics;
  return metrics;
}

// One command waiting for its reply. The waiter's timer doubles as its wake-up: the connection
// cancels it when the reply (or a failure) is in; otherwise it expires at the deadline.
struct Pending {
  explicit Pending(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  std::mutex mutex;
  enum class State { kWaiting, kDone, kAbandoned } state = State::kWaiting;
  Reply reply;
  std::string failure;  // set instead of a reply when the command was lost

  void Finish(Reply&& value, std::string error) {
    {
      std::lock_guard lock(mutex);
      if (state != State::kWaiting) return;  // the waiter gave up at its deadline
      state = State::kDone;
      reply = std::move(value);
      failure = std::move(error);
    }
    timer.cancel();
  }
};

struct ReaderDeleter {
  void operator()(redisReader* reader) const { redisReaderFree(reader); }
};

}  // namespace

struct Client::Impl : std::enable_shared_from_this<Client::Impl> {
  Impl(asio::any_io_executor executor_in, Options options_in)
      : executor(std::move(executor_in)),
        strand(asio::make_strand(executor)),
        options(std::move(options_in)),
        socket(strand),
        backoff(options.min_backoff) {}

  asio::any_io_executor executor;
  asio::strand<asio::any_io_executor> strand;
  Options options;
  tcp::socket socket;
  std::atomic<bool> connected{false};
  // Everything below is touched on the strand only.
  enum class State { kDisconnected, kConnecting, kConnected } state = State::kDisconnected;
  bool closed = false;
  std::uint64_t generation = 0;  // one per connection attempt: stale coroutines step aside
  std::deque<std::shared_ptr<Pending>> in_flight;  // null entries: AUTH/SELECT on connect
  std::string outbox;
  bool writing = false;
  std::unique_ptr<redisReader, ReaderDeleter> reader;
  Clock::time_point next_attempt{};
  std::chrono::milliseconds backoff;
  std::array<char, 16 << 10> read_buffer{};

  void Submit(const std::shared_ptr<Pending>& pending, std::string encoded) {
    if (closed) return pending->Finish({}, "the Redis client is closed");
    if (state == State::kDisconnected) {
      if (Clock::now() < next_attempt) {
        return pending->Finish(
            {}, "Redis at " + options.host + ":" + options.port + " is unreachable (reconnecting)");
      }
      state = State::kConnecting;
      asio::co_spawn(strand, Connect(shared_from_this()), asio::detached);
    }
    if (in_flight.size() >= kMaxInFlight) {
      return pending->Finish({}, "too many Redis commands in flight (is Redis stalled?)");
    }
    in_flight.push_back(pending);
    outbox += encoded;
    KickWriter();
  }

  void KickWriter() {
    if (writing || outbox.empty() || state != State::kConnected) return;
    writing = true;
    asio::co_spawn(strand, Write(shared_from_this(), generation), asio::detached);
  }

  void FailAll(const std::string& why) {
    auto lost = std::move(in_flight);
    in_flight.clear();
    outbox.clear();
    for (auto& pending : lost) {
      if (pending) pending->Finish({}, why);
    }
  }

  void Disconnect(std::uint64_t of_generation, const std::string& why) {
    if (of_generation != generation || state == State::kDisconnected) return;
    if (state == State::kConnected) log::Warn("redis connection lost", {{"error", why}});
    boost::system::error_code ignored;
    socket.close(ignored);
    state = State::kDisconnected;
    connected = false;
    M().connected.Set(0);
    writing = false;
    ++generation;
    FailAll(why);
  }

  static asio::awaitable<void> Connect(std::shared_ptr<Impl> self) {
    const auto id = ++self->generation;
    tcp::resolver resolver(self->strand);
    auto [resolve_ec, endpoints] =
        co_await resolver.async_resolve(self->options.host, self->options.port, kTuple);
    boost::system::error_code ec = resolve_ec;
    if (!ec && id == self->generation) {
      asio::steady_timer guard(self->strand, self->options.connect_timeout);
      guard.async_wait([self, id](boost::system::error_code wait_ec) {
        if (!wait_ec && id == self->generation) self->socket.cancel();
      });
      auto [connect_ec, endpoint] = co_await asio::async_connect(self->socket, endpoints, kTuple);
      guard.cancel();
      ec = connect_ec;
    }
    if (id != self->generation) co_return;  // closed meanwhile
    if (ec) {
      const std::string why = "cannot connect to Redis at " + self->options.host + ":" +
                              self->options.port + ": " + ec.message();
      self->next_attempt = Clock::now() + self->backoff;
      self->backoff = std::min(self->backoff * 2, self->options.max_backoff);
      boost::system::error_code ignored;
      self->socket.close(ignored);
      self->state = State::kDisconnected;
      ++self->generation;
      self->FailAll(why);
      co_return;
    }
    self->socket.set_option(tcp::no_delay(true));
    self->reader.reset(redisReaderCreate());
    // Session set-up goes first, ahead of what callers queued while we connected.
    std::string setup;
    if (!self->options.password.empty()) {
      setup += Encode({"AUTH", self->options.password});
      self->in_flight.push_front(nullptr);
    }
    if (self->options.database != 0) {
      setup += Encode({"SELECT", std::to_string(self->options.database)});
      self->in_flight.push_front(nullptr);
    }
    self->outbox.insert(0, setup);
    self->state = State::kConnected;
    self->connected = true;
    M().connected.Set(1);
    self->backoff = self->options.min_backoff;
    log::Info("redis connected", {{"address", self->options.host + ":" + self->options.port}});
    asio::co_spawn(self->strand, Read(self, id), asio::detached);
    self->KickWriter();
  }

  static asio::awaitable<void> Write(std::shared_ptr<Impl> self, std::uint64_t id) {
    while (id == self->generation && !self->outbox.empty()) {
      std::string batch;
      batch.swap(self->outbox);  // callers keep appending to a fresh outbox meanwhile
      auto [ec, written] = co_await asio::async_write(self->socket, asio::buffer(batch), kTuple);
      if (ec) {
        self->Disconnect(id, "write to Redis failed: " + ec.message());
        co_return;
      }
    }
    if (id == self->generation) self->writing = false;
  }

  static asio::awaitable<void> Read(std::shared_ptr<Impl> self, std::uint64_t id) {
    for (;;) {
      auto [ec, n] = co_await self->socket.async_read_some(asio::buffer(self->read_buffer), kTuple);
      if (id != self->generation) co_return;
      const std::string problem =
          ec ? "Redis connection closed: " + ec.message() : self->Deliver(n);
      if (!problem.empty()) {
        self->Disconnect(id, problem);
        co_return;
      }
    }
  }

  // Hands every complete reply in the buffer to its waiter; an error text ends the connection.
  std::string Deliver(std::size_t bytes) {
    if (redisReaderFeed(reader.get(), read_buffer.data(), bytes) != REDIS_OK) {
      return "unreadable reply from Redis";
    }
    for (;;) {
      void* raw = nullptr;
      if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) return "unreadable reply from Redis";
      if (raw == nullptr) return {};  // the rest is still on its way
      auto* parsed = static_cast<redisReply*>(raw);
      Reply reply = Convert(*parsed);
      freeReplyObject(parsed);
      if (in_flight.empty()) return "a reply from Redis that nobody asked for";
      auto pending = std::move(in_flight.front());
      in_flight.pop_front();
      if (pending) {
        pending->Finish(std::move(reply), {});
      } else if (reply.IsError()) {
        return "Redis refused the session set-up: " + reply.text;
      }
    }
  }
};

Client::Client(asio::any_io_executor executor, Options options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

Client::~Client() {
  asio::post(impl_->strand, [impl = impl_] {
    impl->closed = true;
    impl->Disconnect(impl->generation, "the Redis client is closed");
  });
}

bool Client::Connected() const { return impl_->connected.load(); }

const Options& Client::Settings() const { return impl_->options; }

asio::awaitable<Reply> Client::Command(std::vector<std::string> args, Context ctx) {
  const std::string operation = args.empty() ? std::string() : args.front();
  auto encoded = Encode(args);
  co_return co_await Send(operation, std::move(encoded), ctx);
}

asio::awaitable<Reply> Client::Send(std::string operation, std::string encoded, Context ctx) {
  auto impl = impl_;
  auto span = telemetry::GetTracer().StartSpan(operation, telemetry::SpanKind::kClient, &ctx.span);
  span.SetAttribute("db.system", "redis");
  span.SetAttribute("db.operation.name", operation);
  span.SetAttribute("server.address", impl->options.host);
  span.SetAttribute("server.port", impl->options.port);
  const auto started = Clock::now();

  auto pending = std::make_shared<Pending>(impl->executor);
  pending->timer.expires_at(std::min(ctx.deadline, started + kMaxCommandTime));
  // The wait is registered before the command can be answered (Submit runs after it), so a
  // reply that comes at once still finds a waiter to wake.
  auto start = [&](auto handler) {
    pending->timer.async_wait(std::move(handler));
    asio::post(impl->strand, [impl, pending, encoded = std::move(encoded)]() mutable {
      impl->Submit(pending, std::move(encoded));
    });
  };
  co_await asio::async_initiate<decltype(kTuple), void(boost::system::error_code)>(start, kTuple);

  std::string failure;
  {
    std::lock_guard lock(pending->mutex);
    if (pending->state == Pending::State::kWaiting) {
      pending->state = Pending::State::kAbandoned;
      failure = "Redis did not answer " + operation + " before the deadline";
    } else {
      failure = std::move(pending->failure);
    }
  }
  M().duration.With({operation})
      .Observe(std::chrono::duration<double>(Clock::now() - started).count());
  if (!failure.empty()) {
    M().failures.With({operation}).Increment();
    span.SetStatus(telemetry::StatusCode::kError, failure);
    throw Unavailable(failure);
  }
  if (pending->reply.IsError()) span.SetStatus(telemetry::StatusCode::kError, pending->reply.text);
  co_return std::move(pending->reply);
}

asio::awaitable<Reply> Client::Eval(const Script& script, std::vector<std::string> keys,
                                    std::vector<std::string> args, Context ctx) {
  auto reply = co_await Send("EVALSHA", EncodeEval("EVALSHA", script.sha1, keys, args), ctx);
  if (reply.IsError() && reply.text.starts_with("NOSCRIPT")) {
    // Runs it and caches it under the same SHA1 for the next EVALSHA.
    reply = co_await Send("EVAL", EncodeEval("EVAL", script.source, keys, args), ctx);
  }
  co_return reply;
}

}  // namespace fo::redis
