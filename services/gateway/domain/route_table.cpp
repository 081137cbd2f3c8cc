#include "services/gateway/domain/route_table.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <set>

#include "platform/config/env.hpp"

namespace fo::gateway {
namespace json = boost::json;

namespace {

constexpr std::chrono::milliseconds kDefaultTimeout{10'000};

[[noreturn]] void Bad(const std::string& where, const std::string& what) {
  throw config::ConfigError("gateway routes: " + where + ": " + what);
}

const json::object& Object(const json::value& value, const std::string& where) {
  if (!value.is_object()) Bad(where, "must be an object");
  return value.get_object();
}

std::string Text(const json::object& o, std::string_view key, const std::string& where,
                 std::string fallback = {}, bool required = false) {
  const auto* value = o.if_contains(key);
  if (value == nullptr) {
    if (required) Bad(where + "." + std::string(key), "is required");
    return fallback;
  }
  if (!value->is_string() || value->get_string().empty()) {
    Bad(where + "." + std::string(key), "must be a non-empty string");
  }
  return std::string(value->get_string());
}

double Number(const json::object& o, std::string_view key, const std::string& where,
              double fallback, double min, double max) {
  const auto* value = o.if_contains(key);
  if (value == nullptr) return fallback;
  if (!value->is_number()) Bad(where + "." + std::string(key), "must be a number");
  const double number = value->to_number<double>();
  if (number < min || number > max) {
    Bad(where + "." + std::string(key), "must be between " + json::serialize(json::value(min)) +
                                            " and " + json::serialize(json::value(max)));
  }
  return number;
}

bool Flag(const json::object& o, std::string_view key, const std::string& where, bool fallback) {
  const auto* value = o.if_contains(key);
  if (value == nullptr) return fallback;
  if (!value->is_bool()) Bad(where + "." + std::string(key), "must be true or false");
  return value->get_bool();
}

void OnlyKnownKeys(const json::object& o, const std::set<std::string_view>& known,
                   const std::string& where) {
  for (const auto& [key, value] : o) {
    if (!known.contains(key)) Bad(where + "." + std::string(key), "is not a known setting");
  }
}

Balance ParseBalance(std::string_view text, const std::string& where) {
  if (text == "round_robin") return Balance::kRoundRobin;
  if (text == "least_request") return Balance::kLeastRequest;
  if (text == "consistent_hash") return Balance::kConsistentHash;
  Bad(where, "must be round_robin, least_request or consistent_hash");
}

AuthPolicy ParseAuth(std::string_view text, const std::string& where) {
  if (text == "public") return AuthPolicy::kPublic;
  if (text == "user") return AuthPolicy::kUser;
  if (text == "admin") return AuthPolicy::kAdmin;
  Bad(where, "must be public, user or admin");
}

std::string EnvName(std::string_view name) {
  std::string out;
  for (char c : name) {
    out += std::isalnum(static_cast<unsigned char>(c)) != 0
               ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
               : '_';
  }
  return out;
}

UpstreamSpec ParseUpstream(const std::string& name, const json::value& value) {
  const std::string where = "upstreams." + name;
  const auto& o = Object(value, where);
  OnlyKnownKeys(o, {"instances", "balance", "hash_header", "health_path", "required"}, where);
  UpstreamSpec spec;
  spec.name = name;
  spec.instances = ParseInstances(Text(o, "instances", where, {}, true), where + ".instances");
  spec.balance = ParseBalance(Text(o, "balance", where, "round_robin"), where + ".balance");
  spec.hash_header = Text(o, "hash_header", where);
  if (spec.balance == Balance::kConsistentHash && spec.hash_header.empty()) {
    Bad(where + ".hash_header", "is required with consistent_hash");
  }
  spec.health_path = Text(o, "health_path", where, "/readyz");
  if (spec.health_path.front() != '/') Bad(where + ".health_path", "must start with /");
  spec.required = Flag(o, "required", where, true);
  return spec;
}

RoutePolicy ParseRoute(const json::value& value, std::size_t index, const RouteTable& table) {
  const std::string where = "routes[" + std::to_string(index) + "]";
  const auto& o = Object(value, where);
  OnlyKnownKeys(o,
                {"prefix", "path", "methods", "upstream", "auth", "timeout_ms", "retry", "cache",
                 "cache_ttl_seconds", "rate_limit"},
                where);
  RoutePolicy route;
  const bool has_prefix = o.contains("prefix");
  if (has_prefix == o.contains("path")) Bad(where, "needs exactly one of prefix and path");
  route.prefix = has_prefix;
  route.path = Text(o, has_prefix ? "prefix" : "path", where);
  if (route.path.front() != '/') Bad(where, "paths start with /");
  if (route.prefix && route.path.find('{') != std::string::npos) {
    Bad(where + ".prefix", "has literal segments only; use path for {parameters}");
  }
  if (const auto* methods = o.if_contains("methods")) {
    if (!methods->is_array() || methods->get_array().empty()) {
      Bad(where + ".methods", "must be a non-empty list of HTTP methods");
    }
    for (const auto& m : methods->get_array()) {
      if (!m.is_string() || m.get_string().empty()) Bad(where + ".methods", "must hold strings");
      route.methods.emplace_back(m.get_string());
    }
  }
  route.upstream = Text(o, "upstream", where, {}, true);
  if (table.Upstream(route.upstream) == nullptr) {
    Bad(where + ".upstream", "names no upstream: " + route.upstream);
  }
  route.auth = ParseAuth(Text(o, "auth", where, "public"), where + ".auth");
  route.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(
      Number(o, "timeout_ms", where, static_cast<double>(kDefaultTimeout.count()), 1, 600'000)));
  route.retry = Flag(o, "retry", where, true);
  route.cache = Flag(o, "cache", where, false);
  route.cache_ttl = std::chrono::seconds(
      static_cast<std::int64_t>(Number(o, "cache_ttl_seconds", where, 300, 1, 86'400)));
  if (route.cache && route.auth != AuthPolicy::kPublic) {
    Bad(where + ".cache", "only public routes may be cached");
  }
  route.rate_class = Text(o, "rate_limit", where, "default");
  if (!table.rate_classes.contains(route.rate_class)) {
    Bad(where + ".rate_limit", "names no rate_limits class: " + route.rate_class);
  }
  return route;
}

}  // namespace

bool RoutePolicy::Allows(std::string_view method) const {
  return methods.empty() || std::find(methods.begin(), methods.end(), method) != methods.end();
}

const UpstreamSpec* RouteTable::Upstream(std::string_view name) const {
  for (const auto& upstream : upstreams) {
    if (upstream.name == name) return &upstream;
  }
  return nullptr;
}

std::vector<HostPort> ParseInstances(std::string_view list, std::string_view what) {
  std::vector<HostPort> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    start = end + 1;
    if (item.empty()) continue;
    HostPort hp;
    std::string_view port;
    if (item.front() == '[') {
      const auto close = item.find(']');
      if (close == std::string_view::npos || close + 1 >= item.size() || item[close + 1] != ':') {
        throw config::ConfigError(std::string(what) + ": expected [ipv6]:port, got " +
                                  std::string(item));
      }
      hp.host = std::string(item.substr(1, close - 1));
      port = item.substr(close + 2);
    } else {
      const auto colon = item.rfind(':');
      if (colon == std::string_view::npos || colon == 0) {
        throw config::ConfigError(std::string(what) + ": expected host:port, got " +
                                  std::string(item));
      }
      hp.host = std::string(item.substr(0, colon));
      port = item.substr(colon + 1);
    }
    int number = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc() || p != port.data() + port.size() || number < 1 || number > 65535) {
      throw config::ConfigError(std::string(what) + ": bad port in " + std::string(item));
    }
    hp.port = std::string(port);
    out.push_back(std::move(hp));
  }
  if (out.empty()) throw config::ConfigError(std::string(what) + ": needs at least one host:port");
  return out;
}

RouteTable ParseRouteTable(std::string_view text) {
  boost::system::error_code ec;
  auto document = json::parse(text, ec);
  if (ec) Bad("document", "is not valid JSON: " + ec.message());
  const auto& root = Object(document, "document");
  OnlyKnownKeys(root, {"upstreams", "rate_limits", "routes"}, "document");
  RouteTable table;
  const auto* upstreams = root.if_contains("upstreams");
  if (upstreams == nullptr) Bad("upstreams", "is required");
  for (const auto& [name, value] : Object(*upstreams, "upstreams")) {
    table.upstreams.push_back(ParseUpstream(std::string(name), value));
  }
  table.rate_classes["default"] = RateClass{};
  if (const auto* classes = root.if_contains("rate_limits")) {
    for (const auto& [key, value] : Object(*classes, "rate_limits")) {
      const std::string where = "rate_limits." + std::string(key);
      const auto& o = Object(value, where);
      OnlyKnownKeys(o, {"per_second", "burst", "per_username"}, where);
      RateClass rate;
      rate.bucket.rate_per_second = Number(o, "per_second", where, 10, 0.001, 1e6);
      rate.bucket.burst = Number(o, "burst", where, rate.bucket.rate_per_second * 2, 1, 1e7);
      rate.per_username = Flag(o, "per_username", where, false);
      table.rate_classes[std::string(key)] = rate;
    }
  }
  const auto* routes = root.if_contains("routes");
  if (routes == nullptr || !routes->is_array()) Bad("routes", "must be a list");
  std::size_t index = 0;
  for (const auto& route : routes->get_array())
    table.routes.push_back(ParseRoute(route, index++, table));
  return table;
}

void ApplyEnvironment(RouteTable& table) {
  for (auto& upstream : table.upstreams) {
    const auto base = "GATEWAY_UPSTREAM_" + EnvName(upstream.name);
    if (auto instances = config::Get(base)) upstream.instances = ParseInstances(*instances, base);
    if (auto balance = config::Get(base + "_BALANCE")) {
      upstream.balance = ParseBalance(*balance, base + "_BALANCE");
      if (upstream.balance == Balance::kConsistentHash && upstream.hash_header.empty()) {
        upstream.hash_header = config::Required(base + "_HASH_HEADER");
      }
    }
  }
  for (auto& [name, rate] : table.rate_classes) {
    const auto base = "GATEWAY_RATE_" + EnvName(name);
    if (auto per_second = config::Get(base + "_PER_SECOND")) {
      std::size_t used = 0;
      double value = 0;
      try {
        value = std::stod(*per_second, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != per_second->size() || value <= 0) {
        throw config::ConfigError(base + "_PER_SECOND must be a positive number");
      }
      rate.bucket.rate_per_second = value;
    }
    rate.bucket.burst = static_cast<double>(
        config::Int(base + "_BURST", static_cast<std::int64_t>(rate.bucket.burst), 1, 10'000'000));
  }
  const auto timeout = config::Millis("GATEWAY_ROUTE_TIMEOUT_MS", kDefaultTimeout);
  for (auto& route : table.routes) {
    if (route.timeout == kDefaultTimeout) route.timeout = timeout;
  }
}

std::string_view ToString(AuthPolicy policy) {
  switch (policy) {
    case AuthPolicy::kPublic:
      return "public";
    case AuthPolicy::kUser:
      return "user";
    case AuthPolicy::kAdmin:
      return "admin";
  }
  return "public";
}

std::string_view ToString(Balance balance) {
  switch (balance) {
    case Balance::kRoundRobin:
      return "round_robin";
    case Balance::kLeastRequest:
      return "least_request";
    case Balance::kConsistentHash:
      return "consistent_hash";
  }
  return "round_robin";
}

}  // namespace fo::gateway
